// The `?` beside each asked value on the drawing ("z¹₁ = ?"), placed on the item the value
// belongs to (targets.js markOf: a neuron, a link, the loss box) and laid out again with
// the drawing. At the reveal a mark lights up with the value the step showed beside the
// student's answer. Visual only (aria-hidden): the cards and the live region say the same.

import { short } from "../text/format.js";
import { markOf, targetName } from "./targets.js";

const GAP = 18; // px between two marks on one item
const LINK_AT = 0.72; // how far along its link a weight's mark stands

/** The point `at` of the way along a link's stroke, in the window's coordinates. */
function alongLink(item, at) {
  const path = item.querySelector("path.stroke");
  const m = path?.getScreenCTM?.();
  if (!m || !path.getTotalLength) return null;
  const p = path.getPointAtLength(path.getTotalLength() * at);
  return [m.a * p.x + m.c * p.y + m.e, m.b * p.x + m.d * p.y + m.f];
}

function itemSelector(mark) {
  if (mark.kind === "loss") return "svg.network g.loss-node";
  if (mark.kind === "link") return `svg.network g.link[data-layer="${mark.layer}"][data-from="${mark.from}"][data-to="${mark.to}"]`;
  return `svg.network g.neuron[data-layer="${mark.layer}"][data-node="${mark.node}"]`;
}

export class Marks {
  /** @param {HTMLElement} canvas  the drawing's container ([data-bind=canvas]) */
  constructor(canvas) {
    this.canvas = canvas;
    this.layer = canvas.ownerDocument.createElement("div");
    this.layer.className = "ex-marks";
    this.layer.setAttribute("aria-hidden", "true");
    canvas.append(this.layer);
    this.questions = [];
    this.revealed = new Map(); // question id → {value, given, correct}
    this.latest = null; // the question revealed last: its mark in full
  }

  show(questions) {
    this.questions = questions.filter((q) => markOf(q));
    this.revealed = new Map();
    this.latest = null;
    this.place();
  }

  /** Light a question's mark up with the value the step showed and the student's answer. */
  reveal(question, value, given, correct) {
    this.revealed.set(question.id, { value, given, correct });
    this.latest = question.id;
    this.place();
  }

  /** Put every mark beside its item as the drawing is laid out now. */
  place() {
    const box = this.canvas.getBoundingClientRect();
    const perItem = new Map();
    const marks = this.questions.map((q) => {
      const where = markOf(q);
      const item = this.canvas.querySelector(itemSelector(where));
      const key = JSON.stringify(where);
      const k = perItem.get(key) ?? 0;
      perItem.set(key, k + 1);
      const el = this.canvas.ownerDocument.createElement("span");
      el.className = `ex-mark ex-mark-${where.kind}`;
      el.dataset.mark = q.id;
      const shown = this.revealed.get(q.id);
      const name = targetName(q.target);
      if (shown) {
        // The latest one in full, the value beside the answer; the ones before it shrink to
        // their verdict (the drawing shows their values, the cards the rest).
        const verdict = shown.correct ? "✓" : "✗";
        const value = typeof shown.value === "number" ? short(shown.value) : shown.value;
        el.classList.add("revealed", shown.correct ? "correct" : "wrong");
        el.classList.toggle("latest", q.id === this.latest);
        el.textContent = q.id === this.latest ? `${name} = ${value} · ${verdict} ${shown.given}` : `${name} ${verdict}`;
        el.dataset.value = value;
        el.dataset.given = shown.given;
      } else el.textContent = `${name} = ?`;
      if (!item) {
        el.hidden = true;
        return el;
      }
      // Above a neuron, on a link near its end (its weight's number is at the middle),
      // under the loss box.
      const r = item.getBoundingClientRect();
      let [x, y] = [r.left + r.width / 2, r.bottom + 4];
      if (where.kind === "link") [x, y] = alongLink(item, LINK_AT) ?? [x, r.top + r.height / 2];
      if (where.kind === "neuron") y = r.top - GAP - k * GAP; // stacked up from above its bias
      else y += k * GAP;
      el.style.left = `${x - box.left}px`;
      el.style.top = `${y - box.top}px`;
      return el;
    });
    this.layer.replaceChildren(...marks);
    this.#keepInside(box);
  }

  // A mark past the drawing's edge is moved back inside it.
  #keepInside(box) {
    for (const el of this.layer.children) {
      if (el.hidden) continue;
      const r = el.getBoundingClientRect();
      const left = parseFloat(el.style.left);
      if (r.right > box.right) el.style.left = `${left - (r.right - box.right) - 2}px`;
      else if (r.left < box.left) el.style.left = `${left + (box.left - r.left) + 2}px`;
      if (r.top < box.top) el.style.top = `${parseFloat(el.style.top) + (box.top - r.top)}px`;
    }
  }

}
