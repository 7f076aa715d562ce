// The player bar and the keyboard. The bar (play, pause, one event either way, the phase
// buttons, the scrub bar, the speed) draws the store's `playback` slice; the keys work
// whether or not the bar is shown. Shortcuts: space play/pause, ←/→ one event,
// shift+←/→ one phase, Home/End, +/− speed, e equations, Esc closes what is open.

import { S } from "../text/strings.js";

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];
const SEGMENTS = ["forward", "backward", "update"];

export function fasterSpeed(speed) {
  return SPEEDS.find((s) => s > speed) ?? SPEEDS.at(-1);
}

export function slowerSpeed(speed) {
  return SPEEDS.filter((s) => s < speed).at(-1) ?? SPEEDS[0];
}

export class Controls {
  /**
   * @param {HTMLElement} bar  the .player element
   * @param {object} o
   * @param {import("../page/store.js").Store} o.store
   * @param {import("./playback.js").Player} o.player
   * @param {object} o.actions  {play, forward, backward, step, setSpeed}
   */
  constructor(bar, { store, player, actions }) {
    this.bar = bar;
    this.player = player;
    this.scrub = bar.querySelector('[data-control="scrub"]');
    this.speed = bar.querySelector('[data-control="speed"]');
    this.marks = bar.querySelector('[data-bind="phase-marks"]');
    this.button = (name) => bar.querySelector(`[data-action="${name}"]`);
    const click = (name, fn) => this.button(name)?.addEventListener("click", fn);
    click("play", () => actions.play());
    click("pause", () => player.pause());
    click("reset", () => player.seek(0));
    click("prev", () => player.prev());
    click("next", () => player.next());
    click("forward", () => actions.forward());
    click("backward", () => actions.backward());
    click("step", () => actions.step());
    this.scrub?.addEventListener("input", () => player.seek(Number(this.scrub.value)));
    this.speed?.addEventListener("change", () => actions.setSpeed(Number(this.speed.value)));
    this.marksKey = "";
    store.subscribe((state) => this.render(state.playback), ["playback"]);
    store.subscribe(() => this.#relabelMarks(), ["lang"]);
    // The drawing's skip link: straight to the player (Step, else its first live button).
    bar.closest(".app")?.querySelector('[data-action="skip-drawing"]')?.addEventListener("click", () =>
      (this.button("step") || bar.querySelector("button:not(:disabled)"))?.focus());
  }

  #relabelMarks() {
    for (const b of this.marks?.querySelectorAll("[data-phase]") || []) {
      b.textContent = S.phaseNames[b.dataset.phase];
      b.title = S.phaseJump(S.phaseNames[b.dataset.phase]);
    }
  }

  #showSpeed(speed) {
    if (!this.speed || this.speed.value === String(speed)) return;
    if (!SPEEDS.includes(speed)) {
      // A speed set through the API (e.g. tests, a host page): show it rather than lie.
      let opt = this.speed.querySelector("option[data-custom]");
      if (!opt) {
        opt = new Option("", "");
        opt.dataset.custom = "1";
        this.speed.append(opt);
      }
      opt.value = String(speed);
      opt.textContent = `${speed}×`;
    }
    this.speed.value = String(speed);
  }

  /** Reflect the playback slice: buttons, scrub bar, phase marks, speed. */
  render(pb) {
    const set = (name, disabled) => {
      const b = this.button(name);
      if (b) b.disabled = disabled;
    };
    set("play", pb.playing);
    set("pause", !pb.playing);
    set("prev", pb.cursor === 0);
    set("reset", pb.cursor === 0);
    set("next", pb.finished);
    this.#showSpeed(pb.speed);
    if (this.scrub) {
      this.scrub.max = String(Math.max(1, pb.total));
      this.scrub.value = String(pb.cursor);
      this.scrub.setAttribute("aria-valuetext", `${pb.cursor} / ${pb.total}`);
    }
    if (!this.marks) return;
    const starts = pb.starts;
    const key = `${pb.total}|${JSON.stringify(starts)}`;
    if (key !== this.marksKey) {
      this.marksKey = key;
      // Three segments under the scrub bar (the loss closes the forward pass, "done" the update).
      const total = Math.max(1, pb.total);
      const shown = SEGMENTS.filter((name) => name in starts);
      const marks = shown.map((name, k) => {
        const end = k + 1 < shown.length ? starts[shown[k + 1]] : pb.total;
        const b = document.createElement("button");
        b.type = "button";
        b.dataset.phase = name;
        b.textContent = S.phaseNames[name];
        b.title = S.phaseJump(S.phaseNames[name]);
        b.style.left = `${(100 * starts[name]) / total}%`;
        b.style.width = `${(100 * (end - starts[name])) / total}%`;
        b.addEventListener("click", () => this.player.jumpTo(name));
        return b;
      });
      this.marks.replaceChildren(...marks);
    }
    const segment = pb.phase === "loss" ? "forward" : pb.phase === "done" ? "update" : pb.phase;
    for (const b of this.marks.children) b.classList.toggle("current", b.dataset.phase === segment);
  }
}

/**
 * The keyboard shortcuts, on `target` (the document): they act once the page (or the frame
 * that holds it) has focus, and step aside while the user types in a field.
 * @param {object} o  {player, actions: {play, setSpeed, toggleEquations, escape}}
 * @returns {() => void} removes them
 */
export function bindKeys(target, { player, actions }) {
  const onKey = (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    const typing = t.closest && t.closest("input:not([type=range]):not([type=checkbox]), select, textarea, [contenteditable]");
    if (typing) return;
    const p = player;
    const onRange = t.matches && t.matches("input[type=range]");
    switch (ev.key) {
      case " ":
        if (t.matches && t.matches("input[type=checkbox], input[type=radio]")) return; // space ticks it
        if (p.playing) p.pause();
        else actions.play();
        break;
      case "ArrowRight":
        if (onRange) return;
        if (ev.shiftKey) p.jumpPhase(+1);
        else p.next();
        break;
      case "ArrowLeft":
        if (onRange) return;
        if (ev.shiftKey) p.jumpPhase(-1);
        else p.prev();
        break;
      case "Home":
        p.seek(0);
        break;
      case "End":
        p.seek(p.events.length);
        break;
      case "+":
      case "=":
        actions.setSpeed(fasterSpeed(p.speed));
        break;
      case "-":
      case "_":
        actions.setSpeed(slowerSpeed(p.speed));
        break;
      case "e":
        actions.toggleEquations();
        break;
      case "Escape":
        actions.escape();
        break;
      default:
        return;
    }
    ev.preventDefault();
  };
  target.addEventListener("keydown", onKey);
  return () => target.removeEventListener("keydown", onKey);
}
