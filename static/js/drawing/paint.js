// Painting a view of the step (replay.js's fold) on the links drawing (draw.js): each
// neuron's numbers and look (an amplifier σ'(z) in the backward pass), each link's colour,
// width and number (w, then ∂l/∂w at its gradient, then w → w|θ¹), the targets and the loss.
// The elements are draw.js's (built where layout.js placed them); only their values change
// here, and a label's text only when it differs (the drawing repaints once per event).

import { DRAWING_DIGITS, exact, full, pair, short } from "../text/format.js";
import { S } from "../text/strings.js";
import { linkName, linkTooltip, neuronName, neuronTooltip } from "./itemtext.js";
import { maxAbsWeight, signColor, weightWidth } from "./palette.js";

// The drawing's labels have fixed boxes (layout.js): 3 significant digits there; 4 in text.
const num = (x) => short(x, DRAWING_DIGITS);
const numPair = (a, b) => pair(a, b, DRAWING_DIGITS);

const BACKWARD_LOOK = new Set(["backward"]);

/** A target's label: t_j and its value. */
export function targetText(j, value) {
  return `${S.targetName(j)} ${num(value)}`;
}

/** The phase's look (the drawing's class) and what the painters share. */
export function paintLook(drawing, view) {
  const req = drawing.request;
  const net = req.network;
  const phase = view.phase;
  const backwardLook = BACKWARD_LOOK.has(phase);
  const showNew = phase === "update" || phase === "done";
  const scale = maxAbsWeight(net.weights);
  drawing.svg.attr("class", `network phase-${phase}${backwardLook ? " backward-look" : ""}`);
  const last = view.last;
  const activeKey = last && last.layer !== undefined ? `${last.layer}:${last.node}` : null;
  return { req, net, phase, backwardLook, showNew, scale, last, activeKey };
}

/** Each neuron: its data-* values, reached marks, accessible name, inner number, rows, bias. */
export function paintNeurons(drawing, view, { req, net, phase, backwardLook, showNew, scale, activeKey }) {
  const neuronLabel = (d) => neuronName(req, view, d, (i) => drawing.inputName(i));
  drawing.neurons.each(function (d) {
    const g = this;
    const n = view.neurons[d.layer][d.node];
    const setData = (name, v) => (v === undefined || v === null ? g.removeAttribute(name) : g.setAttribute(name, exact(v)));
    setData("data-a", n.a);
    if (d.layer > 0) {
      setData("data-z", n.z);
      setData("data-dl-dz", n.dl_dz);
      setData("data-da-dz", n.da_dz);
    }
    g.classList.toggle("reached", n.z !== undefined || d.layer === 0);
    g.classList.toggle("reached-back", n.dl_dz !== undefined);
    g.classList.toggle("active", activeKey === `${d.layer}:${d.node}`);
    g.setAttribute("aria-label", neuronLabel(d));
  });
  const { inner, labels } = drawing.layout;
  drawing.neurons.select("text.inner").each(function (d) {
    const n = view.neurons[d.layer][d.node];
    let text;
    const amp = backwardLook && d.layer > 0;
    if (d.layer === 0) text = num(n.a);
    else if (amp) text = n.dl_dz === undefined ? "σ′" : n.da_dz === null ? "J" : `×${num(n.da_dz)}`;
    else text = n.a === undefined ? "" : num(n.a);
    if (this.textContent === text && this.dataset.amp === String(amp)) return;
    this.textContent = text;
    this.dataset.amp = String(amp);
    // The amplifier's triangle is widest at its back: shift the text there.
    this.setAttribute("x", amp ? inner.ampX : 0);
    const font = amp ? inner.ampFont : inner.font;
    this.style.fontSize = `${font}px`;
    // Squeeze a long number into the circle rather than let it spill over the links.
    const room = amp ? inner.ampRoom : inner.room;
    if (room > 0 && text.length * inner.charW * (font / 10) > room) this.setAttribute("textLength", room);
    else this.removeAttribute("textLength");
  });
  const inputName = (i) => drawing.inputName(i);
  drawing.neurons.select("text.above").each(function (d) {
    if (d.layer === 0) return fitText(this, inputName(d.node));
    const b0 = net.biases[d.layer - 1][d.node];
    const b1 = view.b_new[d.layer - 1][d.node];
    let text = `b ${num(b0)}`;
    if (showNew && b1 !== null && b1 !== undefined && b1 !== b0) {
      const [before, after] = numPair(b0, b1);
      text = labels.above.wide ? `b ${before}→${after}` : `b ${after}`;
    }
    fitText(this, text, labels.above);
  });
  drawing.neurons.select("rect.bias").attr("fill", (d) => {
    if (d.layer === 0) return null;
    const b1 = view.b_new[d.layer - 1][d.node];
    const b = showNew && b1 !== null ? b1 : net.biases[d.layer - 1][d.node];
    return signColor(b, scale);
  });
  drawing.neurons.select("text.below").each(function (d) {
    if (d.layer === 0) return;
    const n = view.neurons[d.layer][d.node];
    let text = n.z === undefined ? "" : `z ${num(n.z)}`;
    if (n.dl_dz !== undefined && phase !== "forward" && phase !== "loss") text = `∂l/∂z ${num(n.dl_dz)}`;
    fitText(this, text, labels.below);
  });
  drawing.neurons.select("title").text((d) => neuronTooltip(req, view, d));
}

