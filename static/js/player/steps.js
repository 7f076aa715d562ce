// The step counter beside Step: the gradient-descent steps taken from this network (the
// store's `steps` slice, each {loss, loss_after} as its "done" event carried them).

import { full, short } from "../text/format.js";
import { S } from "../text/strings.js";

/** "step 3 · l 0.2984 → 0.2805 → 0.2643": the loss at θ⁰ of each step, then at the last θ. */
export function renderSteps(el, steps) {
  el.hidden = steps.length === 0;
  if (!steps.length) return;
  const losses = steps.map((s) => s.loss);
  const lastAfter = steps.at(-1).loss_after;
  if (lastAfter !== null) losses.push(lastAfter);
  const last = losses.length > 5 ? losses.slice(-4) : losses; // the newest, where it matters
  const shown = [...(last === losses ? [] : ["…"]), ...last.map((x) => short(x))];
  const count = document.createElement("span");
  count.textContent = S.stepsCount(steps.length);
  const list = document.createElement("span");
  list.className = "steps-losses";
  list.textContent = S.stepsLosses(shown.join(" → "));
  el.replaceChildren(count, list);
  el.title = S.stepsTitle(steps.length, losses.map((x) => full(x)).join(" → "));
  el.dataset.steps = String(steps.length);
  el.dataset.losses = JSON.stringify(losses);
}

/**
 * The store's `steps`: a "done" event of a step not counted yet adds it; a new network starts
 * over, except the θ¹ that Step or Play continue from (a change caused `continued`). With
 * `el`, the counter draws the slice, in the page's language.
 */
export function countSteps(el, { store, player }) {
  store.subscribe((s, _changed, cause) => {
    if (!cause.continued && s.steps.length) store.set({ steps: [] });
  }, ["request"]);
  let stepped = null; // the timeline whose step was counted
  player.onEvent((event) => {
    if (event.type !== "done" || stepped === player.timeline) return;
    stepped = player.timeline;
    store.set({ steps: [...store.state.steps, { loss: event.loss, loss_after: event.loss_after ?? null }] });
  });
  if (!el) return;
  store.subscribe((s) => renderSteps(el, s.steps), ["steps"]);
  store.subscribe((s) => s.request && renderSteps(el, s.steps), ["lang"]);
}
