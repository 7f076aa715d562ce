// The network, drawn with D3: neurons as circles (amplifiers in the backward pass), weights
// as links (colour = sign, width = |w|), biases, inputs, targets and the loss. `setNetwork`
// builds the elements where layout.js placed them; `update` paints a view (paint.js);
// what each item says to a screen reader and in its tooltip is itemtext.js's; `animate`
// plays one event's transient effect on an overlay (effects.js).

import { select } from "../../vendor/d3/d3-selection.min.mjs";

import { DRAWING_DIGITS, exact, short } from "../text/format.js";
import { Effects } from "./effects.js";
import { linkName, linkTooltip } from "./itemtext.js";
import { fitText, paintLinks, paintLook, paintNeurons, paintOutputs, targetText } from "./paint.js";
import { computeLayout } from "./layout.js";
import { maxAbsWeight, signColor, weightWidth } from "./palette.js";
import { neuronPick, pickKey, pickRow } from "./picks.js";
import { S } from "../text/strings.js";

// The drawing's labels have fixed boxes (layout.js): 3 significant digits there; 4 in text.
const num = (x) => short(x, DRAWING_DIGITS);

// The font of each kind of text, as app.css draws it (for measuring before drawing).
const TEXT_STYLE = {
  label: { size: 10, weight: 400 }, // rows above and below neurons, weight numbers
  inner: { size: 10, weight: 600 }, // inside a neuron, scaled by the layout
  target: { size: 11, weight: 400 },
  loss: { size: 11, weight: 600 },
};

export class NetworkDrawing {
  /**
   * @param {HTMLElement} container  positioned element the drawing fills
   * @param {{onPick: Function}} handlers  onPick({kind, layer, node, from, to, x, y})
   */
  constructor(container, { onPick }) {
    this.container = container;
    this.onPick = onPick;
    this.svg = select(container)
      .append("svg")
      .attr("class", "network phase-idle")
      .attr("role", "group")
      .attr("aria-label", S.networkLabel);
    this.effects = new Effects(select(container).append("svg").attr("class", "effects").attr("aria-hidden", "true"), this);
    this.#defs();
    this.gLossLines = this.svg.append("g").attr("class", "loss-lines");
    this.gLinks = this.svg.append("g").attr("class", "links");
    this.gLabels = this.svg.append("g").attr("class", "link-labels");
    this.gNeurons = this.svg.append("g").attr("class", "neurons");
    this.gTargets = this.svg.append("g").attr("class", "targets");
    this.gLoss = this.svg.append("g").attr("class", "loss-node").attr("tabindex", 0).attr("role", "button");
    this.gLoss.append("rect");
    this.gLoss.append("text").attr("class", "loss-name");
    this.gLoss.append("text").attr("class", "loss-value").attr("lengthAdjust", "spacingAndGlyphs");
    this.gLoss.append("text").attr("class", "loss-after").attr("lengthAdjust", "spacingAndGlyphs");
    this.gLoss.append("title");
    this.gLoss.on("click", (ev) => this.#pick(ev, { kind: "loss" }));
    this.gLoss.on("keydown", (ev) => this.#keyPick(ev, { kind: "loss" }));
    // Texts are measured as drawn, so that labels are placed by their real size.
    this.probe = this.svg.append("text").attr("class", "probe").attr("aria-hidden", "true").attr("dy", "0.35em");
    this.layout = null;
    this.request = null;
    this.selection = null;
  }

  /** A text's width and its extent above and below its y (drawn with dy = 0.35em). */
  measure(text, kind) {
    const style = TEXT_STYLE[kind];
    const probe = this.probe.node();
    probe.style.fontSize = `${style.size}px`;
    probe.style.fontWeight = String(style.weight);
    probe.textContent = text;
    const box = probe.getBBox();
    probe.textContent = "";
    return { width: box.width, top: box.y, bottom: box.y + box.height };
  }

  #defs() {
    const defs = this.svg.append("defs");
    const arrow = (id, path) =>
      defs
        .append("marker")
        .attr("id", id)
        .attr("viewBox", "0 0 10 10")
        .attr("refX", 5)
        .attr("refY", 5)
        .attr("markerWidth", 7)
        .attr("markerHeight", 7)
        .attr("markerUnits", "userSpaceOnUse")
        .attr("orient", "auto")
        .append("path")
        .attr("d", path);
    // Forward: the tip sits on the target's edge. Backward: reversed, on the source's edge.
    arrow("bv-arrow-fwd", "M0,0 L10,5 L0,10 z");
    arrow("bv-arrow-back", "M10,0 L0,5 L10,10 z");
  }

  /** Size of the drawing area in px. */
  size() {
    const box = this.container.getBoundingClientRect();
    return { width: Math.max(200, box.width), height: Math.max(80, box.height) }; // a 320 × 240 frame leaves ~100 px
  }

  /**
   * Name the input neurons (the training view's features: x₁², sin x₁, …), or null for
   * x₁, x₂, …; returns whether the names changed (then setNetwork again to lay them out).
   */
  setInputNames(names) {
    const same = (names || []).join("\u0000") === (this.inputNames || []).join("\u0000");
    this.inputNames = names;
    return !same;
  }

  /** The name of input i: the training view's feature, else x_{i+1}. */
  inputName(i) {
    return (this.inputNames && this.inputNames[i]) || S.inputName(i);
  }

  /** (Re)build every element for a network; call again when the layers or the size change. */
  setNetwork(request) {
    this.request = request;
    const { width, height } = this.size();
    for (const svg of [this.svg, this.effects.svg]) {
      svg.attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    }
    const texts = {
      inputs: request.input.map((_, i) => this.inputName(i)),
      targets: request.target.map((t, j) => targetText(j, t)),
    };
    const layout = computeLayout(request.network.layers, width, height, (t, kind) => this.measure(t, kind), texts);
    this.layout = layout;
    this.#buildLinks();
    this.#buildNeurons();
    this.#buildOutputs();
    this.#placeWeightLabels();
    return layout;
  }

  #linkData() {
    const { neurons, r } = this.layout;
    const data = [];
    const weights = this.request.network.weights;
    for (let l = 0; l < weights.length; l++) {
      for (let j = 0; j < weights[l].length; j++) {
        for (let i = 0; i < weights[l][j].length; i++) {
          const a = neurons[l][i];
          const b = neurons[l + 1][j];
          const len = Math.hypot(b.x - a.x, b.y - a.y);
          const ux = (b.x - a.x) / len;
          const uy = (b.y - a.y) / len;
          const x0 = a.x + ux * (r + 2);
          const y0 = a.y + uy * (r + 2);
          const x1 = b.x - ux * (r + 4);
          const y1 = b.y - uy * (r + 4);
          data.push({ key: `${l}:${i}:${j}`, l, i, j, x0, y0, x1, y1, ax: a.x, ay: a.y, bx: b.x, by: b.y });
        }
      }
    }
    return data;
  }

