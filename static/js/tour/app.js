// The lecture as a tour (`/tour`, `/embed?view=tour`; issue 15, item 5): the visualizer
// (createApp, without the editor and the training view: each chapter chooses its network)
// with the tour beside the drawing. A chapter (chapters.js) loads its network, opens the
// player where the chapter starts, points the equation panel at its item and aims the
// predict mode at its one value (the timeline's question stop, predictview.js: the player
// stops before that value and asks for it). Its Play plays as far as the chapter goes.
//
// The way through: the chapter links, Previous and Next, PageUp / PageDown anywhere
// outside a field, ← / → while the keyboard is on the tour's links or buttons (elsewhere
// they stay the player's). The address's hash names the chapter (`/tour#backward`),
// updated with replaceState as the reader moves, so that a reload keeps it.
// docs/page.md, "The tour".

import { createApp } from "../app.js";
import { applyStrings } from "../page/shell.js";
import { targetName } from "../player/predict.js";
import { S } from "../text/strings.js";
import { chapterIndex, stepChapter, tourSearch } from "./address.js";
import { CHAPTERS, inLanguage } from "./chapters.js";
import { CostView } from "./cost.js";
import { GradientColumn } from "./gradient.js";
import { tourMarkup } from "./markup.js";

/**
 * @param {HTMLElement} root  an empty element the page fills
 * @param {object} o
 * @param {"full"|"embed"} o.mode
 * @param {string} [o.search]  the query string (lang, theme, speed, hide)
 */
