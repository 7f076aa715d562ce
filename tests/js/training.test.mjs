// The training view's pure parts in node: NDJSON lines, the fold of the stream's events,
// the bodies sent, the network fitted to the data, targets of new points, CSV and saved
// files, colours of the plane, the chart's scales and the mini-batch helpers.

import assert from "node:assert/strict";
import { test } from "node:test";

import { ApiError, ConnectionError, ServerError, httpError, ndjsonSplitter } from "../../static/js/page/api.js";
import { linePath, linearScale, logScale, logTicks, lossDomain, nearestPoint, tickLabel, ticks } from "../../static/js/training/chart.js";
import { TrainingStream } from "../../static/js/training/client.js";
import {
  activationRange,
  boundaryColorOf,
  classRgb,
  divergingRgb,
  fillPixels,
  hexRgb,
  unit,
  valueRange,
  CLASS_COLORS,
} from "../../static/js/training/colors.js";
import { CsvError, parseCsv, readSaveFile, saveFile, toCsv } from "../../static/js/training/data.js";
import { allLinks, batchBody } from "../../static/js/training/minibatch.js";
import {
  DEFAULT_SETTINGS,
  USER_DATASET,
  appendHistory,
  applyTrainingEvent,
  datasetInfo,
  datasetNames,
  datasetSpec,
  emptyRun,
  epochsPerRequest,
  hiddenCount,
  parseNumber,
  pointRequest,
  pointsFromData,
  resumePoint,
  targetFor,
  trainBody,
  withPoint,
} from "../../static/js/training/state.js";

const NET = { layers: [2, 8, 8, 1], activations: ["tanh", "tanh", "sigmoid"], loss: "binary_cross_entropy", init: "xavier", seed: 0 };

// ---- NDJSON -------------------------------------------------------------------------------

test("NDJSON lines cut anywhere come out whole, in order; the last line needs no newline", () => {
  const events = [{ type: "start", epoch: 0 }, { type: "epoch", train_loss: 0.1 + 0.2 }, { type: "done", reason: "epochs" }];
  const text = events.map((e) => JSON.stringify(e)).join("\n");
  for (let cut = 0; cut <= text.length; cut++) {
    for (const size of [1, 3, 7]) {
      const lines = ndjsonSplitter();
      const out = [];
      out.push(...lines.push(text.slice(0, cut)));
      for (let k = cut; k < text.length; k += size) out.push(...lines.push(text.slice(k, k + size)));
      out.push(...lines.end());
      assert.deepEqual(out, events);
    }
  }
  const blank = ndjsonSplitter();
  assert.deepEqual(blank.push("\n\n  \n"), []);
  assert.deepEqual(blank.end(), []);
});

// ---- the fold -----------------------------------------------------------------------------

const snapshot = (epoch, step) => ({ type: "snapshot", epoch, step, network: { epoch }, boundary: { x: [0], y: [0], values: [[epoch]] }, optimizer_state: { t: step } });

test("the events fold into the run without touching the run before", () => {
  let run = emptyRun();
  const before = structuredClone(run);
  const start = applyTrainingEvent(run, { type: "start", epoch: 3, step: 30, steps_per_epoch: 10, train_size: 100 });
  assert.deepEqual(run, before, "pure");
  assert.equal(start.running, true);
  assert.equal(start.steps_per_epoch, 10);
  run = applyTrainingEvent(start, { type: "epoch", epoch: 3, step: 30, train_loss: 0.5, test_loss: 0.6, train_accuracy: 0.7, test_accuracy: 0.65 });
  run = applyTrainingEvent(run, snapshot(3, 30));
  run = applyTrainingEvent(run, { type: "epoch", epoch: 4, step: 40, train_loss: 0.4, test_loss: null });
  assert.equal(run.history.length, 2);
  assert.equal(run.test_loss, null);
  assert.equal(run.train_accuracy, null, "each report's own numbers");
  assert.equal(run.snapshot.epoch, 3);
  assert.deepEqual(run.optimizer_state, { t: 30 });
  const done = applyTrainingEvent(run, { type: "done", epoch: 4, step: 40, reason: "epochs", train_loss: 0.4, network: { final: true }, optimizer_state: { t: 40 } });
  assert.equal(done.running, false);
  assert.deepEqual(done.network, { final: true });
  assert.deepEqual(done.optimizer_state, { t: 40 });
  assert.equal(done.snapshot.epoch, 3, "the boundary shown stays the last snapshot");
  const diverged = applyTrainingEvent(run, { type: "diverged", epoch: 4, step: 40, reason: "NaN" });
  assert.deepEqual(diverged.problem, { type: "diverged", reason: "NaN", epoch: 4 });
  assert.equal(applyTrainingEvent(run, { type: "unknown" }), run);
});

