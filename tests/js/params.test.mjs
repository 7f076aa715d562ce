// static/js/params.js in node: every URL parameter's good values, bad values (the default
// plus a note naming the parameter), absence (the default, no note), repeats (last wins).

import assert from "node:assert/strict";
import { test } from "node:test";

import { DISPLAY_PARAMS, PARAMS, SPEED_RANGE, readParams } from "../../static/js/page/params.js";

// The defaults, written out here (not read from PARAMS): what a page with no query shows.
const DEFAULTS = {
  preset: null,
  v: 1,
  state: null,
  hide: [],
  autoplay: false,
  predict: false,
  speed: 1,
  step: null,
  view: null,
  lang: null, // the browser's language (language.js)
  theme: "light",
};

const q = (params) => "?" + new URLSearchParams(params).toString();

/** readParams of one parameter: its value, and the notes (all of them, whatever param). */
function one(name, raw) {
  const { options, notes } = readParams(q([[name, raw]]));
  return { value: options[name], notes, options };
}

function assertAccepted(name, raw, expected) {
  const { value, notes, options } = one(name, raw);
  assert.deepEqual(value, expected, `${name}=${JSON.stringify(raw)}`);
  assert.deepEqual(notes, [], `${name}=${JSON.stringify(raw)}: no note`);
  for (const [other, fallback] of Object.entries(DEFAULTS)) if (other !== name) assert.deepEqual(options[other], fallback, `${other} untouched`);
}

function assertRefused(name, raw) {
  const { value, notes } = one(name, raw);
  assert.deepEqual(value, DEFAULTS[name], `${name}=${JSON.stringify(raw)} falls back to the default`);
  assert.equal(notes.length, 1, `${name}=${JSON.stringify(raw)}: one note`);
  const [note] = notes;
  assert.deepEqual(Object.keys(note).sort(), ["error", "param", "raw"]);
  assert.equal(note.param, name);
  assert.equal(note.raw, raw);
  assert.equal(typeof note.error, "string");
  assert.ok(note.error.length > 0);
}

test("PARAMS has exactly the documented rows", () => {
  assert.deepEqual(Object.keys(PARAMS).sort(), Object.keys(DEFAULTS).sort());
});

test("absent parameters: every default, no note", () => {
  for (const search of ["", "?", "?unrelated=1&foo=bar", "#preset=x"]) {
    const { options, notes } = readParams(search);
    assert.deepEqual(options, DEFAULTS, search);
    assert.deepEqual(notes, [], search);
  }
  // A URLSearchParams is read as well as a string.
  assert.deepEqual(readParams(new URLSearchParams("theme=dark")).options.theme, "dark");
});

test("preset: a lower-case name of letters, digits and hyphens", () => {
  for (const good of ["worked-example-2-2-2", "a", "0", "xor", "a".repeat(64), "9-lives"]) assertAccepted("preset", good, good);
  for (const bad of ["", "-leading-hyphen", "Upper", "a_b", "a b", "a".repeat(65), "../etc", "é", "a.b", "a/b"]) assertRefused("preset", bad);
});

test("view: training opens the training view; step is the default look", () => {
  assertAccepted("view", "training", "training");
  assertAccepted("view", "step", "step");
  for (const bad of ["", "Training", "train", "chart"]) assertRefused("view", bad);
});

test("v: only version 1", () => {
  assertAccepted("v", "1", 1);
  for (const bad of ["", "0", "2", "01", "1.0", " 1", "one"]) assertRefused("v", bad);
});

test("state: any non-empty text (decoding is link.js's job)", () => {
  for (const good of ["jeyJ9", "z", "anything at all"]) assertAccepted("state", good, good);
  assertRefused("state", "");
});

test("hide: known part and control names kept, unknown ones named in a note", () => {
  assertAccepted("hide", "editor", ["editor"]);
  assertAccepted("hide", "editor,legend,captions", ["editor", "legend", "captions"]);
  assertAccepted("hide", "topbar panel controls", ["topbar", "panel", "controls"]);
  assertAccepted("hide", "play,scrub,,speed", ["play", "scrub", "speed"]);
  assertAccepted("hide", "", []);

  const { value, notes } = one("hide", "editor,bogus,play,zzz");
  assert.deepEqual(value, ["editor", "play"], "the known names are still hidden");
  assert.equal(notes.length, 1);
  assert.equal(notes[0].param, "hide");
  assert.equal(notes[0].raw, "editor,bogus,play,zzz");
  assert.match(notes[0].error, /bogus/);
  assert.match(notes[0].error, /zzz/);
  assert.doesNotMatch(notes[0].error, /editor|play/, "the known names are not in the note");

  const all = one("hide", "nothing,known");
  assert.deepEqual(all.value, []);
  assert.equal(all.notes.length, 1);
  assert.equal(all.notes[0].param, "hide");
  for (const proto of ["constructor", "__proto__", "toString"]) {
    const r = one("hide", proto);
    assert.deepEqual(r.value, [], proto);
    assert.equal(r.notes.length, 1, proto);
  }
});

