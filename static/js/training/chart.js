// The loss chart: train and test loss against the epoch, linear or log scale, axes with
// ticks, a hover readout. The scales and the path are pure (node tests them); the chart
// redraws its SVG at most once an animation frame and never animates (a run reports many
// times a second).

import { select } from "../../vendor/d3/d3-selection.min.mjs";

import { short } from "../text/format.js";

/** A linear map of [d0, d1] onto [r0, r1], with its inverse. */
export function linearScale([d0, d1], [r0, r1]) {
  const span = d1 - d0 || 1;
  const f = (x) => r0 + ((x - d0) / span) * (r1 - r0);
  f.invert = (y) => d0 + ((y - r0) / (r1 - r0 || 1)) * span;
  return f;
}

/** A log10 map of [d0, d1] (both > 0) onto [r0, r1]. */
export function logScale([d0, d1], range) {
  const inner = linearScale([Math.log10(d0), Math.log10(d1)], range);
  const f = (x) => inner(Math.log10(x));
  f.invert = (y) => 10 ** inner.invert(y);
  return f;
}

/** About `count` round ticks covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function ticks(lo, hi, count = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || 10 * power;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/**
 * Powers of ten within [lo, hi] (at least the two around it), at most `count` of them: over
 * many decades (a diverging run's 1e298) every 2nd, 5th, 10th, … power, so labels never overlap.
 */
export function logTicks(lo, hi, count = Infinity) {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const fits = (e) => Math.floor(b / e) - Math.ceil(a / e) + 1 <= count;
  let every = 1;
  for (let p = 1; !fits(every); p *= 10) every = [p, 2 * p, 5 * p, 10 * p].find(fits) ?? 10 * p;
  const out = [];
  for (let k = Math.ceil(a / every) * every; k <= b; k += every) out.push(Number(`1e${k}`));
  return out;
}

/** A tick's label: as short as it reads ("1e298", "2e-5", "0.5", "20"). */
export function tickLabel(t) {
  return short(t, 2)
    .replace(/(\.\d*?)0+(e|$)/, "$1$2")
    .replace(/\.(e|$)/, "$1");
}