test("a restarted run's first report replaces the numbers at the same epoch; long histories are thinned", () => {
  let h = [];
  for (let e = 0; e <= 5; e++) h = appendHistory(h, { epoch: e, train_loss: e });
  h = appendHistory(h, { epoch: 4, train_loss: 40 });
  assert.deepEqual(h.map((p) => p.epoch), [0, 1, 2, 3, 4]);
  assert.equal(h.at(-1).train_loss, 40);
  let long = [];
  for (let e = 0; e < 50; e++) long = appendHistory(long, { epoch: e }, 20);
  assert.ok(long.length <= 20);
  assert.equal(long.at(-1).epoch, 49, "the newest point is kept");
  assert.equal(long[0].epoch, 0);
});

test("resuming: the epoch, the steps already taken in it, the optimizer state", () => {
  assert.equal(resumePoint(emptyRun()), null);
  const run = { ...emptyRun(), network: {}, epoch: 3, step: 34, steps_per_epoch: 10, optimizer_state: { t: 34 } };
  assert.deepEqual(resumePoint(run), { epoch: 3, step: 4, optimizer_state: { t: 34 } });
  // A stream stopped between a report's epoch event and its snapshot continues from the
  // snapshot before (where its network is), with that snapshot's next batch.
  let r = { ...emptyRun(), steps_per_epoch: 10 };
  r = applyTrainingEvent(r, { type: "snapshot", epoch: 5, step: 50, network: { n: 5 }, next_batch: [3, 1], optimizer_state: { t: 50 } });
  r = applyTrainingEvent(r, { type: "epoch", epoch: 10, step: 100, train_loss: 0.1 });
  assert.equal(r.epoch, 10);
  assert.deepEqual(r.next_batch, [3, 1]);
  assert.deepEqual(resumePoint(r), { epoch: 5, step: 0, optimizer_state: { t: 50 } });
  r = applyTrainingEvent(r, { type: "done", epoch: 10, step: 103, network: { n: 10 }, next_batch: [7, 2], reason: "max_steps" });
  assert.deepEqual(r.next_batch, [7, 2]);
  assert.deepEqual(resumePoint(r).step, 3);
});

// ---- bodies -------------------------------------------------------------------------------

