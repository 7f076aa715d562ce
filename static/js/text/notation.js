// The lecture's names for everything the page shows, in one place: input x (layer 0),
// layers l = 1…L, w^l_{ji} from neuron i of layer l−1 to neuron j of layer l, b^l_j, z^l_j,
// a^l_j, targets t_j, η. Plain text uses Unicode sub/superscripts ("w¹₂₁"); the equation
// panel uses the TeX forms. Layers are the lecture's (0 = the input); neurons are 0-based
// as the API indexes them and print 1-based.
//
// The API keeps its JSON names (docs/api.md): network.weights[l−1][j][i] is w^l_{ji},
// network.biases[l−1][j] is b^l_j, input[i] is x_{i+1}. `fieldName` translates the field
// paths of its 4xx answers, so every message the page shows from the API (messages.js)
// speaks the lecture's notation.
//
// strings.js imports the names below for its templates and this module reads words
// ("layer 2") from strings.js: a cycle that is safe because both only use each other inside
// functions (function declarations are hoisted).

import { S } from "./strings.js";

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

// ---- the API's field paths and messages ----------------------------------------------------

/** "network.weights[1][0][0]" → {head: "weights", index: [1, 0, 0]} (the "network." or
 * "body." prefix dropped: POST /network names its fields without it). */
function parseField(path) {
  const m = /^(?:body\.)?(?:network\.)?([A-Za-z_]+)((?:\[\d+\])*)$/.exec(String(path).trim());
  if (!m) return null;
  const index = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
  return { head: m[1], index };
}

const ANY_I = "ᵢ"; // w²₁ᵢ: every weight into neuron 1 of layer 2

/**
 * The lecture's name for an API field path, or null when it has none (a training setting,
 * say, keeps its JSON name). weights[l−1][j][i] → w^l_{ji}, biases[l−1][j] → b^l_j,
 * input[i] → x_{i+1}, target[j] → t_{j+1}, learning_rate → η, layers[l] → "layer l".
 */
export function fieldName(path) {
  const f = parseField(path);
  if (!f) return null;
  const [p, q, r] = f.index;
  const n = f.index.length;
  switch (f.head) {
    case "weights":
      if (n === 0) return "w";
      if (n === 1) return `w${sup(p + 1)}`;
      if (n === 2) return `w${sup(p + 1)}${sub(q + 1)}${ANY_I}`;
      return n === 3 ? weightName(p + 1, q, r) : null;
    case "biases":
      if (n === 0) return "b";
      if (n === 1) return `b${sup(p + 1)}`;
      return n === 2 ? biasName(p + 1, q) : null;
    case "input":
      return n === 0 ? "x" : n === 1 ? inputName(p) : null;
    case "target":
      return n === 0 ? "t" : n === 1 ? targetName(p) : null;
    case "learning_rate":
      return n === 0 ? ETA : null;
    case "layers":
      return n === 0 ? S.layers : n === 1 ? S.layerLabel(p) : null;
    case "activations":
      return n === 0 ? "σ" : n === 1 ? S.activationTitle(p + 1) : null;
    case "loss":
      return n === 0 ? S.loss : null;
    case "init":
      return n === 0 ? S.init : null;
    case "seed":
      return n === 0 ? S.seed : null;
    case "freeze_biases":
      return n === 0 ? S.freezeBiases : null;
    default:
      return null;
  }
}
