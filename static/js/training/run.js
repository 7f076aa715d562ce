// The run controller: starts, pauses and restarts the training stream, one batch, one epoch,
// reset, the epochs-0 preview of θ as it is, and resuming from the latest snapshot (with the
// optimizer's state when the weights are the run's own). It folds the stream's events into
// the store's `training` slice and pushes the weights to the drawing; it owns no DOM.

import { ConnectionError } from "../page/api.js";
import { S } from "../text/strings.js";
import { TrainingStream } from "./client.js";
import { stripParameters } from "./datapanel.js";
import {
  SPEEDS,
  USER_DATASET,
  applyTrainingEvent,
  datasetSpec,
  epochsPerRequest,
  hiddenCount,
  neuronGrid,
  resumePoint,
  trainBody,
} from "./state.js";
import { lectureMessage, streamProblemText } from "../text/messages.js";

const NETWORK_MS = 200; // the network drawing follows the weights at most 5 times a second
const RETRY_MS = 1000; // a stream that broke off is taken up again after this pause, once

export class RunController {
  /** @param {import("./view.js").TrainingView} view  the slice, the error line and the other parts */
  constructor(view) {
    this.view = view;
    this.store = view.store;
    this.stream = new TrainingStream();
    this.previewStream = null;
    this.lastOptimizer = undefined; // the optimizer of the run's last request: its state fits only that one
    this.lastPushAt = 0;
    this.pushTimer = 0;
    this.pushing = false; // the request change is ours (the weights as they train)
  }

  get t() {
    return this.view.t;
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

  /** The settings a request is made of: the boundary's lattice as fine as the setting asks
   * and the server's max_grid allows. */
  #settings() {
    const s = this.t.settings;
    return { ...s, grid: Math.min(s.grid, this.view.limits().max_grid ?? Infinity) };
  }

