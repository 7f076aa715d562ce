// Chapter 2, why backpropagation: what ∇L costs by finite differences (two forward passes
// per parameter, 2P) against backpropagation (one forward and one backward pass), as the
// server counted and timed them (POST /api/v1/cost for the network on screen, GET
// /api/v1/cost/sweep for networks up to the largest the API takes; docs/api.md). The page
// computes none of it: the counts, the times and the ratio are the server's. Drawn as the
// numbers for this network, a log–log plot of time against P for both ways (D3 selection,
// the loss chart's scales), and the sweep's table.

import { select } from "../../vendor/d3/d3-selection.min.mjs";
import { getCostSweep, postCost } from "../page/api.js";
import { lectureMessage } from "../text/messages.js";
import { short } from "../text/format.js";
import { S } from "../text/strings.js";
import { logScale, logTicks, tickLabel } from "../training/chart.js";

/** A time in seconds as people read it: "39.4 µs", "0.222 ms", "31.8 ms", "2.87 s". */
export function timeText(seconds, digits = 3) {
  if (!(seconds > 0)) return short(seconds);
  if (seconds < 1e-3) return `${short(seconds * 1e6, digits)} µs`;
  if (seconds < 1) return `${short(seconds * 1e3, digits)} ms`;
  return `${short(seconds, digits)} s`;
}

/** The plot's points, smallest network first: {parameters, layers, fd, bp, fdPasses, estimated}. */
export function costPoints(sweep) {
  return sweep.networks
    .map((n) => ({
      parameters: n.parameters,
      layers: n.layers,
      fd: n.finite_differences.seconds,
      bp: n.backprop.seconds,
      fdPasses: n.finite_differences.forward_passes,
      estimated: n.finite_differences.estimated,
      ratio: n.ratio,
    }))
    .sort((a, b) => a.parameters - b.parameters);
}

/**
 * A shape as the page names it: 2-2-2, 2-8×6-1 (a run of more than two equal hidden layers
 * as n×k), 64×10 (more than three layers, all equal).
 */
export function shapeName(layers) {
  if (layers.length > 3 && layers.every((n) => n === layers[0])) return `${layers[0]}×${layers.length}`;
  const hidden = [];
  for (const n of layers.slice(1, -1)) {
    const last = hidden.at(-1);
    if (last && last.n === n) last.k += 1;
    else hidden.push({ n, k: 1 });
  }
  const middle = hidden.flatMap((r) => (r.k > 2 ? [`${r.n}×${r.k}`] : Array(r.k).fill(String(r.n))));
  return [layers[0], ...middle, layers.at(-1)].join("-");
}

/** [lo, hi] of the positive values, widened to whole decades. */
export function decades(values) {
  const xs = values.filter((x) => x > 0);
  // 1e-5 written, not 10 ** -5 (0.000009999999999999999)
  return [Number(`1e${Math.floor(Math.log10(Math.min(...xs)))}`), Number(`1e${Math.ceil(Math.log10(Math.max(...xs)))}`)];
}

const svgNS = "http://www.w3.org/2000/svg";

export class CostView {
  /**
   * @param {HTMLElement} el  the chapter's `.tour-cost` box
   * @param {object} o  {store, on: () => whether the chapter shown is the cost's}
   */
  constructor(el, { store, on }) {
    this.el = el;
    this.store = store;
    this.on = on;
    this.mine = null; // the POST /cost answer for the network on screen
    this.sweep = null; // GET /cost/sweep's answer (asked once: the server measures it once)
    this.error = null;
    this.token = 0;
    this.width = 0;
    store.subscribe(() => this.render(), ["lang"]);
    new ResizeObserver(() => {
      const w = Math.round(this.el.clientWidth);
      if (w && w !== this.width && this.on()) this.render();
    }).observe(el);
  }

  /** Ask the server for this network's cost (and the sweep, once); draw them when they come. */
  async measure() {
    const token = ++this.token;
    const request = this.store.request;
    this.mine = null;
    this.error = null;
    this.render();
    try {
      const [mine, sweep] = await Promise.all([postCost(request), this.sweep || getCostSweep()]);
      if (token !== this.token) return;
      this.mine = mine;
      this.sweep = sweep;
    } catch (err) {
      if (token !== this.token) return;
      this.error = err;
    }
    this.render();
  }

  render() {
    const el = this.el;
    if (!this.on()) {
      el.hidden = true;
      return;
    }
    el.hidden = false;
    if (this.error) {
      el.replaceChildren(paragraph("tour-cost-error", S.costFailed(lectureMessage(this.error))));
      return;
    }
    if (!this.mine || !this.sweep) {
      el.replaceChildren(paragraph("tour-cost-wait", S.costMeasuring));
      return;
    }
    const m = this.mine;
    const fd = m.finite_differences;
    const summary = document.createElement("dl");
    summary.className = "tour-cost-numbers";
    summary.dataset.parameters = String(m.parameters);
    const row = (term, text, data) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = text;
      Object.assign(dd.dataset, data);
      summary.append(dt, dd);
    };
    row(S.costNetwork(shapeName(m.layers)), S.costParameters(m.parameters), { parameters: m.parameters });
    row(S.costFd, S.costFdText(fd.forward_passes, timeText(fd.seconds), fd.estimated ? fd.measured_parameters : 0), {
      passes: fd.forward_passes,
      seconds: fd.seconds,
    });
    row(S.costBp, S.costBpText(m.backprop.forward_passes, m.backprop.backward_passes, timeText(m.backprop.seconds)), {
      passes: m.backprop.forward_passes,
      seconds: m.backprop.seconds,
    });
    const ratio = paragraph("tour-cost-ratio", S.costRatio(short(m.ratio, 2)));
    const points = costPoints(this.sweep);
    this.width = Math.round(el.clientWidth) || 300;
    el.replaceChildren(summary, ratio, this.#plot(points, m), this.#table(points));
  }

