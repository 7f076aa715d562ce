// Numbers as the page shows them, from one formatter: 4 significant digits in text (captions,
// readouts, accessible names, the panel), 3 on the drawing where a label has a fixed box,
// and the full (shortest round-trip) precision in tooltips, data attributes and on demand in
// the equation panel. A before → after pair gets more digits until the change shows.

const MINUS = "\u2212";

/** Significant digits in text; on the drawing's fixed-size labels. */
export const DIGITS = 4;
export const DRAWING_DIGITS = 3;

/** `digits` significant digits, a true minus sign, exponent form only for tiny or huge values. */
export function short(x, digits = DIGITS) {
  if (x === null || x === undefined) return "";
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const abs = Math.abs(x);
  let text;
  if (abs >= 1e-3 && abs < 1e4) {
    text = abs.toPrecision(digits);
    // toPrecision may still choose exponent form (e.g. 1.00e+3 for 999.5): keep it plain.
    if (text.includes("e")) text = String(Number(text));
  } else {
    text = abs.toExponential(digits - 1).replace("e+", "e");
  }
  return (x < 0 ? MINUS : "") + text;
}

/**
 * A formatter for one column of a table, so that its numbers read alike: whole numbers as
 * whole numbers when every one in the column is (class targets read "0" and "1", never "0"
 * beside "1.000"), else `short` for each.
 */
export function column(values, digits = DIGITS) {
  const whole = values.every((x) => Number.isInteger(x) && Math.abs(x) < 1e4);
  return whole ? (x) => (x < 0 ? MINUS : "") + String(Math.abs(x)) : (x) => short(x, digits);
}

/**
 * A before → after pair as two texts that differ whenever the numbers do: `digits`
 * significant digits, more only when they would print the same (w = 0.14978 after
 * 0.15 reads 0.1500 → 0.1498, not 0.150 → 0.150).
 */
export function pair(before, after, digits = DIGITS) {
  let d = digits;
  let a = short(before, d);
  let b = short(after, d);
  while (a === b && before !== after && d < 17) {
    d += 1;
    a = short(before, d);
    b = short(after, d);
  }
  return [a, b];
}

/** Every digit the float64 carries (what the API sent), with a true minus sign. */
export function full(x) {
  if (x === null || x === undefined) return "";
  return String(x).replace("-", MINUS);
}

/** Full precision for TeX: exponent as ×10^{k}, negatives in parentheses when asked. */
export function tex(x, { paren = false } = {}) {
  if (x === null || x === undefined) return "?";
  let s = String(x);
  const m = s.match(/^(-?[\d.]+)e([+-]\d+)$/);
  if (m) s = `${m[1]}\\times 10^{${Number(m[2])}}`;
  if (x < 0 || Object.is(x, -0)) {
    s = s.replace(/^-/, "-");
    if (paren) s = `(${s})`;
  }
  return s;
}

/** The exact string of a float for data-* attributes (parseFloat gives the same double back). */
export function exact(x) {
  return String(x);
}
