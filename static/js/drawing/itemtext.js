// What each drawn item says: a neuron's and a link's accessible name (its lecture name and
// the values the events have carried so far, 4 significant digits: WCAG's name of a value
// that changes as the step plays) and their tooltips (every value in full). The drawing's
// own numbers have 3 digits and fixed boxes (draw.js); these read the same values.

import { full, pair, short } from "../text/format.js";
import { S } from "../text/strings.js";

/** A neuron's accessible name: its name, then the values it has reached (4 digits). */
export function neuronName(request, view, d, inputName) {
  const n = view.neurons[d.layer][d.node];
  if (d.layer === 0) return S.valuesLabel(S.neuronTitle(0, d.node), [`${inputName(d.node)} = ${short(n.a)}`]);
  const values = [];
  if (n.z !== undefined) values.push(`z = ${short(n.z)}`, `a = ${short(n.a)}`);
  if (n.dl_dz !== undefined) values.push(`∂l/∂z = ${short(n.dl_dz)}`);
  if (n.da_dz !== undefined && n.da_dz !== null) values.push(`σ′(z) = ${short(n.da_dz)}`);
  const b0 = request.network.biases[d.layer - 1][d.node];
  const b1 = view.b_new[d.layer - 1][d.node];
  if (b1 === null || b1 === undefined) values.push(`b = ${short(b0)}`);
  else values.push(...pair(b0, b1).map((b, k) => `${k ? "b|θ¹" : "b"} = ${b}`));
  return S.valuesLabel(S.neuronTitle(d.layer, d.node), values);
}

/** A neuron's tooltip: every value it has reached, in full. */
export function neuronTooltip(request, view, d) {
  const n = view.neurons[d.layer][d.node];
  const lines = [S.neuronTitle(d.layer, d.node)];
  if (d.layer === 0) {
    lines.push(`x = ${full(n.a)}`);
    return lines.join("\n");
  }
  lines.push(`b = ${full(request.network.biases[d.layer - 1][d.node])}`);
  const b1 = view.b_new[d.layer - 1][d.node];
  if (n.z !== undefined) lines.push(`z = ${full(n.z)}`, `a = ${full(n.a)}`);
  if (n.da_dz !== undefined) lines.push(`σ′(z) = ${n.da_dz === null ? "— (softmax)" : full(n.da_dz)}`);
  if (n.dl_dz !== undefined) lines.push(`∂l/∂z = ${full(n.dl_dz)}`);
  if (b1 !== null && b1 !== undefined) lines.push(`b|θ¹ = ${full(b1)}`);
  return lines.join("\n");
}

/** A link's accessible name: its name, w, then ∂l/∂w and w|θ¹ once known (4 digits). */
export function linkName(d, w0, grad, w1) {
  const values = [`w = ${short(w0)}`];
  if (grad !== undefined) values.push(`∂l/∂w = ${short(grad)}`);
  if (w1 !== undefined) values[0] = `w = ${pair(w0, w1)[0]}`;
  if (w1 !== undefined) values.push(`w|θ¹ = ${pair(w0, w1)[1]}`);
  return S.valuesLabel(S.linkTitle(d.l, d.i, d.j), values);
}

/** A link's tooltip: its name, w, then ∂l/∂w and w|θ¹ once known, each in full. */
export function linkTooltip(d, w0, grad, w1) {
  const parts = [S.linkTitle(d.l, d.i, d.j), `w = ${full(w0)}`];
  if (grad !== undefined) parts.push(`∂l/∂w = ${full(grad)}`);
  if (w1 !== undefined) parts.push(`w|θ¹ = ${full(w1)}`);
  return parts.join("\n");
}
