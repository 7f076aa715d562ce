// The drawing app.js talks to: the links of draw.js for a network that fits, the heatmaps of
// matrix.js for one too wide for links (layout.js's matrixView decides, from the layers).
// Both offer the same calls (setNetwork, update, animate, select, anchorOf, …); this picks
// one at each setNetwork and passes every call to it.
//
// A dense network of links (layout.js leaves out the rows above and below the neurons, which
// would lie over the links) shows one neuron's numbers in a readout beside it: the one under
// the pointer or the keyboard's focus, else the one the latest event is about, else the
// selected one; the links that do not touch it fade.

import { NetworkDrawing } from "./draw.js";
import { matrixView } from "./layout.js";
import { MatrixDrawing } from "./matrix.js";
import { Readout, describe } from "./readout.js";
import { pickKey, pickRow } from "./picks.js";
import { S } from "../text/strings.js";

export class Drawing {
  /**
   * @param {HTMLElement} container  positioned element the drawing fills
   * @param {{onPick: Function}} handlers  onPick({kind, layer, node, from, to, x, y})
   */
  constructor(container, handlers) {
    this.container = container;
    this.handlers = handlers;
    this.links = new NetworkDrawing(container, handlers);
    this.matrix = null; // made the first time a wide network comes
    this.current = this.links;
    this.inputNames = null;
    this.view = null;
    this.selection = null;
    this.pointed = null; // the neuron under the pointer, then the one with the keyboard's focus
    this.focused = null;
    this.focusKey = null;
    // Not announced: it follows every event while a step plays (the neurons have names).
    this.readout = new Readout(container, { live: false });
    this.#listenDense();
  }

  /** "links" or "matrix": the renderer now showing. */
  get kind() {
    return this.current === this.links ? "links" : "matrix";
  }

  get layout() {
    return this.current.layout;
  }

  get request() {
    return this.current.request;
  }

  set request(request) {
    this.current.request = request;
  }

  setNetwork(request) {
    const wide = matrixView(request.network.layers);
    if (wide && !this.matrix) {
      this.matrix = new MatrixDrawing(this.container, this.handlers);
      this.matrix.setInputNames(this.inputNames);
      // The legend's note on how to read the matrices (CSS shows it with them only).
      const legend = this.container.parentNode && this.container.parentNode.querySelector(".legend");
      if (legend) {
        const note = Object.assign(document.createElement("span"), { className: "legend-note legend-matrix" });
        note.textContent = S.matrixLegend;
        legend.append(note);
      }
    }
    const next = wide ? this.matrix : this.links;
    if (next !== this.current) {
      this.current.interrupt();
      this.#showLinks(!wide); // shown before setNetwork: the links' labels are measured as drawn
      if (this.matrix) this.matrix.show(wide);
      this.current = next;
    }
    this.container.dataset.renderer = this.kind;
    const layout = this.current.setNetwork(request);
    this.focusKey = null;
    this.#dense();
    return layout;
  }

  #showLinks(on) {
    const d = this.links;
    for (const svg of [d.svg, d.effects.svg]) svg.style("display", on ? null : "none");
    if (on) return;
    // No stale links under the matrix (hooks and tests read svg.network); setNetwork makes
    // them again when the links come back.
    for (const g of [d.gLossLines, d.gLinks, d.gLabels, d.gNeurons, d.gTargets]) g.selectAll("*").remove();
  }

  setInputNames(names) {
    this.inputNames = names;
    if (this.matrix && this.current !== this.matrix) this.matrix.setInputNames(names);
    if (this.current !== this.links) this.links.setInputNames(names);
    return this.current.setInputNames(names);
  }

  size() {
    return this.current.size();
  }

  update(view) {
    this.view = view;
    this.current.update(view);
    this.#dense();
  }

  showWeights(request) {
    return this.current.showWeights(request);
  }

  select(selection) {
    this.selection = selection;
    this.current.select(selection);
    this.#dense();
  }

  anchorOf(what) {
    return this.current.anchorOf(what);
  }

  interrupt() {
    return this.current.interrupt();
  }

  animate(event, view, duration, options) {
    return this.current.animate(event, view, duration, options);
  }

  // ---- dense links: one neuron's numbers -------------------------------------------------------

  #listenDense() {
    const svg = this.links.svg.node();
    const neuronOf = (el) => {
      const g = el && el.closest && el.closest(".neuron");
      return g ? { layer: Number(g.dataset.layer), node: Number(g.dataset.node) } : null;
    };
    svg.addEventListener("pointerover", (ev) => {
      if (ev.pointerType === "touch") return; // a tap selects: the selection's readout shows
      this.pointed = neuronOf(ev.target);
      this.#dense();
    });
    svg.addEventListener("pointerleave", () => {
      this.pointed = null;
      this.#dense();
    });
    svg.addEventListener("focusin", (ev) => {
      this.focused = neuronOf(ev.target);
      this.#dense();
    });
    svg.addEventListener("focusout", () => {
      this.focused = null;
      this.#dense();
    });
  }

  /** The neuron whose numbers a dense drawing shows, or null. */
  #focusNeuron() {
    const last = this.view && this.view.last;
    const sel = this.selection;
    const selected = pickRow(sel)?.neuron(sel) ?? null;
    const active = last && last.layer !== undefined ? { layer: last.layer, node: last.node } : null;
    return this.pointed || this.focused || active || selected;
  }

  #dense() {
    const d = this.links;
    const lay = d.layout;
    const on = this.current === d && !!lay && !!lay.dense && !!d.request;
    const svg = d.svg.node();
    svg.toggleAttribute("data-dense", on);
    const n = on ? this.#focusNeuron() : null;
    const valid = n && lay.neurons[n.layer] && lay.neurons[n.layer][n.node];
    const key = valid ? pickKey({ kind: "bias", layer: n.layer, node: n.node }) : null;
    svg.toggleAttribute("data-focus", !!key);
    if (key !== this.focusKey) {
      this.focusKey = key;
      // The links into and out of the neuron stay; the rest fade (CSS: [data-focus]).
      const near = (l) => !!key && ((l.l === n.layer - 1 && l.j === n.node) || (l.l === n.layer && l.i === n.node));
      d.links.classed("near", near);
      d.labels.classed("near", near);
      d.neurons.classed("focus", (p) => !!key && p.layer === n.layer && p.node === n.node);
    }
    if (!key) return this.readout.hide();
    const at = lay.neurons[n.layer][n.node];
    const box = { x: at.x - lay.r, y: at.y - lay.r, w: 2 * lay.r, h: 2 * lay.r };
    const item = { kind: "neuron", layer: n.layer, node: n.node };
    this.readout.show(describe(d.request, this.view, item, this.inputNames), box, { width: lay.width, height: lay.height });
  }
}
