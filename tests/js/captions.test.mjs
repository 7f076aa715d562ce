// Case 1's caption for binary cross-entropy on a sigmoid writes the server's closed form
// (a − t)/K, not σ'(z) × ∂l/∂a: where σ saturates that product reads 0 × 4.494e307 = 1.
import assert from "node:assert/strict";
import { test } from "node:test";

import { captionFor } from "../../static/js/player/captions.js";

const request = (loss) => ({
  network: { layers: [1, 1], activations: ["sigmoid"], loss, weights: [[[1e6]]], biases: [[0]] },
  input: [1e6],
  target: [0],
  learning_rate: 1000,
});
const view = {
  neurons: [[{ a: 1e6 }], [{ z: 1e12, a: 1, da_dz: 0, dl_da: 4.49423283715579e307, dl_dz: 1 }]],
  last: { type: "backward", layer: 1, node: 0, da_dz: 0, dl_da: 4.49423283715579e307, dl_dz: 1 },
};

test("a saturated sigmoid under binary cross-entropy: the closed form, with its numbers", () => {
  const text = captionFor(view, request("binary_cross_entropy"));
  assert.match(text, /\(a − t\)\/K = \(1\.000 − 0\)\/1 = 1\.000/);
  assert.doesNotMatch(text, /e307|Infinity|NaN/);
});

test("any other loss: σ'(z) × ∂l/∂a with the server's three numbers", () => {
  const last = { type: "backward", layer: 1, node: 0, da_dz: 0.25, dl_da: 0.5, dl_dz: 0.125 };
  const text = captionFor({ neurons: [[{ a: 0 }], [{ a: 0.5, ...last }]], last }, request("squared_error"));
  assert.match(text, /σ'\(z\) × ∂l\/∂a = 0\.2500 × 0\.5000 = 0\.1250/);
});

// A caption too long for its lines shows captionNumbers first (captionview.js): it must hold
// every number the caption writes, for every event of a real step (the worked example's).
import { readFileSync } from "node:fs";
import { captionNumbers } from "../../static/js/player/captions.js";
import { applyEvent, initialView } from "../../static/js/player/replay.js";

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const NUMBER = /−?\d+\.\d+(?:e[-+]?\d+)?/g; // the formatted numbers (not "layer 1, neuron 2")

test("the numbers first: every number of every caption of a step, in its numbers line", () => {
  const worked = fixture("worked-example-request.json");
  const events = fixture("worked-example-events.json");
  for (const frozen of [false, true]) {
    const req = { ...worked, freeze_biases: frozen };
    const state = initialView(req);
    for (const event of events) {
      applyEvent(state, event);
      const text = captionFor(state, req);
      const numbers = captionNumbers(state, req);
      const missing = (text.match(NUMBER) || []).filter((n) => !numbers.includes(n));
      assert.deepEqual(missing, [], `${event.type} ${event.layer}:${event.node}: "${numbers}" misses ${missing} of "${text}"`);
    }
  }
  assert.equal(captionNumbers(null, worked), ""); // the hint has none
});
