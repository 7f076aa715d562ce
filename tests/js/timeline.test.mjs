// static/js/timeline.js (and the fold in replay.js) in node, fed the real events of the
// worked example: tests/js/fixtures/worked-example-events.json holds the NDJSON lines that
// POST /api/v1/trace/stream sent for tests/js/fixtures/worked-example-request.json (the
// preset worked-example-2-2-2), one event a line.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { Player } from "../../static/js/player/playback.js";
import { Recording, TRACE_DURATIONS, frameAt, phaseStarts, questionStops, stopIndex, traceTimeline, withQuestions } from "../../static/js/player/timeline.js";

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const request = fixture("worked-example-request.json");
const EVENTS = fixture("worked-example-events.json");
const events = () => structuredClone(EVENTS); // each test gets its own copy

/** A stream that hands every event over at once, then resolves (records its calls). */
function instantStream(list, calls = []) {
  return (req, onEvent, signal) => {
    calls.push({ req, signal });
    for (const e of list) onEvent(e);
    return Promise.resolve();
  };
}

/** A stream that hands one event over every `ms` milliseconds, stoppable by its signal. */
function timedStream(list, ms, calls = [], { failAfter = null, error = null } = {}) {
  return (req, onEvent, signal) => {
    calls.push({ req, signal });
    return new Promise((resolve, reject) => {
      let k = 0;
      const timer = setInterval(() => {
        if (signal.aborted) return;
        if (failAfter !== null && k === failAfter) {
          clearInterval(timer);
          reject(error);
          return;
        }
        if (k === list.length) {
          clearInterval(timer);
          resolve();
          return;
        }
        onEvent(list[k++]);
      }, ms);
      signal.addEventListener("abort", () => {
        clearInterval(timer);
        reject(new DOMException("The operation was aborted.", "AbortError"));
      });
    });
  };
}

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

// ---- the fixture itself: what the API's contract says the stream holds -----------------

test("the fixture is the worked example's stream, in the contract's order", () => {
  const ev = events();
  assert.deepEqual(request.network.layers, [2, 2, 2]);
  assert.deepEqual(
    ev.map((e) => e.type),
    [
      ...Array(4).fill("forward"),
      "loss",
      ...Array(4)
        .fill(["backward", "gradient"])
        .flat(),
      ...Array(4).fill("update"),
      "done",
    ],
  );
  // Matt Mazur's published numbers (https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/)
  assert.ok(Math.abs(ev[4].loss - 0.298371109) < 1e-9);
  assert.ok(Math.abs(ev.find((e) => e.type === "update" && e.layer === 2 && e.node === 0).w[0] - 0.35891648) < 1e-8);
});

// ---- the trace timeline ---------------------------------------------------------------

test("traceTimeline: expectedCount is the real count (4 per neuron + 2) and open streams the request", async () => {
  const ev = events();
  const calls = [];
  const tl = traceTimeline(request, { stream: instantStream(ev, calls) });
  assert.equal(tl.kind, "trace");
  assert.equal(tl.request, request);
  assert.equal(tl.expectedCount, ev.length);
  assert.equal(tl.expectedCount, 4 * (2 + 2) + 2);
  // A wider network: the count follows its neurons, not the input layer.
  assert.equal(traceTimeline({ network: { layers: [3, 5, 4, 1] } }, { stream: instantStream([]) }).expectedCount, 4 * 10 + 2);

  const got = [];
  const controller = new AbortController();
  await tl.open((e) => got.push(e), controller.signal);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].req, request, "the stream is asked for this request");
  assert.equal(calls[0].signal, controller.signal, "and handed the signal");
  assert.deepEqual(got, ev);
});

test("phaseStarts: the index of each phase's first event", () => {
  const ev = events();
  const tl = traceTimeline(request, { stream: instantStream(ev) });
  // Independent oracle: scan the types by hand (gradient belongs to the backward pass).
  const phase = { forward: "forward", loss: "loss", backward: "backward", gradient: "backward", update: "update", done: "done" };
  const oracle = {};
  ev.forEach((e, k) => (oracle[phase[e.type]] ??= k));
  assert.deepEqual(oracle, { forward: 0, loss: 4, backward: 5, update: 13, done: 17 });
  assert.deepEqual(phaseStarts(tl, ev), oracle);
  assert.deepEqual(phaseStarts(tl, ev.slice(0, 6)), { forward: 0, loss: 4, backward: 5 }, "a partial recording");
  assert.deepEqual(phaseStarts(tl, []), {});
});

