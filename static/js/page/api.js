// The REST client: every number the page shows comes from these calls (the server's trace
// is the only truth; the page never recomputes the math).

import { S } from "../text/strings.js";

// The template names the API root (it knows the mount point); "/api/v1/" when served at /.
// Read when first needed, so that the module imports without a DOM (node's unit tests).
let base = null;
const apiBase = () => (base ??= (globalThis.document && document.body.dataset.api) || "/api/v1/");

// A 503 (the server's stream cap) is asked again after its Retry-After, this many times in all.
const BUSY_TRIES = 5;
const MAX_RETRY_AFTER_S = 30;

// Three ways a request fails, told apart by class: ApiError (4xx: the server refused, its
// `detail` says why), ServerError (5xx: it failed, or is busy) and ConnectionError (no answer,
// or an answer that broke off). Only an ApiError has a `detail`; the other two say what
// happened in the page's language (their `message` is read when shown, in the language then).

/** A refused request (4xx), carrying the API's own message(s). */
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

/** The server failed (5xx), or is busy (503, with the seconds it asks to wait in `retryAfter`). */
export class ServerError extends Error {
  constructor(status, retryAfter = null) {
    super();
    this.name = "ServerError";
    this.status = status;
    this.retryAfter = retryAfter;
  }

  get message() {
    return this.status === 503 ? S.serverBusy : S.serverFailed(this.status);
  }
}

/** The network failed: no answer (`lost` false), or a stream that broke off before its end. */
export class ConnectionError extends Error {
  constructor({ lost = false, cause = null } = {}) {
    super();
    this.name = "ConnectionError";
    this.lost = lost;
    this.cause = cause;
  }

  get message() {
    return this.lost ? S.connectionLost : S.connectionFailed;
  }
}

/** The error of an HTTP answer that was not ok: an ApiError for a 4xx, else a ServerError. */
export function httpError(status, detail, retryAfter = null) {
  return status >= 400 && status < 500 ? new ApiError(status, detail) : new ServerError(status, retryAfter);
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

// Where requests go: fetch, unless an entry swaps it (the notebook widget, widget/widget.js:
// the kernel answers them, widget/transport.js). Whatever answers must give a real Response: the error
// classes, the 503 retry and the NDJSON reading below stay the same for every transport.
const byFetch = (url, init) => fetch(url, init);
let transport = byFetch;

/** Send every request of the page through `fn(url, init) → Promise<Response>` (null: fetch). */
export function setTransport(fn) {
  transport = fn || byFetch;
}

/** Whether requests go somewhere other than fetch (a worker, which has only fetch, cannot reach it). */
export const ownTransport = () => transport !== byFetch;

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

/** The seconds a 503's Retry-After asks for (a number or an HTTP date), within reason. */
function retryAfterOf(response) {
  const raw = response.headers.get("Retry-After");
  let s = Number(raw);
  if (raw && !Number.isFinite(s)) s = (Date.parse(raw) - Date.now()) / 1000;
  return Number.isFinite(s) ? Math.min(Math.max(s, 0), MAX_RETRY_AFTER_S) : 1;
}

function wait(seconds, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException("The request was stopped.", "AbortError"));
    const id = setTimeout(resolve, seconds * 1000);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(id);
        reject(new DOMException("The request was stopped.", "AbortError"));
      },
      { once: true },
    );
  });
}

/**
 * fetch (or the page's transport), with its failures as the three classes above: a 503 is
 * asked again after its Retry-After (a busy server is not a failure), a network error is a
 * ConnectionError.
 */
export async function fetchAnswer(url, init) {
  for (let attempt = 1; ; attempt++) {
    let response;
    try {
      response = await transport(url, init);
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new ConnectionError({ cause: err });
    }
    if (response.ok) return response;
    const retryAfter = response.status === 503 ? retryAfterOf(response) : null;
    const { status, detail } = await refusal(response);
    if (status === 503 && attempt < BUSY_TRIES) {
      await wait(retryAfter, init.signal);
      continue;
    }
    throw httpError(status, detail, retryAfter);
  }
}

const request = (path, options = {}) => fetchAnswer(apiBase() + path, requestInit(options));

const json = async (path, options) => (await request(path, options)).json();

export const getCapabilities = () => json("capabilities");
export const getPresets = () => json("presets");
export const getPreset = (name) => json(`presets/${encodeURIComponent(name)}`);
/** Fill in (init + seed) and validate a network spec; 422 → ApiError with the API's message. */
export const postNetwork = (spec, signal) => json("network", { method: "POST", body: spec, signal });
export const postTrace = (req, signal) => json("trace", { method: "POST", body: req, signal });
/** The request as a standalone PyTorch script, written by the server (docs/export.md). */
export const postExportPytorch = async (req, signal) =>
  (await request("export/pytorch", { method: "POST", body: req, signal, accept: "text/x-python" })).text();
// The exercises (docs/exercises.md): the list, a seed's variant (no expected value in it)
// and the server's check of the answers.
export const getExercises = () => json("exercises");
export const postExercise = (id, seed) => json(`exercises/${encodeURIComponent(id)}`, { method: "POST", body: { seed } });
// `lti`: a course launch's grade token (docs/lti.md): the server posts the score to the course.
export const postExerciseCheck = (id, seed, answers, lti = null) =>
  json(`exercises/${encodeURIComponent(id)}/check`, { method: "POST", body: lti ? { seed, answers, lti } : { seed, answers } });
// The gradient's cost (the tour's chapter 2): finite differences against backpropagation,
// counted and timed by the server, for a network and for a sweep of sizes.
export const postCost = (req, signal) => json("cost", { method: "POST", body: req, signal });
export const getCostSweep = (signal) => json("cost/sweep", { signal });
export const postGradcheck = (req, signal) =>
  json("gradcheck", { method: "POST", body: req, signal });

/**
 * POST /trace/stream and hand each NDJSON event to onEvent as soon as its line arrives.
 * Resolves when the stream ends (with or without its done event: the caller knows which it
 * needs); rejects with ApiError on a refused request, ServerError or ConnectionError.
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
    let chunk;
    try {
      chunk = await reader.read();
    } catch (err) {
      if (err && err.name === "AbortError") throw err;
      throw new ConnectionError({ lost: true, cause: err }); // the body broke off
    }
    if (chunk.done) break;
    const events = lines.push(chunk.value);
    if (events.length) onEvents(events);
  }
  let rest;
  try {
    rest = lines.end();
  } catch (err) {
    throw new ConnectionError({ lost: true, cause: err }); // cut inside its last line
  }
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
