// The polite live region: what the animation does, in words, for a screen reader. It says
// each event's caption (captions.js: the same words as the visible caption, which is not
// live itself, so nothing is said twice), without flooding:
//   - stepping (←/→, the one-event buttons, a seek, a phase jump): at once;
//   - playing: at most one caption every PLAYING_GAP ms, the latest event's when it is said
//     (a sentence takes a few seconds to speak: more would pile up behind the animation);
//   - when the player stops (a pause, the end of a phase or of the step): where it stopped,
//     at once;
//   - an error of the stream: at once;
//   - a question stop (playback.question: the predict mode's), when the player reaches it: at once.
// A new network (an edit, a preset, the next step's θ¹) says nothing by itself: the status
// line says what changed.

/** The least time between two announcements while the player plays, in ms. */
export const PLAYING_GAP = 2000;

export class Announcer {
  /**
   * @param {HTMLElement} root  the app: the region is appended to it (visually hidden)
   * @param {(playback: object) => string} words  what to say for the playback slice
   * @param {{gap?: number, now?: () => number}} [options]  (now: a clock, for tests)
   */
  constructor(root, words, { gap = PLAYING_GAP, now = () => performance.now() } = {}) {
    this.el = root.ownerDocument.createElement("p");
    this.el.className = "sr-only";
    this.el.setAttribute("role", "status");
    this.el.setAttribute("aria-live", "polite");
    this.el.setAttribute("aria-atomic", "true");
    this.el.dataset.bind = "announce";
    root.append(this.el);
    this.words = words;
    this.gap = gap;
    this.now = now;
    this.request = null; // a new one is a new network: said by the status line, not here
    this.cursor = 0;
    this.playing = false;
    this.error = null;
    this.question = null;
    this.said = -Infinity; // now() of the last announcement
    this.saidCursor = 0;
    this.timer = 0;
    this.latest = null; // the playback slice a pending announcement will read
  }

  /** Follow the store's playback slice and request (call on every change of the slice). */
  follow(pb, request) {
    this.latest = pb;
    const stopped = this.playing && !pb.playing;
    this.playing = pb.playing;
    if (request !== this.request) {
      // A new network: nothing to say until its cursor moves.
      this.request = request;
      this.cursor = this.saidCursor = pb.cursor;
      this.error = pb.error;
      this.#cancel();
      return;
    }
    if (pb.error && pb.error !== this.error) {
      this.error = pb.error;
      this.#say();
      return;
    }
    if ((pb.question ?? null) !== this.question) {
      this.question = pb.question ?? null;
      if (this.question) {
        this.#say();
        return;
      }
    }
    const moved = pb.cursor !== this.cursor;
    this.cursor = pb.cursor;
    if (stopped && (this.timer || this.saidCursor !== pb.cursor)) this.#say();
    else if (moved && !pb.playing) this.#say();
    else if (moved && !this.timer) {
      const wait = this.said + this.gap - this.now();
      if (wait <= 0) this.#say();
      else this.timer = setTimeout(() => this.#say(), wait);
    }
  }

  #cancel() {
    clearTimeout(this.timer);
    this.timer = 0;
  }

  #say() {
    this.#cancel();
    const pb = this.latest;
    const text = this.words(pb);
    this.said = this.now();
    this.saidCursor = pb.cursor;
    this.el.dataset.cursor = String(pb.cursor); // where the words are from (for tests)
    if (!text || text === this.el.textContent) return;
    this.el.textContent = text;
  }
}
