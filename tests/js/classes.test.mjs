// Which output layer fits the data (training/classes.js), read from the capabilities, and
// where a refused point came from: a CSV's line and column, or a clicked point's number.

import assert from "node:assert/strict";
import { test } from "node:test";

import { keptParameters } from "../../static/js/panel/editor.js";
import { areClasses, dataKindOf, fitNetwork, outputFor, pointField, pointPlace } from "../../static/js/training/classes.js";

// GET /api/v1/capabilities' activations and losses as the server publishes them (the fields
// the rule reads).
const ALL = ["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"];
const CAPS = {
  activations: [...ALL.slice(0, -1).map((name) => ({ name, output_only: false })), { name: "softmax", output_only: true }],
  losses: [
    { name: "squared_error", output_activations: ALL, targets_in_unit_interval: false },
    { name: "mse", output_activations: ALL, targets_in_unit_interval: false },
    { name: "binary_cross_entropy", output_activations: ["sigmoid"], targets_in_unit_interval: true },
    { name: "cross_entropy", output_activations: ["softmax"], targets_in_unit_interval: true },
  ],
};

const NET = { layers: [2, 4, 4, 1], activations: ["tanh", "tanh", "sigmoid"], loss: "binary_cross_entropy", init: "xavier", seed: 0 };
const TWO = { kind: "classification", classes: 2 };
const THREE = { kind: "classification", classes: 3 };
const VALUES = { kind: "regression", classes: null };
const XY = ["x1", "x2"];

test("labels are classes when they are whole numbers from 0; k is the largest + 1, at least 2", () => {
  assert.deepEqual(dataKindOf([0, 1, 2, 1]), THREE);
  assert.deepEqual(dataKindOf([1, 1]), TWO);
  assert.deepEqual(dataKindOf([0, 2.5]), VALUES);
  assert.deepEqual(dataKindOf([-1, 1]), VALUES);
  assert.ok(!areClasses([]));
});

test("a class is an output neuron: labels past the server's max_neurons are values", () => {
  assert.deepEqual(dataKindOf([0, 1, 7], 8), { kind: "classification", classes: 8 });
  assert.deepEqual(dataKindOf([0, 1, 8], 8), VALUES);
  assert.ok(areClasses([63], 64) && !areClasses([64], 64));
});

test("the output layer each kind of data needs, named by the capabilities", () => {
  const pick = (info, caps = CAPS) => {
    const { size, activation, loss } = outputFor(info, caps);
    return { size, activation, loss };
  };
  assert.deepEqual(pick(TWO), { size: 1, activation: "sigmoid", loss: "binary_cross_entropy" });
  assert.deepEqual(pick(THREE), { size: 3, activation: "softmax", loss: "cross_entropy" });
  assert.deepEqual(pick({ kind: "classification", classes: 5 }).size, 5);
  assert.deepEqual(pick(VALUES), { size: 1, activation: "linear", loss: "squared_error" });
  // A server whose names differ: the page follows its table, not its own.
  const renamed = {
    activations: [{ name: "logistic", output_only: false }, { name: "linear", output_only: false }, { name: "softargmax", output_only: true }],
    losses: [
      { name: "half_sq", output_activations: ["logistic", "linear", "softargmax"], targets_in_unit_interval: false },
      { name: "nll", output_activations: ["softargmax"], targets_in_unit_interval: true },
      { name: "logloss", output_activations: ["logistic"], targets_in_unit_interval: true },
    ],
  };
  assert.deepEqual(pick(TWO, renamed), { size: 1, activation: "logistic", loss: "logloss" });
  assert.deepEqual(pick(THREE, renamed), { size: 3, activation: "softargmax", loss: "nll" });
  assert.deepEqual(pick(VALUES, renamed), { size: 1, activation: "linear", loss: "half_sq" });
  // Which losses may stay on an output that is already right.
  assert.ok(outputFor(TWO, CAPS).keeps("mse"));
  assert.ok(!outputFor(TWO, CAPS).keeps("cross_entropy"));
  assert.ok(outputFor(VALUES, CAPS).keeps("mse"));
  assert.ok(!outputFor(VALUES, CAPS).keeps("binary_cross_entropy"));
});

