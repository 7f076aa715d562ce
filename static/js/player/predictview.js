// The predict mode (issue 15; docs/page.md, "Predict mode"): the Predict switch in the
// player bar and the card under the caption. With it on, the step's timeline has question
// stops (timeline.js withQuestions, the questions from predict.js): the player stops before
// the value, the card asks for it ("z¹₁ = ?"), takes the student's number (or, for an
// update, up or down), then shows the server's value beside the guess with how far off it
// was. Skip (or Esc) goes on without an answer. Focus goes to the answer field when asked
// and back where it was after; the live region says the question and the verdict
// (speakCaptions reads `spoken` and `unsaid`). The store's `predict` slice: {on, verdict}.

import { full, short } from "../text/format.js";
import { numberProblem, readNumber } from "../text/numbers.js";
import { S } from "../text/strings.js";
import { askAbout, askFor, judge } from "./predict.js";

/** A verdict in words: the value beside the guess (as typed), and how far off ("right", or the distance). */
export function verdictText(v) {
  const value = short(v.value);
  if (v.guess === "up" || v.guess === "down") {
    const guess = v.guess === "up" ? S.predictUp : S.predictDown;
    return S.predictSaidSign(v.name, value, guess, S.predictMoved[v.moved], v.right);
  }
  const guess = full(v.guess);
  if (v.right) return S.predictSaidRight(v.name, value, guess);
  return S.predictSaidOff(v.name, value, guess, offText(v));
}

function offText(v) {
  return S.predictOff(short(v.abs), v.rel === null ? "" : `${short(100 * v.rel, 3)} %`);
}

