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
  const roomy = layoutOf(layers, width, height, measure, texts, false);
  return roomy.dense ? layoutOf(layers, width, height, measure, texts, true) : roomy;
}

/**
 * One layout. `dense`: a gap is too crowded for its weights' numbers, so the rows above
 * and below the neurons (b, z, ∂l/∂z) would lie over the links too. They are left out (the
 * focused, selected or active neuron's numbers show in a readout beside it, drawing.js),
 * and a neuron may take the room they leave for a number inside it.
 */
function layoutOf(layers, width, height, measure, texts, dense) {
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
    r = clamp(Math.min(lone ? MAX_R : f.spacing * (dense ? 0.4 : 0.27), f.gap * 0.17, MAX_R), 1, MAX_R);
  }
  // A narrow window (a phone) squeezes the gaps before the columns: a circle a little wider
  // than the gap's usual share still leaves the links room, and holds its number.
  if (!lone && innerFont(r) < MIN_FONT) {
    const f = frame(r);
    const wider = Math.min(f.spacing * (dense ? 0.4 : 0.27), f.gap * 0.2, MAX_R);
    if (wider > r && innerFont(wider) >= MIN_FONT) r = wider;
  }
  const { left, right, gap, spacing } = frame(r);

  // Between two neighbours' bodies go the upper one's row below and the lower one's row
  // above. A neuron too small for its number gives up some more size for the row below it
  // (z, ∂l/∂z): a number beside a small neuron says more than a bigger empty circle.
  const freeOf = (c) => spacing - c.top - c.bottom;
  // Dense: as large as the numbers inside want, but the input names keep their row
  // between neighbours where the numbers inside fit all the same.
  const named = (spacing - rowH - PAD - 4) / 2.1 - 0.05;
  if (dense && !lone && named < r && innerFont(named) >= MIN_FONT) r = Math.max(1, named);
  if (!lone && !dense && innerFont(r) < MIN_FONT) {
    while (r > 5 && freeOf(coreOf(r)) < rowH + PAD) r -= 0.5;
  }
  const core = coreOf(r);
  const free = freeOf(core);
  const vertical = {
    below: !dense && (lone || free >= rowH + PAD),
    above: !dense && (lone || free >= 2 * rowH + PAD + 6), // biases only where the column breathes
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
  // Dense when a crowded gap (more links than a glance can follow) has no room for its
  // weights' numbers: laid out again, above. A small network in a narrow window (a phone)
  // only loses its weights' numbers and keeps b, z and ∂l/∂z beside its neurons.
  const CROWDED = 16;
  if (!dense) dense = plan.weights.some((w, l) => !w && layers[l] * layers[l + 1] > CROWDED);
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
    // Dense: a link that climbs steeply out of an input may cross the names above the inputs.
    names: { show: vertical.names && (!dense || namesClear(neurons, r, nameW, namesY, line)), y: namesY },
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
    dense,
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

/** Are the input names' boxes clear of every link from the inputs (as draw.js ends them)? */
function namesClear(neurons, r, nameW, namesY, line) {
  if (neurons.length < 2) return true;
  const boxes = neurons[0].map((n) => ({ l: n.x - nameW / 2, r: n.x + nameW / 2, t: n.y + namesY + line.top, b: n.y + namesY + line.bottom }));
  for (const a of neurons[0]) {
    for (const b of neurons[1]) {
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      const ux = (b.x - a.x) / len;
      const uy = (b.y - a.y) / len;
      const seg = { x0: a.x + ux * (r + 2), y0: a.y + uy * (r + 2), x1: b.x - ux * (r + 4), y1: b.y - uy * (r + 4) };
      if (boxes.some((box) => crosses(seg, box))) return false;
    }
  }
  return true;
}

/** Does a segment enter a box (Liang–Barsky clipping)? */
function crosses(s, box) {
  let t0 = 0;
  let t1 = 1;
  const dx = s.x1 - s.x0;
  const dy = s.y1 - s.y0;
  for (const [p, q] of [
    [-dx, s.x0 - box.l],
    [dx, box.r - s.x0],
    [-dy, s.y0 - box.t],
    [dy, box.b - s.y0],
  ]) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      t0 = Math.max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = Math.min(t1, t);
    }
  }
  return true;
}

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

