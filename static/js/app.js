// createApp(root, options): the visualizer, built inside `root` with the parts `options`
// asks for. Nothing happens at import: `/` (main.js) and `/embed` (embed-main.js) are two
// callers. The parts talk through one store (store.js): actions change it, views
// subscribe to the slices they draw.

import { ApiError, ConnectionError, getCapabilities, getPreset, getPresets, postNetwork, postTrace } from "./page/api.js";
import { Announcer } from "./player/announce.js";
import { captionFor, captionNumbers } from "./player/captions.js";
import { installCaptionFit } from "./player/captionview.js";
import { Controls, bindKeys } from "./player/controls.js";
import { Drawing } from "./drawing/drawing.js";
import { Editor } from "./panel/editor.js";
import { learningRateSetter } from "./panel/eta.js";
import { returnFromEditor, returnFromPanel } from "./page/focus.js";
import { decodeState, LinkError, linkQuery, MAX_LINK_LENGTH } from "./page/link.js";
import { appMarkup, CONTROL_GROUPS, PARTS } from "./page/markup.js";
import { lectureMessage } from "./text/messages.js";
import { installMenus } from "./panel/menus.js";
import { showScrollCues } from "./page/overflow.js";
import { SidePanel } from "./panel/panel.js";
import { DISPLAY_PARAMS, PARAMS, readParams } from "./page/params.js";
import { pickRow, validPick } from "./drawing/picks.js";
import { Player } from "./player/playback.js";
import { withField } from "./page/state.js";
import { renderSteps } from "./player/steps.js";
import { Store } from "./page/store.js";
import { applyLanguage, browserLanguages, detectLanguage, installLanguageSwitch, languageFor } from "./text/language.js";
import { S } from "./text/strings.js";
import { traceTimeline } from "./player/timeline.js";

export const DEFAULT_PRESET = "worked-example-2-2-2";

const hasParameters = (network) => Array.isArray(network.weights) && Array.isArray(network.biases);
const sameLayers = (a, b) => a.network.layers.join() === b.network.layers.join();

/**
 * @param {HTMLElement} root  an empty element the page fills
 * @param {object} [options]
 * @param {"full"|"embed"} [options.mode]   the site page or the frameable one
 * @param {string} [options.search]        the query string to read (default: location.search)
 * @param {boolean} [options.syncUrl]      keep the address bar's link up to date (replaceState)
 * @param {Function} [options.TrainingView] the training view's class (training/view.js), or
 *   none for a page without it: the entry module imports it, so that /embed loads its modules
 *   only when it shows it
 * @returns {Promise<object>} the app: {store, player, ready, hooks, ...actions}
 */
