// The training stream, fetched and parsed off the page's thread: a module worker that POSTs
// /train/stream, cuts the NDJSON into events and posts each chunk's events to the page
// together, the pictures' lattices as transferred Float32Arrays (lattice.js). JSON.parse of a
// 50 × 50 boundary and a network every report no longer takes frames from the drawing.
//
// Messages in:  {type: "start", id, url, init}  (init: a fetch init without signal)
//               {type: "abort", id}
// Messages out: {type: "ready"} once loaded; {type: "events", id, events};
//               {type: "end", id}; {type: "refused", id, status, detail, retryAfter} (an
//               HTTP error, a 503 once its retries are spent); {type: "failed", id, lost,
//               message} (the network failed, or the body broke off: `lost`), or anything else.

import { ApiError, ConnectionError, ServerError, fetchAnswer, readNdjson } from "../page/api.js";
import { packLattices } from "./lattice.js";

const streams = new Map(); // id → AbortController

async function start({ id, url, init }) {
  const controller = new AbortController();
  streams.set(id, controller);
  try {
    const response = await fetchAnswer(url, { ...init, signal: controller.signal });
    await readNdjson(response, (events) => {
      if (controller.signal.aborted) return;
      const transfer = [];
      for (const event of events) packLattices(event, transfer);
      self.postMessage({ type: "events", id, events }, transfer);
    });
    if (!controller.signal.aborted) self.postMessage({ type: "end", id });
  } catch (err) {
    if (controller.signal.aborted) return;
    if (err instanceof ApiError || err instanceof ServerError) {
      self.postMessage({ type: "refused", id, status: err.status, detail: err.detail ?? null, retryAfter: err.retryAfter ?? null });
    } else {
      const lost = err instanceof ConnectionError ? err.lost : null;
      self.postMessage({ type: "failed", id, lost, message: String(err && err.message) });
    }
  } finally {
    streams.delete(id);
  }
}

self.onmessage = ({ data }) => {
  if (data.type === "start") start(data);
  else if (data.type === "abort") {
    streams.get(data.id)?.abort();
    streams.delete(data.id);
  }
};
self.postMessage({ type: "ready" });
