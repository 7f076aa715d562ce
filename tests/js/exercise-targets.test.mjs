// exercise/targets.js: which trace event shows a question's value, where its ? stands, the
// pick it explains, and the seeds a link may carry. The events are hand-written in the
// trace stream's shape (docs/api.md), lecture numbering in the targets.

import assert from "node:assert/strict";
import test from "node:test";

import { drawSeed, markOf, pickOf, readSeed, reveals, shownValue, targetName } from "../../static/js/exercise/targets.js";

const q = (quantity, layer, neuron, from) => ({ id: "q", kind: "number", target: { quantity, layer, neuron, from } });

test("each quantity is revealed by its own event, at its layer and neuron", () => {
  const forward = { type: "forward", layer: 2, node: 0, z: 0.3, a: 0.57 };
  assert.equal(reveals(q("z", 2, 1), forward), true);
  assert.equal(shownValue(q("a", 2, 1), forward), 0.57);
  assert.equal(reveals(q("z", 2, 2), forward), false);
  assert.equal(reveals(q("z", 1, 1), forward), false);
  assert.equal(reveals(q("dl_dz", 2, 1), forward), false);
  const gradient = { type: "gradient", layer: 1, node: 1, dl_dw: [0.1, -0.2], dl_db: 0.05 };
  assert.equal(shownValue(q("dl_dw", 1, 2, 2), gradient), -0.2);
  assert.equal(shownValue(q("dl_db", 1, 2), gradient), 0.05);
  const update = { type: "update", layer: 2, node: 0, w: [0.39, 0.41], b: 0.2 };
  assert.equal(reveals(q("w_next", 2, 1, 2), update), true);
  assert.equal(shownValue(q("w_next", 2, 1, 2), update), 0.41);
  assert.equal(reveals(q("loss"), { type: "loss", loss: 0.3 }), true);
  assert.equal(shownValue(q("loss"), { type: "loss", loss: 0.3 }), 0.3);
  const choice = { id: "c", kind: "choice", target: { quantity: "dl_dz", layer: 1 } };
  assert.equal(reveals(choice, { type: "backward", layer: 1, node: 0 }), false);
  assert.equal(reveals(choice, { type: "done" }), true);
});

test("a mark stands on the drawing's item (0-based), a pick is the panel's", () => {
  assert.deepEqual(markOf(q("dl_dw", 2, 1, 2)), { kind: "link", layer: 1, from: 1, to: 0 });
  assert.deepEqual(pickOf(q("dl_dw", 2, 1, 2)), { kind: "weight", layer: 2, from: 1, to: 0 });
  assert.deepEqual(markOf(q("dl_dz", 1, 2)), { kind: "neuron", layer: 1, node: 1 });
  assert.deepEqual(pickOf(q("b_next", 1, 2)), { kind: "bias", layer: 1, node: 1 });
  assert.deepEqual(markOf(q("loss")), { kind: "loss" });
  assert.equal(markOf({ kind: "choice", target: { quantity: "z" } }), null);
});

test("names in the lecture's notation", () => {
  assert.equal(targetName({ quantity: "dl_dw", layer: 2, neuron: 1, from: 1 }), "∂l/∂w²₁₁");
  assert.equal(targetName({ quantity: "w_next", layer: 1, neuron: 2, from: 1 }), "w¹₂₁|θ¹");
  assert.equal(targetName({ quantity: "z", layer: 1, neuron: 1 }), "z¹₁");
  assert.equal(targetName({ quantity: "loss" }), "l");
});

test("seeds: a link's whole number up to the limit, else none; a drawn one within it", () => {
  assert.equal(readSeed("42", 100), 42);
  assert.equal(readSeed("0", 100), 0);
  for (const raw of ["101", "-1", "1.5", "abc", "", " 4", "1e3", null]) assert.equal(readSeed(raw, 100), null, raw);
  assert.equal(drawSeed(4294967295, (n) => n - 1), 4294967295);
  assert.equal(drawSeed(10, () => 0), 0);
});
