// static/js/store.js in node: which listeners a change reaches, in what order and with
// what arguments; merge, unsubscribe, the deep-copy snapshot, and re-entrant changes.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { EMPTY_PLAYBACK, Store, withOneEta } from "../../static/js/page/store.js";

const request = JSON.parse(readFileSync(new URL("./fixtures/worked-example-request.json", import.meta.url), "utf8"));

/** A store with listeners that record every call: {name, state, changed, cause}. */
function recorded(specs) {
  const store = new Store();
  const calls = [];
  const off = {};
  for (const [name, slices] of specs) {
    off[name] = store.subscribe((state, changed, cause) => calls.push({ name, state, changed: [...changed], cause }), slices);
  }
  return { store, calls, off };
}

test("a change reaches only the listeners of its slices, in subscription order", () => {
  const { store, calls } = recorded([
    ["req", ["request"]],
    ["sel", ["selection"]],
    ["all", null],
    ["req2", ["request", "view"]],
    ["play", ["playback"]],
  ]);
  const cause = { user: true };
  store.set({ request }, cause);
  assert.deepEqual(
    calls.map((c) => c.name),
    ["req", "all", "req2"],
  );
  for (const c of calls) {
    assert.deepEqual(c.changed, ["request"]);
    assert.equal(c.cause, cause, "the cause object is handed on as it is");
    assert.equal(c.state.request, request);
  }

  calls.length = 0;
  const pick = { kind: "loss" };
  store.set({ selection: pick, view: { panel: "equations" } });
  assert.deepEqual(
    calls.map((c) => c.name),
    ["sel", "all", "req2"],
  );
  for (const c of calls) {
    assert.deepEqual([...c.changed].sort(), ["selection", "view"]);
    assert.deepEqual(c.cause, {}, "no cause given: an empty one");
    assert.equal(c.state.selection, pick);
    assert.equal(c.state.view.panel, "equations");
  }
});

