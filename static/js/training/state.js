// The training slice of the store, as pure functions (node tests them without a browser):
// the settings, the bodies sent to POST /dataset and POST /train/stream, and the fold of the
// stream's events into what the training view shows. Every number shown comes from the
// server's events; nothing here computes a loss, a gradient or a feature.
//
//   training = {settings, data, points, run}
//     settings  what the controls say (data set, samples, noise, η, optimizer, …)
//     data      the last POST /dataset answer (the split, each point's inputs and targets)
//     points    the user's own points {x, y, labels} (clicked or uploaded), or null
//     run       the fold of the stream's events (emptyRun() before any)

import { readNumber } from "../text/numbers.js";

/** The input features the server can make from a 2-D point (docs/training.md), in its order. */
export const FEATURES = ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"];

/** What each generated set is, when the capabilities do not say (docs/training.md). */
export const KNOWN_DATASETS = {
  circle: { kind: "classification", classes: 2 },
  xor: { kind: "classification", classes: 2 },
  gauss: { kind: "classification", classes: 2 },
  spiral: { kind: "classification", classes: 2 },
  moons: { kind: "classification", classes: 2 },
  three_class: { kind: "classification", classes: 3 },
  plane: { kind: "regression", classes: null },
  multi_gauss: { kind: "regression", classes: null },
};

/** The speed control: from "every epoch shown" to "as fast as the server goes". */
export const SPEEDS = [
  { report_every: 1, pace: 5 },
  { report_every: 1, pace: 20 },
  { report_every: 1, pace: null },
  { report_every: 5, pace: null },
  { report_every: 10, pace: null },
];

export const OPTIMIZERS = ["sgd", "momentum", "adam"];
export const REGULARIZATIONS = ["none", "l1", "l2"];
export const USER_DATASET = "user";

export const DEFAULT_SETTINGS = Object.freeze({
  dataset: "xor",
  samples: 200,
  noise: 0,
  test_ratio: 0.5,
  seed: 0,
  batch_size: 10,
  optimizer: "sgd",
  learning_rate: null, // the page's one η, the step's (store.js withOneEta): a preset's, a link's, the one typed
  regularization: "none",
  regularization_rate: 0.001,
  features: ["x1", "x2"],
  speed: 3,
  epochs: 1000,
  target_loss: null,
  grid: 50,
  neuron_grid: 20, // the hidden neurons' pictures are thumbnails: a small lattice is enough
  show_test: true,
  discretize: false,
});

/** A network for training when the page shows an unedited example: 2-4-4-1, tanh and sigmoid. */
export const DEFAULT_TRAINING_NETWORK = Object.freeze({
  layers: [2, 4, 4, 1],
  activations: ["tanh", "tanh", "sigmoid"],
  loss: "binary_cross_entropy",
  init: "xavier",
  seed: 0,
});

export const MAX_HISTORY = 2000; // chart points kept; past it every other one is dropped

export function emptyRun() {
  return {
    running: false,
    epoch: 0,
    step: 0,
    steps_per_epoch: null,
    train_size: null,
    train_loss: null,
    test_loss: null,
    train_accuracy: null,
    test_accuracy: null,
    history: [],
    snapshot: null, // the latest snapshot event (boundary, neurons, network)
    network: null, // the latest network the server sent (snapshot or done)
    at: null, // {epoch, step} where that network is: where a continued run starts
    next_batch: null, // the training points the next step from that network takes (the server's)
    optimizer_state: null,
    done: null,
    problem: null, // {type: "diverged" | "error", reason}
  };
}

export function emptyTraining(settings = DEFAULT_SETTINGS) {
  return { settings: structuredClone(settings), data: null, points: null, run: emptyRun() };
}

/** What the data set is: {kind, classes}, from the capabilities' list when it has one. */
export function datasetInfo(name, capabilityDatasets = null) {
  const row = (capabilityDatasets || []).find((d) => d && typeof d === "object" && d.name === name);
  if (row && row.kind) return { kind: row.kind, classes: row.classes ?? null };
  return KNOWN_DATASETS[name] || { kind: "classification", classes: 2 };
}