test("stopIndex: forward stops before the first backward event, backward before the first update, step at the end", () => {
  const ev = events();
  const tl = traceTimeline(request, { stream: instantStream(ev) });
  const firstBackward = ev.findIndex((e) => e.type === "backward");
  const firstUpdate = ev.findIndex((e) => e.type === "update");
  assert.equal(firstBackward, 5);
  assert.equal(firstUpdate, 13);
  assert.equal(stopIndex(tl, ev, "forward"), firstBackward);
  assert.equal(stopIndex(tl, ev, "backward"), firstUpdate);
  assert.equal(stopIndex(tl, ev, "step"), ev.length);
  assert.equal(stopIndex(tl, ev, "no-such-stop"), ev.length, "an unknown stop plays to the end");
  // From a later cursor.
  assert.equal(stopIndex(tl, ev, "backward", 6), firstUpdate);
  assert.equal(stopIndex(tl, ev, "forward", 2), firstBackward);
  // While the recording is still short of the stop: its end.
  assert.equal(stopIndex(tl, ev.slice(0, 9), "backward"), 9);
});

test("frameAt(n) for every n equals folding the first n events one by one", () => {
  const ev = events();
  const tl = traceTimeline(request, { stream: instantStream(ev) });
  const frame = tl.initial();
  const folded = [structuredClone(frame)];
  for (const e of ev) {
    tl.apply(frame, e);
    folded.push(structuredClone(frame));
  }
  for (let n = 0; n <= ev.length; n++) assert.deepEqual(frameAt(tl, ev, n), folded[n], `n = ${n}`);
  assert.deepEqual(frameAt(tl, ev, ev.length + 5), folded[ev.length], "past the end: all events");
  assert.equal(frameAt(tl, ev, ev.length + 5).count, ev.length);
  assert.deepEqual(ev, EVENTS, "folding does not change the events");
});

test("frameAt(n): the values of the first n events are shown exactly, the later ones not yet", () => {
  const ev = events();
  const tl = traceTimeline(request, { stream: instantStream(ev) });
  const phase = { forward: "forward", loss: "loss", backward: "backward", gradient: "backward", update: "update", done: "done" };
  for (let n = 0; n <= ev.length; n++) {
    const f = frameAt(tl, ev, n);
    assert.equal(f.count, n);
    assert.equal(f.phase, n === 0 ? "idle" : phase[ev[n - 1].type], `phase after ${n}`);
    assert.deepEqual(f.last, n === 0 ? null : ev[n - 1]);
    assert.deepEqual(
      f.neurons[0].map((x) => x.a),
      request.input,
      "the inputs are known from the start",
    );
    ev.forEach((e, k) => {
      const shown = k < n;
      const at = `event ${k} (${e.type}) after ${n} events`;
      switch (e.type) {
        case "forward": {
          const cell = f.neurons[e.layer][e.node];
          assert.equal(cell.z, shown ? e.z : undefined, at);
          assert.equal(cell.a, shown ? e.a : undefined, at);
          break;
        }
        case "loss":
          if (shown) {
            assert.equal(f.loss, e.loss, at);
            assert.deepEqual(f.dl_da_out, e.dl_da, at);
          } else {
            assert.equal(f.loss, null, at);
            assert.equal(f.dl_da_out, null, at);
          }
          break;
        case "backward": {
          const cell = f.neurons[e.layer][e.node];
          for (const key of ["dl_da", "da_dz", "dl_dz", "case"]) assert.equal(cell[key], shown ? e[key] : undefined, `${at}: ${key}`);
          break;
        }
        case "gradient":
          assert.deepEqual(f.dl_dw[e.layer - 1][e.node], shown ? e.dl_dw : null, at);
          assert.equal(f.dl_db[e.layer - 1][e.node], shown ? e.dl_db : null, at);
          assert.deepEqual(f.a_in[e.layer - 1][e.node], shown ? e.a : null, at);
          break;
        case "update":
          assert.deepEqual(f.w_new[e.layer - 1][e.node], shown ? e.w : null, at);
          assert.equal(f.b_new[e.layer - 1][e.node], shown ? e.b : null, at);
          break;
        case "done":
          assert.equal(f.loss_after, shown ? e.loss_after : null, at);
          break;
        default:
          assert.fail(`unexpected event type ${e.type}`);
      }
    });
  }
});

