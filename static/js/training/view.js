// The training view beside the drawing: data set, settings, train/pause/one batch/one
// epoch/reset, the plane (boundary + points), each hidden neuron's picture, the loss chart,
// the mini-batch view, CSV and JSON files. It keeps its state in the store's `training`
// slice (state.js) and shows the network through the same store's `request`, so the
// drawing follows the weights as they train.
//
// Speed: events are folded into the slice as they arrive, but the plane, the pictures and
// the numbers are painted at most once an animation frame (only the latest snapshot), the
// chart at most every CHART_MS and the network drawing at most every NETWORK_MS.

import { postDataset, postNetwork, postTraceBatch } from "../api.js";
import { short } from "../format.js";
import { S } from "../strings.js";
import { LossChart } from "./chart.js";
import { TrainingStream } from "./client.js";
import { valueRange } from "./colors.js";
import { areClasses, parseCsv, readSaveFile, saveFile, toCsv } from "./data.js";
import { allLinks, batchBody, linkKey, renderBatch } from "./minibatch.js";
import { Plane } from "./plane.js";
import {
  DEFAULT_TRAINING_NETWORK,
  epochsPerRequest,
  hiddenCount,
  neuronGrid,
  FEATURES,
  OPTIMIZERS,
  REGULARIZATIONS,
  SPEEDS,
  USER_DATASET,
  applyTrainingEvent,
  datasetInfo,
  datasetNames,
  datasetSpec,
  emptyRun,
  emptyTraining,
  fitNetwork,
  outputFor,
  parseNumber,
  pointRequest,
  pointsFromData,
  resumePoint,
  targetFor,
  trainBody,
  withPoint,
} from "./state.js";
import { NeuronThumbs } from "./thumbs.js";

const NETWORK_MS = 200; // the network drawing follows the weights at most 5 times a second
const CHART_MS = 100;
const THUMB_SAMPLES = 200;

const hasParameters = (n) => Array.isArray(n.weights) && Array.isArray(n.biases);

export class TrainingView {
  /**
   * @param {HTMLElement} root  the .app element
   * @param {object} o
   * @param {import("../store.js").Store} o.store
   * @param {object} o.app  {load(request, {user}), play(), setStatus(msg, isError)}
   */
  constructor(root, { store, app }) {
    this.root = root;
    this.store = store;
    this.app = app;
    this.el = root.querySelector('[data-bind="training"]');
    this.toggle = root.querySelector('[data-action="training"]');
    this.$ = (sel) => this.el.querySelector(sel);
    this.stream = new TrainingStream();
    this.snapshotsDrawn = 0;
    this.drawFrame = 0;
    this.drawWaiters = [];
    this.lastChartAt = 0;
    this.chartTimer = 0;
    this.lastPushAt = 0;
    this.pushTimer = 0;
    this.pushing = false; // the request change is ours (the weights as they train)
    this.ready = null;
    this.datasetThumbs = new Map();
    // The mini-batch view: `next` when its points are the run's next step's (else picked).
    this.batch = { indices: [], next: false, pick: false, link: null, mean: null, sum: null, eta: null };
    store.set({ training: emptyTraining() });

    this.plane = new Plane(this.$('[data-bind="plane"]'), {
      label: S.planeLabel,
      onPoint: (hit) => this.#pointClicked(hit),
      onEmpty: (x) => this.#planeClicked(x),
    });
    this.thumbs = new NeuronThumbs(this.$('[data-bind="thumbs"]'), { title: S.thumbTitle });
    this.chart = new LossChart(this.$('[data-bind="loss-chart"]'), {
      labels: { title: S.chartTitle, readout: S.chartReadout },
    });
    this.#wireControls();
    store.subscribe((s) => this.#showOpen(!!s.view.training), ["view"]);
    store.subscribe(() => this.#changed(), ["training"]);
    store.subscribe((s, _c, cause) => this.#requestChanged(s, cause), ["request"]);
    store.subscribe((s) => this.#selectionChanged(s.selection), ["selection"]);
    new ResizeObserver(() => {
      this.plane.resize();
      this.#scheduleDraw(true);
    }).observe(this.$('[data-bind="plane"]'));
  }

  // ---- the slice --------------------------------------------------------------------------

  get t() {
    return this.store.state.training;
  }

  #update(partial) {
    this.store.set({ training: { ...this.t, ...partial } });
  }

  #settings(partial) {
    this.#update({ settings: { ...this.t.settings, ...partial } });
  }

  get isOpen() {
    return !!this.store.state.view.training;
  }

  open() {
    if (!this.isOpen) this.store.merge("view", { training: true });
    return this.#ensureReady();
  }

  close() {
    this.store.merge("view", { training: false });
  }

  /** What window.backpropViz.training() returns. */
  status() {
    const r = this.t.run;
    return {
      running: r.running,
      epoch: r.epoch,
      step: r.step,
      train_loss: r.train_loss,
      test_loss: r.test_loss,
      train_accuracy: r.train_accuracy,
      test_accuracy: r.test_accuracy,
      snapshots_drawn: this.snapshotsDrawn,
      reader: this.stream.reader,
    };
  }

  #showOpen(open) {
    this.el.hidden = !open;
    this.root.classList.toggle("training-open", open);
    if (this.toggle) this.toggle.setAttribute("aria-pressed", String(open));
    if (open) {
      this.#ensureReady().catch((err) => this.#error(err.message));
      this.#scheduleDraw(true);
    }
  }

  #error(message) {
    const el = this.$('[data-bind="train-error"]');
    el.textContent = message || "";
    if (message) this.app.setStatus(message, true);
  }

