// Each hidden neuron's own output a over the plane (the snapshot's `neurons`, asked for with
// neuron_grids: true), as a small picture; hovering one shows it large. Orange where a is
// low, blue where it is high, on the neuron's activation's range.

import { activationRange, divergingRgb, unit } from "./colors.js";
import { paintLattice } from "./plane.js";

export class NeuronThumbs {
  /** @param {HTMLElement} container */
  constructor(container, { title }) {
    this.container = container;
    this.title = title;
    this.items = new Map(); // "layer:node" → {canvas, image}
    this.shape = "";
  }

  /** Draw the snapshot's neuron grids; `activations` is the network's list (layer l → activations[l − 1]). */
  draw(neurons, activations) {
    if (!neurons || neurons.length === 0) {
      if (this.shape) this.container.replaceChildren();
      this.shape = "";
      this.items.clear();
      return;
    }
    const shape = neurons.map((n) => `${n.layer}:${n.node}`).join(",");
    if (shape !== this.shape) this.#build(neurons);
    for (const n of neurons) {
      const item = this.items.get(`${n.layer}:${n.node}`);
      const [lo, hi] = activationRange(activations[n.layer - 1], n.values);
      item.image = paintLattice(item.canvas, item.image, n.values, true, (i, j) => divergingRgb(unit(n.values[i][j], lo, hi)));
    }
  }

  #build(neurons) {
    this.shape = neurons.map((n) => `${n.layer}:${n.node}`).join(",");
    this.items.clear();
    const byLayer = new Map();
    for (const n of neurons) {
      if (!byLayer.has(n.layer)) byLayer.set(n.layer, []);
      byLayer.get(n.layer).push(n);
    }
    const rows = [];
    for (const [layer, list] of byLayer) {
      const row = document.createElement("div");
      row.className = "thumb-row";
      const name = document.createElement("span");
      name.className = "thumb-layer";
      name.textContent = `${layer}`;
      row.append(name);
      for (const n of list) {
        const canvas = document.createElement("canvas");
        canvas.className = "thumb";
        canvas.dataset.layer = String(n.layer);
        canvas.dataset.node = String(n.node);
        canvas.title = this.title(n.layer, n.node);
        canvas.tabIndex = 0;
        row.append(canvas);
        this.items.set(`${n.layer}:${n.node}`, { canvas, image: null });
      }
      rows.push(row);
    }
    this.container.replaceChildren(...rows);
  }
}