/** The y domain of the chart: [min, max] of the finite (and, for log, positive) losses. */
export function lossDomain(history, { log = false } = {}) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of history) {
    for (const v of [p.train_loss, p.test_loss]) {
      if (v === null || v === undefined || !Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!Number.isFinite(lo)) return log ? [0.01, 1] : [0, 1];
  if (log) return hi > lo ? [lo, hi] : [lo / 2, hi * 2];
  return [Math.min(0, lo), hi > 0 ? hi : 1];
}

/** An SVG path through the points that have a (drawable) value of `key`. */
export function linePath(history, key, xs, ys, { log = false } = {}) {
  let d = "";
  let pen = "M";
  for (const p of history) {
    const v = p[key];
    if (v === null || v === undefined || !Number.isFinite(v) || (log && v <= 0)) {
      pen = "M";
      continue;
    }
    d += `${pen}${xs(p.epoch).toFixed(1)},${ys(v).toFixed(1)}`;
    pen = "L";
  }
  return d;
}

/** The history point nearest to an epoch (for the hover readout). */
export function nearestPoint(history, epoch) {
  let best = null;
  for (const p of history) if (!best || Math.abs(p.epoch - epoch) < Math.abs(best.epoch - epoch)) best = p;
  return best;
}

const MARGIN = { left: 40, right: 16, top: 6, bottom: 18 }; // left: at least; wider labels widen it
const LABEL_PX = 14; // a 10 px label's line, with air between two

export class LossChart {
  /** @param {HTMLElement} container  the chart fills it (its height is set by CSS) */
  constructor(container, { labels }) {
    this.container = container;
    this.labels = labels;
    this.history = [];
    this.log = false;
    this.svg = select(container).append("svg").attr("class", "loss-chart").attr("role", "img").attr("aria-label", labels.title);
    this.gx = this.svg.append("g").attr("class", "axis x");
    this.gy = this.svg.append("g").attr("class", "axis y");
    this.train = this.svg.append("path").attr("class", "line train");
    this.test = this.svg.append("path").attr("class", "line test");
    this.ends = this.svg.append("g").attr("class", "ends"); // the latest point of each line
    this.stop = this.svg.append("g").attr("class", "diverged").style("display", "none");
    this.stop.append("line");
    this.stop.append("text");
    this.cursor = this.svg.append("line").attr("class", "cursor").style("display", "none");
    this.readout = select(container).append("div").attr("class", "readout").attr("aria-live", "off");
    // pointerdown too: a tap on a touch screen reads an epoch out without any hover.
    this.svg.on("pointermove pointerdown", (ev) => this.#hover(ev)).on("pointerleave", (ev) => {
      if (ev.pointerType !== "touch") this.#hover(null); // a touch leaves as it lifts: keep its readout
    });
    this.frame = 0;
    this.scales = null;
  }

  /**
   * Show these points (redrawn at the next animation frame, once however often it is called);
   * `diverged`: the epoch a run diverged at, marked where the lines stop (null: none).
   */
  set(history, { log = this.log, diverged = null } = {}) {
    this.history = history;
    this.log = log;
    this.diverged = diverged;
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const box = this.container.getBoundingClientRect();
    const width = Math.max(120, box.width);
    const height = Math.max(60, box.height);
    this.svg.attr("viewBox", `0 0 ${width} ${height}`).attr("width", width).attr("height", height);
    const h = this.history;
    const log = this.log;
    const stop = this.diverged ?? null;
    const last = Math.max(h.length ? h.at(-1).epoch : 1, stop ?? 0);
    const first = h.length ? h[0].epoch : 0;
    const [lo, hi] = lossDomain(h, { log });
    const yRange = [height - MARGIN.bottom, MARGIN.top];
    const ys = log ? logScale([lo, hi], yRange) : linearScale([lo, hi], yRange);
    // At most one label per LABEL_PX of height, so that they never overlap.
    const rows = Math.max(2, Math.floor((height - MARGIN.top - MARGIN.bottom) / LABEL_PX) + 1);
    let yt = (log ? logTicks(lo, hi, rows) : ticks(lo, hi, Math.max(2, Math.floor(height / 28)))).filter(
      (t) => t >= lo * 0.999 && t <= hi * 1.001,
    );
    if (yt.length < 2) yt = [lo, hi]; // within one decade (log): the ends themselves
    const labels = this.gy
      .selectAll("g")
      .data(yt)
      .join((enter) => {
        const g = enter.append("g");
        g.append("line");
        g.append("text");
        return g;
      })
      .select("text")
      .text((t) => tickLabel(t));
    // The left margin fits the widest label ("1e298", "0.0012"): none is cut at the edge.
    let widest = 0;
    labels.each(function () {
      widest = Math.max(widest, this.getComputedTextLength ? this.getComputedTextLength() : 0);
    });
    const left = Math.max(MARGIN.left, Math.ceil(widest) + 6);
    const xs = linearScale([first, Math.max(first + 1, last)], [left, width - MARGIN.right]);
    this.scales = { xs, ys };
    this.train.attr("d", linePath(h, "train_loss", xs, ys, { log }));
    this.test.attr("d", linePath(h, "test_loss", xs, ys, { log }));
    const drawable = (v) => v !== null && v !== undefined && Number.isFinite(v) && (!log || v > 0);
    const ends = h.length ? ["train_loss", "test_loss"].filter((k) => drawable(h.at(-1)[k])) : [];
    this.ends
      .selectAll("circle")
      .data(ends)
      .join("circle")
      .attr("class", (k) => (k === "train_loss" ? "train" : "test"))
      .attr("r", 2.5)
      .attr("cx", xs(h.at(-1)?.epoch ?? 0))
      .attr("cy", (k) => ys(h.at(-1)[k]));
    this.stop.style("display", stop === null ? "none" : null);
    if (stop !== null) {
      const x = xs(stop);
      this.stop.select("line").attr("x1", x).attr("x2", x).attr("y1", MARGIN.top).attr("y2", height - MARGIN.bottom);
      this.stop.select("text").attr("x", x - 3).attr("y", height - MARGIN.bottom - 4).attr("text-anchor", "end").text(this.labels.diverged());
    }
    const xt = ticks(first, Math.max(first + 1, last), Math.max(2, Math.floor(width / 70))).filter((t) => Number.isInteger(t));
    this.gx
      .selectAll("text")
      .data(xt)
      .join("text")
      .attr("x", (t) => xs(t))
      .attr("y", height - 4)
      .attr("text-anchor", "middle")
      .text((t) => String(t));
    this.gy
      .selectAll("g")
      .call((g) => g.select("line").attr("x1", left).attr("x2", width - MARGIN.right).attr("y1", (t) => ys(t)).attr("y2", (t) => ys(t)))
      .call((g) => g.select("text").attr("x", left - 3).attr("y", (t) => ys(t)).attr("dy", "0.35em").attr("text-anchor", "end"));
  }

  #hover(ev) {
    if (!ev || !this.scales || this.history.length === 0) {
      this.cursor.style("display", "none");
      this.readout.text("");
      return;
    }
    const rect = this.svg.node().getBoundingClientRect();
    const epoch = this.scales.xs.invert(ev.clientX - rect.left);
    const p = nearestPoint(this.history, epoch);
    const x = this.scales.xs(p.epoch);
    this.cursor.style("display", null).attr("x1", x).attr("x2", x).attr("y1", MARGIN.top).attr("y2", rect.height - MARGIN.bottom);
    this.readout.text(this.labels.readout(p.epoch, short(p.train_loss), p.test_loss === null ? "–" : short(p.test_loss)));
  }
}
