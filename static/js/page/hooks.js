// window.backpropViz: the page's hooks for tests, benchmarks and same-origin host pages.
// Cross-origin hosts use the postMessage API (host.js) instead.

/** @param {object} app  what createApp returned */
export function installHooks(app) {
  window.backpropViz = {
    /** Show a trace request (the body POST /api/v1/trace takes); rejects if the API refuses it. */
    load: (request) => app.load(request),
    /**
     * Animate one full step of the current request (forward, backward, update) from the
     * start; resolves with the final "done" event once it has been animated.
     * @param {number|{speed: number}} [options] a speed multiplier (1 = normal)
     */
    run(options) {
      const speed = typeof options === "number" ? options : options && options.speed;
      if (speed) app.setSpeed(speed);
      return app.player.run();
    },
    /** The current trace request (a copy). */
    state: () => app.store.snapshot(),
    /** The absolute link to the current state (`{embed: true}`: to the frameable page). */
    link: (options) => app.link(options || {}),
    /** The page's language: "en" or "zh-TW" (what the in-page switch does). */
    setLanguage: (code) => app.setLanguage(code),
    /**
     * The predict mode on or off (what the Predict switch does); returns whether it is on.
     * The question the player waits at: store.state.playback.question ({index, event,
     * question: {mode: "predict", target, name, sign}}); answer with player.answer(v), skip with player.skip().
     */
    predict: (on) => (on === undefined ? app.store.state.predict.on : app.setPredict(on)),
    /** Playback speed multiplier (1 = normal). */
    setSpeed: (speed) => app.setSpeed(speed),
    /** Explain an item in the equation panel (picks.js): {kind: "weight", layer, from, to}, … */
    explain: (pick) => app.explain(pick),
    /**
     * Train with a POST /api/v1/train/stream body (its network, data set and settings are
     * shown in the training view); resolves with the "done" event once it has been drawn,
     * or null when the run was stopped first.
     */
    train: (body) => app.training.trainWith(body),
    /** The training view's numbers: {running, epoch, train_loss, test_loss, train_accuracy, test_accuracy, snapshots_drawn}. */
    training: () => app.training.status(),
    /**
     * The exercise page's exercise (exercise/app.js): {id, seed, questions: [{id, kind,
     * target}], checked, score, max}; null on a page without one.
     */
    exercise: () => (app.exercise ? app.exercise() : null),
    /**
     * The tour's chapter (tour/app.js): {chapter, index, count, ids}; null on a page without
     * the tour. `chapter(id)` shows another and resolves once it is ready to play.
     */
    tour: () => (app.tour ? app.tour.state() : null),
    chapter: (id) => (app.tour ? app.tour.go(id) : Promise.reject(new Error("this page has no tour: open /tour"))),
    player: app.player,
    store: app.store,
    ready: app.ready,
  };
}
