// The lecture's names, written: w¹₂₁, b¹₂, z¹₁, a¹₁, x₁, t₂, η in plain text (Unicode
// sub- and superscripts) and their TeX for the equation panel. Layers are the lecture's
// (0 = the input); neurons are 0-based as the API indexes them and print 1-based.
// Imports nothing, so that the string tables (strings.js, i18n/) can use these names in
// their templates without a cycle; notation.js re-exports them with the field paths.

const SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉";
const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

/** The learning rate's name. */
export const ETA = "η";

export function sub(n) {
  return String(n).replace(/\d/g, (d) => SUBSCRIPTS[Number(d)]);
}

export function sup(n) {
  return String(n).replace(/\d/g, (d) => SUPERSCRIPTS[Number(d)]);
}

// Two subscripts side by side read ambiguously past 9 (w₁₁₂: 11,2 or 1,12?): a comma then.
function pairIndex(j, i, join) {
  return j + 1 > 9 || i + 1 > 9 ? `${j + 1},${i + 1}` : join(j + 1, i + 1);
}

/** w^l_{ji}: the weight from neuron i of layer l−1 to neuron j of layer l ("w¹₂₁"). */
export function weightName(l, j, i) {
  return `w${sup(l)}${sub(pairIndex(j, i, (a, b) => `${a}${b}`))}`;
}

/** b^l_j ("b¹₂"). */
export function biasName(l, j) {
  return `b${sup(l)}${sub(j + 1)}`;
}

/** z^l_j, the neuron's input to its activation. */
export function zName(l, j) {
  return `z${sup(l)}${sub(j + 1)}`;
}

/** a^l_j = σ(z^l_j); a⁰ is the input x. */
export function aName(l, j) {
  return l === 0 ? inputName(j) : `a${sup(l)}${sub(j + 1)}`;
}

/** x_i, an input (layer 0). */
export function inputName(i) {
  return `x${sub(i + 1)}`;
}

/** t_j, the target of output neuron j. */
export function targetName(j) {
  return `t${sub(j + 1)}`;
}

// ---- TeX, for the equation panel -----------------------------------------------------------

export function weightTex(l, j, i) {
  return `w^{${l}}_{${pairIndex(j, i, (a, b) => `${a}${b}`)}}`;
}

export function biasTex(l, j) {
  return `b^{${l}}_{${j + 1}}`;
}

export function zTex(l, j) {
  return `z^{${l}}_{${j + 1}}`;
}

export function aTex(l, j) {
  return l === 0 ? inputTex(j) : `a^{${l}}_{${j + 1}}`;
}

export function inputTex(i) {
  return `x_{${i + 1}}`;
}

export function targetTex(j) {
  return `t_{${j + 1}}`;
}

