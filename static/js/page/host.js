// The host-page API over postMessage (docs/embedding.md). A course page that frames the
// visualizer, from any origin and even from a sandbox without same-origin, drives it with
// commands and hears what it does. Every message is checked before anything runs:
// unknown or malformed ones are logged and ignored, never executed.
//
// host → frame: {type: "load", request} | {type: "load", preset} |
//   {type: "load", exercise, seed?} (the exercise page: that exercise, with that seed or a new one) | {type: "play"} |
//   {type: "pause"} | {type: "step"} | {type: "reset"} | {type: "setSpeed", speed} |
//   {type: "setLanguage", lang} | {type: "setPredict", on} | {type: "chapter", chapter} (the tour) |
//   {type: "getState"} | {type: "train", body} | {type: "getTraining"}, each with an
//   optional id, answered {type: "response", id, result} or {type: "response", id, error}.
// frame → host: ready, state, event, prediction, resize, error, on the tour {type: "chapter",
//   chapter, index} once a chapter is ready to play, and on the exercise page after
//   Check {type: "answer", question, correct} per question and {type: "score", exercise, seed,
//   score, max} (all with source: "backprop-viz"; ready and state with the frame's title in
//   its language, for embed.js's iframe; prediction: the predict mode's {target, guess, value,
//   right} after each answer), and
//   the height in the dialects hosts already speak: Canvas's lti.frameResize and, when the
//   frame's URL carries #?secret=…, WordPress's {secret, message: "height", value}.

import { LANGUAGES, languageFor } from "../text/language.js";

const SOURCE = "backprop-viz";
const MAX_SPEED = 10000;

const isObject = (x) => x !== null && typeof x === "object" && !Array.isArray(x);
const isId = (x) => x === undefined || (typeof x === "string" && x.length <= 200) || Number.isFinite(x);

/** Each command: check(message) → null when well-formed, else why not; run(app, message) → result. */
export const COMMANDS = {
  load: {
    check: (m) => {
      if ("exercise" in m) {
        if ("request" in m || "preset" in m) return "load takes one of request, preset or exercise";
        if (typeof m.exercise !== "string" || !/^[a-z0-9-]{1,100}$/.test(m.exercise)) return "exercise must be an exercise's id";
        return m.seed === undefined || (Number.isSafeInteger(m.seed) && m.seed >= 0) ? null : "seed must be a whole number from 0";
      }
      const hasRequest = "request" in m;
      const hasPreset = "preset" in m;
      if (hasRequest === hasPreset) return "load takes either request or preset";
      if (hasPreset) return typeof m.preset === "string" && m.preset.length <= 100 ? null : "preset must be a name";
      return isObject(m.request) && isObject(m.request.network) ? null : "request must be a trace request object";
    },
    run: (app, m) => {
      if ("exercise" in m) {
        if (!app.loadExercise) throw new Error("this page has no exercise: frame /embed?exercise=<id>");
        return app.loadExercise(m.exercise, m.seed ?? null);
      }
      return "preset" in m ? app.loadPreset(m.preset) : app.load(m.request);
    },
  },
  play: { check: () => null, run: (app) => void app.play() },
  pause: { check: () => null, run: (app) => app.pause() },
  reset: { check: () => null, run: (app) => app.reset() },
  step: {
    check: () => null,
    run: async (app) => {
      await app.step();
      const p = app.player;
      return p.finished ? p.events.at(-1) : null;
    },
  },
  setSpeed: {
    check: (m) =>
      typeof m.speed === "number" && Number.isFinite(m.speed) && m.speed > 0 && m.speed <= MAX_SPEED
        ? null
        : `speed must be a number in (0, ${MAX_SPEED}]`,
    run: (app, m) => app.setSpeed(m.speed),
  },
  setLanguage: {
    check: (m) => (languageFor(m.lang) ? null : `lang must be one of ${LANGUAGES.join(", ")}`),
    run: (app, m) => void app.setLanguage(m.lang),
  },
  // The predict mode (docs/page.md): on, the player stops before a value and asks for it.
  setPredict: {
    check: (m) => (typeof m.on === "boolean" ? null : "on must be true or false"),
    run: (app, m) => app.setPredict(m.on),
  },
  getState: { check: () => null, run: (app) => app.store.snapshot() },
  // The tour (/embed?view=tour): show a chapter by its id; answers the tour's state once the
  // chapter is ready to play.
  chapter: {
    check: (m) => (typeof m.chapter === "string" && /^[a-z][a-z-]{0,59}$/.test(m.chapter) ? null : "chapter must be a chapter's id"),
    run: async (app, m) => {
      if (!app.tour) throw new Error("this page has no tour: frame /embed?view=tour");
      if (!app.tour.state().ids.includes(m.chapter)) throw new Error(`no chapter ${m.chapter}; the chapters are ${app.tour.state().ids.join(", ")}`);
      await app.tour.go(m.chapter);
      return app.tour.state();
    },
  },
  // Training (docs/training.md): a page that has the training view (view=training on /embed).
  train: {
    check: (m) =>
      isObject(m.body) && isObject(m.body.network) && isObject(m.body.dataset)
        ? null
        : "train takes body: a /train/stream body with network and dataset",
    run: (app, m) => trainingOf(app).trainWith(m.body),
  },
  getTraining: { check: () => null, run: (app) => trainingOf(app).status() },
};

