// The page, assembled: state, drawing, player, editor, panel and controls, wired together.
// Also the hooks for tests and host pages: window.backpropViz.{load, run, state}.

import { getCapabilities, getPreset, getPresets, postNetwork, postTrace } from "./api.js";
import { captionFor } from "./captions.js";
import { Controls } from "./controls.js";
import { NetworkDrawing } from "./draw.js";
import { Editor } from "./editor.js";
import { SidePanel } from "./panel.js";
import { Player } from "./playback.js";
import { phaseStarts } from "./replay.js";
import { Store, withField } from "./state.js";
import { S } from "./strings.js";

const DEFAULT_PRESET = "worked-example-2-2-2";

const root = document.getElementById("app");
const $ = (sel) => root.querySelector(sel);
const canvas = $('[data-bind="canvas"]');
const captionEl = $('[data-bind="caption"]');
const statusEl = $('[data-bind="status"]');
const presetSelect = $('[data-control="preset"]');

applyStrings(root);

const store = new Store();
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
const drawing = new NetworkDrawing(canvas, { onPick });
const player = new Player({ drawing, still: () => reducedMotion.matches, onChange: onPlayerChange });
const panel = new SidePanel(root, {
  request: () => store.request,
  view: () => player.view,
  info: { activation: (name) => store.activation(name), loss: (name) => store.lossInfo(name) },
  onResize: relayout,
});
const editor = new Editor(root, { store, commit, onExplain, onStatus: setStatus });
const controls = new Controls(root, {
  player,
  actions: { forward, backward, step, toggleEquations, escape },
});
let note = null; // a one-off caption (an edit's confirmation) until the player moves

// ---- picking, captions, status -----------------------------------------------------------

function onPick(pick) {
  drawing.select(pick);
  panel.setPick(pick);
  if (pick.kind !== "loss") editor.open(pick);
  else panel.show("equations");
}

function onExplain(pick) {
  drawing.select(pick);
  panel.setPick(pick);
  panel.show("equations");
}

function onPlayerChange() {
  controls.render();
  const err = player.error;
  if (err) {
    captionEl.textContent = S.captionError(err.message);
    captionEl.classList.add("error");
  } else {
    captionEl.classList.remove("error");
    if (player.view && player.view.last) note = null;
    captionEl.textContent = note || (player.session && !player.session.complete && !player.view.last ? S.captionStreaming : captionFor(player.view, store.request));
  }
  if (panel.isOpen && panel.tab === "equations" && panel.pick) panel.refresh();
}

function setStatus(message, isError) {
  statusEl.textContent = message || "";
  statusEl.title = message || "";
  statusEl.classList.toggle("error", !!isError);
}

// ---- applying a request ---------------------------------------------------------------------

const hasParameters = (network) => Array.isArray(network.weights) && Array.isArray(network.biases);

/** Validate an edited request with the API, then show it. Rejects with the API's message. */
async function commit(next, how) {
  if (how === "network" || !hasParameters(next.network)) {
    next = withField(next, "network", await postNetwork(next.network));
  }
  if (how === "request") await postTrace(next); // the whole request: input, target, η, loss fit
  apply(next);
  setStatus("", false);
  note = S.captionEdited;
  onPlayerChange();
}

function apply(request, { presetName = null } = {}) {
  store.set(request, { presetName });
  drawing.setNetwork(store.request);
  editor.renderHeaders(drawing.layout);
  editor.renderToolbar();
  panel.clearGradcheck();
  player.load(store.request);
  syncPresetSelect();
  panel.refresh();
}

function relayout() {
  if (!store.request) return;
  drawing.setNetwork(store.request);
  drawing.update(player.view);
  editor.renderHeaders(drawing.layout);
  editor.close();
}

let relayoutFrame = 0;
new ResizeObserver(() => {
  cancelAnimationFrame(relayoutFrame);
  relayoutFrame = requestAnimationFrame(relayout);
}).observe(canvas);

// ---- presets -------------------------------------------------------------------------------

