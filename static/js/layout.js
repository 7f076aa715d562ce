// Where everything goes, from the layer sizes and the space available: pure geometry, no
// DOM. Label density follows the space: a label that would overlap another is not drawn
// (its value stays in the tooltip and the equation panel).

const FONT = 11; // px, the drawing's label size
const CHAR_W = 6.3; // px per character at FONT (digits, proportional font)
const LINE = 13; // px between label baselines
const MAX_GAP = 400; // px between layers, at most
const MAX_SPACING = 190; // px between neurons of a layer, at most

export const LABEL_FONT = FONT;

/** Rough width of a label, enough to keep labels apart. */
export function textWidth(text, font = FONT) {
  return text.length * CHAR_W * (font / FONT);
}

/**
 * @param {number[]} layers neurons per layer, input first
 * @param {number} width, height drawing size in px
 */
export function computeLayout(layers, width, height) {
  const L = layers.length - 1;
  // Right of the output layer: the targets, then the loss box.
  const margin = { left: 44, right: 162, top: 30, bottom: 36 };
  const innerW = Math.max(40, width - margin.left - margin.right);
  const innerH = Math.max(40, height - margin.top - margin.bottom);
  // Small networks stay compact (and centred) rather than stretched over a wide window.
  const gap = L > 0 ? Math.min(innerW / L, MAX_GAP) : innerW;
  const maxN = Math.max(...layers);
  const spacing = Math.min(innerH / maxN, MAX_SPACING);
  // Radius from both the vertical pitch and the column gap, within sane bounds.
  const r = clamp(Math.min(spacing * 0.25, gap * 0.14), 6, 26);

  const left = margin.left + (innerW - (L > 0 ? L * gap : 0)) / 2;
  const x = (l) => left + l * gap;
  const cy = margin.top + innerH / 2;
  const neurons = layers.map((n, l) =>
    Array.from({ length: n }, (_, j) => ({
      layer: l,
      node: j,
      x: x(l),
      y: cy + (j - (n - 1) / 2) * spacing,
    })),
  );

  // Level of detail: a label above (bias / input name) and one below (z or ∂l/∂z) need room.
  const free = spacing - 2 * r;
  // Sideways, the widest label of each row must fit between two columns.
  const lod = {
    inner: r >= 11, // a (or σ'(z)) inside the circle
    above: free >= LINE + 4 && gap >= textWidth("b −0.000→−0.000", 10) + 10, // b
    below: free >= 2 * LINE + 2 && gap >= textWidth("∂l/∂z −0.0000", 10) + 10, // z, ∂l/∂z
    font: clamp(r * 0.62, 8, FONT),
  };
  // Labels around a neuron reach this far sideways: links' labels keep clear of them.
  const neuronHalo = Math.max(r + 6, lod.below ? 40 : r + 6);

  const output = neurons[L];
  const targetX = x(L) + r + 12;
  const lossBox = { x: targetX + 66, y: cy, w: 46, h: 28 };

  return { width, height, margin, gap, spacing, r, lod, neurons, neuronHalo, targetX, lossBox, output };
}

/**
 * Where along the links of one gap (layer l → l+1) their labels can sit without touching:
 * all labels of a gap share one x, so they only need to be a line apart vertically, and
 * clear of the neurons (and their labels) at both ends. Returns t in (0, 1) or null.
 */
export function weightLabelPosition(layout, l, labelWidth) {
  const from = layout.neurons[l];
  const to = layout.neurons[l + 1];
  const x0 = from[0].x;
  const x1 = to[0].x;
  const clear = layout.neuronHalo + 2;
  const candidates = [0.3, 0.35, 0.25, 0.4, 0.22, 0.45, 0.6, 0.65, 0.7];
  for (const t of candidates) {
    const x = x0 + t * (x1 - x0);
    if (x - labelWidth / 2 < x0 + clear || x + labelWidth / 2 > x1 - clear - 6) continue;
    const ys = [];
    for (const a of from) for (const b of to) ys.push(a.y + t * (b.y - a.y));
    ys.sort((p, q) => p - q);
    let ok = true;
    for (let k = 1; k < ys.length && ok; k++) ok = ys[k] - ys[k - 1] >= LINE + 1;
    // Keep clear of the row of labels below/above neurons of the layer at either end.
    if (ok) return t;
  }
  return null;
}

function clamp(v, lo, hi) {
  return Math.max(lo, Math.min(hi, v));
}
