// The plane: the decision boundary as a heatmap (one pixel per lattice cell in an ImageData,
// scaled up by drawImage) and the data's points over it, on one <canvas>. A click on a point
// names it (split, index); a click elsewhere, with a class chosen, adds a point there.
// The canvas carries data-boundary and data-epoch (the epoch of the snapshot it shows).

import { boundaryColorOf, css, fillPixels, pointRgb } from "./colors.js";

const POINT_RADIUS = 3.2;
const HIT_RADIUS = 7;

/**
 * Paint a lattice of values onto `canvas`, one pixel a cell (CSS scales it up), reusing
 * `image` (the ImageData of the last paint) while the size holds; returns the ImageData.
 */
export function paintLattice(canvas, image, values, flip, colorOf) {
  const rows = values.length;
  const cols = rows ? values[0].length : 0;
  if (canvas.width !== cols || canvas.height !== rows) {
    canvas.width = cols;
    canvas.height = rows;
    image = null;
  }
  const ctx = canvas.getContext("2d");
  image ||= ctx.createImageData(cols, rows);
  fillPixels(image.data, rows, cols, flip, colorOf);
  ctx.putImageData(image, 0, 0);
  return image;
}

export class Plane {
  /**
   * @param {HTMLElement} container
   * @param {object} o
   * @param {(hit: {split: "train"|"test", index: number}) => void} o.onPoint
   * @param {(x: number[]) => void} o.onEmpty  a click where there is no point (plane coordinates)
   */
  constructor(container, { onPoint, onEmpty, label }) {
    this.container = container;
    this.canvas = document.createElement("canvas");
    this.canvas.className = "plane-canvas";
    this.canvas.dataset.boundary = "";
    this.canvas.setAttribute("role", "img");
    this.canvas.setAttribute("aria-label", label);
    container.append(this.canvas);
    this.lattice = document.createElement("canvas"); // the boundary at grid resolution
    this.points = document.createElement("canvas"); // the points, drawn again only when they change
    this.pointsKey = null;
    this.side = 0; // the canvas's CSS size, measured again after resize()
    this.onPoint = onPoint;
    this.onEmpty = onEmpty;
    this.data = null;
    this.snapshot = null;
    this.options = { showTest: true, discrete: false, range: [0, 1], classes: 2, highlight: null };
    this.drawnSnapshot = null;
    this.canvas.addEventListener("click", (ev) => this.#click(ev));
    this.canvas.addEventListener("pointermove", (ev) => {
      this.canvas.style.cursor = this.#hit(ev) ? "pointer" : "crosshair";
    });
  }

  /** The extent [[x0, x1], [y0, y1]] the plane shows. */
  get extent() {
    return (this.data && this.data.extent) || [[-6, 6], [-6, 6]];
  }

  #size() {
    if (this.side) return this.side;
    const box = this.container.getBoundingClientRect();
    this.side = Math.max(60, Math.floor(Math.min(box.width, box.height || box.width)));
    return this.side;
  }

  /** The container's size changed: measure it at the next draw (not on every frame). */
  resize() {
    this.side = 0;
  }

