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

/** The absolute URL of an API path (a worker has no page to resolve a relative one against). */
export const apiUrl = (path) => new URL(apiBase() + path, globalThis.location.href).href;

/** The fetch init of a request to the API. */
export function requestInit({ method = "GET", body, signal, accept = "application/json" } = {}) {
  const init = { method, signal, headers: { Accept: accept } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return init;
}

/** What a refused answer said: its status and the API's detail (or the status text). */
export async function refusal(response) {
  let detail = null;
  try {
    detail = (await response.json()).detail;
  } catch {
    detail = response.statusText;
  }
  return { status: response.status, detail };
}

async function request(path, options = {}) {
  const response = await fetch(apiBase() + path, requestInit(options));
  if (!response.ok) {
    const { status, detail } = await refusal(response);
    throw new ApiError(status, detail);
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
/** POST /train/stream on this thread: each chunk's events to onEvents (an array). */
export const streamTrainEvents = (body, onEvents, signal) => streamNdjsonEvents("train/stream", body, onEvents, signal);

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

/**
 * Read a response's NDJSON body: the complete events of each chunk that arrives go to
 * onEvents together, as one array (a reader that paints once a frame folds them all first).
 */
export async function readNdjson(response, onEvents) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const lines = ndjsonSplitter();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const events = lines.push(value);
    if (events.length) onEvents(events);
  }
  const rest = lines.end();
  if (rest.length) onEvents(rest);
}

/** POST `path` and hand each chunk's NDJSON events to onEvents (an array); resolves at the end. */
export async function streamNdjsonEvents(path, body, onEvents, signal) {
  const response = await request(path, { method: "POST", body, signal, accept: "application/x-ndjson" });
  await readNdjson(response, onEvents);
}

/** POST `path` and hand each NDJSON event to onEvent as its line arrives; resolves at the end. */
export const streamNdjson = (path, body, onEvent, signal) =>
  streamNdjsonEvents(path, body, (events) => events.forEach((e) => onEvent(e)), signal);
