// static/js/export.js in node (no DOM): the CSV and JSON of the worked example (Matt Mazur's
// 2-2-2 network), checked against the published numbers and against the server's trace
// (tests/js/fixtures: one real POST /api/v1/trace response and the request it answered).

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

// Imported with no DOM at all: the module must not touch document or window at import.
assert.equal(typeof globalThis.document, "undefined");
assert.equal(typeof globalThis.window, "undefined");
const exporter = await import("../../static/js/panel/export.js");
const { traceCsv, traceJson, svgMarkup, pngBlob, download } = exporter;

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const trace = fixture("worked-example-trace.json");
const request = fixture("worked-example-request.json");

const NEURON_HEADER = "layer,neuron,z,a,da_dz,dl_da,dl_dz,b,dl_db,b_new";
const WEIGHT_HEADER = "layer,from,to,w,a_from,dl_dw,w_new";

/** The CSV's two tables as arrays of cells (and the raw lines, for the line-ending checks). */
function parse(csv) {
  assert.ok(csv.endsWith("\r\n"), "the last record ends with CRLF");
  const lines = csv.slice(0, -2).split("\r\n");
  for (const line of lines) assert.ok(!line.includes("\n") && !line.includes("\r"), `bare line break in ${line}`);
  const blank = lines.indexOf("");
  assert.ok(blank > 0, "a blank line separates the tables");
  assert.equal(lines.indexOf("", blank + 1), -1, "only one blank line");
  const neurons = lines.slice(0, blank).map((l) => l.split(","));
  const weights = lines.slice(blank + 1).map((l) => l.split(","));
  return { lines, neurons, weights };
}

const csv = traceCsv(trace, request);
const { neurons, weights } = parse(csv);
const neuronRow = (layer, node) => neurons.find((r) => r[0] === String(layer) && r[1] === String(node));
const weightRow = (layer, from, to) =>
  weights.find((r) => r[0] === String(layer) && r[1] === String(from) && r[2] === String(to));
const num = (text) => {
  assert.notEqual(text, "", "a number, not an empty cell");
  const x = Number(text);
  assert.ok(Number.isFinite(x), `${text} is a number`);
  return x;
};

test("export.js has no side effects at import and exports the five functions", () => {
  assert.equal(typeof globalThis.document, "undefined");
  for (const f of [traceCsv, traceJson, svgMarkup, pngBlob, download]) assert.equal(typeof f, "function");
  assert.equal(svgMarkup.length, 1);
  assert.equal(traceCsv.length, 2);
});

test("the CSV has the two headers and one row per neuron and per weight", () => {
  assert.equal(neurons[0].join(","), NEURON_HEADER);
  assert.equal(weights[0].join(","), WEIGHT_HEADER);
  assert.equal(neurons.length - 1, 2 + 2 + 2);
  assert.equal(weights.length - 1, 8);
  for (const row of neurons) assert.equal(row.length, 10);
  for (const row of weights) assert.equal(row.length, 7);
  // In the lecture's order: layer by layer, neurons from 1; weights grouped by receiving neuron.
  assert.deepEqual(
    neurons.slice(1).map((r) => `${r[0]}:${r[1]}`),
    ["0:1", "0:2", "1:1", "1:2", "2:1", "2:2"],
  );
  assert.deepEqual(
    weights.slice(1).map((r) => `${r[0]}:${r[1]}->${r[2]}`),
    ["1:1->1", "1:2->1", "1:1->2", "1:2->2", "2:1->1", "2:2->1", "2:1->2", "2:2->2"],
  );
});

test("the published worked example: z(o1), ∂l/∂w5, w5 after the step, the loss", () => {
  // Mazur's o1 is the first neuron of layer 2; w5 is h1 → o1 (layer 2, from 1, to 1).
  const o1 = neuronRow(2, 1);
  assert.equal(num(o1[2]), 1.10590596705977);
  assert.equal(num(o1[3]), 0.7513650695523157);
  const w5 = weightRow(2, 1, 1);
  assert.equal(num(w5[3]), 0.4);
  assert.equal(num(w5[4]), 0.5932699921071872); // a of h1: ∂z/∂w5
  assert.equal(num(w5[5]), 0.08216704056423078);
  assert.equal(num(w5[6]), 0.35891647971788465);
  // w1 (x1 → h1) and its published new value 0.1497807161327628
  assert.equal(num(weightRow(1, 1, 1)[6]), 0.1497807161327628);
  const json = JSON.parse(traceJson(trace));
  assert.equal(json.loss, 0.2983711087600027);
});

test("the input layer has only a; the other rows have every cell", () => {
  for (const j of [1, 2]) {
    const row = neuronRow(0, j);
    assert.equal(num(row[3]), request.input[j - 1]);
    assert.deepEqual([row[2], ...row.slice(4)], ["", "", "", "", "", "", ""]);
  }
  for (const l of [1, 2]) for (const j of [1, 2]) for (const c of neuronRow(l, j).slice(2)) num(c);
});

