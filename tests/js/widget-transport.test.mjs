// static/js/widget/transport.js in node, on a fake anywidget model: a request goes out as one
// message, its answer's messages become a real Response, and api.js reads it as it reads
// fetch's (errors as its classes, the 503 asked again, NDJSON as its chunks arrive, an abort).

import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, fetchAnswer, readNdjson, setTransport } from "../../static/js/page/api.js";
import { kernelTransport } from "../../static/js/widget/transport.js";

/** anywidget's model, as far as the transport uses it: send() is recorded, kernel() answers. */
function fakeModel() {
  const listeners = [];
  const model = {
    sent: [],
    send(msg) {
      model.sent.push(msg);
      model.onSend?.(msg);
    },
    on(name, fn) {
      assert.equal(name, "msg:custom");
      listeners.push(fn);
    },
    kernel(msg, buffers = []) {
      const views = buffers.map((b) => new DataView(new TextEncoder().encode(b).buffer));
      for (const fn of listeners) fn(msg, views);
    },
  };
  return model;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test("a request is one message, and its answer a Response", async () => {
  const model = fakeModel();
  const transport = kernelTransport(model);
  const pending = transport("/api/v1/trace?x=1", {
    method: "POST",
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: '{"a":1}',
  });
  assert.equal(model.sent.length, 1);
  const [msg] = model.sent;
  assert.deepEqual(
    { ...msg, id: undefined },
    {
      kind: "request",
      id: undefined,
      method: "POST",
      path: "/api/v1/trace?x=1",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: '{"a":1}',
    },
  );
  model.kernel({ kind: "response", id: "other", status: 500, headers: [] }); // not ours: ignored
  model.kernel({ kind: "response", id: msg.id, status: 200, headers: [["content-type", "application/json"]] });
  model.kernel({ kind: "chunk", id: msg.id }, ['{"loss":']);
  model.kernel({ kind: "chunk", id: msg.id }, ["0.25}"]);
  model.kernel({ kind: "end", id: msg.id });
  const response = await pending;
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "application/json");
  assert.deepEqual(await response.json(), { loss: 0.25 });
});

test("api.js reads the kernel's answers as fetch's: a refusal is an ApiError, a 503 is asked again", async () => {
  const model = fakeModel();
  let asked = 0;
  model.onSend = (msg) =>
    queueMicrotask(() => {
      asked++;
      if (asked === 1) {
        model.kernel({ kind: "response", id: msg.id, status: 503, headers: [["retry-after", "0"]] });
        model.kernel({ kind: "chunk", id: msg.id }, ['{"detail":"busy"}']);
      } else {
        const detail = [{ loc: ["body", "learning_rate"], field: "learning_rate", msg: "η must be > 0", type: "x" }];
        model.kernel({ kind: "response", id: msg.id, status: 422, headers: [["content-type", "application/json"]] });
        model.kernel({ kind: "chunk", id: msg.id }, [JSON.stringify({ detail })]);
      }
      model.kernel({ kind: "end", id: msg.id });
    });
  setTransport(kernelTransport(model));
  try {
    await assert.rejects(fetchAnswer("/api/v1/trace", { method: "POST", headers: {} }), (err) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.status, 422);
      assert.equal(err.field, "learning_rate");
      return true;
    });
    assert.equal(asked, 2);
  } finally {
    setTransport(null);
  }
});

test("an NDJSON stream's events arrive as their chunks do, before its end", async () => {
  const model = fakeModel();
  const response = kernelTransport(model)("/api/v1/train/stream", { method: "POST" });
  const { id } = model.sent[0];
  model.kernel({ kind: "response", id, status: 200, headers: [["content-type", "application/x-ndjson"]] });
  const seen = [];
  const reading = readNdjson(await response, (events) => seen.push(...events.map((e) => e.type)));
  model.kernel({ kind: "chunk", id }, ['{"type":"start"}\n{"type":"ep']);
  await tick();
  assert.deepEqual(seen, ["start"]); // the rest of a line waits for its end
  model.kernel({ kind: "chunk", id }, ['och"}\n']);
  await tick();
  assert.deepEqual(seen, ["start", "epoch"]);
  model.kernel({ kind: "chunk", id }, ['{"type":"done"}']);
  model.kernel({ kind: "end", id });
  await reading;
  assert.deepEqual(seen, ["start", "epoch", "done"]);
});

test("an abort tells the kernel and rejects as fetch does; a failed kernel is a network error", async () => {
  const model = fakeModel();
  const transport = kernelTransport(model);
  const stop = new AbortController();
  const pending = transport("/api/v1/trace/stream", { method: "POST", signal: stop.signal });
  stop.abort();
  await assert.rejects(pending, { name: "AbortError" });
  assert.deepEqual(model.sent[1], { kind: "abort", id: model.sent[0].id });

  const failing = transport("/api/v1/presets", {});
  model.kernel({ kind: "failed", id: model.sent[2].id, message: "RuntimeError('boom')" });
  await assert.rejects(failing, TypeError);

  const empty = transport("/api/v1/x", { method: "DELETE" });
  model.kernel({ kind: "response", id: model.sent[3].id, status: 204, headers: [] });
  assert.equal((await empty).body, null);
});
