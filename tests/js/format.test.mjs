// format.js: numbers as the page shows them; a before → after pair never reads the same
// when the numbers differ.
import assert from "node:assert/strict";
import test from "node:test";

import { column, DRAWING_DIGITS, pair, short } from "../../static/js/text/format.js";

test("short: 4 significant digits in text, a true minus, exponents only far from 1", () => {
  assert.equal(short(0.14978), "0.1498");
  assert.equal(short(-0.5), "\u22120.5000");
  assert.equal(short(4.385677e-4), "4.386e-4");
  assert.equal(short(0.008771354689486937), "0.008771");
  assert.equal(short(0), "0");
});

test("short: 3 significant digits on the drawing's fixed-size labels", () => {
  assert.equal(short(0.14978, DRAWING_DIGITS), "0.150");
  assert.equal(short(-0.5, DRAWING_DIGITS), "\u22120.500");
  assert.equal(short(4.385677e-4, DRAWING_DIGITS), "4.39e-4");
});

test("pair: as short when the texts already differ", () => {
  assert.deepEqual(pair(0.2983711087600027, 0.2910279), ["0.2984", "0.2910"]);
  assert.deepEqual(pair(0.2983711087600027, 0.2910279, DRAWING_DIGITS), ["0.298", "0.291"]);
  assert.deepEqual(pair(1, 1), ["1.000", "1.000"]);
});

test("pair: more digits until a change shows (the worked example's first layer)", () => {
  assert.deepEqual(pair(0.15, 0.1497807161), ["0.1500", "0.1498"]);
  assert.deepEqual(pair(-5.3, -5.2999), ["\u22125.3000", "\u22125.2999"]);
  assert.deepEqual(pair(2e-5, 2.0001e-5), ["2.0000e-5", "2.0001e-5"]);
});

test("pair: two different doubles never print the same", () => {
  const cases = [[0.1, 0.1 + 2 ** -56], [1, 1 + Number.EPSILON], [123.456, 123.45600000000002], [-1e-7, -1.0000000000000002e-7]];
  for (const [a, b] of cases) {
    assert.notEqual(a, b);
    const [ta, tb] = pair(a, b);
    assert.notEqual(ta, tb, `${a} → ${b}`);
  }
});

test("column: a column of whole numbers reads whole, any other column short", () => {
  assert.deepEqual([0, 1, 1, 0].map(column([0, 1, 1, 0])), ["0", "1", "1", "0"]);
  assert.deepEqual([-2, 3].map(column([-2, 3])), ["\u22122", "3"]);
  assert.deepEqual([0, 0.5].map(column([0, 0.5])), ["0", "0.5000"]);
  assert.deepEqual([1, 0.25].map(column([1, 0.25])), ["1.000", "0.2500"]);
});
