// One line in plain words that follows the animation, in the lecture's order and notation.

import { pair, short } from "./format.js";
import { S } from "./strings.js";

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
        return e.da_dz === null
          ? S.captionBackward1Softmax(e.node, short(e.dl_dz))
          : S.captionBackward1(e.node, short(e.da_dz), short(e.dl_da), short(e.dl_dz));
      }
      return S.captionBackward2(e.layer, e.node, e.da_dz === null ? "—" : short(e.da_dz), short(e.dl_da), short(e.dl_dz));
    case "gradient":
      return S.captionGradient(e.layer, e.node, short(e.dl_db));
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
