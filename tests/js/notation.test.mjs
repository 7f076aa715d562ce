// notation.js: the lecture's names (w^l_{ji}, b^l_j, z^l_j, a^l_j, x_i, t_j, η) and the
// translation of the API's field paths into them (the 4xx answers: messages.test.mjs); and the editor's
// keptParameters (a structural edit keeps every weight and bias that still fits).
// Every expected name below is worked out by hand from the lecture's definition:
// network.weights[l − 1][j][i] is w^l_{ji}, from neuron i of layer l − 1 to neuron j of layer l.

import assert from "node:assert/strict";
import { test } from "node:test";

import { pickName } from "../../static/js/drawing/picks.js";
import { keptParameters, sameLayers } from "../../static/js/panel/editor.js";
import {
  aName,
  aTex,
  biasName,
  biasTex,
  ETA,
  fieldName,
  inputName,
  targetName,
  weightName,
  weightTex,
  zName,
  zTex,
} from "../../static/js/text/notation.js";
import { S, setLanguage } from "../../static/js/text/strings.js";

setLanguage("en");

test("names: w^l_{ji} as w, the layer up, neuron j then i down (1-based)", () => {
  assert.equal(weightName(1, 0, 0), "w¹₁₁");
  assert.equal(weightName(1, 1, 0), "w¹₂₁"); // into neuron 2 of layer 1, from x₁
  assert.equal(weightName(2, 0, 1), "w²₁₂");
  // Past 9 the two subscripts are separated, or w₁₁₂ would read both ways.
  assert.equal(weightName(3, 10, 1), "w³₁₁,₂");
  assert.equal(weightName(12, 0, 0), "w¹²₁₁");
  assert.equal(biasName(1, 1), "b¹₂");
  assert.equal(zName(1, 0), "z¹₁");
  assert.equal(aName(2, 1), "a²₂");
  assert.equal(aName(0, 1), "x₂", "a⁰ is the input x");
  assert.equal(inputName(0), "x₁");
  assert.equal(targetName(1), "t₂");
  assert.equal(ETA, "η");
});

test("TeX names for the equation panel", () => {
  assert.equal(weightTex(2, 0, 1), "w^{2}_{12}");
  assert.equal(weightTex(1, 9, 0), "w^{1}_{10,1}");
  assert.equal(biasTex(1, 1), "b^{1}_{2}");
  assert.equal(zTex(1, 0), "z^{1}_{1}");
  assert.equal(aTex(0, 2), "x_{3}");
  assert.equal(aTex(2, 0), "a^{2}_{1}");
});

test("fieldName: the API's paths, with or without network., in the lecture's names", () => {
  // weights[l − 1][j][i] = w^l_{ji}: index 1 is layer 2; [0][0] is neuron 1 from neuron 1.
  assert.equal(fieldName("network.weights[1][0][0]"), "w²₁₁");
  // POST /network names its fields without "network.".
  assert.equal(fieldName("weights[0][1][0]"), "w¹₂₁");
  assert.equal(fieldName("network.weights[0][0][1]"), "w¹₁₂");
  assert.equal(fieldName("network.biases[0][1]"), "b¹₂");
  assert.equal(fieldName("biases[1][0]"), "b²₁");
  assert.equal(fieldName("input[0]"), "x₁");
  assert.equal(fieldName("target[1]"), "t₂");
  assert.equal(fieldName("learning_rate"), "η");
  assert.equal(fieldName("network.layers[2]"), "layer 2");
  assert.equal(fieldName("network.layers[0]"), "layer 0");
  // activations[k] is σ of layer k + 1 (the input has none).
  assert.equal(fieldName("network.activations[0]"), S.activationTitle(1));
  assert.equal(fieldName("network.seed"), S.seed);
  assert.equal(fieldName("seed"), S.seed);
  assert.equal(fieldName("network.loss"), S.loss);
  // A whole layer or row of weights: the layer, and ᵢ for "every i".
  assert.equal(fieldName("network.weights[1]"), "w²");
  assert.equal(fieldName("network.weights[0][2]"), "w¹₃ᵢ");
  assert.equal(fieldName("network.biases"), "b");
  // No lecture name: null (the caller keeps the API's path).
  assert.equal(fieldName("dataset.samples"), null);
  assert.equal(fieldName("epochs"), null);
  assert.equal(fieldName("network.weights[0][0][0][0]"), null);
});

test("the drawing's, the editor's and the panel's names agree", () => {
  // The first hidden layer is layer 1 everywhere; its first neuron is z¹₁.
  assert.equal(S.neuronTitle(1, 0), "layer 1, neuron 1");
  assert.match(S.eqNeuron(1, 0, "sigmoid"), /^Layer 1, neuron 1: z¹₁/);
  assert.equal(S.neuronTitle(0, 1), "input x₂");
  // A link's data-layer (0) is the layer it leaves: it is w¹.
  assert.equal(S.linkTitle(0, 1, 0), "w¹₁₂: from input x₂ to layer 1, neuron 1");
  assert.equal(S.editWeight(1, 0, 1), "w²₂₁: from layer 1, neuron 1 to layer 2, neuron 2");
  assert.equal(S.eqLink(1, 0, 1), `Weight ${S.editWeight(1, 0, 1)}`);
  assert.match(S.editBias(1, 0), /^b¹₁: .*layer 1, neuron 1/);
  // picks carry the lecture's layer: the weight pick {layer: 2, from: 0, to: 1} is w²₂₁.
  assert.equal(pickName({ kind: "weight", layer: 2, from: 0, to: 1 }), "w²₂₁");
  assert.equal(pickName({ kind: "bias", layer: 1, node: 1 }), "b¹₂");
  assert.equal(pickName({ kind: "input", layer: 0, node: 0 }), "x₁");
  assert.equal(pickName({ kind: "target", layer: 2, node: 1 }), "t₂");
});

