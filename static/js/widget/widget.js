// The notebook widget (anywidget's `_esm`, app/notebook/widget.py): the /embed page's parts,
// built by the same createApp from the same modules, inside the notebook's output cell. Its
// requests are answered by the kernel (transport.js), never by a server: api.js's one seam.
// Built into one file with no chunks (scripts/bundle/build.mjs): anywidget loads it from a
// blob URL, which resolves no relative import.
//
// The model's traits: preset, request, hide, view, height (read once, at render); lang and
// theme (followed); state (written here: the trace request the page shows, on every edit).
// Messages from the kernel: {kind: "load", preset | request}, {kind: "step"},
// {kind: "train", body}; to the kernel: the requests, and {kind: "event", type, detail}
// (the page's events, and "stepped" / "trained" when a kernel's command has been animated).

import katex from "../../vendor/katex/katex.min.js";
import { createApp } from "../app.js";
import { setTransport } from "../page/api.js";
import { installHooks } from "../page/hooks.js";
import { provideKatex } from "../panel/equations.js";
import { TrainingView } from "../training/view.js";
import { kernelTransport } from "./transport.js";

/** The query string createApp reads, from the widget's traits ("share" hidden: no site to link to). */
export function searchOf(model) {
  const q = new URLSearchParams();
  const preset = model.get("preset");
  if (preset && !model.get("request")) q.set("preset", preset);
  for (const name of ["lang", "theme", "view"]) if (model.get(name)) q.set(name, model.get(name));
  q.set("hide", ["share", ...(model.get("hide") || "").split(/[,\s]+/)].filter(Boolean).join(","));
  return "?" + q.toString();
}

let transportSet = false;

function render({ model, el }) {
  if (!transportSet) {
    // anywidget imports this file once per model (a blob URL each), so these modules, and
    // api.js's transport, are this model's: its views (the same widget shown twice) share them.
    setTransport(kernelTransport(model));
    provideKatex(katex);
    transportSet = true;
  }
  const frame = document.createElement("div");
  frame.className = "bv-widget";
  frame.style.height = `${model.get("height") || 520}px`;
  const root = document.createElement("div");
  frame.append(root);
  el.append(frame);

  // The player's keys (space, arrows, e, …) inside the widget only: in the notebook they are
  // the notebook's (arrows move between cells). A key the player took goes no further.
  const app = createApp(root, { mode: "embed", search: searchOf(model), syncUrl: false, TrainingView, keys: frame });
  frame.addEventListener("keydown", (ev) => ev.defaultPrevented && ev.stopPropagation());
  root.querySelector(".brand-heading")?.remove(); // it links to the site, and there is none
  installHooks(app);

  const event = (type, detail = {}) => model.send({ kind: "event", type, detail });
  const stops = ["ready", "error", "prediction"].map((type) => app.on(type, (detail) => event(type, detail)));
  // The page's state to the kernel: the request as state() gives it, on every change.
  const sync = () => {
    model.set("state", app.store.snapshot());
    model.save_changes();
  };
  const unsubscribe = app.store.subscribe(sync, ["request"]);

  const commands = async (msg) => {
    if (!msg || typeof msg.kind !== "string") return;
    try {
      if (msg.kind === "load") {
        await app.ready;
        if (msg.preset) await app.loadPreset(msg.preset);
        else await app.load(msg.request);
      } else if (msg.kind === "step") {
        await app.ready;
        const done = await app.player.run();
        frame.dataset.steps = String(Number(frame.dataset.steps || 0) + 1); // animated to the end (benchmarks/bench_widget.py)
        event("stepped", { done });
      } else if (msg.kind === "train") {
        await app.ready;
        if (!app.training) return event("error", { message: 'this widget has no training view (view="training")' });
        await app.training.open();
        event("trained", { done: await app.training.trainWith(msg.body) });
      }
    } catch (err) {
      event("error", { message: err.message });
    }
  };
  model.on("msg:custom", commands);
  // The language and the theme follow their traits (`viz.lang = "zh-TW"`); the rest is read once.
  const relabel = () => model.get("lang") && app.setLanguage(model.get("lang"));
  const retheme = () => (frame.dataset.theme = model.get("theme") || "light");
  model.on("change:lang", relabel);
  model.on("change:theme", retheme);

  app.ready.then(async () => {
    const request = model.get("request");
    if (request) await app.load(request);
    sync();
    frame.dataset.ready = "true";
  }, () => {});

  return () => {
    stops.forEach((stop) => stop());
    unsubscribe();
    model.off("msg:custom", commands);
    model.off("change:lang", relabel);
    model.off("change:theme", retheme);
    app.destroy();
  };
}

export default { render };
