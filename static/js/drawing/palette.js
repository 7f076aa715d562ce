// Colour for a weight's sign, width for its size. Blue (positive) against orange (negative)
// stays apart for the common colour-vision deficiencies; near-zero fades to grey.

import { interpolateLab } from "../../vendor/d3/d3-interpolate.min.mjs";

export const NEGATIVE = "#e66101";
export const POSITIVE = "#2166ac";
export const NEUTRAL = "#c8c8c8";

const toNegative = interpolateLab(NEUTRAL, NEGATIVE);
const toPositive = interpolateLab(NEUTRAL, POSITIVE);

/** Colour of a value on a scale whose ends are ±maxAbs. */
export function signColor(value, maxAbs) {
  if (!maxAbs || !Number.isFinite(value)) return NEUTRAL;
  const t = Math.min(1, Math.sqrt(Math.abs(value) / maxAbs));
  return value < 0 ? toNegative(0.25 + 0.75 * t) : toPositive(0.25 + 0.75 * t);
}

/** Stroke width in px, growing with |w| (square root, so small weights stay visible). */
export function weightWidth(value, maxAbs, maxWidth = 6) {
  if (!maxAbs || !Number.isFinite(value)) return 1;
  return 0.75 + (maxWidth - 0.75) * Math.min(1, Math.sqrt(Math.abs(value) / maxAbs));
}

/** The largest |w| in a network's weights (the scale both colour and width use). */
export function maxAbsWeight(weights) {
  let m = 0;
  for (const layer of weights) for (const row of layer) for (const w of row) m = Math.max(m, Math.abs(w));
  return m || 1;
}