  /** Time against P, both log scales: a line for each way, the network on screen marked. */
  #plot(points, mine) {
    const width = Math.max(240, Math.min(this.width, 520));
    const height = 190;
    const margin = { top: 10, right: 12, bottom: 34, left: 52 };
    const xs = logScale(decades([...points.map((p) => p.parameters), mine.parameters]), [margin.left, width - margin.right]);
    const times = points.flatMap((p) => [p.fd, p.bp]).concat([mine.finite_differences.seconds, mine.backprop.seconds]);
    const ys = logScale(decades(times), [height - margin.bottom, margin.top]);
    const figure = document.createElement("figure");
    figure.className = "tour-cost-plot";
    const svg = select(figure).append(() => document.createElementNS(svgNS, "svg"))
      .attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height)
      .attr("role", "img")
      .attr("aria-label", S.costPlotLabel(points[0].parameters, points.at(-1).parameters, short(points.at(-1).ratio, 2)));
    const [x0, x1] = decades([...points.map((p) => p.parameters), mine.parameters]);
    const [y0, y1] = decades(times);
    const ax = svg.append("g").attr("class", "axis");
    for (const t of logTicks(x0, x1, 5)) {
      ax.append("line").attr("x1", xs(t)).attr("x2", xs(t)).attr("y1", margin.top).attr("y2", height - margin.bottom).attr("class", "grid");
      ax.append("text").attr("x", xs(t)).attr("y", height - margin.bottom + 12).attr("text-anchor", "middle").text(tickLabel(t));
    }
    for (const t of logTicks(y0, y1, 5)) {
      ax.append("line").attr("x1", margin.left).attr("x2", width - margin.right).attr("y1", ys(t)).attr("y2", ys(t)).attr("class", "grid");
      ax.append("text").attr("x", margin.left - 4).attr("y", ys(t) + 3).attr("text-anchor", "end").text(timeText(t, 1));
    }
    ax.append("text").attr("x", (margin.left + width - margin.right) / 2).attr("y", height - 4).attr("text-anchor", "middle").attr("class", "axis-title").text(S.costAxisP);
    const line = (key) => points.map((p, k) => `${k ? "L" : "M"}${xs(p.parameters).toFixed(1)},${ys(p[key]).toFixed(1)}`).join("");
    for (const [key, cls] of [["fd", "cost-fd"], ["bp", "cost-bp"]]) {
      const g = svg.append("g").attr("class", cls);
      g.append("path").attr("d", line(key));
      for (const p of points) {
        g.append("circle").attr("cx", xs(p.parameters)).attr("cy", ys(p[key])).attr("r", 3)
          .classed("estimated", key === "fd" && p.estimated);
      }
    }
    // The network on screen, measured by its own request.
    const here = svg.append("g").attr("class", "cost-here");
    here.append("line").attr("x1", xs(mine.parameters)).attr("x2", xs(mine.parameters)).attr("y1", margin.top).attr("y2", height - margin.bottom);
    here.append("circle").attr("cx", xs(mine.parameters)).attr("cy", ys(mine.finite_differences.seconds)).attr("r", 5);
    here.append("circle").attr("cx", xs(mine.parameters)).attr("cy", ys(mine.backprop.seconds)).attr("r", 5);
    const legend = document.createElement("figcaption");
    legend.className = "tour-cost-legend";
    for (const [cls, text] of [["cost-fd", S.costFdLegend], ["cost-bp", S.costBpLegend], ["cost-here", S.costHereLegend]]) {
      const key = document.createElement("span");
      key.className = `key ${cls}`;
      key.textContent = text;
      legend.append(key);
    }
    figure.append(legend);
    return figure;
  }

  /** The sweep as numbers (what the plot draws, readable without it). */
  #table(points) {
    const details = document.createElement("details");
    details.className = "tour-cost-table";
    const summary = document.createElement("summary");
    summary.textContent = S.costTable;
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    for (const h of S.costColumns) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = h;
      head.append(th);
    }
    const body = table.createTBody();
    for (const p of points) {
      const tr = body.insertRow();
      tr.dataset.parameters = String(p.parameters);
      for (const text of [shapeName(p.layers), String(p.parameters), String(p.fdPasses), timeText(p.fd) + (p.estimated ? "*" : ""), timeText(p.bp)]) {
        tr.insertCell().textContent = text;
      }
    }
    const note = paragraph("tour-cost-note", S.costEstimated(this.sweep.sample));
    details.append(summary, table, note);
    return details;
  }
}

function paragraph(cls, text) {
  const p = document.createElement("p");
  p.className = cls;
  p.textContent = text;
  return p;
}