// ---- the matrix view (matrix.js) ------------------------------------------------------------
//
// Above a width the links are a wall and thousands of SVG elements freeze the page: a layer
// of more than MATRIX_NEURONS neurons, or more than MATRIX_LINKS links in all, is drawn as
// heatmaps instead (2-8×6-1 and ten layers of 8 stay links; 4-64-64-1 is a matrix).
export const MATRIX_NEURONS = 16;
export const MATRIX_LINKS = 1024;

/** Is a network with these layer sizes drawn as matrices (true) or as links (false)? */
export function matrixView(layers) {
  let links = 0;
  for (let l = 1; l < layers.length; l++) links += layers[l - 1] * layers[l];
  return Math.max(...layers) > MATRIX_NEURONS || links > MATRIX_LINKS;
}

const CELL_MAX = 22; // px, a cell's side at most: a small layer stays a short strip
const STRIP_W = 16; // px, the width of a layer's strip of neurons
const CAPTION_H = 16; // px above the cells for each column's caption (w, ∂l/∂w, a, …)
const MATRIX_PAD = 8; // px between a strip and the matrix beside it

/**
 * The matrix view's geometry: each layer a vertical strip of cells (neuron j at row j), and
 * between layers l−1 and l the matrix of w^l: row j beside neuron j of layer l (its
 * incoming weights), column i under neuron i of layer l−1, so a row reads as the links
 * that reach one neuron. The targets' strip and the loss box come after the output.
 * @returns {{matrix: true, strips: object[], mats: object[], neurons: object[][], ...}}
 */
export function computeMatrixLayout(layers, width, height) {
  const L = layers.length - 1;
  const lossW = 84;
  const left = EDGE + HEADER_HALF - STRIP_W / 2;
  const right = EDGE + STRIP_W + 10 + lossW; // the targets' strip, then the loss box
  const top = EDGE + CAPTION_H;
  const usable = Math.max(20, height - top - CAPTION_H - EDGE); // the strips' captions go below
  const cy = top + usable / 2;
  const cellH = (n) => Math.max(1, Math.min(CELL_MAX, usable / n));
  const room = Math.max(L * 24, width - left - right - (L + 1) * STRIP_W);
  const gapW = L > 0 ? room / L : 0; // what each matrix and its two paddings get
  const strips = [];
  const mats = [];
  let x = left + Math.max(0, (width - left - right - (L + 1) * STRIP_W - L * gapW) / 2);
  for (let l = 0; l <= L; l++) {
    const n = layers[l];
    const ch = cellH(n);
    strips.push({ layer: l, n, x, w: STRIP_W, ch, y0: cy - (n * ch) / 2, h: n * ch });
    x += STRIP_W;
    if (l === L) break;
    const rows = layers[l + 1];
    const cols = n;
    const avail = Math.max(4, gapW - 2 * MATRIX_PAD);
    const cw = Math.max(0.5, Math.min(CELL_MAX, avail / cols));
    const rh = cellH(rows);
    const w = cw * cols;
    mats.push({ gap: l, rows, cols, x: x + (gapW - w) / 2, w, cw, ch: rh, y0: cy - (rows * rh) / 2, h: rows * rh });
    x += gapW;
  }
  const neurons = strips.map((s) =>
    Array.from({ length: s.n }, (_, j) => ({ layer: s.layer, node: j, x: s.x + s.w / 2, y: s.y0 + (j + 0.5) * s.ch })),
  );
  const out = strips[L];
  const targets = { x: out.x + out.w + 10, w: STRIP_W, ch: out.ch, y0: out.y0, h: out.h, show: true, width: STRIP_W };
  const gap = L > 0 ? neurons[1][0].x - neurons[0][0].x : 0;
  return {
    matrix: true,
    width,
    height,
    top,
    strips,
    mats,
    neurons,
    output: neurons[L],
    gap,
    r: Math.min(out.ch, STRIP_W) / 2,
    targets,
    lossBox: { x: targets.x + targets.w + 10, y: cy, w: lossW - 10, h: 40 },
    header: gap >= 170 ? "full" : gap >= 68 ? "compact" : "tiny",
  };
}
