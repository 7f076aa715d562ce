// The REST client: every number the page shows comes from these calls (the server's trace
// is the only truth; the page never recomputes the math).

// The template names the API root (it knows the mount point); "/api/v1/" when served at /.
// Read when first needed, so that the module imports without a DOM (node's unit tests).
let base = null;
const apiBase = () => (base ??= (globalThis.document && document.body.dataset.api) || "/api/v1/");

/** A refused request, carrying the API's own message(s). */
export class ApiError extends Error {
  constructor(status, detail) {
    super(describe(detail) || `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }

  /** The first problem's field path, e.g. "network.weights[0][1][0]", if the API named one. */
  get field() {
    const first = Array.isArray(this.detail) ? this.detail[0] : null;
    return first && (first.field || (first.loc || []).filter((p) => p !== "body").join("."));
  }
}

function describe(detail) {
  if (!detail) return "";
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((d) => {
        const where = d.field || (d.loc || []).filter((p) => p !== "body").join(".");
        return where ? `${where}: ${d.msg}` : d.msg;
      })
      .join("; ");
  }
  return JSON.stringify(detail);
}

async function request(path, { method = "GET", body, signal, accept = "application/json" } = {}) {
  const init = { method, signal, headers: { Accept: accept } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(apiBase() + path, init);
  if (!response.ok) {
    let detail = null;
    try {
      detail = (await response.json()).detail;
    } catch {
      detail = response.statusText;
    }
    throw new ApiError(response.status, detail);
  }
  return response;
}

const json = async (path, options) => (await request(path, options)).json();

export const getCapabilities = () => json("capabilities");
export const getPresets = () => json("presets");
export const getPreset = (name) => json(`presets/${encodeURIComponent(name)}`);
/** Fill in (init + seed) and validate a network spec; 422 → ApiError with the API's message. */
export const postNetwork = (spec, signal) => json("network", { method: "POST", body: spec, signal });
export const postTrace = (req, signal) => json("trace", { method: "POST", body: req, signal });
export const postGradcheck = (req, signal) =>
  json("gradcheck", { method: "POST", body: req, signal });

/**
 * POST /trace/stream and hand each NDJSON event to onEvent as soon as its line arrives.
 * Resolves when the stream ends; rejects with ApiError on a refused request.
 */
export const streamTrace = (req, onEvent, signal) => streamNdjson("trace/stream", req, onEvent, signal);

// ---- training (docs/training.md) -----------------------------------------------------------

/** The split a training run will use, every point's network input and target made by the server. */
export const postDataset = (body, signal) => json("dataset", { method: "POST", body, signal });
/** The lecture's lⁿ and L over a mini-batch, each example's gradients, θ after one step. */
export const postTraceBatch = (body, signal) => json("trace/batch", { method: "POST", body, signal });
/** POST /train/stream: each event (start, epoch, snapshot, diverged, error, done) to onEvent. */
export const streamTrain = (body, onEvent, signal) => streamNdjson("train/stream", body, onEvent, signal);

/**
 * Cut a growing text into NDJSON lines: push(chunk) returns the complete lines' objects,
 * end() whatever the last line held (a stream may end without a newline).
 */
export function ndjsonSplitter() {
  let buffer = "";
  const parse = (line) => (line.trim() ? [JSON.parse(line)] : []);
  return {
    push(chunk) {
      buffer += chunk;
      const out = [];
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        out.push(...parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
      }
      return out;
    },
    end() {
      const rest = buffer;
      buffer = "";
      return parse(rest);
    },
  };
}

/** POST `path` and hand each NDJSON event to onEvent as its line arrives; resolves at the end. */
export async function streamNdjson(path, body, onEvent, signal) {
  const response = await request(path, { method: "POST", body, signal, accept: "application/x-ndjson" });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const lines = ndjsonSplitter();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    for (const event of lines.push(value)) onEvent(event);
  }
  for (const event of lines.end()) onEvent(event);
}