test("the /train/stream body follows the settings and the contract's names", () => {
  const settings = { ...DEFAULT_SETTINGS, optimizer: "adam", learning_rate: 0.01, regularization: "l2", regularization_rate: 0.003, target_loss: 0.05, speed: 0 };
  const dataset = datasetSpec(settings);
  assert.deepEqual(dataset, { name: "xor", samples: 200, noise: 0, seed: 0, test_ratio: 0.5, features: ["x1", "x2"] });
  const body = trainBody(settings, { network: NET, dataset, epochs: 50, resume: { epoch: 3, step: 2, optimizer_state: { t: 1 } } });
  assert.equal(body.optimizer, "adam");
  assert.deepEqual(body.regularization, { kind: "l2", rate: 0.003 });
  assert.equal(body.target_loss, 0.05);
  assert.equal(body.report_every, 1);
  assert.equal(body.pace, 5, "the slowest speed shows every epoch at a watchable pace");
  assert.equal(body.start_epoch, 3);
  assert.equal(body.start_step, 2);
  assert.deepEqual(body.optimizer_state, { t: 1 });
  assert.equal(body.state_in_snapshots, true);
  assert.equal(body.neuron_grids, true);
  assert.equal(body.neuron_grid, 20, "the neurons' thumbnails on a small lattice of their own");
  assert.equal(trainBody({ ...DEFAULT_SETTINGS, grid: 12 }, { network: NET, dataset, epochs: 1 }).neuron_grid, 12);
  assert.equal("neuron_grid" in trainBody({ ...DEFAULT_SETTINGS, grid: 0 }, { network: NET, dataset, epochs: 1 }), false);
  assert.equal(trainBody(DEFAULT_SETTINGS, { network: NET, dataset, epochs: 0 }).report_every, 1, "epochs 0: one report");
  const fast = trainBody({ ...DEFAULT_SETTINGS, speed: 4 }, { network: NET, dataset, epochs: 3 });
  assert.equal(fast.report_every, 3, "never more than the epochs of the request");
  assert.equal("pace" in fast, false);
  assert.equal("regularization" in fast, false);
  assert.equal("start_epoch" in fast, false);
  const one = trainBody(DEFAULT_SETTINGS, { network: NET, dataset, epochs: 1, maxSteps: 1 });
  assert.equal(one.max_steps, 1);
  assert.equal(one.report_every, 1);
  const user = datasetSpec({ ...DEFAULT_SETTINGS, dataset: USER_DATASET }, { x: [[1, 2]], y: [[1]] });
  assert.deepEqual(user, { x: [[1, 2]], y: [[1]], seed: 0, test_ratio: 0.5, features: ["x1", "x2"] });
});

test("a request's epochs stay within the server's caps", () => {
  const limits = { max_epochs: 100000, max_epoch_samples: 50000000, max_report_cells: 20000000 };
  assert.equal(hiddenCount(NET), 16);
  // 2500 cells × (1 + 16) a report: 470 reports fit.
  const e = epochsPerRequest({ remaining: 1000, trainSize: 250, reportEvery: 1, grid: 50, hidden: 16, limits });
  assert.equal(e, 469);
  assert.ok((Math.ceil(e / 1) + 1) * 2500 * 17 <= limits.max_report_cells);
  assert.equal(epochsPerRequest({ remaining: 1000, trainSize: 250, reportEvery: 10, grid: 50, hidden: 16, limits }), 1000);
  assert.equal(epochsPerRequest({ remaining: 1000, trainSize: 1e6, reportEvery: 10, grid: 0, hidden: 0, limits }), 50);
  assert.equal(epochsPerRequest({ remaining: 0, trainSize: 1, reportEvery: 1, grid: 0, hidden: 0 }), 1);
  // Pictures on a 20-lattice: 2500 + 16 × 400 = 8900 cells a report, 2247 reports fit.
  assert.equal(epochsPerRequest({ remaining: 5000, trainSize: 250, reportEvery: 1, grid: 50, neuronGrid: 20, hidden: 16, limits }), 2246);
});

// ---- network and data ---------------------------------------------------------------------

test("data set names and kinds come from the capabilities when they have them", () => {
  const caps = [{ name: "spiral", kind: "classification", classes: 2 }, { name: "ring3", kind: "classification", classes: 3 }];
  assert.deepEqual(datasetNames(caps), ["spiral", "ring3"]);
  assert.deepEqual(datasetInfo("ring3", caps), { kind: "classification", classes: 3 });
  assert.deepEqual(datasetInfo("plane", null), { kind: "regression", classes: null });
  assert.ok(datasetNames(null).includes("xor"));
});

