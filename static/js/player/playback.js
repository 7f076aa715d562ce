// The player: plays a timeline (timeline.js). It reads the timeline's events into a
// recording as they arrive and walks a cursor through them, one event at a time, at a
// chosen speed: play to a named stop, pause, one event either way, jump, scrub. What it
// shows is always the fold of the first `cursor` events, published to the store's
// `playback` slice; the drawing animates each event's transient effect on the way.
//
// Question stops (a timeline with `ask`, timeline.js withQuestions): playing or stepping
// forward to an event that has a question stops before it is shown, publishes the question
// (`playback.question`, onQuestion) and waits until answer(value) or skip() resolves it;
// then the event is shown. A stop answered or skipped stays resolved for this recording
// (stepping back over it and playing on does not ask again); a pause, a seek or a new
// timeline while it waits cancels it (the same token as every other wait), and playing
// there again asks again.

import { EMPTY_PLAYBACK } from "../page/store.js";
import { Recording, frameAt, phaseStarts, stopIndex } from "./timeline.js";

export class Player {
  /**
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store  receives the `playback` slice
   * @param {{animate: Function, interrupt: Function}} o.effects  the drawing's transient effects
   * @param {() => boolean} o.still  true when motion should be avoided (prefers-reduced-motion)
   */
  constructor({ store, effects, still }) {
    this.store = store;
    this.effects = effects;
    this.still = still;
    this.speed = 1;
    this.timeline = null;
    this.recording = null;
    this.cursor = 0;
    this.frame = null;
    this.playing = false;
    this.token = 0; // bumps on every pause/seek/load: stale loops and waits give up
    this.listeners = new Set(); // hear each event as it is shown
    this.questionListeners = new Set(); // hear each question stop as it is reached
    this.question = null; // the stop waiting for its answer: {index, event, question}
    this.resolveQuestion = null;
    this.answers = new Map(); // event index → {answer} or {skipped: true}, this recording's
  }

  /** Show a new timeline, unplayed. */
  load(timeline) {
    this.#stop();
    this.#abort(new Error("superseded by a new network"));
    this.timeline = timeline;
    this.recording = null;
    this.answers = new Map();
    this.cursor = 0;
    this.frame = timeline.initial();
    this.#publish();
  }

  /** fn({index, event, question}) when playing reaches a question stop; returns unsubscribe. */
  onQuestion(fn) {
    this.questionListeners.add(fn);
    return () => this.questionListeners.delete(fn);
  }

  /** Answer the question the player waits at; false when it waits at none. */
  answer(value) {
    return this.#resolveQuestion({ answer: value });
  }

  /** Go on without answering; false when the player waits at no question. */
  skip() {
    return this.#resolveQuestion({ skipped: true });
  }

  /** How the stop before event k was resolved ({answer} or {skipped: true}), or undefined. */
  answerAt(k) {
    return this.answers.get(k);
  }

  /** fn(event) after each event is shown while playing or stepping; returns unsubscribe. */
  onEvent(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  get events() {
    return this.recording ? this.recording.events : [];
  }

  get total() {
    const r = this.recording;
    const expected = this.timeline ? this.timeline.expectedCount : 0;
    if (!r) return expected;
    return r.complete && !r.error ? r.events.length : Math.max(r.events.length, expected);
  }

  get finished() {
    const r = this.recording;
    return !!r && r.complete && !r.error && this.cursor >= r.events.length;
  }

  get error() {
    return this.recording ? this.recording.error : null;
  }

  get streaming() {
    return !!this.recording && !this.recording.complete;
  }

  /** Index of each phase's first event, recomputed only when events have arrived since. */
  phaseStarts() {
    if (!this.timeline) return {};
    const events = this.events;
    const memo = this.startsMemo;
    if (!memo || memo.events !== events || memo.length !== events.length) {
      this.startsMemo = { events, length: events.length, starts: phaseStarts(this.timeline, events) };
    }
    return this.startsMemo.starts;
  }

  // ---- the recording ---------------------------------------------------------------------------

  #record() {
    this.#abort(new Error("superseded by a new trace"));
    const recording = new Recording(this.timeline);
    recording.ended.then(() => {
      if (this.recording !== recording) return;
      this.#settle(recording);
      this.#publish();
    });
    this.recording = recording;
    this.answers = new Map();
    this.cursor = 0;
    this.frame = this.timeline.initial();
    return recording;
  }