test("every number in the CSV is exactly the double of the trace or the request", () => {
  let checked = 0;
  const same = (text, expected, where) => {
    assert.ok(Object.is(num(text), expected), `${where}: ${text} is not ${expected}`);
    checked++;
  };
  for (const row of neurons.slice(1)) {
    const l = Number(row[0]);
    const j = Number(row[1]) - 1;
    const t = trace.layers[l];
    same(row[3], t.a[j], `a ${l}:${j}`);
    if (l === 0) continue;
    same(row[2], t.z[j], `z ${l}:${j}`);
    same(row[4], t.da_dz[j], `da_dz ${l}:${j}`);
    same(row[5], t.dl_da[j], `dl_da ${l}:${j}`);
    same(row[6], t.dl_dz[j], `dl_dz ${l}:${j}`);
    same(row[7], request.network.biases[l - 1][j], `b ${l}:${j}`);
    same(row[8], t.dl_db[j], `dl_db ${l}:${j}`);
    same(row[9], trace.network.biases[l - 1][j], `b_new ${l}:${j}`);
  }
  for (const row of weights.slice(1)) {
    const [l, i, j] = [Number(row[0]), Number(row[1]) - 1, Number(row[2]) - 1];
    same(row[3], request.network.weights[l - 1][j][i], `w ${l}:${i}->${j}`);
    same(row[4], trace.layers[l - 1].a[i], `a_from ${l}:${i}`);
    same(row[5], trace.layers[l].dl_dw[j][i], `dl_dw ${l}:${i}->${j}`);
    same(row[6], trace.network.weights[l - 1][j][i], `w_new ${l}:${i}->${j}`);
  }
  assert.equal(checked, 2 + 4 * 8 + 8 * 4);
});

test("numbers are only re-formatted, never recomputed (made-up values pass through)", () => {
  // A trace whose numbers are deliberately inconsistent: the CSV must show them as given.
  const fake = {
    loss: 1,
    layers: [
      { a: [1e-7, -0] },
      { z: [5e-324, -1.5e300], a: [0.1, 0.2], da_dz: [null, null], dl_da: [3, 4], dl_dz: [-2, 0.30000000000000004],
        dl_dw: [[123456789.125, -1e-300], [7, 8]], dl_db: [9, 10] },
    ],
    network: { weights: [[[11, 12], [13, 14]]], biases: [[15, 16]] },
  };
  const req = { network: { weights: [[[21, 22], [23, 24]]], biases: [[25, 26]] }, input: [1e-7, -0] };
  const t = parse(traceCsv(fake, req));
  assert.deepEqual(t.neurons[1], ["0", "1", "", "1e-7", "", "", "", "", "", ""]);
  assert.equal(t.neurons[2][3], "-0");
  assert.ok(Object.is(Number(t.neurons[2][3]), -0));
  assert.deepEqual(t.neurons[3], ["1", "1", "5e-324", "0.1", "", "3", "-2", "25", "9", "15"]);
  assert.deepEqual(t.neurons[4], ["1", "2", "-1.5e+300", "0.2", "", "4", "0.30000000000000004", "26", "10", "16"]);
  assert.deepEqual(t.weights[1], ["1", "1", "1", "21", "1e-7", "123456789.125", "11"]);
  assert.deepEqual(t.weights[2], ["1", "2", "1", "22", "-0", "-1e-300", "12"]);
  assert.deepEqual(t.weights[4], ["1", "2", "2", "24", "-0", "8", "14"]);
});

test("a request without explicit parameters leaves w and b empty (nothing is made up)", () => {
  const t = parse(traceCsv(trace, { network: { layers: [2, 2, 2] } }));
  assert.equal(t.neurons[3][7], "");
  assert.equal(num(t.neurons[3][9]), trace.network.biases[0][0]);
  assert.equal(t.weights[1][3], "");
  assert.equal(num(t.weights[1][6]), trace.network.weights[0][0][0]);
});

test("traceJson is the trace, pretty with 2 spaces, every double exact", () => {
  const text = traceJson(trace);
  assert.ok(text.startsWith('{\n  "loss": 0.2983711087600027,\n  "layers": [\n    {\n      "a": ['), text.slice(0, 80));
  assert.deepEqual(JSON.parse(text), trace);
  assert.ok(text.includes("0.08216704056423078"));
  assert.ok(text.includes("0.35891647971788465"));
  assert.ok(text.includes("1.10590596705977"));
});

test("functions that need a DOM fail only when called", () => {
  assert.throws(() => svgMarkup({ ownerDocument: { defaultView: null } }));
  assert.equal(download("x.txt", "x", "text/plain"), false); // no document: caught, false
});