  #buildLinks() {
    const data = this.#linkData();
    this.links = this.gLinks
      .selectAll("g.link")
      .data(data, (d) => d.key)
      .join((enter) => {
        // Each link is a tab stop named by its values (update() fills them in).
        const g = enter.append("g").attr("class", "link").attr("tabindex", 0).attr("role", "button");
        g.append("path").attr("class", "hit");
        g.append("path").attr("class", "stroke");
        g.append("title");
        g.on("click", (ev, d) => this.#pick(ev, weightPick(d)));
        g.on("keydown", (ev, d) => this.#keyPick(ev, weightPick(d)));
        return g;
      })
      .attr("data-layer", (d) => d.l)
      .attr("data-from", (d) => d.i)
      .attr("data-to", (d) => d.j)
      .attr("aria-label", (d) => S.linkTitle(d.l, d.i, d.j));
    const path = (d) => `M${d.x0},${d.y0}L${d.x1},${d.y1}`;
    this.links.select("path.hit").attr("d", path);
    this.links.select("path.stroke").attr("d", path);
    this.linkIndex = new Map();
    this.links.each((d, k, nodes) => this.linkIndex.set(d.key, nodes[k]));

    this.labels = this.gLabels
      .selectAll("g.wlabel")
      .data(data, (d) => d.key)
      .join((enter) => {
        const g = enter
          .append("g")
          .attr("class", "wlabel")
          .attr("aria-hidden", "true") // its link is the tab stop and reads these numbers
          .on("click", (ev, d) => this.#pick(ev, weightPick(d)));
        g.append("rect").attr("rx", 3);
        g.append("text").attr("dy", "0.35em").attr("lengthAdjust", "spacingAndGlyphs");
        return g;
      })
      .attr("data-layer", (d) => d.l)
      .attr("data-from", (d) => d.i)
      .attr("data-to", (d) => d.j);
  }

  #buildNeurons() {
    const { neurons, r } = this.layout;
    const data = neurons.flat();
    const L = neurons.length - 1;
    const tri = `M${-r * 1.05},0 L${r * 0.85},${-r * 1.05} L${r * 0.85},${r * 1.05} Z`;
    this.neurons = this.gNeurons
      .selectAll("g.neuron")
      .data(data, (d) => `${d.layer}:${d.node}`)
      .join((enter) => {
        // A tab stop named by its values (neuronLabel), as role=img: a button's name must
        // contain its visible text (WCAG 2.5.3), and the neuron draws 3-digit numbers its name
        // reads with 4. Enter or a click still edits or explains it.
        const g = enter.append("g").attr("class", "neuron").attr("tabindex", 0).attr("role", "img");
        g.append("path").attr("class", "amp");
        g.append("circle").attr("class", "body");
        g.append("rect").attr("class", "bias");
        g.append("text").attr("class", "inner").attr("lengthAdjust", "spacingAndGlyphs");
        // The rows above and below sit on a backdrop (fitText sizes it to the text): a link
        // that passes behind "b 0.350" on a narrow screen does not run through its digits.
        g.append("rect").attr("class", "backdrop").attr("rx", 2);
        g.append("text").attr("class", "above").attr("lengthAdjust", "spacingAndGlyphs");
        g.append("rect").attr("class", "backdrop").attr("rx", 2);
        g.append("text").attr("class", "below").attr("lengthAdjust", "spacingAndGlyphs");
        g.append("title");
        g.on("click", (ev, d) => this.#pick(ev, neuronPick(d.layer, d.node)));
        g.on("keydown", (ev, d) => this.#keyPick(ev, neuronPick(d.layer, d.node)));
        return g;
      })
      .attr("data-layer", (d) => d.layer)
      .attr("data-node", (d) => d.node)
      .classed("input", (d) => d.layer === 0)
      .classed("output", (d) => d.layer === L)
      .attr("transform", (d) => `translate(${d.x},${d.y})`)
      .attr("aria-label", (d) => S.neuronTitle(d.layer, d.node));
    const { inner, labels, core } = this.layout;
    this.neurons.select("circle.body").attr("r", r);
    this.neurons.select("path.amp").attr("d", tri);
    // The bias square sits on top of the circle, where no link arrives.
    const bs = core.bias;
    this.neurons
      .select("rect.bias")
      .attr("x", -bs / 2)
      .attr("y", -r - bs + 1)
      .attr("width", bs)
      .attr("height", bs)
      .attr("display", (d) => (d.layer === 0 ? "none" : null));
    this.neurons.select("text.inner").attr("dy", "0.35em").attr("display", inner.show ? null : "none");
    // Every text is re-fitted to its new box by update().
    this.neurons.selectAll("text").each(function () {
      this.textContent = "";
    });
    this.neurons.selectAll("rect.backdrop").attr("width", 0).attr("height", 0);
    this.neurons
      .select("text.above")
      .attr("dy", "0.35em")
      .attr("y", (d) => (d.layer === 0 ? labels.names.y : labels.above.y))
      .attr("display", (d) => ((d.layer === 0 ? labels.names.show : labels.above.show) ? null : "none"));
    this.neurons
      .select("text.below")
      .attr("dy", "0.35em")
      .attr("y", labels.below.y)
      .attr("display", (d) => (d.layer > 0 && labels.below.show ? null : "none"));
    this.neuronIndex = new Map();
    this.neurons.each((d, k, nodes) => this.neuronIndex.set(`${d.layer}:${d.node}`, nodes[k]));
  }

  #buildOutputs() {
    const { output, targets, lossBox, r } = this.layout;
    this.targets = this.gTargets
      .selectAll("text.target")
      .data(output, (d) => d.node)
      .join((enter) =>
        enter
          .append("text")
          .attr("class", "target")
          .attr("tabindex", 0)
          .attr("role", "button")
          .on("click", (ev, d) => this.#pick(ev, this.#targetPick(d)))
          .on("keydown", (ev, d) => this.#keyPick(ev, this.#targetPick(d))),
      )
      .attr("data-node", (d) => d.node)
      .attr("x", targets.x)
      .attr("y", (d) => d.y)
      .attr("dy", "0.35em")
      .attr("display", targets.show ? null : "none");
    // The dashed lines to the loss start past the targets' text.
    const start = targets.show ? targets.x + targets.width + 4 : null;
    this.gLossLines
      .selectAll("path")
      .data(output, (d) => d.node)
      .join("path")
      .attr("d", (d) => `M${start ?? d.x + r},${d.y}L${lossBox.x},${lossBox.y}`);
    this.gLoss.attr("transform", `translate(${lossBox.x},${lossBox.y})`);
    this.gLoss.select("rect").attr("x", 0).attr("width", lossBox.w).attr("rx", 5);
    this.gLoss.select("text.loss-name").attr("x", lossBox.w / 2).attr("y", -lossBox.h / 2 - 5);
    this.gLoss.selectAll("text.loss-value, text.loss-after").attr("x", lossBox.w / 2).attr("dy", "0.35em");
  }

  /** The weights' numbers: per gap at the layout's place, or not drawn (null). */
  #placeWeightLabels() {
    const place = this.layout.weightLabels;
    this.labels
      .attr("display", (d) => (place[d.l] ? null : "none"))
      .attr("transform", (d) => {
        const p = place[d.l];
        return p ? `translate(${d.ax + p.t * (d.bx - d.ax)},${d.ay + p.t * (d.by - d.ay)})` : null;
      });
    const h = this.layout.rowH;
    this.labels.select("rect").attr("y", -h / 2).attr("height", h);
    this.labels.each(function () {
      this.lastChild.textContent = ""; // re-fitted by update()
    });
  }

  /**
   * The weights as a run trains, in place: each link's colour, width, data-w and title, the
   * weights' numbers, the biases' squares and numbers, as update() paints the unplayed step
   * (no gradients, no new weights). No layout, no transition: cheap enough for every push.
   */
  showWeights(request) {
    this.request = request;
    const net = request.network;
    const scale = maxAbsWeight(net.weights);
    this.links.each(function (d) {
      const w = net.weights[d.l][d.j][d.i];
      this.setAttribute("data-w", exact(w));
      const stroke = this.children[1];
      stroke.style.stroke = signColor(w, scale);
      stroke.style.strokeWidth = `${weightWidth(w, scale)}px`;
      this.classList.toggle("negative", w < 0); // the sign by dash too, not by colour alone
      this.children[2].textContent = linkTooltip(d, w);
      this.setAttribute("aria-label", linkName(d, w));
    });
    const placement = this.layout.weightLabels;
    this.labels.each(function (d) {
      const place = placement[d.l];
      if (place) fitText(this.lastChild, num(net.weights[d.l][d.j][d.i]), place.narrow);
    });
    this.neurons.select("rect.bias").attr("fill", (d) => (d.layer === 0 ? null : signColor(net.biases[d.layer - 1][d.node], scale)));
    const above = this.layout.labels.above;
    this.neurons.select("text.above").each(function (d) {
      if (d.layer > 0) fitText(this, `b ${num(net.biases[d.layer - 1][d.node])}`, above);
    });
  }

  /** Paint a view: values, data-* hooks, colours, the phase's look (paint.js). */
  update(view) {
    const look = paintLook(this, view);
    paintNeurons(this, view, look);
    paintLinks(this, view, look);
    paintOutputs(this, view);
    this.#markSelection();
  }

  /** Highlight the picked neuron or link (the one the equation panel explains). */
  select(selection) {
    this.selection = selection;
    this.#markSelection();
  }

  #markSelection() {
    const key = pickKey(this.selection);
    this.links.classed("selected", (d) => key !== null && pickKey(weightPick(d)) === key);
    this.neurons.classed("selected", (d) => key !== null && pickKey(neuronPick(d.layer, d.node)) === key);
    this.gLoss.classed("selected", key === "loss");
  }

  #targetPick(d) {
    return { kind: "target", layer: this.layout.neurons.length - 1, node: d.node };
  }

  #pick(event, what) {
    event.stopPropagation();
    const box = this.container.getBoundingClientRect();
    let x = event.clientX - box.left;
    let y = event.clientY - box.top;
    if (!event.clientX && !event.clientY) ({ x, y } = this.anchorOf(what));
    this.onPick({ ...what, x, y });
  }

  #keyPick(event, what) {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    event.stopPropagation();
    this.onPick({ ...what, ...this.anchorOf(what) });
  }

  /** Where an editor for this item should appear (drawing coordinates). */
  anchorOf(what) {
    return pickRow(what).anchor(this.layout, what);
  }

  // ---- transient effects: on the overlay (effects.js) -----------------------------------------

  /** Stop every running effect (pause, seek, new trace). */
  interrupt() {
    this.effects.interrupt();
  }

  /** One event's effect (effects.js); returns how long its values travel (ms). */
  animate(event, view, duration, options) {
    return this.effects.animate(event, view, duration, options);
  }
}


/** The pick a drawn link stands for: w^l_{ji}, l the layer it feeds (d.l indexes weights). */
function weightPick(d) {
  return { kind: "weight", layer: d.l + 1, from: d.i, to: d.j };
}