/** Each link: data-* values, colour, width, name and tooltip; its number on the drawing. */
export function paintLinks(drawing, view, { net, phase, showNew, scale, last }) {
  const placement = drawing.layout.weightLabels;
  drawing.links.each(function (d) {
    const w0 = net.weights[d.l][d.j][d.i];
    const grads = view.dl_dw[d.l][d.j];
    const wNew = view.w_new[d.l][d.j];
    const w = showNew && wNew ? wNew[d.i] : w0;
    this.setAttribute("data-w", exact(w0));
    if (grads) this.setAttribute("data-dl-dw", exact(grads[d.i]));
    else this.removeAttribute("data-dl-dw");
    if (wNew) this.setAttribute("data-w-new", exact(wNew[d.i]));
    else this.removeAttribute("data-w-new");
    this.classList.toggle("has-grad", !!grads);
    const stroke = this.children[1];
    stroke.style.stroke = signColor(w, scale);
    stroke.style.strokeWidth = `${weightWidth(w, scale)}px`;
    this.classList.toggle("negative", w < 0); // the sign by dash too, not by colour alone
    const grad = grads ? grads[d.i] : undefined;
    const w1 = wNew ? wNew[d.i] : undefined;
    this.setAttribute("aria-label", linkName(d, w0, grad, w1));
    this.children[2].textContent = linkTooltip(d, w0, grad, w1);
  });
  // The lecture's picture of the backward pass: the reversed network's links ARE the
  // weights w that carry ∂l/∂z back, so they read w; ∂l/∂w = a × ∂l/∂z shows on a neuron's
  // incoming links at its gradient step, and on every link once the pass is complete.
  const gradientOf = last && last.type === "gradient" ? last.layer - 1 : -1;
  const gradientAt = gradientOf >= 0 ? last.node : -1;
  const allGradients = phase === "backward" && view.dl_dw.every((rows) => rows.every((g) => g !== null));
  const carrying = last && last.type === "backward" && last.layer < net.layers.length - 1 ? last.layer : -1;
  drawing.labels.each(function (d) {
    const place = placement[d.l];
    if (!place) return;
    const w0 = net.weights[d.l][d.j][d.i];
    const grads = view.dl_dw[d.l][d.j];
    const wNew = view.w_new[d.l][d.j];
    let text = num(w0);
    const isGrad = phase === "backward" && !!grads && (allGradients || (d.l === gradientOf && d.j === gradientAt));
    this.classList.toggle("carry", d.l === carrying && last.node === d.i);
    const both = showNew && wNew && place.wide;
    if (showNew && wNew) text = both ? numPair(w0, wNew[d.i]).join("→") : num(wNew[d.i]);
    else if (isGrad) text = num(grads[d.i]);
    // One box size per gap and form, so that the numbers of a gap line up.
    const box = both ? place : place.narrow;
    fitText(this.lastChild, text, box);
    const rect = this.firstChild;
    if (rect.getAttribute("width") !== String(box.width)) {
      rect.setAttribute("x", -box.width / 2);
      rect.setAttribute("width", box.width);
    }
    this.classList.toggle("grad", isGrad);
  });
}

/** The targets and the loss: l at θ⁰, then at θ¹ once the step is done (when the server sent it). */
export function paintOutputs(drawing, view) {
  const req = drawing.request;
  const net = req.network;
  drawing.targets.each(function (d) {
    fitText(this, targetText(d.node, req.target[d.node]));
  });
  const lossInfo = S.lossName(net.loss);
  const after = view.loss_after;
  const box = drawing.layout.lossBox;
  const twoLines = after !== null && after !== undefined;
  drawing.gLoss.select("text.loss-name").text(S.lossBox);
  const fit = { chars: box.chars, width: box.w - 10 };
  const value = drawing.gLoss.select("text.loss-value").attr("y", twoLines ? -box.lineH / 2 - 1 : 0);
  const [lossText, afterText] = twoLines ? numPair(view.loss, after) : [num(view.loss), ""];
  fitText(value.node(), view.loss === null ? "?" : lossText, fit);
  const later = drawing.gLoss
    .select("text.loss-after")
    .attr("y", box.lineH / 2 + 1)
    .attr("display", twoLines ? null : "none");
  fitText(later.node(), twoLines ? `→ ${afterText}` : "", fit);
  const h = twoLines ? box.h : box.lineH + 10;
  drawing.gLoss.select("rect").attr("y", -h / 2).attr("height", h);
  const tip = [`${lossInfo}${view.loss === null ? "" : ` = ${full(view.loss)}`}`];
  if (twoLines) tip.push(S.lossAfterTitle(full(after)));
  drawing.gLoss.select("title").text(tip.join("\n"));
  if (view.loss === null) drawing.gLoss.node().removeAttribute("data-loss");
  else drawing.gLoss.attr("data-loss", exact(view.loss));
  if (twoLines) drawing.gLoss.attr("data-loss-after", exact(after));
  else drawing.gLoss.node().removeAttribute("data-loss-after");
  drawing.gLoss.classed("reached", view.loss !== null);
}

/**
 * Set a label's text (only when it changed: the drawing repaints once per event) and squeeze
 * a text longer than its box's template into the box, so that it never reaches a neighbour.
 * @param {{chars: number, width: number}} [box]  the template's length and width
 */
export function fitText(el, text, box) {
  if (el.textContent === text) return;
  el.textContent = text;
  if (box && text.length > box.chars) el.setAttribute("textLength", box.width);
  else el.removeAttribute("textLength");
  const back = el.previousElementSibling;
  if (back && back.classList.contains("backdrop")) {
    // The text as drawn (0 × 0 when hidden or empty: no layout asked for), a pixel wider on each side.
    const shown = text && el.getAttribute("display") !== "none";
    const b = shown ? el.getBBox() : { x: 0, y: 0, width: 0, height: 0 };
    const pad = b.width > 0 ? 1.5 : 0;
    back.setAttribute("x", b.x - pad);
    back.setAttribute("y", b.y);
    back.setAttribute("width", b.width + 2 * pad);
    back.setAttribute("height", b.height);
  }
}
