// The mini-batch view's DOM: which training points form the mini-batch (the run's next one,
// the server's `next_batch`, or picked on the plane), the link whose ∂lⁿ/∂w it shows, and
// its table from POST /api/v1/trace/batch. The pure helpers (bodies, links, the table's
// markup) are minibatch.js's; every number is the server's.

import { postTraceBatch } from "../page/api.js";
import { S } from "../text/strings.js";
import { allLinks, batchBody, linkKey, renderBatch } from "./minibatch.js";
import { resumePoint } from "./state.js";
import { lectureMessage } from "../text/messages.js";

export class BatchView {
  /** @param {import("./view.js").TrainingView} view  the slice, the error line and the other parts */
  constructor(view) {
    this.view = view;
    this.store = view.store;
    this.$ = view.$;
    // `next` when its points are the run's next step's (else picked); `pick` while clicks on
    // the plane pick points; `mean` and `sum` the server's answers for `indices` at `eta`.
    this.state = { indices: [], next: false, pick: false, link: null, mean: null, sum: null, eta: null };
    const on = (sel, type, fn) => this.$(sel).addEventListener(type, fn);
    on('[data-action="batch-next"]', "click", () => this.nextBatch());
    on('[data-action="batch-pick"]', "click", (ev) => {
      this.state = { ...this.state, pick: !this.state.pick };
      ev.currentTarget.setAttribute("aria-pressed", String(this.state.pick));
    });
    on('[data-control="batch-link"]', "change", (ev) => {
      const [layer, from, to] = ev.target.value.split(":").map(Number);
      this.state = { ...this.state, link: { layer, from, to } };
      this.render();
    });
  }

  get t() {
    return this.view.t;
  }

  /** The mini-batch's training-point indices (highlighted on the plane). */
  get indices() {
    return this.state.indices;
  }

  /** Whether the shown mini-batch is the one the run's next step takes. */
  get isNext() {
    return this.state.next;
  }

  /** Whether clicks on the plane's points pick the mini-batch (instead of opening a point). */
  get picking() {
    return this.state.pick;
  }

  /** New data or weights: no mini-batch shown (the link chosen stays). */
  clear() {
    this.state = { ...this.state, indices: [], next: false, mean: null, sum: null };
  }

  /** The same points asked again (η changed: the step they make changes with it). */
  refresh() {
    if (this.state.next) return this.nextBatch();
    if (this.state.indices.length) return this.#load();
    this.render();
  }

  /** A training point clicked while picking: in the mini-batch or out of it. */
  togglePoint(split, index) {
    if (split !== "train") return;
    const set = new Set(this.state.indices);
    if (set.has(index)) set.delete(index);
    else set.add(index);
    this.state = { ...this.state, indices: [...set], next: false };
    this.#load();
  }

  #linkChoice() {
    const links = allLinks(this.store.request.network);
    const want = this.state.link && links.find((l) => linkKey(l) === linkKey(this.state.link));
    return want || links.at(-1);
  }

  /** The drawing's selection: a weight picked there is the link shown here. */
  selectionChanged(sel) {
    if (!sel || sel.kind !== "weight") return;
    this.state = { ...this.state, link: { layer: sel.layer - 1, from: sel.from, to: sel.to } };
    this.fillLinks();
    this.render();
  }

  /**
   * The mini-batch the run's next step takes (the server's `next_batch`, from the latest
   * snapshot or done event, or from an `epochs: 0` report when the run has none yet).
   */
  async nextBatch() {
    if (!this.t.data) return;
    if (!this.t.run.next_batch) await this.view.run.preview();
    const indices = this.t.run.next_batch;
    if (!indices) return;
    this.state = { ...this.state, indices: [...indices], next: true };
    return this.#load();
  }

  async #load() {
    const d = this.t.data;
    const indices = this.state.indices;
    this.view.paint.schedule(true);
    if (!indices.length) {
      this.state = { ...this.state, mean: null, sum: null };
      this.render();
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
      if (this.state.indices !== indices) return; // another batch was asked for meanwhile
      this.state = { ...this.state, mean, sum, eta };
      this.render();
    } catch (err) {
      this.view.error(lectureMessage(err));
    }
  }

  /** Draw the table (empty when its answers are for other weights than the request's). */
  render() {
    const body = this.$('[data-bind="minibatch-body"]');
    const d = this.t.data;
    if (!d) return;
    const { mean, sum, eta, indices } = this.state;
    const fresh = mean && mean.request_network === this.store.request.network;
    renderBatch(body, {
      indices: fresh ? indices : [],
      train: d.train,
      link: this.#linkChoice(),
      mean: fresh ? mean : null,
      sum: fresh ? sum : null,
      learningRate: eta,
      next: this.state.next ? this.#nextStep() : null,
    });
  }

  /** What the run's next step is: its epoch, and whether it is the view's plain step. */
  #nextStep() {
    const s = this.t.settings;
    const point = resumePoint(this.t.run);
    return { epoch: point ? point.epoch : 0, plain: s.optimizer === "sgd" && s.regularization === "none", optimizer: s.optimizer };
  }

  /** The link picker: one option per weight of the network, rebuilt when its shape changes. */
  fillLinks() {
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
}
