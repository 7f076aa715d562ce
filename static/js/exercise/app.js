// The exercise page (`/exercise/{id}?seed=n`, `/embed?exercise={id}&seed=n`): a variant of
// a template (its network drawn, each asked value a `?`), a card per question, Check (the
// server marks the answers), then the reveal: the step animates up to each asked value,
// which lights up beside the student's answer, and the equation panel opens on the chain
// rule with the numbers. docs/page.md, "The exercise page".
//
// No peeking: before Check the page holds no expected value and asks for none. The
// variant has none (the API's promise); the player's timeline waits for Check before it
// streams the step (`gate`), and the equation panel (with its gradient check) is built
// only after Check.

import { createActions } from "../actions.js";
import { Drawing } from "../drawing/drawing.js";
import { getCapabilities, getExercises, postExercise, postExerciseCheck, streamTrace } from "../page/api.js";
import { Events } from "../page/events.js";
import { readParams } from "../page/params.js";
import { applyStrings, ShellText } from "../page/shell.js";
import { Store } from "../page/store.js";
import { SidePanel } from "../panel/panel.js";
import { CaptionView, speakCaptions } from "../player/captionview.js";
import { bindKeys, Controls } from "../player/controls.js";
import { Player } from "../player/playback.js";
import { Stage } from "../player/stage.js";
import { traceTimeline } from "../player/timeline.js";
import { applyLanguage, browserLanguages, chooseLanguage, detectLanguage } from "../text/language.js";
import { lectureMessage } from "../text/messages.js";
import { S } from "../text/strings.js";
import { answerText, Cards } from "./cards.js";
import { Marks } from "./marks.js";
import { exerciseMarkup } from "./markup.js";
import { drawSeed, pickOf, readSeed, reveals, shownValue, targetName } from "./targets.js";

// How long the reveal holds on each asked value before the step goes on (ms, at speed 1).
const HOLD_MS = 900;

