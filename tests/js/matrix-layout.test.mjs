// The matrix view's choice and geometry (static/js/layout.js) and its pace (timeline.js):
// which networks are drawn as matrices, that each matrix row lines up with the neuron it
// feeds and everything fits the drawing, and that a wide network is animated by layer.

import assert from "node:assert/strict";
import { test } from "node:test";

import { computeMatrixLayout, matrixView } from "../../static/js/drawing/layout.js";
import { LAYER_DURATIONS, TRACE_DURATIONS, traceDurations } from "../../static/js/player/timeline.js";

test("wide networks are matrices, dense but narrow ones stay links", () => {
  assert.equal(matrixView([2, 2, 2]), false);
  assert.equal(matrixView([2, 8, 8, 8, 8, 8, 8, 1]), false); // the deep preset
  assert.equal(matrixView(Array(10).fill(8)), false); // 576 links
  assert.equal(matrixView([4, 64, 64, 1]), true);
  assert.equal(matrixView([2, 17, 1]), true); // one layer wider than 16
  assert.equal(matrixView(Array(10).fill(12)), true); // 1,296 links
  assert.equal(matrixView(Array(10).fill(64)), true);
});

for (const [layers, width, height] of [
  [Array(10).fill(64), 1280, 600],
  [Array(10).fill(64), 800, 450],
  [[4, 64, 64, 1], 390, 500],
  [[3, 20, 2], 1280, 600],
]) {
  test(`matrix geometry of ${layers.join("-")} in ${width}×${height}`, () => {
    const lay = computeMatrixLayout(layers, width, height);
    assert.equal(lay.matrix, true);
    assert.equal(lay.strips.length, layers.length);
    assert.equal(lay.mats.length, layers.length - 1);
    lay.mats.forEach((m, g) => {
      assert.equal(m.rows, layers[g + 1]);
      assert.equal(m.cols, layers[g]);
      // Row j of w^{g+1} beside neuron j of layer g+1: same y, same height.
      const to = lay.strips[g + 1];
      assert.equal(m.y0, to.y0);
      assert.equal(m.ch, to.ch);
      // Between its two strips, apart from both.
      assert.ok(m.x >= lay.strips[g].x + lay.strips[g].w, `matrix ${g} left of its strip`);
      assert.ok(m.x + m.w <= to.x, `matrix ${g} right of its strip`);
    });
    for (const s of lay.strips) {
      assert.ok(s.y0 >= lay.top && s.y0 + s.h <= height, `strip ${s.layer} inside vertically`);
      assert.equal(lay.neurons[s.layer].length, s.n);
    }
    assert.ok(lay.strips[0].x >= 0);
    assert.ok(lay.lossBox.x + lay.lossBox.w <= width, "the loss box inside");
  });
}

test("a wide network is animated by layer: only a layer's last event waits", () => {
  const layers = [4, 64, 64, 1];
  const durationOf = traceDurations(layers);
  const L = layers.length - 1;
  let total = 0;
  let waits = 0;
  for (let l = 1; l <= L; l++) {
    for (let j = 0; j < layers[l]; j++) {
      for (const type of ["forward", "backward", "gradient", "update"]) {
        const ms = durationOf({ type, layer: l, node: j });
        if (ms > 0) waits += 1;
        total += ms;
      }
    }
  }
  assert.equal(waits, 3 * L); // forward, backward (its last gradient) and update per layer
  const perLayer = LAYER_DURATIONS.forward + LAYER_DURATIONS.gradient + LAYER_DURATIONS.update;
  assert.equal(total, L * perLayer);
  assert.equal(durationOf({ type: "loss" }), TRACE_DURATIONS.loss);
  // Ten layers of 64: the whole step within seconds at speed 1.
  const deep = traceDurations(Array(10).fill(64));
  let sum = TRACE_DURATIONS.loss + TRACE_DURATIONS.done;
  for (let l = 1; l < 10; l++) for (let j = 0; j < 64; j++) for (const type of ["forward", "backward", "gradient", "update"]) sum += deep({ type, layer: l, node: j });
  assert.ok(sum < 10000, `${sum} ms`);
  // A network of links keeps its per-neuron pace.
  assert.equal(traceDurations([2, 2, 2])({ type: "forward", layer: 1, node: 0 }), TRACE_DURATIONS.forward);
});