  #toPx(side) {
    const [[x0, x1], [y0, y1]] = this.extent;
    return {
      x: (v) => ((v - x0) / (x1 - x0)) * side,
      y: (v) => side - ((v - y0) / (y1 - y0)) * side,
      inverse: (px, py) => [x0 + (px / side) * (x1 - x0), y0 + ((side - py) / side) * (y1 - y0)],
    };
  }

  /**
   * Paint the latest boundary and the points, when either changed (or the size). The points
   * are kept on a canvas of their own: a new boundary is two drawImage calls. Returns true
   * when a new snapshot was drawn.
   */
  draw({ data, snapshot, options }) {
    this.data = data;
    this.snapshot = snapshot;
    this.options = { ...this.options, ...options };
    const side = this.#size();
    const dpr = window.devicePixelRatio || 1;
    const px = Math.round(side * dpr);
    const resized = this.canvas.width !== px;
    if (resized) {
      this.canvas.width = px;
      this.canvas.height = px;
      this.canvas.style.width = `${side}px`;
      this.canvas.style.height = `${side}px`;
    }
    const fresh = !!snapshot && snapshot !== this.drawnSnapshot;
    const o = this.options;
    const pointsKey = [data, o.showTest, o.highlight, o.range.join(), o.classes, px].map((v) => (typeof v === "object" ? v : String(v)));
    const pointsChanged = !this.pointsKey || pointsKey.some((v, k) => v !== this.pointsKey[k]);
    const discreteChanged = this.lastDiscrete !== o.discrete;
    if (!fresh && !resized && !pointsChanged && !discreteChanged && snapshot === this.drawnSnapshot) return false;
    if (pointsChanged) {
      this.#drawPoints(side, dpr, px);
      this.pointsKey = pointsKey;
    }
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#f7f7f5";
    ctx.fillRect(0, 0, side, side);
    if (snapshot && snapshot.boundary && snapshot.boundary.values) {
      if (fresh || discreteChanged) this.#fillLattice(snapshot.boundary);
      this.#drawLattice(ctx, snapshot.boundary, side);
      this.canvas.dataset.epoch = String(snapshot.epoch);
    } else {
      delete this.canvas.dataset.epoch;
    }
    this.lastDiscrete = o.discrete;
    this.drawnSnapshot = snapshot;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(this.points, 0, 0);
    return fresh;
  }

  #fillLattice(boundary) {
    const { range, discrete, classes } = this.options;
    const flip = boundary.y.length > 1 ? boundary.y[1] > boundary.y[0] : true;
    this.image = paintLattice(this.lattice, this.image, boundary.values, flip, boundaryColorOf(boundary, { range, discrete, classes }));
    this.lastDiscrete = discrete;
  }

  #drawLattice(ctx, boundary, side) {
    const { x, y } = boundary;
    const to = this.#toPx(side);
    // Each lattice value is the centre of its cell: the image spans half a cell past the ends.
    const half = (a) => (a.length > 1 ? Math.abs(a[1] - a[0]) / 2 : 0);
    const xLo = Math.min(x[0], x.at(-1)) - half(x);
    const xHi = Math.max(x[0], x.at(-1)) + half(x);
    const yLo = Math.min(y[0], y.at(-1)) - half(y);
    const yHi = Math.max(y[0], y.at(-1)) + half(y);
    ctx.imageSmoothingEnabled = !this.options.discrete;
    ctx.drawImage(this.lattice, to.x(xLo), to.y(yHi), to.x(xHi) - to.x(xLo), to.y(yLo) - to.y(yHi));
  }

  *#visiblePoints() {
    const d = this.data;
    if (!d) return;
    for (const split of ["train", "test"]) {
      if (split === "test" && !this.options.showTest) continue;
      const s = d[split];
      if (!s) continue;
      for (let k = 0; k < s.x.length; k++) yield { split, index: k, x: s.x[k], label: s.labels[k] };
    }
  }

  #drawPoints(side, dpr, px) {
    if (this.points.width !== px) {
      this.points.width = px;
      this.points.height = px;
    }
    const ctx = this.points.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, px, px);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!this.data || !this.data.extent) return;
    const to = this.#toPx(side);
    const { kind, classes } = this.data;
    const look = { kind, classes, range: this.options.range };
    const highlight = this.options.highlight;
    for (const p of this.#visiblePoints()) {
      const cx = to.x(p.x[0]);
      const cy = to.y(p.x[1]);
      ctx.beginPath();
      ctx.arc(cx, cy, POINT_RADIUS, 0, 2 * Math.PI);
      ctx.fillStyle = css(pointRgb(p.label, look));
      ctx.fill();
      // Training points have a white ring, test points a dark one (as in the Playground).
      ctx.lineWidth = 1;
      ctx.strokeStyle = p.split === "test" ? "#222" : "#fff";
      ctx.stroke();
      if (highlight && p.split === "train" && highlight.has(p.index)) {
        ctx.beginPath();
        ctx.arc(cx, cy, POINT_RADIUS + 3, 0, 2 * Math.PI);
        ctx.lineWidth = 2;
        ctx.strokeStyle = "#5a3e9b";
        ctx.stroke();
      }
    }
  }

  #hit(ev) {
    if (!this.data || !this.data.extent) return null;
    const rect = this.canvas.getBoundingClientRect();
    const side = rect.width;
    const to = this.#toPx(side);
    const mx = ev.clientX - rect.left;
    const my = ev.clientY - rect.top;
    let best = null;
    let bestD = HIT_RADIUS;
    for (const p of this.#visiblePoints()) {
      const d = Math.hypot(to.x(p.x[0]) - mx, to.y(p.x[1]) - my);
      if (d <= bestD) {
        best = p;
        bestD = d;
      }
    }
    return best;
  }

  /** Where on the screen a point is (for tests and the add-point feedback). */
  screenPoint(split, index) {
    const p = this.data && this.data[split] && this.data[split].x[index];
    if (!p) return null;
    const rect = this.canvas.getBoundingClientRect();
    const to = this.#toPx(rect.width);
    return { x: rect.left + to.x(p[0]), y: rect.top + to.y(p[1]) };
  }

  #click(ev) {
    const hit = this.#hit(ev);
    if (hit) {
      this.onPoint({ split: hit.split, index: hit.index });
      return;
    }
    if (!this.data || !this.data.extent) return;
    const rect = this.canvas.getBoundingClientRect();
    const to = this.#toPx(rect.width);
    this.onEmpty(to.inverse(ev.clientX - rect.left, ev.clientY - rect.top));
  }
}
