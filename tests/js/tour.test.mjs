// The tour's pure modules (static/js/tour/): the chapters as data (both languages, the
// lecture's order, a prediction each that the step really asks), the column ∇L read from a
// trace against the worked example's published numbers (Mazur's step-by-step example:
// ∂E/∂w₁ = 0.000438568, ∂E/∂w₅ = 0.082167041, w₃|θ¹ = 0.24975114), and the address.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { askAbout, valueOf } from "../../static/js/player/predict.js";
import { applyEvent, initialView } from "../../static/js/player/replay.js";
import { chapterIndex, stepChapter, TOUR_HIDES, tourSearch } from "../../static/js/tour/address.js";
import { CHAPTERS, inLanguage, TOUR_PRESET } from "../../static/js/tour/chapters.js";
import { gradientRows, MAX_ROWS, shownRows, thetaIndex } from "../../static/js/tour/gradient.js";

const fixture = (name) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
const events = fixture("worked-example-events.json");
const request = fixture("worked-example-request.json");
const close = (got, want, tol) => assert.ok(Math.abs(got - want) <= tol, `${got} vs ${want}`);
const HAN = /\p{Script=Han}/u;

test("six chapters in the lecture's order, each with a link of its own", () => {
  assert.deepEqual(CHAPTERS.map((c) => c.id), ["gradient-descent", "why-backprop", "chain-rule", "forward", "backward", "summary"]);
  for (const c of CHAPTERS) assert.match(c.id, /^[a-z][a-z-]*$/);
});

test("every chapter's words are in English and in Chinese, paragraph for paragraph", () => {
  for (const c of CHAPTERS) {
    for (const field of ["title", "watch"]) {
      assert.ok(c[field].en && !HAN.test(c[field].en), `${c.id}.${field}.en`);
      assert.ok(HAN.test(c[field]["zh-TW"]), `${c.id}.${field}.zh-TW`);
    }
    assert.ok(c.text.en.length >= 1);
    assert.equal(c.text["zh-TW"].length, c.text.en.length, c.id);
    for (const p of c.text["zh-TW"]) assert.ok(HAN.test(p));
    // The glossary's Taiwanese terms, not the mainland's.
    for (const p of [...c.text["zh-TW"], c.watch["zh-TW"], c.title["zh-TW"]]) assert.doesNotMatch(p, /网络|網絡|数据|數據|优化|程序|默认/);
    assert.ok(c.lines.length >= 1);
    assert.equal(inLanguage(c.title, "zh-TW"), c.title["zh-TW"]);
    assert.equal(inLanguage(c.title, "fr"), c.title.en);
  }
  // The lecture's terms, as the glossary writes them.
  const zh = (id) => CHAPTERS.find((c) => c.id === id).text["zh-TW"].join("");
  assert.match(zh("gradient-descent"), /梯度下降/);
  assert.match(zh("chain-rule"), /連鎖律/);
  assert.match(zh("backward"), /放大器/);
  assert.match(zh("backward"), /情況一/);
  assert.match(zh("backward"), /情況二/);
  assert.match(zh("backward"), /遞迴計算，直到輸出層/);
});

