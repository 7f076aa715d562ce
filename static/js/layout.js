// Where everything goes, from the layer sizes, the space available and the size of the
// labels as the browser draws them: pure geometry (draw.js measures the text and passes
// `measure` in). Every label gets a box reserved for its widest likely text, and a kind of
// label is drawn only where all its boxes clear every other label and every neuron; when a
// network is dense the label is left out of the drawing and its value stays in the tooltip
// and the equation panel. In order of priority: the number inside a neuron (a, or σ'(z)),
// the row below it (z, then ∂l/∂z), the weights' numbers, the bias row above it.

const MAX_GAP = 340; // px between layers, at most: a small network stays compact and centred
const MAX_SPACING = 170; // px between the neurons of a layer, at most
const MAX_R = 24; // px, a neuron's radius at most
const PAD = 4; // px of clear space between a label and anything else
const EDGE = 6; // px kept free along the drawing's edges
const HEADER_HALF = 32; // px, half the width of the input layer's header above the drawing
const MIN_FONT = 7; // px, the smallest number drawn inside a neuron

/**
 * The widest texts each kind of label is expected to hold (3 significant digits; a true
 * minus is the widest sign). A longer text (say 4.13e-12) is squeezed into the same box.
 */
const NUMBER = "−0.0000";
export const TEMPLATES = {
  inner: "−0.000",
  aboveWide: `b ${NUMBER}→${NUMBER}`,
  aboveNarrow: `b ${NUMBER}`,
  below: `∂l/∂z ${NUMBER}`,
  weightWide: `${NUMBER}→${NUMBER}`,
  weightNarrow: NUMBER,
  lossAfter: "→ 0.0000",
};

/**
 * @param {number[]} layers  neurons per layer, input first
 * @param {number} width, height  drawing size in px
 * @param {(text: string, kind: "label"|"inner"|"target"|"loss") => {width: number, top: number, bottom: number}} measure
 *   a text's width and its extent above (top < 0) and below its y, as drawn
 * @param {{inputs: string[], targets: string[]}} texts  the input names and the target labels
 */
