// numbers.js: the page's one reading of a typed number. Decimal only; what Number() would
// misread (0x10 as 16, 1e-400 as 0, "  " as 0) is refused with its reason.
import assert from "node:assert/strict";
import test from "node:test";

import { numberProblem, parseValue, readNumber } from "../../static/js/text/numbers.js";

test("readNumber: decimal numbers as people write them, a true minus too", () => {
  for (const [text, value] of [["0.5", 0.5], [" 2 ", 2], ["-3", -3], ["\u22120.25", -0.25], [".5", 0.5], ["1e-3", 0.001], ["+4", 4], ["5e-324", 5e-324], ["0", 0], ["0e5", 0], ["-0.0", -0]]) {
    assert.deepEqual(readNumber(text), { value }, text);
  }
});

test("readNumber: what Number() would misread is refused, with its reason", () => {
  for (const text of ["0x10", "0X1f", "0b1", "0o7", "Infinity", "-Infinity", "-0x10"]) {
    assert.equal(readNumber(text).problem, "notDecimal", text);
  }
  assert.equal(readNumber("   ").problem, "empty");
  assert.equal(readNumber("1e-400").problem, "underflow");
  assert.equal(readNumber("-2.5e-999").problem, "underflow");
  assert.equal(readNumber("1e400").problem, "overflow");
  assert.deepEqual(readNumber("abc"), { text: "abc" }, "no number at all: the API says why");
  assert.equal(numberProblem("underflow", "1e-400"), "1e-400 is 0 as a double (the smallest is 5e-324): type 0 if 0 is meant");
  assert.equal(numberProblem("notDecimal", "0x10"), "“0x10” is not a decimal number: write it with the digits 0–9 (16, 0.5, 1e-3)");
});

test("parseValue: a number, or the raw text for the API, or a refusal", () => {
  assert.deepEqual(parseValue("0.25"), { value: 0.25 });
  assert.deepEqual(parseValue("fast"), { value: "fast" });
  assert.equal(parseValue("0x10").problem, "notDecimal");
});
