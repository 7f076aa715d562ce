// The exercise page's markup: a top bar (the brand, the exercise picker, the language), the
// drawing with its legend, the question cards with Check and "Try other numbers", and, for
// the reveal after Check, the caption, the player bar and the equation panel (markup.js's
// parts). Text comes from strings.js through data-i18n keys.

import { CAPTION, CONTROLS, LEGEND, PANEL } from "../page/markup.js";

const FAVICON = new URL("../../favicon.svg", import.meta.url).href;

export function exerciseMarkup() {
  return `
  <header class="topbar" data-part="topbar">
    <h1 class="brand-heading"><a class="brand" data-bind="brand"><img src="${FAVICON}" alt="" width="18" height="18"><span data-i18n="appTitle">backprop-viz</span></a></h1>
    <label class="field"><span data-i18n="exercisePick"></span>
      <select data-control="exercise" data-i18n-label="exercisePick"></select></label>
    <span class="spacer"></span>
    <select class="lang" data-control="lang" data-i18n-label="language" data-i18n-title="language"></select>
  </header>
  <main class="stage ex-stage">
    <section class="canvas-wrap">
      <p class="notes" data-bind="notes" role="status" hidden></p>
      <div class="canvas" data-bind="canvas"></div>${LEGEND}
    </section>
    <section class="ex-questions" data-bind="exercise" aria-labelledby="bv-ex-title">
      <h2 class="ex-title" id="bv-ex-title" data-bind="exercise-title"></h2>
      <p class="ex-seed" data-bind="exercise-seed"></p>
      <p class="ex-intro" data-i18n="exerciseIntro"></p>
      <ol class="ex-cards" data-bind="cards"></ol>
      <div class="ex-actions">
        <button type="button" class="primary" data-action="check" data-i18n="exerciseCheck" data-i18n-title="exerciseCheckTitle"></button>
        <button type="button" data-action="again" data-i18n="exerciseAgain" data-i18n-title="exerciseAgainTitle"></button>
      </div>
      <p class="ex-score" data-bind="score" tabindex="-1" hidden></p>
      <p class="ex-lti" data-bind="lti-score" role="status" hidden></p>
      <p class="ex-lti-return" hidden><a data-bind="lti-return" data-i18n="ltiReturn" target="_top"></a></p>
      <p class="sr-only" role="status" aria-live="polite" aria-atomic="true" data-bind="exercise-live"></p>
    </section>${PANEL}
  </main>
  <footer class="bottom" data-bind="reveal" hidden>${CAPTION}${CONTROLS}
  </footer>`;
}
