// The status line says the latest outcome only: an error stands until the next action goes
// through (an edit, a step that starts playing or moves on by hand, a training run that
// starts), which clears it. Without a status line (hide=editor) the caption says it.

export class StatusLine {
  /**
   * @param {HTMLElement|null} el  the status line, else the caption, else nothing
   * @param {object} o
   * @param {import("./store.js").Store} o.store
   * @param {import("./events.js").Events} o.events  an error shown is an "error" event
   */
  constructor(el, { store, events }) {
    this.el = el;
    this.events = events;
    this.isError = false; // what it last showed was an error
    // Playing that starts, or a step forward by hand, is an action that went through (not
    // each event of a play already under way: an error said meanwhile stands).
    let shown = { playing: false, cursor: 0 };
    store.subscribe(({ playback }) => {
      const started = playback.playing && !shown.playing;
      const stepped = !playback.playing && playback.cursor > shown.cursor;
      if ((started || stepped) && !playback.error) this.clearError();
      shown = playback;
    }, ["playback"]);
  }

  /** Show `message` ("" clears it); an error is also an "error" event. */
  set(message, isError) {
    if (!this.el) return;
    this.el.textContent = message || "";
    this.el.title = message || "";
    this.el.classList.toggle("error", !!isError);
    this.isError = !!(message && isError);
    if (isError) this.events.emit("error", { message });
  }

  /** An action went through: an error shown before no longer stands. */
  clearError() {
    if (this.isError) this.set("", false);
  }
}
