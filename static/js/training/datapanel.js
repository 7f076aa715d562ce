// The data set panel: the picker with each set's picture, the data settings (a change fits
// the network and makes new data), points added by clicking the plane, CSV in and out, and
// Save/Load of the whole training state as JSON. `rebuild` shows a network with the data
// made for it: every path that changes the data or the weights without training goes there.
// Data with other classes (or values) refits the output layer (classes.js), the hidden
// layers keeping their weights, and a note says what changed.

import { postDataset, postNetwork } from "../page/api.js";
import { keptParameters } from "../panel/editor.js";
import { S } from "../text/strings.js";
import { dataKindOf, fitNetwork, outputFor, pointField, pointPlace } from "./classes.js";
import { CsvError, parseCsv, readSaveFile, saveFile, toCsv } from "./data.js";
import {
  DEFAULT_TRAINING_NETWORK,
  USER_DATASET,
  datasetInfo,
  datasetNames,
  datasetSpec,
  emptyRun,
  pointsFromData,
  targetFor,
  withPoint,
} from "./state.js";
import { lectureMessage, problemText } from "../text/messages.js";

const THUMB_SAMPLES = 200;

const hasParameters = (n) => Array.isArray(n.weights) && Array.isArray(n.biases);

/** The network without its weights and biases: the server fills them from `init` and `seed`. */
export function stripParameters(network) {
  const n = structuredClone(network);
  delete n.weights;
  delete n.biases;
  return n;
}

export class DataPanel {
  /** @param {import("./view.js").TrainingView} view  the slice, the error line and the other parts */
  constructor(view) {
    this.view = view;
    this.store = view.store;
    this.$ = view.$;
    this.datasetThumbs = new Map();
    this.note = null; // what the last refit of the output layer changed (outputRefit's fields)
    const on = (sel, type, fn) => this.$(sel).addEventListener(type, fn);
    on('[data-action="export-data"]', "click", () => this.exportCsv());
    on('[data-action="train-save"]', "click", () => this.save());
    on('[data-control="csv"]', "change", (ev) => {
      const file = ev.target.files[0];
      ev.target.value = "";
      if (file) this.#csvChosen(file);
    });
    on('[data-control="train-load"]', "change", async (ev) => {
      const file = ev.target.files[0];
      ev.target.value = "";
      if (file) this.load(await file.text()).catch(() => {});
    });
  }

  get t() {
    return this.view.t;
  }

