// The caption under the drawing and its spoken twin. CaptionView draws the store's
// `playback` (each event in words, captions.js; the step's error) in the page's language;
// speakCaptions says the same words in the live region (announce.js).
// The caption's box: two lines, and a caption longer than that can be read whole. Where the
// text is cut, its numbers (data-numbers: captions.js captionNumbers) are shown first, so
// the clamp cuts the prose, and a More button (keyboard, aria-expanded) opens the whole
// caption over the drawing until Less. The caption's own text stays the sentence that
// announce.js reads, with every number in it.

import { ApiError, ConnectionError } from "../page/api.js";
import { lectureMessage } from "../text/messages.js";
import { S } from "../text/strings.js";
import { Announcer } from "./announce.js";
import { captionFor, captionNumbers } from "./captions.js";

/** Why the step's trace failed: "the server refused" only when it did (a 4xx). */
export function stepError(err) {
  if (err instanceof ApiError) return S.captionError(lectureMessage(err));
  return err instanceof ConnectionError && err.lost ? S.stepConnectionLost : err.message;
}

export class CaptionView {
  /**
   * @param {HTMLElement} el  [data-bind=caption], inside its .caption-box
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store
   * @param {import("../page/events.js").Events} o.events  the step's error is an "error" event
   * @param {() => boolean} o.weightsOnly  a training run's weights only: the unplayed step's caption stays
   */
  constructor(el, { store, events, weightsOnly }) {
    this.el = el;
    this.store = store;
    this.events = events;
    this.note = null; // a one-off caption (an edit's confirmation) until the player moves
    this.lastError = null;
    store.subscribe((_s, changed) => {
      if (!weightsOnly() || changed.includes("playback")) this.render();
    }, ["playback", "request"]);
    store.subscribe((s) => s.request && this.render(), ["lang"]);
    installCaptionFit(el.parentElement);
  }

  /** Forget the one-off caption `text` if it is shown (the edit it confirmed was refused). */
  forget(text) {
    if (this.note !== text) return;
    this.note = null;
    this.render();
  }

  render() {
    const { playback, request } = this.store.state;
    const el = this.el;
    const err = playback.error;
    el.classList.toggle("error", !!err);
    if (err) {
      el.dataset.numbers = "";
      el.textContent = stepError(err);
      if (err !== this.lastError) this.events.emit("error", { message: err.message });
      this.lastError = err;
      return;
    }
    const frame = playback.frame;
    if (frame && frame.last) this.note = null;
    const plain = this.note || (playback.streaming && !(frame && frame.last));
    el.dataset.numbers = plain ? "" : captionNumbers(frame, request); // shown first where the text is cut
    el.textContent = this.note || (playback.streaming && !(frame && frame.last) ? S.captionStreaming : captionFor(frame, request));
  }

  /** Before the first network, and if it never comes. */
  loading() {
    this.el.textContent = S.loading;
  }

  failed(err) {
    this.el.textContent = S.captionError(lectureMessage(err));
    this.el.classList.add("error");
  }
}

/**
 * The live region (announce.js): each event's caption in words, at most one every 2 s while
 * playing; at a question stop, `question(q)`'s words (the predict mode's "Predict z¹₁ = ?");
 * before the next caption or question, `aside()`'s (the verdict of the answer just given), once.
 */
export function speakCaptions(root, store, { question = () => null, aside = () => "" } = {}) {
  const words = (pb) => {
    if (pb.error) return stepError(pb.error);
    // The verdict not said yet goes first, also before the next question when that comes
    // sooner than the throttled caption would have.
    const asked = pb.question && question(pb.question);
    return [aside(), asked || captionFor(pb.frame, store.request)].filter(Boolean).join(" ");
  };
  const announcer = new Announcer(root, words);
  store.subscribe((s) => announcer.follow(s.playback, s.request), ["playback"]);
  store.subscribe((s) => {
    // What it said, said again in the new language.
    if (s.request && announcer.el.textContent && announcer.latest) announcer.el.textContent = announcer.words(announcer.latest);
  }, ["lang"]);
  return announcer;
}

/** @param {HTMLElement} box  the .caption-box holding [data-bind=caption] and its More button */
export function installCaptionFit(box) {
  const caption = box.querySelector('[data-bind="caption"]');
  const more = box.querySelector('[data-action="caption-more"]');
  if (!caption || !more) return;
  let expanded = false;
  const label = () => {
    const key = expanded ? "captionLess" : "captionMore";
    more.dataset.i18n = key; // the language switch relabels it
    more.textContent = S[key];
    more.setAttribute("aria-expanded", String(expanded));
  };
  const fit = () => {
    box.removeAttribute("data-cut"); // open, the sentence alone: its numbers are all in it
    if (expanded) return;
    const cut = caption.scrollHeight > caption.clientHeight + 1;
    box.toggleAttribute("data-cut", cut);
    more.hidden = !cut;
  };
  more.addEventListener("click", () => {
    // Open, the caption lies over the drawing: the box keeps its height, nothing moves.
    box.style.minHeight = expanded ? "" : `${box.offsetHeight}px`;
    expanded = !expanded;
    box.toggleAttribute("data-expanded", expanded);
    label();
    fit();
  });
  const observe = { childList: true, characterData: true, subtree: true, attributes: true, attributeFilter: ["data-numbers"] };
  new MutationObserver(fit).observe(caption, observe);
  new ResizeObserver(fit).observe(box);
  label();
  fit();
}
