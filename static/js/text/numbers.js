// The page's one reading of a typed number (η, the seed, weights, biases, inputs, targets,
// the training form, the URL's speed): decimal, as people write numbers. JS's Number() also
// reads "0x10" as 16, "0b1", "0o7", "Infinity" and "  " (as 0), and rounds "1e-400" to 0
// and "1e400" to Infinity without a word: each of those is refused here with its reason
// (numberProblem), never sent as a number it does not look like.

import { S } from "./strings.js";

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NON_DECIMAL = /^[+-]?(0[xob]|infinity$)/i;

/**
 * Read a typed number:
 *   {value}          a decimal number, exactly the double it names
 *   {problem, text}  refused: "empty", "notDecimal" (0x10, 0b1, 0o7, Infinity), "underflow"
 *                    (a non-zero number that is 0 as a double), "overflow" (past 1.8e308)
 *   {text}           not a number at all ("abc"): the API says so when it is sent
 * A leading true minus (−, as the page writes numbers) reads as "-".
 */
export function readNumber(raw) {
  const text = String(raw).trim().replace(/^\u2212/, "-");
  if (text === "") return { problem: "empty", text };
  if (DECIMAL.test(text)) {
    const value = Number(text);
    if (!Number.isFinite(value)) return { problem: "overflow", text };
    // 0 from a mantissa with a non-zero digit: 1e-400 is below the smallest double (5e-324).
    if (value === 0 && /[1-9]/.test(text.replace(/e.*$/i, ""))) return { problem: "underflow", text };
    return { value };
  }
  if (NON_DECIMAL.test(text) || Number.isFinite(Number(text))) return { problem: "notDecimal", text };
  return { text };
}

/**
 * A typed value as the API should see it (readNumber reads it): {value} a number, or the raw
 * text when it is no number at all (the API says why); {problem, text} a text the page
 * refuses itself (0x10, 1e-400: Number() would misread it).
 */
export function parseValue(text) {
  const read = readNumber(text);
  if (read.problem) return read;
  return { value: "value" in read ? read.value : read.text };
}

/** Why a typed text is refused, in the page's language (problem: readNumber's, or "notNumber"). */
export function numberProblem(problem, text) {
  switch (problem) {
    case "empty":
      return S.numberEmpty;
    case "notDecimal":
      return S.numberNotDecimal(text);
    case "underflow":
      return S.numberUnderflow(text);
    case "overflow":
      return S.numberOverflow(text);
    default:
      return S.numberNotNumber(text);
  }
}

/** A page-side refusal (a typed number readNumber refuses), shown like the API's. */
export function numberError(read, field = null) {
  const err = new Error(numberProblem(read.problem, read.text));
  err.field = field;
  return err;
}