/** The course's launch in the address's fragment: {token, returnUrl}, each null if absent. */
export function readCourse(hash) {
  const given = new URLSearchParams(hash.replace(/^#/, ""));
  const returnUrl = given.get("return");
  return { token: given.get("lti"), returnUrl: returnUrl && /^https?:\/\//.test(returnUrl) ? returnUrl : null };
}

/** A promise with its resolve, and whether it has been. */
function gate() {
  let open;
  const promise = new Promise((resolve) => (open = resolve));
  return { promise, open };
}

/**
 * @param {HTMLElement} root  an empty element the page fills
 * @param {object} o
 * @param {"page"|"embed"} o.mode
 * @param {string} o.exercise  the exercise's id (the server has checked it exists)
 * @param {string} [o.search]  the query string (seed, lang, theme)
 */
export function createExercisePage(root, { mode, exercise, search = location.search }) {
  const { options } = readParams(search);
  const params = new URLSearchParams(search);
  // A launch from a course (LTI, docs/lti.md) puts its grade token and the course's address
  // in the fragment, which no server and no Referer sees: this seed is the student's own,
  // and Check sends the token so that the server posts the score to the course.
  const course = readCourse(location.hash);
  const lang = { code: detectLanguage(options.lang, browserLanguages()), chosen: !!options.lang };
  applyLanguage(lang.code);
  root.classList.add("app", "exercise-page");
  root.dataset.view = mode === "embed" ? "embed" : "full";
  root.innerHTML = exerciseMarkup();
  // The player bar is shared with the visualizer; the predict mode is not part of this page.
  for (const el of root.querySelectorAll('[data-control-group="predict"]')) el.remove();
  document.documentElement.dataset.theme = options.theme;
  applyStrings(root);
  const $ = (sel) => root.querySelector(sel);
  const store = new Store();
  store.set({ lang, exercise: null });
  const events = new Events();
  const shell = new ShellText(root, { store });

  // The drawing and the player. The step's stream waits for Check (the gate of the variant).
  let unlocked = gate();
  const drawing = new Drawing($('[data-bind="canvas"]'), { onPick: (p) => actions.pick(p) });
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const player = new Player({ store, effects: drawing, still: () => reducedMotion.matches });
  const timelineOf = (request) => {
    const waitFor = unlocked.promise;
    return traceTimeline(request, {
      stream: async (req, onEvent, signal) => {
        await waitFor;
        if (!signal?.aborted) await streamTrace(req, onEvent, signal);
      },
    });
  };
  const stage = new Stage(root, { store, drawing, player, timelineOf });
  const marks = new Marks($('[data-bind="canvas"]'));
  stage.onRelayout(() => marks.place());
  const cards = new Cards($('[data-bind="cards"]'), { lang: () => store.state.lang.code });
  const live = $('[data-bind="exercise-live"]');
  const note = (text) => shell.addNote(() => text);
  const status = { set: (message) => message && note(message), clearError: () => {} };

  // The reveal's parts: the caption, the player bar and the keys (bound at Check), the panel
  // (built at Check: its gradient check tab asks the server for gradients).
  const caption = new CaptionView($('[data-bind="caption"]'), { store, events, weightsOnly: () => stage.weightsOnly });
  speakCaptions(root, store);
  let panel = null;
  const panelRef = {
    show: (tab) => panel?.show(tab),
    close: () => panel?.close(),
    get isOpen() {
      return !!panel && panel.isOpen;
    },
    get tab() {
      return panel ? panel.tab : "equations";
    },
  };
  const actions = createActions({ store, player, editor: null, panel: panelRef, caption, status, menus: () => null });
  new Controls($(".player"), { store, player, actions });
  let unbindKeys = null;

  // The exercise: its list, its variant, the answers' check, the reveal.
  let list = [];
  let capabilities = null;
  let variant = null;
  let results = null;
  let revealToken = 0;
  const picker = $('[data-control="exercise"]');
  if (course.token) {
    // The course gave these numbers: no other exercise or seed is sent to its gradebook.
    picker.closest("label").hidden = true;
    $('[data-action="again"]').hidden = true;
  }
  if (course.returnUrl) {
    $('[data-bind="lti-return"]').href = course.returnUrl;
    $('[data-bind="lti-return"]').parentElement.hidden = false;
  }
  let courseScore = null;
  let checkedAnswers = null; // what Check sent, to send again when the course did not answer

  function title() {
    const item = list.find((e) => e.id === exercise);
    const code = store.state.lang.code;
    return item ? item.title[code] ?? item.title.en : exercise;
  }

  function fillPicker() {
    const code = store.state.lang.code;
    picker.replaceChildren(...list.map((e) => new Option(`${e.title[code] ?? e.title.en} (${S.exerciseMoves[e.move] ?? e.move})`, e.id)));
    picker.value = exercise;
  }

  function relabel() {
    fillPicker();
    $('[data-bind="exercise-title"]').textContent = title();
    $('[data-bind="exercise-seed"]').textContent = variant ? S.exerciseSeed(variant.seed) : "";
    document.title = `${title()}: ${S.appTitle}`;
    cards.relabel();
    showScore();
  }

  function showScore() {
    const el = $('[data-bind="score"]');
    el.hidden = !results;
    el.textContent = results ? S.exerciseScore(results.score, results.max) : "";
    const sent = $('[data-bind="lti-score"]');
    sent.hidden = !courseScore;
    sent.dataset.code = courseScore?.code ?? "";
    sent.textContent = !courseScore
      ? ""
      : courseScore.code === "sending"
        ? S.ltiSending
        : courseScore.sent
          ? S.ltiSent
          : courseScore.recorded
            ? S.ltiFirstStands(courseScore.recorded.score, courseScore.recorded.max)
            : S.ltiNotSent(S.ltiWhy[courseScore.code] ?? courseScore.reason ?? courseScore.code);
  }

  /** The address: this exercise and seed (and a chosen language), without a reload. */
  function writeAddress() {
    const url = new URL(location.href);
    if (mode === "embed") url.searchParams.set("exercise", exercise);
    else url.pathname = url.pathname.replace(/[^/]*$/, encodeURIComponent(exercise));
    url.searchParams.set("seed", String(variant.seed));
    if (store.state.lang.chosen) url.searchParams.set("lang", store.state.lang.code);
    history.replaceState(history.state, "", url);
  }

  function publish() {
    store.set({
      exercise: {
        id: exercise,
        seed: variant.seed,
        questions: variant.questions.map((q) => ({ id: q.id, kind: q.kind, target: q.target })),
        checked: !!results,
        score: results ? results.score : null,
        max: results ? results.max : variant.questions.length,
        results: results ? results.results : null,
      },
    });
  }

  /** Show exercise `id` with `seed` (a new one drawn when null): before Check again. */
  async function load(id, seed = null) {
    if (id !== exercise && !list.some((e) => e.id === id)) throw new Error(`no exercise ${JSON.stringify(String(id)).slice(0, 60)}`);
    const chosen = seed ?? drawSeed(capabilities.limits.max_exercise_seed, (n) => Math.floor((crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32) * n));
    const next = await postExercise(id, chosen);
    exercise = id;
    variant = next;
    results = null;
    courseScore = null;
    revealToken += 1;
    unbindKeys?.();
    unbindKeys = null;
    unlocked = gate(); // a new variant: its step waits for its own Check
    panel?.close();
    $('[data-bind="reveal"]').hidden = true;
    actions.show(next.request, { selection: null });
    cards.show(next.questions);
    marks.show(next.questions);
    live.textContent = "";
    $('[data-action="check"]').disabled = false;
    $('[data-action="check"]').dataset.i18n = "exerciseCheck";
    $('[data-action="check"]').textContent = S.exerciseCheck;
    writeAddress();
    relabel();
    publish();
    return exerciseState();
  }

  /** Send the answers; show the verdicts; then the reveal. Resolves with the results. */
  async function check() {
    if (variant && results && courseScore?.code === "platform_unavailable") return sendAgain();
    if (!variant || results) return results;
    const { answers, problems } = cards.answers();
    cards.markProblems(problems);
    if (problems.length) {
      // Not sent: a typed text the page cannot read as a number is said, not marked wrong.
      cards.field(problems[0].id).focus();
      live.textContent = problems.map((p) => p.message).join(" ");
      return null;
    }
    const button = $('[data-action="check"]');
    button.disabled = true;
    const asked = variant;
    let answer;
    if (course.token) {
      courseScore = { code: "sending" };
      showScore();
    }
    try {
      answer = await postExerciseCheck(exercise, variant.seed, answers, course.token);
    } catch (err) {
      button.disabled = false;
      courseScore = null;
      showScore();
      note(lectureMessage(err));
      throw err;
    }
    courseScore = answer.lti_score ?? null;
    if (asked !== variant) return null; // another variant came meanwhile
    results = answer;
    checkedAnswers = answers;
    cards.showResults(answer.results);
    showScore();
    offerSendAgain();
    // Check is done (and disabled): the keyboard's place moves to the score, not to nowhere.
    const focused = document.activeElement;
    if (!focused || focused === document.body || root.contains(focused)) $('[data-bind="score"]').focus({ preventScroll: true });
    publish();
    const wrong = answer.results.filter((r) => !r.correct).map((r) => targetName(variant.questions.find((q) => q.id === r.id).target));
    live.textContent = S.exerciseChecked(answer.score, answer.max, wrong.join(", "));
    performance.mark("backprop-viz:verdicts"); // the benchmark's Check → verdicts
    for (const r of answer.results) events.emit("answer", { question: r.id, correct: r.correct });
    events.emit("score", { exercise, seed: variant.seed, score: answer.score, max: answer.max });
    reveal();
    return answer;
  }

  /** The course did not answer: Check becomes "Send the score again" (the same answers). */
  function offerSendAgain() {
    const button = $('[data-action="check"]');
    const again = courseScore?.code === "platform_unavailable";
    button.disabled = !again;
    button.dataset.i18n = again ? "ltiSendAgain" : "exerciseCheck"; // kept on a language change
    button.textContent = S[button.dataset.i18n];
  }

  async function sendAgain() {
    const button = $('[data-action="check"]');
    button.disabled = true;
    courseScore = { code: "sending" };
    showScore();
    try {
      const answer = await postExerciseCheck(exercise, variant.seed, checkedAnswers, course.token);
      courseScore = answer.lti_score ?? null;
    } catch (err) {
      courseScore = { sent: false, code: "platform_unavailable" };
      note(lectureMessage(err));
    }
    showScore();
    offerSendAgain();
    return results;
  }

  /** The step, played: it holds on each asked value, lit up beside the student's answer. */
  function reveal() {
    const token = revealToken;
    const byId = new Map(results.results.map((r) => [r.id, r]));
    const pending = [...variant.questions];
    $('[data-bind="reveal"]').hidden = false;
    panel ||= new SidePanel(root, { store, onResize: () => stage.relayout() });
    unbindKeys = bindKeys(root.ownerDocument, { player, actions });
    unlocked.open();
    stage.relayout();
    const off = player.onEvent((event) => {
      if (token !== revealToken) return off();
      const lit = pending.filter((q) => reveals(q, event));
      if (!lit.length) return;
      for (const q of lit) {
        pending.splice(pending.indexOf(q), 1);
        const r = byId.get(q.id);
        const value = shownValue(q, event) ?? answerText(q, r.expected);
        marks.reveal(q, value, answerText(q, r.given), r.correct);
        cards.card(q.id)?.classList.add("revealed");
      }
      if (!pending.length) {
        off();
        const first = variant.questions.map(pickOf).find(Boolean);
        if (first) requestAnimationFrame(() => actions.explain(first));
        return;
      }
      // Hold here a moment, then go on.
      player.pause();
      setTimeout(() => token === revealToken && !player.playing && actions.play(), HOLD_MS / player.speed);
    });
    actions.play();
  }

  function exerciseState() {
    const e = store.state.exercise;
    return e && { id: e.id, seed: e.seed, questions: structuredClone(e.questions), checked: e.checked, score: e.score, max: e.max };
  }

  $('[data-action="check"]').addEventListener("click", () => check().catch(() => {}));
  $('[data-action="again"]').addEventListener("click", () => load(exercise).catch((err) => note(lectureMessage(err))));
  picker.addEventListener("change", () => load(picker.value).catch((err) => note(lectureMessage(err))));
  // Enter in an answer's field checks, as a form would.
  $('[data-bind="cards"]').addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && ev.target.matches("input[data-answer]")) check().catch(() => {});
  });
  store.subscribe(() => {
    if (variant) relabel();
    if (variant && store.state.lang.chosen) writeAddress();
  }, ["lang"]);

  const app = {
    store,
    player,
    drawing,
    mode,
    options,
    on: (type, fn) => events.on(type, fn),
    load: actions.load,
    play: actions.play,
    pause: actions.pause,
    reset: actions.reset,
    step: actions.step,
    setSpeed: actions.setSpeed,
    explain: actions.explain,
    setLanguage: (code) => chooseLanguage(store, code),
    language: () => store.state.lang.code,
    frameTitle: () => title(),
    link: async () => location.href,
    exercise: exerciseState,
    loadExercise: (id, seed) => load(id, seed),
    check,
    training: null,
  };

  app.ready = (async () => {
    [capabilities, list] = await Promise.all([getCapabilities(), getExercises()]);
    store.set({ capabilities });
    const raw = params.get("seed");
    const seed = raw === null ? null : readSeed(raw, capabilities.limits.max_exercise_seed);
    if (raw !== null && seed === null) note(S.exerciseSeedNote(raw));
    await load(exercise, seed);
    await shell.linkBrand(async () => new URL("../", new URL(document.body.dataset.api || "/api/v1/", location.href)).href.replace(/api\/$/, ""), { embed: mode === "embed" });
    events.emit("ready", {});
    return app;
  })();
  app.ready.catch((err) => note(S.exerciseFailed(lectureMessage(err))));
  return app;
}
