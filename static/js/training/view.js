// The training view beside the drawing, wired together: it keeps its state in the store's
// `training` slice (state.js) and shows the network through the same store's `request`, so
// the drawing follows θ as it trains. The work is in the parts, one concern each: run.js
// (the stream), form.js (settings), datapanel.js (data, files), paint.js, batchview.js.

import { S } from "../text/strings.js";
import { BatchView } from "./batchview.js";
import { DataPanel, stripParameters } from "./datapanel.js";
import { TrainingForm } from "./form.js";
import { Painter } from "./paint.js";
import { RunController } from "./run.js";
import { fitNetwork } from "./classes.js";
import { DEFAULT_TRAINING_NETWORK, emptyTraining, pointRequest } from "./state.js";
import { lectureMessage } from "../text/messages.js";

export class TrainingView {
  /**
   * @param {HTMLElement} root  the .app element
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store
   * @param {object} o.app  {load(request, {user}), play(), setStatus(msg, isError), setLearningRate(text, input), clearError()}
   */
  constructor(root, { store, app }) {
    this.root = root;
    this.store = store;
    this.app = app;
    this.el = root.querySelector('[data-bind="training"]');
    this.toggle = root.querySelector('[data-action="training"]');
    this.$ = (sel) => this.el.querySelector(sel);
    this.ready = null;
    store.set({ training: emptyTraining() });

    this.paint = new Painter(this, {
      onPoint: (hit) => this.#pointClicked(hit),
      onEmpty: (x) => this.data.planeClicked(x),
    });
    this.run = new RunController(this);
    this.batch = new BatchView(this);
    this.data = new DataPanel(this);
    this.form = new TrainingForm(this);
    this.#wireButtons();
    store.subscribe((s) => this.#showOpen(!!s.view.training), ["view"]);
    store.subscribe(() => this.paint.changed(), ["training"]);
    store.subscribe((_s, _c, cause) => this.run.requestChanged(cause), ["request"]);
    store.subscribe((s) => this.batch.selectionChanged(s.selection), ["selection"]);
    store.subscribe((s) => s.request && this.relabel(), ["lang"]);
    new ResizeObserver(() => this.paint.resized()).observe(this.$('[data-bind="plane"]'));
  }

  // ---- the slice, shared by the parts ---------------------------------------------------

  /** The store's `training` slice: {settings, data, points, run}. */
  get t() {
    return this.store.state.training;
  }

  /** Merge `partial` into the slice (one store change). */
  update(partial) {
    this.store.set({ training: { ...this.t, ...partial } });
  }

  /** Merge `partial` into the slice's settings. */
  updateSettings(partial) {
    this.update({ settings: { ...this.t.settings, ...partial } });
  }

  /** The server's training capabilities (data sets, optimizers, features), or {}. */
  caps() {
    return (this.store.capabilities && this.store.capabilities.training) || {};
  }

  /** Every cap the server enforces (GET /capabilities' limits), or {} before it answers. */
  limits() {
    return (this.store.capabilities && this.store.capabilities.limits) || {};
  }

  /**
   * The page's one η changed (eta.js): a run the edit stopped goes on with it from its latest
   * weights; the mini-batch shown is asked again (its step is η·∂L/∂w).
   */
  etaChanged(wasRunning) {
    if (wasRunning) this.train();
    else this.batch.refresh();
  }

  /** Show `message` under the controls and in the status line ("" clears it). */
  error(message) {
    const el = this.$('[data-bind="train-error"]');
    el.textContent = message || "";
    if (message) this.app.setStatus(message, true);
    else this.app.clearError?.(); // an action went through: an earlier error no longer stands
  }

  /** The language changed: the texts the parts made themselves (the markup's are page/shell.js's). */
  relabel() {
    this.paint.relabel();
    this.data.relabel();
    const none = this.$('[data-control="regularization"] option[value="none"]');
    if (none) none.textContent = S.regularizationNone;
    for (const o of this.$('[data-control="optimizer"]').options) o.textContent = S.optimizerName(o.value);
    this.batch.render();
  }

  // ---- open and close ---------------------------------------------------------------------

  /** Whether the view is shown (the store's `view.training`). */
  get isOpen() {
    return !!this.store.state.view.training;
  }

  /** Show the view; resolves once its network and data are ready. */
  open() {
    if (!this.isOpen) this.store.merge("view", { training: true });
    return this.ensureReady();
  }

  /** Hide the view (a run goes on). */
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
      snapshots_drawn: this.paint.snapshotsDrawn,
      reader: this.run.stream.reader,
    };
  }

  #showOpen(open) {
    this.el.hidden = !open;
    this.root.classList.toggle("training-open", open);
    if (this.toggle) this.toggle.setAttribute("aria-pressed", String(open));
    if (open) {
      this.ensureReady().catch((err) => this.error(lectureMessage(err)));
      this.paint.schedule(true);
    }
  }

  /** The first time the view opens: a network that fits the data, the data, the pictures. */
  ensureReady() {
    this.ready ||= (async () => {
      this.form.fillChoices();
      this.data.fillChoices();
      this.form.sync();
      const info = this.data.info();
      const base = this.store.presetName || !this.store.request ? DEFAULT_TRAINING_NETWORK : this.store.request.network;
      const fit = fitNetwork(base, this.t.settings.features, info, this.store.capabilities);
      // An example opens on the training network, drawn fresh; the user's own keeps its weights.
      if (this.store.presetName) await this.data.rebuild(stripParameters(fit.network));
      else await this.data.showFitted(base, fit);
      this.data.drawDatasetThumbs();
    })();
    this.ready.catch(() => {
      this.ready = null;
    });
    return this.ready;
  }

  #wireButtons() {
    const on = (sel, fn) => this.$(sel).addEventListener("click", fn);
    this.toggle?.addEventListener("click", () => (this.isOpen ? this.close() : this.open()));
    on('[data-action="train"]', () => this.train());
    on('[data-action="train-pause"]', () => this.stop());
    on('[data-action="train-batch"]', () => this.train({ maxSteps: 1 }));
    on('[data-action="train-epoch"]', () => this.run.trainEpoch());
    on('[data-action="train-reset"]', () => this.reset());
  }

  // ---- a point of the plane → its trace ---------------------------------------------------

  #pointClicked({ split, index }) {
    if (this.batch.picking) this.batch.togglePoint(split, index);
    else this.openPoint(split, index);
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
      this.error(lectureMessage(err));
    }
  }

  // ---- the parts' public methods, as before -------------------------------------------------

  /** Train to the epochs setting, or `maxSteps` mini-batch steps; resolves with the done event once drawn. */
  train(options) {
    return this.run.train(options);
  }

  /** θ as it is, without training: an `epochs: 0` report. */
  preview() {
    return this.run.preview();
  }

  /** A /train/stream body from a host or a test: adopt its network, data and settings, then train. */
  trainWith(body) {
    return this.run.trainWith(body);
  }

  /** Stop the stream; the weights it reached stay. */
  stop() {
    this.run.stop();
  }

  /** Stop, and start again from fresh weights. */
  reset() {
    return this.run.reset();
  }

  /** A point of class `label` at x: the data becomes the user's own. */
  addPoint(x, label) {
    return this.data.addPoint(x, label);
  }

  /** Download the data as CSV. */
  exportCsv() {
    this.data.exportCsv();
  }

  /** The saved state (network + settings + data + progress), as JSON-ready data. */
  saved() {
    return this.data.saved();
  }

  /** Download the saved state as JSON. */
  save() {
    this.data.save();
  }

  /** Load a saved state (its JSON text or object) back to exactly that state. */
  load(text) {
    return this.data.load(text);
  }

  /** The mini-batch the run's next step takes, in the mini-batch view. */
  nextBatch() {
    return this.batch.nextBatch();
  }
}