test("the frame of all events carries the final numbers straight from the events", () => {
  const ev = events();
  const tl = traceTimeline(request, { stream: instantStream(ev) });
  const f = frameAt(tl, ev, ev.length);
  const find = (type, layer, node) => ev.find((e) => e.type === type && e.layer === layer && e.node === node);

  // Spelled out for the output neuron o1 (layer 2, node 0) and hidden h1 (layer 1, node 0).
  assert.equal(f.neurons[2][0].dl_dz, find("backward", 2, 0).dl_dz);
  assert.equal(f.neurons[2][0].dl_dz, 0.13849856162855698);
  assert.equal(f.neurons[1][0].dl_dz, 0.008771354689486937);
  assert.equal(f.neurons[2][0].case, 1);
  assert.equal(f.neurons[1][1].case, 2);
  assert.equal(f.neurons[1][0].a, 0.5932699921071872);
  assert.deepEqual(f.w_new[1][0], [0.35891647971788465, 0.4086661860762334]);
  assert.equal(f.b_new[0][1], 0.3450228726473914);
  assert.deepEqual(f.dl_dw[1][1], [-0.022602540477475067, -0.02274024221597822]);
  assert.equal(f.loss, 0.2983711087600027);
  assert.equal(f.loss_after, 0.28047144679143016);
  assert.equal(f.phase, "done");

  for (let l = 1; l <= 2; l++) {
    for (let j = 0; j < 2; j++) {
      const fw = find("forward", l, j);
      const bw = find("backward", l, j);
      const gr = find("gradient", l, j);
      const up = find("update", l, j);
      assert.equal(f.neurons[l][j].z, fw.z);
      assert.equal(f.neurons[l][j].a, fw.a);
      assert.equal(f.neurons[l][j].dl_da, bw.dl_da);
      assert.equal(f.neurons[l][j].da_dz, bw.da_dz);
      assert.equal(f.neurons[l][j].dl_dz, bw.dl_dz);
      assert.deepEqual(f.dl_dw[l - 1][j], gr.dl_dw);
      assert.equal(f.dl_db[l - 1][j], gr.dl_db);
      assert.deepEqual(f.a_in[l - 1][j], gr.a);
      assert.deepEqual(f.w_new[l - 1][j], up.w);
      assert.equal(f.b_new[l - 1][j], up.b);
      for (let i = 0; i < 2; i++) assert.ok(Object.is(f.w_new[l - 1][j][i], up.w[i]));
    }
  }
});

test("an unknown extra event is ignored by the fold (not counted, phase unchanged)", () => {
  const ev = events();
  const tl = traceTimeline(request, { stream: instantStream(ev) });
  const withExtra = [...ev.slice(0, 3), { type: "heartbeat" }, ...ev.slice(3)];
  const f = frameAt(tl, withExtra, 4);
  assert.equal(f.phase, "forward");
  assert.deepEqual(f.last, ev[2]);
  assert.equal(f.neurons[2][0].z, ev[2].z);
  assert.equal(f.neurons[2][1].z, undefined, "the fourth forward event is not in yet");
  assert.deepEqual(frameAt(tl, withExtra, withExtra.length).w_new, frameAt(tl, ev, ev.length).w_new);
});

test("every event type stays on screen a positive, finite time", () => {
  const tl = traceTimeline(request, { stream: instantStream([]) });
  for (const type of ["forward", "loss", "backward", "gradient", "update", "done", "something-new"]) {
    const ms = tl.durationOf({ type });
    assert.ok(Number.isFinite(ms) && ms > 0, `${type}: ${ms}`);
  }
  for (const e of EVENTS) assert.equal(tl.durationOf(e), TRACE_DURATIONS[e.type]);
});

// ---- Recording --------------------------------------------------------------------------

test("Recording: eventAt waits for events that arrive later, null past the end once complete", async () => {
  const ev = events();
  const calls = [];
  const rec = new Recording(traceTimeline(request, { stream: timedStream(ev, 3, calls) }));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].req, request);
  assert.equal(calls[0].signal.aborted, false);
  assert.equal(rec.events.length, 0, "nothing has arrived yet");
  assert.equal(rec.complete, false);

  let arrived = false;
  const waiting = rec.eventAt(4);
  waiting.then(() => (arrived = true));
  await tick(0);
  assert.equal(arrived, false, "event 4 is not there yet: eventAt waits");
  const fifth = await waiting;
  assert.equal(fifth, ev[4], "the very event the stream sent");
  assert.ok(rec.events.length >= 5);
  assert.equal(rec.complete, false);

  // Several waiters at once, out of order.
  const [a, b, c] = await Promise.all([rec.eventAt(17), rec.eventAt(9), rec.eventAt(0)]);
  assert.equal(a, ev[17]);
  assert.equal(b, ev[9]);
  assert.equal(c, ev[0]);

  const late = rec.eventAt(18); // asked before the stream has ended: waits, then null
  await rec.ended;
  assert.equal(rec.complete, true);
  assert.equal(await late, null);
  assert.equal(await rec.eventAt(18), null);
  assert.equal(await rec.eventAt(1000), null);
  assert.equal(await rec.eventAt(3), ev[3], "earlier events stay available");
  assert.deepEqual(rec.events, ev);
  assert.equal(rec.error, null);
});

