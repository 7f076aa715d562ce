// The page's URL parameters, one row each (like TensorFlow Playground's state table): how
// to read it, its default, and the note shown when a value is refused. A bad value never
// blanks the page: it falls back to the default, and the note says so, in the page's
// language at the time parse() runs (app.js parses again to say it in another).

import { LANGUAGES, languageFor } from "../text/language.js";
import { CONTROL_GROUPS, PARTS } from "./markup.js";
import { S } from "../text/strings.js";

export const THEMES = ["light", "dark", "auto", "projector"];
export const STOPS = ["forward", "backward", "update"];
export const SPEED_RANGE = [0.25, 8];
export const VIEWS = ["step", "training", "tour"];

const HIDEABLE = new Set([...PARTS, ...CONTROL_GROUPS]);
const TRUE = new Set(["", "1", "true", "yes", "on"]);
const FALSE = new Set(["0", "false", "no", "off"]);
// A decimal number as people write one: Number() alone also reads "0x2", "0b10" and " 2 ".
const DECIMAL = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Each row: parse(raw) → {value} or {error: "why"}; `fallback` is used on an error or when absent. */
export const PARAMS = {
  preset: {
    fallback: null,
    // Whether the name exists is for the server to say (GET /presets/{name}).
    parse: (raw) => (/^[a-z0-9][a-z0-9-]{0,63}$/.test(raw) ? { value: raw } : { error: S.paramNotPreset }),
  },
  v: {
    fallback: 1,
    parse: (raw) => (raw === "1" ? { value: 1 } : { error: S.paramVersion }),
  },
  state: {
    fallback: null,
    parse: (raw) => (raw.length > 0 ? { value: raw } : { error: S.paramEmpty }),
  },
  hide: {
    fallback: [],
    parse: (raw) => {
      const names = raw.split(/[,\s]+/).filter(Boolean);
      const unknown = names.filter((n) => !HIDEABLE.has(n));
      const value = names.filter((n) => HIDEABLE.has(n));
      return unknown.length ? { value, error: S.paramUnknown(unknown.map((n) => `"${n}"`).join(", ")) } : { value };
    },
  },
  autoplay: {
    fallback: false,
    parse: (raw) => (TRUE.has(raw) ? { value: true } : FALSE.has(raw) ? { value: false } : { error: S.paramNotFlag }),
  },
  predict: {
    fallback: false,
    // predict mode (issue 15): the player stops before a value and asks for it (predictview.js)
    parse: (raw) => (TRUE.has(raw) ? { value: true } : FALSE.has(raw) ? { value: false } : { error: S.paramNotFlag }),
  },
  speed: {
    fallback: 1,
    parse: (raw) => {
      const x = Number(raw);
      const [lo, hi] = SPEED_RANGE;
      return DECIMAL.test(raw) && x >= lo && x <= hi ? { value: x } : { error: S.paramRange(lo, hi) };
    },
  },
  step: {
    fallback: null,
    parse: (raw) => (STOPS.includes(raw) ? { value: raw } : { error: S.paramNotOneOf(STOPS.join(", ")) }),
  },
  view: {
    fallback: null,
    // training: open the training view beside the drawing (on /embed too); tour: /embed
    // shows the lecture as a tour (the server's page, app/web/pages.py)
    parse: (raw) => (VIEWS.includes(raw) ? { value: raw } : { error: S.paramNotOneOf(VIEWS.join(", ")) }),
  },
  lang: {
    // absent: the browser's language (language.js); en-*, zh-* in any case → en, zh-TW
    fallback: null,
    parse: (raw) => (languageFor(raw) ? { value: languageFor(raw) } : { error: S.paramNotOneOf(LANGUAGES.join(", ")) }),
  },
  theme: {
    fallback: "light",
    parse: (raw) => (THEMES.includes(raw) ? { value: raw } : { error: S.paramNotOneOf(THEMES.join(", ")) }),
  },
};

/**
 * Read a query string: {options: {name: value}, notes: [{param, raw, error}]}. Unknown
 * parameters are left alone (a host may add its own); a repeated one takes its last value.
 */
export function readParams(search) {
  const params = new URLSearchParams(search);
  const options = {};
  const notes = [];
  for (const [name, row] of Object.entries(PARAMS)) {
    const all = params.getAll(name);
    if (all.length === 0) {
      options[name] = row.fallback;
      continue;
    }
    const raw = all.at(-1);
    const { value, error } = row.parse(raw);
    options[name] = value !== undefined ? value : row.fallback;
    if (error) notes.push({ param: name, raw, error });
  }
  return { options, notes };
}

/** The parameters that describe how the page is shown (kept when the state changes). */
export const DISPLAY_PARAMS = ["hide", "autoplay", "predict", "speed", "step", "view", "lang", "theme"];