export function createApp(root, { mode = "full", search = location.search, syncUrl = true, TrainingView = null } = {}) {
  const { options, notes } = readParams(search);
  // lang= first, then the browser's; a language chosen (lang= or the switch) goes in links.
  const lang = { code: detectLanguage(options.lang, browserLanguages()), chosen: !!options.lang };
  applyLanguage(lang.code);
  const hidden = new Set(options.hide);
  root.classList.add("app");
  root.dataset.view = mode;
  root.innerHTML = appMarkup();
  for (const part of PARTS) if (hidden.has(part)) root.querySelectorAll(`[data-part="${part}"]`).forEach((el) => el.remove());
  for (const name of CONTROL_GROUPS) if (hidden.has(name)) root.querySelectorAll(`[data-control-group="${name}"]`).forEach((el) => el.remove());
  // The training view is on / (behind its toggle); /embed has it only when asked (view=training).
  if (mode === "embed" && options.view !== "training") hidden.add("training");
  for (const el of hidden.has("training") ? root.querySelectorAll('[data-part="training"]') : []) el.remove();
  if (hidden.has("panel")) root.querySelectorAll("[data-part-needs=panel]").forEach((el) => el.remove());
  applyStrings(root);
  applyTheme(options.theme);

  const $ = (sel) => root.querySelector(sel);
  const has = (sel) => !!$(sel);
  const store = new Store();
  store.set({ lang }); // {code, chosen}: the views' texts follow it (relabel)
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  // Links for a network that fits, heatmaps for a wide one (drawing.js picks, per network).
  const drawing = new Drawing($('[data-bind="canvas"]'), { onPick: pick });
  const player = new Player({ store, effects: drawing, still: () => reducedMotion.matches });
  const captionEl = $('[data-bind="caption"]');
  const statusEl = $('[data-bind="status"]');
  let statusIsError = false; // what setStatus last showed was an error
  const notesEl = $('[data-bind="notes"]');
  const presetSelect = $('[data-control="preset"]');
  let note = null; // a one-off caption (an edit's confirmation) until the player moves
  let lastError = null;

  // ---- views: each subscribes to what it draws ---------------------------------------------

  // The weights while a run streams (cause.streaming, same layers, the step not played): the
  // links, the weight numbers and the biases change in place, nothing else (a few times a
  // second, and each push must fit in a frame); the step's timeline is made again when the
  // run stops (its last push is not streaming) or a second after its last push.
  let weightsOnly = false;
  let timelineTimer = 0;
  // With the training view open, the input neurons are named by its features (x₁², sin x₁…).
  const inputNames = (s) => {
    const features = s.view.training && s.training && s.training.settings.features;
    const fits = features && s.request && features.length === s.request.network.layers[0];
    return fits && features.join() !== "x1,x2" ? features.map((f) => S.featureName(f)) : null;
  };
  store.subscribe((s) => {
    if (drawing.setInputNames(inputNames(s)) && drawing.request) drawing.setNetwork(drawing.request);
  }, ["training", "view"]);
  // The steps taken from this network: kept while Step/Play continue from θ¹, new otherwise.
  store.subscribe((s, _changed, cause) => {
    if (!cause.continued && s.steps.length) store.set({ steps: [] });
  }, ["request"]);
  let steppedTimeline = null;
  player.onEvent((event) => {
    if (event.type !== "done" || steppedTimeline === player.timeline) return;
    steppedTimeline = player.timeline;
    store.set({ steps: [...store.state.steps, { loss: event.loss, loss_after: event.loss_after ?? null }] });
  });
  const stepsEl = $('[data-bind="steps"]');
  if (stepsEl) store.subscribe((s) => renderSteps(stepsEl, s.steps), ["steps"]);
  store.subscribe((s, _changed, cause) => {
    clearTimeout(timelineTimer);
    drawing.setInputNames(inputNames(s));
    weightsOnly = !!cause.streaming && !!drawing.request && sameLayers(drawing.request, s.request) &&
      player.cursor === 0 && !player.playing;
    if (weightsOnly) {
      drawing.showWeights(s.request);
      timelineTimer = setTimeout(() => player.load(traceTimeline(store.request)), 1000);
      return;
    }
    // The weights as they train, the run stopped: repainted from the new request (the
    // playback subscriber), the layout is kept.
    if (cause.training && drawing.request && sameLayers(drawing.request, s.request)) drawing.request = s.request;
    else drawing.setNetwork(s.request);
    drawing.select(s.selection);
    player.load(traceTimeline(s.request));
  }, ["request"]);
  // While playing, paint at most once an animation frame, and leave as much time between
  // two paints as the last one took: a large network's repaint (10 × 64 neurons: ~1 s here)
  // is longer than an event stays on screen at high speed, and the events must not queue
  // behind it. Anything else (a pause, a seek, the end) paints at once.
  let paintTimer = 0;
  let nextPaintAt = 0;
  const paint = () => {
    const t0 = performance.now();
    drawing.update(store.state.playback.frame);
    nextPaintAt = performance.now() + (performance.now() - t0);
  };
  store.subscribe((s) => {
    const { frame, playing } = s.playback;
    if (!frame) return;
    if (playing) {
      paintTimer ||= setTimeout(() => requestAnimationFrame(() => {
        paintTimer = 0;
        if (store.state.playback.playing) paint();
      }), Math.max(0, nextPaintAt - performance.now()));
      return;
    }
    clearTimeout(paintTimer);
    paintTimer = 0;
    paint();
  }, ["playback"]);
  store.subscribe((s) => drawing.select(s.selection), ["selection"]);

  // The page's one η: the toolbar's field and the training view's change it the same way.
  const setLearningRate = learningRateSetter({ store, commit, setStatus, training: () => training });
  const editor = has('[data-bind="editor"]') && has(".toolbar")
    ? new Editor(root, { store, commit, onExplain: explain, onStatus: setStatus, setLearningRate })
    : null;
  // When the editor closes (Enter, Esc), focus returns to the drawn item that opened it.
  const editorFocus = editor ? returnFromEditor($('[data-bind="editor"]')) : null;
  if (editor) {
    store.subscribe(() => {
      if (weightsOnly) return; // the layers and the settings are as they were
      editor.renderHeaders(drawing.layout);
      editor.renderToolbar();
    }, ["request"]);
  }
  const panel = has('[data-bind="panel"]') ? new SidePanel(root, { store, onResize: relayout }) : null;
  if (panel) returnFromPanel($('[data-bind="panel"]'), $('[data-action="equations"]'));
  const training = TrainingView && has('[data-bind="training"]')
    ? new TrainingView(root, { store, app: { load, play, setStatus, setLearningRate, clearError } })
    : null;
  const bar = $(".player");
  // The drawing's skip link: straight to the player (Step, else its first live button).
  const skip = $('[data-action="skip-drawing"]');
  if (skip && !bar) skip.remove();
  skip?.addEventListener("click", () =>
    (bar.querySelector('[data-action="step"]') || bar.querySelector("button:not(:disabled)"))?.focus());
  if (bar) new Controls(bar, { store, player, actions: { play, forward, backward, step, setSpeed } });
  const unbindKeys = bindKeys(root.ownerDocument, { player, actions: { play, setSpeed, toggleEquations, escape } });

  store.subscribe((_s, changed) => {
    if (!weightsOnly || changed.includes("playback")) renderCaption(); // the unplayed step's caption stays
  }, ["playback", "request"]);
  // The live region (announce.js): each event's caption in words, at most one every 2 s while playing.
  const announcer = new Announcer(root, (pb) => (pb.error ? stepError(pb.error) : captionFor(pb.frame, store.request)));
  store.subscribe((s) => announcer.follow(s.playback, s.request), ["playback"]);
  // Playing that starts, or a step forward by hand, is an action that went through (not each
  // event of a play already under way: an error said meanwhile stands).
  let shown = { playing: false, cursor: 0 };
  store.subscribe(({ playback }) => {
    const started = playback.playing && !shown.playing;
    const stepped = !playback.playing && playback.cursor > shown.cursor;
    if ((started || stepped) && !playback.error) clearError();
    shown = playback;
  }, ["playback"]);
  if (presetSelect) store.subscribe(syncPresetSelect, ["request", "presetName"]);
  if (syncUrl) store.subscribe(scheduleUrl, ["request", "presetName", "view", "selection", "lang"]);

  let relayoutFrame = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(relayoutFrame);
    relayoutFrame = requestAnimationFrame(relayout);
  }).observe($('[data-bind="canvas"]'));

  function relayout() {
    const { request, playback, selection } = store.state;
    if (!request) return;
    drawing.setNetwork(request);
    if (playback.frame) drawing.update(playback.frame);
    drawing.select(selection);
    if (editor) {
      editor.renderHeaders(drawing.layout);
      editor.close();
    }
  }

  /** Why the step's trace failed: "the server refused" only when it did (a 4xx). */
  function stepError(err) {
    if (err instanceof ApiError) return S.captionError(lectureMessage(err));
    return err instanceof ConnectionError && err.lost ? S.stepConnectionLost : err.message;
  }

  function renderCaption() {
    if (!captionEl) return;
    const { playback, request } = store.state;
    const err = playback.error;
    captionEl.classList.toggle("error", !!err);
    if (err) {
      captionEl.dataset.numbers = "";
      captionEl.textContent = stepError(err);
      if (err !== lastError) emit("error", { message: err.message });
      lastError = err;
      return;
    }
    const frame = playback.frame;
    if (frame && frame.last) note = null;
    const plain = note || (playback.streaming && !(frame && frame.last));
    captionEl.dataset.numbers = plain ? "" : captionNumbers(frame, request); // shown first where the text is cut
    captionEl.textContent =
      note || (playback.streaming && !(frame && frame.last) ? S.captionStreaming : captionFor(frame, request));
  }

  // The status line says the latest outcome only: an error stands until the next action
  // goes through (an edit, a step that plays, a run that starts), which clears it.
  function setStatus(message, isError) {
    const el = statusEl || captionEl;
    if (!el) return;
    el.textContent = message || "";
    el.title = message || "";
    el.classList.toggle("error", !!isError);
    statusIsError = !!(message && isError);
    if (isError) emit("error", { message });
  }

  function clearError() {
    if (statusIsError) setStatus("", false);
  }

  /** Notes about the page's own parameters (a bad value fell back to its default); `text()` in the current language. */
  const noteTexts = [];
  function addNote(text) {
    noteTexts.push(text);
    renderNotes();
  }
  function renderNotes() {
    if (!notesEl || !noteTexts.length) return;
    notesEl.replaceChildren(...noteTexts.map((text) => {
      const line = document.createElement("span");
      line.textContent = text();
      return line;
    }));
    notesEl.hidden = false;
  }

  // ---- the language: the switch, and every view's text again when it changes ---------------

  const languageSwitch = installLanguageSwitch($('[data-control="lang"]'), { onChoose: chooseLanguage });
  languageSwitch.show(lang.code);

  /** Switch the page's language live (the switch in the top bar, the host API). */
  function chooseLanguage(code) {
    const next = languageFor(code);
    if (!next) throw new Error(`no language ${JSON.stringify(String(code)).slice(0, 40)}`);
    applyLanguage(next);
    store.set({ lang: { code: next, chosen: true } }, { user: true });
  }

  store.subscribe((s) => {
    applyStrings(root);
    languageSwitch.show(s.lang.code);
    renderNotes();
    for (const b of root.querySelectorAll('[data-bind="phase-marks"] [data-phase]')) {
      b.textContent = S.phaseNames[b.dataset.phase];
      b.title = S.phaseJump(S.phaseNames[b.dataset.phase]);
    }
    const brand = $('[data-bind="brand"]');
    if (brand && brand.title) brand.title = S.openFull;
    if (!s.request) return; // not drawn yet: nothing else shows text
    if (presetSelect) fillPresetOptions();
    if (editor) {
      editor.fillChoices();
      editor.renderToolbar();
    }
    relayout();
    // The labels the drawing's views set once, when they were built.
    root.querySelector("svg.network")?.setAttribute("aria-label", S.networkLabel);
    for (const c of root.querySelectorAll("canvas.matrix")) {
      c.setAttribute("aria-roledescription", S.matrixRole);
      c.setAttribute("aria-label", S.matrixLabel);
    }
    for (const note of root.querySelectorAll(".legend-matrix")) note.textContent = S.matrixLegend;
    renderCaption();
    // What the live region said, said again in the new language.
    if (announcer.el.textContent && announcer.latest) announcer.el.textContent = announcer.words(announcer.latest);
    if (stepsEl) renderSteps(stepsEl, s.steps);
    if (panel) {
      // A gradient check on show is asked again (its table's words); a hidden one is
      // forgotten, and asked again when its tab opens.
      if (panel.isOpen && panel.tab === "gradcheck") panel.runGradcheck();
      else panel.clearGradcheck();
      panel.refresh();
    }
    if (training) training.relabel();
  }, ["lang"]);

  // ---- actions ------------------------------------------------------------------------------

  const listeners = new Map(); // app events for host pages: ready, error
  function emit(type, detail) {
    for (const fn of listeners.get(type) || []) fn(detail);
  }
  function on(type, fn) {
    if (!listeners.has(type)) listeners.set(type, new Set());
    listeners.get(type).add(fn);
    return () => listeners.get(type).delete(fn);
  }

  /** Show a request the API has accepted. `user`: it came from an edit on this page. */
  function show(request, { presetName = null, user = false, continued = false, view = null, selection = undefined, keepNetwork = false } = {}) {
    const keep = selection === undefined ? store.state.selection : selection;
    // keepNetwork: the same θ, the same object (a paused run's optimizer state still fits it).
    const copy = keepNetwork ? { ...structuredClone({ ...request, network: null }), network: request.network } : structuredClone(request);
    store.set(
      {
        request: copy,
        presetName,
        selection: validPick(keep, request),
        ...(view ? { view: { ...store.state.view, ...view } } : {}),
      },
      { user, continued },
    );
  }

  /**
   * Have the API check a request before it is shown; rejects with the API's message.
   * how = "network": only the network changed (POST /network re-checks it and fills θ⁰);
   * how = "request": the whole request (input, target, η, the loss's fit: POST /trace),
   * with θ⁰ filled first when the network has none.
   */
  async function validated(request, how = "request") {
    let next = structuredClone(request);
    if (how === "network" || !hasParameters(next.network)) {
      next = withField(next, "network", await postNetwork(next.network));
    }
    if (how === "request") await postTrace(next);
    return next;
  }

  /**
   * Validate an edited request with the API, then show it. Rejects with the API's message.
   * keepNetwork: only a field beside the network changed (η): the network stays the same object.
   */
  async function commit(next, how, { continued = false, keepNetwork = false } = {}) {
    let checked;
    try {
      checked = await validated(next, how);
    } catch (err) {
      // Refused: nothing changed, so the caption no longer says an edit did.
      if (note === S.captionEdited) {
        note = null;
        renderCaption();
      }
      throw err;
    }
    note = continued ? null : S.captionEdited;
    if (keepNetwork) show({ ...checked, network: next.network }, { user: true, continued, keepNetwork });
    else show(checked, { user: true, continued });
    setStatus("", false);
  }

  async function load(request, { user = false } = {}) {
    show(await validated(request), { user });
    return store.snapshot();
  }

  async function loadPreset(name, { user = false, asked = null } = {}) {
    show((await asked) || (await getPreset(name)), { presetName: name, user });
    return store.snapshot();
  }

  function pick(p) {
    const clean = validPick(p, store.request);
    store.set({ selection: clean }, { user: true });
    if (!clean) return;
    if (pickRow(clean).editable && editor) {
      editorFocus.opened();
      editor.open({ ...clean, x: p.x, y: p.y });
    } else if (panel) panel.show("equations");
  }

  function explain(p) {
    const clean = validPick(p, store.request);
    store.set({ selection: clean }, { user: true });
    if (panel) panel.show("equations");
  }

  /** Play: after a finished step, the next one (θ¹ → θ²), like Step. */
  function play() {
    if (player.finished) return step();
    player.retry(); // a step whose stream broke off is asked for again
    return player.play("step");
  }

  function forward() {
    player.retry();
    const starts = player.phaseStarts();
    if (player.recording && "backward" in starts && player.cursor >= starts.backward) player.seek(0);
    return player.play("forward");
  }

  function backward() {
    player.retry();
    const starts = player.phaseStarts();
    if (player.recording && "update" in starts && player.cursor >= starts.update) player.seek(starts.backward);
    return player.play("backward");
  }

  /** One whole step; after a finished one, continue from θ¹ (the update's new values). */
  async function step() {
    if (player.retry()) return player.play("step"); // its stream broke off: the same step again
    if (player.finished) {
      try {
        await commit(withField(store.request, "network", updatedNetwork()), "network", { continued: true });
      } catch (err) {
        setStatus(lectureMessage(err), true);
        return;
      }
    }
    return player.play("step");
  }

  /** θ¹ as the update events carried it. */
  function updatedNetwork() {
    const net = structuredClone(store.request.network);
    const frame = store.state.playback.frame;
    net.weights = net.weights.map((layer, l) => layer.map((row, j) => frame.w_new[l][j] ?? row));
    net.biases = net.biases.map((layer, l) => layer.map((b, j) => frame.b_new[l][j] ?? b));
    return net;
  }

  function setSpeed(speed) {
    player.setSpeed(speed);
    document.documentElement.style.setProperty("--bv-t", `${Math.round(300 / speed)}ms`);
  }

  function toggleEquations() {
    if (!panel) return;
    if (panel.isOpen && panel.tab === "equations") panel.close();
    else panel.show("equations");
  }

  function escape() {
    if (menus && menus.close()) return;
    if (editor && editor.isOpen) editor.close();
    else if (panel && panel.isOpen) panel.close();
    else store.set({ selection: null }, { user: true });
  }

  // ---- the link -----------------------------------------------------------------------------

  const keepParams = () => {
    const now = new URLSearchParams(search);
    const keep = new URLSearchParams();
    for (const name of DISPLAY_PARAMS) if (now.has(name)) keep.set(name, now.get(name));
    return withLanguage(keep);
  };
  /** A language chosen (by lang= or the switch) goes in the link; the browser's own does not. */
  const withLanguage = (params) => {
    const { code, chosen } = store.state.lang;
    if (chosen) params.set("lang", code);
    else params.delete("lang");
    return params;
  };

  /** The absolute link to this state, on `/` or (embed) on `/embed`. */
  async function link({ embed = mode === "embed" } = {}) {
    const { request, presetName, view, selection } = store.state;
    const query = await linkQuery({ request, presetName, view: { ...view, selection } }, embed ? keepParams() : withLanguage(new URLSearchParams()));
    const page = new URL(embed ? "embed" : "./", pageRoot());
    page.search = query;
    return page.href;
  }

  let urlTimer = 0;
  function scheduleUrl(_state, _changed, cause = {}) {
    clearTimeout(urlTimer);
    // While a run streams, the link waits for the weights to settle (the run's last push).
    urlTimer = setTimeout(updateUrl, cause.streaming ? 1000 : 150);
  }

  // Past this many weights and biases a state fits MAX_LINK_LENGTH only if nearly all of it
  // repeats (a random double deflates to ~8 bytes): the address bar skips the encoding
  // (~75 ms in one task for 10 × 64); the Share menu still makes the link, and says why not.
  const MAX_URL_PARAMETERS = 4000;

  async function updateUrl() {
    if (!store.request) return;
    const { request, presetName, view, selection } = store.state;
    const net = request.network;
    const parameters = net.layers.slice(1).reduce((sum, n, l) => sum + n * (net.layers[l] + 1), 0);
    if (!presetName && parameters > MAX_URL_PARAMETERS) return;
    const query = await linkQuery({ request, presetName, view: { ...view, selection } }, keepParams());
    const url = new URL(location.href);
    url.search = query;
    if (url.href.length > MAX_LINK_LENGTH) return; // the Share menu says why there is no link
    try {
      history.replaceState(history.state, "", url.href);
    } catch {
      // a sandboxed frame may refuse: the link in the Share menu still works
    }
  }

  // ---- presets ------------------------------------------------------------------------------

  let presetList = [];
  function fillPresets(presets) {
    presetList = presets;
    if (!presetSelect) return;
    fillPresetOptions();
    presetSelect.addEventListener("change", async () => {
      const name = presetSelect.value;
      if (!name) return;
      try {
        await loadPreset(name, { user: true });
        setStatus("", false);
      } catch (err) {
        setStatus(lectureMessage(err), true);
      }
    });
  }

  /** The examples' names, in the page's language where its catalog has them. */
  function fillPresetOptions() {
    const custom = new Option(S.presetCustom, "");
    custom.dataset.custom = "1";
    presetSelect.replaceChildren(
      custom,
      ...presetList.map((p) => {
        const o = new Option(S.presetTitle(p.name, p.title || p.name), p.name);
        o.title = S.presetDescription(p.name, p.description || "");
        return o;
      }),
    );
    syncPresetSelect();
  }

  /**
   * The title of a frame that shows this page (Share's <iframe>, embed.js's, as oEmbed's):
   * "backprop-viz: " and the preset's title from the server, in the page's language.
   */
  function frameTitle() {
    const preset = presetList.find((p) => p.name === store.presetName);
    return S.frameTitle(preset ? S.presetTitle(preset.name, preset.title || preset.name) : null);
  }

  function syncPresetSelect() {
    presetSelect.value = store.presetName || "";
    const custom = presetSelect.querySelector("option[data-custom]");
    if (custom) custom.hidden = !!store.presetName;
  }

  // ---- start --------------------------------------------------------------------------------

  const app = {
    store,
    player,
    drawing,
    mode,
    options,
    on,
    link,
    frameTitle,
    load,
    loadPreset,
    play,
    pause: () => player.pause(),
    reset: () => player.seek(0),
    step,
    forward,
    backward,
    setSpeed,
    explain,
    training,
    setLanguage: chooseLanguage,
    setLearningRate,
    language: () => store.state.lang.code,
    destroy: unbindKeys,
  };
  const menus = installMenus(root, { app });
  if (captionEl) installCaptionFit(captionEl.parentElement);
  if (has(".toolbar")) showScrollCues($(".toolbar"));

  app.ready = (async () => {
    if (captionEl) captionEl.textContent = S.loading;
    for (const n of notes) addNote(() => S.paramNote(n.param, n.raw, PARAMS[n.param].parse(n.raw).error));
    if (options.speed !== 1) setSpeed(options.speed);
    try {
      // The default preset is asked for with the lists, not after them (one round trip less
      // on a slow link), when the link names no state and no preset; a failure is asked again.
      const early = options.state || options.preset ? null : getPreset(DEFAULT_PRESET).catch(() => null);
      const [capabilities, presets] = await Promise.all([getCapabilities(), getPresets()]);
      store.set({ capabilities });
      if (editor) editor.fillChoices();
      fillPresets(presets);
      await openFirst(presets, early);
      const brand = $('[data-bind="brand"]');
      if (brand) {
        brand.href = await link({ embed: false });
        if (mode === "embed") {
          brand.target = "_blank";
          brand.rel = "noopener";
          brand.title = S.openFull;
        }
      }
      if (options.step) await player.openAt(options.step === "update" ? "step" : options.step);
      if (options.autoplay) play();
      if (training && options.view === "training") await training.open();
      emit("ready", {});
    } catch (err) {
      if (captionEl) {
        captionEl.textContent = S.captionError(lectureMessage(err));
        captionEl.classList.add("error");
      }
      emit("error", { message: err.message });
      throw err;
    }
    return app;
  })();

  /** The state from the link, else the preset it names, else the default preset. */
  async function openFirst(presets, early) {
    // A state is read only in the version it was written in (v=1); another is refused whole.
    if (options.state && !notes.some((n) => n.param === "v")) {
      try {
        const state = await decodeState(options.state);
        const view = state.view && typeof state.view === "object" ? state.view : {};
        show(await validated(state.request), {
          view: { panel: panel && ["equations", "gradcheck"].includes(view.panel) ? view.panel : null },
          selection: view.selection ?? null,
        });
        if (typeof view.speed === "number" && view.speed > 0 && options.speed === 1) setSpeed(view.speed);
        return;
      } catch (err) {
        addNote(() => S.stateNote((err instanceof LinkError && S.stateWhy[err.reason]) || lectureMessage(err)));
      }
    }
    if (options.preset) {
      if (presets.some((p) => p.name === options.preset)) return loadPreset(options.preset);
      addNote(() => S.paramNote("preset", options.preset, S.noSuchPreset));
    }
    const first = presets.find((p) => p.name === DEFAULT_PRESET) || presets[0];
    return loadPreset(first.name, { asked: first.name === DEFAULT_PRESET ? early : null });
  }

  return app;
}

/** The site root (where /, /embed and /static live), from the API root the template names. */
export function pageRoot() {
  const api = document.body.dataset.api || "/api/v1/";
  return new URL(api.replace(/api\/v1\/?$/, ""), location.href).href;
}

function applyStrings(el) {
  for (const node of el.querySelectorAll("[data-i18n]")) node.textContent = S[node.dataset.i18n];
  for (const node of el.querySelectorAll("[data-i18n-title]")) {
    node.title = S[node.dataset.i18nTitle];
    if (node.hasAttribute("aria-label")) node.setAttribute("aria-label", node.title);
  }
  for (const node of el.querySelectorAll("[data-i18n-label]")) node.setAttribute("aria-label", S[node.dataset.i18nLabel]);
  document.title = `${S.appTitle}: ${S.tagline}`;
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
}
