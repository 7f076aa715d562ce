// Click-to-edit: a value of the drawing (a weight, a bias, an input, a target) in a small
// popover at the item. Enter sends it to the API (through `commit`); a refusal is shown in
// place in the lecture's words and the field goes back to the value the network uses; Esc
// or a click elsewhere closes it, and focus goes back to the drawn item that opened it.

import { pickName, pickRow } from "../drawing/picks.js";
import { returnFromEditor } from "../page/focus.js";
import { full } from "../text/format.js";
import { lectureMessage } from "../text/messages.js";
import { numberError, parseValue } from "../text/numbers.js";
import { S } from "../text/strings.js";

export class EditPopover {
  /**
   * @param {HTMLFormElement} el  [data-bind=editor]
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store
   * @param {(next: object, how: "network"|"request") => Promise<void>} o.commit  validate + apply
   * @param {(pick: object) => void} o.onExplain  open the equation panel on this item
   */
  constructor(el, { store, commit, onExplain }) {
    this.el = el;
    this.store = store;
    this.commit = commit;
    this.onExplain = onExplain;
    this.input = el.querySelector('[data-control="edit-value"]');
    this.label = el.querySelector(".popover-label");
    this.error = el.querySelector(".popover-error");
    this.pick = null;
    this.#wire();
    // When it closes (Enter, Esc), focus returns to the drawn item that opened it.
    this.focusBack = returnFromEditor(el);
  }

  /** Open on an item picked on the drawing; closing gives the item its focus back. */
  openPicked(pick) {
    this.focusBack.opened();
    this.open(pick);
  }

  #wire() {
    this.el.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.#apply();
    });
    this.el.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") {
        ev.preventDefault();
        ev.stopPropagation();
        this.close();
      }
      ev.stopPropagation(); // typing here is not a playback shortcut
    });
    this.el.querySelector('[data-action="explain"]').addEventListener("click", () => {
      const pick = this.pick;
      this.close();
      if (pick) this.onExplain(pick);
    });
    document.addEventListener("pointerdown", (ev) => {
      if (!this.el.hidden && !this.el.contains(ev.target)) this.close();
    });
  }

  /** Open the editor for a picked item at drawing coordinates (x, y). */
  open(pick) {
    const row = pickRow(pick);
    if (!row || !row.editable) return;
    this.pick = pick;
    this.label.textContent = row.label(pick);
    this.input.value = String(row.get(this.store.request, pick));
    this.input.removeAttribute("aria-invalid");
    this.error.textContent = "";
    this.el.hidden = false;
    const canvas = this.el.parentElement.getBoundingClientRect();
    const w = this.el.offsetWidth;
    const h = this.el.offsetHeight;
    const left = Math.max(4, Math.min(pick.x + 12, canvas.width - w - 4));
    const top = Math.max(4, Math.min(pick.y - h - 10 < 4 ? pick.y + 14 : pick.y - h - 10, canvas.height - h - 4));
    this.el.style.left = `${left}px`;
    this.el.style.top = `${top}px`;
    this.input.focus();
    this.input.select();
  }

  close() {
    if (this.el.hidden) return;
    this.el.hidden = true;
    this.pick = null;
  }

  get isOpen() {
    return !this.el.hidden;
  }

  async #apply() {
    const pick = this.pick;
    if (!pick) return;
    const read = parseValue(this.input.value);
    const row = pickRow(pick);
    const req = this.store.request;
    if (read.problem) return this.#refused(pick, numberError(read));
    const value = read.value;
    if (value === row.get(req, pick)) return this.close(); // nothing to change
    this.error.textContent = S.checking;
    try {
      await this.commit(row.set(req, pick, value), row.how);
      if (this.pick === pick) this.close();
    } catch (err) {
      if (this.pick === pick) this.#refused(pick, err);
    }
  }

  /** Back to the value the network uses, and why the typed one was refused. */
  #refused(pick, err) {
    const kept = pickRow(pick).get(this.store.request, pick);
    this.input.value = String(kept);
    this.error.textContent = S.editRejected(lectureMessage(err), pickName(pick), full(kept));
    this.input.removeAttribute("aria-invalid"); // it holds a valid value again
    this.input.focus();
    this.input.select();
  }
}
