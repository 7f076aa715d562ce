// The predict mode's questions (static/js/player/predict.js): which value is asked before
// which event, with nothing picked (one per phase) and with a neuron, a link or the loss
// picked; the values read back against the worked example's published numbers (Mazur's
// step-by-step example: z¹₁ = 0.3775, ∂l/∂w5 = 0.082167041, w1|θ¹ = 0.149780716…), and
// the verdict's distance against hand arithmetic.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { askFor, direction, judge, targetName, valueBefore, valueOf } from "../../static/js/player/predict.js";

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const events = fixture("worked-example-events.json");
const request = fixture("worked-example-request.json");
const layers = request.network.layers;

/** [event index, question] for every event that has one. */
function asked(selection = null, evs = events, ls = layers) {
  return evs.flatMap((e, k) => {
    const q = askFor(e, { layers: ls, selection });
    return q ? [[k, q]] : [];
  });
}

const close = (got, want, tol = 1e-9) => assert.ok(Math.abs(got - want) <= tol, `${got} vs ${want}`);

test("nothing picked: one question per phase, a ∂l/∂z for each case of the backward pass", () => {
  const qs = asked();
  assert.deepEqual(qs.map(([k, q]) => [events[k].type, events[k].case ?? null, q.name]), [
    ["forward", null, "z¹₁"],
    ["backward", 1, "∂l/∂z²₁"],
    ["gradient", null, "∂l/∂w²₁₁"],
    ["backward", 2, "∂l/∂z¹₁"],
    ["update", null, "w¹₁₁|θ¹"],
  ]);
  // Each question stops before the event that shows its value: nothing earlier carries it.
  for (const [k, q] of qs) assert.equal(typeof valueOf(events[k], q.target), "number");
  assert.deepEqual(qs.map(([, q]) => q.sign), [false, false, false, false, true]);
  assert.deepEqual(qs[2][1].target, { quantity: "dl_dw", layer: 2, neuron: 1, from: 1 });
});

test("the values asked are the worked example's published numbers", () => {
  const published = [0.3775, 0.138498562, 0.082167041, 0.008771355, 0.149780716];
  asked().forEach(([k, q], n) => close(valueOf(events[k], q.target), published[n], 5e-10));
});

test("a picked neuron: its z, its ∂l/∂z and its new bias, nothing else", () => {
  const qs = asked({ kind: "bias", layer: 2, node: 1 });
  assert.deepEqual(qs.map(([, q]) => q.name), ["z²₂", "∂l/∂z²₂", "b²₂|θ¹"]);
  close(valueOf(events[qs[0][0]], qs[0][1].target), 1.224921404, 5e-10); // z_o2 of the example
  assert.deepEqual(qs[2][1].target, { quantity: "b_next", layer: 2, neuron: 2 });
  assert.equal(valueBefore(request, qs[2][1].target), 0.6);
});

test("a picked link: its ∂l/∂w at the gradient and its θ¹ at the update", () => {
  // w²₁₂: from neuron 2 of layer 1 to neuron 1 of layer 2 (w6 of the example)
  const qs = asked({ kind: "weight", layer: 2, from: 1, to: 0 });
  assert.deepEqual(qs.map(([, q]) => q.name), ["∂l/∂w²₁₂", "w²₁₂|θ¹"]);
  close(valueOf(events[qs[0][0]], qs[0][1].target), 0.082667628, 5e-10);
  close(valueOf(events[qs[1][0]], qs[1][1].target), 0.408666186, 5e-10); // w6⁺
  assert.equal(valueBefore(request, qs[1][1].target), 0.45);
});

test("the loss picked: l; an input or a target picked asks as if nothing were", () => {
  const qs = asked({ kind: "loss" });
  assert.deepEqual(qs.map(([k, q]) => [events[k].type, q.name]), [["loss", "l"]]);
  close(valueOf(events[qs[0][0]], qs[0][1].target), 0.298371109, 5e-10);
  for (const pick of [{ kind: "input", layer: 0, node: 0 }, { kind: "target", layer: 2, node: 1 }]) {
    assert.deepEqual(asked(pick).map(([, q]) => q.name), asked().map(([, q]) => q.name));
  }
});

test("a network without a hidden layer has only case 1; a deeper one asks case 2 once", () => {
  const shallow = [
    { type: "forward", layer: 1, node: 0, z: 0.5, a: 0.6 },
    { type: "loss", loss: 0.1, dl_da: [0.2] },
    { type: "backward", layer: 1, node: 0, case: 1, dl_da: 0.2, da_dz: 0.24, dl_dz: 0.048 },
    { type: "gradient", layer: 1, node: 0, a: [1, 2], dl_dw: [0.048, 0.096], dl_db: 0.048 },
    { type: "update", layer: 1, node: 0, w: [0.1, 0.3], b: 0.2 },
  ];
  assert.deepEqual(asked(null, shallow, [2, 1]).map(([, q]) => q.name), ["z¹₁", "∂l/∂z¹₁", "∂l/∂w¹₁₁", "w¹₁₁|θ¹"]);
  const deep = [3, 2, 2].flatMap((n, l) =>
    Array.from({ length: n }, (_, j) => ({ type: "backward", layer: 3 - l, node: j, case: l === 0 ? 1 : 2, dl_dz: 1 })));
  assert.deepEqual(asked(null, deep, [2, 2, 2, 3]).map(([k]) => [deep[k].layer, deep[k].node]), [[3, 0], [2, 0]]);
});

test("a right guess is within max(5e-4, 0.005·|value|); the distance is absolute and relative", () => {
  const [k, q] = asked()[0]; // z¹₁ = 0.3775
  const exact = judge(q, events[k], 0.3775, request);
  assert.equal(exact.right, true);
  assert.equal(exact.abs, 0);
  assert.equal(judge(q, events[k], 0.379, request).right, true); // 0.0015 ≤ 0.0018875
  const near = judge(q, events[k], 0.38, request); // 0.0025 > 0.0018875
  assert.equal(near.right, false);
  close(near.abs, 0.0025, 1e-12);
  const far = judge(q, events[k], 1, request);
  assert.equal(far.right, false);
  close(far.abs, 0.6225, 1e-12);
  close(far.rel, 0.6225 / 0.3775, 1e-12);
  assert.deepEqual([far.name, far.value, far.guess], ["z¹₁", 0.3775, 1]);
  // Near 0 the absolute floor decides.
  const tiny = { target: { quantity: "dl_dz", layer: 1, neuron: 1 }, name: "∂l/∂z¹₁", sign: false };
  assert.equal(judge(tiny, { dl_dz: 1e-5 }, 4e-4, request).right, true);
  assert.equal(judge(tiny, { dl_dz: 0 }, 6e-4, request).right, false);
  assert.equal(judge(tiny, { dl_dz: 0 }, 6e-4, request).rel, null);
});

test("the update's direction: w¹₁₁ 0.15 → 0.14978 went down", () => {
  const [k, q] = asked().at(-1);
  assert.equal(judge(q, events[k], "down", request).right, true);
  const up = judge(q, events[k], "up", request);
  assert.deepEqual([up.right, up.moved, up.before], [false, "down", 0.15]);
  assert.deepEqual([direction(1, 2), direction(2, 1), direction(1, 1)], ["up", "down", "same"]);
});

test("names past 9 take a comma, as everywhere in the notation", () => {
  assert.equal(targetName({ quantity: "dl_dw", layer: 3, neuron: 1, from: 12 }), "∂l/∂w³₁,₁₂");
  assert.equal(targetName({ quantity: "loss" }), "l");
});