/** The names of the generated sets: the capabilities' list (names or {name} rows), else ours. */
export function datasetNames(capabilityDatasets = null) {
  const names = (capabilityDatasets || []).map((d) => (typeof d === "string" ? d : d && d.name)).filter(Boolean);
  return names.length ? names : Object.keys(KNOWN_DATASETS);
}

/** The `dataset` of a /dataset or /train/stream body. */
export function datasetSpec(settings, points = null) {
  const common = { seed: settings.seed, test_ratio: settings.test_ratio, features: [...settings.features] };
  if (settings.dataset === USER_DATASET && points) {
    return { x: structuredClone(points.x), y: structuredClone(points.y), ...common };
  }
  return { name: settings.dataset, samples: settings.samples, noise: settings.noise, ...common };
}

/**
 * How many epochs one request may run within the server's caps (capabilities.limits):
 * epochs, epochs × training points, and the snapshots' grid values (the boundary's grid² and
 * each hidden neuron's neuronGrid², default grid). A longer run is several requests, each
 * continuing where the last one ended.
 */
export function epochsPerRequest({ remaining, trainSize, reportEvery, grid, neuronGrid = grid, hidden, limits = {} }) {
  let epochs = Math.min(remaining, limits.max_epochs ?? Infinity);
  if (limits.max_epoch_samples && trainSize) epochs = Math.min(epochs, Math.floor(limits.max_epoch_samples / trainSize));
  const cells = grid ? grid * grid + neuronGrid * neuronGrid * hidden : 0;
  if (limits.max_report_cells && cells) {
    const reports = Math.floor(limits.max_report_cells / cells);
    epochs = Math.min(epochs, Math.max(1, reports - 1) * reportEvery);
  }
  return Math.max(1, epochs);
}

/** The number of hidden neurons (the pictures neuron_grids asks for). */
export const hiddenCount = (network) => network.layers.slice(1, -1).reduce((a, b) => a + b, 0);

/** The lattice of the hidden neurons' pictures: the setting, never finer than the boundary's. */
export const neuronGrid = (settings) => Math.max(2, Math.min(settings.neuron_grid ?? settings.grid, settings.grid));

/**
 * The body of POST /train/stream. `epochs`: how many this request runs (from the start
 * epoch); `resume`: continue a run ({epoch, step, optimizer_state}).
 */
export function trainBody(settings, { network, dataset, epochs, resume = null, maxSteps = null }) {
  const speed = SPEEDS[settings.speed] || SPEEDS[SPEEDS.length - 1];
  const body = {
    network,
    dataset,
    learning_rate: settings.learning_rate,
    batch_size: settings.batch_size,
    epochs,
    optimizer: settings.optimizer,
    reduction: "mean",
    report_every: maxSteps ? 1 : Math.max(1, Math.min(speed.report_every, epochs)),
    grid: settings.grid,
    neuron_grids: true,
    seed: settings.seed,
    state_in_snapshots: true,
  };
  if (settings.grid) body.neuron_grid = neuronGrid(settings);
  if (speed.pace && !maxSteps) body.pace = speed.pace;
  if (settings.regularization !== "none") {
    body.regularization = { kind: settings.regularization, rate: settings.regularization_rate };
  }
  if (settings.target_loss !== null && settings.target_loss !== undefined) body.target_loss = settings.target_loss;
  if (maxSteps) body.max_steps = maxSteps;
  if (resume) {
    body.start_epoch = resume.epoch;
    body.start_step = resume.step;
    if (resume.optimizer_state) body.optimizer_state = resume.optimizer_state;
  }
  return body;
}

/** The chart's points, with every other one dropped once there are too many. */
export function appendHistory(history, point, max = MAX_HISTORY) {
  const last = history.at(-1);
  // A restarted stream reports its first epoch again: the newer numbers replace the older.
  const kept = last && last.epoch >= point.epoch ? history.filter((p) => p.epoch < point.epoch) : history;
  const next = [...kept, point];
  if (next.length <= max) return next;
  return next.filter((_, k) => k % 2 === 0 || k === next.length - 1);
}