  #abort(reason) {
    if (this.recording) this.recording.abort(reason);
  }

  #eventAt(k, token) {
    const recording = this.recording;
    return recording.eventAt(k, () => token === this.token && this.recording === recording);
  }

  // ---- playing ---------------------------------------------------------------------------------

  /**
   * Play from the cursor to the timeline's stop `until` (the trace's: "forward", "backward",
   * "step"). Starts the recording if needed. Resolves when playing stops (reached, paused or
   * superseded).
   */
  async play(until = "step") {
    this.#stop();
    if (!this.timeline) return;
    if (!this.recording) this.#record();
    const token = ++this.token;
    const stopBefore = this.timeline.stops[until] || (() => false);
    const recording = this.recording;
    this.playing = true;
    this.#publish();
    for (;;) {
      const event = await this.#eventAt(this.cursor, token);
      if (token !== this.token) return;
      if (!event || (stopBefore(event) && this.cursor > 0)) break;
      if (!(await this.#asked(event, token))) return;
      const ms = this.durationOf(event);
      // Values travel first (dots along the links), then the event's numbers appear.
      const travel = this.effects.animate(event, this.frame, ms, { still: this.still() });
      if (travel > 0) {
        await this.#delay(travel, token);
        if (token !== this.token) return;
      }
      this.#show(event);
      await this.#delay(ms - travel, token);
      if (token !== this.token) return;
      this.#settle(recording);
    }
    this.playing = false;
    this.#settle(recording);
    this.#publish();
  }

  /** How long an event stays on screen at the current speed (ms). */
  durationOf(event) {
    return this.timeline.durationOf(event) / this.speed;
  }

  setSpeed(speed) {
    this.speed = speed;
    this.#publish();
  }

  #show(event) {
    this.cursor += 1;
    this.timeline.apply(this.frame, event);
    this.#publish();
    for (const fn of this.listeners) fn(event);
  }

  // ---- question stops ---------------------------------------------------------------------------

  /**
   * Before the event at the cursor is shown: wait at its question stop, if it has one not
   * resolved yet. True to go on (no stop, or answered or skipped); false when superseded
   * (a pause, a seek, a new timeline): the caller returns, as after any other wait.
   */
  async #asked(event, token) {
    const k = this.cursor;
    const ask = this.timeline.ask;
    if (!ask || this.answers.has(k)) return true;
    const question = ask(event, k);
    if (!question) return true;
    const resolution = await new Promise((resolve) => {
      this.question = { index: k, event, question };
      this.resolveQuestion = resolve;
      this.#publish();
      for (const fn of this.questionListeners) fn(this.question);
    });
    if (token !== this.token || resolution.cancelled) return false;
    this.answers.set(k, resolution);
    return true;
  }

  #resolveQuestion(resolution) {
    if (!this.question) return false;
    const resolve = this.resolveQuestion;
    this.question = null;
    this.resolveQuestion = null;
    if (!resolution.cancelled) this.#publish();
    resolve(resolution);
    return true;
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
    this.#publish();
  }

  #stop() {
    this.token += 1;
    this.playing = false;
    this.#resolveQuestion({ cancelled: true });
    if (this.cancelDelay) this.cancelDelay();
    this.cancelDelay = null;
    this.effects.interrupt();
  }

  /** Play a fresh recording of the timeline to the end; resolves when it is all shown. */
  run() {
    this.#stop();
    const recording = this.#record();
    this.#publish();
    this.play("step");
    return recording.animated;
  }

  // ---- moving the cursor by hand ---------------------------------------------------------------

  /** A recording that failed (the stream broke off, the network failed) is dropped: the
   * next play records the step afresh. True when there was one. */
  retry() {
    if (!this.recording || !this.recording.error) return false;
    this.#stop();
    this.recording = null;
    this.cursor = 0;
    this.frame = this.timeline.initial();
    this.#publish();
    return true;
  }

  /** Show the state after the first n events (replayed from the start). */
  seek(n) {
    this.#stop();
    const max = this.events.length;
    this.cursor = Math.max(0, Math.min(n, max));
    this.frame = frameAt(this.timeline, this.events, this.cursor);
    this.#publish();
    if (this.recording) this.#settle(this.recording);
  }

  /** One event forward, with its effect; starts the recording when nothing is loaded yet. */
  async next() {
    this.#stop();
    if (!this.timeline) return;
    if (!this.recording) this.#record();
    const token = ++this.token;
    const recording = this.recording;
    const event = await this.#eventAt(this.cursor, token);
    if (!event || token !== this.token) return this.#publish();
    if (!(await this.#asked(event, token))) return;
    this.#show(event);
    this.effects.animate(event, this.frame, this.durationOf(event), { still: this.still() });
    this.#settle(recording);
  }

  /** Once the last event of a complete recording is shown, whoever awaits `animated` hears it. */
  #settle(recording) {
    const n = recording.events.length;
    if (recording.complete && !recording.error && n > 0 && this.cursor >= n) recording.resolveAnimated(recording.events[n - 1]);
  }

  prev() {
    this.seek(this.cursor - 1);
  }

  /** Jump to just after the first event of a phase ("start": the beginning). */
  jumpTo(phase) {
    const starts = this.phaseStarts();
    if (phase === "start") return this.seek(0);
    if (phase in starts) this.seek(starts[phase] + 1);
  }

  /** The phase boundaries around the cursor, for shift+arrow keys. */
  jumpPhase(direction) {
    const marks = [0, ...Object.values(this.phaseStarts()).map((k) => k + 1)].sort((a, b) => a - b);
    if (direction > 0) this.seek(marks.find((m) => m > this.cursor) ?? this.events.length);
    else this.seek(marks.filter((m) => m < this.cursor).at(-1) ?? 0);
  }

  /**
   * Show the timeline as it stands at a named stop ("forward", "backward", "step"), without
   * animating: records the whole timeline first. Resolves with the cursor reached.
   */
  async openAt(stop) {
    this.#stop();
    if (!this.recording) this.#record();
    const recording = this.recording;
    await recording.ended;
    if (recording !== this.recording || recording.error) return this.cursor;
    const k = stopIndex(this.timeline, recording.events, stop);
    this.seek(k);
    return k;
  }

  #publish() {
    const starts = this.phaseStarts();
    const frame = this.frame;
    // The frame is mutated in place while playing: a fresh slice object each time tells the
    // store something changed, the frame inside is the same fold.
    this.store.set({
      playback: {
        ...EMPTY_PLAYBACK,
        cursor: this.cursor,
        total: this.total,
        playing: this.playing,
        finished: this.finished,
        streaming: this.streaming,
        error: this.error,
        phase: frame ? frame.phase : "idle",
        starts,
        speed: this.speed,
        frame,
        question: this.question,
      },
    });
  }
}