function trainingOf(app) {
  if (!app.training) throw new Error("this page has no training view: frame /embed?view=training");
  return app.training;
}

/** Why a message is not a command we run (null: it is one). */
export function checkCommand(data) {
  if (!isObject(data)) return "not an object";
  if (typeof data.type !== "string" || !Object.hasOwn(COMMANDS, data.type)) return `unknown type ${JSON.stringify(String(data.type)).slice(0, 60)}`;
  if (!isId(data.id)) return "id must be a string or a number";
  return COMMANDS[data.type].check(data);
}

/** The WordPress secret in `#?secret=…` (letters and digits only, as WordPress makes them). */
export function wordpressSecret(hash) {
  const m = /[#?&]secret=([A-Za-z0-9]{1,64})(?:&|$)/.exec(hash || "");
  return m ? m[1] : null;
}

/** @param {object} app  what createApp returned */
export function installHostApi(app, { win = window } = {}) {
  const parent = win.parent;
  if (!parent || parent === win) return () => {};
  const allowed = (win.document.body.dataset.hostOrigins || "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const targets = allowed.length ? allowed : ["*"];
  const secret = wordpressSecret(win.location.hash);
  let hostDriving = 0; // > 0 while a host's command runs: its changes are not the user's
  let lastHeight = 0;

  const post = (message) => {
    for (const origin of targets) parent.postMessage({ source: SOURCE, ...message }, origin);
  };

  function postHeight(force = false) {
    const height = preferredHeight(app, win);
    if (!force && height === lastHeight) return;
    lastHeight = height;
    post({ type: "resize", height });
    parent.postMessage({ subject: "lti.frameResize", height }, targets[0]);
    if (secret) parent.postMessage({ secret, message: "height", value: height }, "*");
  }

  async function onMessage(ev) {
    if (ev.source !== parent) return; // only the page that frames us
    const data = ev.data;
    if (isObject(data) && data.message === "ready" && secret && data.secret === secret) return postHeight(true);
    if (isObject(data) && data.source === SOURCE) return; // our own kind (a host echoing): not a command
    if (allowed.length && !allowed.includes(ev.origin)) return console.warn(`backprop-viz: message from ${ev.origin} ignored (not an allowed host)`);
    const why = checkCommand(data);
    const replyTo = ev.origin === "null" ? "*" : ev.origin;
    const reply = (body) => isObject(data) && data.id !== undefined && isId(data.id) && ev.source.postMessage({ source: SOURCE, type: "response", id: data.id, ...body }, replyTo);
    if (why) {
      console.warn(`backprop-viz: message ignored: ${why}`);
      reply({ error: why });
      return;
    }
    hostDriving += 1;
    try {
      await app.ready;
      const result = await COMMANDS[data.type].run(app, data);
      reply({ result: result === undefined ? null : result });
    } catch (err) {
      reply({ error: err.message });
      post({ type: "error", message: err.message });
    } finally {
      hostDriving -= 1;
    }
  }

  win.addEventListener("message", onMessage);
  app.store.subscribe((state, _changed, cause) => {
    if (state.request) {
      // title: the frame's title in its language (embed.js titles its iframe with it).
      const title = app.frameTitle ? app.frameTitle() : undefined;
      post({ type: "state", state: structuredClone(state.request), isUserInitiated: !!cause.user && hostDriving === 0, title });
    }
    requestAnimationFrame(() => postHeight());
  }, ["request"]);
  app.player.onEvent((event) => post({ type: "event", event }));
  app.on("error", ({ message }) => post({ type: "error", message }));
  app.on("answer", ({ question, correct }) => post({ type: "answer", question, correct }));
  app.on("score", ({ exercise, seed, score, max }) => post({ type: "score", exercise, seed, score, max }));
  app.on("prediction", ({ target, guess, value, right }) => post({ type: "prediction", target, guess, value, right }));
  app.store.subscribe((state) => state.tour && post({ type: "chapter", chapter: state.tour.chapter, index: state.tour.index }), ["tour"]);
  new ResizeObserver(() => postHeight()).observe(win.document.documentElement);
  app.ready.then(
    () => {
      post({ type: "ready", version: win.document.body.dataset.version || "", title: app.frameTitle ? app.frameTitle() : undefined });
      postHeight(true);
    },
    () => {},
  );
  return () => win.removeEventListener("message", onMessage);
}

/**
 * The height the page would like (px): its fixed rows as they are now, plus a drawing as
 * tall as the frame's width and the widest layer call for. It does not depend on the
 * frame's current height, so a host that follows it settles at once.
 */
export function preferredHeight(app, win = window) {
  const root = win.document.querySelector(".app");
  const canvas = root && root.querySelector('[data-bind="canvas"]');
  if (!root || !canvas) return 0;
  const rows = root.getBoundingClientRect().height - canvas.getBoundingClientRect().height;
  const width = root.getBoundingClientRect().width;
  const request = app.store.request;
  const widest = request ? Math.max(...request.network.layers) : 2;
  const drawing = Math.min(640, Math.max(220, width * 0.42, widest * 36 + 60));
  return Math.ceil(rows + drawing);
}
