// The painting schedule: the plane (boundary + points), each hidden neuron's picture and the
// numbers at most once an animation frame (only the latest snapshot), the loss chart at most
// every CHART_MS. Events are folded into the slice as they arrive; this paints what the
// slice holds when the frame comes, so a fast stream costs no more than one paint a frame.

import { short } from "../text/format.js";
import { S } from "../text/strings.js";
import { LossChart } from "./chart.js";
import { valueRange } from "./colors.js";
import { Plane } from "./plane.js";
import { NeuronThumbs } from "./thumbs.js";

const CHART_MS = 100;

export class Painter {
  /**
   * @param {import("./view.js").TrainingView} view  the slice, its elements and the mini-batch
   * @param {object} o
   * @param {(hit: {split: string, index: number}) => void} o.onPoint  a point of the plane clicked
   * @param {(x: number[]) => void} o.onEmpty  the plane clicked away from any point
   */
  constructor(view, { onPoint, onEmpty }) {
    this.view = view;
    this.store = view.store;
    this.$ = view.$;
    this.snapshotsDrawn = 0;
    this.drawFrame = 0;
    this.drawWaiters = [];
    this.forceDraw = false;
    this.lastChartAt = 0;
    this.chartTimer = 0;
    this.plane = new Plane(this.$('[data-bind="plane"]'), { label: S.planeLabel, onPoint, onEmpty });
    // Functions, not the templates themselves: they read the language at the time they run.
    this.thumbs = new NeuronThumbs(this.$('[data-bind="thumbs"]'), { title: (l, j) => S.thumbTitle(l, j) });
    this.chart = new LossChart(this.$('[data-bind="loss-chart"]'), {
      labels: { title: S.chartTitle, readout: (...args) => S.chartReadout(...args), diverged: () => S.chartDiverged },
    });
  }

  /** The language changed: the labels made when the parts were built. */
  relabel() {
    this.plane.canvas.setAttribute("aria-label", S.planeLabel);
    this.chart.svg.attr("aria-label", S.chartTitle);
    for (const c of this.$('[data-bind="thumbs"]').querySelectorAll("canvas[data-layer]")) {
      c.title = S.thumbTitle(Number(c.dataset.layer), Number(c.dataset.node));
    }
  }

  get t() {
    return this.view.t;
  }

  /** The slice changed: the numbers now, the pictures at the next frame. */
  changed() {
    this.#renderNumbers();
    this.schedule(false);
  }

  /** The plane's element changed size. */
  resized() {
    this.plane.resize();
    this.schedule(true);
  }

  /** Paint at the next animation frame (`force`: the chart too, even within CHART_MS). */
  schedule(force) {
    if (force) this.forceDraw = true;
    if (this.drawFrame || !this.view.isOpen) return;
    this.drawFrame = requestAnimationFrame(() => {
      this.drawFrame = 0;
      this.#draw();
    });
  }

  /** A promise settled once the current state has been painted. */
  drawn() {
    return new Promise((resolve) => {
      this.drawWaiters.push(resolve);
      this.schedule(true);
      if (!this.view.isOpen) resolve();
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
      const indices = this.view.batch.indices;
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
    const { history, problem } = this.t.run;
    const diverged = problem && problem.type === "diverged" ? problem.epoch ?? null : null;
    if (history === this.chartHistory && diverged === this.chartDiverged && !force) return;
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
    this.chartDiverged = diverged;
    this.chart.set(history, { log: this.t.settings.log_scale, diverged });
  }

  /** Epoch, L on the train and test points, accuracy; the buttons a running run disables. */
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
    this.view.el.dataset.running = String(running);
    this.view.root.classList.toggle("training-running", running);
    this.$('[data-action="train"]').disabled = running;
    this.$('[data-action="train-pause"]').disabled = !running;
    this.$('[data-action="train-batch"]').disabled = running;
    this.$('[data-action="train-epoch"]').disabled = running;
  }
}