export function computeLayout(layers, width, height, measure, texts) {
  const L = layers.length - 1;
  const maxN = Math.max(...layers);
  const lone = maxN === 1;
  const line = measure(TEMPLATES.below, "label");
  const rowH = line.bottom - line.top + 2; // one row of small labels, with its clearance
  const widths = {};
  for (const key of ["aboveWide", "aboveNarrow", "below", "weightWide", "weightNarrow"]) {
    widths[key] = measure(TEMPLATES[key], "label").width;
  }
  const widest = (list, kind) => Math.max(0, ...list.map((t) => measure(t, kind).width));
  const nameW = widest(texts.inputs, "label");
  const target = measure(texts.targets[0] || "t", "target");
  const targetW = widest(texts.targets, "target");
  const lossLine = measure(TEMPLATES.lossAfter, "loss");
  const lossW = Math.ceil(lossLine.width) + 14;
  const innerAt10 = measure(TEMPLATES.inner, "inner").width;
  const innerFont = (radius) => Math.min(11, Math.max(0, ((2 * radius - 4) / innerAt10) * 10));

  // The radius depends on the room and the room on the radius (the margins hold neurons):
  // a few rounds settle it.
  const frame = (radius) => {
    const core = coreOf(radius);
    const left = Math.max(core.half, nameW / 2, HEADER_HALF) + EDGE;
    const right = core.half + 8 + targetW + 12 + lossW + EDGE;
    const gap = L > 0 ? Math.max(2 * core.half + PAD, Math.min(MAX_GAP, (width - left - right) / L)) : 0;
    // Room for a row of labels above the top neuron and one below the bottom neuron.
    const span = height - 2 * EDGE - (core.top + rowH) - (core.bottom + rowH);
    const spacing = lone ? 0 : Math.max(2, Math.min(MAX_SPACING, span / (maxN - 1)));
    return { left, right, gap, spacing };
  };
  let r = MAX_R;
  for (let round = 0; round < 4; round++) {
    const f = frame(r);
    r = clamp(Math.min(lone ? MAX_R : f.spacing * 0.27, f.gap * 0.17, MAX_R), 1, MAX_R);
  }
  const { left, right, gap, spacing } = frame(r);

  // Between two neighbours' bodies go the upper one's row below and the lower one's row
  // above. A neuron too small for its number gives up some more size for the row below it
  // (z, ∂l/∂z): a number beside a small neuron says more than a bigger empty circle.
  const freeOf = (c) => spacing - c.top - c.bottom;
  if (!lone && innerFont(r) < MIN_FONT) {
    while (r > 5 && freeOf(coreOf(r)) < rowH + PAD) r -= 0.5;
  }
  const core = coreOf(r);
  const free = freeOf(core);
  const vertical = {
    below: lone || free >= rowH + PAD,
    above: lone || free >= 2 * rowH + PAD + 6, // biases only where the column breathes
    names: layers[0] === 1 || spacing - 2 * core.bottom >= rowH + PAD,
  };

  // The columns, centred in what is left over.
  const x0 = left + Math.max(0, (width - left - L * gap - right) / 2);
  const cy = height / 2 + (core.top - core.bottom) / 2;
  const neurons = layers.map((n, l) =>
    Array.from({ length: n }, (_, j) => ({
      layer: l,
      node: j,
      x: x0 + l * gap,
      y: cy + (j - (n - 1) / 2) * spacing,
    })),
  );
  const xL = x0 + L * gap;

  // Rows above and below a neuron: the y of their text (drawn with dy = 0.35em).
  const aboveY = -(core.top + 2) - line.bottom;
  const namesY = -(core.bottom + 2) - line.bottom; // an input has no bias square
  const belowY = core.bottom + 2 - line.top;
  const aboveWidth = (o) => (o.above === "wide" ? widths.aboveWide : o.above ? widths.aboveNarrow : 0);

  // A plan says which rows are drawn. Its boxes, per column: each neuron's body (with the
  // bias square) and its rows. Neighbouring columns' boxes must keep apart, and the
  // weights' numbers must find room between them.
  const rowBox = (n, dy, w) => ({ l: n.x - w / 2, r: n.x + w / 2, t: n.y + dy + line.top, b: n.y + dy + line.bottom });
  const boxesOf = (o) =>
    neurons.map((column, l) =>
      column.flatMap((n) => {
        const body = { l: n.x - core.half, r: n.x + core.half, t: n.y - (l ? core.top : core.bottom), b: n.y + core.bottom };
        if (l === 0) return vertical.names ? [body, rowBox(n, namesY, nameW)] : [body];
        const boxes = [body];
        if (o.above) boxes.push(rowBox(n, aboveY, aboveWidth(o)));
        if (o.below) boxes.push(rowBox(n, belowY, widths.below));
        return boxes;
      }),
    );
  const apart = (columns) => columns.every((c, l) => l === L || c.every((p) => columns[l + 1].every((q) => !hit(p, q, PAD))));
  const options = [
    { above: "wide", below: true },
    { above: "narrow", below: true },
    { above: null, below: true },
    { above: "wide", below: false },
    { above: "narrow", below: false },
    { above: null, below: false },
  ].filter((o) => (!o.above || vertical.above) && (!o.below || vertical.below));
  let plan = null;
  for (const rows of options) {
    const columns = boxesOf(rows);
    if (!apart(columns) && (rows.above || rows.below)) continue;
    const weights = layers
      .slice(0, L)
      .map((_, l) => weightLabelPlacement(neurons, core, [...columns[l], ...columns[l + 1]], l, widths, rowH));
    // The best plan shows the row below, then as many gaps' numbers as it can, then biases.
    const score = [rows.below ? 1 : 0, weights.filter(Boolean).length, rows.above === "wide" ? 2 : rows.above ? 1 : 0];
    if (!plan || better(score, plan.score)) plan = { rows, weights, score };
  }
  const { rows } = plan;

  // The number inside a neuron: as large as the circle allows (the amplifier's triangle
  // holds less), hidden when it would be too small to read.
  const font = innerFont(r);
  const inner = {
    show: font >= MIN_FONT,
    font,
    room: 2 * r - 4,
    charW: innerAt10 / TEMPLATES.inner.length, // px per character at 10px, to spot long texts
    ...ampText(r, font, innerAt10),
  };
  const labels = {
    above: {
      show: !!rows.above,
      wide: rows.above === "wide",
      y: aboveY,
      width: aboveWidth(rows),
      chars: (rows.above === "wide" ? TEMPLATES.aboveWide : TEMPLATES.aboveNarrow).length,
    },
    names: { show: vertical.names, y: namesY },
    below: { show: rows.below, y: belowY, width: widths.below, chars: TEMPLATES.below.length },
  };

  // Right of the output layer: the targets, then the loss box (its name above it). A target
  // sits level with its neuron; where the neuron is too small to keep it clear of the rows
  // above and below, it moves out past them.
  const targetClear = -target.top <= core.top + 2 && target.bottom <= core.bottom + 2;
  const rowsHalf = Math.max(rows.above ? aboveWidth(rows) / 2 : 0, rows.below ? widths.below / 2 : 0);
  const targetX = xL + (targetClear ? core.half : Math.max(core.half, rowsHalf)) + 8;
  const lossLineH = lossLine.bottom - lossLine.top;

  return {
    width,
    height,
    gap,
    spacing,
    r,
    core,
    neurons,
    output: neurons[L],
    inner,
    labels,
    rowH,
    weightLabels: plan.weights,
    targets: {
      show: layers[L] === 1 || spacing >= target.bottom - target.top + PAD,
      x: targetX,
      width: targetW,
    },
    // θ⁰'s loss, then θ¹'s below it once the step is done.
    lossBox: {
      x: targetX + targetW + 12,
      y: cy,
      w: lossW,
      lineH: lossLineH,
      h: 2 * lossLineH + 10,
      chars: TEMPLATES.lossAfter.length, // a longer text is squeezed into the box
    },
    header: gap >= 170 ? "full" : gap >= 68 ? "compact" : "tiny",
  };
}

