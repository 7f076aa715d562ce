// What can be picked on the drawing, one row per kind: how to read and write its value in
// a trace request, its label, where its editor opens, and whether a pick names something
// in a given network (values typed into the editor are checked by the API). `layer` always means the lecture's layer: 0 is the input x,
// 1…L the layers with neurons; a weight w^l_{ji} belongs to layer l, the one it feeds
// (its numbers live in request.network.weights[l − 1][j][i]).
//
//   {kind: "weight", layer, from: i, to: j}   {kind: "bias", layer, node}
//   {kind: "input", layer: 0, node}           {kind: "target", layer: L, node}
//   {kind: "loss"}
//
// What each part does with a pick is a column here, so that no part switches on its kind:
//   name      its name in the lecture's notation (the editor's messages)
//   neuron    the drawn neuron it stands on, {layer, node}, or null (the dense readout)
//   cell      the matrix view's item for it (matrix.js): a weight's cell {kind: "weight",
//             gap, row: j, col: i}, a neuron's {kind: "neuron", layer, node}, or the pick
//             itself (a target, the loss)
//   explain   the equation panel's blocks: calls the builder of its chain rule in `eq`
//             (equations.js hands its builders in: this module does not load KaTeX's code)

import { withBias, withInput, withTarget, withWeight } from "../page/state.js";
import { biasName, inputName, targetName, weightName } from "../text/notation.js";
import { S } from "../text/strings.js";

const int = (x, lo, hi) => Number.isInteger(x) && x >= lo && x <= hi;
const last = (layers) => layers.length - 1;

export const PICKS = {
  weight: {
    editable: true,
    how: "network", // what the API must re-validate: the network spec
    get: (req, p) => req.network.weights[p.layer - 1][p.to][p.from],
    set: (req, p, value) => withWeight(req, p.layer - 1, p.to, p.from, value),
    label: (p) => S.editWeight(p.layer - 1, p.from, p.to),
    anchor: (layout, p) => {
      const a = layout.neurons[p.layer - 1][p.from];
      const b = layout.neurons[p.layer][p.to];
      return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    },
    key: (p) => `weight:${p.layer}:${p.from}:${p.to}`,
    name: (p) => weightName(p.layer, p.to, p.from),
    neuron: () => null,
    cell: (p) => ({ kind: "weight", gap: p.layer - 1, row: p.to, col: p.from }),
    explain: (eq, p, request, view) => eq.weight(p.layer - 1, p.from, p.to, request, view), // weights[l − 1]
    valid: (p, layers) =>
      int(p.layer, 1, last(layers)) && int(p.from, 0, layers[p.layer - 1] - 1) && int(p.to, 0, layers[p.layer] - 1)
        ? { kind: "weight", layer: p.layer, from: p.from, to: p.to }
        : null,
  },
  bias: {
    editable: true,
    how: "network",
    get: (req, p) => req.network.biases[p.layer - 1][p.node],
    set: (req, p, value) => withBias(req, p.layer - 1, p.node, value),
    label: (p) => S.editBias(p.layer, p.node),
    anchor: (layout, p) => neuronAnchor(layout, p),
    key: (p) => `bias:${p.layer}:${p.node}`,
    name: (p) => biasName(p.layer, p.node),
    neuron: (p) => ({ layer: p.layer, node: p.node }),
    cell: (p) => ({ kind: "neuron", layer: p.layer, node: p.node }),
    explain: (eq, p, request, view, info) => eq.neuron(p.layer, p.node, request, view, info.activation),
    valid: (p, layers) =>
      int(p.layer, 1, last(layers)) && int(p.node, 0, layers[p.layer] - 1) ? { kind: "bias", layer: p.layer, node: p.node } : null,
  },
  input: {
    editable: true,
    how: "request", // input, target and η are checked with the whole request
    get: (req, p) => req.input[p.node],
    set: (req, p, value) => withInput(req, p.node, value),
    label: (p) => S.editInput(p.node),
    anchor: (layout, p) => neuronAnchor(layout, { layer: 0, node: p.node }),
    key: (p) => `input:${p.node}`,
    name: (p) => inputName(p.node),
    neuron: (p) => ({ layer: 0, node: p.node }),
    cell: (p) => ({ kind: "neuron", layer: 0, node: p.node }),
    explain: (eq, p, request) => eq.input(p.node, request),
    valid: (p, layers) => (int(p.node, 0, layers[0] - 1) ? { kind: "input", layer: 0, node: p.node } : null),
  },
  target: {
    editable: true,
    how: "request",
    get: (req, p) => req.target[p.node],
    set: (req, p, value) => withTarget(req, p.node, value),
    label: (p) => S.editTarget(p.node),
    anchor: (layout, p) => ({ x: layout.targets.x + 20, y: layout.output[p.node].y }),
    key: (p) => `target:${p.node}`,
    name: (p) => targetName(p.node),
    neuron: () => null,
    cell: (p) => p,
    explain: (eq, _p, request, view, info) => eq.loss(request, view, info.loss),
    valid: (p, layers) =>
      int(p.node, 0, layers[last(layers)] - 1) ? { kind: "target", layer: last(layers), node: p.node } : null,
  },
  loss: {
    editable: false,
    get: () => null,
    label: () => S.lossBox,
    anchor: (layout) => ({ x: layout.lossBox.x, y: layout.lossBox.y }),
    key: () => "loss",
    name: () => "l",
    neuron: () => null,
    cell: (p) => p,
    explain: (eq, _p, request, view, info) => eq.loss(request, view, info.loss),
    valid: () => ({ kind: "loss" }),
  },
};

function neuronAnchor(layout, p) {
  const n = layout.neurons[p.layer][p.node];
  return { x: n.x, y: n.y - layout.r };
}

/** The row for a pick's kind (undefined for an unknown kind). */
export const pickRow = (pick) => (pick && Object.hasOwn(PICKS, pick.kind) ? PICKS[pick.kind] : undefined);

/** The lecture's name of what a pick names: w^l_{ji}, b^l_j, x_i, t_j, l ("" for none). */
export function pickName(pick) {
  const row = pickRow(pick);
  return row ? row.name(pick) : "";
}

/** A string naming a pick, equal for equal picks (null for none). */
export function pickKey(pick) {
  const row = pickRow(pick);
  return row ? row.key(pick) : null;
}

/** The pick a drawn neuron stands for: the input x_j in layer 0, else its bias b^l_j. */
export function neuronPick(layer, node) {
  return layer === 0 ? { kind: "input", layer: 0, node } : { kind: "bias", layer, node };
}

/**
 * A pick that names something in this request, in canonical form, or null: what a link or
 * a host page hands in is checked here before anything uses it.
 */
export function validPick(pick, request) {
  const row = pickRow(pick);
  return row && request ? row.valid(pick, request.network.layers) : null;
}
