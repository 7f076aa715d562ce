// The tour's markup, put into the visualizer's stage beside the drawing (tour/app.js): the
// chapters as links (/tour#backward), the chapter (its title, the lecture's text and lines,
// what to watch, the column ∇L or the cost of the gradient), and the way through
// (previous, Play this chapter, next). Text comes from strings.js through data-i18n keys;
// the chapters' own words from chapters.js.

import { CHAPTERS } from "./chapters.js";

export function tourMarkup() {
  const links = CHAPTERS.map((c, k) => `<li><a href="#${c.id}" data-chapter="${c.id}"><span class="tour-k">${k + 1}</span> <span data-bind="tour-link-title"></span></a></li>`).join("");
  return `
    <section class="tour" data-bind="tour" aria-labelledby="bv-tour-title">
      <nav class="tour-nav" data-i18n-label="tourChapters"><ol>${links}</ol></nav>
      <article class="tour-chapter">
        <p class="tour-count" data-bind="tour-count"></p>
        <h2 class="tour-title" id="bv-tour-title" data-bind="tour-title" tabindex="-1"></h2>
        <div class="tour-text" data-bind="tour-text"></div>
        <div class="tour-lines" data-bind="tour-lines"></div>
        <div class="tour-gradient" data-bind="tour-gradient" hidden></div>
        <div class="tour-cost" data-bind="tour-cost" hidden></div>
        <h3 class="tour-watch-title" data-i18n="tourWatch"></h3>
        <p class="tour-watch" data-bind="tour-watch"></p>
        <p class="tour-predict" data-bind="tour-predict"></p>
      </article>
      <div class="tour-moves">
        <button type="button" data-action="tour-prev" data-i18n="tourPrev" data-i18n-title="tourPrevTitle"></button>
        <button type="button" class="primary" data-action="tour-play" data-i18n="tourPlay" data-i18n-title="tourPlayTitle"></button>
        <button type="button" data-action="tour-next" data-i18n="tourNext" data-i18n-title="tourNextTitle"></button>
      </div>
      <p class="tour-keys" data-i18n="tourKeys"></p>
      <p class="sr-only" role="status" aria-live="polite" aria-atomic="true" data-bind="tour-live"></p>
    </section>`;
}