test("Recording: eventAt gives null when alive() turns false", async () => {
  const ev = events();
  const rec = new Recording(traceTimeline(request, { stream: timedStream(ev, 2) }));
  assert.equal(await rec.eventAt(0, () => false), null);
  let alive = true;
  const waiting = rec.eventAt(10, () => alive);
  await rec.eventAt(2);
  alive = false;
  assert.equal(await waiting, null, "checked again on the next wake-up");
  await rec.ended;
});

test("Recording: abort rejects `animated` and aborts the stream's signal", async () => {
  const ev = events();
  const calls = [];
  const rec = new Recording(traceTimeline(request, { stream: timedStream(ev, 5, calls) }));
  await rec.eventAt(1);
  const pending = rec.eventAt(17);
  const reason = new Error("the user picked another preset");
  rec.abort(reason);
  assert.equal(calls[0].signal.aborted, true, "the stream's signal is aborted");
  await assert.rejects(rec.animated, (err) => err === reason);
  assert.equal(await pending, null, "a waiter is released with null");
  await rec.ended;
  assert.equal(rec.complete, true);
  assert.equal(rec.error, null, "an AbortError is not an error");
  assert.ok(rec.events.length < ev.length);
});

test("Recording: abort after the stream completed rejects `animated` and leaves the signal alone", async () => {
  const calls = [];
  const rec = new Recording(traceTimeline(request, { stream: instantStream(events(), calls) }));
  await rec.ended;
  const reason = new Error("reset");
  rec.abort(reason);
  await assert.rejects(rec.animated, (err) => err === reason);
  assert.equal(calls[0].signal.aborted, false);
});

test("Recording: `animated` settles as the player says when nothing goes wrong", async () => {
  const rec = new Recording(traceTimeline(request, { stream: instantStream(events()) }));
  await rec.ended;
  rec.resolveAnimated("shown");
  assert.equal(await rec.animated, "shown");
});

test("Recording: an error from the stream is kept in .error and rejects `animated`", async () => {
  const ev = events();
  const boom = new Error("HTTP 500");
  const rec = new Recording(traceTimeline(request, { stream: timedStream(ev, 2, [], { failAfter: 3, error: boom }) }));
  const pending = rec.eventAt(10);
  await assert.rejects(rec.animated, (err) => err === boom);
  assert.equal(await pending, null);
  assert.equal(rec.error, boom);
  assert.equal(rec.complete, true);
  assert.deepEqual(rec.events, ev.slice(0, 3));
  assert.equal(await rec.eventAt(2), ev[2]);
  assert.equal(await rec.eventAt(3), null);
});

test("Recording: a stream whose promise rejects at once: the error is kept too", async () => {
  const bad = new TypeError("Failed to fetch");
  const rec = new Recording(traceTimeline(request, { stream: () => Promise.reject(bad) }));
  await rec.ended;
  assert.equal(rec.error, bad);
  assert.equal(await rec.eventAt(0), null);
  await assert.rejects(rec.animated, (err) => err === bad);
});

test("Recording: an AbortError from the stream is not kept as an error", async () => {
  const abortError = new DOMException("aborted", "AbortError");
  const rec = new Recording(traceTimeline(request, { stream: () => Promise.reject(abortError) }));
  await rec.ended;
  assert.equal(rec.error, null);
  assert.equal(rec.complete, true);
  // `animated` was not rejected by the stream: it still waits for the player.
  let settled = false;
  rec.animated.then(
    () => (settled = true),
    () => (settled = true),
  );
  await tick(5);
  assert.equal(settled, false);
});

// ---- question stops ---------------------------------------------------------------------
// The player (playback.js) in node: a store that keeps every playback slice it is given,
// effects that draw nothing, and a speed at which no event waits for a timer.

