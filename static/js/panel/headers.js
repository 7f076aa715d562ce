// The per-layer headers above the drawing: each layer's neuron count (with − and +) and
// activation, placed over the layer as the drawing's layout says, as dense as the room
// between two layers allows. The changes go to the editor (editor.js), which asks the API.

import { S } from "../text/strings.js";

/**
 * Fill `el` with the per-layer headers above the drawing: activation and neuron count, as
 * much as the gap between two layers holds ("full": a title and one row; "compact": the
 * activation over the count; "tiny": the activation and the count, without the ± buttons).
 * @param {object} o  {store, changeNeurons(l, delta), setActivation(l, name) → Promise<boolean>}
 */
export function renderLayerHeaders(el, layout, { store, changeNeurons, setActivation }) {
  const req = store.request;
  const net = req.network;
  const L = net.layers.length - 1;
  const maxN = store.limits.max_neurons;
  // A finger's ± buttons are 32 px (app.css): a narrower gap keeps only the activation and the count.
  const coarse = window.matchMedia("(pointer: coarse)").matches;
  const mode = !coarse || layout.header === "tiny" ? layout.header : layout.gap >= 200 ? "full" : layout.gap >= 90 ? "compact" : "tiny";
  const selectWidth = Math.min(96, layout.gap - 8);
  el.dataset.density = mode;
  const heads = net.layers.map((n, l) => {
    const head = document.createElement("div");
    head.className = "layer-header";
    head.dataset.layer = String(l);
    head.style.left = `${layout.neurons[l][0].x}px`;
    if (mode === "full" || l === 0) {
      const title = document.createElement("span");
      title.className = "title";
      title.textContent = l === 0 ? S.inputLayer : S.layerLabel(l);
      head.append(title);
    }
    const row = document.createElement("div");
    row.className = "row";
    const count = document.createElement("output");
    count.textContent = S.neuronCount(n);
    if (mode === "tiny") {
      count.title = S.neuronCountTitle(n);
      row.append(count);
    } else {
      // Each button names its layer: a screen reader's list of buttons tells them apart.
      const minus = iconButton("−", S.removeNeuron(l), n <= 1, () => changeNeurons(l, -1));
      const plus = iconButton("+", S.addNeuron(l), n >= maxN, () => changeNeurons(l, +1));
      minus.dataset.action = "remove-neuron";
      plus.dataset.action = "add-neuron";
      row.append(minus, count, plus);
    }
    if (l > 0) {
      const select = document.createElement("select");
      select.dataset.control = "activation";
      select.dataset.layer = String(l);
      select.title = S.activationTitle(l);
      select.setAttribute("aria-label", S.activationTitle(l));
      if (mode !== "full") select.style.maxWidth = `${selectWidth}px`;
      for (const name of store.activationNames({ output: l === L })) select.append(new Option(S.activationName(name), name));
      select.value = net.activations[l - 1];
      select.addEventListener("change", async () => {
        // Refused: back to the activation the network uses.
        const taken = await setActivation(l, select.value);
        if (!taken) select.value = store.request.network.activations[l - 1];
      });
      if (mode === "full") row.append(select);
      else head.append(select);
    }
    head.append(row);
    return head;
  });
  el.replaceChildren(...heads);
  // A header wider than the room beside its layer (a finger's buttons by the input layer)
  // is shifted in rather than cut by the drawing's edge.
  const edge = el.getBoundingClientRect();
  for (const head of heads) {
    const box = head.getBoundingClientRect();
    const shift = box.left < edge.left ? edge.left - box.left : box.right > edge.right ? edge.right - box.right : 0;
    if (shift) head.style.left = `${parseFloat(head.style.left) + shift}px`;
  }
}

function iconButton(text, title, disabled, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "icon";
  b.textContent = text;
  b.title = title;
  b.setAttribute("aria-label", title);
  b.disabled = disabled;
  b.addEventListener("click", onClick);
  return b;
}
