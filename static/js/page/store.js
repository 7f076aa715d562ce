// The page's one store. Four slices the views read, plus what the server allows:
//   request    the trace request being shown (the body POST /api/v1/trace takes)
//   selection  the picked item (picks.js), or null
//   playback   what the player shows: {cursor, total, playing, finished, error, phase,
//              starts, speed, frame, question} (frame: the fold of the first `cursor`
//              events; question: the question stop it waits at, or null)
//   view       how it is shown: {panel: null | "equations" | "gradcheck", training: bool}
//   training   the training view's slice (training/state.js): settings, data, the run
//              (its settings.learning_rate is the request's: the page has one η, withOneEta)
//   predict    the predict mode (player/predictview.js): {on, verdict} (verdict: the last
//              answer against the server's value, predict.js judge), reset by a new request
//   steps      the gradient-descent steps taken from this network so far, each
//              {loss, loss_after} as its "done" event carried them (θ⁰ → θ¹ → θ² …)
//   tour       the tour's chapter once it is ready to play, {chapter, index} (tour/app.js;
//              absent on the other pages)
// Views subscribe to the slices they draw; nobody calls a view by hand. A change carries
// its cause ({user: true} for edits, so host pages can tell them from their own loads).

const clone = (x) => structuredClone(x);

export const EMPTY_PLAYBACK = Object.freeze({
  cursor: 0,
  total: 0,
  playing: false,
  finished: false,
  error: null,
  phase: "idle",
  starts: {},
  speed: 1,
  frame: null,
  question: null,
});

/**
 * The page has one η: the step's (request.learning_rate, what POST /trace takes) and the
 * training run's (training.settings.learning_rate) are one value. A patch that changes one
 * changes the other in the same change, so no listener ever sees the two differ: the
 * training's wins when the patch gives it an η of its own (a saved file, a host's training
 * body), else the request's (a preset, a link, an edit: opening the training view keeps it).
 */
export function withOneEta(state, patch) {
  const request = "request" in patch ? patch.request : state.request;
  const training = "training" in patch ? patch.training : state.training;
  if (!request || !training || !training.settings) return patch;
  const step = request.learning_rate;
  const trained = training.settings.learning_rate;
  if (Object.is(step, trained)) return patch;
  const before = state.training && state.training.settings ? state.training.settings.learning_rate : undefined;
  if ("training" in patch && typeof trained === "number" && !Object.is(trained, before)) {
    return { ...patch, request: { ...request, learning_rate: trained } };
  }
  return { ...patch, training: { ...training, settings: { ...training.settings, learning_rate: step } } };
}

export class Store {
  constructor() {
    this.state = {
      capabilities: null,
      request: null,
      presetName: null, // the preset the request came from, until it is edited
      selection: null,
      playback: EMPTY_PLAYBACK,
      view: { panel: null }, // + training: true while the training view is open
      training: null,
      predict: { on: false, verdict: null },
      steps: [],
    };
    this.listeners = [];
  }

  get request() {
    return this.state.request;
  }

  get capabilities() {
    return this.state.capabilities;
  }

  get presetName() {
    return this.state.presetName;
  }

  /** A deep copy of the current trace request (what window.backpropViz.state() returns). */
  snapshot() {
    return clone(this.state.request);
  }

  /**
   * Replace some slices. Listeners of a changed slice are called in the order they
   * subscribed, with (state, changed slice names, cause). A slice is changed when its
   * value is a different object: slices are replaced, never mutated.
   */
  set(patch, cause = {}) {
    patch = withOneEta(this.state, patch);
    const changed = Object.keys(patch).filter((k) => patch[k] !== this.state[k]);
    if (changed.length === 0) return;
    this.state = { ...this.state, ...patch };
    for (const { fn, slices } of this.listeners.slice()) {
      // this.state, not a copy taken before the loop: a listener may set another slice,
      // and those after it must see the newest state, never an older one.
      if (!slices || changed.some((k) => slices.includes(k))) fn(this.state, changed, cause);
    }
  }

  /** Merge into one slice that is an object ({...old, ...partial}). */
  merge(slice, partial, cause) {
    this.set({ [slice]: { ...this.state[slice], ...partial } }, cause);
  }

  /** Call fn(state, changed, cause) after each change of one of `slices` (all when omitted). */
  subscribe(fn, slices = null) {
    const entry = { fn, slices };
    this.listeners.push(entry);
    return () => {
      this.listeners = this.listeners.filter((e) => e !== entry);
    };
  }

  // ---- what the server allows, straight from GET /capabilities -----------------------------

  get limits() {
    return this.state.capabilities.limits;
  }

  activationNames({ output }) {
    return this.state.capabilities.activations.filter((a) => output || !a.output_only).map((a) => a.name);
  }

  activation(name) {
    return this.state.capabilities.activations.find((a) => a.name === name);
  }

  lossInfo(name) {
    return this.state.capabilities.losses.find((l) => l.name === name);
  }

  /** Output activations a loss accepts (null or missing: any). */
  lossFits(lossName, outputActivation) {
    const info = this.lossInfo(lossName);
    const allowed = info && info.output_activations;
    return !allowed || allowed.length === 0 || allowed.includes(outputActivation);
  }
}
