// Which output layer fits the data, pure (node tests it): two classes want one neuron whose
// a is a probability, k ≥ 3 classes want k neurons that share one, values want a as it is.
// The names come from the server's capabilities (GET /capabilities: each loss says which
// output activations it fits and whether its targets lie in [0, 1]; softmax is the one
// activation that is output_only), so the page decides the encoding, never the math.
// Also: where a refused point came from (a CSV's line and column, or "point 5").

/** The identity output for values: its a is its z (the capabilities carry no "identity" flag). */
const VALUE_ACTIVATION = "linear";

/**
 * Whether labels name classes (whole numbers from 0) rather than values to regress: a class
 * is an output neuron, so there are at most `maxClasses` (the server's max_neurons).
 */
export function areClasses(labels, maxClasses = Infinity) {
  return labels.length > 0 && labels.every((v) => Number.isInteger(v) && v >= 0 && v < maxClasses);
}

/** What labels are: {kind: "classification", classes: k} (at least 2), or values. */
export function dataKindOf(labels, maxClasses = Infinity) {
  if (!areClasses(labels, maxClasses)) return { kind: "regression", classes: null };
  return { kind: "classification", classes: Math.max(2, ...labels.map((k) => k + 1)) };
}

const restricted = (loss) => Array.isArray(loss.output_activations) && loss.output_activations.length > 0;

/** Whether a loss (a capabilities row) fits an output activation. */
export function lossFits(loss, activation) {
  return !!loss && (!restricted(loss) || loss.output_activations.includes(activation));
}

/**
 * The output layer a data set needs, from the capabilities {activations, losses}:
 * {size, activation, loss} where `loss` is the one made for it, and `keeps(name)` says
 * whether a loss the network already has may stay.
 *   values:      one linear neuron; the first loss that fits it and takes targets outside
 *                [0, 1] (squared error).
 *   k ≥ 3:       k neurons of the output-only activation (softmax) with the loss made for
 *                it alone (cross-entropy).
 *   two classes: one neuron with the loss whose targets lie in [0, 1] on an activation
 *                that hidden layers may have too (binary cross-entropy), and that activation
 *                (sigmoid).
 */
export function outputFor({ kind, classes }, { activations = [], losses = [] } = {}) {
  const outputOnly = new Set(activations.filter((a) => a.output_only).map((a) => a.name));
  if (kind === "regression") {
    const takesValues = (l) => !!l && !l.targets_in_unit_interval && lossFits(l, VALUE_ACTIVATION);
    const loss = losses.find(takesValues);
    return {
      size: 1,
      activation: VALUE_ACTIVATION,
      loss: loss && loss.name,
      keeps: (name) => takesValues(losses.find((x) => x.name === name)),
    };
  }
  const multi = classes && classes > 2;
  const made = multi
    ? losses.find((l) => restricted(l) && l.output_activations.every((a) => outputOnly.has(a)))
    : losses.find((l) => l.targets_in_unit_interval && restricted(l) && l.output_activations.some((a) => !outputOnly.has(a)));
  const activation = made && made.output_activations.find((a) => multi === outputOnly.has(a));
  return {
    size: multi ? classes : 1,
    activation,
    loss: made && made.name,
    keeps: (name) => lossFits(losses.find((x) => x.name === name), activation),
  };
}

/** The identity map of layers 0…L: layer k of the new network is layer k of the old. */
const sameLayers = (n) => Array.from({ length: n }, (_, k) => k);

/**
 * The network with one input neuron per feature and an output layer that fits the data.
 * Returns {network, changed, map, output}:
 *   changed  the shape or the output activation changed: the weights and biases are dropped
 *            (the server draws the new shape, POST /network) and `map` says which old layer
 *            each new one is for copying back the ones that still fit (editor.js
 *            keptParameters): every layer is itself, except an output layer whose activation
 *            changed, whose incoming weights and biases are all fresh (a sigmoid's weights
 *            mean nothing to softmax). Class j stays neuron j when only k changes.
 *   output   {size, activation, loss, inputs} when the output layer changed (for the note),
 *            else null; `inputs` is true when the input layer changed too.
 */
export function fitNetwork(network, features, info, capabilities) {
  const out = outputFor(info, capabilities);
  const net = structuredClone(network);
  const L = net.layers.length - 1;
  const map = sameLayers(net.layers.length);
  const inputs = net.layers[0] !== features.length;
  net.layers[0] = features.length;
  const newActivation = out.activation && net.activations[L - 1] !== out.activation;
  const resized = net.layers[L] !== out.size;
  if (newActivation) {
    net.activations[L - 1] = out.activation;
    map[L] = null;
  }
  net.layers[L] = out.size;
  if (out.loss && (newActivation || !out.keeps(net.loss))) net.loss = out.loss;
  const changed = inputs || resized || !!newActivation;
  if (changed) {
    delete net.weights;
    delete net.biases;
  }
  const output = resized || newActivation ? { size: out.size, activation: net.activations[L - 1], loss: net.loss, inputs } : null;
  return { network: net, changed, map, output };
}

/**
 * Where a cell of the user's points came from, for a message: {line, column, name} of its
 * CSV cell, or {point, name} (1-based) for a point clicked on the plane. `cell` is
 * {index, input} (input k of point index), {index, label: true}, or {index} (the whole
 * point: no column). `points.lines[i]` is the CSV line of point i (null: clicked);
 * `points.columns` the CSV's header names.
 */
export function pointPlace(points, { index, input = null, label = false }) {
  const width = points && points.x && points.x[0] ? points.x[0].length : 2;
  const columns = (points && points.columns) || [...Array.from({ length: width }, (_, i) => `x${i + 1}`), "label"];
  const column = label ? columns.length - 1 : input !== null && input < columns.length - 1 ? input : null;
  const line = points && Array.isArray(points.lines) ? points.lines[index] : null;
  const where = line ? { line } : { point: index + 1 };
  return column === null ? where : { ...where, column: column + 1, name: columns[column] };
}

/**
 * The cell of the user's points an API problem's field names: dataset.x[i][k] → {index: i,
 * input: k}, dataset.y[i][…] → {index: i, label: true} (a target row comes from the label),
 * dataset.x[i] → {index: i}; any other field → null.
 */
export function pointField(field) {
  const m = /^dataset\.(x|y)\[(\d+)\](?:\[(\d+)\])?$/.exec(String(field || ""));
  if (!m) return null;
  const index = Number(m[2]);
  if (m[1] === "y") return { index, label: true };
  return m[3] === undefined ? { index } : { index, input: Number(m[3]) };
}