// ---- keptParameters --------------------------------------------------------------------

// A 2-3-2 network whose every number says where it is: w^l_{ji} = 100 l + 10 j + i (+ 0.5),
// b^l_j = −(10 l + j); a "fresh" one is all 7s (what init and seed would draw).
const W = (l, j, i) => 100 * l + 10 * j + i + 0.5;
const B = (l, j) => -(10 * l + j);
function numbered(layers) {
  return {
    layers,
    weights: layers.slice(1).map((n, k) => Array.from({ length: n }, (_, j) => Array.from({ length: layers[k] }, (_, i) => W(k + 1, j, i)))),
    biases: layers.slice(1).map((n, k) => Array.from({ length: n }, (_, j) => B(k + 1, j))),
  };
}
function fresh(layers) {
  return {
    layers,
    weights: layers.slice(1).map((n, k) => Array.from({ length: n }, () => Array(layers[k]).fill(7))),
    biases: layers.slice(1).map((n) => Array(n).fill(7)),
  };
}

test("keptParameters: a neuron added keeps every old w and b; only the new neuron's are fresh", () => {
  const old = numbered([2, 3, 2]);
  const net = keptParameters(old, fresh([2, 4, 2]), sameLayers(3));
  assert.deepEqual(net.weights[0], [
    [W(1, 0, 0), W(1, 0, 1)],
    [W(1, 1, 0), W(1, 1, 1)],
    [W(1, 2, 0), W(1, 2, 1)],
    [7, 7], // w¹₄ᵢ: into the new neuron
  ]);
  assert.deepEqual(net.weights[1], [
    [W(2, 0, 0), W(2, 0, 1), W(2, 0, 2), 7], // w²₁₄: out of the new neuron
    [W(2, 1, 0), W(2, 1, 1), W(2, 1, 2), 7],
  ]);
  assert.deepEqual(net.biases, [[B(1, 0), B(1, 1), B(1, 2), 7], [B(2, 0), B(2, 1)]]);
  assert.deepEqual(old, numbered([2, 3, 2]), "the old network is untouched");
});

test("keptParameters: a neuron removed (the last) keeps the rest exactly", () => {
  const net = keptParameters(numbered([2, 3, 2]), fresh([2, 2, 2]), sameLayers(3));
  assert.deepEqual(net.weights[0], [[W(1, 0, 0), W(1, 0, 1)], [W(1, 1, 0), W(1, 1, 1)]]);
  assert.deepEqual(net.weights[1], [[W(2, 0, 0), W(2, 0, 1)], [W(2, 1, 0), W(2, 1, 1)]]);
  assert.deepEqual(net.biases, [[B(1, 0), B(1, 1)], [B(2, 0), B(2, 1)]]);
  // An input neuron added: its weights out are fresh.
  const wider = keptParameters(numbered([2, 3, 2]), fresh([3, 3, 2]), sameLayers(3));
  assert.deepEqual(wider.weights[0][1], [W(1, 1, 0), W(1, 1, 1), 7]);
});

test("keptParameters: a hidden layer added before the output: layers before keep theirs", () => {
  // 2-3-2 → 2-3-3-2; new layer 2 is new, new layer 3 is the old output layer 2.
  const map = [0, 1, null, 2];
  const net = keptParameters(numbered([2, 3, 2]), fresh([2, 3, 3, 2]), map);
  assert.deepEqual(net.weights[0], numbered([2, 3, 2]).weights[0], "w¹ kept");
  assert.deepEqual(net.biases[0], numbered([2, 3, 2]).biases[0], "b¹ kept");
  assert.deepEqual(net.weights[1], fresh([2, 3, 3, 2]).weights[1], "w² into the new layer: fresh");
  assert.deepEqual(net.biases[1], [7, 7, 7], "b² of the new layer: fresh");
  assert.deepEqual(net.weights[2], fresh([2, 3, 3, 2]).weights[2], "w³ out of the new layer: fresh");
  assert.deepEqual(net.biases[2], [B(2, 0), B(2, 1)], "the output neurons keep their b");
});

test("keptParameters: the last hidden layer removed: the output's w are fresh, the rest kept", () => {
  // 2-3-3-2 → 2-3-2: new layer 2 is the old output layer 3, now fed by layer 1.
  const old = numbered([2, 3, 3, 2]);
  const net = keptParameters(old, fresh([2, 3, 2]), [0, 1, 3]);
  assert.deepEqual(net.weights[0], old.weights[0]);
  assert.deepEqual(net.biases[0], old.biases[0]);
  assert.deepEqual(net.weights[1], fresh([2, 3, 2]).weights[1]);
  assert.deepEqual(net.biases[1], old.biases[2]);
});