export function createTour(root, { mode, search = location.search }) {
  const app = createApp(root, { mode, search: tourSearch(search), syncUrl: false });
  const { store, player } = app;
  root.classList.add("tour-page");
  root.querySelector("main.stage").classList.add("tour-stage");
  root.querySelector(".canvas-wrap").insertAdjacentHTML("beforebegin", tourMarkup());
  const section = root.querySelector('[data-bind="tour"]');
  applyStrings(section); // the shell's texts were put in before the tour was (then on each language)
  const $ = (sel) => section.querySelector(sel);
  const live = $('[data-bind="tour-live"]');
  const prev = $('[data-action="tour-prev"]');
  const next = $('[data-action="tour-next"]');

  const wide = window.matchMedia("(min-width: 721px)");
  let current = -1; // the chapter shown
  let visited = false; // a chapter has been shown
  let token = 0; // bumps with each chapter: a slower one's network arriving late is dropped
  const chapter = () => CHAPTERS[current];
  store.set({ tour: null });
  const gradient = new GradientColumn($('[data-bind="tour-gradient"]'), { store, on: () => current >= 0 && chapter().show === "gradient" });
  const cost = new CostView($('[data-bind="tour-cost"]'), { store, on: () => current >= 0 && chapter().show === "cost" });

  /** The chapter's words in the page's language. */
  function render() {
    if (current < 0) return;
    const c = chapter();
    const code = store.state.lang.code;
    const title = inLanguage(c.title, code);
    $('[data-bind="tour-count"]').textContent = S.tourCount(current + 1, CHAPTERS.length);
    $('[data-bind="tour-title"]').textContent = title;
    $('[data-bind="tour-text"]').replaceChildren(...inLanguage(c.text, code).map((words) => {
      const p = document.createElement("p");
      p.textContent = words;
      return p;
    }));
    $('[data-bind="tour-lines"]').replaceChildren(...c.lines.map((line) => {
      const p = document.createElement("p");
      p.className = "tour-line";
      p.textContent = line;
      return p;
    }));
    $('[data-bind="tour-watch"]').textContent = inLanguage(c.watch, code);
    $('[data-bind="tour-predict"]').textContent = S.tourPredict(predictName(c, code) ?? targetName(c.predict.target));
    for (const link of section.querySelectorAll("[data-chapter]")) {
      const k = CHAPTERS.findIndex((x) => x.id === link.dataset.chapter);
      link.querySelector('[data-bind="tour-link-title"]').textContent = inLanguage(CHAPTERS[k].title, code);
      link.title = inLanguage(CHAPTERS[k].title, code);
      if (k === current) link.setAttribute("aria-current", "step");
      else link.removeAttribute("aria-current");
    }
    const focused = root.ownerDocument.activeElement;
    prev.disabled = current === 0;
    next.disabled = current === CHAPTERS.length - 1;
    // A button that turned disabled under the keyboard hands it to its twin.
    if (focused === prev && prev.disabled) next.focus();
    if (focused === next && next.disabled) prev.focus();
    document.title = `${title} · ${S.tourTitle}: ${S.appTitle}`;
    app.aimPredict(c.predict.target, predictName(c, code));
  }

  function predictName(c, code) {
    return c.predict.name ? inLanguage(c.predict.name, code) : null;
  }

  /**
   * Show chapter k: its words at once, then its network, the panel's item, the player where
   * the chapter starts and its one prediction. Resolves once the chapter is ready to play.
   */
  async function go(k, { focusLink = false } = {}) {
    const mine = ++token;
    const changed = k !== current;
    current = k;
    const c = chapter();
    const hash = `#${c.id}`;
    if (location.hash !== hash) history.replaceState(history.state, "", hash);
    render();
    gradient.render();
    cost.render();
    if (changed) live.textContent = S.tourNow(k + 1, CHAPTERS.length, inLanguage(c.title, store.state.lang.code));
    if (focusLink) section.querySelector(`[data-chapter="${c.id}"]`)?.focus();
    app.pause();
    app.setPredict(true);
    // Each visit starts from the chapter's θ⁰ (a step taken in chapter 1 does not carry over);
    // the first chapter shown may already have it, as the page opened it (its default preset).
    const opened = !visited && store.state.presetName === c.preset && !store.state.steps.length;
    visited = true;
    if (!opened) await app.loadPreset(c.preset);
    if (mine !== token) return;
    // The panel opens beside the drawing; where it would cover the drawing (narrow) the item
    // is only picked, and the Equations button opens it.
    if (c.pick && wide.matches) app.explain(c.pick);
    else if (c.pick) {
      store.set({ selection: c.pick });
      app.closePanel();
    } else {
      store.set({ selection: null });
      app.closePanel();
    }
    if (c.show === "cost") cost.measure();
    if (c.open) await player.openAt(c.open);
    if (mine !== token) return;
    store.set({ tour: { chapter: c.id, index: k } });
  }

  function move(step, options) {
    const k = stepChapter(current, step);
    if (k !== current) go(k, options).catch(failed);
  }

  /** The chapter's Play: as far as the chapter goes (the forward pass, the backward pass, the step). */
  function play() {
    const how = chapter().play;
    if (how === "forward") return app.forward();
    if (how === "backward") return app.backward();
    return app.play();
  }

  function failed(err) {
    live.textContent = S.tourFailed(err.message);
  }

  prev.addEventListener("click", () => move(-1));
  next.addEventListener("click", () => move(+1));
  $('[data-action="tour-play"]').addEventListener("click", () => play());
  // The links: the chapter without a history entry per chapter (a frame's would be the host's).
  section.querySelector(".tour-nav").addEventListener("click", (ev) => {
    const link = ev.target.closest("[data-chapter]");
    if (!link || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) return;
    ev.preventDefault();
    go(chapterIndex(link.dataset.chapter)).catch(failed);
  });
  // ← / → on the tour's own links and buttons (before the page's keys hear them: this is
  // the section, they listen on the document).
  section.addEventListener("keydown", (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || ev.shiftKey) return;
    if (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight") return;
    if (!ev.target.closest(".tour-nav, .tour-moves")) return;
    ev.preventDefault();
    move(ev.key === "ArrowRight" ? +1 : -1, { focusLink: !!ev.target.closest(".tour-nav") });
  });
  // PageUp / PageDown anywhere but in a field (the player has no use for them).
  const onPage = (ev) => {
    if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || ev.shiftKey) return;
    if (ev.key !== "PageUp" && ev.key !== "PageDown") return;
    if (ev.target.closest?.("input, select, textarea, [contenteditable]")) return;
    ev.preventDefault();
    move(ev.key === "PageDown" ? +1 : -1);
  };
  root.ownerDocument.addEventListener("keydown", onPage);
  window.addEventListener("hashchange", () => {
    const k = chapterIndex(location.hash);
    if (k !== null && k !== current) go(k).catch(failed);
  });
  store.subscribe(() => render(), ["lang"]);

  const tour = {
    /** {chapter, index, count, ids}: the chapter shown (ready to play once `store.state.tour` names it). */
    state: () => ({ chapter: current >= 0 ? chapter().id : null, index: current, count: CHAPTERS.length, ids: CHAPTERS.map((c) => c.id) }),
    /** Show a chapter by id or index; resolves once it is ready to play. */
    go: (which) => go(typeof which === "number" ? stepChapter(which, 0) : chapterIndex(which) ?? 0),
    play,
  };
  app.tour = tour;
  // The frame's title (embed.js titles its iframe with it): the chapter's, in the page's language.
  app.frameTitle = () => (current >= 0 ? `${inLanguage(chapter().title, store.state.lang.code)} · ${S.tourTitle}` : S.tourTitle);
  const ready = app.ready;
  app.ready = ready.then(async () => {
    await go(chapterIndex(location.hash) ?? 0);
    return app;
  });
  app.ready.catch(failed);
  return app;
}
