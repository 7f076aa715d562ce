// The predict mode's questions (issue 15, practice, unscored): which value of the step the
// player asks for before it shows it, and how far a guess was from it. Pure: the value is
// the server's, read from the trace event the player is about to show (and, for the
// direction of an update, θ⁰ from the request the page sent); nothing here computes the
// lecture's math, it only compares a guess with the number it was sent.
//
// A question: {mode: "predict", target, name, sign}. `target` is the exercises' machine-readable one
// (docs/exercises.md): {quantity, layer, neuron, from?}, the lecture's numbering (layer 1
// is the first hidden layer, neurons and inputs from 1, `from` only for a weight); `name`
// the lecture's ("z¹₁", "∂l/∂w²₁₁", "w¹₁₁|θ¹"); `sign` whether up/down may answer it (the
// update: the direction of θ¹ − θ⁰).

import { aName, biasName, weightName, zName } from "../text/names.js";

/** A guess is right within the exercises' default tolerance: max(5e-4, 0.005 · |value|). */
export const ABS_TOLERANCE = 5e-4;
export const REL_TOLERANCE = 0.005;

const NAMES = {
  z: (t) => zName(t.layer, t.neuron - 1),
  a: (t) => aName(t.layer, t.neuron - 1),
  dl_dz: (t) => `∂l/∂${zName(t.layer, t.neuron - 1)}`,
  dl_dw: (t) => `∂l/∂${weightName(t.layer, t.neuron - 1, t.from - 1)}`,
  dl_db: (t) => `∂l/∂${biasName(t.layer, t.neuron - 1)}`,
  w_next: (t) => `${weightName(t.layer, t.neuron - 1, t.from - 1)}|θ¹`,
  b_next: (t) => `${biasName(t.layer, t.neuron - 1)}|θ¹`,
  loss: () => "l",
};

// Where each quantity's value is in the event that shows it (replay.js folds the same fields).
const VALUES = {
  z: (e) => e.z,
  a: (e) => e.a,
  dl_dz: (e) => e.dl_dz,
  dl_dw: (e, t) => e.dl_dw[t.from - 1],
  dl_db: (e) => e.dl_db,
  w_next: (e, t) => e.w[t.from - 1],
  b_next: (e) => e.b,
  loss: (e) => e.loss,
};

/** The lecture's name of a target ("z¹₁", "∂l/∂w²₁₁", "w¹₁₁|θ¹"). */
export function targetName(target) {
  return NAMES[target.quantity](target);
}

function question(quantity, event, from) {
  const target = { quantity, layer: event.layer, neuron: event.node + 1 };
  if (from !== undefined) target.from = from + 1;
  return { mode: "predict", target, name: targetName(target), sign: quantity === "w_next" || quantity === "b_next" };
}

/** The question about the picked item (picks.js) before `event`, or null. */
function aboutPick(event, pick) {
  const here = (layer, node) => event.layer === layer && event.node === node;
  switch (pick.kind) {
    case "bias": // a neuron: its z, its ∂l/∂z, its new bias
      if (!here(pick.layer, pick.node)) return null;
      if (event.type === "forward") return question("z", event);
      if (event.type === "backward") return question("dl_dz", event);
      if (event.type === "update") return question("b_next", event);
      return null;
    case "weight": // w^l_{ji}: its ∂l/∂w, its new value
      if (!here(pick.layer, pick.to)) return null;
      if (event.type === "gradient") return question("dl_dw", event, pick.from);
      if (event.type === "update") return question("w_next", event, pick.from);
      return null;
    default: // the loss
      return event.type === "loss" ? { mode: "predict", target: { quantity: "loss" }, name: "l", sign: false } : null;
  }
}

// Picks whose values the step shows (an input or a target is given, not computed).
const ASKABLE = new Set(["bias", "weight", "loss"]);

/**
 * The question to ask before `event` is shown, or null. With a neuron, a link or the loss
 * picked, the value the event shows for it; with nothing picked, one per phase: z¹₁ in the
 * forward pass, ∂l/∂z of the output layer's first neuron (case 1) and of the last hidden
 * layer's (case 2), ∂l/∂w of its first incoming weight at its gradient, and w¹₁₁|θ¹ at the
 * update.
 * @param {object} event  a trace event (docs/api.md)
 * @param {{layers: number[], selection: object|null}} o  the network's layer sizes, the pick
 */
export function askFor(event, { layers, selection = null }) {
  if (selection && ASKABLE.has(selection.kind)) return aboutPick(event, selection);
  const L = layers.length - 1;
  const first = event.node === 0;
  switch (event.type) {
    case "forward":
      return event.layer === 1 && first ? question("z", event) : null;
    case "backward":
      // case 1: the output layer; case 2: the first hidden neuron the backward pass reaches
      return first && (event.layer === L || event.layer === L - 1) ? question("dl_dz", event) : null;
    case "gradient":
      return event.layer === L && first ? question("dl_dw", event, 0) : null;
    case "update":
      return event.layer === 1 && first ? question("w_next", event, 0) : null;
    default:
      return null;
  }
}

// The event type that shows each quantity (a neuron's z and a together, its ∂l/∂w with ∂l/∂b).
const SHOWN_BY = {
  z: "forward",
  a: "forward",
  loss: "loss",
  dl_dz: "backward",
  dl_dw: "gradient",
  dl_db: "gradient",
  w_next: "update",
  b_next: "update",
};

/**
 * The question about one given target before `event`, or null: asked only before the event
 * that shows its value (a page that asks one value, the tour's chapter). `name` replaces
 * the lecture's name of the target when the page says it another way ("∂z²₁/∂w²₁₁ = a¹₁").
 */
export function askAbout(event, target, name = null) {
  if (event.type !== SHOWN_BY[target.quantity]) return null;
  if (target.quantity !== "loss" && (event.layer !== target.layer || event.node !== target.neuron - 1)) return null;
  return { mode: "predict", target, name: name || targetName(target), sign: target.quantity === "w_next" || target.quantity === "b_next" };
}

/** The value `event` shows for `target`, as the server sent it. */
export function valueOf(event, target) {
  return VALUES[target.quantity](event, target);
}

/** θ⁰ of an update's target, from the request the page sent (null for other targets). */
export function valueBefore(request, target) {
  const [l, j, i] = [target.layer - 1, target.neuron - 1, target.from - 1];
  if (target.quantity === "w_next") return request.network.weights[l][j][i];
  if (target.quantity === "b_next") return request.network.biases[l][j];
  return null;
}

/** Which way θ¹ went from θ⁰: "up", "down" or "same" (a comparison, no arithmetic). */
export function direction(before, after) {
  return after > before ? "up" : after < before ? "down" : "same";
}

/**
 * How a guess compares with the value: {target, name, guess, value, right, abs, rel} for a
 * number (abs = |guess − value|, rel = abs / |value|, null when the value is 0), and
 * {…, before, moved} for "up" / "down" (moved: the direction θ¹ took).
 */
export function judge(q, event, guess, request) {
  const value = valueOf(event, q.target);
  const base = { target: q.target, name: q.name, guess, value };
  if (guess === "up" || guess === "down") {
    const before = valueBefore(request, q.target);
    const moved = direction(before, value);
    return { ...base, before, moved, right: guess === moved, abs: null, rel: null };
  }
  const abs = Math.abs(guess - value);
  const rel = value === 0 ? null : abs / Math.abs(value);
  return { ...base, right: abs <= Math.max(ABS_TOLERANCE, REL_TOLERANCE * Math.abs(value)), abs, rel };
}
