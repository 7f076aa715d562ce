// The player: reads the event stream of one step into a list as it arrives and walks a
// cursor through it, one event at a time, at a chosen speed. Play, pause, one event either
// way, jump to a phase, scrub. The drawing is always the fold of the first `cursor` events.

import { streamTrace } from "./api.js";
import { applyEvent, expectedEventCount, initialView, phaseOf, phaseStarts, viewAt } from "./replay.js";

// How long each kind of event stays on screen at speed 1 (ms).
const DURATION = { forward: 650, loss: 900, backward: 650, gradient: 450, update: 320, done: 700 };

// Where the Forward / Backward / Step buttons stop: before the first event of this phase.
const STOP_BEFORE = {
  forward: (e) => phaseOf(e) === "backward",
  backward: (e) => e.type === "update",
  step: () => false,
};

export class Player {
  /**
   * @param {object} o
   * @param {import("./draw.js").NetworkDrawing} o.drawing
   * @param {() => boolean} o.still  true when motion should be avoided (prefers-reduced-motion)
   * @param {(player: Player) => void} o.onChange  after every render and state change
   */
  constructor({ drawing, still, onChange }) {
    this.drawing = drawing;
    this.still = still;
    this.onChange = onChange;
    this.speed = 1;
    this.request = null;
    this.session = null;
    this.cursor = 0;
    this.view = null;
    this.playing = false;
    this.token = 0; // bumps on every pause/seek/load: stale loops and waits give up
  }

  /** Show a new request, unplayed. */
  load(request) {
    this.#stop();
    this.#abortSession(new Error("superseded by a new network"));
    this.request = request;
    this.session = null;
    this.cursor = 0;
    this.view = initialView(request);
    this.#render();
  }

  get events() {
    return this.session ? this.session.events : [];
  }

  get total() {
    if (!this.session) return this.request ? expectedEventCount(this.request) : 0;
    return this.session.complete && !this.session.error
      ? this.session.events.length
      : Math.max(this.session.events.length, expectedEventCount(this.request));
  }

  get finished() {
    return !!this.session && this.session.complete && this.cursor >= this.session.events.length && !this.session.error;
  }

  get error() {
    return this.session ? this.session.error : null;
  }

  phaseStarts() {
    return phaseStarts(this.events);
  }

  // ---- the stream ----------------------------------------------------------------------------

