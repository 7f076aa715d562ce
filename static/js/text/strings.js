// Every piece of UI text, in one place: the English table here, the other languages in
// static/js/i18n/ (Traditional Chinese: zh-TW.js), switched by setLanguage (language.js).
// Templates are functions of plain values; numbers arrive already formatted. The lecture's
// notation (z, a, σ'(z), ∂l/∂z, ∂l/∂w, η, θ) stays as is; its names (w¹₂₁, b¹₂, z¹₁, x₁, t₂)
// come from names.js.

import { zhTW } from "./i18n/zh-TW.js";
import { aName, biasName, inputName, targetName, weightName, zName } from "./names.js";

const en = {
  appTitle: "backprop-viz",
  tagline: "backpropagation, neuron by neuron",
  hint: "Press Step (or the space bar) to watch one step of backpropagation: the forward pass, the backward pass, then the update θ¹ = θ⁰ − η∇L.",
  loading: "Loading…",

  // toolbar / editor
  preset: "Example",
  presetCustom: "(your network)",
  // The server's preset titles and descriptions are English; a catalog may name them.
  // A preset of GET /presets (its translations are the other languages').
  presetTitle: (p) => p.title || p.name,
  presetDescription: (p) => p.description || "",
  layers: "Layers",
  addLayer: "Add a hidden layer",
  removeLayer: "Remove the last hidden layer",
  addNeuron: (l) => (l === 0 ? "Add an input x" : `Add a neuron to layer ${l}`),
  removeNeuron: (l) => (l === 0 ? "Remove the last input x" : `Remove a neuron from layer ${l}`),
  loss: "Loss",
  // The API's names of losses, activations, initialisations and optimizers, as the page shows them.
  lossName: (name) => name.replaceAll("_", " "),
  activationName: (name) => name.replaceAll("_", " "),
  initName: (name) => name,
  optimizerName: (name) => name,
  learningRate: "η",
  learningRateTitle: "Learning rate η in θ¹ = θ⁰ − η∇L",
  init: "Init",
  seed: "seed",
  reinit: "Re-initialise",
  reinitTitle: "New weights and biases from the chosen initialisation and seed",
  freezeBiases: "freeze biases",
  freezeBiasesTitle: "Keep biases fixed in the update, as some textbook examples do",
  inputLayer: "input",
  layerLabel: (l) => `layer ${l}`,
  neuronCount: (n) => `${n}`,
  neuronCountTitle: (n) => `${n} neurons (widen the drawing to add or remove some)`,
  activationTitle: (l) => `Activation σ of layer ${l}`,
  adjustedActivation: (l, act) => `Layer ${l} switched to ${act} to fit the loss.`,
  adjustedLoss: (loss) => `Loss switched to ${loss} to fit the output activation.`,

  editorLabel: "Network editor",
  playerLabel: "Playback",

  // language (language.js): the switch's name, and this table's name in its own language
  language: "Language",
  languageName: "English",

  // share, export, parameters
  share: "Share",
  shareTitle: "A link to exactly this network and step, and an <iframe> for a course page",
  shareLink: "Link to this state",
  shareIframe: "Embed in a page (<iframe>)",
  frameTitle: (preset) => `backprop-viz: ${preset || "a network"}`, // the <iframe>'s title in the snippet
  copy: "Copy",
  copied: "Copied.",
  copyByHand: "Selected: press Ctrl+C (⌘C) to copy.",
  linkTooLong: (n, max) =>
    `This network is too large for a link (${n} characters; links over ${max} may be cut by servers and mail). Export the trace as JSON instead, or load it with the API.`,
  export: "Export",
  exportTitle: "Save the drawing (SVG, PNG), the server's trace (JSON), every neuron's values (CSV) or a PyTorch script",
  exportSvg: "Drawing (SVG)",
  exportPng: "Drawing (PNG)",
  exportJson: "Trace (JSON)",
  exportCsv: "Values (CSV)",
  exportPytorch: "PyTorch script",
  exportPytorchTitle: "The server writes this network as a Python script that runs the same step with torch and prints its numbers",
  exported: "Saved.",
  exportNoSvg: "A network this wide is drawn as matrices on a canvas: save it as a picture (PNG).",
  exportBlocked: "This frame may not download files: open the page on its own (the title link).",
  openFull: "Open in backprop-viz (new tab)",
  paramNote: (name, raw, why) => `Ignored ${name}=${JSON.stringify(raw).slice(0, 60)}: ${why}; using the default.`,
  stateNote: (why) => `The link's state could not be opened (${why}); showing an example instead.`,
  stateWhy: {
    empty: "the state is empty",
    base64url: "the state is not base64url",
    deflate: "the state does not decompress",
    encoding: "unknown state encoding",
    json: "the state is not JSON",
    request: "the state carries no request",
  },
  noSuchPreset: "no such example",
  // why a URL parameter was refused (params.js)
  paramNotPreset: "not a preset name",
  paramVersion: "this page reads links of version 1",
  paramEmpty: "empty",
  paramUnknown: (names) => `unknown ${names}`,
  paramNotFlag: "not 1 or 0",
  paramRange: (lo, hi) => `not a number from ${lo} to ${hi}`,
  paramNotOneOf: (list) => `not one of ${list}`,

  // click-to-edit
  // Layers are the lecture's (0 = the input x), neurons arrive 0-based. A weight's l is the
  // layer it leaves (its index in network.weights): it is w^{l+1}_{ji}.
  editWeight: (l, i, j) => `${weightName(l + 1, j, i)}: from ${en.neuronTitle(l, i)} to ${en.neuronTitle(l + 1, j)}`,
  editBias: (l, j) => `${biasName(l, j)}: bias of layer ${l}, neuron ${j + 1}`,
  editInput: (i) => `input ${inputName(i)}`,
  editTarget: (j) => `target ${targetName(j)}`,
  editRejected: (why, name, value) => `${why}. ${name} stays ${value}.`,
  // a typed number the page refuses before asking the server (numbers.js readNumber)
  numberEmpty: "a number is needed",
  numberNotDecimal: (text) => `“${text}” is not a decimal number: write it with the digits 0–9 (16, 0.5, 1e-3)`,
  numberUnderflow: (text) => `${text} is 0 as a double (the smallest is 5e-324): type 0 if 0 is meant`,
  numberOverflow: (text) => `${text} is past the largest double (1.8e308)`,
  numberNotNumber: (text) => `“${text}” is not a number`,
  // A refused request, worded from the API's error type and its ctx (messages.js; docs/api.md,
  // "Errors"): c holds ctx with numbers as text and lists joined, o.named whether a field name
  // stands in front ("η: …"), o.msg the server's English (only "invalid" reads it).
  problemAt: (name, text) => `${name}: ${text}`,
  problemSeparator: "; ",
  problemList: ", ",
  problemOr: " or ",
  problemPer: {
    input_neuron: "input neuron",
    output_neuron: "output neuron",
    layer: "layer",
    point: "point",
    coordinate: "coordinate",
    parameter: "parameter",
    previous_layer_neuron: "neuron of the previous layer",
    next_layer_neuron: "neuron of the next layer",
    input_row: "input row",
  },
  problems: {
    not_a_number: (c, o) => "must be a number",
    not_a_whole_number: (c, o) => "must be a whole number",
    not_finite: (c, o) => "must be a finite number (NaN and Infinity are not)",
    abs_too_large: (c, o) => `must be at most ${c.limit} in absolute value` + (c.given ? `, got ${c.given}` : ""),
    out_of_range: (c, o) =>
      (c.min !== undefined && c.max !== undefined
        ? c.min_exclusive
          ? `must be greater than ${c.min} and at most ${c.max}`
          : `must be ${c.zero_allowed ? "0 or " : ""}${c.whole ? "a whole number" : "a number"} from ${c.min} to ${c.max}`
        : c.max !== undefined
          ? `must be at most ${c.max}`
          : `must be ${c.whole ? "a whole number, " : ""}${c.min} or more`) + (c.given !== undefined ? `, got ${c.given}` : ""),
    not_an_object: (c, o) => "must be an object",
    not_a_list: (c, o) => (c.expected ? `must be a list of ${c.expected}` : "must be a list"),
    wrong_length: (c, o) =>
      (c.expected !== undefined
        ? `needs ${c.expected}`
        : c.min !== undefined
          ? `needs from ${c.min} to ${c.max}`
          : `takes at most ${c.max}`) +
      (c.per ? ` (one per ${c.per})` : "") +
      (c.got !== undefined ? `, got ${c.got}` : ""),
    wrong_shape: (c, o) => `must have shape ${c.expected}, got ${c.got}`,
    unknown_choice: (c, o) => (c.given ? `unknown “${c.given}”; choose one of ${c.choices}` : `choose one of ${c.choices}`),
    unknown_question: (c, o) => `this exercise has no question “${c.given}”; its questions are ${c.choices}`,
    not_a_sign: (c, o) => "must be +, - or 0" + (c.given ? `, got “${c.given}”` : ""),
    not_an_option: (c, o) => `must be one of the options ${c.choicesOr}` + (c.given ? `, got “${c.given}”` : ""),
    output_layer_only: (c, o) => `${c.activation} is allowed on the output layer only`,
    loss_needs_output: (c, o) => `${c.loss} needs a ${c.choicesOr} output layer, not ${c.given}`,
    target_outside_unit_interval: (c, o) => `${c.loss} needs targets in [0, 1], got ${c.given}`,
    regression_loss: (c, o) => `a regression set's values lie in [−1, 1], outside the [0, 1] that ${c.loss} takes: use ${c.choicesOr}`,
    regression_outputs: (c, o) => `a regression set has one value per point: 1 output neuron, not ${c.got}`,
    class_outputs: (c, o) => `this set has ${c.classes} classes: the output layer needs ${c.expected} neurons, not ${c.got}`,
    input_neurons: (c, o) =>
      c.features ? `must be ${c.expected}: one input neuron per feature (${c.features})` : `must be ${c.expected}: one input neuron per column of x`,
    features_need_2d: (c, o) => `features need 2-D points; x has ${c.columns} columns`,
    duplicate: (c, o) => "lists a feature twice",
    no_training_points: (c, o) => `leaves no training points out of ${c.points}`,
    dataset_both: (c, o) => "give either a data set's name or your own points, not both",
    dataset_neither: (c, o) => "needs a data set's name, or your own points",
    optimizer_mismatch: (c, o) => `is the state of ${c.given}, but the optimizer is ${c.expected}`,
    state_invalid: (c, o) => "is not the state of a share link",
    resume_both: (c, o) => "comes with resume already: leave it out, or leave out resume",
    resume_mismatch: (c, o) =>
      c.expected !== undefined && typeof c.given === "number"
        ? `must stay ${c.expected} until the epoch ends, got ${c.given}`
        : "does not fit the run being continued (another data set, or a step outside its epoch)",
    adam_state: (c, o) => "adam needs both m and v, or neither",
    not_exported: (c, o) => "the PyTorch script runs whole epochs from a fresh optimizer: leave this out",
    too_many_epoch_samples: (c, o) => `epochs × training points is ${c.epochs} × ${c.points} = ${c.total}; the limit is ${c.limit}`,
    too_many_report_values: (c, o) =>
      `${c.reports} snapshots of a ${c.grid} × ${c.grid} grid are ${c.total} values; the limit is ${c.limit}: report less often, or use a smaller grid`,
    too_many_gradients: (c, o) => `${c.examples} examples × ${c.parameters} parameters = ${c.total} gradients; the limit is ${c.limit}`,
    too_many_parameters: (c, o) =>
      `the gradient check runs two forward passes per parameter; this network has ${c.parameters} parameters, the limit is ${c.limit}`,
    too_many_answers: (c, o) => `takes at most ${c.limit} answers, got ${c.got}`,
    non_finite: (c, o) =>
      "the numbers overflowed. Use smaller weights, inputs or learning rate, or an activation that saturates (sigmoid, tanh).",
    too_large: (c, o) => `the request is larger than ${c.limit} bytes, the most the server reads`,
    not_found: (c, o) => (c.given ? `there is nothing named “${c.given}”` + (c.choices ? `; there are ${c.choices}` : "") : "the server has no such address"),
    method_not_allowed: (c, o) => "the server does not take this kind of request at this address",
    format_not_offered: (c, o) => `the format “${c.given}” is not offered; use ${c.choices}`,
    http_error: (c, o) => `the server answered with status ${c.status}`,
    disconnected: (c, o) => "the connection closed before the request arrived",
    cors_origin: (c, o) => "this page's site may not call the server",
    too_many_streams: (c, o) => `the server is running ${c.limit} streams, the most it runs at once; try again in ${c.retry_after} s`,
    internal_error: (c, o) => "the server failed on this request",
    json_invalid: (c, o) => "the request is not valid JSON",
    missing: (c, o) => (o.named ? "is missing" : "the request is empty"),
    extra_forbidden: (c, o) => "is not a field of this request",
    model_type: (c, o) => "must be an object",
    dict_type: (c, o) => "must be an object",
    list_type: (c, o) => "must be a list",
    int_type: (c, o) => "must be a whole number",
    float_type: (c, o) => "must be a number",
    finite_number: (c, o) => "must be a finite number (NaN and Infinity are not)",
    bool_type: (c, o) => "must be true or false",
    literal_error: (c, o) => `must be one of ${c.choices}`,
    greater_than: (c, o) => `must be greater than ${c.gt}`,
    greater_than_equal: (c, o) => `must be at least ${c.ge}`,
    less_than_equal: (c, o) => `must be at most ${c.le}`,
    invalid: (c, o) => o.msg,
  },
  editHelp: "Enter to apply · Esc to cancel",
  explain: "Explain",
  checking: "checking…",

  // drawing
  inputName: (i) => inputName(i),
  // The training view's input features (docs/training.md), as the input neurons show them.
  featureName: (f) =>
    ({ x1: "x₁", x2: "x₂", "x1^2": "x₁²", "x2^2": "x₂²", x1x2: "x₁x₂", "sin(x1)": "sin x₁", "sin(x2)": "sin x₂" })[f] || f,
  targetName: (j) => targetName(j),
  lossBox: "l",
  lossAfterTitle: (loss) => `after the update, at θ¹: ${loss}`,
  legendNegative: "w < 0",
  legendPositive: "w > 0",
  legendWidth: "width ∝ |w|",
  legendLabels: "numbers on links: w (backward too: they carry ∂l/∂z back) · ∂l/∂w at the gradient step · θ⁰→θ¹ after the update (the superscript of w is its layer)",
  legendDash: "dashed: w < 0",
  skipDrawing: "Skip the drawing: to the player",
  networkLabel: "The network: click a weight, bias, input or target to edit it",
  // A neuron's or link's accessible name: its name, then "z = 0.3775"-style values as drawn.
  valuesLabel: (name, values) => (values.length ? `${name}: ${values.join(", ")}` : name),
  neuronTitle: (l, j) => (l === 0 ? `input ${inputName(j)}` : `layer ${l}, neuron ${j + 1}`),
  linkTitle: (l, i, j) => en.editWeight(l, i, j), // l: the link's data-layer, as for editWeight
  matrixRole: "matrix view",
  matrixLegend: "matrices: row = the neuron fed, column = the neuron it comes from · ∂l/∂w and ∂l/∂z coloured on each layer's own scale · hover, tap or arrow keys for the numbers",
  matrixLabel: "The network as matrices: each layer's neurons a strip, its weights a heatmap (rows: the neuron fed; columns: the neuron it comes from). Arrow keys move through the cells, Enter picks one.",

  // playback
  play: "Play",
  pause: "Pause",
  reset: "Back to the start",
  prev: "One event back",
  next: "One event forward",
  forward: "Forward",
  backward: "Backward",
  step: "Step",
  forwardTitle: "Animate the forward pass (z and a of every neuron, then the loss)",
  backwardTitle: "Animate the backward pass (∂l/∂z from the output back, and ∂l/∂w)",
  stepTitle: "One whole step: forward, backward and the update θ¹ = θ⁰ − η∇L",
  speed: "Speed",
  stepsCount: (n) => `step ${n}`,
  stepsLosses: (losses) => ` · l ${losses}`,
  stepsTitle: (n, losses) => `${n} gradient-descent step${n === 1 ? "" : "s"} taken from this network; the loss at θ⁰, θ¹, …: ${losses}`,
  scrub: "Progress through the step",
  phaseNames: { forward: "forward", loss: "loss", backward: "backward", update: "update", done: "done" },
  phaseJump: (name) => `Jump to the ${name} phase`,
  shortcutsShort: "⌨ keys",
  shortcuts: "Keyboard: space play/pause · ←/→ one event · shift+←/→ one phase · Home/End start/end · +/− speed · e equations · Esc close",

  // predict mode (issue 15)
  predict: "Predict",
  predictTitle: "Predict each value before it is shown: the player stops and asks you (practice, not scored)",
  predictLabel: "Your prediction",
  predictIdle: "the player stops before a value and asks you for it.",
  predictAsk: (name) => `${name} = ?`,
  predictHint: "Type a number, Enter answers, Esc skips.",
  predictHintSign: "Type a number or pick which way it goes; Enter answers, Esc skips.",
  predictAnswer: "Answer",
  predictUp: "up ↑",
  predictDown: "down ↓",
  predictSkip: "Skip",
  predictSpoken: (name, hint) => `Predict ${name} = ? ${hint}`,
  predictRight: "right",
  predictWrong: "not quite",
  predictValue: (name, value) => `${name} = ${value}`,
  predictGuess: (guess) => `your guess ${guess}`,
  predictOff: (abs, rel) => `off by ${abs}${rel ? ` (${rel})` : ""}`,
  predictMoved: { up: "it went up", down: "it went down", same: "it stayed" },
  predictSaidRight: (name, value, guess) => `Right: ${name} = ${value}, your guess ${guess}.`,
  predictSaidOff: (name, value, guess, off) => `${name} = ${value}; your guess ${guess} is ${off}.`,
  predictSaidSign: (name, value, guess, moved, right) => `${name} = ${value}: ${moved}; your guess ${guess} is ${right ? "right" : "wrong"}.`,

  // panel
  equations: "Equations",
  gradcheck: "Gradient check",
  gradcheckTitle: "Compare the backward pass with central finite differences (POST /api/v1/gradcheck)",
  closePanel: "Close the panel",
  fullPrecision: "all digits",
  fullPrecisionTitle: "Show every digit the server sent (float64), instead of 4 significant digits",
  selectSomething: "Click a neuron or a link to see its chain rule with the actual numbers.",
  katexLoading: "Loading the typesetter…",
  notYet: (what) => `${what}: not reached yet.`,
  gradcheckRunning: "Checking the gradients…",
  gradcheckOk: "Analytic and numeric gradients agree.",
  gradcheckBad: "Analytic and numeric gradients disagree!",
  gradcheckSummary: (abs, rel) => `max |analytic − numeric| = ${abs}, max relative = ${rel}`,
  gradcheckHeaders: ["parameter", "analytic ∂l/∂θ", "numeric", "|diff|"],
  eqLink: (l, i, j) => `Weight ${en.editWeight(l, i, j)}`,
  eqNeuron: (l, j, act) => `Layer ${l}, neuron ${j + 1}: ${zName(l, j)}, ${aName(l, j)} = ${act}(${zName(l, j)})`,
  eqInput: (i) => `Input ${inputName(i)} (layer 0)`,
  eqLoss: (name) => `The loss (${name})`,
  eqForward: "Forward pass",
  eqBackward: "Backward pass",
  eqCase1: "case 1: output layer, straight from the loss",
  eqCase2: "case 2: from the layer after it, recursively",
  eqGradient: "Gradient",
  eqUpdate: "Update",
  eqLossAfter: "After the update θ¹ = θ⁰ − η∇L",
  eqBias: (b, name = "b") => `Bias ${name} = ${b}: gradient and update`,
  eqSoftmax: "softmax has no per-neuron σ′(z): its Jacobian J is not diagonal",
  eqClosedForm:
    "with binary cross-entropy on a sigmoid, σ′(z) ∂l/∂a simplifies to (a − t)/K, which the server computes directly: it stays exact where σ saturates (σ′(z) rounds to 0 while ∂l/∂a is clamped near the largest float)",

  // exercises (issue 15): the exercise page (exercise/)
  exercises: "Exercises",
  exercisePick: "Exercise",
  exerciseSeed: (seed) => `Your numbers: no. ${seed}`,
  exerciseIntro: "Work out each value by hand from the numbers on the network (a ? marks each one asked), type your answers, then press Check.",
  exerciseQuestion: (k, n) => `Question ${k} of ${n}`,
  exerciseChoose: "(choose)",
  // a sign question's options: the value's sign, or for θ¹ the direction of the change
  exerciseSign: { "+": "+ (positive)", "-": "− (negative)", "0": "0 (zero)" },
  exerciseChange: { "+": "+ (goes up)", "-": "− (goes down)", "0": "0 (stays)" },
  exerciseCheck: "Check",
  exerciseCheckTitle: "Send your answers: the server computes the step and marks each one",
  exerciseChecking: "Checking…",
  exerciseAgain: "Try other numbers",
  exerciseAgainTitle: "The same exercise with new numbers (a new seed, in the address)",
  exerciseCorrect: "Correct",
  exerciseWrong: "Wrong",
  exerciseExpected: (value) => `Expected ${value}`,
  exerciseGiven: (value) => `your answer ${value}`,
  exerciseNoAnswer: "no answer",
  exerciseScore: (score, max) => `Score: ${score} of ${max}`,
  exerciseChecked: (score, max, wrong) =>
    `Checked: ${score} of ${max} correct.${wrong ? ` Wrong: ${wrong}.` : ""} Watch the step reveal each value.`,
  exerciseRevealed: (name, value, given) => `${name} = ${value}; your answer ${given}`,
  exerciseSeedNote: (raw) => `seed “${raw}” is not a whole number from 0 up: new numbers were drawn.`,
  exerciseFailed: (why) => `The exercise could not be loaded: ${why}`,
  exerciseAll: "All exercises",
  // a launch from a course (LTI, docs/lti.md): the score goes to the course's gradebook
  ltiReturn: "Back to the course",
  ltiSending: "Sending your score to the course…",
  ltiSent: "Your score was sent to the course.",
  ltiSendAgain: "Send the score again",
  ltiFirstStands: (score, max) => `The course keeps your first score, ${score} of ${max}: this Check was not sent.`,
  ltiNotSent: (why) => `Your score was not sent to the course: ${why}`,
  ltiWhy: {
    already_scored: "the course has your first score already.",
    lti_off: "this server no longer takes launches from courses.",
    expired: "the launch is too old. Open the exercise from the course again and check again.",
    invalid: "the launch could not be read. Open the exercise from the course again.",
    mismatch: "these are not the numbers the course gave you. Open the exercise from the course again.",
    unknown_issuer: "the course is no longer registered with this server. Tell your teacher.",
    token_refused: "the course refused this tool's access. Tell your teacher.",
    platform_refused: "the course refused the score. Tell your teacher.",
    platform_unavailable: "the course did not answer. Press “Send the score again” in a moment.",
  },
  exerciseMoves: {
    forward: "forward pass",
    loss: "loss",
    "backward-output": "backward pass, output layer",
    "backward-hidden": "backward pass, hidden layers",
    gradient: "gradients",
    update: "update",
    "whole-step": "a whole step",
  },

  // the tour (issue 15): the lecture's chapters (tour/; their words are tour/chapters.js)
  tourTitle: "The lecture as a tour",
  tourChapters: "Chapters",
  tourCount: (k, n) => `Chapter ${k} of ${n}`,
  tourPrev: "← Previous",
  tourPrevTitle: "The previous chapter (Page Up)",
  tourNext: "Next →",
  tourNextTitle: "The next chapter (Page Down)",
  tourPlay: "Play this chapter",
  tourPlayTitle: "Play what this chapter shows; the player stops before the value it asks you to predict",
  tourWatch: "What to watch",
  tourPredict: (name) => `Predict: the player stops before ${name} and asks you for it (Skip or Esc goes on).`,
  tourKeys: "Page Up / Page Down: the previous / next chapter (← / → on the chapter links).",
  tourNow: (k, n, title) => `Chapter ${k} of ${n}: ${title}`,
  tourFailed: (why) => `The chapter could not be loaded: ${why}`,
  tourGradient: (theta, n) => `∇L(${theta}) of this network: its ${n} parameters' ∂L/∂w and ∂L/∂b, from the trace`,
  tourGradientMore: (n) => `${n} more`,
  tourNotYet: "not computed yet",
  // the tour's chapter 2: the gradient's cost, as the server counted and timed it (tour/cost.js)
  costMeasuring: "The server is measuring both ways…",
  costFailed: (why) => `The cost could not be measured: ${why}`,
  costNetwork: (shape) => `This network (${shape})`,
  costParameters: (p) => `P = ${p} parameters`,
  costFd: "Finite differences",
  costFdText: (passes, time, sampled) =>
    `${passes} forward passes (2P): ${time}${sampled ? `, estimated from ${sampled} parameters timed` : ""}`,
  costBp: "Backpropagation",
  costBpText: (forward, backward, time) => `${forward} forward + ${backward} backward pass: ${time}`,
  costRatio: (r) => `On the server, finite differences took ${r} times as long as backpropagation.`,
  costPlotLabel: (p0, p1, r) =>
    `Time for ∇L against the number of parameters, from ${p0} to ${p1}, both axes logarithmic: finite differences grow with P, backpropagation hardly; at ${p1} parameters finite differences take ${r} times as long.`,
  costAxisP: "parameters P (log scale); time (log scale)",
  costFdLegend: "finite differences (2P forward passes)",
  costBpLegend: "backpropagation (1 forward + 1 backward)",
  costHereLegend: "this network",
  costTable: "The server's measurements",
  costColumns: ["network", "P", "forward passes (2P)", "finite differences", "backpropagation"],
  costEstimated: (sample) => `* estimated: ${sample} parameters timed, the time scaled to all 2P passes.`,

  // captions (numbers arrive formatted: format.js short, 4 significant digits)
  captionForward: (l, j, z, a, act) =>
    `Forward pass · layer ${l}, neuron ${j + 1}: ${zName(l, j)} = Σ w·a + b = ${z}, ${aName(l, j)} = ${act}(${zName(l, j)}) = ${a}. The activation flowing along each incoming weight is its ∂z/∂w.`,
  captionLoss: (loss) =>
    `Loss l = ${loss}. The backward pass starts here, at the output layer, from ∂l/∂a.`,
  captionBackward1: (l, j, amp, dlda, dldz) =>
    `Backward pass · layer ${l} (the output layer), neuron ${j + 1} (case 1): ∂l/∂z = σ'(z) × ∂l/∂a = ${amp} × ${dlda} = ${dldz}, straight from the loss.`,
  captionBackward1Closed: (l, j, a, t, K, dldz) =>
    `Backward pass · layer ${l} (the output layer), neuron ${j + 1} (case 1): ∂l/∂z = σ'(z) × ∂l/∂a = (a − t)/K = (${a} − ${t})/${K} = ${dldz}, straight from the loss (binary cross-entropy on a sigmoid).`,
  captionBackward1Softmax: (l, j, dldz) =>
    `Backward pass · layer ${l} (the output layer), neuron ${j + 1} (case 1): ∂l/∂z = ${dldz} through the softmax Jacobian, straight from the loss.`,
  captionBackward2: (l, j, amp, sum, dldz, terms) =>
    `Backward pass · layer ${l}, neuron ${j + 1} (case 2): the ∂l/∂z of layer ${l + 1} flow back along the same weights w (the numbers on the links), Σ w·∂l/∂z′ = ${terms ? `${terms} = ` : ""}${sum}, and the amplifier σ'(z) = ${amp} multiplies: ∂l/∂z = ${dldz}.`,
  captionGradient: (l, j, dldz, terms) =>
    `Gradients into layer ${l}, neuron ${j + 1}: ∂l/∂w = a × ∂l/∂z for each incoming weight (a from the forward pass${terms ? `: ${terms}` : ""}), and ∂l/∂b = ∂l/∂z = ${dldz}.`,
  captionUpdate: (l, j, eta, b0, b1) =>
    `Update · layer ${l}, neuron ${j + 1}: θ¹ = θ⁰ − η∇L with η = ${eta}; each incoming w moves against its gradient, b ${b0} → ${b1}.`,
  captionUpdateFrozen: (l, j, eta) =>
    `Update · layer ${l}, neuron ${j + 1}: θ¹ = θ⁰ − η∇L with η = ${eta}; the biases stay frozen.`,
  captionDone: (loss) =>
    `Done: one gradient-descent step. The loss at θ⁰ was ${loss}. Step or Play takes the next one, from θ¹.`,
  captionDoneAfter: (before, after) =>
    `Done: one gradient-descent step, l ${before} → ${after} (θ⁰ → θ¹). Step or Play takes the next one, θ¹ → θ².`,
  captionStreaming: "Computing the trace…",
  captionError: (msg) => `The server refused: ${msg}`,
  captionEdited: "Changed. Press Step to watch the new network learn.",
  captionMore: "More",
  captionLess: "Less",

  // training view (training/view.js)
  training: "Training ▸",
  trainingTitle: "Show the training view: gradient descent over a whole data set, beside the network",
  trainingLabel: "Training",
  train: "Train",
  trainTitle: "Train on the data set, from the current weights (the server streams each report)",
  trainPause: "Pause",
  trainBatch: "1 batch",
  trainBatchTitle: "One mini-batch step",
  trainEpoch: "1 epoch",
  trainEpochTitle: "One epoch: every mini-batch of the training set once",
  trainReset: "Reset",
  trainResetTitle: "New weights from the initialisation and seed; the chart starts again",
  trainSpeed: "Speed",
  trainSpeedTitle: "From every epoch shown (left) to as fast as the server goes (right)",
  epoch: "epoch",
  lossTrain: "train loss",
  lossTest: "test loss",
  accuracy: "accuracy (train / test)",
  showTest: "test points",
  discretize: "discretised",
  addPoint: "click adds",
  addPointTitle: "Clicking the plane away from a point adds one of this class (the data becomes your own)",
  addOff: "nothing",
  addClass: (k) => `class ${k}`,
  addNewClass: (k) => `new class ${k}`,
  // the output layer was fitted to the data (training/classes.js); hidden: "kept", "fit" or "none"
  outputRefit: ({ size, activation, loss, perClass, hidden }) =>
    `The output layer now has ${size === 1 ? `one ${activation} neuron` : `${size} ${activation} neurons`} with ${loss}` +
    (perClass ? ", one per class" : "") +
    (hidden === "kept" ? "; the hidden layers kept their weights." : hidden === "fit" ? "; the hidden layers kept the weights that still fit." : "."),
  logScale: "log scale",
  chartTitle: "Train and test loss per epoch",
  chartReadout: (epoch, train, test) => `epoch ${epoch}: train ${train}, test ${test}`,
  chartDiverged: "diverged",
  thumbsTitle: "Each hidden neuron's own output a over the plane (hover to enlarge)",
  thumbTitle: (l, j) => `layer ${l}, neuron ${j + 1}: its a over the plane`,
  planeLabel: "The data on the plane, coloured by the network's output (the decision boundary)",
  dataSection: "Data",
  dataset: "Data set",
  datasetName: (name) => name.replaceAll("_", " "),
  datasetTitle: (name, kind) => `${name} (${kind})`,
  userData: "your data",
  samples: "samples",
  noise: "noise",
  testRatio: "test ratio",
  dataSeed: "seed",
  features: "features",
  uploadCsv: "Upload CSV",
  exportData: "Export CSV",
  saveTraining: "Save",
  saveTrainingTitle: "Save the network, its weights, the settings and the data as JSON",
  loadTraining: "Load",
  trainSection: "Training",
  batchSize: "batch size",
  optimizer: "optimizer",
  regularization: "regularisation",
  regularizationRate: "rate",
  regularizationNone: "none",
  maxEpochs: "epochs",
  targetLoss: "stop at loss",
  targetLossTitle: "Stop once the training loss is at or below this (empty: never)",
  minibatchSection: "Mini-batch",
  minibatchHint: "One mini-batch through the lecture's L = mean of lⁿ: each example's ∂lⁿ/∂w on one link, their sum and mean, and the step it makes (one plain gradient step, no regularisation). Next batch is the one the run's next step takes (the server's shuffled order); or pick points of your own. Click a link in the drawing to choose it.",
  batchNext: "Next batch",
  batchNextTitle: "The mini-batch the run's next step takes",
  batchIsNext: (epoch, plain, optimizer) =>
    `The run's next step (epoch ${epoch}) takes exactly these points` +
    (plain ? " and makes exactly this step." : `; it steps with ${optimizer}, not this plain step.`),
  batchPick: "Pick points",
  batchPickTitle: "Click points on the plane to put them in the batch (or take them out)",
  batchLink: "link",
  batchEmpty: "Take the next batch, or pick points on the plane.",
  batchHeaders: ["n", "x", "target", "lⁿ", "∂lⁿ/∂w"],
  batchSum: "Σₙ ∂lⁿ/∂w",
  batchMean: (n) => `∂L/∂w = (1/${n}) Σₙ ∂lⁿ/∂w`,
  batchStep: (eta, g) => `step η·∂L/∂w = ${eta} × ${g}`,
  batchWeight: (w0, w1) => `w|θ⁰ = ${w0} → w|θ¹ = ${w1}`,
  batchLoss: (loss) => `L = ${loss}`,
  linkName: (l, i, j) => weightName(l, j, i), // l: the lecture's layer the weight feeds
  csvError: (msg) => `CSV: ${msg}`,
  // what is wrong with a CSV file or a saved training (training/data.js)
  // where a problem is: a CSV's line (and column), or a point clicked on the plane
  pointAt: ({ line, point, column, name }, msg) =>
    line ? `Line ${line}${column ? `, column ${column} (${name})` : ""}: ${msg}` : `Point ${point}${name ? ` (${name})` : ""}: ${msg}`,
  csvEmpty: "the file is empty; expected a header x1,x2,label and one row per point.",
  csvHeader: (expected, found) => `the header must be ${expected} (input columns x1…xk, then label); found "${found}".`,
  csvNoPoints: "no points after the header.",
  csvTooMany: (n, max) => `${n} points; at most ${max} are read.`,
  csvColumns: (n, columns, header) => `${n} value${n === 1 ? "" : "s"}, but the header has ${columns} columns (${header}).`,
  csvNotNumber: (cell) => `"${cell}" is not a number.`,
  csvTooManyClasses: (label, max) => `class ${label} needs ${label + 1} output neurons; a layer has at most ${max}.`,
  saveNotJson: (why) => `not JSON (${why}).`,
  saveNotTraining: (format) => `not a saved training (expected "format": "${format}").`,
  saveVersion: (version, want) => `version ${version}; this page reads version ${want}.`,
  saveIncomplete: "the network, its weights or its biases are missing.",
  loadError: (msg) => `Could not load: ${msg}`,
  trainAtEnd: (epoch) => `Already at epoch ${epoch}, the last one asked for: raise "epochs" to train on.`,
  trainStopped: (reason) => `Stopped: ${reason}.`,
  trainProblem: (type, reason) => `${type === "diverged" ? "Diverged" : "Stopped"} at this epoch: ${reason}`,
  trainDiverged: (epoch, back) =>
    `Diverged at epoch ${epoch}: η is too large, and the weights grew without bound. θ is back at epoch ${back}'s, the last good one: lower η and press Train to go on from there.`,
  connectionLostRetrying: (epoch, from) => `The connection to the server was lost at epoch ${epoch}. Going on from epoch ${from}…`,
  connectionLostTrain: (epoch, from) => `The connection to the server was lost at epoch ${epoch}. Press Train to go on from epoch ${from}.`,
  // a diverged or error event's `code` (messages.js streamProblemText); c: its ctx as text
  streamCodes: {
    loss_not_finite: (c) => "the loss stopped being finite",
    parameter_not_finite: (c) => "a weight or bias stopped being a finite number",
    parameter_too_large: (c) => "a weight or bias grew past the largest value the API accepts",
    time_limit: (c) => `the run took longer than ${c.limit} s, the limit for one stream`,
    shutdown: (c) => "the server is shutting down",
  },
  pointOpened: (split, k) => `Opened ${split} point ${k + 1} with the current weights.`,
  notPlane: "These points have more than two inputs: there is no plane to draw.",
  streamBroke: "the stream broke off",
  streamWorkerFailed: "the stream's worker failed",
  // a request that failed without being refused (api.js: ServerError, ConnectionError)
  connectionFailed: "The connection to the server failed.",
  connectionLost: "The connection to the server was lost.",
  stepConnectionLost: "The connection to the server was lost during this step. Press Step to try it again.",
  serverBusy: "The server is busy (every stream it runs at once is open); try again in a moment.",
  serverFailed: (status) => `The server failed (HTTP ${status}).`,
};

/** The catalogs by language code (static/js/text/i18n/: one file a language). */
export const tables = { en, "zh-TW": zhTW };
let current = en;

/** The active table. */
export function strings() {
  return current;
}

/** Switch every S.key to the table of `code` (en when there is none). */
export function setLanguage(code) {
  current = tables[code] || en;
  return current;
}

// A key a catalog lacks (a new one, not yet translated) reads the English; the parity test
// (tests/js/i18n.test.mjs) fails until it is translated.
export const S = new Proxy({}, { get: (_, key) => (key in current ? current[key] : en[key]) });
