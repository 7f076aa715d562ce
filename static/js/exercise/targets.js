// An exercise question's target (docs/exercises.md: {quantity, layer, neuron, from}, the
// lecture's numbering, neurons and inputs from 1) read against the page's own names: the
// trace event that shows its value (the reveal lights the answer up there), the drawn item
// a `?` stands on, and the pick the equation panel explains. Pure: no DOM, no math.

import { aName, biasName, weightName, zName } from "../text/names.js";

// The event that carries each quantity, and the field of that event holding it.
const EVENTS = {
  z: ["forward", (e) => e.z],
  a: ["forward", (e) => e.a],
  loss: ["loss", (e) => e.loss],
  dl_da: ["backward", (e) => e.dl_da],
  dl_dz: ["backward", (e) => e.dl_dz],
  dl_dw: ["gradient", (e, t) => e.dl_dw?.[t.from - 1]],
  dl_db: ["gradient", (e) => e.dl_db],
  w_next: ["update", (e, t) => e.w?.[t.from - 1]],
  b_next: ["update", (e) => e.b],
};

const ON_LINK = new Set(["dl_dw", "w_next"]);

/**
 * Whether `event` (a trace stream's) is where the question's value appears. A choice
 * compares several items: its value is all there once the step is done.
 */
export function reveals(question, event) {
  if (question.kind === "choice") return event.type === "done";
  const t = question.target;
  const row = EVENTS[t.quantity];
  if (!row || event.type !== row[0]) return false;
  if (t.quantity === "loss") return true;
  return event.layer === t.layer && event.node === t.neuron - 1;
}

/** The value the event shows for the target (undefined for a choice). */
export function shownValue(question, event) {
  if (question.kind === "choice") return undefined;
  const row = EVENTS[question.target.quantity];
  return row ? row[1](event, question.target) : undefined;
}

/**
 * Where the question's `?` stands on the drawing: {kind: "link", layer, from, to} (the
 * drawing's 0-based link: layer is the one it leaves), {kind: "neuron", layer, node} or
 * {kind: "loss"}; null for a choice (its card says which items).
 */
export function markOf(question) {
  if (question.kind === "choice") return null;
  const t = question.target;
  if (t.quantity === "loss") return { kind: "loss" };
  if (ON_LINK.has(t.quantity)) return { kind: "link", layer: t.layer - 1, from: t.from - 1, to: t.neuron - 1 };
  return { kind: "neuron", layer: t.layer, node: t.neuron - 1 };
}

/** The pick (drawing/picks.js) the equation panel explains for the question, or null. */
export function pickOf(question) {
  if (question.kind === "choice") return null;
  const t = question.target;
  if (t.quantity === "loss") return { kind: "loss" };
  if (ON_LINK.has(t.quantity)) return { kind: "weight", layer: t.layer, from: t.from - 1, to: t.neuron - 1 };
  return { kind: "bias", layer: t.layer, node: t.neuron - 1 };
}

/** A new seed, 0 … max, from the browser's random numbers (`random(n)`: an integer below n). */
export function drawSeed(max, random = (n) => Math.floor(Math.random() * n)) {
  return random(Math.min(max, Number.MAX_SAFE_INTEGER - 1) + 1);
}

/** The seed a link carries: a whole number from 0 to max, else null (the page draws one). */
export function readSeed(raw, max) {
  if (typeof raw !== "string" || !/^\d{1,16}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n <= max ? n : null;
}

/** The target's name in the lecture's notation: z¹₁, ∂l/∂w²₁₁, w²₁₁|θ¹, l. */
export function targetName(t) {
  const j = t.neuron - 1;
  switch (t.quantity) {
    case "z":
      return zName(t.layer, j);
    case "a":
      return aName(t.layer, j);
    case "loss":
      return "l";
    case "dl_da":
      return `∂l/∂${aName(t.layer, j)}`;
    case "dl_dz":
      return `∂l/∂${zName(t.layer, j)}`;
    case "dl_dw":
      return `∂l/∂${weightName(t.layer, j, t.from - 1)}`;
    case "dl_db":
      return `∂l/∂${biasName(t.layer, j)}`;
    case "w_next":
      return `${weightName(t.layer, j, t.from - 1)}|θ¹`;
    case "b_next":
      return `${biasName(t.layer, j)}|θ¹`;
    default:
      return t.quantity;
  }
}