test("subscription order holds across many listeners on the same slice", () => {
  const store = new Store();
  const order = [];
  for (let k = 0; k < 12; k++) store.subscribe(() => order.push(k), k % 2 ? ["request"] : null);
  store.set({ request });
  assert.deepEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test("setting a slice to the object it already holds calls nobody", () => {
  const { store, calls } = recorded([
    ["req", ["request"]],
    ["sel", ["selection"]],
    ["all", null],
  ]);
  store.set({ request });
  calls.length = 0;
  const before = store.state;
  store.set({ request });
  assert.equal(calls.length, 0);
  assert.equal(store.state, before, "no new state object either");

  // Same object for one slice, a new one for another: only the other counts as changed.
  const pick = { kind: "loss" };
  store.set({ request, selection: pick });
  assert.deepEqual(
    calls.map((c) => [c.name, c.changed]),
    [
      ["sel", ["selection"]],
      ["all", ["selection"]],
    ],
  );

  // An equal but different object is a change (slices are compared by identity).
  calls.length = 0;
  store.set({ request: structuredClone(request) });
  assert.deepEqual(
    calls.map((c) => c.name),
    ["req", "all"],
  );
  store.set({});
  assert.equal(calls.length, 2, "an empty patch changes nothing");
});

test("merge replaces an object slice by {...old, ...partial} and notifies its listeners", () => {
  const { store, calls } = recorded([
    ["view", ["view"]],
    ["playback", ["playback"]],
  ]);
  const oldView = store.state.view;
  store.merge("view", { panel: "gradcheck", extra: 3 }, { user: true });
  assert.deepEqual(store.state.view, { panel: "gradcheck", extra: 3 });
  assert.notEqual(store.state.view, oldView, "a new object");
  assert.deepEqual(oldView, { panel: null }, "the old slice is not mutated");
  assert.deepEqual(
    calls.map((c) => [c.name, c.changed, c.cause]),
    [["view", ["view"], { user: true }]],
  );

  store.merge("view", { panel: null });
  assert.deepEqual(store.state.view, { panel: null, extra: 3 }, "keys not named are kept");

  calls.length = 0;
  store.merge("playback", { cursor: 5, playing: true });
  assert.equal(store.state.playback.cursor, 5);
  assert.equal(store.state.playback.playing, true);
  assert.equal(store.state.playback.speed, 1, "the rest of the playback slice is kept");
  assert.equal(EMPTY_PLAYBACK.cursor, 0, "the frozen initial playback is untouched");
  assert.equal(EMPTY_PLAYBACK.playing, false);
  assert.deepEqual(
    calls.map((c) => c.name),
    ["playback"],
  );
});

test("unsubscribe stops one listener and leaves the others", () => {
  const { store, calls, off } = recorded([
    ["a", ["request"]],
    ["b", ["request"]],
    ["c", null],
  ]);
  off.b();
  store.set({ request });
  assert.deepEqual(
    calls.map((c) => c.name),
    ["a", "c"],
  );
  off.b(); // twice: harmless
  off.a();
  calls.length = 0;
  store.set({ request: structuredClone(request) });
  assert.deepEqual(
    calls.map((c) => c.name),
    ["c"],
  );
  off.c();
  calls.length = 0;
  store.set({ selection: { kind: "loss" } });
  assert.equal(calls.length, 0);
});

test("the same function subscribed twice is two listeners; each unsubscribe removes its own", () => {
  const store = new Store();
  let n = 0;
  const fn = () => (n += 1);
  const off1 = store.subscribe(fn, ["request"]);
  store.subscribe(fn, ["request"]);
  store.set({ request });
  assert.equal(n, 2);
  off1();
  store.set({ request: structuredClone(request) });
  assert.equal(n, 3);
});

test("snapshot is a deep copy of the request: mutating it leaves the store alone", () => {
  const store = new Store();
  assert.equal(store.snapshot(), null, "no request yet");
  store.set({ request });
  const pristine = structuredClone(request);
  const snap = store.snapshot();
  assert.deepEqual(snap, pristine);
  assert.notEqual(snap, store.request);
  assert.notEqual(snap.network, store.request.network);
  snap.network.weights[0][0][0] = 99;
  snap.network.biases[1][1] = -7;
  snap.network.layers.push(5);
  snap.input[0] = 123;
  snap.learning_rate = 1e9;
  delete snap.target;
  assert.deepEqual(store.request, pristine);
  assert.deepEqual(store.snapshot(), pristine, "a second snapshot is fresh");
});

test("a listener that sets another slice during notification: every listener ends on the final state", () => {
  const store = new Store();
  const pick = { kind: "bias", layer: 1, node: 0 };
  const last = new Map(); // listener name → the state its last call received
  const seen = [];
  // "a" reacts to a new request by resetting the selection (like the page does).
  store.subscribe(
    (state) => {
      last.set("a", state);
      seen.push(["a", state.request === request, state.selection]);
      if (state.request === request && state.selection !== pick) store.set({ selection: pick });
    },
    ["request"],
  );
  // "b" draws both slices; it subscribed after "a".
  store.subscribe(
    (state, changed) => {
      last.set("b", state);
      seen.push(["b", [...changed], state.selection]);
    },
    ["request", "selection"],
  );
  // "c" draws everything.
  store.subscribe((state) => last.set("c", state), null);

  store.set({ request });

  assert.equal(store.state.request, request);
  assert.equal(store.state.selection, pick);
  // Each listener's last call must show the final value of every slice it listens to.
  const slicesOf = { a: ["request"], b: ["request", "selection"], c: ["request", "selection"] };
  for (const [name, slices] of Object.entries(slicesOf)) {
    const state = last.get(name);
    assert.ok(state, `${name} was called`);
    for (const slice of slices) {
      assert.equal(
        state[slice],
        store.state[slice],
        `${name}'s last call shows the final ${slice} (got ${JSON.stringify(state[slice])}; calls: ${JSON.stringify(seen)})`,
      );
    }
  }
});

test("one η: the request's and the training's learning_rate change together", () => {
  const store = new Store();
  const seen = [];
  store.subscribe((s) => seen.push([s.request?.learning_rate, s.training?.settings.learning_rate]));
  store.set({ training: { settings: { learning_rate: null } } });
  store.set({ request: { ...request, learning_rate: 0.5 } });
  assert.equal(store.state.training.settings.learning_rate, 0.5, "the training view opens with the step's η");
  store.set({ request: { ...store.state.request, learning_rate: 0.2 } });
  assert.equal(store.state.training.settings.learning_rate, 0.2, "a step edit is the training's η");
  store.set({ training: { settings: { learning_rate: 0.01 } } });
  assert.equal(store.state.request.learning_rate, 0.01, "a training η of its own (a saved file) is the step's");
  assert.deepEqual(seen.slice(1), [[0.5, 0.5], [0.2, 0.2], [0.01, 0.01]], "no listener sees them differ");
  const same = { request: { learning_rate: 1 }, training: { settings: { learning_rate: 1 } } };
  const patch = { request: same.request };
  assert.equal(withOneEta(same, patch), patch, "equal: the patch as it is");
});
