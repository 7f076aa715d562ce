// A timeline is what the player plays: where its events come from, how each one folds
// into the frame the drawing shows, how long each stays on screen, and where the named
// stops are. The one-step trace is a timeline; a training run will be another.
//
//   {initial(), apply(frame, event), durationOf(event), stops: {name: (event) => bool},
//    phaseOf(event), expectedCount, open(onEvent, signal) → Promise,
//    ask?(event, k) → question | null}
//
// `ask` (withQuestions) puts question stops in it: before event k is shown, the player asks
// `ask(event, k)`; a question (any object its caller reads back: the predict mode's, an
// exercise's, the tour's) stops the player until it is answered or skipped (playback.js).

import { ConnectionError, streamTrace } from "../page/api.js";
import { keptOr } from "./checked.js";
import { matrixView } from "../drawing/layout.js";
import { applyEvent, expectedEventCount, initialView, phaseOf } from "./replay.js";

// How long each kind of event stays on screen at speed 1 (ms).
export const TRACE_DURATIONS = { forward: 650, loss: 900, backward: 650, gradient: 450, update: 320, done: 700 };
// A wide network (the matrix view) is animated by layer: a layer's events are shown at once
// and the last of them stays this long (its backward pass ends with its last gradient);
// beyond four layers a little shorter, so that the whole step stays within seconds.
export const LAYER_DURATIONS = { forward: 500, gradient: 700, update: 400 };

/** How long an event stays on screen at speed 1 (ms), per neuron or, when wide, per layer. */
export function traceDurations(layers) {
  if (!matrixView(layers)) return (event) => TRACE_DURATIONS[event.type] ?? 400;
  const pace = Math.min(1, 4 / (layers.length - 1)); // a deep one's step stays within seconds
  return (event) => {
    if (event.layer === undefined) return TRACE_DURATIONS[event.type] ?? 400;
    const lastOfLayer = event.node === layers[event.layer] - 1;
    return lastOfLayer ? (LAYER_DURATIONS[event.type] ?? 0) * pace : 0;
  };
}

// Where the Forward / Backward / Step buttons stop: before the first event of this phase.
export const TRACE_STOPS = {
  forward: (e) => phaseOf(e) === "backward",
  backward: (e) => e.type === "update",
  step: () => false,
};

/**
 * One gradient-descent step of `request`, streamed from POST /api/v1/trace/stream, or the
 * events its check (POST /trace) already brought (checked.js).
 */
export function traceTimeline(request, { stream = keptOr(streamTrace) } = {}) {
  return {
    kind: "trace",
    request,
    initial: () => initialView(request),
    apply: applyEvent,
    durationOf: traceDurations(request.network.layers),
    stops: TRACE_STOPS,
    phaseOf,
    expectedCount: expectedEventCount(request),
    // A stream that ends without its done event broke off (a proxy's timeout, a restart).
    open: async (onEvent, signal) => {
      let done = false;
      await stream(
        request,
        (event) => {
          if (event.type === "done") done = true;
          onEvent(event);
        },
        signal,
      );
      if (!done && !signal?.aborted) throw new ConnectionError({ lost: true });
    },
  };
}

/**
 * The timeline with question stops: `ask(event, k)` is the question to ask before event k
 * is shown, or null for none. The timeline given is left as it was.
 */
export function withQuestions(timeline, ask) {
  return { ...timeline, ask };
}

/** The indices of the events a question stops before, in order (none without `ask`). */
export function questionStops(timeline, events) {
  if (!timeline.ask) return [];
  return events.flatMap((event, k) => (timeline.ask(event, k) ? [k] : []));
}

/** The frame after the first n events: a pure fold from the timeline's start. */
export function frameAt(timeline, events, n) {
  const frame = timeline.initial();
  for (let k = 0; k < n && k < events.length; k++) timeline.apply(frame, events[k]);
  frame.count = Math.min(n, events.length);
  return frame;
}

/** Index of the first event of each phase (the phase buttons, shift+arrows, `step=`). */
export function phaseStarts(timeline, events) {
  const starts = {};
  events.forEach((e, k) => {
    const p = timeline.phaseOf(e);
    if (!(p in starts)) starts[p] = k;
  });
  return starts;
}

/** Where playing towards a named stop ends: the index of the first event it stops before. */
export function stopIndex(timeline, events, stop, from = 0) {
  const before = timeline.stops[stop];
  if (!before) return events.length;
  for (let k = Math.max(from, 1); k < events.length; k++) if (before(events[k])) return k;
  return events.length;
}

/**
 * A timeline's events as they arrive: a list that grows, a flag when it is complete, and
 * `eventAt(k)` that waits until event k is there (or the stream ended without it).
 * `animated` settles when the whole recording has been shown (the player resolves it).
 */
export class Recording {
  constructor(timeline) {
    this.timeline = timeline;
    this.events = [];
    this.complete = false;
    this.error = null;
    this.controller = new AbortController();
    this.waiters = [];
    this.animated = new Promise((resolve, reject) => {
      this.resolveAnimated = resolve;
      this.rejectAnimated = reject;
    });
    this.animated.catch(() => {}); // nobody may be waiting; run() attaches its own handler
    this.ended = timeline
      .open((event) => {
        this.events.push(event);
        this.#wake();
      }, this.controller.signal)
      .catch((err) => {
        if (err.name !== "AbortError") this.error = err;
      })
      .finally(() => {
        this.complete = true;
        this.#wake();
        if (this.error) this.rejectAnimated(this.error);
      });
  }

  #wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Event k once it has arrived; null when the stream ended before it or `alive()` turns false. */
  async eventAt(k, alive = () => true) {
    for (;;) {
      if (!alive()) return null;
      if (k < this.events.length) return this.events[k];
      if (this.complete) return null;
      await new Promise((resolve) => this.waiters.push(resolve));
    }
  }

  /** Stop the stream (if it still runs) and fail whoever waits for the animation. */
  abort(reason) {
    if (!this.complete) this.controller.abort();
    this.rejectAnimated(reason);
  }
}