function questionPlayer(ask, list = events()) {
  const slices = [];
  const store = { set: (patch) => slices.push(patch.playback) };
  const player = new Player({ store, effects: { animate: () => 0, interrupt: () => {} }, still: () => true });
  player.setSpeed(1e9);
  const timeline = withQuestions(traceTimeline(request, { stream: instantStream(list) }), ask);
  player.load(timeline);
  const shown = []; // the events shown, in order
  player.onEvent((e) => shown.push(e));
  const asked = []; // the questions reached, in order
  player.onQuestion((q) => asked.push(q));
  return { player, slices, shown, asked, timeline, last: () => slices.at(-1) };
}

/** Resolves once `player` waits at a question (polls: the player's loop runs on promises). */
async function reachedQuestion(player) {
  for (let i = 0; i < 1000 && !player.question; i++) await tick(0);
  assert.ok(player.question, "the player reached a question");
  return player.question;
}

const LOSS = EVENTS.findIndex((e) => e.type === "loss"); // 4: after the four forward events
const BACKWARDS = EVENTS.flatMap((e, k) => (e.type === "backward" ? [k] : []));
const askLoss = (e) => (e.type === "loss" ? { id: "loss", target: { quantity: "loss" } } : null);

test("withQuestions leaves the timeline as it was; questionStops lists where it asks", () => {
  const tl = traceTimeline(request, { stream: instantStream([]) });
  const asking = withQuestions(tl, (e) => (e.type === "backward" ? { id: "b" } : null));
  assert.equal(tl.ask, undefined);
  assert.equal(asking.apply, tl.apply);
  assert.equal(asking.expectedCount, tl.expectedCount);
  assert.deepEqual(questionStops(tl, events()), []);
  assert.deepEqual(questionStops(asking, events()), BACKWARDS);
  assert.deepEqual(BACKWARDS, [5, 7, 9, 11], "the fixture's backward events, between their gradients");
  assert.deepEqual(questionStops(withQuestions(tl, (_e, k) => k === 0 || k === 17), events()), [0, 17]);
});

test("playing stops before the question's event, emits it, and waits for answer()", async () => {
  const { player, shown, asked, last } = questionPlayer(askLoss);
  const playing = player.play("step");
  const q = await reachedQuestion(player);
  assert.equal(q.index, LOSS);
  assert.equal(q.event.type, "loss");
  assert.deepEqual(q.question, { id: "loss", target: { quantity: "loss" } }, "the caller's own object");
  assert.equal(asked.length, 1);
  assert.equal(asked[0], q);
  // Waiting: the loss is not shown, in the frame or to the listeners, however long it waits.
  await tick(5);
  assert.equal(player.cursor, LOSS);
  assert.equal(shown.length, LOSS);
  assert.equal(player.frame.loss, null, "the frame has no loss yet");
  assert.equal(last().question, q, "the playback slice says what it waits for");
  assert.equal(last().cursor, LOSS);
  assert.equal(last().playing, true);

  assert.equal(player.answer(0.3), true);
  assert.equal(player.question, null);
  await playing;
  assert.equal(player.cursor, EVENTS.length, "then it plays on to the end");
  assert.deepEqual(shown.map((e) => e.type), EVENTS.map((e) => e.type));
  assert.equal(player.frame.loss, EVENTS[LOSS].loss, "the loss the event carried");
  assert.deepEqual(player.answerAt(LOSS), { answer: 0.3 });
  assert.equal(player.answerAt(LOSS - 1), undefined);
  assert.equal(last().question, null);
  assert.equal(asked.length, 1, "asked once");
  assert.equal(player.answer(1), false, "no question waits: nothing to answer");
  assert.equal(player.skip(), false);
});

test("skip() goes on without an answer, and says so", async () => {
  const { player, shown } = questionPlayer(askLoss);
  const playing = player.play("step");
  await reachedQuestion(player);
  assert.equal(player.skip(), true);
  await playing;
  assert.equal(shown.length, EVENTS.length);
  assert.deepEqual(player.answerAt(LOSS), { skipped: true });
});

