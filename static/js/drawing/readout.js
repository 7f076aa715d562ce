// The readout: a box of full numbers beside a cell of the matrix view or a neuron of a dense
// links drawing, with the values as data-* hooks; `describe` writes what it says of an item.

import { exact, full } from "../text/format.js";
import { S } from "../text/strings.js";

/**
 * A box of full numbers beside what it describes, inside the drawing, with the values as
 * data-* hooks (exact strings, as the API sent them). The matrix view's cells and the dense
 * links drawing's neurons (drawing.js) use it.
 */
export class Readout {
  /** @param {boolean} [live]  announce its changes (the keyboard's cursor moves it) */
  constructor(parent, { live = true } = {}) {
    this.el = document.createElement("div");
    this.el.className = "matrix-readout";
    this.el.id = `readout-${Math.random().toString(36).slice(2, 8)}`;
    if (live) this.el.setAttribute("role", "status");
    else this.el.setAttribute("aria-hidden", "true");
    this.el.hidden = true;
    parent.append(this.el);
  }

  /** @param {{title, lines, data}} what  @param {{x, y, w, h}} box  @param {{width, height}} bounds */
  show({ title, lines, data }, box, bounds) {
    const el = this.el;
    const key = `${title}\n${lines.join("\n")}`;
    if (el.dataset.key !== key) {
      for (const name of Object.keys(el.dataset)) delete el.dataset[name];
      el.dataset.key = key;
      Object.assign(el.dataset, data);
      const head = document.createElement("strong");
      head.textContent = title;
      el.replaceChildren(head, ...lines.map((t) => Object.assign(document.createElement("div"), { textContent: t })));
    }
    el.hidden = false;
    // Beside the box, on the side with room, from its middle down (the editor a pick
    // opens sits above the item), inside the drawing.
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const right = box.x + box.w + 10;
    const x = right + w <= bounds.width - 4 ? right : box.x - 10 - w;
    const y = Math.max(2, Math.min(bounds.height - h - 2, box.y + box.h / 2 - 8));
    el.style.left = `${Math.max(2, Math.min(bounds.width - w - 2, x))}px`;
    el.style.top = `${y}px`;
  }

  hide() {
    this.el.hidden = true;
  }
}

/**
 * An item's title, its lines of full numbers and its data-* hooks, from the request and the
 * view (replay.js's fold): a neuron {kind: "neuron", layer, node}, a weight {kind: "weight",
 * gap, row: j, col: i} (w^{gap+1}_{ji}, weights[gap][j][i]) or a target {kind: "target", node}.
 */
export function describe(request, view, item, inputNames = null) {
  const net = request.network;
  const showNew = !!view && (view.phase === "update" || view.phase === "done");
  if (item.kind === "target") {
    const t = request.target[item.node];
    return { title: S.targetName(item.node), lines: [`t = ${full(t)}`], data: { kind: "target", node: String(item.node), t: exact(t) } };
  }
  if (item.kind === "weight") {
    const { gap, row: j, col: i } = item;
    const data = { kind: "weight", layer: String(gap), from: String(i), to: String(j) };
    const w0 = net.weights[gap][j][i];
    const lines = [`w = ${full(w0)}`];
    data.w = exact(w0);
    const grads = view && view.dl_dw[gap][j];
    if (grads) {
      lines.push(`∂l/∂w = ${full(grads[i])}`);
      data.dlDw = exact(grads[i]);
    }
    const wNew = view && view.w_new[gap][j];
    if (wNew && showNew) {
      lines.push(`w|θ¹ = ${full(wNew[i])}`);
      data.wNew = exact(wNew[i]);
    }
    return { title: S.linkTitle(gap, i, j), lines, data };
  }
  const { layer: l, node: j } = item;
  const data = { kind: "neuron", layer: String(l), node: String(j) };
  const n = view ? view.neurons[l][j] : l === 0 ? { a: request.input[j] } : {};
  if (l === 0) {
    data.a = exact(n.a);
    const name = (inputNames && inputNames[j]) || S.inputName(j);
    return { title: `${S.neuronTitle(0, j)} (${name})`, lines: [`x = ${full(n.a)}`], data };
  }
  const b = net.biases[l - 1][j];
  const lines = [`b = ${full(b)}`];
  data.b = exact(b);
  if (n.z !== undefined) {
    lines.push(`z = ${full(n.z)}`, `a = ${full(n.a)}`);
    data.z = exact(n.z);
    data.a = exact(n.a);
  }
  if (n.da_dz !== undefined) {
    lines.push(`σ′(z) = ${n.da_dz === null ? "— (softmax)" : full(n.da_dz)}`);
    if (n.da_dz !== null) data.daDz = exact(n.da_dz);
  }
  if (n.dl_dz !== undefined) {
    lines.push(`∂l/∂z = ${full(n.dl_dz)}`);
    data.dlDz = exact(n.dl_dz);
  }
  const b1 = view && view.b_new[l - 1][j];
  if (showNew && b1 !== null && b1 !== undefined) {
    lines.push(`b|θ¹ = ${full(b1)}`);
    data.bNew = exact(b1);
  }
  return { title: S.neuronTitle(l, j), lines, data };
}
