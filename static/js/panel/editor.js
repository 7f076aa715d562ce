// The editor: click-to-edit values (weights, biases, inputs, targets) in a small popover,
// the per-layer headers (activation, neuron count) and the toolbar (layers, loss, η, init,
// seed, freeze biases). Every change goes to the API first; what it refuses is shown in
// place with its message in the lecture's notation (notation.js), the field goes back to
// the value the network uses, and nothing changes. A structural change keeps every weight
// and bias that still fits (keptParameters) and draws only the new ones from init and seed.

import { postNetwork } from "../page/api.js";
import { returnFromEditor } from "../page/focus.js";
import { full } from "../text/format.js";
import { lectureMessage } from "../text/messages.js";
import { numberError, parseValue } from "../text/numbers.js";
import { pickName, pickRow } from "../drawing/picks.js";
import { withField, withLayers, withoutParameters } from "../page/state.js";
import { S } from "../text/strings.js";

/**
 * The network `fresh` (the new shape, drawn from init and seed by POST /network) with every
 * weight and bias of `old` that still fits copied in. `map[k]` is the old layer that new
 * layer k was (null: a new layer); neuron j stays neuron j (adding or removing a neuron
 * happens at the end of its layer). b^k_j is kept when its neuron was there before; w^k_{ji}
 * when both its ends were there and were joined before (old layers map[k] − 1 → map[k]).
 * So a new hidden layer gets fresh weights in and out, and the layers before it keep theirs.
 * Copying numbers is not math: the API validates the result like any other edit.
 */
export function keptParameters(old, fresh, map) {
  const net = structuredClone(fresh);
  if (!Array.isArray(old.weights) || !Array.isArray(old.biases)) return net;
  for (let k = 1; k < net.layers.length; k++) {
    const m = map[k];
    if (m === null || m === undefined || m < 1) continue;
    const oldB = old.biases[m - 1];
    net.biases[k - 1] = net.biases[k - 1].map((b, j) => (j < oldB.length ? oldB[j] : b));
    if (map[k - 1] !== m - 1) continue;
    const oldW = old.weights[m - 1];
    net.weights[k - 1] = net.weights[k - 1].map((row, j) =>
      row.map((w, i) => (j < oldW.length && i < oldW[j].length ? oldW[j][i] : w)),
    );
  }
  return net;
}

/** The identity map of layers 0…L (a neuron added or removed: every layer is still itself). */
export const sameLayers = (n) => Array.from({ length: n }, (_, k) => k);

export class Editor {
  /**
   * @param {HTMLElement} root  the .app element
   * @param {object} o
   * @param {import("../page/state.js").Store} o.store
   * @param {(next: object, how: "network"|"request") => Promise<void>} o.commit  validate + apply
   * @param {(pick: object) => void} o.onExplain  open the equation panel on this item
   * @param {(text: string, input: HTMLInputElement) => Promise<boolean>} o.setLearningRate  the page's one η (eta.js)
   * @param {import("../player/stage.js").Stage} o.stage  the drawing the layer headers stand over
   */
  constructor(root, { store, stage, commit, onExplain, onStatus, setLearningRate }) {
    this.root = root;
    this.setLearningRate = setLearningRate;
    this.store = store;
    this.commit = commit;
    this.onExplain = onExplain;
    this.onStatus = onStatus;
    this.popover = root.querySelector('[data-bind="editor"]');
    this.popInput = this.popover.querySelector('[data-control="edit-value"]');
    this.popLabel = this.popover.querySelector(".popover-label");
    this.popError = this.popover.querySelector(".popover-error");
    this.headers = root.querySelector('[data-bind="layer-headers"]');
    this.pick = null;
    this.seedInUse = this.#control("seed").value; // the seed the weights were last drawn with
    this.#wirePopover();
    this.#wireToolbar();
    // When the editor closes (Enter, Esc), focus returns to the drawn item that opened it.
    this.focusBack = returnFromEditor(this.popover);
    store.subscribe(() => {
      if (stage.weightsOnly) return; // a training run's weights: the layers and the settings are as they were
      this.renderHeaders(stage.layout);
      this.renderToolbar();
    }, ["request"]);
    store.subscribe((s) => {
      if (!s.request) return;
      this.fillChoices();
      this.renderToolbar();
    }, ["lang"]);
    stage.onRelayout(() => {
      this.renderHeaders(stage.layout);
      this.close();
    });
  }

