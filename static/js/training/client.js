// One training stream at a time: POST /api/v1/train/stream, each chunk's events handed on
// together as they arrive, cancelled with an AbortController when a new one starts (η,
// regularisation or batch size changed, pause, reset).
//
// The stream is fetched and parsed in a module worker (stream-worker.js) when the page can
// have one, so that parsing never takes a frame from the drawing. A page that cannot (a
// sandboxed frame with an opaque origin: constructing the worker throws, or its script does
// not load) reads the stream on its own thread instead, with the same events.

import { ConnectionError, apiUrl, httpError, ownTransport, requestInit, streamTrainEvents } from "../page/api.js";
import { S } from "../text/strings.js";

/** The worker could not run this stream (it never loaded): read it on the page's thread. */
class WorkerUnavailable extends Error {}

const aborted = () => new DOMException("The stream was stopped.", "AbortError");

/** The page's one stream worker; several streams (a run and a preview) share it by id. */
class StreamWorker {
  constructor() {
    this.worker = new Worker(new URL("./stream-worker.js", import.meta.url), { type: "module" });
    this.broken = false;
    this.streams = new Map(); // id → {onEvents, resolve, reject, heard}
    this.nextId = 1;
    this.worker.onmessage = (ev) => this.#message(ev.data);
    this.worker.onerror = (ev) => {
      ev.preventDefault();
      this.#broke(ev.message);
    };
  }

  /** Run one stream; resolves at its end, rejects as streamTrainEvents would (or WorkerUnavailable). */
  run(body, onEvents, signal) {
    return new Promise((resolve, reject) => {
      if (this.broken) return reject(new WorkerUnavailable());
      if (signal && signal.aborted) return reject(aborted());
      const id = this.nextId++;
      const stream = { onEvents, resolve, reject, heard: false, stop: () => {} };
      if (signal) {
        const stop = () => {
          if (!this.streams.delete(id)) return;
          this.worker.postMessage({ type: "abort", id });
          reject(aborted());
        };
        signal.addEventListener("abort", stop, { once: true });
        stream.stop = () => signal.removeEventListener("abort", stop);
      }
      this.streams.set(id, stream);
      const init = requestInit({ method: "POST", body, accept: "application/x-ndjson" });
      this.worker.postMessage({ type: "start", id, url: apiUrl("train/stream"), init });
    });
  }

  #message(msg) {
    const stream = this.streams.get(msg.id);
    if (!stream) return; // "ready", or a stopped stream's last chunk
    if (msg.type === "events") {
      stream.heard = true;
      try {
        stream.onEvents(msg.events);
      } catch (err) {
        this.#settle(msg.id, stream);
        this.worker.postMessage({ type: "abort", id: msg.id });
        stream.reject(err);
      }
      return;
    }
    this.#settle(msg.id, stream);
    if (msg.type === "end") stream.resolve();
    else if (msg.type === "refused") stream.reject(httpError(msg.status, msg.detail, msg.retryAfter));
    else if (msg.lost !== null && msg.lost !== undefined) stream.reject(new ConnectionError({ lost: msg.lost }));
    else stream.reject(new Error(msg.message || S.streamBroke));
  }

  #settle(id, stream) {
    this.streams.delete(id);
    stream.stop();
  }

  /** The worker failed (its script did not load, or it threw): streams it never served go to the page's thread. */
  #broke(message) {
    this.broken = true;
    this.worker.terminate();
    for (const [id, stream] of this.streams) {
      this.#settle(id, stream);
      stream.reject(stream.heard ? new Error(message || S.streamWorkerFailed) : new WorkerUnavailable());
    }
  }
}

let shared; // undefined: not made yet; null: this page reads streams on its own thread

/**
 * The stream worker, or null when the page cannot have one, when `backpropVizNoWorker` is set,
 * or when the page's requests do not go through fetch (the notebook widget's kernel).
 */
function streamWorker() {
  if (globalThis.backpropVizNoWorker) return null; // a test's switch to the fallback
  if (ownTransport()) return null; // the worker fetches; the page's transport is on this thread
  if (shared === undefined) {
    try {
      shared = globalThis.Worker ? new StreamWorker() : null;
    } catch {
      shared = null; // a sandboxed frame with an opaque origin may not start a worker
    }
  }
  if (shared && shared.broken) shared = null;
  return shared;
}

/**
 * POST /train/stream, each chunk's events to onEvents (an array), in the worker when there is
 * one. `onReader("worker" | "main")` says which read it. Resolves at the end of the stream.
 */
export async function streamTrainAnywhere(body, onEvents, signal, onReader = () => {}) {
  const worker = streamWorker();
  if (worker) {
    try {
      onReader("worker");
      return await worker.run(body, onEvents, signal);
    } catch (err) {
      if (!(err instanceof WorkerUnavailable)) throw err;
    }
  }
  onReader("main");
  return streamTrainEvents(body, onEvents, signal);
}

export class TrainingStream {
  constructor({ stream = streamTrainAnywhere } = {}) {
    this.stream = stream;
    this.controller = null;
    this.token = 0;
    this.reader = null; // "worker" or "main": where the last stream was read
  }

  get running() {
    return !!this.controller;
  }

  /**
   * Start a run (stopping the one before); onEvents gets the events in order, a chunk's
   * together. Resolves with its `done` event, or null when it was stopped first; rejects with
   * an ApiError when the request is refused, a ServerError, or a ConnectionError when the
   * network failed or the stream ended without its done event (a proxy's timeout, a restart).
   */
  async start(body, onEvents) {
    this.abort();
    const controller = new AbortController();
    const token = ++this.token;
    this.controller = controller;
    let done = null;
    try {
      await this.stream(
        body,
        (events) => {
          if (token !== this.token) return; // a stopped run's last lines
          for (const event of events) if (event.type === "done") done = event;
          onEvents(events);
        },
        controller.signal,
        (reader) => {
          this.reader = reader;
        },
      );
    } catch (err) {
      if (err.name === "AbortError" || token !== this.token) return null;
      throw err;
    } finally {
      if (this.token === token) this.controller = null;
    }
    if (token !== this.token) return null;
    if (!done) throw new ConnectionError({ lost: true });
    return done;
  }

  /** Stop the running stream, if any; its remaining events are dropped. */
  abort() {
    this.token++;
    if (this.controller) this.controller.abort();
    this.controller = null;
  }
}
