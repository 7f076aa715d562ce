// The equation panel: the chain rule of the picked neuron or link, with the actual numbers
// the trace carried, typeset with KaTeX. KaTeX (script, stylesheet, fonts) is loaded the
// first time the panel opens, so it costs nothing to a page that never opens it.
// Every number shown is a value from the request or from an event; the right-hand side
// of each equation is the server's result, never a product computed here.

import { pickRow } from "../drawing/picks.js";
import { DIGITS, full, tex } from "../text/format.js";
import { aTex, biasName, biasTex, inputTex, targetTex, weightTex, zTex } from "../text/notation.js";
import { S } from "../text/strings.js";

const VENDOR = new URL("../../vendor/katex/", import.meta.url);
let katexPromise = null;

/**
 * Use this KaTeX instead of loading it (the notebook widget carries it in its one file: from a
 * blob URL there is no vendor/ folder to load it from; its stylesheet comes with the widget's).
 */
export function provideKatex(katex) {
  katexPromise = Promise.resolve(katex);
}

/** Load KaTeX once (script injection: its UMD build sets window.katex). */
export function loadKatex() {
  if (!katexPromise) {
    katexPromise = new Promise((resolve, reject) => {
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("katex.min.css", VENDOR).href;
      document.head.append(css);
      const script = document.createElement("script");
      script.src = new URL("katex.min.js", VENDOR).href;
      script.onload = () => resolve(window.katex);
      script.onerror = () => reject(new Error("KaTeX failed to load"));
      document.head.append(script);
    });
  }
  return katexPromise;
}

// In the lecture's notation: w^l_{ji}, b^l_j, z^l_j, a^l_j (a⁰ = x), t_j; ∂l/∂(name).
const d = (top, name) => String.raw`\frac{\partial ${top}}{\partial ${name}}`;
// θ⁰ and θ¹ name the parameters before and after the update (the superscript is the layer).
const AT0 = String.raw`\big|_{\theta^0}`;
const AT1 = String.raw`\big|_{\theta^1}`;
// 4 significant digits by default, every digit the API sent on demand (the panel's toggle).
let allDigits = false;
const shown = (x) => (allDigits || typeof x !== "number" || !Number.isFinite(x) ? x : Number(x.toPrecision(DIGITS)));
const n = (x) => tex(shown(x), { paren: true }); // a number inside a product
const v = (x) => tex(shown(x)); // a number standing alone

/**
 * The blocks to show for a picked item: [{title, tex | text}], from the request and the view.
 * `info` = {activation(name), loss(name)}: their entries in GET /capabilities (for formulas).
 * @param {object} pick {kind: "weight"|"bias"|"input"|"target"|"loss", layer, node, from, to}
 */
export function blocksFor(pick, request, view, info, { fullPrecision = false } = {}) {
  allDigits = fullPrecision;
  if (!pick) return [{ text: S.selectSomething }];
  const row = pickRow(pick);
  return row ? row.explain(BUILDERS, pick, request, view, info) : [];
}

/** The chain rule of each kind of item: picks.js's `explain` column calls one of them. */
const BUILDERS = {
  weight: weightBlocks,
  neuron: neuronBlocks,
  input: (i, request) => [{ title: S.eqInput(i), tex: String.raw`${inputTex(i)} = ${v(request.input[i])}` }],
  loss: lossBlocks,
};

/** The weight w^{l+1}_{ji} (l indexes network.weights: the layer it leaves). */
function weightBlocks(l, i, j, request, view) {
  const w0 = request.network.weights[l][j][i];
  const eta = request.learning_rate;
  const w = weightTex(l + 1, j, i);
  const z = zTex(l + 1, j);
  const a = aTex(l, i);
  const blocks = [{ title: S.eqLink(l, i, j), tex: String.raw`${w} = ${v(w0)}` }];
  const source = view.neurons[l][i];
  const aIn = view.a_in[l][j] ? view.a_in[l][j][i] : source.a;
  // Forward pass: ∂z/∂w is the activation on the weight's input end.
  if (source.a !== undefined && (l === 0 || source.z !== undefined)) {
    blocks.push({
      title: S.eqForward,
      tex: String.raw`${d(z, w)} = ${a} = ${v(source.a)}`,
    });
  } else {
    blocks.push({ title: S.eqForward, text: S.notYet(S.eqForward) });
  }
  const grads = view.dl_dw[l][j];
  const target = view.neurons[l + 1][j];
  if (grads && target.dl_dz !== undefined) {
    blocks.push({
      title: S.eqGradient,
      tex: String.raw`\begin{aligned}
${d("l", w)} &= ${d(z, w)}\cdot ${d("l", z)} = ${a} \cdot ${d("l", z)}\\
&= ${n(aIn)} \times ${n(target.dl_dz)}\\
&= ${v(grads[i])}
\end{aligned}`,
    });
  } else {
    blocks.push({ title: S.eqGradient, text: S.notYet(S.eqBackward) });
  }
  const wNew = view.w_new[l][j];
  if (wNew && grads) {
    blocks.push({
      title: S.eqUpdate,
      tex: String.raw`\begin{aligned}
${w}${AT1} &= ${w}${AT0} - \eta\, ${d("l", w)}\\
&= ${n(w0)} - ${n(eta)} \times ${n(grads[i])}\\
&= ${v(wNew[i])}
\end{aligned}`,
    });
  }
  return blocks;
}