function fillPresets(presets) {
  const custom = new Option(S.presetCustom, "");
  custom.dataset.custom = "1";
  presetSelect.replaceChildren(custom, ...presets.map((p) => {
    const o = new Option(p.title || p.name, p.name);
    o.title = p.description || "";
    return o;
  }));
  presetSelect.addEventListener("change", async () => {
    const name = presetSelect.value;
    if (!name) return;
    try {
      apply(await getPreset(name), { presetName: name });
      setStatus("", false);
    } catch (err) {
      setStatus(err.message, true);
    }
  });
}

function syncPresetSelect() {
  presetSelect.value = store.presetName || "";
  presetSelect.querySelector("option[data-custom]").hidden = !!store.presetName;
}

// ---- the playback actions ------------------------------------------------------------------

function forward() {
  const starts = phaseStarts(player.events);
  if (player.session && "backward" in starts && player.cursor >= starts.backward) player.seek(0);
  return player.play("forward");
}

function backward() {
  const starts = phaseStarts(player.events);
  if (player.session && "update" in starts && player.cursor >= starts.update) player.seek(starts.backward);
  return player.play("backward");
}

/** One whole step; after a finished one, continue from θ¹ (the update's new values). */
async function step() {
  if (player.finished) {
    try {
      await commit(withField(store.request, "network", updatedNetwork()), "network");
      note = null;
    } catch (err) {
      setStatus(err.message, true);
      return;
    }
  }
  return player.play("step");
}

/** θ¹ as the update events carried it. */
function updatedNetwork() {
  const net = structuredClone(store.request.network);
  const view = player.view;
  net.weights = net.weights.map((layer, l) => layer.map((row, j) => view.w_new[l][j] ?? row));
  net.biases = net.biases.map((layer, l) => layer.map((b, j) => view.b_new[l][j] ?? b));
  return net;
}

function toggleEquations() {
  if (panel.isOpen && panel.tab === "equations") panel.close();
  else panel.show("equations");
}

function escape() {
  if (editor.isOpen) editor.close();
  else if (panel.isOpen) panel.close();
  else {
    drawing.select(null);
    panel.setPick(null);
  }
}

// ---- hooks for tests and host pages ----------------------------------------------------------

window.backpropViz = {
  /** Show a trace request (the body POST /api/v1/trace takes); rejects if the API refuses it. */
  async load(request) {
    let next = structuredClone(request);
    if (!hasParameters(next.network)) next = withField(next, "network", await postNetwork(next.network));
    await postTrace(next);
    apply(next);
    return store.snapshot();
  },
  /**
   * Animate one full step of the current request (forward, backward, update) from the
   * start; resolves with the final "done" event once it has been animated.
   * @param {number|{speed: number}} [options] a speed multiplier (1 = normal)
   */
  run(options) {
    const speed = typeof options === "number" ? options : options && options.speed;
    if (speed) controls.setSpeed(speed);
    return player.run();
  },
  /** The current trace request (a copy). */
  state: () => store.snapshot(),
  /** Playback speed multiplier (1 = normal). */
  setSpeed: (speed) => controls.setSpeed(speed),
  /** Explain an item in the equation panel: {kind: "weight", layer, from, to} or {kind: "bias", layer, node}. */
  explain: (pick) => onExplain(pick),
  player,
};

// ---- start ---------------------------------------------------------------------------------

async function start() {
  captionEl.textContent = S.loading;
  try {
    const [capabilities, presets] = await Promise.all([getCapabilities(), getPresets()]);
    store.capabilities = capabilities;
    editor.fillChoices();
    fillPresets(presets);
    const first = presets.find((p) => p.name === DEFAULT_PRESET) || presets[0];
    apply(await getPreset(first.name), { presetName: first.name });
    document.body.dataset.ready = "true";
    performance.mark("backprop-viz:ready"); // the page benchmark reads it
  } catch (err) {
    captionEl.textContent = S.captionError(err.message);
    captionEl.classList.add("error");
  }
}

function applyStrings(el) {
  for (const node of el.querySelectorAll("[data-i18n]")) node.textContent = S[node.dataset.i18n];
  for (const node of el.querySelectorAll("[data-i18n-title]")) {
    node.title = S[node.dataset.i18nTitle];
    if (node.hasAttribute("aria-label")) node.setAttribute("aria-label", node.title);
  }
  document.title = `${S.appTitle}: ${S.tagline}`;
}

start();
