// static/js/host.js in node: which postMessage commands are run and which are refused (and
// why), the WordPress secret, and installHostApi on a fake window made of EventTargets.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { COMMANDS, checkCommand, installHostApi, wordpressSecret } from "../../static/js/page/host.js";
import { Store } from "../../static/js/page/store.js";

const request = JSON.parse(readFileSync(new URL("./fixtures/worked-example-request.json", import.meta.url), "utf8"));

const show = (x) => {
  try {
    return JSON.stringify(x, (_, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) ?? String(x);
  } catch {
    return String(x);
  }
};

function assertAccepted(message) {
  assert.equal(checkCommand(message), null, show(message));
}

function assertRefused(message, pattern) {
  const why = checkCommand(message);
  assert.equal(typeof why, "string", `${show(message)} is refused`);
  assert.ok(why.length > 0, `${show(message)}: a reason`);
  if (pattern) assert.match(why, pattern, `${show(message)}: ${why}`);
}

// ---- checkCommand -------------------------------------------------------------------------

test("COMMANDS has the documented commands", () => {
  assert.deepEqual(Object.keys(COMMANDS).sort(), [
    "chapter", "getState", "getTraining", "load", "pause", "play", "reset", "setLanguage", "setPredict", "setSpeed", "step", "train",
  ]);
});

test("checkCommand accepts every well-formed command, with or without an id", () => {
  const commands = [
    { type: "load", request },
    { type: "load", request: { network: { layers: [2, 2] } } },
    { type: "load", preset: "worked-example-2-2-2" },
    { type: "load", preset: "x".repeat(100) },
    { type: "play" },
    { type: "pause" },
    { type: "step" },
    { type: "reset" },
    { type: "setSpeed", speed: 2 },
    { type: "setSpeed", speed: 0.25 },
    { type: "setSpeed", speed: 1e-3 },
    { type: "setSpeed", speed: 10000 },
    { type: "getState" },
    { type: "setLanguage", lang: "zh-TW" },
    { type: "setLanguage", lang: "en" },
    { type: "setLanguage", lang: "zh-Hant" },
    { type: "train", body: { network: { layers: [2, 2, 1] }, dataset: { name: "xor" } } },
    { type: "getTraining" },
    { type: "setPredict", on: true },
    { type: "setPredict", on: false },
    { type: "chapter", chapter: "backward" },
    { type: "chapter", chapter: "gradient-descent" },
  ];
  for (const command of commands) {
    for (const id of [undefined, "abc", "", "x".repeat(200), 0, 7, -3, 1.5, 2 ** 53]) {
      assertAccepted(id === undefined ? command : { ...command, id });
    }
  }
});

test("checkCommand refuses non-objects, arrays and unknown types", () => {
  for (const data of [null, undefined, 42, "play", true, [], [{ type: "play" }], () => {}]) assertRefused(data, /object/);
  for (const data of [
    {},
    { type: "PLAY" },
    { type: "Play" },
    { type: "stop" },
    { type: "" },
    { type: 5 },
    { type: null },
    { type: ["play"] },
    { type: "constructor" },
    { type: "toString" },
    { type: "hasOwnProperty" },
    { type: "__proto__" },
    { command: "play" },
  ]) {
    assertRefused(data, /unknown type/);
  }
  assert.ok(checkCommand({ type: "x".repeat(10000) }).length < 200, "a long type is cut in the reason");
});

test("checkCommand refuses a chapter that is no chapter's id", () => {
  for (const bad of [undefined, null, 3, "", "Backward", "#backward", "a b", "x".repeat(61), ["backward"], {}]) {
    assertRefused({ type: "chapter", chapter: bad }, /chapter/);
  }
});

test("checkCommand refuses malformed load commands", () => {
  assertRefused({ type: "load" }, /request or preset/);
  assertRefused({ type: "load", request, preset: "worked-example-2-2-2" }, /request or preset/);
  assertRefused({ type: "load", request: undefined, preset: undefined }, /request or preset/);
  for (const bad of [42, "{}", null, [], [request], {}, { network: null }, { network: [] }, { network: "x" }, true]) {
    assertRefused({ type: "load", request: bad }, /request/);
  }
  for (const bad of [42, null, {}, ["a"], "x".repeat(101), true]) assertRefused({ type: "load", preset: bad }, /preset/);
});

test("checkCommand refuses a bad speed", () => {
  for (const speed of [0, -0, -1, NaN, Infinity, -Infinity, "2", null, undefined, 1e9, 10000.5, [2], { speed: 2 }, true]) {
    assertRefused({ type: "setSpeed", speed }, /speed/);
  }
  assertRefused({ type: "setSpeed" }, /speed/);
});

test("checkCommand refuses a language the page has no table for", () => {
  for (const lang of ["fr", "", null, undefined, 42, ["zh-TW"], { lang: "en" }, "english"]) {
    assertRefused({ type: "setLanguage", lang }, /lang/);
  }
});

test("checkCommand refuses a setPredict whose on is not a boolean", () => {
  for (const on of [undefined, null, 1, 0, "true", "on", [true], { on: true }]) {
    assertRefused({ type: "setPredict", on }, /on/);
  }
});

test("checkCommand refuses an id that is neither a string nor a finite number", () => {
  for (const id of [{}, [], [1], null, true, NaN, Infinity, -Infinity, "x".repeat(201), { id: 1 }]) {
    assertRefused({ type: "play", id }, /id/);
    assertRefused({ type: "setSpeed", speed: 2, id }, /id/);
  }
});

// ---- wordpressSecret ----------------------------------------------------------------------

test("wordpressSecret reads letters and digits after secret=, and nothing else", () => {
  const cases = [
    ["#?secret=abc123", "abc123"],
    ["#?secret=ABCxyz789", "ABCxyz789"],
    ["#?secret=abc123&other=1", "abc123"],
    ["#?other=1&secret=Zz9", "Zz9"],
    ["#secret=abc", "abc"],
    ["#?secret=" + "a".repeat(64), "a".repeat(64)],
    ["#?xsecret=evil&secret=good", "good"],
    ["#?secret=abc-123", null],
    ["#?secret=abc_123", null],
    ["#?secret=abc%20", null],
    ["#?secret=<script>", null],
    ["#?secret=abc def", null],
    ["#?secret=abc/", null],
    ["#?secret=", null],
    ["#?secret=" + "a".repeat(65), null],
    ["#?notsecret=abc123", null],
    ["#?Secret=abc123", null],
    ["", null],
    ["#", null],
    [null, null],
    [undefined, null],
  ];
  for (const [hash, expected] of cases) assert.equal(wordpressSecret(hash), expected, show(hash));
});

// ---- installHostApi on a fake window --------------------------------------------------------

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** A window in a frame, a parent that records what it is sent, and a fake app. */
function harness({ hostOrigins = "", hash = "", ready = Promise.resolve() } = {}) {
  globalThis.requestAnimationFrame ??= (fn) => setTimeout(fn, 0);
  globalThis.ResizeObserver ??= class {
    observe() {}
  };
  const sent = []; // [message, targetOrigin] posted to the parent
  const parent = { postMessage: (message, origin) => sent.push([message, origin]) };
  const win = new EventTarget();
  Object.assign(win, {
    parent,
    location: { hash },
    document: {
      body: { dataset: { hostOrigins, version: "9.9.9" } },
      documentElement: {},
      querySelector: () => null,
    },
  });
  const store = new Store();
  const ran = [];
  const app = {
    store,
    ready,
    player: { onEvent: () => {}, finished: false, events: [] },
    on: () => {},
    load: async (req) => {
      ran.push(["load", req]);
      store.set({ request: req }, { user: true }); // as the app does: through the store
      return "loaded";
    },
    loadPreset: async (name) => void ran.push(["loadPreset", name]),
    play: () => void ran.push(["play"]),
    pause: () => void ran.push(["pause"]),
    reset: () => void ran.push(["reset"]),
    step: async () => void ran.push(["step"]),
    setSpeed: (s) => void ran.push(["setSpeed", s]),
  };
  ready.catch(() => {});
  const warnings = [];
  const uninstall = installHostApi(app, { win });
  /** A message event from `source` (the parent unless said) and `origin`. */
  const send = async (data, { source = parent, origin = "https://host.example" } = {}) => {
    const ev = new Event("message");
    Object.assign(ev, { data, source, origin });
    const warn = console.warn;
    console.warn = (...args) => warnings.push(args.join(" "));
    try {
      win.dispatchEvent(ev);
      await tick(5);
    } finally {
      console.warn = warn;
    }
  };
  const responses = () => sent.filter(([m]) => m && m.type === "response").map(([m, origin]) => ({ ...m, origin }));
  const states = () => sent.filter(([m]) => m && m.type === "state").map(([m]) => m);
  return { win, parent, app, store, ran, sent, send, responses, states, warnings, uninstall };
}

test("installHostApi: a command from the parent runs and is answered with its id", async () => {
  const h = harness();
  await tick(5);
  assert.ok(
    h.sent.some(([m]) => m.type === "ready" && m.source === "backprop-viz" && m.version === "9.9.9"),
    "ready is announced",
  );
  h.store.set({ request });
  await h.send({ type: "getState", id: 1 });
  const [answer] = h.responses();
  assert.equal(answer.id, 1);
  assert.equal(answer.source, "backprop-viz");
  assert.deepEqual(answer.result, request);
  assert.notEqual(answer.result, request, "a copy of the state");
  assert.equal(answer.origin, "https://host.example", "answered to the sender's origin");

  await h.send({ type: "setSpeed", speed: 4, id: "s" });
  await h.send({ type: "play" });
  assert.deepEqual(h.ran, [["setSpeed", 4], ["play"]]);
  assert.deepEqual(h.responses().at(-1), { source: "backprop-viz", type: "response", id: "s", result: null, origin: "https://host.example" });
  assert.equal(h.responses().length, 2, "no answer without an id");
});

test("installHostApi: malformed commands are answered with the reason and not run", async () => {
  const h = harness();
  await h.send({ type: "setSpeed", speed: "2", id: 5 });
  await h.send({ type: "explode", id: 6 });
  await h.send({ type: "load", id: 7 });
  assert.deepEqual(h.ran, []);
  const answers = h.responses();
  assert.deepEqual(
    answers.map((a) => a.id),
    [5, 6, 7],
  );
  for (const a of answers) {
    assert.equal(typeof a.error, "string");
    assert.equal("result" in a, false);
  }
  assert.equal(answers[0].error, checkCommand({ type: "setSpeed", speed: "2" }));
  assert.equal(h.warnings.length, 3);
});

test("installHostApi: messages from other windows or disallowed origins are ignored", async () => {
  const h = harness({ hostOrigins: "https://course.example, https://lms.example" });
  await h.send({ type: "play", id: 1 }, { source: {} });
  await h.send({ type: "play", id: 2 }, { origin: "https://evil.example" });
  assert.deepEqual(h.ran, []);
  assert.deepEqual(h.responses(), []);
  await h.send({ type: "play", id: 3 }, { origin: "https://lms.example" });
  assert.deepEqual(h.ran, [["play"]]);
  assert.deepEqual(
    h.responses().map((a) => [a.id, a.origin]),
    [[3, "https://lms.example"]],
  );
  // Posts to the parent go only to the allowed origins.
  const origins = new Set(h.sent.filter(([m]) => m.source === "backprop-viz" && m.type !== "response").map(([, o]) => o));
  assert.deepEqual([...origins].sort(), ["https://course.example", "https://lms.example"]);
});

test("installHostApi: a host's load is not user-initiated, the user's own edit is", async () => {
  const h = harness();
  await tick(5);
  await h.send({ type: "load", request, id: 1 });
  assert.deepEqual(h.ran, [["load", request]]);
  assert.deepEqual(h.responses().at(-1).result, "loaded");
  assert.equal(h.states().at(-1).isUserInitiated, false, "the host's own load");

  h.store.set({ request: structuredClone(request) }, { user: true });
  assert.equal(h.states().at(-1).isUserInitiated, true, "an edit by the user");
  h.store.set({ request: structuredClone(request) });
  assert.equal(h.states().at(-1).isUserInitiated, false, "a change with no user cause");
});

test("installHostApi: after a command fails on a page that did not get ready, the user's edits still count as the user's", async () => {
  const notReady = Promise.reject(new Error("capabilities did not load"));
  const h = harness({ ready: notReady });
  await tick(5);
  await h.send({ type: "play", id: 1 });
  assert.deepEqual(h.responses().at(-1).error, "capabilities did not load");
  assert.deepEqual(h.ran, [], "nothing ran");
  h.store.set({ request }, { user: true });
  assert.equal(
    h.states().at(-1).isUserInitiated,
    true,
    "a user edit after a failed host command (host.js: hostDriving is decremented in finally although it was never incremented)",
  );
});

test("installHostApi: the WordPress handshake answers with the height", async () => {
  const h = harness({ hash: "#?secret=abc123" });
  await tick(5);
  h.sent.length = 0;
  const heights = () => h.sent.filter(([m, origin]) => m.secret === "abc123" && m.message === "height" && typeof m.value === "number" && origin === "*");
  await h.send({ message: "ready", secret: "wrong" });
  assert.equal(heights().length, 0, "a wrong secret gets no answer");
  await h.send({ message: "ready", secret: "abc123" });
  assert.equal(heights().length, 1);
  await h.send({ message: "ready", secret: "abc123" }, { source: {} });
  assert.equal(heights().length, 1, "only the parent is answered");
});

test("installHostApi: the returned function stops listening", async () => {
  const h = harness();
  h.uninstall();
  await h.send({ type: "play", id: 1 });
  assert.deepEqual(h.ran, []);
  assert.deepEqual(h.responses(), []);
});

test("checkCommand refuses a train command without a body of network and dataset", () => {
  for (const m of [
    { type: "train" },
    { type: "train", body: null },
    { type: "train", body: [] },
    { type: "train", body: { network: {} } },
    { type: "train", body: { dataset: {} } },
    { type: "train", body: { network: [], dataset: {} } },
  ]) assertRefused(m, /body/);
});
