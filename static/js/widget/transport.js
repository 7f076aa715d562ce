// The notebook widget's transport (api.js's setTransport): each request of the page goes to
// the kernel as a message and its answer comes back as messages (the head, then each body
// chunk as the kernel's app writes it, then the end), made into a real Response, so that
// api.js's error classes, 503 retry and NDJSON reading are the same as over HTTP.
// The kernel's side: app/notebook/widget.py (the same ASGI app that answers HTTP, in process).

// Statuses whose Response has no body (the constructor refuses one).
const NO_BODY = new Set([101, 204, 205, 304]);

/**
 * @param {{send: Function, on: Function}} model  anywidget's model
 * @returns {(url: string, init?: object) => Promise<Response>}
 */
export function kernelTransport(model) {
  let lastId = 0;
  const open = new Map(); // id → {resolve, reject, controller}

  model.on("msg:custom", (msg, buffers) => {
    const request = msg && typeof msg.id === "string" ? open.get(msg.id) : null;
    if (!request) return;
    if (msg.kind === "response") {
      const headers = new Headers(msg.headers);
      if (NO_BODY.has(msg.status)) {
        open.delete(msg.id);
        request.resolve(new Response(null, { status: msg.status, headers }));
        return;
      }
      const body = new ReadableStream({
        start(controller) {
          request.controller = controller;
        },
        cancel() {
          model.send({ kind: "abort", id: msg.id });
          open.delete(msg.id);
        },
      });
      request.resolve(new Response(body, { status: msg.status, headers }));
    } else if (msg.kind === "chunk") {
      const view = buffers && buffers[0];
      if (view) request.controller?.enqueue(new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice());
    } else if (msg.kind === "end") {
      open.delete(msg.id);
      request.controller?.close();
    } else if (msg.kind === "failed") {
      // The kernel's app raised (a bug), or the kernel stopped: a network error, as fetch's.
      open.delete(msg.id);
      const err = new TypeError(msg.message || "the kernel did not answer");
      if (request.controller) request.controller.error(err);
      else request.reject(err);
    }
  });

  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const signal = init.signal;
      const aborted = () => new DOMException("The request was stopped.", "AbortError");
      if (signal?.aborted) return reject(aborted());
      const id = `r${++lastId}`;
      const request = { resolve, reject, controller: null };
      open.set(id, request);
      signal?.addEventListener(
        "abort",
        () => {
          if (!open.has(id)) return;
          open.delete(id);
          model.send({ kind: "abort", id });
          if (request.controller) request.controller.error(aborted());
          else reject(aborted());
        },
        { once: true },
      );
      const where = new URL(url, "http://kernel.invalid/");
      model.send({
        kind: "request",
        id,
        method: init.method || "GET",
        path: where.pathname + where.search,
        headers: Object.fromEntries(new Headers(init.headers || {})),
        body: typeof init.body === "string" ? init.body : null,
      });
    });
}