  // ---- data and network -------------------------------------------------------------------

  /** The first time the view opens: a network that fits the data, the data, the pictures. */
  #ensureReady() {
    this.ready ||= (async () => {
      this.#fillChoices();
      this.#syncControls();
      const info = this.#info();
      const base = this.store.presetName || !this.store.request ? DEFAULT_TRAINING_NETWORK : this.store.request.network;
      const { network } = fitNetwork(base, this.t.settings.features, info);
      await this.#rebuild(this.store.presetName ? stripParameters(network) : network);
      this.#drawDatasetThumbs();
    })();
    this.ready.catch(() => {
      this.ready = null;
    });
    return this.ready;
  }

  #info() {
    const s = this.t.settings;
    if (s.dataset === USER_DATASET) {
      const d = this.t.data;
      return d ? { kind: d.kind, classes: d.classes } : this.t.points?.info || { kind: "classification", classes: 2 };
    }
    return datasetInfo(s.dataset, this.#caps().datasets);
  }

  #caps() {
    return (this.store.capabilities && this.store.capabilities.training) || {};
  }

  /**
   * Show `network` (weights filled by the server when it has none) with the data made for
   * it: POST /network, POST /dataset, then the request (validated) with the first point.
   */
  async #rebuild(network, { keepRun = false, preview = true } = {}) {
    const filled = hasParameters(network) ? network : await postNetwork(network);
    const data = await postDataset({ network: filled, dataset: datasetSpec(this.t.settings, this.t.points) });
    const first = data.train.inputs.length ? data.train : data.test;
    const request = {
      ...this.store.request,
      network: filled,
      input: structuredClone(first.inputs[0]),
      target: structuredClone(first.targets[0]),
    };
    await this.app.load(request, { user: true });
    this.batch = { ...this.batch, indices: [], next: false, mean: null, sum: null };
    this.#update({ data, run: keepRun ? this.t.run : emptyRun() });
    this.#error("");
    this.#syncControls();
    this.#renderBatch();
    if (preview) this.preview();
  }

  /** The data settings changed: stop, fit the network (new features or outputs), new data. */
  async #dataChanged(partial) {
    this.stop();
    this.#settings(partial);
    await this.#ensureReady();
    const { network, changed } = fitNetwork(this.store.request.network, this.t.settings.features, this.#info());
    try {
      await this.#rebuild(changed ? stripParameters(network) : network);
    } catch (err) {
      this.#error(err.message);
    }
    this.#syncControls();
  }

  /** The network the next run starts from: the stream's latest while it runs, else the request's. */
  #currentNetwork() {
    const run = this.t.run;
    return run.network && this.stream.running ? run.network : this.store.request.network;
  }

  /** Where a run continues, with the optimizer's state only if the weights are the run's own. */
  #resume() {
    const run = this.t.run;
    const point = resumePoint(run);
    if (!point) return null;
    const same = this.stream.running || this.store.request.network === run.network;
    const sameOptimizer = this.lastOptimizer === this.t.settings.optimizer;
    return { ...point, optimizer_state: same && sameOptimizer ? point.optimizer_state : null };
  }

  /** The next request's body, or null when the run is at its last epoch already. */
  #nextBody(maxSteps) {
    const t = this.t;
    const network = this.#currentNetwork();
    const remaining = maxSteps ? maxSteps : t.settings.epochs - (resumePoint(t.run)?.epoch ?? 0);
    if (remaining < 1) return null;
    const speed = SPEEDS[t.settings.speed] || SPEEDS.at(-1);
    const epochs = epochsPerRequest({
      remaining,
      trainSize: t.data ? t.data.train.inputs.length : 0,
      reportEvery: maxSteps ? 1 : speed.report_every,
      grid: t.settings.grid,
      neuronGrid: neuronGrid(t.settings),
      hidden: hiddenCount(network),
      limits: this.#caps().limits || {},
    });
    return trainBody(t.settings, { network, dataset: datasetSpec(t.settings, t.points), epochs, resume: this.#resume(), maxSteps });
  }

  // ---- training ---------------------------------------------------------------------------

  /**
   * Train to the epochs setting (or one batch / one epoch with maxSteps), in as many requests
   * as the server's caps need. Resolves with the last done event once drawn (null if stopped).
   */
  async train({ maxSteps = null, body = null } = {}) {
    try {
      await this.open();
    } catch (err) {
      this.#error(err.message);
      return null;
    }
    this.previewStream?.abort();
    for (;;) {
      const next = body || this.#nextBody(maxSteps);
      if (!next) {
        this.#error(S.trainAtEnd(this.t.run.epoch));
        return null;
      }
      this.lastOptimizer = next.optimizer || this.t.settings.optimizer;
      this.#update({ run: { ...this.t.run, running: true, problem: null, done: null } });
      this.#error("");
      let done = null;
      try {
        done = await this.stream.start(next, (events) => this.#onEvents(events));
      } catch (err) {
        this.#update({ run: { ...this.t.run, running: false } });
        this.#error(err.message);
        return null;
      }
      if (!done) return null; // stopped (pause, a restart, a reset)
      const more = !body && !maxSteps && done.reason === "epochs" && this.t.run.epoch < this.t.settings.epochs;
      if (!more) {
        this.#pushNetwork(true);
        if (this.batch.next) this.nextBatch(); // the batch the step after this run takes
        await this.#drawn();
        return done;
      }
      // The server's caps ended this request: the next one continues from its done event.
      this.#pushNetwork(true);
    }
  }

  /**
   * θ as it is, without training (`epochs: 0`: one report, nothing stepped): the boundary and
   * pictures of the current weights, and the mini-batch the next step from them takes.
   */
  async preview() {
    const t = this.t;
    if (!t.data || this.stream.running) return;
    const network = this.store.request.network;
    const body = trainBody(t.settings, {
      network,
      dataset: datasetSpec(t.settings, t.points),
      epochs: 0,
      resume: resumePoint(t.run),
    });
    delete body.pace;
    delete body.optimizer_state; // the weights only; the optimizer is not stepped
    const preview = new TrainingStream();
    this.previewStream?.abort();
    this.previewStream = preview;
    await preview
      .start(body, (events) => {
        const event = events.find((e) => e.type === "snapshot");
        if (!event) return;
        if (this.store.request.network === network && !this.stream.running) {
          const run = this.t.run;
          this.#update({ run: { ...run, snapshot: event, next_batch: event.next_batch ?? run.next_batch } });
        }
      })
      .catch(() => {});
  }

  /** A /train/stream body from a host or a test: adopt its network, data and settings, then train. */
  async trainWith(body) {
    await this.open();
    this.stop();
    const ds = body.dataset || {};
    const s = { ...this.t.settings };
    for (const k of ["learning_rate", "batch_size", "optimizer", "epochs", "seed"]) if (k in body) s[k] = body[k];
    s.regularization = body.regularization ? body.regularization.kind : "none";
    if (body.regularization) s.regularization_rate = body.regularization.rate;
    s.target_loss = body.target_loss ?? null;
    if (ds.name) Object.assign(s, { dataset: ds.name, samples: ds.samples ?? s.samples, noise: ds.noise ?? s.noise });
    else s.dataset = USER_DATASET;
    for (const k of ["test_ratio", "seed"]) if (k in ds) s[k] = ds[k];
    if (ds.features) s.features = [...ds.features];
    this.#update({ settings: s, points: ds.name ? null : { x: ds.x, y: ds.y, labels: null } });
    await this.#rebuild(body.network);
    this.#syncControls();
    return this.train({ body: { ...body, network: this.store.request.network } });
  }

  /** Stop the stream; the weights it reached stay. */
  stop() {
    const wasRunning = this.stream.running;
    this.stream.abort();
    if (wasRunning || this.t.run.running) {
      this.#update({ run: { ...this.t.run, running: false } });
      this.#pushNetwork(true);
    }
  }

  /** A setting of the run changed (η, regularisation, batch size, optimizer, speed): restart from the latest weights. */
  #runSettingChanged(partial) {
    this.#settings(partial);
    // Another batch size takes other points next: the server says which at the next report.
    if ("batch_size" in partial) this.#update({ run: { ...this.t.run, next_batch: null } });
    if (this.stream.running) this.train();
    else if (this.batch.next) this.nextBatch();
    else this.#renderBatch();
  }

  async reset() {
    this.stop();
    await this.#ensureReady();
    try {
      await this.#rebuild(stripParameters(this.store.request.network));
    } catch (err) {
      this.#error(err.message);
    }
  }

  /** A chunk of the stream's events: folded together into the slice, which changes once. */
  #onEvents(events) {
    let run = this.t.run;
    for (const event of events) run = applyTrainingEvent(run, event);
    this.#update({ run });
    for (const event of events) {
      if (event.type === "diverged" || event.type === "error") this.#error(S.trainProblem(event.type, event.reason));
    }
    if (events.some((e) => e.type === "snapshot")) this.#pushNetwork(false);
  }

  /** Show the latest weights in the drawing (through the store's request), throttled. */
  #pushNetwork(now) {
    clearTimeout(this.pushTimer);
    this.pushTimer = 0;
    const wait = NETWORK_MS - (performance.now() - this.lastPushAt);
    if (!now && wait > 0) {
      this.pushTimer = setTimeout(() => this.#pushNetwork(true), wait);
      return;
    }
    const network = this.t.run.network;
    const request = this.store.request;
    if (!network || !request || request.network === network) return;
    this.lastPushAt = performance.now();
    this.pushing = true;
    try {
      // streaming: the drawing changes only the weights, in place (app.js); the last push, once
      // the stream has stopped, repaints everything from the new request.
      const cause = { training: true, streaming: this.stream.running };
      this.store.set({ request: { ...request, network }, presetName: null }, cause);
    } finally {
      this.pushing = false;
    }
  }

  #requestChanged(state, cause) {
    if (this.pushing || !this.t) return;
    // An edit of the network (a weight, a layer): training stops and continues from it.
    if (cause && cause.user && this.stream.running) this.stop();
  }

  // ---- the points -------------------------------------------------------------------------

  #pointClicked({ split, index }) {
    if (this.batch.pick) {
      if (split !== "train") return;
      const set = new Set(this.batch.indices);
      if (set.has(index)) set.delete(index);
      else set.add(index);
      this.batch = { ...this.batch, indices: [...set], next: false };
      this.#loadBatch();
      return;
    }
    this.openPoint(split, index);
  }

  /** The step-through view on one point with the current weights, played. */
  async openPoint(split, index) {
    this.stop();
    const data = this.t.data;
    const request = pointRequest(this.store.request.network, data[split], index, this.t.settings.learning_rate);
    try {
      await this.app.load(request, { user: true });
      this.app.setStatus(S.pointOpened(split, index), false);
      this.app.play();
    } catch (err) {
      this.#error(err.message);
    }
  }

  #planeClicked(x) {
    const value = this.$('[data-control="add-class"]').value;
    if (value === "") return;
    this.addPoint(x, Number(value));
  }

  /** A point of class `label` at x: the data becomes the user's own. */
  async addPoint(x, label) {
    const data = this.t.data;
    const base = this.t.settings.dataset === USER_DATASET && this.t.points?.labels ? this.t.points : pointsFromData(data);
    const classes = Math.max(data.classes || 2, label + 1);
    const out = outputFor({ kind: "classification", classes });
    let points = base;
    if (classes !== data.classes) {
      // A new class changes the output layer: every target is written for the new one.
      points = { ...base, y: base.labels.map((k) => targetFor(k, [], out.size)) };
    }
    const y = targetFor(label, classes === data.classes ? [data.train, data.test] : [], out.size);
    points = withPoint(points, x, y, label);
    points.info = { kind: "classification", classes };
    this.#update({ points });
    await this.#dataChanged({ dataset: USER_DATASET });
  }

  async #csvChosen(file) {
    let parsed;
    try {
      parsed = parseCsv(await file.text());
    } catch (err) {
      this.#error(S.csvError(err.message));
      return;
    }
    const classes = areClasses(parsed.labels) ? Math.max(2, ...parsed.labels.map((k) => k + 1)) : null;
    const info = classes ? { kind: "classification", classes } : { kind: "regression", classes: null };
    const out = outputFor(info);
    const existing = this.t.data && this.t.data.classes === classes ? [this.t.data.train, this.t.data.test] : [];
    const y = parsed.labels.map((k) => (classes ? targetFor(k, existing, out.size) : [k]));
    const width = parsed.x[0].length;
    const features = width === 2 ? this.t.settings.features : Array.from({ length: width }, (_, i) => `x${i + 1}`);
    this.#update({ points: { x: parsed.x, y, labels: parsed.labels, info, width } });
    await this.#dataChanged({ dataset: USER_DATASET, features });
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

  save() {
    this.#download("training.json", "application/json", `${JSON.stringify(this.saved(), null, 1)}\n`);
  }

  /** Load a saved state (its JSON text or object) back to exactly that state. */
  async load(text) {
    let saved;
    try {
      saved = readSaveFile(text);
    } catch (err) {
      this.#error(S.loadError(err.message));
      throw err;
    }
    await this.open();
    this.stop();
    this.#update({ settings: saved.settings, points: saved.points });
    this.lastOptimizer = saved.settings.optimizer;
    await this.#rebuild(saved.network, { preview: false });
    this.#update({ run: { ...emptyRun(), ...saved.run, network: this.store.request.network } });
    this.#syncControls({ force: true });
    this.preview();
  }

  // ---- the mini-batch view --------------------------------------------------------------------

  #linkChoice() {
    const links = allLinks(this.store.request.network);
    const want = this.batch.link && links.find((l) => linkKey(l) === linkKey(this.batch.link));
    return want || links.at(-1);
  }

  #selectionChanged(sel) {
    if (!sel || sel.kind !== "weight") return;
    this.batch = { ...this.batch, link: { layer: sel.layer - 1, from: sel.from, to: sel.to } };
    this.#fillLinks();
    this.#renderBatch();
  }

  /**
   * The mini-batch the run's next step takes (the server's `next_batch`, from the latest
   * snapshot or done event, or from an `epochs: 0` report when the run has none yet).
   */
  async nextBatch() {
    if (!this.t.data) return;
    if (!this.t.run.next_batch) await this.preview();
    const indices = this.t.run.next_batch;
    if (!indices) return;
    this.batch = { ...this.batch, indices: [...indices], next: true };
    return this.#loadBatch();
  }

  async #loadBatch() {
    const d = this.t.data;
    const indices = this.batch.indices;
    this.#scheduleDraw(true);
    if (!indices.length) {
      this.batch = { ...this.batch, mean: null, sum: null };
      this.#renderBatch();
      return;
    }
    const network = this.store.request.network;
    const eta = this.t.settings.learning_rate;
    try {
      const [mean, sum] = await Promise.all([
        postTraceBatch(batchBody(network, d.train, indices, eta, "mean")),
        postTraceBatch(batchBody(network, d.train, indices, eta, "sum")),
      ]);
      mean.request_network = network;
      if (this.batch.indices !== indices) return; // another batch was asked for meanwhile
      this.batch = { ...this.batch, mean, sum, eta };
      this.#renderBatch();
    } catch (err) {
      this.#error(err.message);
    }
  }

  #renderBatch() {
    const body = this.$('[data-bind="minibatch-body"]');
    const d = this.t.data;
    if (!d) return;
    const { mean, sum, eta, indices } = this.batch;
    const fresh = mean && mean.request_network === this.store.request.network;
    renderBatch(body, {
      indices: fresh ? indices : [],
      train: d.train,
      link: this.#linkChoice(),
      mean: fresh ? mean : null,
      sum: fresh ? sum : null,
      learningRate: eta,
      next: this.batch.next ? this.#nextStep() : null,
    });
  }

  /** What the run's next step is: its epoch, and whether it is the view's plain step. */
  #nextStep() {
    const s = this.t.settings;
    const point = resumePoint(this.t.run);
    return { epoch: point ? point.epoch : 0, plain: s.optimizer === "sgd" && s.regularization === "none", optimizer: s.optimizer };
  }

  #fillLinks() {
    const select = this.$('[data-control="batch-link"]');
    const network = this.store.request && this.store.request.network;
    if (!network) return;
    const links = allLinks(network);
    const shape = network.layers.join("-");
    if (select.dataset.shape !== shape) {
      select.replaceChildren(...links.map((l) => new Option(S.linkName(l.layer + 1, l.from, l.to), linkKey(l))));
      select.dataset.shape = shape;
    }
    select.value = linkKey(this.#linkChoice());
  }

  // ---- painting ---------------------------------------------------------------------------

  #changed() {
    this.#renderNumbers();
    this.#scheduleDraw(false);
  }

  #scheduleDraw(force) {
    if (force) this.forceDraw = true;
    if (this.drawFrame || !this.isOpen) return;
    this.drawFrame = requestAnimationFrame(() => {
      this.drawFrame = 0;
      this.#draw();
    });
  }

  /** A promise settled once the current state has been painted. */
  #drawn() {
    return new Promise((resolve) => {
      this.drawWaiters.push(resolve);
      this.#scheduleDraw(true);
      if (!this.isOpen) resolve();
    });
  }

  #draw() {
    const t = this.t;
    const data = t.data;
    const network = this.store.request && this.store.request.network;
    if (data && network) {
      const s = t.settings;
      const labels = [...data.train.labels, ...data.test.labels];
      const range = valueRange(network.activations.at(-1), data.kind === "regression" ? labels : []);
      const indices = this.batch.indices;
      if (this.highlighted?.indices !== indices) this.highlighted = { indices, set: indices.length ? new Set(indices) : null };
      const highlight = this.highlighted.set;
      const fresh = this.plane.draw({
        data,
        snapshot: t.run.snapshot,
        options: { showTest: s.show_test, discrete: s.discretize, range, classes: data.classes || 2, highlight },
      });
      if (fresh) {
        this.snapshotsDrawn++;
        this.thumbs.draw(t.run.snapshot.neurons, t.run.snapshot.network ? t.run.snapshot.network.activations : network.activations);
      } else if (!t.run.snapshot) {
        this.thumbs.draw(null, network.activations);
      }
      this.$('[data-bind="train-error"]').dataset.plane = data.extent ? "" : "none";
    }
    this.#drawChart(this.forceDraw);
    this.forceDraw = false;
    const waiters = this.drawWaiters;
    this.drawWaiters = [];
    for (const w of waiters) w();
  }

  #drawChart(force) {
    const history = this.t.run.history;
    if (history === this.chartHistory && !force) return;
    const wait = CHART_MS - (performance.now() - this.lastChartAt);
    if (wait > 0 && !force) {
      this.chartTimer ||= setTimeout(() => {
        this.chartTimer = 0;
        this.#drawChart(false);
      }, wait);
      return;
    }
    this.lastChartAt = performance.now();
    this.chartHistory = history;
    this.chart.set(history, { log: this.t.settings.log_scale });
  }

  #renderNumbers() {
    const r = this.t.run;
    const els = (this.numberEls ||= new Map());
    const set = (name, text) => {
      if (!els.has(name)) els.set(name, this.$(`[data-bind="${name}"]`));
      const el = els.get(name);
      if (el.textContent !== text) el.textContent = text;
    };
    const num = (v) => (v === null || v === undefined ? "–" : short(v));
    set("train-epoch", String(r.epoch));
    set("train-loss", num(r.train_loss));
    set("test-loss", num(r.test_loss));
    set("train-accuracy", num(r.train_accuracy));
    set("test-accuracy", num(r.test_accuracy));
    const regression = !!(this.t.data && this.t.data.kind === "regression");
    const running = r.running;
    if (this.shown && this.shown.running === running && this.shown.regression === regression) return;
    this.shown = { running, regression };
    this.$('[data-bind="accuracy-wrap"]').hidden = regression;
    this.el.dataset.running = String(running);
    this.root.classList.toggle("training-running", running);
    this.$('[data-action="train"]').disabled = running;
    this.$('[data-action="train-pause"]').disabled = !running;
    this.$('[data-action="train-batch"]').disabled = running;
    this.$('[data-action="train-epoch"]').disabled = running;
  }

  // ---- controls ---------------------------------------------------------------------------

  #fillChoices() {
    const caps = this.#caps();
    const names = (list) => (list || []).map((o) => (typeof o === "string" ? o : o && o.name)).filter(Boolean);
    const optimizers = names(caps.optimizers).length ? names(caps.optimizers) : OPTIMIZERS;
    this.$('[data-control="optimizer"]').replaceChildren(...optimizers.map((o) => new Option(o, o)));
    this.$('[data-control="regularization"]').replaceChildren(
      ...REGULARIZATIONS.map((r) => new Option(r === "none" ? S.regularizationNone : r.toUpperCase(), r)),
    );
    const features = this.$('[data-bind="features"]');
    for (const f of FEATURES) {
      const label = document.createElement("label");
      label.className = "feature";
      label.innerHTML = `<input type="checkbox" data-feature="${f}"> <span></span>`;
      label.querySelector("span").textContent = f.replace("^2", "²");
      features.append(label);
    }
    const sets = this.$('[data-bind="datasets"]');
    for (const name of [...datasetNames(caps.datasets), USER_DATASET]) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "dataset";
      b.dataset.dataset = name;
      b.setAttribute("role", "radio");
      const c = document.createElement("canvas");
      c.width = 44;
      c.height = 44;
      const span = document.createElement("span");
      span.textContent = name === USER_DATASET ? S.userData : name.replace("_", " ");
      b.append(c, span);
      b.addEventListener("click", () => {
        if (name === USER_DATASET && !this.t.points) return;
        this.#dataChanged({ dataset: name });
      });
      sets.append(b);
    }
  }

  async #drawDatasetThumbs() {
    const names = datasetNames(this.#caps().datasets);
    await Promise.all(
      names.map(async (name) => {
        const info = datasetInfo(name, this.#caps().datasets);
        const { network } = fitNetwork(DEFAULT_TRAINING_NETWORK, ["x1", "x2"], info);
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

  /** Put the settings in the controls (a field being typed in is left alone unless `force`). */
  #syncControls({ force = false } = {}) {
    const s = this.t.settings;
    const val = (name, v) => {
      const el = this.$(`[data-control="${name}"]`);
      if (el && (force || document.activeElement !== el)) el.value = v === null || v === undefined ? "" : String(v);
    };
    val("samples", s.samples);
    val("noise", s.noise);
    val("test-ratio", s.test_ratio);
    val("data-seed", s.seed);
    val("batch-size", s.batch_size);
    val("optimizer", s.optimizer);
    val("train-eta", s.learning_rate);
    val("regularization", s.regularization);
    val("regularization-rate", s.regularization_rate);
    val("max-epochs", s.epochs);
    val("target-loss", s.target_loss);
    val("train-speed", s.speed);
    this.$('[data-control="regularization-rate"]').disabled = s.regularization === "none";
    this.$('[data-control="show-test"]').checked = s.show_test;
    this.$('[data-control="discretize"]').checked = s.discretize;
    this.$('[data-control="log-scale"]').checked = !!s.log_scale;
    const user = s.dataset === USER_DATASET;
    const width = user && this.t.points && this.t.points.width && this.t.points.width !== 2;
    for (const box of this.el.querySelectorAll("[data-feature]")) {
      box.checked = s.features.includes(box.dataset.feature);
      box.disabled = !!width;
    }
    for (const b of this.el.querySelectorAll("[data-dataset]")) {
      b.setAttribute("aria-checked", String(b.dataset.dataset === s.dataset));
      if (b.dataset.dataset === USER_DATASET) b.hidden = !this.t.points;
    }
    for (const name of ["samples", "noise"]) this.$(`[data-control="${name}"]`).disabled = user;
    this.#fillAddClasses();
    this.#fillLinks();
  }

  #fillAddClasses() {
    const select = this.$('[data-control="add-class"]');
    const d = this.t.data;
    const classes = d && d.kind === "classification" ? d.classes || 2 : 0;
    const keep = select.value;
    const options = [new Option(S.addOff, "")];
    for (let k = 0; k < classes; k++) options.push(new Option(S.addClass(k), String(k)));
    if (classes) options.push(new Option(S.addNewClass(classes), String(classes)));
    select.replaceChildren(...options);
    select.disabled = !classes;
    select.value = options.some((o) => o.value === keep) ? keep : "";
  }

  #wireControls() {
    const on = (sel, type, fn) => this.$(sel).addEventListener(type, fn);
    this.toggle?.addEventListener("click", () => (this.isOpen ? this.close() : this.open()));
    on('[data-action="train"]', "click", () => this.train());
    on('[data-action="train-pause"]', "click", () => this.stop());
    on('[data-action="train-batch"]', "click", () => this.train({ maxSteps: 1 }));
    on('[data-action="train-epoch"]', "click", () => {
      const d = this.t.data;
      const steps = this.t.run.steps_per_epoch || (d ? Math.ceil(d.train.inputs.length / this.t.settings.batch_size) : 1);
      this.train({ maxSteps: steps });
    });
    on('[data-action="train-reset"]', "click", () => this.reset());
    on('[data-action="batch-next"]', "click", () => this.nextBatch());
    on('[data-action="batch-pick"]', "click", (ev) => {
      this.batch = { ...this.batch, pick: !this.batch.pick };
      ev.currentTarget.setAttribute("aria-pressed", String(this.batch.pick));
    });
    on('[data-control="batch-link"]', "change", (ev) => {
      const [layer, from, to] = ev.target.value.split(":").map(Number);
      this.batch = { ...this.batch, link: { layer, from, to } };
      this.#renderBatch();
    });
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
    on('[data-control="show-test"]', "change", (ev) => {
      this.#settings({ show_test: ev.target.checked });
      this.#scheduleDraw(true);
    });
    on('[data-control="discretize"]', "change", (ev) => {
      this.#settings({ discretize: ev.target.checked });
      this.#scheduleDraw(true);
    });
    on('[data-control="log-scale"]', "change", (ev) => {
      this.#settings({ log_scale: ev.target.checked });
      this.#scheduleDraw(true);
    });
    on('[data-bind="features"]', "change", (ev) => {
      const chosen = FEATURES.filter((f) => this.el.querySelector(`[data-feature="${f}"]`).checked);
      if (chosen.length === 0) {
        ev.target.checked = true;
        return;
      }
      this.#dataChanged({ features: chosen });
    });
    // Numbers: a value the field cannot take is put back; the server refuses the rest.
    const number = (name, key, opts, kind) =>
      on(`[data-control="${name}"]`, "change", (ev) => {
        const v = parseNumber(ev.target.value, opts);
        if (v === null && !opts.empty) {
          ev.target.value = String(this.t.settings[key]);
          return;
        }
        if (kind === "data") this.#dataChanged({ [key]: v });
        else this.#runSettingChanged({ [key]: v });
      });
    number("samples", "samples", { min: 1, integer: true }, "data");
    number("noise", "noise", { min: 0, max: 0.5 }, "data");
    number("test-ratio", "test_ratio", { min: 0, max: 0.95 }, "data");
    number("data-seed", "seed", { min: 0, integer: true }, "data");
    number("batch-size", "batch_size", { min: 1, integer: true }, "run");
    number("train-eta", "learning_rate", { min: 0 }, "run");
    number("regularization-rate", "regularization_rate", { min: 0 }, "run");
    number("max-epochs", "epochs", { min: 1, integer: true }, "run");
    number("target-loss", "target_loss", { min: 0, empty: true }, "run");
    on('[data-control="optimizer"]', "change", (ev) => this.#runSettingChanged({ optimizer: ev.target.value }));
    on('[data-control="regularization"]', "change", (ev) => {
      this.#runSettingChanged({ regularization: ev.target.value });
      this.#syncControls();
    });
    on('[data-control="train-speed"]', "change", (ev) => this.#runSettingChanged({ speed: Math.min(SPEEDS.length - 1, Number(ev.target.value)) }));
  }
}

function stripParameters(network) {
  const n = structuredClone(network);
  delete n.weights;
  delete n.biases;
  return n;
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
