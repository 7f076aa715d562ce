// The page's language: `lang=` in the URL first, then the browser's languages, then English;
// the switch in the top bar changes it live. Nothing is stored (no cookie, no storage: the
// page must work in sandboxed frames); a chosen language travels in the page's links as
// `lang=`, one more display parameter. One table a language: strings.js and i18n/.

import { setLanguage, tables } from "./strings.js";

export const LANGUAGES = Object.keys(tables);
export const DEFAULT_LANGUAGE = "en";
/** <html lang>: the script too, so screen readers and fonts pick Traditional characters. */
const HTML_LANG = { en: "en", "zh-TW": "zh-Hant-TW" };

/**
 * The table for a BCP 47 tag, case-insensitively, or null: en and en-* → en; zh, zh-TW,
 * zh-Hant, zh-HK, … → zh-TW (there is no Simplified table, and Traditional reads better
 * to a Chinese reader than English).
 */
export function languageFor(tag) {
  if (typeof tag !== "string") return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return primary === "en" ? "en" : primary === "zh" ? "zh-TW" : null;
}

/** `lang=` when given (already checked by params.js), else the first browser language we have. */
export function detectLanguage(param, browserLanguages = []) {
  if (param) return param;
  for (const tag of browserLanguages) {
    const code = languageFor(tag);
    if (code) return code;
  }
  return DEFAULT_LANGUAGE;
}

/** Switch the strings and the document's language to `code`. */
export function applyLanguage(code, doc = document) {
  setLanguage(code);
  doc.documentElement.lang = HTML_LANG[code] || code;
}

/** The browser's languages, in its order of preference. */
export function browserLanguages(nav = navigator) {
  return nav.languages && nav.languages.length ? [...nav.languages] : [nav.language].filter(Boolean);
}

/**
 * The switch (a select in the top bar): each language named in itself. Choosing one calls
 * `onChoose(code)`; `show(code)` reflects the current language.
 */
export function installLanguageSwitch(select, { onChoose }) {
  if (!select) return { show: () => {} };
  select.replaceChildren(...LANGUAGES.map((code) => {
    const option = new Option(tables[code].languageName, code);
    option.lang = HTML_LANG[code];
    return option;
  }));
  select.addEventListener("change", () => onChoose(select.value));
  return {
    show(code) {
      select.value = code;
    },
  };
}

/**
 * Switch the page's language live (the switch in the top bar, the host API): the strings,
 * <html lang>, and the store's `lang` slice, which every view follows. Throws for a code
 * that names no table.
 */
export function chooseLanguage(store, code) {
  const next = languageFor(code);
  if (!next) throw new Error(`no language ${JSON.stringify(String(code)).slice(0, 40)}`);
  applyLanguage(next);
  store.set({ lang: { code: next, chosen: true } }, { user: true });
}