  #startSession() {
    this.#abortSession(new Error("superseded by a new trace"));
    const controller = new AbortController();
    const session = {
      request: this.request,
      events: [],
      complete: false,
      error: null,
      controller,
      waiters: [],
    };
    session.animated = new Promise((resolve, reject) => {
      session.resolveAnimated = resolve;
      session.rejectAnimated = reject;
    });
    session.animated.catch(() => {}); // nobody may be waiting; run() attaches its own handler
    const wake = () => {
      const waiters = session.waiters;
      session.waiters = [];
      for (const w of waiters) w();
    };
    streamTrace(
      this.request,
      (event) => {
        session.events.push(event);
        wake();
      },
      controller.signal,
    )
      .catch((err) => {
        if (err.name !== "AbortError") session.error = err;
      })
      .finally(() => {
        session.complete = true;
        wake();
        if (session.error) session.rejectAnimated(session.error);
        if (this.session === session) this.onChange(this);
      });
    this.session = session;
    this.cursor = 0;
    this.view = initialView(this.request);
    return session;
  }

  #abortSession(reason) {
    if (!this.session) return;
    const s = this.session;
    if (!s.complete) s.controller.abort();
    s.rejectAnimated(reason);
  }

  async #eventAt(k, token) {
    for (;;) {
      const s = this.session;
      if (token !== this.token || !s) return null;
      if (k < s.events.length) return s.events[k];
      if (s.complete) return null;
      await new Promise((resolve) => s.waiters.push(resolve));
    }
  }

  // ---- playing ---------------------------------------------------------------------------------

  /**
   * Play from the cursor until `until` ("forward": end of the forward pass and the loss,
   * "backward": end of the backward pass, "step": the end). Starts the stream if needed.
   * Resolves when playing stops (reached, paused or superseded).
   */
  async play(until = "step") {
    this.#stop();
    if (!this.session) this.#startSession();
    const token = ++this.token;
    const stopBefore = STOP_BEFORE[until];
    this.playing = true;
    this.onChange(this);
    const session = this.session;
    for (;;) {
      const event = await this.#eventAt(this.cursor, token);
      if (token !== this.token) return;
      if (!event || (stopBefore(event) && this.cursor > 0)) break;
      const ms = this.durationOf(event);
      // Values travel first (dots along the links), then the event's numbers appear.
      const travel = this.drawing.animate(event, this.view, ms, { still: this.still() });
      if (travel > 0) {
        await this.#delay(travel, token);
        if (token !== this.token) return;
      }
      this.cursor += 1;
      applyEvent(this.view, event);
      this.#render();
      await this.#delay(ms - travel, token);
      if (token !== this.token) return;
      if (event.type === "done") session.resolveAnimated(event);
    }
    this.playing = false;
    this.onChange(this);
  }

  durationOf(event) {
    return (DURATION[event.type] ?? 400) / this.speed;
  }

  #delay(ms, token) {
    if (ms < 4) return Promise.resolve(); // very fast: do not yield to timers at all
    return new Promise((resolve) => {
      const id = setTimeout(resolve, ms);
      this.cancelDelay = () => {
        clearTimeout(id);
        resolve();
      };
    }).then(() => token);
  }

  pause() {
    this.#stop();
    this.onChange(this);
  }

  #stop() {
    this.token += 1;
    this.playing = false;
    if (this.cancelDelay) this.cancelDelay();
    this.cancelDelay = null;
    this.drawing.interrupt();
  }

  /** Play a fresh trace of the current request to the end; resolves when it is animated. */
  run() {
    this.#stop();
    const session = this.#startSession();
    this.#render();
    this.play("step");
    return session.animated;
  }

  // ---- moving the cursor by hand ---------------------------------------------------------------

  /** Show the state after the first n events (replayed from the start). */
  seek(n) {
    this.#stop();
    const max = this.session ? this.session.events.length : 0;
    this.cursor = Math.max(0, Math.min(n, max));
    this.view = viewAt(this.request, this.events, this.cursor);
    this.#render();
    if (this.session && this.cursor === max && this.session.complete && this.events.at(-1)?.type === "done") {
      this.session.resolveAnimated(this.events.at(-1));
    }
  }

  /** One event forward, with its effect; starts the stream when nothing is loaded yet. */
  async next() {
    this.#stop();
    if (!this.session) this.#startSession();
    const token = ++this.token;
    const event = await this.#eventAt(this.cursor, token);
    if (!event || token !== this.token) return this.onChange(this);
    this.cursor += 1;
    applyEvent(this.view, event);
    this.#render();
    this.drawing.animate(event, this.view, this.durationOf(event), { still: this.still() });
    if (event.type === "done") this.session.resolveAnimated(event);
  }

  prev() {
    this.seek(this.cursor - 1);
  }

  /** Jump to the first event of a phase (forward, loss, backward, update, done). */
  jumpTo(phase) {
    const starts = this.phaseStarts();
    if (phase === "start") return this.seek(0);
    if (phase in starts) this.seek(starts[phase] + 1);
  }

  /** The phase boundaries around the cursor, for shift+arrow keys. */
  jumpPhase(direction) {
    const starts = Object.values(this.phaseStarts())
      .map((k) => k + 1)
      .sort((a, b) => a - b);
    const marks = [0, ...starts];
    if (direction > 0) {
      const next = marks.find((m) => m > this.cursor);
      this.seek(next ?? this.events.length);
    } else {
      const prev = marks.filter((m) => m < this.cursor).at(-1);
      this.seek(prev ?? 0);
    }
  }

  #render() {
    this.drawing.update(this.view);
    this.onChange(this);
  }
}