export class Predictor {
  /**
   * @param {HTMLElement} root  the .app element
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store
   * @param {import("./playback.js").Player} o.player
   * @param {import("../page/events.js").Events} o.events  "prediction" after each answer
   * @param {boolean} o.on  predict=1
   */
  constructor(root, { store, player, events, on = false }) {
    this.store = store;
    this.player = player;
    this.events = events;
    this.card = root.querySelector('[data-bind="predict"]');
    this.toggle = root.querySelector('[data-action="predict"]');
    this.returnTo = null; // where focus was when the question came
    this.said = null; // the verdict the live region has not said yet
    this.problem = ""; // why the typed guess is no number (numbers.js), while asking
    this.aimed = null; // {target, name}: the one value a page asks for (the tour's chapter), or null
    store.set({ predict: { on: !!on && !!this.card, verdict: null } });
    if (!this.card) return; // no player bar (hide=controls, hide=predict): nobody could answer
    const $ = (sel) => this.card.querySelector(sel);
    this.ask_ = $(".predict-ask");
    this.input = $('[data-control="predict-guess"]');
    this.hint = $(".predict-hint");
    this.signs = $(".predict-sign");
    this.verdictEl = $(".predict-verdict");
    this.toggle?.addEventListener("click", () => this.set(!store.state.predict.on));
    this.card.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.#answerTyped();
    });
    $('[data-action="predict-up"]').addEventListener("click", () => this.#answer("up"));
    $('[data-action="predict-down"]').addEventListener("click", () => this.#answer("down"));
    $('[data-action="predict-skip"]').addEventListener("click", () => this.skip());
    this.card.addEventListener("keydown", (ev) => {
      if (ev.key !== "Escape" || !player.question) return;
      ev.preventDefault(); // the page's Esc (bindKeys) steps aside
      this.skip();
    });
    store.subscribe((s) => this.render(s), ["predict", "playback", "lang"]);
    store.subscribe(() => this.#clearVerdict(), ["request"]);
    player.onQuestion(() => this.#asked());
    this.render(store.state);
  }

  /** The question before `event`, or null (the timeline's `ask`): only while predict is on. */
  ask(event) {
    const { predict, request, selection } = this.store.state;
    if (!predict.on || !this.card || !request) return null;
    if (this.aimed) return askAbout(event, this.aimed.target, this.aimed.name);
    return askFor(event, { layers: request.network.layers, selection });
  }

  /**
   * Ask for this one value only ({quantity, layer, neuron, from?}, predict.js's target; `name`
   * to say it another way), or, with null, the pick's or one per phase again (the tour).
   */
  aim(target, name = null) {
    this.aimed = target ? { target, name } : null;
  }

  /** Predict mode on or off; off skips the question the player waits at. Returns it. */
  set(on) {
    const now = !!on && !!this.card;
    if (now !== this.store.state.predict.on) {
      this.store.set({ predict: { on: now, verdict: null } }, { user: true });
      if (!now) this.skip();
    }
    return now;
  }

  /** Go on without answering (Skip, Esc); focus goes back where it was (render). */
  skip() {
    this.player.skip();
  }

  /** The question in words, for the live region (null when the stop is not this mode's). */
  spoken(q) {
    if (!q || !q.question || q.question.mode !== "predict") return null;
    return S.predictSpoken(q.question.name, q.question.sign ? S.predictHintSign : S.predictHint);
  }

  /** The verdict the live region has not said yet (once), or "". */
  unsaid() {
    const v = this.said;
    this.said = null;
    return v ? verdictText(v) : "";
  }

  #ours() {
    const q = this.player.question;
    return q && q.question && q.question.mode === "predict" ? q : null;
  }

  // Focus in the card, or nowhere (a focused field that was hidden leaves it on body).
  #inCard() {
    const active = this.card.ownerDocument.activeElement;
    return !active || active === this.card.ownerDocument.body || this.card.contains(active);
  }

  #asked() {
    if (!this.#ours()) return;
    const active = this.card.ownerDocument.activeElement;
    if (!this.card.contains(active)) this.returnTo = active;
    this.input.value = "";
    this.problem = "";
    this.render(this.store.state);
    this.input.focus();
  }

  #answerTyped() {
    const read = readNumber(this.input.value);
    if (!("value" in read)) {
      this.problem = numberProblem(read.problem || "notNumber", read.text);
      this.render(this.store.state);
      this.input.focus();
      return;
    }
    this.#answer(read.value);
  }

  #answer(guess) {
    const q = this.#ours();
    if (!q) return;
    const verdict = { ...judge(q.question, q.event, guess, this.store.request), index: q.index };
    this.said = verdict;
    this.store.set({ predict: { ...this.store.state.predict, verdict } });
    this.events.emit("prediction", { target: verdict.target, guess, value: verdict.value, right: verdict.right });
    this.player.answer(guess);
  }

  #restoreFocus() {
    const back = this.returnTo;
    this.returnTo = null;
    const visible = back && back.isConnected && back.getClientRects().length > 0 && !back.disabled;
    const target = visible ? back : this.card.closest(".app")?.querySelector('[data-action="step"]') || this.toggle;
    target?.focus();
  }

  #clearVerdict() {
    const p = this.store.state.predict;
    if (p.verdict) this.store.set({ predict: { ...p, verdict: null } });
  }

  /** The switch, and the card: hidden (off), a note (on, nothing asked), the question, the verdict. */
  render(s) {
    const { on, verdict } = s.predict;
    const q = this.#ours();
    const key = `${on}|${s.lang.code}|${q ? q.index : ""}|${this.problem}`;
    if (key === this.key && verdict === this.shown) return; // playing publishes many times a second
    // A question gone (answered, skipped, cancelled by a pause or the switch): focus goes
    // back where it was, if it was in the card.
    const leaving = this.card.dataset.state === "asking" && !q && this.#inCard();
    this.key = key;
    this.shown = verdict;
    if (this.toggle) this.toggle.setAttribute("aria-pressed", String(on));
    const card = this.card;
    card.hidden = !on;
    card.dataset.state = q ? "asking" : verdict ? "answered" : "idle";
    for (const el of card.querySelectorAll("[data-asking]")) el.hidden = !q;
    this.signs.hidden = !(q && q.question.sign);
    this.ask_.textContent = q ? S.predictAsk(q.question.name) : `${S.predict}:`;
    this.hint.textContent = q ? this.problem || (q.question.sign ? S.predictHintSign : S.predictHint) : S.predictIdle;
    this.hint.classList.toggle("error", !!(q && this.problem));
    if (q && this.problem) this.input.setAttribute("aria-invalid", "true");
    else this.input.removeAttribute("aria-invalid");
    this.hint.hidden = !q && !!verdict;
    this.verdictEl.hidden = !!q || !verdict;
    if (verdict && !q) this.#renderVerdict(verdict);
    else this.verdictEl.replaceChildren();
    card.dataset.verdict = verdict && !q ? (verdict.right ? "right" : "wrong") : "";
    if (leaving) this.#restoreFocus();
  }

  // The value beside the guess: "✓ right · z¹₁ = 0.3775 · your guess 0.3775", or the distance.
  #renderVerdict(v) {
    const span = (cls, text, title) => {
      const el = document.createElement("span");
      el.className = cls;
      el.textContent = text;
      if (title) el.title = title;
      return el;
    };
    const sign = v.guess === "up" || v.guess === "down";
    const parts = [
      span("predict-mark", `${v.right ? "✓" : "✗"} ${v.right ? S.predictRight : S.predictWrong}`),
      span("predict-value", S.predictValue(v.name, short(v.value)), full(v.value)),
      span("predict-guess", S.predictGuess(sign ? (v.guess === "up" ? S.predictUp : S.predictDown) : full(v.guess))),
    ];
    if (sign) parts.push(span("predict-off", S.predictMoved[v.moved]));
    else if (!v.right) parts.push(span("predict-off", offText(v)));
    this.verdictEl.replaceChildren(...parts);
  }
}