/**
 * Where the number goes in the amplifier's triangle (tip at −1.05 r, back edge at 0.85 r):
 * between the back edge and the point where the triangle gets lower than the text.
 */
function ampText(r, font, innerAt10) {
  const back = 0.85 * r - 2;
  let f = font;
  for (;;) {
    const half = 0.4 * f + 1; // half the height of the digits, with a pixel to spare
    const front = (half * 1.9) / 1.05 - 1.05 * r; // where the triangle is 2 × half high
    const room = back - front;
    if ((innerAt10 * f) / 10 <= room || f <= MIN_FONT) return { ampFont: f, ampRoom: room, ampX: (front + back) / 2 };
    f = Math.max(MIN_FONT, f - 0.25);
  }
}

/**
 * A neuron's body and its bias square: the square sits on top of the circle. Extents from
 * the centre, with room for the thicker stroke of the active neuron; the amplifier triangle
 * of the backward pass (±1.05 r) fits the same box.
 */
function coreOf(r) {
  const bias = Math.max(r >= 8 ? 5 : 4, r * 0.42);
  const stroke = 2;
  return {
    bias,
    top: Math.max(1.05 * r, r + bias - 1) + stroke,
    bottom: 1.05 * r + stroke,
    half: 1.05 * r + stroke,
  };
}

/**
 * Where the numbers of one gap (layer l → l+1) go: all at one t along their links, so they
 * share an x and only need a row apart vertically, clear of the boxes of both columns and
 * of the arrowheads. The wide form (w⁰→w¹, for the update) if it fits, else the narrow one
 * (one number), else none: {t, wide, width, chars, narrow: {width, chars}} or null.
 */
function weightLabelPlacement(neurons, core, obstacles, l, widths, rowH) {
  const from = neurons[l];
  const to = neurons[l + 1];
  const x0 = from[0].x;
  const x1 = to[0].x;
  const lo = x0 + core.half + PAD;
  const hi = x1 - core.half - 8; // an arrowhead reaches about r + 11 from the centre
  const narrow = { width: widths.weightNarrow + 6, chars: TEMPLATES.weightNarrow.length };
  for (const [wide, key] of [
    [true, "weightWide"],
    [false, "weightNarrow"],
  ]) {
    const width = widths[key] + 6;
    let best = null;
    for (const t of T_CANDIDATES) {
      const x = x0 + t * (x1 - x0);
      if (x - width / 2 < lo || x + width / 2 > hi) continue;
      const ys = [];
      for (const a of from) for (const b of to) ys.push(a.y + t * (b.y - a.y));
      ys.sort((p, q) => p - q);
      let apart = Infinity;
      for (let k = 1; k < ys.length; k++) apart = Math.min(apart, ys[k] - ys[k - 1]);
      if (apart < rowH + PAD) continue;
      const clear = ys.every((y) => {
        const box = { l: x - width / 2, r: x + width / 2, t: y - rowH / 2, b: y + rowH / 2 };
        return obstacles.every((o) => !hit(box, o, PAD));
      });
      if (!clear) continue;
      // Numbers well apart are easier to tell from each other; beyond three rows apart,
      // nearer the source is better (candidates come in that order).
      const score = Math.min(apart, 3 * rowH);
      if (!best || score > best.score + 0.5) best = { t, score };
    }
    if (best) return { t: best.t, wide, width, chars: TEMPLATES[key].length, narrow };
  }
  return null;
}

// Nearer the source first: a number then sits where its neuron's links fan out.
const T_CANDIDATES = Array.from({ length: 35 }, (_, k) => 0.16 + k * 0.02).sort(
  (p, q) => Math.abs(p - 0.33) - Math.abs(q - 0.33),
);

/** Do two boxes come closer than `pad`? */
function hit(p, q, pad) {
  return p.l < q.r + pad && q.l < p.r + pad && p.t < q.b + pad && q.t < p.b + pad;
}

function better(p, q) {
  for (let k = 0; k < p.length; k++) if (p[k] !== q[k]) return p[k] > q[k];
  return false;
}

function clamp(v, lo, hi) {
  return Math.max(lo, Math.min(hi, v));
}
