// static/js/player/checked.js: the events a check brought are played for that request only,
// complete ones only, and only the last two requests' are kept.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { keepEvents, keptEvents, keptOr } from "../../static/js/player/checked.js";

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const request = fixture("worked-example-request.json");
const EVENTS = fixture("worked-example-events.json");
const withEta = (eta) => ({ ...structuredClone(request), learning_rate: eta });

/** A stream that records that it was asked, and sends one event. */
function server(calls) {
  return async (req, onEvent) => {
    calls.push(req);
    onEvent({ type: "done", loss: -1 });
  };
}

test("a kept request plays its events without asking the server", async () => {
  keepEvents(withEta(0.5), EVENTS);
  const calls = [];
  const heard = [];
  await keptOr(server(calls))(withEta(0.5), (e) => heard.push(e));
  assert.deepEqual(calls, []);
  assert.deepEqual(heard, EVENTS);
});

test("another request (any field differs) is asked for", async () => {
  keepEvents(withEta(0.5), EVENTS);
  const calls = [];
  const heard = [];
  await keptOr(server(calls))(withEta(0.25), (e) => heard.push(e));
  assert.equal(calls.length, 1);
  assert.deepEqual(heard, [{ type: "done", loss: -1 }]);
});

test("events without their done event are not kept", () => {
  keepEvents(withEta(0.125), EVENTS.slice(0, -1));
  assert.equal(keptEvents(withEta(0.125)), null);
  keepEvents(withEta(0.125), undefined);
  assert.equal(keptEvents(withEta(0.125)), null);
});

test("the last two requests are kept, the oldest goes first", () => {
  keepEvents(withEta(1), EVENTS);
  keepEvents(withEta(2), EVENTS);
  keepEvents(withEta(1), EVENTS); // used again: the newest now
  keepEvents(withEta(3), EVENTS);
  assert.equal(keptEvents(withEta(2)), null);
  assert.ok(keptEvents(withEta(1)) && keptEvents(withEta(3)));
});

test("a stopped play stops handing events over", async () => {
  keepEvents(withEta(4), EVENTS);
  const controller = new AbortController();
  const heard = [];
  await keptOr(server([]))(withEta(4), (e) => {
    heard.push(e);
    if (heard.length === 3) controller.abort();
  }, controller.signal);
  assert.equal(heard.length, 3);
});