/** Neuron j of layer l: z^l_j, a^l_j, its ∂l/∂z (case 1 or 2) and its bias b^l_j. */
function neuronBlocks(l, j, request, view, activationInfo) {
  const net = request.network;
  const L = net.layers.length - 1;
  const act = net.activations[l - 1];
  const info = activationInfo(act) || {};
  const me = view.neurons[l][j];
  const b0 = net.biases[l - 1][j];
  const z = zTex(l, j);
  const a = aTex(l, j);
  const b = biasTex(l, j);
  const blocks = [{ title: S.eqNeuron(l, j, act), tex: info.formula ? String.raw`\sigma(z) = ${stripLhs(info.formula)}` : null }];
  if (!blocks[0].tex) delete blocks[0].tex;

  // Forward: z^l_j = Σ_i w^l_{ji} a^{l−1}_i + b^l_j, a^l_j = σ(z^l_j).
  if (me.z !== undefined) {
    const ws = net.weights[l - 1][j];
    const as = view.neurons[l - 1].map((p) => p.a);
    const shown = Math.min(ws.length, 4);
    const terms = [];
    for (let k = 0; k < shown; k++) terms.push(`${n(ws[k])} \\cdot ${n(as[k])}`);
    if (ws.length > shown) terms.push(String.raw`\cdots`);
    terms.push(n(b0));
    // One term a line: full-precision numbers are long.
    const lines = terms.map((t, k) => (k === 0 ? `&= ${t}` : String.raw`&\quad + ${t}`)).join("\\\\\n");
    const incoming = l === 1 ? "x_i" : `a^{${l - 1}}_i`;
    blocks.push({
      title: S.eqForward,
      tex: String.raw`\begin{aligned}
${z} &= \textstyle\sum_i w^{${l}}_{${j + 1}i}\, ${incoming} + ${b}\\
${lines}\\
&= ${v(me.z)}\\
${a} &= \sigma(${z}) = ${v(me.a)}
\end{aligned}`,
    });
  } else {
    blocks.push({ title: S.eqForward, text: S.notYet(S.eqForward) });
  }

  // Backward: case 1 at the output layer, case 2 behind it.
  if (me.dl_dz === undefined) {
    blocks.push({ title: S.eqBackward, text: S.notYet(S.eqBackward) });
  } else if (l === L) {
    if (me.da_dz === null) {
      blocks.push({
        title: `${S.eqBackward} · ${S.eqCase1}`,
        text: S.eqSoftmax,
        tex: String.raw`\begin{aligned}
${d("l", z)} &= \textstyle\sum_k ${d(`a^{${l}}_k`, z)}\,${d("l", `a^{${l}}_k`)} = J^\top ${d("l", `a^{${l}}`)}\\
&= ${v(me.dl_dz)}
\end{aligned}`,
      });
    } else if (request.network.loss === "binary_cross_entropy") {
      // The server's closed form: the product of a saturated σ'(z) (0) and ∂l/∂a (clamped
      // near the float maximum) would read 0 × 4.494·10³⁰⁷ = 1.
      blocks.push({
        title: `${S.eqBackward} · ${S.eqCase1}`,
        text: S.eqClosedForm,
        tex: String.raw`\begin{aligned}
${d("l", z)} &= \sigma'(${z})\, ${d("l", a)} = \frac{${a} - ${targetTex(j)}}{K}\\
&= \frac{${n(me.a)} - ${n(request.target[j])}}{${view.neurons[L].length}}\\
&= ${v(me.dl_dz)}
\end{aligned}`,
      });
    } else {
      blocks.push({
        title: `${S.eqBackward} · ${S.eqCase1}`,
        tex: String.raw`\begin{aligned}
${d("l", z)} &= \sigma'(${z})\, ${d("l", a)}\\
&= ${n(me.da_dz)} \times ${n(me.dl_da)}\\
&= ${v(me.dl_dz)}
\end{aligned}`,
      });
    }
  } else {
    // ∂l/∂z^l_j = σ'(z^l_j) [w^{l+1}_{1j} ∂l/∂z^{l+1}_1 + w^{l+1}_{2j} ∂l/∂z^{l+1}_2 + …]: the
    // lecture's w₃ ∂l/∂z′ + w₄ ∂l/∂z″, with this neuron's outgoing weights.
    const next = view.neurons[l + 1];
    const out = net.weights[l];
    const symbolic = [];
    const numeric = [];
    const shown = Math.min(next.length, 3);
    for (let k = 0; k < shown; k++) {
      symbolic.push(String.raw`${weightTex(l + 1, k, j)}\, ${d("l", zTex(l + 1, k))}`);
      numeric.push(`${n(out[k][j])} \\times ${n(next[k].dl_dz)}`);
    }
    if (next.length > shown) {
      symbolic.push(String.raw`\cdots`);
      numeric.push(String.raw`\cdots`);
    }
    const amp = me.da_dz === null ? "1" : n(me.da_dz);
    // One term a line: full-precision numbers are long.
    const bracket = numeric.length === 1
      ? String.raw`&= ${amp}\,\big[${numeric[0]}\big]\\`
      : numeric
          .map((term, k) => (k === 0 ? String.raw`&= ${amp}\,\big[${term}` : String.raw`&\qquad + ${term}`))
          .join("\\\\\n") + String.raw`\big]\\`;
    blocks.push({
      title: `${S.eqBackward} · ${S.eqCase2}`,
      tex: String.raw`\begin{aligned}
${d("l", z)} &= \sigma'(${z})\,\big[${symbolic.join(" + ")}\big]\\
${bracket}
&= ${amp} \times ${n(me.dl_da)}\\
&= ${v(me.dl_dz)}
\end{aligned}`,
    });
  }

  const db = view.dl_db[l - 1][j];
  if (db !== null && db !== undefined) {
    const b1 = view.b_new[l - 1][j];
    let t = String.raw`${d("l", b)} = ${d("l", z)} = ${v(db)}`;
    if (b1 !== null && b1 !== undefined) {
      const step = request.freeze_biases
        ? String.raw`${b}${AT1} &= ${b}${AT0} \quad\text{(${S.freezeBiases})}\\`
        : String.raw`${b}${AT1} &= ${b}${AT0} - \eta\, ${d("l", b)}\\
&= ${n(b0)} - ${n(request.learning_rate)} \times ${n(db)}\\`;
      t = String.raw`\begin{aligned}
${d("l", b)} &= ${d("l", z)} = ${v(db)}\\
${step}
&= ${v(b1)}
\end{aligned}`;
    }
    blocks.push({ title: S.eqBias(full(b0), biasName(l, j)), tex: t });
  }
  return blocks;
}

