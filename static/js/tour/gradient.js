// The lecture's column ∇L(θ): every ∂L/∂w, then every ∂L/∂b, of the network on screen, each
// read from the trace as the player shows it (the frame's dl_dw and dl_db, folded from the
// server's gradient events); an entry the step has not reached yet reads "?". Nothing is
// computed here. With one example L is its loss l, so ∂L/∂w is the trace's ∂l/∂w.

import { short, full } from "../text/format.js";
import { biasName, sup, weightName } from "../text/names.js";
import { S } from "../text/strings.js";

// A longer column is cut in the middle (⋮), as the lecture's is: the first and the last rows.
export const MAX_ROWS = 24;

/**
 * The column's rows, in the lecture's order (the weights layer by layer, then the biases):
 * [{kind: "w"|"b", layer, to, from?, name, value}] (value null until the step shows it).
 * @param {object} request  the trace request on screen
 * @param {object|null} frame  the player's frame (replay.js), or null before any
 */
export function gradientRows(request, frame) {
  const { layers } = request.network;
  const rows = [];
  for (let l = 1; l < layers.length; l++) {
    for (let j = 0; j < layers[l]; j++) {
      const got = frame ? frame.dl_dw[l - 1][j] : null;
      for (let i = 0; i < layers[l - 1]; i++) {
        rows.push({ kind: "w", layer: l, to: j, from: i, name: `∂L/∂${weightName(l, j, i)}`, value: got ? got[i] : null });
      }
    }
  }
  for (let l = 1; l < layers.length; l++) {
    for (let j = 0; j < layers[l]; j++) {
      const got = frame ? frame.dl_db[l - 1][j] : null;
      rows.push({ kind: "b", layer: l, to: j, name: `∂L/∂${biasName(l, j)}`, value: got ?? null });
    }
  }
  return rows;
}

/** The rows shown: all, or the first and last halves of MAX_ROWS with null (⋮) between. */
export function shownRows(rows, max = MAX_ROWS) {
  if (rows.length <= max) return rows;
  const half = Math.floor(max / 2);
  return [...rows.slice(0, half), null, ...rows.slice(-half)];
}

/** Which θ the column is the gradient at: θ^n after n steps taken (a finished step counts once its update is shown). */
export function thetaIndex(steps, frame) {
  return Math.max(0, steps.length - (frame && frame.phase === "done" ? 1 : 0));
}

/** The column, drawn into `el` (a `.tour-gradient` box) from the store while `on()`. */
export class GradientColumn {
  constructor(el, { store, on }) {
    this.el = el;
    this.store = store;
    this.on = on;
    this.key = "";
    store.subscribe(() => this.render(), ["playback", "request", "lang", "steps"]);
  }

  render() {
    const { request, playback, steps, lang } = this.store.state;
    if (!this.on() || !request) {
      this.el.hidden = true;
      this.key = "";
      return;
    }
    const frame = playback.frame;
    const rows = gradientRows(request, frame);
    const n = thetaIndex(steps, frame);
    const key = `${lang.code}|${n}|${rows.map((r) => r.value).join()}`;
    if (key === this.key && !this.el.hidden) return; // playing publishes many times a second
    this.key = key;
    this.el.hidden = false;
    const caption = document.createElement("p");
    caption.className = "tour-gradient-caption";
    caption.id = "bv-tour-gradient-caption";
    caption.textContent = S.tourGradient(`θ${sup(n)}`, rows.length);
    const list = document.createElement("ol");
    list.className = "tour-column";
    list.setAttribute("aria-labelledby", caption.id);
    for (const row of shownRows(rows)) {
      const li = document.createElement("li");
      if (!row) {
        li.className = "tour-column-more";
        li.textContent = "⋮";
        li.setAttribute("aria-label", S.tourGradientMore(rows.length - MAX_ROWS));
        list.append(li);
        continue;
      }
      li.dataset.param = row.kind === "w" ? `w ${row.layer} ${row.to + 1} ${row.from + 1}` : `b ${row.layer} ${row.to + 1}`;
      const name = document.createElement("span");
      name.className = "tour-column-name";
      name.textContent = row.name;
      const value = document.createElement("span");
      value.className = "tour-column-value";
      if (row.value === null) {
        value.textContent = "?";
        value.setAttribute("aria-label", S.tourNotYet);
      } else {
        value.textContent = short(row.value);
        value.title = full(row.value);
        value.dataset.value = String(row.value);
      }
      const eq = document.createElement("span");
      eq.textContent = "=";
      li.append(name, eq, value);
      list.append(li);
    }
    const theta = document.createElement("p");
    theta.className = "tour-gradient-update";
    theta.textContent = `θ${sup(n + 1)} = θ${sup(n)} − η∇L(θ${sup(n)})`;
    this.el.replaceChildren(caption, list, theta);
  }
}
