// Exporting what the page shows: the drawing as a standalone SVG or a PNG, the step as JSON
// or CSV, and a download helper. No side effects at import and no DOM access until a function
// is called (node imports this module in the unit tests). Nothing here computes anything about
// the network: the server's trace is the only truth, and its numbers are only re-formatted
// (String(x): the shortest text that parses back to the same double).

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

// Inherited properties: written on an element only where its computed value differs from its
// parent's (the clone keeps the tree, so the rest is inherited exactly as on the page).
const INHERITED = [
  "fill",
  "fill-opacity",
  "stroke",
  "stroke-width",
  "stroke-opacity",
  "stroke-dasharray",
  "stroke-linecap",
  "stroke-linejoin",
  "marker-start",
  "marker-end",
  "visibility",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "text-anchor",
  "paint-order",
];
// The others: written where the value differs from the initial one or from the parent's
// (right whether or not the renderer inherits them).
const OTHERS = { opacity: "1", display: "inline", "dominant-baseline": "auto" };

// Kept as they are, never dropped for being "invisible" (they are never rendered themselves).
const NOT_RENDERED = new Set([
  "defs",
  "marker",
  "title",
  "desc",
  "metadata",
  "style",
  "symbol",
  "clipPath",
  "mask",
  "pattern",
  "linearGradient",
  "radialGradient",
  "filter",
]);
const NO_STYLE = new Set(["title", "desc", "metadata", "style"]);

/** Elements that are no part of the picture: measuring probes, the effects overlay, hit areas. */
function isProbe(el) {
  return el.matches(".probe, [aria-hidden='true'].effects, path.hit");
}

/**
 * The end values of the CSS transitions running in a subtree: Map(element → Map(property →
 * value)), read from the transitions' keyframes (the page itself is left as it is).
 */
function transitionEnds(root) {
  const ends = new Map();
  if (typeof root.getAnimations !== "function") return ends;
  for (const animation of root.getAnimations({ subtree: true })) {
    const name = animation.transitionProperty;
    const effect = animation.effect;
    if (!name || !effect || !effect.target || typeof effect.getKeyframes !== "function") continue;
    const frames = effect.getKeyframes();
    const key = name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    const last = frames.length ? frames[frames.length - 1] : null;
    const value = last && (last[key] ?? last[name]);
    if (value === undefined || value === null) continue;
    if (!ends.has(effect.target)) ends.set(effect.target, new Map());
    ends.get(effect.target).set(name, String(value));
  }
  return ends;
}

/** A computed url(...) reduced to its fragment, so that it resolves inside the exported file. */
function localUrl(value) {
  return value.replace(/url\(\s*(["']?)[^"')]*?(#[^"')]+)\1\s*\)/g, 'url("$2")');
}

function drawnSize(svg) {
  const vb = svg.viewBox && svg.viewBox.baseVal;
  const rect = svg.getBoundingClientRect();
  const width = Number.parseFloat(svg.getAttribute("width")) || (vb && vb.width) || rect.width;
  const height = Number.parseFloat(svg.getAttribute("height")) || (vb && vb.height) || rect.height;
  const box = vb && vb.width && vb.height ? [vb.x, vb.y, vb.width, vb.height] : [0, 0, width, height];
  return { width, height, box };
}

/**
 * The drawing as a standalone SVG document: a deep clone carrying the computed styles that
 * matter as inline styles, so that it looks the same without the page's stylesheet.
 * @param {SVGSVGElement} svgElement  the drawing (svg.network)
 * @param {{background?: string|null|false}} [options]  the background colour; by default
 *   the page's --bg; null, false or "none" for a transparent background (no rect)
 * @returns {string}
 */
