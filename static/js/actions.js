// The page's actions: what a click, a key, a host's message or a hook asks for. An action
// that changes the request has the API check it first (POST /network, POST /trace), then
// sets the store; the views follow the store. Nothing here draws.

import { getPreset, postNetwork, postTrace } from "./page/api.js";
import { pickRow, validPick } from "./drawing/picks.js";
import { keepEvents } from "./player/checked.js";
import { withField } from "./page/state.js";
import { lectureMessage } from "./text/messages.js";
import { S } from "./text/strings.js";

const hasParameters = (network) => Array.isArray(network.weights) && Array.isArray(network.biases);

/**
 * @param {object} parts  what createApp built: {store, player, editor, panel, caption,
 *   status, menus: () => the Share and Export menus, root: the app's element}; editor, panel
 *   and caption may be null
 */
export function createActions({ store, player, editor, panel, caption, status, menus, root = null }) {
  const setStatus = (message, isError) => status.set(message, isError);

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
   * with θ⁰ filled first when the network has none. The check brings the step's events,
   * which Play then plays (player/checked.js): the step is computed once per edit.
   */
  async function validated(request, how = "request") {
    let next = structuredClone(request);
    if (how === "network" || !hasParameters(next.network)) {
      next = withField(next, "network", await postNetwork(next.network));
    }
    if (how === "request") keepEvents(next, (await postTrace({ ...next, include_events: true })).events);
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
      caption?.forget(S.captionEdited); // refused: nothing changed, so the caption no longer says an edit did
      throw err;
    }
    if (caption) caption.note = continued ? null : S.captionEdited;
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

  /** The example picker's choice. */
  async function choosePreset(name) {
    try {
      await loadPreset(name, { user: true });
      setStatus("", false);
    } catch (err) {
      setStatus(lectureMessage(err), true);
    }
  }

  /** A click (or Enter) on the drawing: edit what can be edited, else explain it. */
  function pick(p) {
    const clean = validPick(p, store.request);
    store.set({ selection: clean }, { user: true });
    if (!clean) return;
    if (pickRow(clean).editable && editor) editor.openPicked({ ...clean, x: p.x, y: p.y });
    else if (panel) panel.show("equations");
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
    // The links' transition time, on the app's own element: two apps on a page (widgets in a
    // notebook) each keep theirs.
    (root || document.documentElement).style.setProperty("--bv-t", `${Math.round(300 / speed)}ms`);
  }

  function toggleEquations() {
    if (!panel) return;
    if (panel.isOpen && panel.tab === "equations") panel.close();
    else panel.show("equations");
  }

  function escape() {
    if (menus()?.close()) return;
    if (player.skip()) return; // a question stop (the predict mode's): go on without answering
    if (editor && editor.isOpen) editor.close();
    else if (panel && panel.isOpen) panel.close();
    else store.set({ selection: null }, { user: true });
  }

  return {
    show,
    validated,
    commit,
    load,
    loadPreset,
    choosePreset,
    pick,
    explain,
    play,
    pause: () => player.pause(),
    reset: () => player.seek(0),
    step,
    forward,
    backward,
    setSpeed,
    setStatus,
    clearError: () => status.clearError(),
    toggleEquations,
    escape,
  };
}
