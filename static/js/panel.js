// The side panel: tabbed (equations, gradient check; the training panel comes next).
// It opens on demand; the equation tab loads KaTeX the first time it is shown.

import { postGradcheck } from "./api.js";
import { full, short } from "./format.js";
import { S } from "./strings.js";

export class SidePanel {
  /**
   * Shows the store's `view.panel` tab (null: closed), explains `selection` with the
   * numbers of `playback.frame`, and forgets a gradient check when `request` changes.
   * @param {HTMLElement} root  the .app element
   * @param {object} o
   * @param {import("./store.js").Store} o.store
   * @param {() => void} o.onResize    the panel changed the drawing's width
   */
  constructor(root, { store, onResize }) {
    this.root = root;
    this.store = store;
    this.el = root.querySelector('[data-bind="panel"]');
    this.onResize = onResize;
    this.katex = null;
    this.equationsEl = this.el.querySelector('[data-panel="equations"]');
    this.gradcheckEl = this.el.querySelector('[data-panel="gradcheck"]');
    this.toggle = root.querySelector('[data-action="equations"]');
    for (const tab of this.el.querySelectorAll("[role=tab]")) {
      tab.addEventListener("click", () => this.show(tab.dataset.tab));
    }
    this.el.querySelector('[data-action="close-panel"]').addEventListener("click", () => this.close());
    this.toggle?.addEventListener("click", () => (this.isOpen && this.tab === "equations" ? this.close() : this.show("equations")));
    root.querySelector('[data-action="gradcheck"]')?.addEventListener("click", () => this.runGradcheck());
    store.subscribe(() => this.#render(), ["view"]);
    store.subscribe(() => this.refresh(), ["selection"]);
    store.subscribe(() => {
      this.clearGradcheck();
      this.refresh();
    }, ["request"]);
    store.subscribe(() => this.pick && this.refresh(), ["playback"]);
  }

  get tab() {
    return this.store.state.view.panel || "equations";
  }

  get pick() {
    return this.store.state.selection;
  }

  get isOpen() {
    return !this.el.hidden;
  }

  show(tab) {
    this.store.merge("view", { panel: tab });
  }

  close() {
    this.store.merge("view", { panel: null });
  }

  #render() {
    const tab = this.store.state.view.panel;
    const wasOpen = this.isOpen;
    this.el.hidden = !tab;
    if (tab) {
      for (const t of this.el.querySelectorAll("[role=tab]")) t.setAttribute("aria-selected", String(t.dataset.tab === tab));
      for (const body of this.el.querySelectorAll("[data-panel]")) body.hidden = body.dataset.panel !== tab;
    }
    this.toggle?.setAttribute("aria-pressed", String(tab === "equations"));
    if (wasOpen !== !!tab) this.onResize();
    if (tab === "equations") this.refresh();
  }

  /** Re-render the equations for the current pick and view (cheap when closed). */
  async refresh() {
    if (!this.isOpen || this.tab !== "equations") return;
    if (!this.katex) {
      // The equation code and KaTeX arrive the first time the panel shows equations.
      this.equationsEl.textContent = S.katexLoading;
      this.equations = await import("./equations.js");
      this.katex = await this.equations.loadKatex();
    }
    const { blocksFor, renderBlocks } = this.equations;
    const { request, playback } = this.store.state;
    const info = { activation: (name) => this.store.activation(name), loss: (name) => this.store.lossInfo(name) };
    const blocks = blocksFor(this.pick, request, playback.frame, info);
    renderBlocks(this.equationsEl, blocks, this.katex);
    this.equationsEl.dataset.pick = this.pick ? JSON.stringify(this.pick, ["kind", "layer", "node", "from", "to"]) : "";
  }

  /** Any edit invalidates a gradient check shown for the previous network. */
  clearGradcheck() {
    this.gradcheckEl.replaceChildren();
  }

  async runGradcheck() {
    this.show("gradcheck");
    const el = this.gradcheckEl;
    el.textContent = S.gradcheckRunning;
    const req = this.store.request;
    try {
      const result = await postGradcheck(req);
      el.replaceChildren(...renderGradcheck(result));
    } catch (err) {
      const p = document.createElement("p");
      p.className = "gradcheck-summary";
      p.dataset.ok = "false";
      p.textContent = err.message;
      el.replaceChildren(p);
    }
  }
}

function renderGradcheck(result) {
  const summary = document.createElement("p");
  summary.className = "gradcheck-summary";
  summary.dataset.ok = String(!!result.ok);
  summary.textContent = `${result.ok ? "✓" : "✗"} ${result.ok ? S.gradcheckOk : S.gradcheckBad}`;
  const detail = document.createElement("p");
  detail.textContent = S.gradcheckSummary(short(result.max_abs_diff), short(result.max_rel_diff));
  const table = document.createElement("table");
  table.className = "gradcheck";
  const head = table.createTHead().insertRow();
  for (const h of S.gradcheckHeaders) {
    const th = document.createElement("th");
    th.textContent = h;
    head.append(th);
  }
  const body = table.createTBody();
  const row = (name, an, nu, diff) => {
    const tr = body.insertRow();
    tr.dataset.param = name;
    tr.dataset.analytic = String(an);
    tr.dataset.numeric = String(nu);
    tr.dataset.absDiff = String(diff);
    const cells = [name, fmt(an), fmt(nu), short(diff, 2)];
    const titles = [name, full(an), full(nu), full(diff)];
    cells.forEach((c, k) => {
      const td = tr.insertCell();
      td.textContent = c;
      td.title = titles[k];
    });
  };
  // Every number is the server's: analytic, numeric and |analytic − numeric| per parameter.
  const { analytic, numeric, abs_diff: diff } = result;
  analytic.weights.forEach((layer, l) =>
    layer.forEach((rowW, j) =>
      rowW.forEach((an, i) => row(`w[${l}][${j}][${i}]`, an, numeric.weights[l][j][i], diff.weights[l][j][i])),
    ),
  );
  analytic.biases.forEach((layer, l) =>
    layer.forEach((an, j) => row(`b[${l}][${j}]`, an, numeric.biases[l][j], diff.biases[l][j])),
  );
  return [summary, detail, table];
}

function fmt(x) {
  return x === 0 ? "0" : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(8) : x.toExponential(6);
}
