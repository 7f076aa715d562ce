// messages.js: a 4xx item {field, msg, type, ctx} as a sentence in the page's language, its
// field named as the lecture names it; the server's English msg only for an unknown type.

import assert from "node:assert/strict";
import { test } from "node:test";

import { ctxNumber, lectureMessage, problemText, streamProblemText } from "../../static/js/text/messages.js";
import { S, setLanguage, tables } from "../../static/js/text/strings.js";

// Items as the API sends them (tests/api check the server's side).
const ETA_5000 = {
  loc: ["body", "learning_rate"],
  field: "learning_rate",
  msg: "η must be greater than 0 and at most 1000, got 5000.0",
  type: "out_of_range",
  ctx: { min: 0, min_exclusive: true, max: 1000.0, given: 5000.0 },
};
const SEED = { field: "network.seed", msg: "Input should be greater than or equal to 0", type: "greater_than_equal", ctx: { ge: 0 } };
const BIG = { field: "network.weights[1][0][0]", msg: "must be at most 1e+06 in absolute value", type: "abs_too_large", ctx: { limit: 1e6, given: 3e6 } };
const ABC = { field: "input[0]", msg: "Input should be a valid number", type: "float_type", ctx: {} };

test("English: composed from type and ctx, the field in the lecture's notation", () => {
  setLanguage("en");
  assert.equal(problemText(ETA_5000), "η: must be greater than 0 and at most 1000, got 5000");
  assert.equal(problemText(SEED), "seed: must be at least 0");
  assert.equal(problemText(BIG), "w²₁₁: must be at most 1000000 in absolute value, got 3000000");
  assert.equal(problemText(ABC), "x₁: must be a number");
  // Only loc (no field): the path is rebuilt from it.
  assert.equal(problemText({ loc: ["body", "network", "biases", 0, 1], msg: "must be a number", type: "not_a_number", ctx: {} }), "b¹₂: must be a number");
  // A training setting is named as its control is labelled.
  assert.equal(problemText({ field: "dataset.noise", msg: "…", type: "out_of_range", ctx: { min: 0, max: 0.5, given: 0.7 } }), "noise: must be a number from 0 to 0.5, got 0.7");
  // The whole request has no name.
  assert.equal(problemText({ field: "body", msg: "…", type: "too_large", ctx: { limit: 1048576 } }), "the request is larger than 1048576 bytes, the most the server reads");
});

test("Traditional Chinese: the same items, no English words", () => {
  setLanguage("zh-TW");
  try {
    assert.equal(problemText(ETA_5000), "η：必須大於 0，且最多 1000，收到的是 5000");
    assert.equal(problemText(SEED), "種子：必須大於或等於 0");
    assert.equal(problemText(BIG), "w²₁₁：絕對值最多只能是 1000000，收到的是 3000000");
    assert.equal(problemText(ABC), "x₁：必須是數字");
    assert.equal(lectureMessage({ detail: [ETA_5000, ABC] }), "η：必須大於 0，且最多 1000，收到的是 5000；x₁：必須是數字");
    assert.equal(
      streamProblemText({ type: "diverged", code: "parameter_not_finite", reason: "a weight or bias stopped being a finite number" }),
      "發散於這個訓練週期：有權重或偏差值不再是有限的數字",
    );
  } finally {
    setLanguage("en");
  }
});

test("an unknown type (a newer server) or none: the server's words, named", () => {
  assert.equal(problemText({ field: "network.weights[1][0][0]", msg: "is odd", type: "brand_new" }), "w²₁₁: is odd");
  assert.equal(problemText({ field: "input[0]", msg: "Input should be a valid number" }), "x₁: should be a valid number");
  assert.equal(problemText({ field: "learning_rate", msg: "η must be positive" }), "η must be positive");
  assert.equal(problemText({ field: "body", msg: "overflowed for weights[0][1][0]" }), "overflowed for w¹₂₁");
  assert.equal(problemText({ msg: "no field" }), "no field");
  // An inherited name is no template.
  assert.equal(problemText({ field: "input[0]", msg: "odd", type: "constructor" }), "x₁: odd");
});

test("lectureMessage: every problem of a detail; anything else its own message", () => {
  assert.equal(lectureMessage({ status: 422, detail: [BIG, ABC] }), "w²₁₁: must be at most 1000000 in absolute value, got 3000000; x₁: must be a number");
  assert.equal(lectureMessage({ detail: "Not Found", message: "Not Found" }), "Not Found");
  assert.equal(lectureMessage(new Error("Failed to fetch")), "Failed to fetch");
  assert.equal(lectureMessage(null), "");
});

test("ctx numbers: whole numbers in full, others short, a true minus", () => {
  assert.equal(ctxNumber(4294967295), "4294967295");
  assert.equal(ctxNumber(0.5), "0.5");
  assert.equal(ctxNumber(3e148), "3e148");
  assert.equal(ctxNumber(-1.5e-7), "−1.5e−7");
  assert.equal(ctxNumber(1 / 3), "0.333333");
});

test("every type has a template in both languages", () => {
  const types = Object.keys(tables.en.problems);
  assert.deepEqual(Object.keys(tables["zh-TW"].problems).sort(), [...types].sort());
  for (const lang of ["en", "zh-TW"]) {
    setLanguage(lang);
    for (const type of types) {
      const text = problemText({ field: "input[0]", msg: "english words here", type, ctx: {} });
      assert.ok(typeof text === "string" && text.length > 4, `${lang} ${type}: ${text}`);
    }
  }
  setLanguage("en");
  assert.ok(S.problems.invalid);
});
