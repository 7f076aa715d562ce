// The editor: click-to-edit values (weights, biases, inputs, targets) in a small popover
// (popover.js), the per-layer headers (activation, neuron count: headers.js) and the toolbar
// (layers, loss, η, init, seed, freeze biases). Every change goes to the API first; what it
// refuses is shown in place with its message in the lecture's notation (notation.js), the
// field goes back to the value the network uses, and nothing changes. A structural change
// keeps every weight and bias that still fits (keptParameters) and draws only the new ones
// from init and seed.

import { postNetwork } from "../page/api.js";
import { lectureMessage } from "../text/messages.js";
import { numberError, parseValue } from "../text/numbers.js";
import { withField, withLayers, withoutParameters } from "../page/state.js";
import { S } from "../text/strings.js";
import { renderLayerHeaders } from "./headers.js";
import { EditPopover } from "./popover.js";

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
    this.onStatus = onStatus;
    this.popover = new EditPopover(root.querySelector('[data-bind="editor"]'), { store, commit, onExplain });
    this.headers = root.querySelector('[data-bind="layer-headers"]');
    this.seedInUse = this.#control("seed").value; // the seed the weights were last drawn with
    this.#wireToolbar();
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

  // ---- the popover (popover.js) -------------------------------------------------------------

  /** Open the editor on an item picked on the drawing; closing it gives the item its focus back. */
  openPicked(pick) {
    this.popover.openPicked(pick);
  }

  /** Open the editor for a picked item at drawing coordinates (x, y). */
  open(pick) {
    this.popover.open(pick);
  }

  close() {
    this.popover.close();
  }

  get isOpen() {
    return this.popover.isOpen;
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
    const { max_layers, min_layers } = this.store.limits;
    const layers = req.network.layers;
    this.root.querySelector('[data-bind="layer-count"]').textContent = String(layers.length);
    this.root.querySelector('[data-action="add-layer"]').disabled = layers.length >= max_layers;
    this.root.querySelector('[data-action="remove-layer"]').disabled = layers.length <= min_layers;
    this.#control("loss").value = req.network.loss;
    const eta = this.#control("learning-rate");
    if (document.activeElement !== eta) eta.value = String(req.learning_rate);
    eta.removeAttribute("aria-invalid");
    this.#control("freeze-biases").checked = !!req.freeze_biases;
    if (req.network.init) this.#control("init").value = req.network.init;
  }

  /** The per-layer headers above the drawing (headers.js), at the drawing's layout. */
  renderHeaders(layout) {
    renderLayerHeaders(this.headers, layout, {
      store: this.store,
      changeNeurons: (l, delta) => this.#changeNeurons(l, delta),
      setActivation: (l, name) => this.#setActivation(l, name),
    });
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
      if (layers.length <= this.store.limits.min_layers) return;
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
