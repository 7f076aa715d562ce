// The one piece of page state that matters: the trace request being edited (the same body
// POST /api/v1/trace takes), plus what the server says is possible (capabilities).
// Edits produce a new request; the API validates it before it replaces the current one.

const clone = (x) => structuredClone(x);

export class Store {
  constructor() {
    this.capabilities = null;
    this.request = null; // {network, input, target, learning_rate, freeze_biases}
    this.presetName = null; // the preset the request came from, until it is edited
    this.listeners = new Set();
  }

  /** A deep copy of the current trace request (what window.backpropViz.state() returns). */
  snapshot() {
    return clone(this.request);
  }

  set(request, { presetName = null } = {}) {
    this.request = clone(request);
    this.presetName = presetName;
    for (const fn of this.listeners) fn(this.request);
  }

  subscribe(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  // What the server allows, straight from GET /capabilities.
  get limits() {
    return this.capabilities.limits;
  }

  activationNames({ output }) {
    return this.capabilities.activations
      .filter((a) => output || !a.output_only)
      .map((a) => a.name);
  }

  activation(name) {
    return this.capabilities.activations.find((a) => a.name === name);
  }

  lossInfo(name) {
    return this.capabilities.losses.find((l) => l.name === name);
  }

  /** Output activations a loss accepts (null or missing: any). */
  lossFits(lossName, outputActivation) {
    const info = this.lossInfo(lossName);
    const allowed = info && info.output_activations;
    return !allowed || allowed.length === 0 || allowed.includes(outputActivation);
  }
}

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
