// createApp(root, options): the visualizer, built inside `root` with the parts `options`
// asks for. Nothing happens at import: `/` (main.js) and `/embed` (embed-main.js) are two
// callers. This module only assembles: each part subscribes to the store slices it draws
// (the language included) and calls the actions (actions.js); start.js opens the first
// network. docs/page.md, "Where things are", maps the rooms.

import { createActions } from "./actions.js";
import { Drawing } from "./drawing/drawing.js";
import { Address, pageRoot } from "./page/address.js";
import { Events } from "./page/events.js";
import { readParams } from "./page/params.js";
import { showScrollCues } from "./page/overflow.js";
import { buildShell, ShellText } from "./page/shell.js";
import { StatusLine } from "./page/status.js";
import { Store } from "./page/store.js";
import { Editor } from "./panel/editor.js";
import { learningRateSetter } from "./panel/eta.js";
import { installMenus } from "./panel/menus.js";
import { SidePanel } from "./panel/panel.js";
import { Presets } from "./panel/presets.js";
import { CaptionView, speakCaptions } from "./player/captionview.js";
import { Controls, bindKeys } from "./player/controls.js";
import { Player } from "./player/playback.js";
import { Predictor } from "./player/predictview.js";
import { Stage } from "./player/stage.js";
import { countSteps } from "./player/steps.js";
import { traceTimeline, withQuestions } from "./player/timeline.js";
import { DEFAULT_PRESET, start } from "./start.js";
import { applyLanguage, browserLanguages, chooseLanguage, detectLanguage } from "./text/language.js";

export { DEFAULT_PRESET, pageRoot };

/**
 * @param {HTMLElement} root  an empty element the page fills
 * @param {object} [options]
 * @param {"full"|"embed"} [options.mode]   the site page or the frameable one
 * @param {string} [options.search]        the query string to read (default: location.search)
 * @param {boolean} [options.syncUrl]      keep the address bar's link up to date (replaceState)
 * @param {Function} [options.TrainingView] the training view's class (training/view.js), or
 *   none for a page without it: the entry module imports it, so that /embed loads its modules
 *   only when it shows it
 * @param {EventTarget} [options.keys]     where the player's keys are heard (default: the
 *   whole document; the notebook widget: its own box, the notebook's keys being the notebook's)
 * @returns {object} the app: {store, player, ready, ...actions}; `ready` resolves with it
 *   once the first network is drawn
 */
export function createApp(root, { mode = "full", search = location.search, syncUrl = true, TrainingView = null, keys = null } = {}) {
  const { options, notes } = readParams(search);
  // lang= first, then the browser's; a language chosen (lang= or the switch) goes in links.
  const lang = { code: detectLanguage(options.lang, browserLanguages()), chosen: !!options.lang };
  applyLanguage(lang.code);
  buildShell(root, { mode, options });
  const $ = (sel) => root.querySelector(sel);
  const store = new Store();
  store.set({ lang }); // {code, chosen}: every view's text follows it
  const events = new Events();
  const shell = new ShellText(root, { store });

  // The drawing and the player: links for a network that fits, heatmaps for a wide one.
  const drawing = new Drawing($('[data-bind="canvas"]'), { onPick: (p) => actions.pick(p) });
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const player = new Player({ store, effects: drawing, still: () => reducedMotion.matches });
  // The predict mode: the step's timeline asks (question stops) while it is on.
  const predictor = new Predictor(root, { store, player, events, on: options.predict });
  const timeline = (request) => withQuestions(traceTimeline(request), (event) => predictor.ask(event));
  const stage = new Stage(root, { store, drawing, player, timelineOf: timeline });
  countSteps($('[data-bind="steps"]'), { store, player });
  const status = new StatusLine($('[data-bind="status"]') || $('[data-bind="caption"]'), { store, events });

  // The panel and the editor. The page's one η: the toolbar's field and the training view's.
  const setLearningRate = learningRateSetter({
    store,
    commit: (...a) => actions.commit(...a),
    setStatus: (...a) => status.set(...a),
    training: () => training,
  });
  const editor = $('[data-bind="editor"]') && $(".toolbar")
    ? new Editor(root, {
      store,
      stage,
      commit: (...a) => actions.commit(...a),
      onExplain: (p) => actions.explain(p),
      onStatus: (...a) => status.set(...a),
      setLearningRate,
    })
    : null;
  const panel = $('[data-bind="panel"]') ? new SidePanel(root, { store, onResize: () => stage.relayout() }) : null;
  const training = TrainingView && $('[data-bind="training"]')
    ? new TrainingView(root, {
      store,
      app: {
        load: (...a) => actions.load(...a),
        play: () => actions.play(),
        setStatus: (...a) => status.set(...a),
        setLearningRate,
        clearError: () => status.clearError(),
      },
    })
    : null;

  // The caption and its spoken twin, the example picker, the address bar.
  const captionEl = $('[data-bind="caption"]');
  const caption = captionEl ? new CaptionView(captionEl, { store, events, weightsOnly: () => stage.weightsOnly }) : null;
  speakCaptions(root, store, { question: (q) => predictor.spoken(q), aside: () => predictor.unsaid() });
  const presets = new Presets($('[data-control="preset"]'), { store, onChoose: (name) => actions.choosePreset(name) });
  const address = new Address({ store, mode, search, syncUrl });

  // What the parts and the host ask for; the player's bar and the keys call it.
  let menus = null;
  const actions = createActions({ store, player, editor, panel, caption, status, menus: () => menus, root });
  if ($(".player")) new Controls($(".player"), { store, player, actions });
  const unbindKeys = bindKeys(keys || root.ownerDocument, { player, actions });

  const app = {
    store,
    player,
    drawing,
    mode,
    options,
    on: (type, fn) => events.on(type, fn),
    link: (o) => address.link(o || {}),
    frameTitle: () => presets.frameTitle(),
    load: actions.load,
    loadPreset: actions.loadPreset,
    play: actions.play,
    pause: actions.pause,
    reset: actions.reset,
    step: actions.step,
    forward: actions.forward,
    backward: actions.backward,
    setSpeed: actions.setSpeed,
    explain: actions.explain,
    training,
    setLanguage: (code) => chooseLanguage(store, code),
    setLearningRate,
    setPredict: (on) => predictor.set(on),
    // The one value the predict mode asks for (the tour's chapter), or null: the usual ones.
    aimPredict: (target, name) => predictor.aim(target, name),
    closePanel: () => panel?.close(),
    language: () => store.state.lang.code,
    destroy: unbindKeys,
  };
  menus = installMenus(root, { app });
  if ($(".toolbar")) showScrollCues($(".toolbar"));
  app.ready = start(app, { actions, shell, presets, editor, panel, caption, events, notes });
  return app;
}
