// The side panel: tabbed (equations, gradient check; the training panel comes next).
// It opens on demand; the equation tab loads KaTeX the first time it is shown; the gradient
// check tab runs the check whenever it is shown for a network it has not checked yet.

import { postGradcheck } from "../page/api.js";
import { returnFromPanel } from "../page/focus.js";
import { full, short } from "../text/format.js";
import { lectureMessage } from "../text/messages.js";
import { biasName, weightName } from "../text/notation.js";
import { S } from "../text/strings.js";

// While a training run streams its weights, the check waits for them to settle.
const STREAMING_DELAY_MS = 1000;

export class SidePanel {
  /**
   * Shows the store's `view.panel` tab (null: closed), explains `selection` with the
   * numbers of `playback.frame`, and forgets a gradient check when `request` changes.
   * @param {HTMLElement} root  the .app element
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store
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
    this.fullPrecision = this.el.querySelector('[data-control="full-precision"]');
    this.fullPrecision?.addEventListener("change", () => this.refresh());
    this.checkedFor = null; // the request the gradient check shows (or is running for)
    this.checkTimer = 0;
    this.checkAbort = null;
    for (const tab of this.el.querySelectorAll("[role=tab]")) {
      tab.addEventListener("click", () => this.show(tab.dataset.tab));
    }
    this.el.querySelector('[data-action="close-panel"]').addEventListener("click", () => this.close());
    this.toggle?.addEventListener("click", () => (this.isOpen && this.tab === "equations" ? this.close() : this.show("equations")));
    root.querySelector('[data-action="gradcheck"]')?.addEventListener("click", () => this.runGradcheck());
    store.subscribe(() => this.#render(), ["view"]);
    store.subscribe(() => this.refresh(), ["selection"]);
    store.subscribe((s, _changed, cause = {}) => {
      if (this.checkedFor !== s.request) this.clearGradcheck();
      this.refresh();
      if (this.#gradcheckShown) {
        clearTimeout(this.checkTimer);
        if (cause.streaming) this.checkTimer = setTimeout(() => this.#ensureGradcheck(), STREAMING_DELAY_MS);
        else this.#ensureGradcheck();
      }
    }, ["request"]);
    store.subscribe(() => this.pick && this.refresh(), ["playback"]);
    store.subscribe((s) => {
      if (!s.request) return;
      // A gradient check on show is asked again (its table's words); a hidden one is
      // forgotten, and asked again when its tab opens.
      if (this.isOpen && this.tab === "gradcheck") this.runGradcheck();
      else this.clearGradcheck();
      this.refresh();
    }, ["lang"]);
    // Closed from inside (×, Esc), focus goes back to Equations.
    returnFromPanel(this.el, this.toggle);
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
    if (tab === "gradcheck") this.#ensureGradcheck();
  }

  get #gradcheckShown() {
    return this.isOpen && this.store.state.view.panel === "gradcheck";
  }

  /** Run the check if the tab does not show (or wait for) one of the current network. */
  #ensureGradcheck() {
    if (this.store.request && this.checkedFor !== this.store.request) this.runGradcheck();
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
    const fullPrecision = !!this.fullPrecision?.checked;
    const blocks = blocksFor(this.pick, request, playback.frame, info, { fullPrecision });
    renderBlocks(this.equationsEl, blocks, this.katex);
    this.equationsEl.dataset.pick = this.pick ? JSON.stringify(this.pick, ["kind", "layer", "node", "from", "to"]) : "";
    this.equationsEl.dataset.digits = fullPrecision ? "full" : "4";
  }

  /** Any edit invalidates a gradient check shown for the previous network. */
  clearGradcheck() {
    this.checkAbort?.abort();
    this.checkAbort = null;
    this.checkedFor = null;
    this.gradcheckEl.replaceChildren();
  }

  /** Show the tab and check the current network (POST /gradcheck); a newer check wins. */
  async runGradcheck() {
    const req = this.store.request;
    if (!req) return;
    this.checkAbort?.abort();
    const abort = new AbortController();
    this.checkAbort = abort;
    this.checkedFor = req; // before show(): showing the tab must not start a second check
    this.show("gradcheck");
    const el = this.gradcheckEl;
    el.textContent = S.gradcheckRunning;
    try {
      const result = await postGradcheck(req, abort.signal);
      if (abort.signal.aborted) return;
      el.replaceChildren(...renderGradcheck(result));
    } catch (err) {
      if (abort.signal.aborted) return;
      const p = document.createElement("p");
      p.className = "gradcheck-summary";
      p.dataset.ok = "false";
      p.textContent = lectureMessage(err);
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
  // data-param keeps the API's path (w[l][j][i], a hook for tests); the cell reads w^{l+1}_{ji}.
  const row = (param, name, title, an, nu, diff) => {
    const tr = body.insertRow();
    tr.dataset.param = param;
    tr.dataset.analytic = String(an);
    tr.dataset.numeric = String(nu);
    tr.dataset.absDiff = String(diff);
    const cells = [name, short(an), short(nu), short(diff, 2)];
    const titles = [title, full(an), full(nu), full(diff)];
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
      rowW.forEach((an, i) =>
        row(`w[${l}][${j}][${i}]`, weightName(l + 1, j, i), S.linkTitle(l, i, j), an, numeric.weights[l][j][i], diff.weights[l][j][i]),
      ),
    ),
  );
  analytic.biases.forEach((layer, l) =>
    layer.forEach((an, j) =>
      row(`b[${l}][${j}]`, biasName(l + 1, j), S.editBias(l + 1, j), an, numeric.biases[l][j], diff.biases[l][j]),
    ),
  );
  return [summary, detail, table];
}