test("every stop in turn: a listener that answers at once answers each before its event", async () => {
  const order = [];
  const { player } = questionPlayer((e, k) => (e.type === "backward" ? { k } : null));
  player.onEvent((e) => order.push(`event ${e.type}`));
  player.onQuestion((q) => {
    order.push(`question ${q.index}`);
    player.answer(q.question.k * 10);
  });
  await player.play("step");
  assert.equal(player.cursor, EVENTS.length);
  for (const k of BACKWARDS) {
    assert.deepEqual(player.answerAt(k), { answer: k * 10 });
    // The question comes right after the event before it, and before its own event.
    const at = order.indexOf(`question ${k}`);
    assert.equal(order.filter((x) => x.startsWith("event")).length, EVENTS.length);
    assert.equal(order.slice(0, at).filter((x) => x.startsWith("event")).length, k, `question ${k} after ${k} events`);
    assert.equal(order[at + 1], "event backward");
  }
});

test("a pause while it waits cancels the question; playing there again asks again", async () => {
  const { player, asked, last } = questionPlayer(askLoss);
  const first = player.play("step");
  await reachedQuestion(player);
  player.pause();
  await first;
  assert.equal(player.question, null);
  assert.equal(player.playing, false);
  assert.equal(player.cursor, LOSS, "the loss was not shown");
  assert.equal(last().question, null);
  assert.equal(last().playing, false);
  assert.equal(player.answer(1), false, "a cancelled question takes no answer");
  assert.equal(player.answerAt(LOSS), undefined);

  const second = player.play("step");
  const q = await reachedQuestion(player);
  assert.equal(q.index, LOSS);
  assert.equal(asked.length, 2);
  player.answer(2);
  await second;
  assert.deepEqual(player.answerAt(LOSS), { answer: 2 });
  assert.equal(player.cursor, EVENTS.length);
});

test("stepping back over a stop: an answered stop is not asked again, a cancelled one is", async () => {
  const { player, asked, shown } = questionPlayer(askLoss);
  const playing = player.play("step");
  await reachedQuestion(player);
  player.answer(0.25);
  await playing;

  // Back before the stop (a seek replays from the start), then forward by hand and by playing.
  player.seek(LOSS - 1);
  assert.equal(player.cursor, LOSS - 1);
  assert.equal(player.frame.loss, null);
  await player.next();
  await player.next();
  assert.equal(player.cursor, LOSS + 1, "the loss shown without a second question");
  assert.equal(player.frame.loss, EVENTS[LOSS].loss);
  player.seek(0);
  await player.play("step");
  assert.equal(player.cursor, EVENTS.length);
  assert.equal(asked.length, 1);
  assert.deepEqual(player.answerAt(LOSS), { answer: 0.25 }, "the answer stays");
  assert.ok(shown.length > EVENTS.length);

  // One event back while a question waits (a fresh recording asks afresh).
  const again = questionPlayer(askLoss);
  const p = again.player.play("step");
  await reachedQuestion(again.player);
  again.player.prev();
  await p;
  assert.equal(again.player.question, null);
  assert.equal(again.player.cursor, LOSS - 1);
  const stepping = again.player.next(); // the forward event before the stop: no question
  await stepping;
  assert.equal(again.player.cursor, LOSS);
  const byHand = again.player.next(); // one event forward by hand stops at the question too
  const q = await reachedQuestion(again.player);
  assert.equal(q.index, LOSS);
  assert.equal(again.player.cursor, LOSS);
  again.player.skip();
  await byHand;
  assert.equal(again.player.cursor, LOSS + 1);
  assert.deepEqual(again.player.answerAt(LOSS), { skipped: true });
});

test("a new timeline while it waits cancels the question and forgets the answers", async () => {
  const { player, timeline, last } = questionPlayer((e) => (e.type === "backward" ? {} : null));
  const playing = player.play("step");
  await reachedQuestion(player);
  player.answer(1);
  const q = await reachedQuestion(player);
  assert.equal(q.index, BACKWARDS[1]);
  assert.deepEqual(player.answerAt(BACKWARDS[0]), { answer: 1 });
  player.load(timeline);
  await playing;
  assert.equal(player.question, null);
  assert.equal(last().question, null);
  assert.equal(player.cursor, 0);
  assert.equal(player.answerAt(BACKWARDS[0]), undefined);
  assert.equal(player.answer(1), false);
});

test("without questions the player plays through as before", async () => {
  const { player, shown, asked } = questionPlayer(() => null);
  await player.play("step");
  assert.equal(shown.length, EVENTS.length);
  assert.equal(asked.length, 0);
  const plain = questionPlayer(undefined);
  await plain.player.play("forward");
  assert.equal(plain.player.cursor, EVENTS.findIndex((e) => e.type === "backward"));
  assert.equal(plain.asked.length, 0);
});
