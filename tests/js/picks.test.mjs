// static/js/picks.js (and the edits in state.js) in node, on a 3-4-2 network: where each
// kind of pick reads and writes its number, which picks are valid, and their keys.
// `layer` is the lecture's layer: a weight w^l_{ji} feeds layer l and lives at
// request.network.weights[l − 1][j][i].

import assert from "node:assert/strict";
import { test } from "node:test";

import { PICKS, neuronPick, pickKey, pickName, pickRow, validPick } from "../../static/js/drawing/picks.js";

const LAYERS = [3, 4, 2];

// Every number says where it is: weight (l, to, from) → 100 l + 10 to + from + 0.5 with l the
// lecture's layer it feeds, bias (l, node) → −(10 l + node) − 0.25, input i → i + 0.125,
// target j → j + 0.0625. The oracle below computes them from the formula, not by indexing.
const W = (l, to, from) => 100 * l + 10 * to + from + 0.5;
const B = (l, node) => -(10 * l + node) - 0.25;
const X = (i) => i + 0.125;
const T = (j) => j + 0.0625;

function makeRequest() {
  return {
    network: {
      layers: [...LAYERS],
      activations: ["sigmoid", "sigmoid"],
      loss: "squared_error",
      weights: [1, 2].map((l) => Array.from({ length: LAYERS[l] }, (_, to) => Array.from({ length: LAYERS[l - 1] }, (_, from) => W(l, to, from)))),
      biases: [1, 2].map((l) => Array.from({ length: LAYERS[l] }, (_, node) => B(l, node))),
    },
    input: Array.from({ length: LAYERS[0] }, (_, i) => X(i)),
    target: Array.from({ length: LAYERS[2] }, (_, j) => T(j)),
    learning_rate: 0.5,
    freeze_biases: false,
  };
}

/** Every in-range pick of the network, in canonical form, with the number it names. */
function allPicks() {
  const out = [];
  for (let layer = 1; layer <= 2; layer++) {
    for (let to = 0; to < LAYERS[layer]; to++) {
      for (let from = 0; from < LAYERS[layer - 1]; from++) out.push({ pick: { kind: "weight", layer, from, to }, value: W(layer, to, from) });
    }
    for (let node = 0; node < LAYERS[layer]; node++) out.push({ pick: { kind: "bias", layer, node }, value: B(layer, node) });
  }
  for (let node = 0; node < LAYERS[0]; node++) out.push({ pick: { kind: "input", layer: 0, node }, value: X(node) });
  for (let node = 0; node < LAYERS[2]; node++) out.push({ pick: { kind: "target", layer: 2, node }, value: T(node) });
  return out;
}

/** All numbers of a request with their paths, to compare before and after an edit. */
function numbersOf(req) {
  const out = new Map();
  const walk = (x, path) => {
    if (typeof x === "number") out.set(path, x);
    else if (x && typeof x === "object") for (const k of Object.keys(x)) walk(x[k], `${path}.${k}`);
  };
  walk(req, "req");
  return out;
}

test("the request is built as the oracle says (weights[l-1][to][from])", () => {
  const req = makeRequest();
  assert.equal(req.network.weights[0].length, 4, "4 neurons in layer 1, each with…");
  assert.equal(req.network.weights[0][0].length, 3, "…3 incoming weights");
  assert.equal(req.network.weights[1].length, 2);
  assert.equal(req.network.weights[1][0].length, 4);
  assert.equal(req.network.weights[1][1][3], 213.5);
  assert.equal(req.network.weights[0][3][2], 132.5);
});

test("get reads each pick's number at the right place", () => {
  const req = makeRequest();
  const picks = allPicks();
  assert.equal(picks.length, 4 * 3 + 2 * 4 + 4 + 2 + 3 + 2);
  for (const { pick, value } of picks) assert.equal(PICKS[pick.kind].get(req, pick), value, JSON.stringify(pick));
  // The raw arrays, spelled out for a few.
  assert.equal(PICKS.weight.get(req, { kind: "weight", layer: 1, from: 2, to: 3 }), req.network.weights[0][3][2]);
  assert.equal(PICKS.weight.get(req, { kind: "weight", layer: 2, from: 3, to: 1 }), req.network.weights[1][1][3]);
  assert.equal(PICKS.bias.get(req, { kind: "bias", layer: 2, node: 1 }), req.network.biases[1][1]);
  assert.equal(PICKS.input.get(req, { kind: "input", layer: 0, node: 2 }), req.input[2]);
  assert.equal(PICKS.target.get(req, { kind: "target", layer: 2, node: 1 }), req.target[1]);
  assert.equal(PICKS.loss.get(req, { kind: "loss" }), null);
});