test("a new point's target: an existing point's row for its class, else 0/1 or one-hot", () => {
  const train = { labels: [0, 1], targets: [[0], [1]] };
  const odd = { labels: [2], targets: [[0.25, 0.25, 0.5]] };
  assert.deepEqual(targetFor(1, [train], 1), [1]);
  assert.deepEqual(targetFor(2, [train, odd], 3), [0.25, 0.25, 0.5], "the server's encoding, whatever it is");
  assert.deepEqual(targetFor(0, [], 1), [0]);
  assert.deepEqual(targetFor(2, [], 4), [0, 0, 1, 0]);
  const data = { train: { x: [[1, 2]], targets: [[1]], labels: [1] }, test: { x: [[3, 4]], targets: [[0]], labels: [0] } };
  const points = pointsFromData(data);
  assert.deepEqual(points, { x: [[1, 2], [3, 4]], y: [[1], [0]], labels: [1, 0] });
  assert.deepEqual(withPoint(points, [5, 6], [1], 1).x.at(-1), [5, 6]);
  assert.equal(points.x.length, 2, "withPoint copies");
});

test("a point's trace request carries the server's input and target for it", () => {
  const split = { inputs: [[1, 2, 1, 4]], targets: [[1]] };
  const req = pointRequest(NET, split, 0, 0.03);
  assert.deepEqual(req, { network: NET, input: [1, 2, 1, 4], target: [1], learning_rate: 0.03 });
  assert.notEqual(req.input, split.inputs[0], "a copy");
});

test("number fields", () => {
  assert.equal(parseNumber(" 0.5 "), 0.5);
  assert.equal(parseNumber(""), null);
  assert.equal(parseNumber("abc"), null);
  assert.equal(parseNumber("2.5", { integer: true }), null);
  assert.equal(parseNumber("-1", { min: 0 }), null);
});

// ---- files --------------------------------------------------------------------------------

test("CSV: x1,x2,label (or more inputs) is read; every problem names its line", () => {
  const columns = ["x1", "x2", "label"];
  assert.deepEqual(parseCsv("x1,x2,label\n1,2,0\n-3.5,4e-3,1\n"), { x: [[1, 2], [-3.5, 0.004]], labels: [0, 1], lines: [2, 3], columns });
  assert.deepEqual(parseCsv("\uFEFFX1, X2 , Label\r\n1,2,0\r\n\r\n"), { x: [[1, 2]], labels: [0], lines: [2], columns });
  assert.deepEqual(parseCsv("x1,x2,label\n\n1,2,0\n\n\n3,4,1").lines, [3, 6], "each point's line in the file, blank lines counted");
  assert.deepEqual(parseCsv("x1,x2,x3,label\n1,2,3,0.5").x, [[1, 2, 3]]);
  const problem = (text, pattern) => {
    assert.throws(() => parseCsv(text), (err) => err instanceof CsvError && pattern.test(err.message), text);
  };
  problem("", /empty/);
  problem("a,b,c\n1,2,3", /^Line 1: the header must be x1,x2,label/);
  problem("x1,x2\n1,2", /header must be/);
  problem("x2,x1,label\n1,2,0", /header must be/);
  problem("x1,x2,label\n", /no points/);
  problem("x1,x2,label\n1,2,0\n1,2\n", /^Line 3: 2 values, but the header has 3 columns/);
  problem("x1,x2,label\n1,2,0\n\n1,two,0\n", /^Line 4, column 2 \(x2\): "two" is not a number/);
  problem("x1,x2,label\n1,,0", /column 2 \(x2\): "" is not a number/);
  problem("x1,x2,label\n1,2,NaN", /^Line 2, column 3 \(label\)/);
});

test("CSV out and in again gives the same doubles", () => {
  const points = { x: [[0.1 + 0.2, -5e-324], [1e21, -0]], labels: [0, 1] };
  const back = parseCsv(toCsv(points));
  assert.deepEqual(back.x.map((r) => r.map((v) => Object.is(v, -0) ? 0 : v)), [[0.1 + 0.2, -5e-324], [1e21, 0]]);
  assert.deepEqual(back.labels, [0, 1]);
});

