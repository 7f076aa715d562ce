// What the API's refusals say, in the page's language. Every 4xx item carries a stable
// `type` and its parameters `ctx` besides the English `msg` (docs/api.md, "Errors"): the
// sentence is composed here from S.problems[type] and ctx, the field named as the lecture
// names it (notation.js's fieldName: w¹₂₁, η) or as the page's own controls label it
// ("batch size"). The English msg is read only for a type this page does not know (a newer
// server), or an item without one.

import { S } from "./strings.js";
import { fieldName } from "./notation.js";

const MINUS = "\u2212";

/** A number of ctx as text: whole numbers in full (a seed's 4294967295), others short. */
export function ctxNumber(x) {
  if (typeof x !== "number" || !Number.isFinite(x)) return String(x ?? "");
  const abs = Math.abs(x);
  let text;
  if (Number.isInteger(x) && abs < 1e12) text = String(abs);
  else if (abs >= 1e-3 && abs < 1e6) text = String(Number(abs.toPrecision(6)));
  else text = abs.toExponential(3).replace(/\.?0+e/, "e").replace("e+", "e"); // 3e148, 1.5e−7
  return (x < 0 ? MINUS : "") + text.replace("e-", `e${MINUS}`);
}

// The training settings' paths, named as the page's controls label them.
const SETTINGS = {
  epochs: "maxEpochs",
  batch_size: "batchSize",
  optimizer: "optimizer",
  regularization: "regularization",
  "regularization.kind": "regularization",
  "regularization.rate": "regularizationRate",
  dataset: "dataset",
  "dataset.name": "dataset",
  "dataset.samples": "samples",
  "dataset.noise": "noise",
  "dataset.test_ratio": "testRatio",
  "dataset.seed": "dataSeed",
  "dataset.features": "features",
  "network.layers": "layers",
  "network.seed": "seed",
};

// Names a ctx's choices hold, by the field they are choices of.
const CHOICE_NAMERS = [
  [/activations/, (n) => S.activationName(n)],
  [/loss$/, (n) => S.lossName(n)],
  [/init$/, (n) => S.initName(n)],
  [/^optimizer$/, (n) => S.optimizerName(n)],
  [/^dataset\.name$/, (n) => S.datasetName(n)],
  [/features/, (n) => S.featureName(n)],
];

// Whole-request places: the sentence names no field.
const WHOLE = new Set(["", "body", "path", "server", "server.streams", "header.origin"]);

/** ["body", "network", "weights", 1, 0, 0] → "network.weights[1][0][0]" (as the API's `field`). */
function locPath(loc) {
  return loc
    .filter((part, k) => !(k === 0 && part === "body"))
    .reduce((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${part}` : String(part)), "");
}

/** The name a field has on this page: the lecture's, a control's label, else its path. */
export function problemField(path) {
  const p = String(path ?? "").replace(/^body\./, "");
  if (WHOLE.has(p)) return null;
  const key = SETTINGS[p] ?? SETTINGS[p.replace(/^network\./, "")];
  return fieldName(p) ?? (key ? S[key] : null) ?? p;
}

/** ctx with its numbers as text, names in the page's words and lists joined: what a
 * template of S.problems takes. */
function wordsOf(ctx, path) {
  const namer = (CHOICE_NAMERS.find(([re]) => re.test(path)) || [null, (n) => n])[1];
  const out = {};
  for (const [key, value] of Object.entries(ctx && typeof ctx === "object" ? ctx : {})) {
    if (typeof value === "number") out[key] = ctxNumber(value);
    else if (Array.isArray(value) && (key === "choices" || key === "features")) {
      const names = value.map((v) => namer(String(v)));
      out[key] = names.join(S.problemList);
      if (key === "choices") out.choicesOr = names.join(S.problemOr);
    } else if (Array.isArray(value)) out[key] = value.map(ctxNumber).join(" × "); // a shape
    else if (typeof value === "string" || typeof value === "boolean") out[key] = value;
  }
  // A loss_needs_output's choices and given are activations, whatever the field.
  if (typeof ctx?.activation === "string") out.activation = S.activationName(ctx.activation);
  if (typeof ctx?.loss === "string") out.loss = S.lossName(ctx.loss);
  if (Array.isArray(ctx?.choices) && typeof ctx?.loss === "string" && typeof ctx?.given === "string") {
    out.choicesOr = ctx.choices.map((n) => S.activationName(n)).join(S.problemOr);
    out.given = S.activationName(ctx.given);
  } else if (typeof ctx?.given === "string") out.given = namer(ctx.given);
  if (typeof out.per === "string") out.per = Object.hasOwn(S.problemPer, out.per) ? S.problemPer[out.per] : undefined;
  return out;
}

// Pydantic's "Input should be a valid number": on this page "Input" would read as the input
// x, so the field's name stands in front of "should be" instead; paths in the text are named.
const PATH_IN_TEXT = /\b(?:network\.)?(?:weights|biases|input|target)(?:\[\d+\])+|\blearning_rate\b/g;
function cleanMessage(msg) {
  return String(msg ?? "")
    .replace(/^(Input|Value) should\b/, "should")
    .replace(/^Value error, /, "")
    .replace(PATH_IN_TEXT, (path) => fieldName(path) ?? path);
}

/** One problem {loc, field, msg, type, ctx} of a 4xx answer, in the page's language. */
export function problemText(problem) {
  if (!problem || typeof problem !== "object") return String(problem ?? "");
  const path = String(problem.field || locPath(problem.loc || [])).replace(/^body\./, "");
  const name = problemField(path);
  const template = Object.hasOwn(S.problems, problem.type) ? S.problems[problem.type] : null;
  if (typeof template === "function") {
    const text = template(wordsOf(problem.ctx, path), { named: !!name, msg: cleanMessage(problem.msg) });
    return name ? S.problemAt(name, text) : text;
  }
  const msg = cleanMessage(problem.msg); // a type this page does not know: the server's words
  if (!name) return msg;
  return msg.startsWith(`${name} `) ? msg : S.problemAt(name, msg);
}

/**
 * What a refused request (an ApiError: its `detail` is the API's) or any other error says,
 * in the page's language. Anything without a detail keeps its own message.
 */
export function lectureMessage(err) {
  if (err === null || err === undefined) return "";
  const detail = typeof err === "object" && "detail" in err ? err.detail : undefined;
  if (Array.isArray(detail) && detail.length) return detail.map(problemText).join(S.problemSeparator);
  if (typeof detail === "string" && detail) return detail;
  return err instanceof Error || (typeof err === "object" && "message" in err) ? String(err.message) : String(err);
}

/** A training stream's diverged or error event, in the page's language (its `code`). */
export function streamProblemText(event) {
  const words = Object.hasOwn(S.streamCodes, event.code) ? S.streamCodes[event.code] : null;
  const why = typeof words === "function" ? words(wordsOf(event.ctx, "")) : event.reason;
  return S.trainProblem(event.type, why);
}