test("set writes exactly one number, in a new request, and leaves the old one untouched", () => {
  const req = makeRequest();
  const pristine = structuredClone(req);
  const before = numbersOf(req);
  for (const { pick } of allPicks()) {
    const row = PICKS[pick.kind];
    assert.equal(row.editable, true);
    const next = row.set(req, pick, -1234.5);
    assert.notEqual(next, req, "a new request");
    assert.deepEqual(req, pristine, `${JSON.stringify(pick)}: the old request is untouched`);
    assert.equal(row.get(next, pick), -1234.5);
    const after = numbersOf(next);
    const changed = [...after].filter(([path, x]) => before.get(path) !== x).map(([path]) => path);
    assert.equal(changed.length, 1, `${JSON.stringify(pick)} changed ${changed}`);
    const expectedPath = {
      weight: `req.network.weights.${pick.layer - 1}.${pick.to}.${pick.from}`,
      bias: `req.network.biases.${pick.layer - 1}.${pick.node}`,
      input: `req.input.${pick.node}`,
      target: `req.target.${pick.node}`,
    }[pick.kind];
    assert.equal(changed[0], expectedPath);
    assert.equal(after.size, before.size);
    // Nothing shared with the old request: editing the new one further does not leak back.
    next.network.weights[0][0][0] = 7;
    next.input[0] = 7;
    assert.deepEqual(req, pristine);
  }
  assert.equal(PICKS.loss.editable, false);
  assert.equal(PICKS.loss.set, undefined);
});

test("validPick accepts exactly the in-range picks (exhaustive over a grid)", () => {
  const req = makeRequest();
  const bad = [-1, 0.5, 1.5, NaN, Infinity, -0.5, "0", "1", null, undefined, true, [0], {}];
  const ints = [-2, -1, 0, 1, 2, 3, 4, 5, 6];
  const values = [...ints, ...bad];
  const isIn = (x, n) => typeof x === "number" && Number.isInteger(x) && x >= 0 && x < n; // the oracle
  let accepted = 0;
  let checked = 0;

  for (const layer of values) {
    for (const from of values) {
      for (const to of values) {
        const pick = { kind: "weight", layer, from, to };
        const ok = (layer === 1 || layer === 2) && isIn(from, LAYERS[layer - 1]) && isIn(to, LAYERS[layer]);
        const got = validPick({ ...pick, extra: "dropped" }, req);
        checked += 1;
        if (ok) {
          accepted += 1;
          assert.deepEqual(got, { kind: "weight", layer, from, to });
          assert.deepEqual(Object.keys(got), ["kind", "layer", "from", "to"]);
        } else assert.equal(got, null, JSON.stringify(pick, (k, v) => (v === undefined ? "undefined" : Number.isNaN(v) ? "NaN" : v)));
      }
    }
    for (const node of values) {
      const ok = (layer === 1 || layer === 2) && isIn(node, LAYERS[layer]);
      const got = validPick({ kind: "bias", layer, node, x: 1 }, req);
      checked += 1;
      if (ok) {
        accepted += 1;
        assert.deepEqual(got, { kind: "bias", layer, node });
        assert.deepEqual(Object.keys(got), ["kind", "layer", "node"]);
      } else assert.equal(got, null, `bias ${String(layer)} ${String(node)}`);
    }
  }
  assert.equal(accepted, 4 * 3 + 2 * 4 + 4 + 2, "every weight and bias once");
  assert.ok(checked > 8000);

  for (const node of values) {
    const input = validPick({ kind: "input", layer: 0, node, extra: 1 }, req);
    if (isIn(node, 3)) assert.deepEqual(input, { kind: "input", layer: 0, node });
    else assert.equal(input, null, `input ${String(node)}`);
    const noLayer = validPick({ kind: "input", node }, req);
    if (isIn(node, 3)) assert.deepEqual(noLayer, { kind: "input", layer: 0, node }, "the layer is filled in");
    else assert.equal(noLayer, null);
    const target = validPick({ kind: "target", node }, req);
    if (isIn(node, 2)) assert.deepEqual(target, { kind: "target", layer: 2, node }, "the target sits at the last layer");
    else assert.equal(target, null, `target ${String(node)}`);
  }
  assert.deepEqual(validPick({ kind: "loss", layer: 3, junk: true }, req), { kind: "loss" });
});