test("a saved training reads back to the same state; a wrong file says why", () => {
  const run = { ...emptyRun(), epoch: 12, step: 240, steps_per_epoch: 20, optimizer_state: { kind: "adam", t: 240, m: [0.1 + 0.2] }, train_loss: 0.25, history: [{ epoch: 0, train_loss: 0.7 }] };
  const network = { ...NET, weights: [[[1 / 3]]], biases: [[-0]] };
  const settings = { ...DEFAULT_SETTINGS, optimizer: "adam" };
  const file = saveFile({ network, settings, points: null, run });
  const text = JSON.stringify(file);
  const back = readSaveFile(text);
  assert.deepEqual(back.network, JSON.parse(JSON.stringify(network)));
  assert.deepEqual(back.settings, settings);
  assert.equal(back.run.epoch, 12);
  assert.equal(back.run.steps_per_epoch, 20);
  assert.deepEqual(back.run.optimizer_state, run.optimizer_state);
  assert.deepEqual(saveFile({ network: back.network, settings: back.settings, points: back.points, run: { ...emptyRun(), ...back.run } }), JSON.parse(text), "saving what was loaded gives the same file");
  assert.throws(() => readSaveFile("{"), /not JSON/);
  assert.throws(() => readSaveFile("{}"), /not a saved training/);
  assert.throws(() => readSaveFile(JSON.stringify({ ...file, version: 9 })), /version 9/);
  assert.throws(() => readSaveFile(JSON.stringify({ ...file, network: { layers: [2, 1] } })), /weights/);
});

// ---- colours ------------------------------------------------------------------------------

test("boundary colours: orange low, pale middle, blue high; discretised takes a side", () => {
  const [orange, blue] = CLASS_COLORS.map(hexRgb);
  assert.deepEqual(divergingRgb(0), orange);
  assert.deepEqual(divergingRgb(1), blue);
  assert.deepEqual(divergingRgb(0.5), [247, 247, 245]);
  assert.deepEqual(divergingRgb(0.51, { discrete: true }), blue);
  assert.deepEqual(divergingRgb(0.49, { discrete: true }), orange);
  assert.equal(unit(5, 0, 10), 0.5);
  assert.equal(unit(-5, 0, 10), 0);
  assert.equal(unit(NaN, 0, 1), 0.5);
  assert.equal(unit(1, 1, 1), 0.5);
  assert.deepEqual(classRgb(2, 1, 3), hexRgb(CLASS_COLORS[2]));
  assert.deepEqual(classRgb(2, 1 / 3, 3), [247, 247, 245], "chance is pale");
  assert.deepEqual(valueRange("sigmoid"), [0, 1]);
  assert.deepEqual(valueRange("tanh"), [-1, 1]);
  assert.deepEqual(valueRange("linear", [3, -2, 5]), [-2, 5]);
  assert.deepEqual(activationRange("relu", [[0, 2], [1, 0]]), [-2, 2]);
});

test("the lattice fills pixel rows top down, y growing upwards", () => {
  const boundary = { x: [0, 1], y: [0, 1], values: [[0, 0], [1, 1]] }; // bottom row 0, top row 1
  const px = fillPixels(new Uint8ClampedArray(16), 2, 2, true, boundaryColorOf(boundary, { range: [0, 1] }));
  const top = [...px.slice(0, 3)];
  const bottom = [...px.slice(8, 11)];
  assert.ok(top[2] > top[0], `top is bluish: ${top}`);
  assert.ok(bottom[0] > bottom[2], `bottom is orange: ${bottom}`);
  assert.equal(px[3], 255);
  const multi = boundaryColorOf({ ...boundary, classes: [[2, 2], [0, 0]] }, { classes: 3, discrete: true });
  assert.ok(multi(0, 0)[1] > multi(0, 0)[0], "class 2's green");
});

// ---- the chart ----------------------------------------------------------------------------