  /** Open the editor on an item picked on the drawing; closing it gives the item its focus back. */
  openPicked(pick) {
    this.focusBack.opened();
    this.open(pick);
  }

  // ---- the popover ---------------------------------------------------------------------------

  #wirePopover() {
    this.popover.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.#apply();
    });
    this.popover.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        ev.preventDefault();
        ev.stopPropagation();
        this.close();
      }
      ev.stopPropagation(); // typing here is not a playback shortcut
    });
    this.popover.querySelector('[data-action="explain"]').addEventListener("click", () => {
      const pick = this.pick;
      this.close();
      if (pick) this.onExplain(pick);
    });
    document.addEventListener("pointerdown", (ev) => {
      if (!this.popover.hidden && !this.popover.contains(ev.target)) this.close();
    });
  }

  /** Open the editor for a picked item at drawing coordinates (x, y). */
  open(pick) {
    const row = pickRow(pick);
    if (!row || !row.editable) return;
    this.pick = pick;
    this.popLabel.textContent = row.label(pick);
    this.popInput.value = String(row.get(this.store.request, pick));
    this.popInput.removeAttribute("aria-invalid");
    this.popError.textContent = "";
    this.popover.hidden = false;
    const canvas = this.popover.parentElement.getBoundingClientRect();
    const w = this.popover.offsetWidth;
    const h = this.popover.offsetHeight;
    const left = Math.max(4, Math.min(pick.x + 12, canvas.width - w - 4));
    const top = Math.max(4, Math.min(pick.y - h - 10 < 4 ? pick.y + 14 : pick.y - h - 10, canvas.height - h - 4));
    this.popover.style.left = `${left}px`;
    this.popover.style.top = `${top}px`;
    this.popInput.focus();
    this.popInput.select();
  }

  close() {
    if (this.popover.hidden) return;
    this.popover.hidden = true;
    this.pick = null;
  }

  get isOpen() {
    return !this.popover.hidden;
  }

  async #apply() {
    const pick = this.pick;
    if (!pick) return;
    const read = parseValue(this.popInput.value);
    const row = pickRow(pick);
    const req = this.store.request;
    if (read.problem) return this.#refused(pick, numberError(read));
    const value = read.value;
    if (value === row.get(req, pick)) return this.close(); // nothing to change
    this.popError.textContent = S.checking;
    try {
      await this.commit(row.set(req, pick, value), row.how);
      if (this.pick === pick) this.close();
    } catch (err) {
      if (this.pick === pick) this.#refused(pick, err);
    }
  }

  /** Back to the value the network uses, and why the typed one was refused. */
  #refused(pick, err) {
    const kept = pickRow(pick).get(this.store.request, pick);
    this.popInput.value = String(kept);
    this.popError.textContent = S.editRejected(lectureMessage(err), pickName(pick), full(kept));
    this.popInput.removeAttribute("aria-invalid"); // it holds a valid value again
    this.popInput.focus();
    this.popInput.select();
  }

  // ---- the toolbar ---------------------------------------------------------------------------

  #control(name) {
    return this.root.querySelector(`[data-control="${name}"]`);
  }

  #wireToolbar() {
    const on = (action, fn) => this.root.querySelector(`[data-action="${action}"]`).addEventListener("click", fn);
    on("add-layer", () => this.#changeLayers(+1));
    on("remove-layer", () => this.#changeLayers(-1));
    on("reinit", () => this.#reinit());
    this.#control("loss").addEventListener("change", (ev) => this.#setLoss(ev.target.value));
    const eta = this.#control("learning-rate");
    eta.addEventListener("keydown", (ev) => {
      ev.stopPropagation();
      if (ev.key === "Enter") this.#setLearningRate(eta);
      if (ev.key === "Escape") eta.value = String(this.store.request.learning_rate);
    });
    eta.addEventListener("change", () => this.#setLearningRate(eta));
    this.#control("freeze-biases").addEventListener("change", (ev) =>
      this.#guard(this.commit(withField(this.store.request, "freeze_biases", ev.target.checked), "request")),
    );
    this.#control("seed").addEventListener("keydown", (ev) => {
      ev.stopPropagation();
      if (ev.key === "Enter") this.#reinit();
    });
  }

  /** Fill the toolbar's choices from the capabilities (once). */
  fillChoices() {
    const caps = this.store.capabilities;
    const loss = this.#control("loss");
    loss.replaceChildren(...caps.losses.map((l) => new Option(S.lossName(l.name), l.name)));
    const init = this.#control("init");
    init.replaceChildren(...caps.inits.map((name) => new Option(S.initName(name), name)));
    const eta = this.#control("learning-rate");
    eta.title = `${S.learningRateTitle} (0 < η ≤ ${caps.limits.max_learning_rate})`;
  }

  /** Show the current request in the toolbar. */
  renderToolbar() {
    const req = this.store.request;
    const { max_layers } = this.store.limits;
    const layers = req.network.layers;
    this.root.querySelector('[data-bind="layer-count"]').textContent = String(layers.length);
    this.root.querySelector('[data-action="add-layer"]').disabled = layers.length >= max_layers;
    this.root.querySelector('[data-action="remove-layer"]').disabled = layers.length <= 2;
    this.#control("loss").value = req.network.loss;
    const eta = this.#control("learning-rate");
    if (document.activeElement !== eta) eta.value = String(req.learning_rate);
    eta.removeAttribute("aria-invalid");
    this.#control("freeze-biases").checked = !!req.freeze_biases;
    if (req.network.init) this.#control("init").value = req.network.init;
  }

  /**
   * The per-layer headers above the drawing: activation and neuron count, as much as the
   * gap between two layers holds ("full": a title and one row; "compact": the activation
   * over the count; "tiny": the activation and the count, without the ± buttons).
   */
  renderHeaders(layout) {
    const req = this.store.request;
    const net = req.network;
    const L = net.layers.length - 1;
    const maxN = this.store.limits.max_neurons;
    // A finger's ± buttons are 32 px (app.css): a narrower gap keeps only the activation and the count.
    const coarse = window.matchMedia("(pointer: coarse)").matches;
    const mode = !coarse || layout.header === "tiny" ? layout.header : layout.gap >= 200 ? "full" : layout.gap >= 90 ? "compact" : "tiny";
    const selectWidth = Math.min(96, layout.gap - 8);
    this.headers.dataset.density = mode;
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
        const minus = iconButton("−", S.removeNeuron(l), n <= 1, () => this.#changeNeurons(l, -1));
        const plus = iconButton("+", S.addNeuron(l), n >= maxN, () => this.#changeNeurons(l, +1));
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
        for (const name of this.store.activationNames({ output: l === L })) select.append(new Option(S.activationName(name), name));
        select.value = net.activations[l - 1];
        select.addEventListener("change", async () => {
          // Refused: back to the activation the network uses.
          const taken = await this.#setActivation(l, select.value);
          if (!taken) select.value = this.store.request.network.activations[l - 1];
        });
        if (mode === "full") row.append(select);
        else head.append(select);
      }
      head.append(row);
      return head;
    });
    this.headers.replaceChildren(...heads);
    // A header wider than the room beside its layer (a finger's buttons by the input layer)
    // is shifted in rather than cut by the drawing's edge.
    const edge = this.headers.getBoundingClientRect();
    for (const head of heads) {
      const box = head.getBoundingClientRect();
      const shift = box.left < edge.left ? edge.left - box.left : box.right > edge.right ? edge.right - box.right : 0;
      if (shift) head.style.left = `${parseFloat(head.style.left) + shift}px`;
    }
  }

  // ---- edits ---------------------------------------------------------------------------------

  /** Wait for an edit; a refusal is said in the lecture's words and the toolbar shows the
   * network as it is. Resolves to whether the edit was taken. */
  async #guard(promise) {
    try {
      await promise;
      return true;
    } catch (err) {
      const seed = this.#control("seed");
      const why = lectureMessage(err);
      if (isSeedError(err) && seed.value !== this.seedInUse) {
        this.onStatus(S.editRejected(why, S.seed, this.seedInUse), true);
        seed.value = this.seedInUse;
      } else {
        this.onStatus(why, true);
      }
      this.renderToolbar();
      return false;
    }
  }

  #initSpec(network) {
    const spec = withoutParameters(network);
    spec.init = this.#control("init").value || spec.init;
    const read = parseValue(this.#control("seed").value);
    if (read.problem) throw numberError(read, "seed");
    spec.seed = read.value;
    return spec;
  }

  async #reinit() {
    const seed = this.#control("seed").value;
    const edit = async () => this.commit(withField(this.store.request, "network", this.#initSpec(this.store.request.network)), "network");
    if (await this.#guard(edit())) this.seedInUse = seed;
  }

  #changeLayers(delta) {
    const net = this.store.request.network;
    const layers = net.layers.slice();
    const acts = net.activations.slice();
    const L = layers.length - 1;
    // map[k]: the old layer that new layer k is (null: the new one).
    const map = sameLayers(layers.length);
    if (delta > 0) {
      // A new hidden layer just before the output, like the one before it.
      const width = layers.length > 2 ? layers[layers.length - 2] : Math.max(2, layers[0]);
      const prev = acts.length > 1 ? acts[acts.length - 2] : null;
      const hidden = prev || this.store.activationNames({ output: false })[0];
      layers.splice(L, 0, width);
      acts.splice(acts.length - 1, 0, hidden);
      map.splice(L, 0, null);
    } else {
      if (layers.length <= 2) return;
      layers.splice(L - 1, 1);
      acts.splice(acts.length - 2, 1);
      map.splice(L - 1, 1);
    }
    this.#commitLayers(layers, acts, map);
  }

  #changeNeurons(l, delta) {
    const net = this.store.request.network;
    const layers = net.layers.slice();
    layers[l] += delta;
    this.#commitLayers(layers, net.activations.slice(), sameLayers(layers.length));
  }

  /** New layer sizes: the new shape drawn from init and seed, then every old w and b that
   * still fits copied over it (keptParameters), validated by the API like any edit. */
  async #commitLayers(layers, activations, map) {
    const old = this.store.request.network;
    const seed = this.#control("seed").value;
    const next = withLayers(this.store.request, layers, activations);
    const edit = async () => {
      const fresh = await postNetwork(this.#initSpec(next.network));
      next.network = keptParameters(old, fresh, map);
      await this.commit(next, "network");
    };
    if (await this.#guard(edit())) this.seedInUse = seed;
  }

  #setActivation(l, name) {
    const req = this.store.request;
    const next = withField(req, "network", structuredClone(req.network));
    next.network.activations[l - 1] = name;
    const L = next.network.layers.length - 1;
    if (l === L && !this.store.lossFits(next.network.loss, name)) {
      // The loss made for this activation (softmax → cross-entropy), else any that fits it.
      const width = (x) => (x.output_activations ? x.output_activations.length : Infinity);
      const fit = this.store.capabilities.losses
        .filter((x) => this.store.lossFits(x.name, name))
        .sort((p, q) => width(p) - width(q))[0];
      if (fit) {
        next.network.loss = fit.name;
        this.onStatus(S.adjustedLoss(S.lossName(fit.name)), false);
      }
    }
    return this.#guard(this.commit(next, "request"));
  }

  #setLoss(name) {
    const req = this.store.request;
    const next = withField(req, "network", structuredClone(req.network));
    next.network.loss = name;
    const acts = next.network.activations;
    const out = acts[acts.length - 1];
    if (!this.store.lossFits(name, out)) {
      const allowed = this.store.lossInfo(name).output_activations;
      acts[acts.length - 1] = allowed[0];
      this.onStatus(S.adjustedActivation(acts.length, S.activationName(allowed[0])), false);
    }
    return this.#guard(this.commit(next, "request"));
  }

  async #setLearningRate(input) {
    // Enter and the change event that follows it ask once.
    if (input.value === this.etaAsked) return;
    this.etaAsked = input.value;
    try {
      await this.setLearningRate(input.value, input);
    } finally {
      this.etaAsked = undefined;
    }
  }
}

/** A refusal that names the network's seed (POST /network calls it "seed"). */
function isSeedError(err) {
  if (err && err.field === "seed") return true;
  const detail = err && Array.isArray(err.detail) ? err.detail : [];
  return detail.some((d) => /(^|\.)seed$/.test(d.field || ""));
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