test("validPick: unknown kinds, non-objects and a missing request give null", () => {
  const req = makeRequest();
  for (const pick of [
    null,
    undefined,
    "weight",
    42,
    [],
    {},
    { kind: "neuron", layer: 1, node: 0 },
    { kind: "Weight", layer: 1, from: 0, to: 0 },
    { kind: "constructor" },
    { kind: "toString" },
    { kind: "hasOwnProperty" },
    { kind: "__proto__" },
  ]) {
    assert.equal(validPick(pick, req), null, JSON.stringify(pick));
    assert.equal(pickKey(pick), null, JSON.stringify(pick));
  }
  assert.equal(validPick({ kind: "bias", layer: 1, node: 0 }, null), null);
  assert.equal(validPick({ kind: "bias", layer: 1, node: 0 }, undefined), null);
  assert.equal(pickRow({ kind: "bias" }), PICKS.bias);
  assert.equal(pickRow({ kind: "constructor" }), undefined);
});

test("validPick follows the request's own layer sizes", () => {
  const req = makeRequest();
  req.network.layers = [2, 5];
  assert.deepEqual(validPick({ kind: "weight", layer: 1, from: 1, to: 4 }, req), { kind: "weight", layer: 1, from: 1, to: 4 });
  assert.equal(validPick({ kind: "weight", layer: 1, from: 2, to: 0 }, req), null);
  assert.equal(validPick({ kind: "weight", layer: 2, from: 0, to: 0 }, req), null);
  assert.deepEqual(validPick({ kind: "target", node: 4 }, req), { kind: "target", layer: 1, node: 4 });
});

test("pickKey: equal exactly when the picks are equal", () => {
  const picks = [...allPicks().map((p) => p.pick), { kind: "loss" }];
  const keys = picks.map(pickKey);
  for (const k of keys) assert.equal(typeof k, "string");
  for (let a = 0; a < picks.length; a++) {
    for (let b = 0; b < picks.length; b++) {
      const same = JSON.stringify(picks[a]) === JSON.stringify(picks[b]);
      assert.equal(keys[a] === keys[b], same, `${JSON.stringify(picks[a])} vs ${JSON.stringify(picks[b])}`);
    }
  }
  // The same pick written differently (key order, extra fields) has the same key.
  assert.equal(pickKey({ to: 2, from: 1, layer: 1, kind: "weight", extra: 9 }), pickKey({ kind: "weight", layer: 1, from: 1, to: 2 }));
  assert.equal(pickKey({ node: 1, kind: "bias", layer: 2 }), pickKey({ kind: "bias", layer: 2, node: 1 }));
  // from and to are not interchangeable.
  assert.notEqual(pickKey({ kind: "weight", layer: 1, from: 1, to: 2 }), pickKey({ kind: "weight", layer: 1, from: 2, to: 1 }));
  assert.equal(pickKey(null), null);
});

test("neuronPick: the input in layer 0, the bias elsewhere; all valid", () => {
  const req = makeRequest();
  for (let layer = 0; layer < LAYERS.length; layer++) {
    for (let node = 0; node < LAYERS[layer]; node++) {
      const pick = neuronPick(layer, node);
      assert.deepEqual(pick, layer === 0 ? { kind: "input", layer: 0, node } : { kind: "bias", layer, node });
      assert.deepEqual(validPick(pick, req), pick, "already canonical");
      assert.equal(PICKS[pick.kind].get(req, pick), layer === 0 ? X(node) : B(layer, node));
    }
  }
});

test("anchors: a weight between the two neurons it joins, a bias above its neuron", () => {
  const layout = {
    r: 12,
    neurons: LAYERS.map((n, l) => Array.from({ length: n }, (_, j) => ({ x: 100 * l, y: 40 * j }))),
  };
  assert.deepEqual(PICKS.weight.anchor(layout, { kind: "weight", layer: 2, from: 3, to: 1 }), { x: 150, y: (120 + 40) / 2 });
  assert.deepEqual(PICKS.bias.anchor(layout, { kind: "bias", layer: 1, node: 2 }), { x: 100, y: 80 - 12 });
  assert.deepEqual(PICKS.input.anchor(layout, { kind: "input", layer: 0, node: 1 }), { x: 0, y: 40 - 12 });
});

// ---- the columns the views read instead of switching on the kind ----------------------------

// The lecture's names, spelled out by hand: w^l_{ji} runs from neuron i of layer l − 1 to
// neuron j of layer l (1-based in print), so the pick {layer 2, from 3, to 1} is w²₂₄.
const SUB = "₀₁₂₃₄₅₆₇₈₉";
const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";