  /** The picker: one button per data set the server makes, and the user's own. */
  fillChoices() {
    const sets = this.$('[data-bind="datasets"]');
    for (const name of [...datasetNames(this.view.caps().datasets), USER_DATASET]) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "dataset";
      b.dataset.dataset = name;
      b.setAttribute("role", "radio");
      const c = document.createElement("canvas");
      c.width = 44;
      c.height = 44;
      const span = document.createElement("span");
      span.textContent = name === USER_DATASET ? S.userData : S.datasetName(name);
      b.append(c, span);
      b.addEventListener("click", () => {
        if (name === USER_DATASET && !this.t.points) return;
        this.dataChanged({ dataset: name });
      });
      sets.append(b);
    }
  }

  /** The language changed: the sets' names and the "click adds" choices. */
  relabel() {
    for (const span of this.$('[data-bind="datasets"]').querySelectorAll("[data-dataset] > span")) {
      const name = span.parentElement.dataset.dataset;
      span.textContent = name === USER_DATASET ? S.userData : S.datasetName(name);
    }
    this.fillAddClasses();
    this.#showNote();
  }

  /** Each set's picture in its button, from a small noiseless sample the server makes. */
  async drawDatasetThumbs() {
    const names = datasetNames(this.view.caps().datasets);
    await Promise.all(
      names.map(async (name) => {
        const info = datasetInfo(name, this.view.caps().datasets);
        const { network } = fitNetwork(DEFAULT_TRAINING_NETWORK, ["x1", "x2"], info, this.store.capabilities);
        try {
          const d = await postDataset({
            network,
            dataset: { name, samples: THUMB_SAMPLES, noise: 0, seed: 0, test_ratio: 0, features: ["x1", "x2"] },
          });
          this.datasetThumbs.set(name, d);
          drawThumb(this.$(`[data-dataset="${name}"] canvas`), d);
        } catch {
          // a set the server does not make: its button stays blank
        }
      }),
    );
  }

  /**
   * The data's kind and classes: the user's points' (what their labels are, not what the
   * data shown before them was), else the set's (from the capabilities).
   */
  info() {
    const s = this.t.settings;
    if (s.dataset === USER_DATASET) {
      const p = this.t.points;
      if (p && p.info) return p.info;
      if (p && p.labels) return dataKindOf(p.labels, this.view.limits().max_neurons);
      const d = this.t.data;
      return d ? { kind: d.kind, classes: d.classes } : { kind: "classification", classes: 2 };
    }
    return datasetInfo(s.dataset, this.view.caps().datasets);
  }

  /**
   * Show `network` (weights filled by the server when it has none) with the data made for
   * it: POST /network, POST /dataset, then the request (validated) with the first point.
   */
  async rebuild(network, { keepRun = false, preview = true } = {}) {
    const view = this.view;
    const filled = hasParameters(network) ? network : await postNetwork(network);
    const data = await postDataset({ network: filled, dataset: datasetSpec(this.t.settings, this.t.points) });
    const first = data.train.inputs.length ? data.train : data.test;
    const request = {
      ...this.store.request,
      network: filled,
      input: structuredClone(first.inputs[0]),
      target: structuredClone(first.targets[0]),
    };
    await view.app.load(request, { user: true });
    view.batch.clear();
    view.update({ data, run: keepRun ? this.t.run : emptyRun() });
    view.error("");
    view.form.sync();
    view.batch.render();
    if (preview) view.run.preview();
  }

  /**
   * The data settings changed: stop, fit the network (new features or outputs), new data.
   * Resolves true once shown, false when refused (the error line says why).
   */
  async dataChanged(partial) {
    const view = this.view;
    view.run.stop();
    view.updateSettings(partial);
    await view.ensureReady();
    const old = this.store.request.network;
    const fit = fitNetwork(old, this.t.settings.features, this.info(), this.store.capabilities);
    let ok = true;
    try {
      await this.showFitted(old, fit);
    } catch (err) {
      view.error(this.pointsMessage(err));
      this.note = null;
      this.#showNote();
      ok = false;
    }
    view.form.sync();
    return ok;
  }

  /**
   * Show the network `old` fitted to the data (`fit`: fitNetwork's answer) with that data,
   * keeping every weight that still fits, and say what changed in the output layer.
   */
  async showFitted(old, fit) {
    await this.rebuild(fit.changed ? await this.#refit(old, fit) : fit.network);
    this.note = fit.output && refitNote(fit.network, fit.output);
    this.#showNote(true);
  }

  /**
   * The fitted shape with every weight and bias of `old` that still fits: POST /network
   * draws the new shape from the network's init and seed, and keptParameters copies the
   * old numbers over it (as the editor does for a structural change; no math).
   */
  async #refit(old, fit) {
    const fresh = await postNetwork(stripParameters(fit.network));
    return keptParameters(old, fresh, fit.map);
  }

  /** The note under the controls (and, when it is new, in the status line). */
  #showNote(announce = false) {
    const text = this.note ? S.outputRefit(noteWords(this.note)) : "";
    this.$('[data-bind="train-note"]').textContent = text;
    if (announce && text) this.view.app.setStatus(text, false);
  }

  /**
   * A refused request's message, where every problem on the user's points names the CSV's
   * line and column it came from (or "point 5" for a clicked one), never the API's field
   * path (dataset.x[i][k]); other problems as lectureMessage says them.
   */
  pointsMessage(err) {
    const points = this.t.settings.dataset === USER_DATASET ? this.t.points : null;
    const detail = err && Array.isArray(err.detail) ? err.detail : null;
    if (!points || !detail || !detail.some((d) => pointField(d && d.field))) return lectureMessage(err);
    let csv = false;
    const text = detail
      .map((problem) => {
        const cell = pointField(problem && problem.field);
        if (!cell) return problemText(problem);
        const place = pointPlace(points, cell);
        csv ||= !!place.line;
        return S.pointAt(place, problemText({ ...problem, field: "", loc: [] }));
      })
      .join("; ");
    return csv ? S.csvError(text) : text;
  }

  // ---- the points -------------------------------------------------------------------------

  /** The plane was clicked away from any point: add one there when "click adds" names a class. */
  planeClicked(x) {
    const value = this.$('[data-control="add-class"]').value;
    if (value === "") return;
    this.addPoint(x, Number(value));
  }

  /** A point of class `label` at x: the data becomes the user's own. */
  async addPoint(x, label) {
    const data = this.t.data;
    const before = { points: this.t.points, settings: this.t.settings };
    const own = this.t.settings.dataset === USER_DATASET && this.t.points?.labels;
    const base = own ? this.t.points : pointsFromData(data);
    const classes = Math.max(data.classes || 2, label + 1);
    const out = outputFor({ kind: "classification", classes }, this.store.capabilities);
    let points = base;
    if (classes !== data.classes) {
      // A new class changes the output layer: every target is written for the new one.
      points = { ...base, y: base.labels.map((k) => targetFor(k, [], out.size)) };
    }
    const y = targetFor(label, classes === data.classes ? [data.train, data.test] : [], out.size);
    // A clicked point has no CSV line; the CSV's points keep theirs (a refusal names them).
    const lines = own && base.lines ? [...base.lines, null] : null;
    points = { ...withPoint(points, x, y, label), lines, columns: own ? base.columns : undefined };
    points.info = { kind: "classification", classes };
    this.view.update({ points });
    // Refused: the data stays what it was.
    if (!(await this.dataChanged({ dataset: USER_DATASET }))) this.#restore(before);
  }

  /** The "click adds" choices: nothing, each class of the data, or one new class. */
  fillAddClasses() {
    const select = this.$('[data-control="add-class"]');
    const d = this.t.data;
    const classes = d && d.kind === "classification" ? d.classes || 2 : 0;
    const maxNeurons = this.store.capabilities?.limits?.max_neurons ?? Infinity;
    const keep = select.value;
    const options = [new Option(S.addOff, "")];
    for (let k = 0; k < classes; k++) options.push(new Option(S.addClass(k), String(k)));
    // One more class is one more output neuron: offered while the layer may grow.
    if (classes && classes < maxNeurons) options.push(new Option(S.addNewClass(classes), String(classes)));
    select.replaceChildren(...options);
    select.disabled = !classes;
    select.value = options.some((o) => o.value === keep) ? keep : "";
  }

  async #csvChosen(file) {
    let parsed;
    let info;
    try {
      parsed = parseCsv(await file.text());
      info = dataKindOf(parsed.labels, this.view.limits().max_neurons);
      this.#checkClasses(parsed, info);
    } catch (err) {
      this.view.error(S.csvError(err.message));
      return;
    }
    const classes = info.classes;
    const out = outputFor(info, this.store.capabilities);
    const existing = this.t.data && this.t.data.classes === classes ? [this.t.data.train, this.t.data.test] : [];
    const y = parsed.labels.map((k) => (classes ? targetFor(k, existing, out.size) : [k]));
    const width = parsed.x[0].length;
    const features = width === 2 ? this.t.settings.features : Array.from({ length: width }, (_, i) => `x${i + 1}`);
    const before = { points: this.t.points, settings: this.t.settings };
    const { lines, columns } = parsed;
    this.view.update({ points: { x: parsed.x, y, labels: parsed.labels, info, width, lines, columns } });
    // Refused: the data stays what it was; the error names the CSV's line and column.
    if (!(await this.dataChanged({ dataset: USER_DATASET, features }))) this.#restore(before);
  }

  /** The points and settings as they were before a refused change. */
  #restore(before) {
    this.view.update(before);
    this.view.form.sync();
  }

  /** More classes than an output layer may have neurons: the line of the first label past it. */
  #checkClasses(parsed, info) {
    const max = this.store.capabilities?.limits?.max_neurons;
    if (!max || !info.classes || info.classes <= max) return;
    const i = parsed.labels.findIndex((k) => k + 1 > max);
    const column = parsed.columns.length;
    throw new CsvError(S.csvTooManyClasses(parsed.labels[i], max), parsed.lines[i], column, parsed.columns[column - 1]);
  }

  // ---- files --------------------------------------------------------------------------------

  #download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** Download the data (train and test) as CSV `x1,x2,label`. */
  exportCsv() {
    const d = this.t.data;
    if (!d) return;
    const x = [...d.train.x, ...d.test.x];
    const labels = [...d.train.labels, ...d.test.labels];
    this.#download("data.csv", "text/csv", toCsv({ x, labels }));
  }

  /** The saved state (network + settings + data + progress), as JSON-ready data. */
  saved() {
    const t = this.t;
    return saveFile({ network: this.store.request.network, settings: t.settings, points: t.points, run: t.run });
  }

  /** Download the saved state as training.json. */
  save() {
    this.#download("training.json", "application/json", `${JSON.stringify(this.saved(), null, 1)}\n`);
  }

  /** Load a saved state (its JSON text or object) back to exactly that state. */
  async load(text) {
    const view = this.view;
    let saved;
    try {
      saved = readSaveFile(text);
    } catch (err) {
      view.error(S.loadError(err.message));
      throw err;
    }
    await view.open();
    view.run.stop();
    view.update({ settings: saved.settings, points: saved.points });
    view.run.lastOptimizer = saved.settings.optimizer;
    await this.rebuild(saved.network, { preview: false });
    view.update({ run: { ...emptyRun(), ...saved.run, network: this.store.request.network } });
    view.form.sync({ force: true });
    view.run.preview();
  }
}

