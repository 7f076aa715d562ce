// One line in plain words that follows the animation, in the lecture's order and notation.

import { pair, short } from "../text/format.js";
import { aName, biasName, zName } from "../text/notation.js";
import { S } from "../text/strings.js";

/** The caption for the state after `view.last` (null: the first-contact hint). */
export function captionFor(view, request) {
  const e = view && view.last;
  if (!e) return S.hint;
  const net = request.network;
  const L = net.layers.length - 1;
  switch (e.type) {
    case "forward":
      return S.captionForward(e.layer, e.node, short(e.z), short(e.a), net.activations[e.layer - 1]);
    case "loss":
      return S.captionLoss(short(e.loss));
    case "backward":
      if (e.layer === L) {
        if (e.da_dz === null) return S.captionBackward1Softmax(e.layer, e.node, short(e.dl_dz));
        if (net.loss === "binary_cross_entropy") {
          // The server's closed form (equations.js says why): not 0 × 4.494e307 = 1.
          const a = view.neurons[L][e.node].a;
          return S.captionBackward1Closed(e.layer, e.node, short(a), short(request.target[e.node]), net.layers[L], short(e.dl_dz));
        }
        return S.captionBackward1(e.layer, e.node, short(e.da_dz), short(e.dl_da), short(e.dl_dz));
      }
      return S.captionBackward2(
        e.layer, e.node, e.da_dz === null ? "—" : short(e.da_dz), short(e.dl_da), short(e.dl_dz), carried(view, net, e),
      );
    case "gradient":
      return S.captionGradient(e.layer, e.node, short(e.dl_db), gradients(e));
    case "update": {
      const b0 = net.biases[e.layer - 1][e.node];
      return request.freeze_biases
        ? S.captionUpdateFrozen(e.layer, e.node, short(request.learning_rate))
        : S.captionUpdate(e.layer, e.node, short(request.learning_rate), ...pair(b0, e.b));
    }
    case "done":
      return e.loss_after === undefined ? S.captionDone(short(e.loss)) : S.captionDoneAfter(...pair(e.loss, e.loss_after));
    default:
      return "";
  }
}

/**
 * The same caption's numbers alone, in the lecture's notation (no words, so one text for
 * every language): what a caption too long for its lines shows first, so that it is the
 * prose that gets cut, never the numbers ("" where the caption has none).
 */
export function captionNumbers(view, request) {
  const e = view && view.last;
  if (!e) return "";
  const net = request.network;
  const L = net.layers.length - 1;
  const dz = `∂l/∂${zName(e.layer, e.node)}`;
  switch (e.type) {
    case "forward":
      return `${zName(e.layer, e.node)} = ${short(e.z)}, ${aName(e.layer, e.node)} = ${short(e.a)}`;
    case "loss":
      return `l = ${short(e.loss)}`;
    case "backward":
      if (e.layer === L) {
        if (e.da_dz === null) return `${dz} = ${short(e.dl_dz)}`;
        if (net.loss === "binary_cross_entropy") {
          const a = view.neurons[L][e.node].a;
          return `${dz} = (${short(a)} − ${short(request.target[e.node])})/${net.layers[L]} = ${short(e.dl_dz)}`;
        }
        return `${dz} = ${short(e.da_dz)} × ${paren(e.dl_da)} = ${short(e.dl_dz)}`;
      }
      {
        // Case 2: the result first, then the sum carried back (written out where the
        // caption writes it): a narrow frame cuts the factors before the result.
        const terms = carried(view, net, e);
        const amp = e.da_dz === null ? "—" : short(e.da_dz);
        const result = `${dz} = ${amp} × ${paren(e.dl_da)} = ${short(e.dl_dz)}`;
        return terms ? `${result}; Σ w·∂l/∂z′ = ${terms} = ${short(e.dl_da)}` : result;
      }
    case "gradient": {
      // The results first (∂l/∂b, then each ∂l/∂w), then the products they come from.
      const db = `∂l/∂${biasName(e.layer, e.node)} = ${short(e.dl_db)}`;
      if (!gradients(e)) return db;
      const products = e.a.map((a) => `${paren(a)} × ${paren(e.dl_db)}`).join(", ");
      return `${db}; ∂l/∂w = ${e.dl_dw.map((g) => short(g)).join(", ")} = ${products}`;
    }
    case "update": {
      if (request.freeze_biases) return `η = ${short(request.learning_rate)}`;
      const [b0, b1] = pair(net.biases[e.layer - 1][e.node], e.b);
      return `η = ${short(request.learning_rate)}, ${biasName(e.layer, e.node)} ${b0} → ${b1}`;
    }
    case "done":
      return e.loss_after === undefined ? `l = ${short(e.loss)}` : `l ${pair(e.loss, e.loss_after).join(" → ")}`;
    default:
      return "";
  }
}

// Spelled-out sums only while they stay readable: up to this many terms.
const MAX_TERMS = 4;
const paren = (x) => (x < 0 ? `(${short(x)})` : short(x));

/** Case 2's Σ w·∂l/∂z′ written out with the weights and the next layer's ∂l/∂z (as sent). */
function carried(view, net, e) {
  const next = view.neurons[e.layer + 1];
  if (next.length > MAX_TERMS || next.some((n) => n.dl_dz === undefined)) return "";
  const w = net.weights[e.layer]; // w[j][i]: from neuron i of this layer to j of the next
  return next.map((n, j) => `${paren(w[j][e.node])} × ${paren(n.dl_dz)}`).join(" + ");
}

/** ∂l/∂w = a × ∂l/∂z for each incoming weight, as the gradient event carried a and ∂l/∂w. */
function gradients(e) {
  if (!e.a || e.a.length > MAX_TERMS - 1) return "";
  return e.a.map((a, i) => `${paren(a)} × ${paren(e.dl_db)} = ${short(e.dl_dw[i])}`).join(", ");
}