test("the chapters follow the lecture: θ⁰ → θ¹, the chain rule, ∂z/∂w = a, the two cases, a × ∂l/∂z", () => {
  const line = (id) => CHAPTERS.find((c) => c.id === id).lines.join(" ");
  assert.match(line("gradient-descent"), /θ¹ = θ⁰ − η∇L\(θ⁰\)/);
  assert.match(line("chain-rule"), /∂l\/∂w = ∂z\/∂w · ∂l\/∂z/);
  assert.match(line("forward"), /∂z\/∂w = a/);
  assert.match(line("backward"), /σ'\(z\) \[w₃ ∂l\/∂z′ \+ w₄ ∂l\/∂z″\]/);
  assert.match(line("summary"), /a × ∂l\/∂z/);
  const en = (id) => CHAPTERS.find((c) => c.id === id).text.en.join(" ");
  assert.match(en("backward"), /Case 1/);
  assert.match(en("backward"), /Case 2/);
  assert.match(en("backward"), /amplifier/);
  assert.match(en("why-backprop"), /2P forward passes/);
});

// The worked example's step as a fold: the frame the player would show after n events.
function frameAfter(n) {
  const view = initialView(request);
  for (const e of events.slice(0, n)) applyEvent(view, e);
  return view;
}

test("on the worked example each chapter's prediction is asked once, before the event that shows it", () => {
  const published = {
    "gradient-descent": 0.149780716, // w₁|θ¹
    "chain-rule": 0.082167041, // ∂E/∂w₅
    forward: 0.593269992, // out_h1
    summary: (0.25 - 0.24975114) / 0.5, // ∂E/∂w₃ from w₃|θ¹ = 0.24975114, η = 0.5
  };
  for (const c of CHAPTERS.filter((x) => x.preset === TOUR_PRESET && x.id !== "why-backprop")) {
    const asked = events.flatMap((e, k) => {
      const q = askAbout(e, c.predict.target, c.predict.name ? c.predict.name.en : null);
      return q ? [[k, q]] : [];
    });
    assert.equal(asked.length, 1, c.id);
    const [k, q] = asked[0];
    assert.equal(q.mode, "predict");
    close(valueOf(events[k], q.target), published[c.id], 1e-8);
    // Not shown before: the frame before event k has no value for it yet.
    const before = frameAfter(k);
    const t = c.predict.target;
    if (t.quantity === "dl_dw") assert.equal(before.dl_dw[t.layer - 1][t.neuron - 1], null);
    if (t.quantity === "w_next") assert.equal(before.w_new[t.layer - 1][t.neuron - 1], null);
    if (t.quantity === "a") assert.equal(before.neurons[t.layer][t.neuron - 1].a, undefined);
  }
  const gd = askAbout(events.find((e) => e.type === "update" && e.layer === 1 && e.node === 0), CHAPTERS[0].predict.target);
  assert.equal(gd.sign, true); // the update: up or down
  assert.equal(gd.name, "w¹₁₁|θ¹");
  const fwd = CHAPTERS.find((c) => c.id === "forward");
  assert.equal(askAbout(events[0], fwd.predict.target, fwd.predict.name.en).name, "∂z²₁/∂w²₁₁ = a¹₁");
});

test("the backward chapter asks case 2: a hidden layer's ∂l/∂z, on the lecture's network", () => {
  const c = CHAPTERS.find((x) => x.id === "backward");
  assert.equal(c.preset, "lecture-2-input"); // 2-2-2-2: layer 2 is hidden, case 2
  assert.equal(c.predict.target.quantity, "dl_dz");
  assert.ok(c.predict.target.layer < 3);
  assert.equal(c.open, "forward"); // the forward pass is shown; the chapter plays the backward one
  assert.equal(c.play, "backward");
  const q = askAbout({ type: "backward", layer: 2, node: 0, dl_dz: 0.1, case: 2 }, c.predict.target);
  assert.equal(q.name, "∂l/∂z²₁");
  assert.equal(askAbout({ type: "backward", layer: 3, node: 0, dl_dz: 0.1, case: 1 }, c.predict.target), null);
  assert.equal(askAbout({ type: "forward", layer: 2, node: 0, z: 1, a: 0.7 }, c.predict.target), null);
});

test("∇L's column: every ∂L/∂w then every ∂L/∂b, each the trace's number once the step shows it", () => {
  const empty = gradientRows(request, frameAfter(0));
  assert.equal(empty.length, 12); // 2·2 + 2·2 weights, 2 + 2 biases
  assert.ok(empty.every((r) => r.value === null));
  assert.deepEqual(empty.map((r) => r.name), [
    "∂L/∂w¹₁₁", "∂L/∂w¹₁₂", "∂L/∂w¹₂₁", "∂L/∂w¹₂₂", "∂L/∂w²₁₁", "∂L/∂w²₁₂", "∂L/∂w²₂₁", "∂L/∂w²₂₂",
    "∂L/∂b¹₁", "∂L/∂b¹₂", "∂L/∂b²₁", "∂L/∂b²₂",
  ]);
  const rows = gradientRows(request, frameAfter(events.length));
  const named = Object.fromEntries(rows.map((r) => [r.name, r.value]));
  close(named["∂L/∂w¹₁₁"], 0.000438568, 1e-9);
  close(named["∂L/∂w²₁₁"], 0.082167041, 1e-9);
  close(named["∂L/∂w¹₂₁"], (0.25 - 0.24975114) / 0.5, 1e-8);
  // Each value is the gradient event's own number, not a product made here.
  for (const e of events.filter((x) => x.type === "gradient")) {
    e.dl_dw.forEach((g, i) => assert.equal(rows.find((r) => r.kind === "w" && r.layer === e.layer && r.to === e.node && r.from === i).value, g));
    assert.equal(rows.find((r) => r.kind === "b" && r.layer === e.layer && r.to === e.node).value, e.dl_db);
  }
  // Half-way through the backward pass: the output layer's are in, the hidden layer's not yet.
  const firstHidden = events.findIndex((e) => e.type === "gradient" && e.layer === 1);
  const half = gradientRows(request, frameAfter(firstHidden));
  assert.ok(half.filter((r) => r.layer === 2).every((r) => r.value !== null));
  assert.ok(half.filter((r) => r.layer === 1).every((r) => r.value === null));
});

test("a long column is cut in the middle, and the θ it is taken at counts the steps", () => {
  const rows = Array.from({ length: 100 }, (_, k) => ({ name: `r${k}` }));
  const shown = shownRows(rows);
  assert.equal(shown.length, MAX_ROWS + 1);
  assert.equal(shown[MAX_ROWS / 2], null);
  assert.equal(shown[0].name, "r0");
  assert.equal(shown.at(-1).name, "r99");
  assert.equal(shownRows(rows.slice(0, 12)).length, 12);
  assert.equal(thetaIndex([], { phase: "backward" }), 0);
  assert.equal(thetaIndex([{}], { phase: "done" }), 0); // ∇L(θ⁰) stays until θ¹ is played
  assert.equal(thetaIndex([{}], { phase: "idle" }), 1);
});

test("the address: a hash names a chapter, the way through stops at the ends", () => {
  assert.equal(chapterIndex("#backward"), 4);
  assert.equal(chapterIndex("summary"), 5);
  assert.equal(chapterIndex("#nope"), null);
  assert.equal(chapterIndex("#%E0"), null);
  assert.equal(chapterIndex(""), null);
  assert.equal(stepChapter(0, -1), 0);
  assert.equal(stepChapter(5, +1), 5);
  assert.equal(stepChapter(2, +1), 3);
  const q = new URLSearchParams(tourSearch("?lang=zh-TW&preset=xor&hide=legend&predict=0&speed=2"));
  assert.equal(q.get("lang"), "zh-TW");
  assert.equal(q.get("speed"), "2");
  assert.equal(q.get("preset"), null);
  assert.equal(q.get("predict"), null);
  assert.deepEqual(q.get("hide").split(","), ["legend", ...TOUR_HIDES]);
});

test("chapter 2's numbers as the page writes them: the server's times, the shapes, the sweep in order of P", async () => {
  const { costPoints, decades, shapeName, timeText } = await import("../../static/js/tour/cost.js");
  assert.equal(timeText(3.944900163332932e-5), "39.4 µs");
  assert.equal(timeText(0.00022157999774208292), "222 µs");
  assert.equal(timeText(0.037502031136909864), "37.5 ms");
  assert.equal(timeText(2.8738385326505522), "2.87 s");
  assert.equal(timeText(1e-4, 1), "100 µs");
  assert.equal(shapeName([2, 2, 2]), "2-2-2");
  assert.equal(shapeName([2, 8, 8, 8, 8, 8, 8, 1]), "2-8×6-1");
  assert.equal(shapeName(Array(10).fill(64)), "64×10");
  assert.equal(shapeName([16, 16, 16, 16]), "16×4");
  assert.equal(shapeName([2, 3, 1]), "2-3-1");
  assert.deepEqual(decades([12, 37440]), [10, 100000]);
  assert.deepEqual(decades([3.9e-5, 2.87]), [1e-5, 10]);
  // The sweep's networks as the server answers them (docs/api.md), given out of order.
  const answer = (layers, parameters, fd, bp, estimated) => ({
    layers,
    parameters,
    backprop: { forward_passes: 1, backward_passes: 1, seconds: bp },
    finite_differences: { forward_passes: 2 * parameters, seconds: fd, estimated },
    ratio: fd / bp,
  });
  const points = costPoints({
    networks: [answer(Array(10).fill(64), 37440, 2.87, 3.9e-4, true), answer([2, 2, 2], 12, 2.2e-4, 3.9e-5, false)],
  });
  assert.deepEqual(points.map((p) => [p.parameters, p.fdPasses, p.estimated]), [[12, 24, false], [37440, 74880, true]]);
  assert.equal(points[1].fd, 2.87); // the server's number, not one made here
});