test("three classes: k softmax outputs, fresh; the hidden layers keep their weights", () => {
  const withWeights = {
    ...NET,
    weights: [[[1, 2], [3, 4], [5, 6], [7, 8]], Array(4).fill([0.1, 0.2, 0.3, 0.4]), [[9, 9, 9, 9]]],
    biases: [[1, 2, 3, 4], [5, 6, 7, 8], [0.5]],
  };
  const fit = fitNetwork(withWeights, XY, THREE, CAPS);
  assert.equal(fit.changed, true);
  assert.deepEqual(fit.network.layers, [2, 4, 4, 3]);
  assert.equal(fit.network.activations.at(-1), "softmax");
  assert.equal(fit.network.loss, "cross_entropy");
  assert.equal("weights" in fit.network, false, "the server draws the new shape");
  assert.deepEqual(fit.map, [0, 1, 2, null], "a new output activation: its weights are all fresh");
  assert.deepEqual(fit.output, { size: 3, activation: "softmax", loss: "cross_entropy", inputs: false });
  // What the page then does: POST /network's fresh numbers, the old ones that fit copied in.
  const fresh = {
    ...fit.network,
    weights: [Array(4).fill([0, 0]), Array(4).fill([0, 0, 0, 0]), Array(3).fill([-1, -1, -1, -1])],
    biases: [[0, 0, 0, 0], [0, 0, 0, 0], [-1, -1, -1]],
  };
  const kept = keptParameters(withWeights, fresh, fit.map);
  assert.deepEqual(kept.weights.slice(0, 2), withWeights.weights.slice(0, 2));
  assert.deepEqual(kept.biases.slice(0, 2), withWeights.biases.slice(0, 2));
  assert.deepEqual(kept.weights[2], fresh.weights[2]);
  assert.deepEqual(kept.biases[2], [-1, -1, -1]);
  assert.deepEqual(NET.layers, [2, 4, 4, 1], "the argument is untouched");
});

test("back to two classes, to values, more classes, more features", () => {
  const three = { ...NET, layers: [2, 4, 4, 3], activations: ["tanh", "tanh", "softmax"], loss: "cross_entropy" };
  const two = fitNetwork(three, XY, TWO, CAPS);
  assert.deepEqual(two.network.layers, [2, 4, 4, 1]);
  assert.deepEqual([two.network.activations.at(-1), two.network.loss], ["sigmoid", "binary_cross_entropy"]);
  assert.equal(two.map.at(-1), null);
  const values = fitNetwork(NET, XY, VALUES, CAPS);
  assert.deepEqual([values.network.activations.at(-1), values.network.loss], ["linear", "squared_error"]);
  assert.deepEqual(values.output, { size: 1, activation: "linear", loss: "squared_error", inputs: false });
  // mse stays on values (it fits), and on two classes with a sigmoid.
  assert.equal(fitNetwork({ ...NET, activations: ["tanh", "tanh", "linear"], loss: "mse" }, XY, VALUES, CAPS).network.loss, "mse");
  assert.equal(fitNetwork({ ...NET, loss: "mse" }, XY, TWO, CAPS).network.loss, "mse");
  // A fourth class: the softmax grows, class j stays neuron j (the identity map).
  const four = fitNetwork(three, XY, { kind: "classification", classes: 4 }, CAPS);
  assert.deepEqual(four.map, [0, 1, 2, 3]);
  assert.equal(four.output.size, 4);
  // The same output: nothing to do, the weights stay.
  const same = fitNetwork({ ...NET, weights: [], biases: [] }, XY, TWO, CAPS);
  assert.equal(same.changed, false);
  assert.equal(same.output, null);
  assert.ok("weights" in same.network);
  // A new feature: a new input neuron, the output as it was.
  const more = fitNetwork(NET, ["x1", "x2", "x1^2"], TWO, CAPS);
  assert.equal(more.changed, true);
  assert.deepEqual(more.network.layers, [3, 4, 4, 1]);
  assert.equal(more.output, null);
});

test("a refused point is named by its CSV line and column, or by its number when clicked", () => {
  const csv = { x: [[1, 2], [3, 4], [5, 6]], lines: [2, 4, 5], columns: ["x1", "x2", "label"] };
  assert.deepEqual(pointField("dataset.x[2][1]"), { index: 2, input: 1 });
  assert.deepEqual(pointField("dataset.y[1][0]"), { index: 1, label: true });
  assert.deepEqual(pointField("dataset.x[0]"), { index: 0 });
  assert.equal(pointField("dataset.x"), null);
  assert.equal(pointField("network.weights[0][0][0]"), null);
  assert.deepEqual(pointPlace(csv, pointField("dataset.x[2][1]")), { line: 5, column: 2, name: "x2" });
  assert.deepEqual(pointPlace(csv, pointField("dataset.y[1][2]")), { line: 4, column: 3, name: "label" });
  assert.deepEqual(pointPlace(csv, pointField("dataset.x[0]")), { line: 2 });
  // Clicked points (no lines), and a clicked point added after a CSV's.
  const clicked = { x: [[1, 2], [3, 4], [5, 6], [7, 8], [0, 0]] };
  assert.deepEqual(pointPlace(clicked, pointField("dataset.x[4][0]")), { point: 5, column: 1, name: "x1" });
  assert.deepEqual(pointPlace({ ...csv, lines: [2, 4, null] }, { index: 2, label: true }), { point: 3, column: 3, name: "label" });
});
