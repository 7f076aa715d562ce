// The matrix view, for networks too wide for links (layout.js's matrixView): each layer's
// neurons are a strip of cells (a in the forward pass, ∂l/∂z in the backward pass), each
// layer's weights a heatmap (w, then ∂l/∂w as the backward pass reaches a row, then w|θ¹
// after the update), all on one canvas. It offers what app.js and the player call on the
// SVG NetworkDrawing (draw.js), so drawing.js picks one or the other in one place.
//
// Cheap per event: update(), select() and animate() only note what changed; the canvas is
// painted at most once an animation frame (10 × 64 neurons are 2,306 events a step). A
// matrix is painted as an image of one pixel per weight, scaled up without smoothing.
// Every number is the server's: a cell's full values are in the readout (hover, tap, or
// focus the canvas and move a cursor with the arrow keys; Enter picks it like a click).

import { exact, pair, short } from "../text/format.js";
import { computeMatrixLayout } from "./layout.js";
import { maxAbsWeight, signColor } from "./palette.js";
import { cellBox, itemAt, moveItem, pickOfItem, sameItem, validCell } from "./cells.js";
import { pickKey, pickRow } from "./picks.js";
import { Readout, describe } from "./readout.js";
import { S } from "../text/strings.js";

const LEVELS = 256; // colour steps per sign

/** The palette's sign colours as bytes, by level: lut[sign][3 k … 3 k + 2]. */
function colourTable() {
  const parse = (css) => (css.match(/[\d.]+/g) || [0, 0, 0]).slice(0, 3).map(Number);
  const table = { neg: new Uint8ClampedArray(LEVELS * 3), pos: new Uint8ClampedArray(LEVELS * 3) };
  for (let k = 0; k < LEVELS; k++) {
    const t = k / (LEVELS - 1);
    // signColor reads sqrt(|v| / max): v = t² gives level t.
    table.neg.set(parse(signColor(-t * t, 1)), 3 * k);
    table.pos.set(parse(signColor(t * t, 1)), 3 * k);
  }
  table.neutral = parse(signColor(Number.NaN, 1));
  return table;
}