/** What a refit changed, as the note says it: the output layer's neurons and loss, and
 * whether the hidden layers kept their weights (all, those that still fit, or none to keep). */
function refitNote(network, { size, activation, loss, inputs }) {
  const hidden = network.layers.length > 2 ? (inputs ? "fit" : "kept") : "none";
  return { size, activation, loss, perClass: size > 1, hidden };
}

/** The note's names in the page's language. */
function noteWords(note) {
  return { ...note, activation: S.activationName(note.activation), loss: S.lossName(note.loss) };
}

/** A data set's picture: its points, small. */
function drawThumb(canvas, data) {
  if (!canvas || !data.extent) return;
  const ctx = canvas.getContext("2d");
  const side = canvas.width;
  const [[x0, x1], [y0, y1]] = data.extent;
  ctx.fillStyle = "#f7f7f5";
  ctx.fillRect(0, 0, side, side);
  const colors = ["#e66101", "#2166ac", "#1b9e77"];
  const labels = data.train.labels;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of labels) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  data.train.x.forEach((p, k) => {
    const label = labels[k];
    ctx.fillStyle = data.kind === "regression" ? (label > (lo + hi) / 2 ? colors[1] : colors[0]) : colors[label % 3];
    ctx.fillRect(((p[0] - x0) / (x1 - x0)) * side - 1, side - ((p[1] - y0) / (y1 - y0)) * side - 1, 2, 2);
  });
}