export function svgMarkup(svgElement, { background } = {}) {
  const view = svgElement.ownerDocument.defaultView;
  const clone = svgElement.cloneNode(true);
  const settling = transitionEnds(svgElement);

  // Walk the original and the clone side by side (same structure), dropping as we go.
  const walk = (orig, copy, parentStyle, inDefs) => {
    const own = view.getComputedStyle(orig);
    const style = {};
    for (const name of INHERITED) style[name] = own.getPropertyValue(name);
    for (const name of Object.keys(OTHERS)) style[name] = own.getPropertyValue(name);
    // A CSS transition still running (a fill, a link's colour): its end, not the frame.
    const ends = settling.get(orig);
    if (ends) for (const [name, value] of ends) if (name in style) style[name] = value;
    const tag = orig.localName;
    if (!NO_STYLE.has(tag)) {
      for (const name of INHERITED) {
        const value = style[name];
        const attr = copy.hasAttribute(name); // a presentation attribute the page's CSS beat
        if (value && (parentStyle === null || value !== parentStyle[name] || attr)) {
          copy.style.setProperty(name, name.startsWith("marker") ? localUrl(value) : value);
        }
      }
      for (const [name, initial] of Object.entries(OTHERS)) {
        const value = style[name];
        if (name === "display" && value === "none") continue; // only in defs: never rendered anyway
        const differs = value !== initial || (parentStyle !== null && value !== parentStyle[name]);
        if (value && (differs || copy.hasAttribute(name))) copy.style.setProperty(name, value);
      }
      copy.style.removeProperty("transition");
    }
    const origKids = [...orig.children];
    const copyKids = [...copy.children];
    origKids.forEach((child, k) => {
      const twin = copyKids[k];
      const childTag = child.localName;
      if (NO_STYLE.has(childTag)) return; // <title> and the like: kept as they are
      const childInDefs = inDefs || NOT_RENDERED.has(childTag);
      if (isProbe(child)) return twin.remove();
      if (!childInDefs) {
        const cs = view.getComputedStyle(child);
        const hidden = cs.visibility === "hidden" || cs.visibility === "collapse";
        if (cs.display === "none" || cs.opacity === "0" || (hidden && child.children.length === 0)) {
          return twin.remove();
        }
      }
      walk(child, twin, style, childInDefs);
    });
  };
  walk(svgElement, clone, null, false);

  const { width, height, box } = drawnSize(svgElement);
  clone.setAttributeNS(XMLNS_NS, "xmlns", SVG_NS);
  clone.setAttributeNS(XMLNS_NS, "xmlns:xlink", XLINK_NS);
  clone.setAttribute("width", String(width));
  clone.setAttribute("height", String(height));
  clone.setAttribute("viewBox", box.join(" "));
  clone.removeAttribute("tabindex");

  let fill = background;
  if (fill === undefined) {
    const root = svgElement.ownerDocument.documentElement;
    fill = view.getComputedStyle(root).getPropertyValue("--bg").trim() || "#ffffff";
  }
  if (fill !== null && fill !== false && fill !== "none") {
    const rect = svgElement.ownerDocument.createElementNS(SVG_NS, "rect");
    rect.setAttribute("class", "export-background");
    rect.setAttribute("x", String(box[0]));
    rect.setAttribute("y", String(box[1]));
    rect.setAttribute("width", String(box[2]));
    rect.setAttribute("height", String(box[3]));
    rect.setAttribute("fill", fill);
    rect.setAttribute("stroke", "none");
    clone.insertBefore(rect, clone.firstChild);
  }
  const text = new view.XMLSerializer().serializeToString(clone);
  return `<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n${text}\n`;
}

/**
 * Render SVG markup to a PNG (through an Image of a blob: URL: works under a CSP of
 * `img-src 'self' data: blob:`).
 * @param {string} markup  an SVG document (svgMarkup's)
 * @param {number} width   its size in CSS px
 * @param {number} height
 * @param {number} [scale=2]  pixels per CSS px
 * @returns {Promise<Blob>} an image/png blob of round(width × scale) × round(height × scale)
 */
