// The stage: the drawing (drawing/drawing.js) kept in step with the store. A new request is
// drawn and becomes the player's timeline; the playback slice is painted at most once an
// animation frame; the selection is highlighted; a resize, the panel opening or closing and
// the language lay the drawing out again, and whoever draws beside it (the editor's layer
// headers) follows through onRelayout.

import { S } from "../text/strings.js";
import { traceTimeline } from "./timeline.js";

const sameLayers = (a, b) => a.network.layers.join() === b.network.layers.join();

/** With the training view open, the input neurons are named by its features (x₁², sin x₁…). */
function inputNames(s) {
  const features = s.view.training && s.training && s.training.settings.features;
  const fits = features && s.request && features.length === s.request.network.layers[0];
  return fits && features.join() !== "x1,x2" ? features.map((f) => S.featureName(f)) : null;
}

export class Stage {
  /**
   * @param {HTMLElement} root  the .app element
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store
   * @param {import("../drawing/drawing.js").Drawing} o.drawing
   * @param {import("./playback.js").Player} o.player
   * @param {(request: object) => object} [o.timelineOf]  the timeline a request plays:
   *   timeline.js traceTimeline, or it with question stops (the predict mode's), or one that
   *   waits for the exercise page's Check before it streams anything
   */
  constructor(root, { store, drawing, player, timelineOf = (request) => traceTimeline(request) }) {
    this.root = root;
    this.timelineOf = timelineOf;
    this.store = store;
    this.drawing = drawing;
    this.player = player;
    // The weights while a run streams (cause.streaming, same layers, the step not played):
    // the links, the weight numbers and the biases change in place, nothing else (a few
    // times a second, and each push must fit in a frame); the step's timeline is made again
    // when the run stops (its last push is not streaming) or a second after its last push.
    this.weightsOnly = false;
    this.timelineTimer = 0;
    this.paintTimer = 0;
    this.nextPaintAt = 0;
    this.relayoutListeners = [];
    store.subscribe((s) => {
      if (drawing.setInputNames(inputNames(s)) && drawing.request) drawing.setNetwork(drawing.request);
    }, ["training", "view"]);
    store.subscribe((s, _changed, cause) => this.#requestChanged(s, cause), ["request"]);
    store.subscribe((s) => this.#playbackChanged(s.playback), ["playback"]);
    store.subscribe((s) => drawing.select(s.selection), ["selection"]);
    store.subscribe((s) => s.request && this.#relabel(), ["lang"]);
    let frame = 0;
    new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => this.relayout());
    }).observe(drawing.container);
  }

  /** The drawing's geometry (layer positions), for what is drawn beside it. */
  get layout() {
    return this.drawing.layout;
  }

  /** Call fn() after each relayout (a resize, the panel, the language). */
  onRelayout(fn) {
    this.relayoutListeners.push(fn);
  }

  relayout() {
    const { request, playback, selection } = this.store.state;
    if (!request) return;
    this.drawing.setNetwork(request);
    if (playback.frame) this.drawing.update(playback.frame);
    this.drawing.select(selection);
    for (const fn of this.relayoutListeners) fn();
  }

  #requestChanged(s, cause) {
    const { drawing, player } = this;
    clearTimeout(this.timelineTimer);
    drawing.setInputNames(inputNames(s));
    this.weightsOnly = !!cause.streaming && !!drawing.request && sameLayers(drawing.request, s.request) &&
      player.cursor === 0 && !player.playing;
    if (this.weightsOnly) {
      drawing.showWeights(s.request);
      this.timelineTimer = setTimeout(() => player.load(this.timelineOf(this.store.request)), 1000);
      return;
    }
    // The weights as they train, the run stopped: repainted from the new request (the
    // playback subscriber), the layout is kept.
    if (cause.training && drawing.request && sameLayers(drawing.request, s.request)) drawing.request = s.request;
    else drawing.setNetwork(s.request);
    drawing.select(s.selection);
    player.load(this.timelineOf(s.request));
  }

  // While playing, paint at most once an animation frame, and leave as much time between
  // two paints as the last one took: a large network's repaint (10 × 64 neurons: ~1 s here)
  // is longer than an event stays on screen at high speed, and the events must not queue
  // behind it. Anything else (a pause, a seek, the end) paints at once.
  #playbackChanged({ frame, playing }) {
    if (!frame) return;
    if (playing) {
      this.paintTimer ||= setTimeout(() => requestAnimationFrame(() => {
        this.paintTimer = 0;
        if (this.store.state.playback.playing) this.#paint();
      }), Math.max(0, this.nextPaintAt - performance.now()));
      return;
    }
    clearTimeout(this.paintTimer);
    this.paintTimer = 0;
    this.#paint();
  }

  #paint() {
    const t0 = performance.now();
    this.drawing.update(this.store.state.playback.frame);
    this.nextPaintAt = performance.now() + (performance.now() - t0);
  }

  /** The language changed: the drawing's words, and the labels its views set once when built. */
  #relabel() {
    this.relayout();
    const root = this.root;
    root.querySelector("svg.network")?.setAttribute("aria-label", S.networkLabel);
    for (const c of root.querySelectorAll("canvas.matrix")) {
      c.setAttribute("aria-roledescription", S.matrixRole);
      c.setAttribute("aria-label", S.matrixLabel);
    }
    for (const note of root.querySelectorAll(".legend-matrix")) note.textContent = S.matrixLegend;
  }
}