function lossBlocks(request, view, lossInfo) {
  const net = request.network;
  const L = net.layers.length - 1;
  const formula = (lossInfo(net.loss) || {}).formula;
  const blocks = [{ title: S.eqLoss(S.lossName(net.loss)), tex: formula || undefined }];
  if (view.loss === null) {
    blocks.push({ text: S.notYet(S.eqLoss(S.lossName(net.loss))) });
    return blocks;
  }
  const out = view.neurons[L];
  const rows = out.map(
    (o, k) => String.raw`${aTex(L, k)} = ${v(o.a)},\ ${targetTex(k)} = ${v(request.target[k])},\ ${d("l", aTex(L, k))} = ${v(view.dl_da_out ? view.dl_da_out[k] : null)}`,
  );
  blocks.push({ tex: String.raw`\begin{aligned} l &= ${v(view.loss)}\end{aligned}` });
  blocks.push({ tex: String.raw`\begin{aligned}${rows.map((r) => `&${r}`).join("\\\\")}\end{aligned}` });
  if (view.loss_after !== null && view.loss_after !== undefined) {
    // After the update: the server's l at θ¹ (the done event's loss_after).
    blocks.push({ title: S.eqLossAfter, tex: String.raw`l(\theta^1) = ${v(view.loss_after)}` });
  }
  return blocks;
}

// "\sigma(z) = \frac{1}{1+e^{-z}}" → the right-hand side, so it reads σ(z) = … once.
function stripLhs(formula) {
  const k = formula.indexOf("=");
  return k >= 0 ? formula.slice(k + 1).trim() : formula;
}

/** Render blocks into the panel (KaTeX must be loaded). */
export function renderBlocks(el, blocks, katex) {
  el.replaceChildren();
  for (const b of blocks) {
    const box = document.createElement("section");
    box.className = "eq-block";
    if (b.title) {
      const h = document.createElement("h3");
      h.textContent = b.title;
      box.append(h);
    }
    if (b.text) {
      const p = document.createElement("p");
      p.textContent = b.text;
      box.append(p);
    }
    if (b.tex) {
      const m = document.createElement("div");
      m.className = "eq-math";
      katex.render(b.tex, m, { displayMode: true, throwOnError: false, output: "htmlAndMathml" });
      box.append(m);
    }
    el.append(box);
  }
}