  /** The next request's body, or null when the run is at its last epoch already. */
  #nextBody(maxSteps) {
    const t = this.t;
    const network = this.#currentNetwork();
    const remaining = maxSteps ? maxSteps : t.settings.epochs - (resumePoint(t.run)?.epoch ?? 0);
    if (remaining < 1) return null;
    const speed = SPEEDS[t.settings.speed] || SPEEDS.at(-1);
    const limits = this.view.limits();
    const settings = this.#settings();
    const epochs = epochsPerRequest({
      remaining,
      trainSize: t.data ? t.data.train.inputs.length : 0,
      reportEvery: maxSteps ? 1 : speed.report_every,
      grid: settings.grid,
      neuronGrid: neuronGrid(settings),
      hidden: hiddenCount(network),
      limits,
    });
    return trainBody(settings, { network, dataset: datasetSpec(settings, t.points), epochs, resume: this.#resume(), maxSteps });
  }

  /**
   * Train to the epochs setting (or one batch / one epoch with maxSteps), in as many requests
   * as the server's caps need. Resolves with the last done event once drawn (null if stopped).
   */
  async train({ maxSteps = null, body = null } = {}) {
    const view = this.view;
    try {
      await view.open();
    } catch (err) {
      view.error(lectureMessage(err));
      return null;
    }
    await this.view.app.setLearningRate?.settled?.(); // an η still being checked is the run's
    this.previewStream?.abort();
    const stepAt = () => (this.t.run.at || this.t.run).step || 0; // where the latest θ is
    const firstStep = stepAt(); // one batch / one epoch count their steps from here
    let retried = false;
    for (;;) {
      const taken = stepAt() - firstStep;
      if (maxSteps && taken >= maxSteps) return null; // a retry after the last step's snapshot
      const next = body && !retried ? body : this.#nextBody(maxSteps ? maxSteps - taken : null);
      if (!next) {
        view.error(S.trainAtEnd(this.t.run.epoch));
        return null;
      }
      this.lastOptimizer = next.optimizer || this.t.settings.optimizer;
      view.update({ run: { ...this.t.run, running: true, problem: null, done: null } });
      if (!retried) view.error("");
      let done = null;
      try {
        done = await this.stream.start(next, (events) => this.#onEvents(events));
      } catch (err) {
        view.update({ run: { ...this.t.run, running: false } });
        if (!(err instanceof ConnectionError && (err.lost || retried))) {
          view.error(lectureMessage(err));
          return null;
        }
        // The stream broke off (a proxy's timeout, a restart): the weights it reached are
        // kept, and the run goes on from its latest snapshot, once by itself, then on a click.
        this.#pushNetwork(true);
        const lostAt = this.t.run.epoch;
        const from = resumePoint(this.t.run)?.epoch ?? 0;
        if (retried) {
          view.error(S.connectionLostTrain(lostAt, from));
          return null;
        }
        view.error(S.connectionLostRetrying(lostAt, from));
        retried = true;
        const token = this.stream.token;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
        if (token !== this.stream.token || this.t.run.running) return null; // stopped, or another run began
        continue;
      }
      if (!done) return null; // stopped (pause, a restart, a reset)
      if (retried && done.reason !== "diverged") view.error(""); // it went on: the lost connection is behind it
      const more = !body && !maxSteps && done.reason === "epochs" && this.t.run.epoch < this.t.settings.epochs;
      if (!more) {
        this.#pushNetwork(true);
        if (view.batch.isNext) view.batch.nextBatch(); // the batch the step after this run takes
        await view.paint.drawn();
        return done;
      }
      // The server's caps ended this request: the next one continues from its done event.
      this.#pushNetwork(true);
    }
  }

  /** One epoch's worth of mini-batch steps (the run's own count once it has one). */
  trainEpoch() {
    const t = this.t;
    const d = t.data;
    const steps = t.run.steps_per_epoch || (d ? Math.ceil(d.train.inputs.length / t.settings.batch_size) : 1);
    return this.train({ maxSteps: steps });
  }

  /**
   * θ as it is, without training (`epochs: 0`: one report, nothing stepped): the boundary and
   * pictures of the current weights, and the mini-batch the next step from them takes.
   */
  async preview() {
    const t = this.t;
    if (!t.data || this.stream.running) return;
    const network = this.store.request.network;
    const settings = this.#settings();
    const body = trainBody(settings, {
      network,
      dataset: datasetSpec(settings, t.points),
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
          this.view.update({ run: { ...run, snapshot: event, next_batch: event.next_batch ?? run.next_batch } });
        }
      })
      .catch(() => {});
  }

  /** A /train/stream body from a host or a test: adopt its network, data and settings, then train. */
  async trainWith(body) {
    const view = this.view;
    await view.open();
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
    // A body without features means the plain point (x₁, x₂), as the server reads it.
    const width = ds.x && ds.x.length ? ds.x[0].length : 2;
    if (ds.features) s.features = [...ds.features];
    else if (width === 2) s.features = ["x1", "x2"];
    view.update({ settings: s, points: ds.name ? null : { x: ds.x, y: ds.y, labels: null } });
    await view.data.rebuild(body.network);
    view.form.sync();
    return this.train({ body: { ...body, network: this.store.request.network } });
  }

  /** Stop the stream; the weights it reached stay. */
  stop() {
    const wasRunning = this.stream.running;
    this.stream.abort();
    if (wasRunning || this.t.run.running) {
      this.view.update({ run: { ...this.t.run, running: false } });
      this.#pushNetwork(true);
    }
  }

  /** A setting of the run changed (η, regularisation, batch size, optimizer, speed): restart from the latest weights. */
  settingChanged(partial) {
    const view = this.view;
    view.updateSettings(partial);
    // Another batch size takes other points next: the server says which at the next report.
    if ("batch_size" in partial) view.update({ run: { ...this.t.run, next_batch: null } });
    if (this.stream.running) this.train();
    else if (view.batch.isNext) view.batch.nextBatch();
    else view.batch.render();
  }

  /** Stop, and start again from fresh weights (the network's init and seed). */
  async reset() {
    this.stop();
    await this.view.ensureReady();
    try {
      await this.view.data.rebuild(stripParameters(this.store.request.network));
    } catch (err) {
      this.view.error(lectureMessage(err));
    }
  }

  /** A chunk of the stream's events: folded together into the slice, which changes once. */
  #onEvents(events) {
    let run = this.t.run;
    for (const event of events) run = applyTrainingEvent(run, event);
    this.view.update({ run });
    for (const event of events) {
      if (event.type === "diverged") this.view.error(S.trainDiverged(event.epoch, event.restored_epoch ?? event.epoch));
      else if (event.type === "error") this.view.error(streamProblemText(event));
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

  /** The store's request changed: an edit of the network (a weight, a layer) stops the run, which continues from it. */
  requestChanged(cause) {
    if (this.pushing || !this.t) return;
    if (cause && cause.user && this.stream.running) this.stop();
  }
}
