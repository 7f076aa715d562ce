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
// The names themselves are written in names.js, which imports nothing: the string tables
// (strings.js, i18n/) use them in their templates, and this module reads words ("layer 2")
// from the tables, so the imports run one way: notation → strings → i18n → names.

import { ETA, biasName, inputName, sub, sup, targetName, weightName } from "./names.js";
import { S } from "./strings.js";

export * from "./names.js";

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