test("predict: the spellings of yes and no, as autoplay's", () => {
  for (const yes of ["", "1", "true", "yes", "on"]) assertAccepted("predict", yes, true);
  for (const no of ["0", "false", "no", "off"]) assertAccepted("predict", no, false);
  for (const bad of ["2", "maybe", "-1"]) assertRefused("predict", bad);
  assert.ok(DISPLAY_PARAMS.includes("predict"), "Share keeps it like the other display parameters");
});

test("autoplay: the spellings of yes and no", () => {
  for (const yes of ["", "1", "true", "yes", "on"]) assertAccepted("autoplay", yes, true);
  for (const no of ["0", "false", "no", "off"]) assertAccepted("autoplay", no, false);
  for (const bad of ["2", "y", "n", "maybe", " 1", "-1"]) assertRefused("autoplay", bad);
  // A bare "?autoplay" is an empty value: on.
  assert.equal(readParams("?autoplay").options.autoplay, true);
  assert.deepEqual(readParams("?autoplay").notes, []);
});

test("speed: a number from 0.25 to 8, both ends included", () => {
  assert.deepEqual(SPEED_RANGE, [0.25, 8]);
  for (const [raw, x] of [
    ["0.25", 0.25],
    ["8", 8],
    ["1", 1],
    ["1.5", 1.5],
    ["2", 2],
    ["8.0", 8],
    [".5", 0.5],
    ["4e0", 4],
  ]) {
    assertAccepted("speed", raw, x);
  }
  for (const bad of ["0.24", "8.1", "8.000001", "0.2499999", "NaN", "", " ", "abc", "Infinity", "-1", "0", "-0.5", "1,5", "2x", "0x2", "0b10", "0o7", " 2", "2 ", "+2"]) {
    assertRefused("speed", bad);
  }
});

test("step: forward, backward or update", () => {
  for (const good of ["forward", "backward", "update"]) assertAccepted("step", good, good);
  for (const bad of ["", "step", "Forward", "loss", "done", "1"]) assertRefused("step", bad);
});

test("lang: en or zh-TW, from any tag of either, in any case", () => {
  for (const good of ["en", "EN", "en-US"]) assertAccepted("lang", good, "en");
  for (const good of ["zh-TW", "zh-tw", "zh-Hant", "ZH-HANT-TW", "zh", "zh-HK"]) assertAccepted("lang", good, "zh-TW");
  for (const bad of ["", "fr", "english", "e", "-zh"]) assertRefused("lang", bad);
});

test("theme: light, dark, auto, projector", () => {
  for (const good of ["light", "dark", "auto", "projector"]) assertAccepted("theme", good, good);
  for (const bad of ["", "Dark", "blue", "light "]) assertRefused("theme", bad);
});

test("a repeated parameter takes its last value", () => {
  assert.equal(readParams("?speed=2&speed=3").options.speed, 3);
  assert.deepEqual(readParams("?speed=2&speed=3").notes, []);
  // A bad first value is overridden without a note; a bad last one wins (default + note).
  assert.equal(readParams("?speed=bogus&speed=2").options.speed, 2);
  assert.deepEqual(readParams("?speed=bogus&speed=2").notes, []);
  const lastBad = readParams("?theme=dark&theme=bogus");
  assert.equal(lastBad.options.theme, "light");
  assert.deepEqual(lastBad.notes, [{ param: "theme", raw: "bogus", error: lastBad.notes[0].error }]);
  assert.deepEqual(readParams("?hide=editor&hide=legend").options.hide, ["legend"]);
  assert.equal(readParams("?preset=a&preset=b").options.preset, "b");
  assert.equal(readParams("?autoplay=1&autoplay=0").options.autoplay, false);
});

test("several parameters at once: each read on its own, one note per bad one", () => {
  const { options, notes } = readParams("?preset=xor&speed=99&theme=dark&hide=legend,nope&autoplay=maybe&step=forward&lang=en");
  assert.deepEqual(options, {
    ...DEFAULTS,
    preset: "xor",
    theme: "dark",
    hide: ["legend"],
    step: "forward",
    lang: "en",
  });
  assert.deepEqual(notes.map((n) => n.param).sort(), ["autoplay", "hide", "speed"]);
});