/** The run after one stream event: a pure fold, never mutating `run`. */
export function applyTrainingEvent(run, event) {
  switch (event.type) {
    case "start":
      return {
        ...run,
        running: true,
        done: null,
        problem: null,
        epoch: event.epoch,
        step: event.step,
        steps_per_epoch: event.steps_per_epoch,
        train_size: event.train_size,
      };
    case "epoch": {
      const numbers = {
        train_loss: event.train_loss,
        test_loss: event.test_loss ?? null,
        train_accuracy: event.train_accuracy ?? null,
        test_accuracy: event.test_accuracy ?? null,
      };
      return {
        ...run,
        ...numbers,
        epoch: event.epoch,
        step: event.step,
        history: appendHistory(run.history, { epoch: event.epoch, step: event.step, ...numbers }),
      };
    }
    case "snapshot":
      return {
        ...run,
        epoch: event.epoch,
        step: event.step,
        snapshot: event,
        network: event.network || run.network,
        at: event.network ? { epoch: event.epoch, step: event.step } : run.at,
        next_batch: event.next_batch ?? run.next_batch,
        optimizer_state: event.optimizer_state ?? run.optimizer_state,
      };
    case "diverged":
    case "error":
      return { ...run, problem: { type: event.type, reason: event.reason, epoch: event.epoch } };
    case "done":
      return {
        ...run,
        running: false,
        done: event,
        epoch: event.epoch,
        step: event.step,
        train_loss: event.train_loss ?? run.train_loss,
        test_loss: event.test_loss ?? run.test_loss,
        train_accuracy: event.train_accuracy ?? run.train_accuracy,
        test_accuracy: event.test_accuracy ?? run.test_accuracy,
        network: event.network || run.network,
        at: event.network ? { epoch: event.epoch, step: event.step } : run.at,
        next_batch: event.next_batch ?? run.next_batch,
        optimizer_state: event.optimizer_state ?? run.optimizer_state,
      };
    default:
      return run;
  }
}

/**
 * Where a continued run starts: where its latest network is (a stream stopped between a
 * report's epoch event and its snapshot has counted epochs its network has not reached), the
 * mini-batches already taken in that epoch (the events count steps from epoch 0) and the
 * optimizer state the server sent.
 */
export function resumePoint(run) {
  if (!run.network && !run.epoch && !run.step) return null;
  const { epoch, step } = run.at || run;
  const perEpoch = run.steps_per_epoch || 0;
  const inEpoch = perEpoch ? Math.max(0, step - epoch * perEpoch) : 0;
  return { epoch, step: inEpoch, optimizer_state: run.optimizer_state };
}

/**
 * The target row a point of class `label` gets: the row the server made for an existing point
 * of that class, else (a class not seen yet) 0/1 for one output or one-hot for several.
 */
export function targetFor(label, existing, outputSize) {
  for (const split of existing) {
    if (!split) continue;
    const k = split.labels.indexOf(label);
    if (k >= 0) return structuredClone(split.targets[k]);
  }
  if (outputSize === 1) return [label];
  return Array.from({ length: outputSize }, (_, j) => (j === label ? 1 : 0));
}

/** Every point of the current data (train then test) as the user's own: {x, y, labels}. */
export function pointsFromData(data) {
  const points = { x: [], y: [], labels: [] };
  for (const split of [data.train, data.test]) {
    if (!split) continue;
    points.x.push(...structuredClone(split.x));
    points.y.push(...structuredClone(split.targets));
    points.labels.push(...split.labels);
  }
  return points;
}

/** The points plus one more. */
export function withPoint(points, x, y, label) {
  return { x: [...points.x, x], y: [...points.y, y], labels: [...points.labels, label] };
}

/** The trace request that opens the step-through view on one point with the current weights. */
export function pointRequest(network, split, i, learningRate) {
  return {
    network: structuredClone(network),
    input: structuredClone(split.inputs[i]),
    target: structuredClone(split.targets[i]),
    learning_rate: learningRate,
  };
}

/**
 * A number from a text field (read as the page reads every number: numbers.js), or null when
 * it is not one or out of range (the caller keeps the old value).
 */
export function parseNumber(text, { min = -Infinity, max = Infinity, integer = false } = {}) {
  const read = readNumber(text);
  if (!("value" in read)) return null;
  const x = read.value;
  if (x < min || x > max) return null;
  if (integer && !Number.isInteger(x)) return null;
  return x;
}
