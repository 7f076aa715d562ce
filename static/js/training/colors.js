// Colours of the plane, pure: a value the server sent → an RGB triple. Two classes run from
// orange (class 0, low) through a pale middle to blue (class 1, high), the same colour-blind-
// safe pair as the weights; more classes take one hue each, paler where the winning
// probability is low. The heatmap stays paler than the points so that both read at once.

export const CLASS_COLORS = ["#e66101", "#2166ac", "#1b9e77", "#7570b3", "#d95f02", "#e7298a", "#66a61e", "#a6761d"];
const MIDDLE = [247, 247, 245];
export const HEATMAP_STRENGTH = 0.62; // how far towards full colour the heatmap goes

export function hexRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const CLASS_RGB = CLASS_COLORS.map(hexRgb);

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Where `value` sits between lo and hi, clamped to [0, 1] (0.5 when the range is empty). */
export function unit(value, lo, hi) {
  if (!Number.isFinite(value)) return 0.5;
  if (!(hi > lo)) return 0.5;
  return Math.min(1, Math.max(0, (value - lo) / (hi - lo)));
}

/**
 * A one-output value's colour: t = 0 orange, 0.5 the pale middle, 1 blue.
 * `discrete`: only the side of the middle counts (the class the threshold gives).
 * `strength` scales the saturation (1 for points, HEATMAP_STRENGTH for the heatmap).
 */
export function divergingRgb(t, { discrete = false, strength = 1 } = {}) {
  const s = discrete ? (t >= 0.5 ? 1 : 0) : t;
  const towards = s >= 0.5 ? CLASS_RGB[1] : CLASS_RGB[0];
  return mix(MIDDLE, towards, Math.abs(s - 0.5) * 2 * strength);
}

/** A class's colour, paler where its probability is near chance (1/classes). */
export function classRgb(k, probability, classes, { discrete = false, strength = 1 } = {}) {
  const base = CLASS_RGB[k % CLASS_RGB.length] || CLASS_RGB[0];
  const chance = 1 / Math.max(2, classes);
  const t = discrete ? 1 : unit(probability, chance, 1);
  return mix(MIDDLE, base, t * strength);
}

/** The range a boundary's values are coloured over: the output activation's own, else the data's. */
export function valueRange(outputActivation, labels = []) {
  if (outputActivation === "sigmoid" || outputActivation === "softmax") return [0, 1];
  if (outputActivation === "tanh") return [-1, 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of labels) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) && hi > lo ? [lo, hi] : [-1, 1];
}

/** The range of a hidden neuron's a: its activation's own, else the largest |a| either side. */
export function activationRange(activation, values) {
  if (activation === "sigmoid") return [0, 1];
  if (activation === "tanh") return [-1, 1];
  let m = 0;
  for (const row of values) for (const v of row) if (Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? [-m, m] : [-1, 1];
}

/**
 * Fill `pixels` (RGBA, grid rows top to bottom) from a lattice: values[i][j] at y[i], x[j].
 * `flip`: y grows upwards (the usual), so lattice row i goes to pixel row n − 1 − i.
 * `colorOf(i, j)` gives the RGB triple of one lattice cell.
 */
export function fillPixels(pixels, rows, cols, flip, colorOf) {
  for (let i = 0; i < rows; i++) {
    const r = flip ? rows - 1 - i : i;
    for (let j = 0; j < cols; j++) {
      const c = colorOf(i, j);
      const o = (r * cols + j) * 4;
      pixels[o] = c[0];
      pixels[o + 1] = c[1];
      pixels[o + 2] = c[2];
      pixels[o + 3] = 255;
    }
  }
  return pixels;
}

/** The colour function of a snapshot's boundary ({values, classes?}). */
export function boundaryColorOf(boundary, { range = [0, 1], discrete = false, classes = 2 } = {}) {
  const { values } = boundary;
  const opts = { discrete, strength: HEATMAP_STRENGTH };
  if (boundary.classes) return (i, j) => classRgb(boundary.classes[i][j], values[i][j], classes, opts);
  const [lo, hi] = range;
  return (i, j) => divergingRgb(unit(values[i][j], lo, hi), opts);
}

/** A point's colour: its class's, or (regression) its value's on the data's range. */
export function pointRgb(label, { kind, classes, range }) {
  if (kind === "regression") return divergingRgb(unit(label, range[0], range[1]));
  if (classes > 2) return CLASS_RGB[label % CLASS_RGB.length];
  return divergingRgb(label >= 1 ? 1 : 0);
}

export const css = (rgb) => `rgb(${Math.round(rgb[0])} ${Math.round(rgb[1])} ${Math.round(rgb[2])})`;
