// The page's shell: the markup of the parts asked for (markup.js; hide= removes the others),
// its texts in the page's language (data-i18n keys, the switch, the notes about the page's
// own parameters, the brand's link), and the theme.

import { chooseLanguage, installLanguageSwitch } from "../text/language.js";
import { S } from "../text/strings.js";
import { appMarkup, CONTROL_GROUPS, PARTS } from "./markup.js";

/**
 * Fill `root` with the parts of the page `options` (params.js) asks for.
 * @returns {Set<string>} the parts and control groups left out
 */
export function buildShell(root, { mode, options }) {
  const hidden = new Set(options.hide);
  const removeAll = (sel) => root.querySelectorAll(sel).forEach((el) => el.remove());
  root.classList.add("app");
  root.dataset.view = mode;
  root.innerHTML = appMarkup();
  for (const part of PARTS) if (hidden.has(part)) removeAll(`[data-part="${part}"]`);
  for (const name of CONTROL_GROUPS) if (hidden.has(name)) removeAll(`[data-control-group="${name}"]`);
  // The training view is on / (behind its toggle); /embed has it only when asked (view=training).
  if (mode === "embed" && options.view !== "training") hidden.add("training");
  if (hidden.has("training")) removeAll('[data-part="training"]');
  if (hidden.has("panel")) removeAll("[data-part-needs=panel]");
  if (!root.querySelector(".player")) removeAll('[data-action="skip-drawing"]');
  applyStrings(root);
  // The theme on the document, or on the notebook widget's box (its CSS is scoped to it).
  (root.closest(".bv-widget") || document.documentElement).dataset.theme = options.theme;
  return hidden;
}

/** The shell's texts: every data-i18n key, the language switch, the notes, the brand. */
export class ShellText {
  /**
   * @param {HTMLElement} root  the .app element buildShell filled
   * @param {{store: import("./store.js").Store}} o
   */
  constructor(root, { store }) {
    this.root = root;
    this.notesEl = root.querySelector('[data-bind="notes"]');
    this.notes = []; // functions: each note's text in the current language
    const languageSwitch = installLanguageSwitch(root.querySelector('[data-control="lang"]'), {
      onChoose: (code) => chooseLanguage(store, code),
    });
    languageSwitch.show(store.state.lang.code);
    store.subscribe((s) => {
      applyStrings(root);
      languageSwitch.show(s.lang.code);
      this.#renderNotes();
      const brand = root.querySelector('[data-bind="brand"]');
      if (brand && brand.title) brand.title = S.openFull;
    }, ["lang"]);
  }

  /** A note about the page's own parameters (a bad value fell back to its default). */
  addNote(text) {
    this.notes.push(text);
    this.#renderNotes();
  }

  /** The brand links to this state on the site page (`link()`); from /embed in a new tab. */
  async linkBrand(link, { embed }) {
    const brand = this.root.querySelector('[data-bind="brand"]');
    if (!brand) return;
    brand.href = await link();
    if (!embed) return;
    brand.target = "_blank";
    brand.rel = "noopener";
    brand.title = S.openFull;
  }

  #renderNotes() {
    if (!this.notesEl || !this.notes.length) return;
    this.notesEl.replaceChildren(...this.notes.map((text) => {
      const line = document.createElement("span");
      line.textContent = text();
      return line;
    }));
    this.notesEl.hidden = false;
  }
}

export function applyStrings(el) {
  for (const node of el.querySelectorAll("[data-i18n]")) node.textContent = S[node.dataset.i18n];
  for (const node of el.querySelectorAll("[data-i18n-title]")) {
    node.title = S[node.dataset.i18nTitle];
    if (node.hasAttribute("aria-label")) node.setAttribute("aria-label", node.title);
  }
  for (const node of el.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", S[node.dataset.i18nLabel]);
  document.title = `${S.appTitle}: ${S.tagline}`;
}