test("name: every pick by the lecture's name of what it names", () => {
  assert.equal(pickName({ kind: "weight", layer: 2, from: 3, to: 1 }), "w²₂₄");
  assert.equal(pickName({ kind: "weight", layer: 1, from: 0, to: 1 }), "w¹₂₁");
  assert.equal(pickName({ kind: "bias", layer: 2, node: 0 }), "b²₁");
  assert.equal(pickName({ kind: "input", layer: 0, node: 2 }), "x₃");
  assert.equal(pickName({ kind: "target", layer: 2, node: 1 }), "t₂");
  assert.equal(pickName({ kind: "loss" }), "l");
  assert.equal(pickName({ kind: "constructor" }), "");
  assert.equal(pickName(null), "");
  // Every pick of the 3-4-2 network, against the rule written out once more.
  const names = new Set();
  for (const { pick } of allPicks()) {
    const want = {
      weight: () => `w${SUP[pick.layer]}${SUB[pick.to + 1]}${SUB[pick.from + 1]}`,
      bias: () => `b${SUP[pick.layer]}${SUB[pick.node + 1]}`,
      input: () => `x${SUB[pick.node + 1]}`,
      target: () => `t${SUB[pick.node + 1]}`,
    }[pick.kind]();
    assert.equal(pickName(pick), want, JSON.stringify(pick));
    names.add(want);
  }
  assert.equal(names.size, allPicks().length, "no two picks share a name");
});

test("neuron: a bias and an input stand on their drawn neuron; the rest on none", () => {
  for (const { pick } of allPicks()) {
    const want = pick.kind === "bias" ? { layer: pick.layer, node: pick.node } : pick.kind === "input" ? { layer: 0, node: pick.node } : null;
    assert.deepEqual(pickRow(pick).neuron(pick), want, JSON.stringify(pick));
  }
  assert.equal(PICKS.loss.neuron({ kind: "loss" }), null);
  // A drawn neuron's pick (neuronPick) stands on that neuron again.
  for (const [layer, node] of [[0, 2], [1, 3], [2, 1]]) assert.deepEqual(pickRow(neuronPick(layer, node)).neuron(neuronPick(layer, node)), { layer, node });
});

test("cell: the matrix view's item of each pick (a weight's row is its j, its column its i)", () => {
  assert.deepEqual(PICKS.weight.cell({ kind: "weight", layer: 2, from: 3, to: 1 }), { kind: "weight", gap: 1, row: 1, col: 3 });
  assert.deepEqual(PICKS.weight.cell({ kind: "weight", layer: 1, from: 0, to: 2 }), { kind: "weight", gap: 0, row: 2, col: 0 });
  assert.deepEqual(PICKS.bias.cell({ kind: "bias", layer: 2, node: 1 }), { kind: "neuron", layer: 2, node: 1 });
  assert.deepEqual(PICKS.input.cell({ kind: "input", layer: 0, node: 2 }), { kind: "neuron", layer: 0, node: 2 });
  const target = { kind: "target", layer: 2, node: 1 };
  assert.equal(PICKS.target.cell(target), target);
  const loss = { kind: "loss" };
  assert.equal(PICKS.loss.cell(loss), loss);
  // The weight's cell addresses the same number as the pick: weights[gap][row][col].
  const req = makeRequest();
  for (const { pick, value } of allPicks().filter((p) => p.pick.kind === "weight")) {
    const c = PICKS.weight.cell(pick);
    assert.equal(req.network.weights[c.gap][c.row][c.col], value);
  }
});

test("explain: each kind calls its chain rule's builder with the JSON's indices", () => {
  const calls = [];
  const eq = Object.fromEntries(["weight", "neuron", "input", "loss"].map((name) => [name, (...args) => (calls.push([name, ...args]), name)]));
  const req = makeRequest();
  const view = { marker: "view" };
  const info = { activation: "A", loss: "L" };
  const explain = (pick) => {
    calls.length = 0;
    const got = pickRow(pick).explain(eq, pick, req, view, info);
    assert.equal(calls.length, 1);
    assert.equal(got, calls[0][0], "returns the builder's blocks");
    return calls[0];
  };
  // w²₂₄ lives at weights[1][1][3]: the builder gets l = 1 (its index in network.weights), i, j.
  assert.deepEqual(explain({ kind: "weight", layer: 2, from: 3, to: 1 }), ["weight", 1, 3, 1, req, view]);
  assert.deepEqual(explain({ kind: "bias", layer: 1, node: 2 }), ["neuron", 1, 2, req, view, "A"]);
  assert.deepEqual(explain({ kind: "input", layer: 0, node: 1 }), ["input", 1, req]);
  assert.deepEqual(explain({ kind: "target", layer: 2, node: 0 }), ["loss", req, view, "L"]);
  assert.deepEqual(explain({ kind: "loss" }), ["loss", req, view, "L"]);
});

test("every row has every column", () => {
  for (const [kind, row] of Object.entries(PICKS)) {
    for (const column of ["get", "label", "anchor", "key", "valid", "name", "neuron", "cell", "explain"]) {
      assert.equal(typeof row[column], "function", `${kind}.${column}`);
    }
  }
});