/** The largest |x| of the known (non-null) values, or 1. */
function maxAbs(values) {
  let m = 0;
  for (const v of values) if (v !== null && v !== undefined && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m || 1;
}

export class MatrixDrawing {
  /**
   * @param {HTMLElement} container  positioned element the drawing fills
   * @param {{onPick: Function}} handlers  onPick({kind, layer, node, from, to, x, y})
   */
  constructor(container, { onPick }) {
    this.container = container;
    this.onPick = onPick;
    this.host = document.createElement("div");
    this.host.className = "matrix-view";
    this.canvas = document.createElement("canvas");
    this.canvas.className = "matrix";
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "application");
    this.canvas.setAttribute("aria-roledescription", S.matrixRole);
    this.canvas.setAttribute("aria-label", S.matrixLabel);
    this.host.append(this.canvas);
    this.readout = new Readout(this.host);
    this.canvas.setAttribute("aria-describedby", this.readout.el.id);
    container.append(this.host);
    this.ctx = this.canvas.getContext("2d");
    this.lut = colourTable();
    this.layout = null;
    this.request = null;
    this.view = null;
    this.selection = null;
    this.inputNames = null;
    this.cursor = null; // the item the keyboard (or a tap) is on: {kind: "neuron"|"weight", …}
    this.hover = null;
    this.pinned = false; // "tap" or "key": the readout shows the cursor's item (see blur)
    this.frame = 0;
    this.paints = 0;
    this.#listen();
  }

  show(on) {
    this.host.hidden = !on;
    if (on) return;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  size() {
    const box = this.container.getBoundingClientRect();
    return { width: Math.max(200, box.width), height: Math.max(80, box.height) };
  }

  /** The input neurons' names (null: x₁, x₂, …); returns whether they changed. */
  setInputNames(names) {
    const same = (names || []).join("\u0000") === (this.inputNames || []).join("\u0000");
    this.inputNames = names;
    return !same;
  }

  setNetwork(request) {
    this.request = request;
    const { width, height } = this.size();
    const layers = request.network.layers;
    const layout = computeMatrixLayout(layers, width, height);
    this.layout = layout;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.dpr = dpr;
    // One image per matrix, a pixel per weight; painted, then drawn scaled.
    this.images = layout.mats.map((m) => {
      const c = document.createElement("canvas");
      c.width = m.cols;
      c.height = m.rows;
      const cx = c.getContext("2d");
      return { canvas: c, ctx: cx, data: cx.createImageData(m.cols, m.rows) };
    });
    const css = getComputedStyle(this.container);
    const v = (name, dflt) => css.getPropertyValue(name).trim() || dflt;
    this.colours = {
      bg: v("--bg", "#fbfbfa"),
      ink: v("--ink", "#1d1f21"),
      muted: v("--muted", "#5f6368"),
      line: v("--line", "#dcdcd8"),
      accent: v("--accent", "#5a3e9b"),
      grad: v("--grad", "#6a3d9a"),
      surface: v("--surface", "#ffffff"),
      font: v("--font", "system-ui, sans-serif"),
    };
    this.bgBytes = parseColour(this.colours.bg);
    if (this.cursor && !validCell(this.request.network.layers, this.cursor)) this.cursor = null;
    this.hover = null;
    this.#schedule();
    return layout;
  }

  /** The weights as a run trains, in place (no layout): repainted with the next frame. */
  showWeights(request) {
    this.request = request;
    this.#schedule();
  }

  /** Show a view (replay.js's fold): noted now, painted with the next animation frame. */
  update(view) {
    this.view = view;
    this.#schedule();
  }

  select(selection) {
    this.selection = selection;
    this.#schedule();
  }

  interrupt() {}

  /**
   * The player's per-event effect. The matrix view animates by layer: the layer of the
   * latest event is outlined at the next paint (from the view's last event), so nothing
   * travels and an event costs nothing here.
   */
  animate() {
    return 0;
  }

  /** Where an editor for a pick should appear: the centre of its cell. */
  anchorOf(what) {
    const lay = this.layout;
    if (!lay) return { x: 0, y: 0 };
    const item = pickRow(what)?.cell(what);
    if (!item) return { x: 0, y: 0 };
    if (item.kind === "weight") {
      const cell = cellBox(this.layout, item);
      return { x: cell.x + cell.w / 2, y: cell.y + cell.h / 2 };
    }
    if (item.kind === "target") return { x: lay.targets.x + lay.targets.w / 2, y: lay.targets.y0 + (item.node + 0.5) * lay.targets.ch };
    if (item.kind === "loss") return { x: lay.lossBox.x, y: lay.lossBox.y };
    const n = lay.neurons[item.layer][item.node];
    return { x: n.x, y: n.y };
  }

  // ---- items: neurons and weights -------------------------------------------------------------

  #listen() {
    const c = this.canvas;
    const local = (ev) => {
      const box = c.getBoundingClientRect();
      return { x: ev.clientX - box.left, y: ev.clientY - box.top };
    };
    let hoverFrame = 0;
    c.addEventListener("pointermove", (ev) => {
      if (ev.pointerType === "touch") return; // a tap shows the readout (click), not a drag
      const p = local(ev);
      cancelAnimationFrame(hoverFrame);
      hoverFrame = requestAnimationFrame(() => {
        const item = itemAt(this.layout, p.x, p.y);
        if (sameItem(item, this.hover)) return;
        this.hover = item;
        this.#schedule();
      });
    });
    c.addEventListener("pointerleave", () => {
      cancelAnimationFrame(hoverFrame);
      this.hover = null;
      this.#schedule();
    });
    c.addEventListener("click", (ev) => {
      const p = local(ev);
      const item = itemAt(this.layout, p.x, p.y);
      ev.stopPropagation();
      if (!item) {
        this.pinned = false;
        this.#schedule();
        return;
      }
      this.cursor = item;
      this.pinned = "tap";
      this.#schedule();
      this.onPick({ ...pickOfItem(this.layout, item), x: p.x, y: p.y });
    });
    c.addEventListener("focus", () => {
      if (!this.cursor && this.request) this.cursor = { kind: "neuron", layer: 0, node: 0 };
      this.pinned ||= "key";
      this.#schedule();
    });
    c.addEventListener("blur", () => {
      // The keyboard's readout goes with the focus; a tap's stays (the editor it opens
      // takes the focus) until the next tap.
      if (this.pinned === "key") this.pinned = false;
      this.#schedule();
    });
    c.addEventListener("keydown", (ev) => {
      if (!this.request || ev.altKey || ev.ctrlKey || ev.metaKey) return;
      const arrows = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"];
      if (arrows.includes(ev.key)) {
        this.cursor = moveItem(this.cursor || { kind: "neuron", layer: 0, node: 0 }, ev.key, this.request.network.layers);
        this.pinned = "key";
      } else if (ev.key === "Enter" && this.cursor) {
        const pick = pickOfItem(this.layout, this.cursor);
        this.onPick({ ...pick, ...this.anchorOf(pick) });
      } else return;
      ev.preventDefault();
      ev.stopPropagation(); // the page's arrow keys step the player
      this.#schedule();
    });
  }

  // ---- painting -----------------------------------------------------------------------------

  #schedule() {
    if (this.frame || this.host.hidden) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /** Paint everything now (the scheduled frame calls this). */
  paint() {
    const lay = this.layout;
    const req = this.request;
    if (!lay || !req) return;
    const t0 = performance.now();
    const view = this.view && this.view.neurons.length === lay.strips.length ? this.view : null;
    const ctx = this.ctx;
    const col = this.colours;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, lay.width, lay.height);
    ctx.imageSmoothingEnabled = false;
    const phase = view ? view.phase : "idle";
    const back = phase === "backward" || phase === "update" || phase === "done";
    this.canvas.dataset.phase = phase;
    const last = view && view.last;
    ctx.font = `11px ${col.font}`;
    ctx.textAlign = "center";
    ctx.textBaseline = "alphabetic";

    if (this.scaleOf !== req.network.weights) {
      this.scaleOf = req.network.weights; // the network's |w| scale, once per set of weights
      this.wScale = maxAbsWeight(req.network.weights);
    }
    lay.mats.forEach((m, g) => {
      const what = this.#paintMatrix(m, g, view, this.wScale);
      ctx.drawImage(this.images[g].canvas, m.x, m.y0, m.w, m.h);
      ctx.strokeStyle = col.line;
      ctx.lineWidth = 1;
      ctx.strokeRect(m.x - 0.5, m.y0 - 0.5, m.w + 1, m.h + 1);
      ctx.fillStyle = what === "dl_dw" ? col.grad : col.muted;
      ctx.fillText(fitCaption(ctx, `${CAPTION[what]} ${m.rows}×${m.cols}`, m.w + 20), m.x + m.w / 2, lay.top - 4);
    });
    lay.strips.forEach((s) => this.#paintStrip(s, view, back));
    this.#paintTargets();
    this.#paintLoss(view);

    // The latest event's layer (the matrix view animates by layer), then the selection.
    if (last && last.layer !== undefined) {
      ctx.strokeStyle = col.accent;
      ctx.lineWidth = 2;
      const s = lay.strips[last.layer];
      ctx.strokeRect(s.x - 2, s.y0 - 2, s.w + 4, s.h + 4);
      if (last.type === "gradient" || last.type === "update") {
        const m = lay.mats[last.layer - 1];
        ctx.strokeRect(m.x - 2, m.y0 - 2, m.w + 4, m.h + 4);
        ctx.lineWidth = 1;
        ctx.strokeRect(m.x - 1, m.y0 + last.node * m.ch - 1, m.w + 2, m.ch + 2);
      }
    } else if (last && (last.type === "loss" || last.type === "done")) {
      const b = lay.lossBox;
      ctx.strokeStyle = col.accent;
      ctx.lineWidth = 2;
      ctx.strokeRect(b.x - 3, b.y - b.h / 2 - 3, b.w + 6, b.h + 6);
    }
    const selected = this.#itemOfPick(this.selection);
    if (selected) this.#outline(this.#boxOf(selected), col.accent, 2);
    const shown = this.hover || (this.pinned ? this.cursor : null);
    if (this.cursor && document.activeElement === this.canvas) this.#outline(this.#boxOf(this.cursor), col.ink, 2);
    this.#paintReadout(shown, view);
    this.paints += 1;
    this.canvas.dataset.paints = String(this.paints);
    // A benchmark's list of paint times (benchmarks/bench_large_page.py sets it).
    if (window.backpropVizPaintTimes) window.backpropVizPaintTimes.push(performance.now() - t0);
  }

  /** Fill one matrix's image; returns what it shows: "w", "dl_dw" or "w_new". */
  #paintMatrix(m, g, view, wScale) {
    const img = this.images[g];
    const px = img.data.data;
    const W = this.request.network.weights[g];
    const grads = view ? view.dl_dw[g] : null;
    const news = view ? view.w_new[g] : null;
    const phase = view ? view.phase : "idle";
    let what = "w";
    if ((phase === "update" || phase === "done") && news.some(Boolean)) what = "w_new";
    else if (phase === "backward" && grads.some(Boolean)) what = "dl_dw";
    // Painted again only when what it shows changed (in the forward pass: never).
    const known = what === "dl_dw" ? grads.filter(Boolean).length : what === "w_new" ? news.filter(Boolean).length : 0;
    const signature = [what, known, wScale];
    if (img.weights === W && img.signature && img.signature.every((v, k) => v === signature[k])) return what;
    img.weights = W;
    img.signature = signature;
    // ∂l/∂w on the matrix's own scale (gradients shrink layer by layer); w and w|θ¹ on the
    // network's, as the links are coloured.
    let gScale = 1;
    if (what === "dl_dw") {
      gScale = 0;
      for (const row of grads) if (row) gScale = Math.max(gScale, maxAbs(row));
    }
    for (let j = 0; j < m.rows; j++) {
      const row = what === "dl_dw" ? grads[j] : what === "w_new" ? news[j] : W[j];
      const values = row || W[j]; // a row the pass has not reached yet: its w, faded
      const scale = row && what === "dl_dw" ? gScale : wScale;
      const fade = !row;
      for (let i = 0; i < m.cols; i++) this.#pixel(px, 4 * (j * m.cols + i), values[i], scale, fade);
    }
    img.ctx.putImageData(img.data, 0, 0);
    return what;
  }

  /** One value's colour into an RGBA buffer (faded: three quarters background). */
  #pixel(px, k, value, scale, fade) {
    let rgb = this.lut.neutral;
    let o = 0;
    if (Number.isFinite(value)) {
      const t = Math.min(1, Math.sqrt(Math.abs(value) / scale));
      const table = value < 0 ? this.lut.neg : this.lut.pos;
      rgb = table;
      o = 3 * Math.round(t * (LEVELS - 1));
    }
    for (let c = 0; c < 3; c++) {
      const v = rgb === this.lut.neutral ? rgb[c] : rgb[o + c];
      px[k + c] = fade ? (v + 3 * this.bgBytes[c]) / 4 : v;
    }
    px[k + 3] = 255;
  }

  #paintStrip(s, view, back) {
    const ctx = this.ctx;
    const col = this.colours;
    const l = s.layer;
    const cells = view ? view.neurons[l] : this.request.input.map((a) => ({ a }));
    // From the backward pass on, ∂l/∂z where it has arrived; a (faded) where not yet.
    const grad = back && l > 0 && cells.some((n) => n.dl_dz !== undefined);
    const aScale = maxAbs(cells.map((n) => n.a));
    const gScale = maxAbs(cells.map((n) => n.dl_dz));
    for (let j = 0; j < s.n; j++) {
      const n = cells[j];
      let fill = col.surface;
      if (grad && n.dl_dz !== undefined) fill = signColor(n.dl_dz, gScale);
      else if (n.a !== undefined) fill = this.#css(n.a, aScale, grad);
      ctx.fillStyle = fill;
      ctx.fillRect(s.x, s.y0 + j * s.ch, s.w, s.ch);
    }
    ctx.strokeStyle = col.line;
    ctx.lineWidth = 1;
    ctx.strokeRect(s.x - 0.5, s.y0 - 0.5, s.w + 1, s.h + 1);
    if (s.ch >= 6 && s.n > 1) {
      // Cell borders where they can be seen: a strip reads as neurons, not as a bar.
      ctx.beginPath();
      for (let j = 1; j < s.n; j++) {
        ctx.moveTo(s.x, s.y0 + j * s.ch);
        ctx.lineTo(s.x + s.w, s.y0 + j * s.ch);
      }
      ctx.stroke();
    }
    ctx.fillStyle = grad ? col.grad : col.muted;
    const caption = l === 0 ? "x" : grad ? "∂l/∂z" : "a";
    ctx.fillText(caption, s.x + s.w / 2, this.layout.height - 5);
  }

  #paintTargets() {
    const ctx = this.ctx;
    const t = this.layout.targets;
    const targets = this.request.target;
    const scale = maxAbs(targets);
    targets.forEach((v, j) => {
      ctx.fillStyle = this.#css(v, scale, false);
      ctx.fillRect(t.x, t.y0 + j * t.ch, t.w, t.ch);
    });
    ctx.strokeStyle = this.colours.line;
    ctx.strokeRect(t.x - 0.5, t.y0 - 0.5, t.w + 1, t.h + 1);
    ctx.fillStyle = this.colours.muted;
    ctx.fillText("t", t.x + t.w / 2, this.layout.height - 5);
  }

  #paintLoss(view) {
    const ctx = this.ctx;
    const col = this.colours;
    const b = this.layout.lossBox;
    const loss = view ? view.loss : null;
    const after = view ? view.loss_after : null;
    ctx.fillStyle = col.surface;
    ctx.strokeStyle = col.ink;
    ctx.lineWidth = 1;
    ctx.fillRect(b.x, b.y - b.h / 2, b.w, b.h);
    ctx.strokeRect(b.x + 0.5, b.y - b.h / 2 + 0.5, b.w - 1, b.h - 1);
    ctx.fillStyle = col.muted;
    ctx.fillText(S.lossBox, b.x + b.w / 2, b.y - b.h / 2 - 4);
    ctx.fillStyle = col.ink;
    ctx.font = `600 11px ${col.font}`;
    const two = after !== null && after !== undefined;
    const [before, later] = two ? pair(loss, after, 3) : [loss === null ? "?" : short(loss, 3), ""];
    ctx.fillText(fitCaption(ctx, before, b.w - 4), b.x + b.w / 2, b.y + (two ? -3 : 4));
    if (two) ctx.fillText(fitCaption(ctx, `→ ${later}`, b.w - 4), b.x + b.w / 2, b.y + 13);
    ctx.font = `11px ${col.font}`;
    const host = this.host.dataset;
    if (loss === null) delete host.loss;
    else host.loss = exact(loss);
    if (two) host.lossAfter = exact(after);
    else delete host.lossAfter;
  }

  #css(value, scale, fade) {
    if (!fade) return signColor(value, scale);
    const px = new Uint8ClampedArray(4);
    this.#pixel(px, 0, value, scale, true);
    return `rgb(${px[0]},${px[1]},${px[2]})`;
  }

  #outline(box, colour, width) {
    if (!box) return;
    const ctx = this.ctx;
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    const pad = width / 2 + 0.5;
    ctx.strokeRect(box.x - pad, box.y - pad, Math.max(2, box.w) + 2 * pad, Math.max(2, box.h) + 2 * pad);
  }

  #boxOf(item) {
    const lay = this.layout;
    if (item.kind === "neuron" || item.kind === "weight") return cellBox(this.layout, item);
    if (item.kind === "target") return { x: lay.targets.x, y: lay.targets.y0 + item.node * lay.targets.ch, w: lay.targets.w, h: lay.targets.ch };
    if (item.kind === "loss") return { x: lay.lossBox.x, y: lay.lossBox.y - lay.lossBox.h / 2, w: lay.lossBox.w, h: lay.lossBox.h };
    return null;
  }

  #itemOfPick(p) {
    if (!p || !this.layout) return null;
    const item = pickRow(p)?.cell(p);
    if (!item) return null;
    // A target or the loss has one place; a cell may be gone from a network drawn since.
    return item === p || validCell(this.request.network.layers, item) ? item : null;
  }

  // ---- the readout ----------------------------------------------------------------------------

  #paintReadout(item, view) {
    if (!item || !this.request || !["neuron", "weight", "target"].includes(item.kind)) return this.readout.hide();
    const bounds = { width: this.layout.width, height: this.layout.height };
    this.readout.show(describe(this.request, view, item, this.inputNames), this.#boxOf(item), bounds);
  }

  /** The pick key of the readout's item (tests, host pages). */
  get readoutKey() {
    const item = this.hover || (this.pinned ? this.cursor : null);
    return item ? pickKey(pickOfItem(this.layout, item)) : null;
  }
}

// What a matrix shows, as its caption says it.
const CAPTION = { w: "w", dl_dw: "∂l/∂w", w_new: "w|θ¹" };

/** A caption cut to fit a width (its dimensions go first, then the rest is elided). */
function fitCaption(ctx, text, width) {
  if (ctx.measureText(text).width <= width) return text;
  const word = text.split(" ")[0];
  return ctx.measureText(word).width <= width ? word : "";
}

/** "#rrggbb" or "rgb(r, g, b)" as bytes (the canvas's background, for fading). */
function parseColour(css) {
  if (css.startsWith("#") && css.length === 7) return [1, 3, 5].map((k) => parseInt(css.slice(k, k + 2), 16));
  const m = css.match(/[\d.]+/g);
  return m ? m.slice(0, 3).map(Number) : [251, 251, 250];
}

