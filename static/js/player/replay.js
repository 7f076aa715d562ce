// What the drawing shows after the first n events of a trace stream: a pure fold over the
// events, so stepping back is a replay from the start. Values are copied from the events
// as they are; nothing here computes any math.

export const PHASES = ["forward", "loss", "backward", "update", "done"];

/** The phase an event belongs to (gradient events are part of the backward pass). */
export function phaseOf(event) {
  switch (event.type) {
    case "forward":
      return "forward";
    case "loss":
      return "loss";
    case "backward":
    case "gradient":
      return "backward";
    case "update":
      return "update";
    default:
      return "done";
  }
}

/** The view before any event: only the inputs are known. */
export function initialView(request) {
  const layers = request.network.layers;
  const neurons = layers.map((n, l) =>
    Array.from({ length: n }, (_, j) => (l === 0 ? { a: request.input[j] } : {})),
  );
  const perWeight = () => layers.slice(1).map((n) => Array.from({ length: n }, () => null));
  return {
    phase: "idle",
    neurons, // neurons[l][j]: {z, a, da_dz, dl_da, dl_dz, case}
    dl_dw: perWeight(), // dl_dw[l][j] = incoming weights' gradients of neuron j of layer l+1
    dl_db: perWeight(),
    a_in: perWeight(), // the inputs each incoming weight saw (∂z/∂w)
    w_new: perWeight(), // θ¹ after the update
    b_new: perWeight(),
    loss: null, // l at θ⁰
    loss_after: null, // l at θ¹, from the done event (absent when it overflowed)
    dl_da_out: null,
    last: null, // the most recent event
    count: 0,
  };
}

/** Fold one event into the view (mutates it, returns it). */
export function applyEvent(view, event) {
  const l = event.layer;
  switch (event.type) {
    case "forward":
      Object.assign(view.neurons[l][event.node], { z: event.z, a: event.a });
      break;
    case "loss":
      view.loss = event.loss;
      view.dl_da_out = event.dl_da;
      break;
    case "backward":
      Object.assign(view.neurons[l][event.node], {
        dl_da: event.dl_da,
        da_dz: event.da_dz,
        dl_dz: event.dl_dz,
        case: event.case ?? null,
      });
      break;
    case "gradient":
      view.dl_dw[l - 1][event.node] = event.dl_dw;
      view.dl_db[l - 1][event.node] = event.dl_db;
      if (event.a) view.a_in[l - 1][event.node] = event.a;
      break;
    case "update":
      view.w_new[l - 1][event.node] = event.w;
      view.b_new[l - 1][event.node] = event.b;
      break;
    case "done":
      view.loss = event.loss ?? view.loss;
      view.loss_after = event.loss_after ?? null;
      break;
    default:
      return view; // unknown extra events are welcome and ignored
  }
  view.phase = phaseOf(event);
  view.last = event;
  view.count += 1;
  return view;
}

/**
 * How many events a step of this network sends, from the contract's order: per neuron a
 * forward, a backward, a gradient and an update event, plus loss and done. Used to size
 * the progress bar before the stream has ended; the real count replaces it at the end.
 */
export function expectedEventCount(request) {
  const neurons = request.network.layers.slice(1).reduce((s, n) => s + n, 0);
  return 4 * neurons + 2;
}