export async function pngBlob(markup, width, height, scale = 2) {
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const url = URL.createObjectURL(new Blob([markup], { type: "image/svg+xml;charset=utf-8" }));
  try {
    const img = new Image();
    img.width = w;
    img.height = h;
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error("the SVG could not be rendered as an image"));
      img.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = w;
    canvas.height = h;
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(img, 0, 0, w, h);
    return await new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("canvas.toBlob gave no PNG"))), "image/png");
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A POST /api/v1/trace response as pretty JSON (2 spaces), numbers exactly as received. */
export function traceJson(trace) {
  return `${JSON.stringify(trace, null, 2)}\n`;
}

/** A number as its exact shortest text (−0 keeps its sign); null or missing: an empty cell. */
function cell(x) {
  if (x === null || x === undefined) return "";
  if (Object.is(x, -0)) return "-0";
  return String(x);
}

const at = (value, ...path) => {
  let v = value;
  for (const k of path) {
    if (v === null || v === undefined) return undefined;
    v = v[k];
  }
  return v;
};

export const NEURON_HEADER = "layer,neuron,z,a,da_dz,dl_da,dl_dz,b,dl_db,b_new";
export const WEIGHT_HEADER = "layer,from,to,w,a_from,dl_dw,w_new";

/**
 * A step as CSV (RFC 4180, CRLF): one row per neuron, a blank line, one row per weight.
 * Layers are numbered as in the lecture (0 the input, L the output), neurons from 1;
 * a weight's layer is the layer it feeds.
 * @param {object} trace    a POST /api/v1/trace response
 * @param {object} request  the body it answered (for w and b before the step)
 * @returns {string}
 */
export function traceCsv(trace, request) {
  const before = (request && request.network) || {};
  const after = trace.network || {};
  const rows = [NEURON_HEADER];
  trace.layers.forEach((layer, l) => {
    layer.a.forEach((a, j) => {
      if (l === 0) {
        rows.push([l, j + 1, "", cell(a), "", "", "", "", "", ""].join(","));
        return;
      }
      rows.push(
        [
          l,
          j + 1,
          cell(at(layer, "z", j)),
          cell(a),
          cell(at(layer, "da_dz", j)),
          cell(at(layer, "dl_da", j)),
          cell(at(layer, "dl_dz", j)),
          cell(at(before, "biases", l - 1, j)),
          cell(at(layer, "dl_db", j)),
          cell(at(after, "biases", l - 1, j)),
        ].join(","),
      );
    });
  });
  rows.push("", WEIGHT_HEADER);
  for (let l = 1; l < trace.layers.length; l++) {
    const grads = trace.layers[l].dl_dw;
    grads.forEach((row, j) => {
      row.forEach((g, i) => {
        rows.push(
          [
            l,
            i + 1,
            j + 1,
            cell(at(before, "weights", l - 1, j, i)),
            cell(at(trace.layers, l - 1, "a", i)),
            cell(g),
            cell(at(after, "weights", l - 1, j, i)),
          ].join(","),
        );
      });
    });
  }
  return `${rows.join("\r\n")}\r\n`;
}

/**
 * Offer data as a file: a Blob, an <a download> click, the object URL revoked later.
 * @param {string} filename
 * @param {string|Blob|ArrayBuffer} data
 * @param {string} [type]  the MIME type (for data that is not already a Blob)
 * @returns {boolean} true, or false when it threw (e.g. a sandbox without allow-downloads)
 */
export function download(filename, data, type = "application/octet-stream") {
  try {
    const a = document.createElement("a");
    const blob = data instanceof Blob ? data : new Blob([data], { type });
    const url = URL.createObjectURL(blob);
    a.href = url;
    a.download = filename;
    a.rel = "noopener";
    a.hidden = true;
    document.body.append(a);
    try {
      a.click();
    } finally {
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30_000);
    }
    return true;
  } catch {
    return false;
  }
}