test("scales, ticks and the loss path", () => {
  const xs = linearScale([0, 10], [0, 100]);
  assert.equal(xs(5), 50);
  assert.equal(xs.invert(25), 2.5);
  const ys = logScale([0.01, 1], [100, 0]);
  assert.ok(Math.abs(ys(0.1) - 50) < 1e-9);
  assert.ok(Math.abs(ys.invert(50) - 0.1) < 1e-12);
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.ok(ticks(0, 1000, 4).every((t) => t % 200 === 0 || t % 500 === 0));
  assert.deepEqual(logTicks(0.02, 3), [0.01, 0.1, 1, 10]);
  // A diverging run's 1e298: a few powers of ten, not 299 labels on top of each other.
  assert.deepEqual(logTicks(0.5, 1.2e298, 4), [1, 1e100, 1e200]);
  assert.deepEqual(logTicks(1e-3, 1e5, 5), [1e-2, 1, 1e2, 1e4]);
  assert.deepEqual([1e298, 5e297, 0.2, 20, 1.5e7, 1e-5, 0].map(tickLabel), ["1e298", "5e297", "0.2", "20", "1.5e7", "1e-5", "0"]);
  const history = [{ epoch: 0, train_loss: 1, test_loss: null }, { epoch: 5, train_loss: 0.5, test_loss: 0.6 }, { epoch: 10, train_loss: 0, test_loss: 0.4 }];
  assert.deepEqual(lossDomain(history), [0, 1]);
  assert.deepEqual(lossDomain(history, { log: true }), [0.4, 1]);
  assert.deepEqual(lossDomain([], { log: true }), [0.01, 1]);
  const lin = linearScale([0, 1], [100, 0]);
  assert.equal(linePath(history, "train_loss", xs, lin), "M0.0,0.0L50.0,50.0L100.0,100.0");
  assert.equal(linePath(history, "test_loss", xs, lin), "M50.0,40.0L100.0,60.0");
  assert.equal(linePath(history, "train_loss", xs, lin, { log: true }).includes("100.0,"), false, "no zero on a log scale");
  assert.equal(nearestPoint(history, 7).epoch, 5);
});

// ---- the mini-batch view ------------------------------------------------------------------

test("the batch body takes the server's inputs and targets", () => {
  const train = { inputs: [[1], [2], [3]], targets: [[0], [1], [0]] };
  assert.deepEqual(batchBody(NET, train, [2, 0], 0.1, "sum"), { network: NET, inputs: [[3], [1]], targets: [[0], [0]], learning_rate: 0.1, reduction: "sum" });
  const links = allLinks({ layers: [2, 3, 1] });
  assert.equal(links.length, 2 * 3 + 3 * 1);
  assert.deepEqual(links[0], { layer: 0, from: 0, to: 0 });
  assert.deepEqual(links.at(-1), { layer: 1, from: 2, to: 0 });
});

// ---- requests that fail: refused (4xx), the server's failure (5xx), the network's ----------

test("a 4xx is an ApiError with the API's detail; a 5xx and the network say so in the page's words", () => {
  const refused = httpError(422, [{ loc: ["body", "learning_rate"], msg: "must be > 0" }]);
  assert.ok(refused instanceof ApiError && refused.detail);
  const busy = httpError(503, [{ msg: "1 streams are open" }], 2);
  assert.ok(busy instanceof ServerError && !("detail" in busy));
  assert.equal(busy.retryAfter, 2);
  assert.equal(busy.message, "The server is busy (every stream it runs at once is open); try again in a moment.");
  assert.equal(httpError(500, null).message, "The server failed (HTTP 500).");
  assert.equal(new ConnectionError().message, "The connection to the server failed.");
  assert.equal(new ConnectionError({ lost: true }).message, "The connection to the server was lost.");
});

test("a training stream that ends without its done event is a lost connection, not a stop", async () => {
  const cut = new TrainingStream({ stream: async (_body, onEvents) => onEvents([{ type: "start", epoch: 0, step: 0 }]) });
  await assert.rejects(cut.start({}, () => {}), (err) => err instanceof ConnectionError && err.lost);
  assert.equal(cut.running, false);
  const whole = new TrainingStream({ stream: async (_body, onEvents) => onEvents([{ type: "done", epoch: 1 }]) });
  assert.deepEqual(await whole.start({}, () => {}), { type: "done", epoch: 1 });
  // Stopped by the page (a pause): null, whatever arrived.
  const paused = new TrainingStream({
    stream: (_body, _onEvents, signal) =>
      new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(new DOMException("stop", "AbortError")))),
  });
  const running = paused.start({}, () => {});
  paused.abort();
  assert.equal(await running, null);
});
