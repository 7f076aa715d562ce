// static/js/drawing/cells.js in node: the matrix view's items on real layouts
// (layout.js computeMatrixLayout). The oracles: every cell's own centre is under that cell
// (and no other item's), the pick of a weight's cell names weights[gap][row][col], and the
// arrow keys walk strips and matrices as the lecture's picture is laid out.

import assert from "node:assert/strict";
import { test } from "node:test";

import { cellBox, itemAt, moveItem, pickOfItem, sameItem, validCell } from "../../static/js/drawing/cells.js";
import { computeMatrixLayout } from "../../static/js/drawing/layout.js";

const NETWORKS = [
  [4, 64, 64, 1],
  [2, 8, 8, 8, 8, 8, 8, 1],
  [10, 40, 3],
];

/** Every neuron's and weight's cell of a network of these layers. */
function cells(layers) {
  const out = [];
  layers.forEach((n, layer) => {
    for (let node = 0; node < n; node++) out.push({ kind: "neuron", layer, node });
  });
  for (let gap = 0; gap < layers.length - 1; gap++) {
    for (let row = 0; row < layers[gap + 1]; row++) {
      for (let col = 0; col < layers[gap]; col++) out.push({ kind: "weight", gap, row, col });
    }
  }
  return out;
}

test("itemAt finds every cell at the centre of its own box", () => {
  for (const layers of NETWORKS) {
    const layout = computeMatrixLayout(layers, 1280, 700);
    const all = cells(layers);
    assert.equal(all.length, layers.reduce((s, n) => s + n, 0) + layers.slice(1).reduce((s, n, g) => s + n * layers[g], 0));
    for (const item of all) {
      assert.ok(validCell(layers, item), JSON.stringify(item));
      const box = cellBox(layout, item);
      assert.ok(box.w > 0 && box.h > 0);
      const found = itemAt(layout, box.x + box.w / 2, box.y + box.h / 2);
      assert.ok(sameItem(found, item), `${layers}: ${JSON.stringify(item)} → ${JSON.stringify(found)}`);
    }
    assert.equal(itemAt(layout, -50, -50), null, "outside everything");
    const t = layout.targets;
    assert.deepEqual(itemAt(layout, t.x + t.w / 2, t.y0 + t.ch / 2), { kind: "target", node: 0 });
    const b = layout.lossBox;
    assert.deepEqual(itemAt(layout, b.x + b.w / 2, b.y), { kind: "loss" });
  }
});

test("validCell: a cell past the network's layers is not in it", () => {
  const layers = [3, 4, 2];
  assert.equal(validCell(layers, { kind: "neuron", layer: 3, node: 0 }), false);
  assert.equal(validCell(layers, { kind: "neuron", layer: 1, node: 4 }), false);
  assert.equal(validCell(layers, { kind: "weight", gap: 2, row: 0, col: 0 }), false);
  assert.equal(validCell(layers, { kind: "weight", gap: 1, row: 2, col: 0 }), false, "layer 2 has 2 neurons");
  assert.equal(validCell(layers, { kind: "weight", gap: 1, row: 1, col: 4 }), false, "layer 1 has 4 neurons");
  assert.equal(validCell(layers, { kind: "weight", gap: 1, row: 1, col: 3 }), true);
});

test("pickOfItem: a weight's cell is w^{gap+1}_{row col}, a neuron's its bias or input", () => {
  const layout = computeMatrixLayout([3, 4, 2], 1280, 700);
  assert.deepEqual(pickOfItem(layout, { kind: "weight", gap: 1, row: 1, col: 3 }), { kind: "weight", layer: 2, from: 3, to: 1 });
  assert.deepEqual(pickOfItem(layout, { kind: "neuron", layer: 0, node: 2 }), { kind: "input", layer: 0, node: 2 });
  assert.deepEqual(pickOfItem(layout, { kind: "neuron", layer: 2, node: 1 }), { kind: "bias", layer: 2, node: 1 });
  assert.deepEqual(pickOfItem(layout, { kind: "target", node: 1 }), { kind: "target", layer: 2, node: 1 });
  assert.deepEqual(pickOfItem(layout, { kind: "loss" }), { kind: "loss" });
});

test("moveItem: up and down along a strip or a column, across from strip to matrix and back", () => {
  const layers = [3, 4, 2];
  const n = (layer, node) => ({ kind: "neuron", layer, node });
  const w = (gap, row, col) => ({ kind: "weight", gap, row, col });
  assert.deepEqual(moveItem(n(1, 0), "ArrowUp", layers), n(1, 0), "stays at the top");
  assert.deepEqual(moveItem(n(1, 0), "ArrowDown", layers), n(1, 1));
  assert.deepEqual(moveItem(n(1, 3), "ArrowDown", layers), n(1, 3), "stays at the bottom");
  // Right of strip l: its neurons are the columns of the next matrix (weights[l][·][node]).
  assert.deepEqual(moveItem(n(0, 2), "ArrowRight", layers), w(0, 0, 2));
  // Left of strip l: the rows of the matrix before it, from its last column.
  assert.deepEqual(moveItem(n(1, 3), "ArrowLeft", layers), w(0, 3, 2));
  assert.deepEqual(moveItem(n(0, 1), "ArrowLeft", layers), n(0, 1), "nothing left of the input");
  assert.deepEqual(moveItem(n(2, 1), "ArrowRight", layers), n(2, 1), "nothing right of the output");
  assert.deepEqual(moveItem(w(0, 1, 1), "ArrowRight", layers), w(0, 1, 2));
  assert.deepEqual(moveItem(w(0, 1, 2), "ArrowRight", layers), n(1, 1), "past the last column: the row's neuron");
  assert.deepEqual(moveItem(w(0, 3, 0), "ArrowLeft", layers), n(0, 0), "row 3 has no input neuron: the first");
  assert.deepEqual(moveItem(w(0, 1, 0), "ArrowLeft", layers), n(0, 1));
  assert.deepEqual(moveItem(w(1, 1, 3), "ArrowDown", layers), w(1, 1, 3), "layer 2 has 2 rows");
  assert.deepEqual(moveItem({ kind: "target", node: 0 }, "ArrowUp", layers), n(0, 0), "from elsewhere: the first input");
  // Walking right from the first input reaches the output, every step a valid cell.
  let item = n(0, 0);
  const seen = [];
  for (let k = 0; k < 20; k++) {
    item = moveItem(item, "ArrowRight", layers);
    assert.ok(validCell(layers, item), JSON.stringify(item));
    seen.push(item);
  }
  assert.ok(seen.some((x) => x.kind === "neuron" && x.layer === 2), "reaches the output strip");
});
