// The matrix view's items (matrix.js) and their geometry: a neuron's cell in its layer's
// strip {kind: "neuron", layer, node}, a weight's cell in its gap's heatmap {kind: "weight",
// gap, row: j, col: i} (w^{gap+1}_{ji}, weights[gap][j][i]), a target {kind: "target", node}
// and the loss {kind: "loss"}: where each is (cellBox), which is under a point (itemAt), the
// pick it stands for (picks.js) and where an arrow key goes from it (moveItem). Pure: node
// tests them (tests/js/matrix-layout.test.mjs).

import { neuronPick } from "./picks.js";

/** Whether a neuron's or a weight's cell is in a network of these layers. */
export function validCell(layers, item) {
  if (item.kind === "neuron") return item.layer < layers.length && item.node < layers[item.layer];
  return item.gap < layers.length - 1 && item.row < layers[item.gap + 1] && item.col < layers[item.gap];
}

/** The box of a neuron's or a weight's cell, in drawing coordinates. */
export function cellBox(layout, item) {
  if (item.kind === "neuron") {
    const s = layout.strips[item.layer];
    return { x: s.x, y: s.y0 + item.node * s.ch, w: s.w, h: s.ch };
  }
  const m = layout.mats[item.gap];
  return { x: m.x + item.col * m.cw, y: m.y0 + item.row * m.ch, w: m.cw, h: m.ch };
}

/** The item under a point of the drawing, or null. */
export function itemAt(layout, x, y) {
  const lay = layout;
  if (!lay) return null;
  for (const s of lay.strips) {
    if (x >= s.x - 2 && x < s.x + s.w + 2 && y >= s.y0 && y < s.y0 + s.h) {
      return { kind: "neuron", layer: s.layer, node: Math.min(s.n - 1, Math.floor((y - s.y0) / s.ch)) };
    }
  }
  for (const m of lay.mats) {
    if (x >= m.x && x < m.x + m.w && y >= m.y0 && y < m.y0 + m.h) {
      return {
        kind: "weight",
        gap: m.gap,
        row: Math.min(m.rows - 1, Math.floor((y - m.y0) / m.ch)),
        col: Math.min(m.cols - 1, Math.floor((x - m.x) / m.cw)),
      };
    }
  }
  const t = lay.targets;
  if (x >= t.x && x < t.x + t.w && y >= t.y0 && y < t.y0 + t.h) {
    return { kind: "target", node: Math.min(lay.output.length - 1, Math.floor((y - t.y0) / t.ch)) };
  }
  const b = lay.lossBox;
  if (x >= b.x && x < b.x + b.w && Math.abs(y - b.y) < b.h / 2) return { kind: "loss" };
  return null;
}

/** The pick an item stands for (picks.js: a weight's layer is the one it feeds). */
export function pickOfItem(layout, item) {
  if (item.kind === "neuron") return neuronPick(item.layer, item.node);
  if (item.kind === "weight") return { kind: "weight", layer: item.gap + 1, from: item.col, to: item.row };
  if (item.kind === "target") return { kind: "target", layer: layout.neurons.length - 1, node: item.node };
  return { kind: "loss" };
}

/** One arrow-key move: up/down along a strip or a matrix's column, left/right across. */
export function moveItem(item, key, layers) {
  const L = layers.length - 1;
  const clamp = (v, n) => Math.max(0, Math.min(n - 1, v));
  if (item.kind !== "neuron" && item.kind !== "weight") return { kind: "neuron", layer: 0, node: 0 };
  if (item.kind === "neuron") {
    const { layer, node } = item;
    if (key === "ArrowUp") return { ...item, node: clamp(node - 1, layers[layer]) };
    if (key === "ArrowDown") return { ...item, node: clamp(node + 1, layers[layer]) };
    // Right of a strip: its neurons are the next matrix's columns; left: the rows of the
    // matrix before it.
    if (key === "ArrowRight" && layer < L) return { kind: "weight", gap: layer, row: 0, col: node };
    if (key === "ArrowLeft" && layer > 0) return { kind: "weight", gap: layer - 1, row: node, col: layers[layer - 1] - 1 };
    return item;
  }
  const { gap, row, col } = item;
  if (key === "ArrowUp") return { ...item, row: clamp(row - 1, layers[gap + 1]) };
  if (key === "ArrowDown") return { ...item, row: clamp(row + 1, layers[gap + 1]) };
  if (key === "ArrowLeft") return col > 0 ? { ...item, col: col - 1 } : { kind: "neuron", layer: gap, node: row < layers[gap] ? row : 0 };
  if (key === "ArrowRight") return col < layers[gap] - 1 ? { ...item, col: col + 1 } : { kind: "neuron", layer: gap + 1, node: row };
  return item;
}

/** Whether two items are the same cell (null only equals null). */
export function sameItem(a, b) {
  if (!a || !b) return a === b;
  return a.kind === b.kind && a.layer === b.layer && a.node === b.node && a.gap === b.gap && a.row === b.row && a.col === b.col;
}
