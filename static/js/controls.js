// The player bar and the keyboard: play, pause, one event either way, the phase buttons,
// the scrub bar and the speed. Shortcuts: space play/pause, ←/→ one event, shift+←/→ one
// phase, Home/End, +/− speed, e equations, Esc closes what is open.

import { S } from "./strings.js";

const SPEEDS = [0.25, 0.5, 1, 2, 4, 8];
const SEGMENTS = ["forward", "backward", "update"];

export class Controls {
  /**
   * @param {HTMLElement} root  the .app element
   * @param {object} o
   * @param {import("./playback.js").Player} o.player
   * @param {object} o.actions  {forward, backward, step, toggleEquations, escape}
   */
  constructor(root, { player, actions }) {
    this.root = root;
    this.player = player;
    this.actions = actions;
    this.scrub = root.querySelector('[data-control="scrub"]');
    this.speed = root.querySelector('[data-control="speed"]');
    this.marks = root.querySelector('[data-bind="phase-marks"]');
    this.button = (name) => root.querySelector(`.player [data-action="${name}"]`);
    const click = (name, fn) => this.button(name).addEventListener("click", fn);
    click("play", () => this.play());
    click("pause", () => player.pause());
    click("reset", () => player.seek(0));
    click("prev", () => player.prev());
    click("next", () => player.next());
    click("forward", () => actions.forward());
    click("backward", () => actions.backward());
    click("step", () => actions.step());
    this.scrub.addEventListener("input", () => player.seek(Number(this.scrub.value)));
    this.speed.addEventListener("change", () => this.setSpeed(Number(this.speed.value)));
    document.addEventListener("keydown", (ev) => this.#key(ev));
    this.marksKey = "";
  }

  play() {
    if (this.player.finished) this.player.seek(0);
    this.player.play("step");
  }

  setSpeed(speed) {
    this.player.speed = speed;
    const known = SPEEDS.includes(speed);
    if (!known) {
      // A speed set through the API (e.g. tests): show it rather than lie.
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
    document.documentElement.style.setProperty("--bv-t", `${Math.round(300 / speed)}ms`);
  }

  #key(ev) {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const t = ev.target;
    const typing = t.closest && t.closest("input:not([type=range]):not([type=checkbox]), select, textarea, [contenteditable]");
    if (typing) return;
    const p = this.player;
    const onRange = t.matches && t.matches("input[type=range]");
    switch (ev.key) {
      case " ":
        if (p.playing) p.pause();
        else this.play();
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
        this.setSpeed(SPEEDS[Math.min(SPEEDS.length - 1, SPEEDS.findIndex((s) => s >= p.speed) + 1)] ?? 8);
        break;
      case "-":
      case "_": {
        const k = SPEEDS.findIndex((s) => s >= p.speed);
        this.setSpeed(SPEEDS[Math.max(0, (k < 0 ? SPEEDS.length : k) - 1)]);
        break;
      }
      case "e":
        this.actions.toggleEquations();
        break;
      case "Escape":
        this.actions.escape();
        break;
      default:
        return;
    }
    ev.preventDefault();
  }

  /** Reflect the player's state: buttons, scrub bar, phase marks. */
  render() {
    const p = this.player;
    const total = p.total;
    this.button("play").disabled = p.playing;
    this.button("pause").disabled = !p.playing;
    this.button("prev").disabled = p.cursor === 0;
    this.button("reset").disabled = p.cursor === 0;
    this.button("next").disabled = p.finished;
    this.scrub.max = String(Math.max(1, total));
    this.scrub.value = String(p.cursor);
    this.scrub.setAttribute("aria-valuetext", `${p.cursor} / ${total}`);
    const starts = p.phaseStarts();
    const key = `${total}|${JSON.stringify(starts)}`;
    if (key !== this.marksKey) {
      this.marksKey = key;
      // Three segments under the scrub bar (the loss closes the forward pass, "done" the update).
      const shown = SEGMENTS.filter((name) => name in starts);
      const marks = shown.map((name, k) => {
        const end = k + 1 < shown.length ? starts[shown[k + 1]] : total;
        const b = document.createElement("button");
        b.type = "button";
        b.dataset.phase = name;
        b.textContent = S.phaseNames[name];
        b.title = S.phaseJump(S.phaseNames[name]);
        b.style.left = `${(100 * starts[name]) / Math.max(1, total)}%`;
        b.style.width = `${(100 * (end - starts[name])) / Math.max(1, total)}%`;
        b.addEventListener("click", () => p.jumpTo(name));
        return b;
      });
      this.marks.replaceChildren(...marks);
    }
    const phase = p.view ? p.view.phase : "idle";
    const segment = phase === "loss" ? "forward" : phase === "done" ? "update" : phase;
    for (const b of this.marks.children) b.classList.toggle("current", b.dataset.phase === segment);
  }
}
