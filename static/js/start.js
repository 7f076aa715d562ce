// What the page does once it is built: the server's capabilities and presets, then the first
// network (the link's state, else the preset it names, else the default preset), the
// brand's link, and what the link asks for (a step opened at a phase, autoplay, the
// training view). Resolves with the app once the first network is drawn ("ready").

import { getCapabilities, getPreset, getPresets } from "./page/api.js";
import { decodeState, LinkError } from "./page/link.js";
import { PARAMS } from "./page/params.js";
import { lectureMessage } from "./text/messages.js";
import { S } from "./text/strings.js";

export const DEFAULT_PRESET = "worked-example-2-2-2";

/**
 * @param {object} app  what createApp returns
 * @param {object} parts  {actions, shell, presets, editor, panel, caption, events, notes}
 *   (notes: params.js's about the page's own parameters)
 */
export async function start(app, { actions, shell, presets, editor, panel, caption, events, notes }) {
  const { options, store, player, training } = app;
  caption?.loading();
  for (const n of notes) shell.addNote(() => S.paramNote(n.param, n.raw, PARAMS[n.param].parse(n.raw).error));
  if (options.speed !== 1) actions.setSpeed(options.speed);
  try {
    // The default preset is asked for with the lists, not after them (one round trip less
    // on a slow link), when the link names no state and no preset; a failure is asked again.
    const early = options.state || options.preset ? null : getPreset(DEFAULT_PRESET).catch(() => null);
    const [capabilities, list] = await Promise.all([getCapabilities(), getPresets()]);
    store.set({ capabilities });
    editor?.fillChoices();
    presets.fill(list);
    await openFirst(list, early, { options, notes, actions, shell, panel });
    await shell.linkBrand(() => app.link({ embed: false }), { embed: app.mode === "embed" });
    if (options.step) await player.openAt(options.step === "update" ? "step" : options.step);
    if (options.autoplay) actions.play();
    if (training && options.view === "training") await training.open();
    events.emit("ready", {});
  } catch (err) {
    caption?.failed(err);
    events.emit("error", { message: err.message });
    throw err;
  }
  return app;
}

/** The state from the link, else the preset it names, else the default preset. */
async function openFirst(list, early, { options, notes, actions, shell, panel }) {
  // A state is read only in the version it was written in (v=1); another is refused whole.
  if (options.state && !notes.some((n) => n.param === "v")) {
    try {
      const state = await decodeState(options.state);
      const view = state.view && typeof state.view === "object" ? state.view : {};
      actions.show(await actions.validated(state.request), {
        view: { panel: panel && ["equations", "gradcheck"].includes(view.panel) ? view.panel : null },
        selection: view.selection ?? null,
      });
      if (typeof view.speed === "number" && view.speed > 0 && options.speed === 1) actions.setSpeed(view.speed);
      return;
    } catch (err) {
      shell.addNote(() => S.stateNote((err instanceof LinkError && S.stateWhy[err.reason]) || lectureMessage(err)));
    }
  }
  if (options.preset) {
    if (list.some((p) => p.name === options.preset)) return actions.loadPreset(options.preset);
    shell.addNote(() => S.paramNote("preset", options.preset, S.noSuchPreset));
  }
  const first = list.find((p) => p.name === DEFAULT_PRESET) || list[0];
  return actions.loadPreset(first.name, { asked: first.name === DEFAULT_PRESET ? early : null });
}
