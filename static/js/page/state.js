// Edits of a trace request (the body POST /api/v1/trace takes): each returns a new request
// and leaves its argument untouched. The API validates the result before the store takes it.

const clone = (x) => structuredClone(x);

// ---- edits: each returns a new request, leaving the argument untouched -------------------

export function withWeight(req, l, j, i, value) {
  const next = clone(req);
  next.network.weights[l][j][i] = value;
  return next;
}

export function withBias(req, l, j, value) {
  const next = clone(req);
  next.network.biases[l][j] = value;
  return next;
}

export function withInput(req, i, value) {
  const next = clone(req);
  next.input[i] = value;
  return next;
}

export function withTarget(req, j, value) {
  const next = clone(req);
  next.target[j] = value;
  return next;
}

export function withField(req, key, value) {
  const next = clone(req);
  next[key] = value;
  return next;
}

/** A network spec without weights and biases: POST /network refills them from init + seed. */
export function withoutParameters(network) {
  const spec = clone(network);
  delete spec.weights;
  delete spec.biases;
  return spec;
}

/** New layer sizes: keep input and target the right length (new entries 0). */
export function withLayers(req, layers, activations) {
  const next = clone(req);
  next.network = withoutParameters(next.network);
  next.network.layers = layers;
  next.network.activations = activations;
  next.input = resize(next.input, layers[0]);
  next.target = resize(next.target, layers[layers.length - 1]);
  return next;
}

function resize(values, n) {
  const out = values.slice(0, n);
  while (out.length < n) out.push(0);
  return out;
}
