// The question cards: one per question of the variant, `[data-question="<id>"]` with one
// `input` (a number) or one `select` (a sign or a choice, its option values the API's
// answer values). They read the answers and, after the server's check, show each verdict,
// the expected value and the explanation line. Their words follow the page's language.

import { short } from "../text/format.js";
import { numberProblem, readNumber } from "../text/numbers.js";
import { S } from "../text/strings.js";

const changes = (q) => q.target && (q.target.quantity === "w_next" || q.target.quantity === "b_next");

/** The words of an answer value as the card shows it (a number to 4 digits, a sign, a choice's label). */
export function answerText(question, value) {
  if (value === null || value === undefined || value === "") return S.exerciseNoAnswer;
  if (question.kind === "number") return typeof value === "number" ? short(value) : String(value);
  if (question.kind === "sign") return (changes(question) ? S.exerciseChange : S.exerciseSign)[value] ?? String(value);
  const option = (question.options || []).find((o) => o.value === value);
  return option ? option.label : String(value);
}

export class Cards {
  /**
   * @param {HTMLElement} list  the <ol> the cards go in
   * @param {{lang: () => string}} o
   */
  constructor(list, { lang }) {
    this.list = list;
    this.lang = lang;
    this.questions = [];
    this.results = null;
  }

  /** New cards for a variant's questions (any old ones go). */
  show(questions) {
    this.questions = questions;
    this.results = null;
    this.list.replaceChildren(...questions.map((q) => this.#card(q)));
    this.relabel();
  }

  #card(q) {
    const doc = this.list.ownerDocument;
    const li = doc.createElement("li");
    li.className = "ex-card";
    li.dataset.question = q.id;
    li.dataset.kind = q.kind;
    const id = `bv-ex-${q.id}`;
    li.innerHTML = `<label class="ex-prompt" for="${id}"><span class="ex-k"></span> <span class="ex-text"></span></label>
      <div class="ex-row"></div>
      <p class="ex-problem" id="${id}-problem" hidden></p>
      <p class="ex-verdict" hidden></p>
      <p class="ex-explanation" hidden></p>`;
    const field = q.kind === "number" ? doc.createElement("input") : doc.createElement("select");
    field.id = id;
    field.dataset.answer = q.id;
    if (q.kind === "number") {
      field.setAttribute("inputmode", "decimal");
      field.setAttribute("autocomplete", "off");
      field.size = 10;
    } else {
      const values = q.kind === "sign" ? ["+", "-", "0"] : (q.options || []).map((o) => o.value);
      field.append(new Option("", ""), ...values.map((v) => new Option("", v)));
    }
    li.querySelector(".ex-row").append(field);
    return li;
  }

  /** The cards' words in the page's language (the answers typed stay). */
  relabel() {
    const n = this.questions.length;
    this.questions.forEach((q, k) => {
      const card = this.card(q.id);
      card.querySelector(".ex-k").textContent = S.exerciseQuestion(k + 1, n);
      card.querySelector(".ex-text").textContent = q.prompt[this.lang()] ?? q.prompt.en;
      const select = card.querySelector("select");
      if (select) for (const option of select.options) option.textContent = option.value ? answerText(q, option.value) : S.exerciseChoose;
    });
    if (this.results) this.#verdicts();
  }

  card(id) {
    return this.list.querySelector(`[data-question="${CSS.escape(id)}"]`);
  }

  field(id) {
    return this.card(id)?.querySelector("[data-answer]");
  }

  /**
   * The answers to send: {id: value} for each question answered (a number as a number, a
   * sign or choice as its value); problems: [{id, message}] for number fields whose text
   * is no decimal number (numbers.js: 0x10, 1e400, abc), which are not sent.
   */
  answers() {
    const answers = {};
    const problems = [];
    for (const q of this.questions) {
      const raw = this.field(q.id).value.trim();
      if (raw === "") continue;
      if (q.kind !== "number") answers[q.id] = raw;
      else {
        const read = readNumber(raw);
        if ("value" in read) answers[q.id] = read.value;
        else problems.push({ id: q.id, message: numberProblem(read.problem ?? "notNumber", raw) });
      }
    }
    return { answers, problems };
  }

  /** The server's check: each card's verdict, the expected value and the explanation. */
  showResults(results) {
    this.results = new Map(results.map((r) => [r.id, r]));
    this.#verdicts();
  }

  #verdicts() {
    for (const q of this.questions) {
      const r = this.results.get(q.id);
      const card = this.card(q.id);
      if (!r || !card) continue;
      card.dataset.verdict = r.correct ? "correct" : "wrong";
      const verdict = card.querySelector(".ex-verdict");
      verdict.textContent = `${r.correct ? "✓" : "✗"} ${r.correct ? S.exerciseCorrect : S.exerciseWrong} · ${S.exerciseExpected(answerText(q, r.expected))} · ${S.exerciseGiven(answerText(q, r.given))}`;
      verdict.hidden = false;
      const line = card.querySelector(".ex-explanation");
      line.textContent = r.explanation;
      line.hidden = false;
    }
  }

  /** Mark the number fields whose text is no number, with why (and clear the others). */
  markProblems(problems) {
    for (const q of this.questions) {
      const found = problems.find((p) => p.id === q.id);
      const field = this.field(q.id);
      const line = this.card(q.id).querySelector(".ex-problem");
      line.textContent = found ? found.message : "";
      line.hidden = !found;
      if (found) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-describedby", line.id);
      } else {
        field.removeAttribute("aria-invalid");
        field.removeAttribute("aria-describedby");
      }
    }
  }
}
