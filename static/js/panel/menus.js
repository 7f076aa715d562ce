// The top bar's two menus. Share: the link to this exact state and a ready <iframe>
// snippet. Export: the drawing (SVG, PNG), the server's trace (JSON), the per-neuron
// values (CSV) and the server's PyTorch script of the step. Both are optional parts
// (hide=share, hide=export).

import { postExportPytorch, postTrace } from "../page/api.js";
import { MAX_LINK_LENGTH } from "../page/link.js";
import { S } from "../text/strings.js";
import { lectureMessage } from "../text/messages.js";

/** @returns {{close: () => boolean}} close() closes an open menu and says whether one was */
export function installMenus(root, { app }) {
  const menus = [];
  const share = root.querySelector('[data-action="share"]');
  if (share) menus.push(menu(share, root.querySelector('[data-bind="share-menu"]'), () => fillShare(root, app)));
  const exp = root.querySelector('[data-action="export"]');
  if (exp) {
    const body = root.querySelector('[data-bind="export-menu"]');
    menus.push(menu(exp, body, () => {}));
    for (const b of body.querySelectorAll("[data-export]")) {
      b.addEventListener("click", () => exportAs(b.dataset.export, root, app, body.querySelector('[data-bind="export-note"]')));
    }
  }
  for (const [action, field] of [["copy-link", "share-link"], ["copy-iframe", "share-iframe"]]) {
    root.querySelector(`[data-action="${action}"]`)?.addEventListener("click", () =>
      copy(root.querySelector(`[data-bind="${field}"]`), root.querySelector('[data-bind="share-note"]')),
    );
  }
  root.ownerDocument.addEventListener("pointerdown", (ev) => {
    for (const m of menus) if (m.isOpen() && !m.wrap.contains(ev.target)) m.close();
  });
  root.ownerDocument.defaultView.addEventListener("resize", () => {
    for (const m of menus) if (m.isOpen()) placeInView(m.body);
  });
  return {
    close: () => {
      const open = menus.filter((m) => m.isOpen());
      for (const m of open) m.close();
      return open.length > 0;
    },
  };
}

function menu(button, body, onOpen) {
  const wrap = button.parentElement;
  const m = {
    wrap,
    body,
    isOpen: () => !body.hidden,
    open() {
      body.hidden = false;
      button.setAttribute("aria-expanded", "true");
      placeInView(body);
      onOpen();
    },
    close() {
      body.hidden = true;
      button.setAttribute("aria-expanded", "false");
      button.focus({ preventScroll: true });
    },
  };
  button.addEventListener("click", () => (m.isOpen() ? m.close() : m.open()));
  // Esc closes it from inside too (the page's keys step aside in its fields), back on its button.
  body.addEventListener("keydown", (ev) => {
    if (ev.key !== "Escape") return;
    ev.preventDefault();
    ev.stopPropagation();
    m.close();
  });
  return m;
}

// Room kept between an open menu and the window's edges.
const EDGE = 8;

/**
 * A menu hangs from its button's right edge; where the button sits far left (a phone's
 * wrapped top bar) that would put the menu's start off screen: shift it back in, and keep
 * it no wider and no taller than the window.
 */
function placeInView(body) {
  const win = body.ownerDocument.defaultView;
  const width = body.ownerDocument.documentElement.clientWidth;
  body.style.translate = "";
  body.style.maxWidth = `${width - 2 * EDGE}px`;
  const box = body.getBoundingClientRect();
  body.style.maxHeight = `${Math.max(120, win.innerHeight - box.top - EDGE)}px`;
  const shift = box.left < EDGE ? EDGE - box.left : box.right > width - EDGE ? width - EDGE - box.right : 0;
  if (shift) body.style.translate = `${shift}px 0`;
}

async function fillShare(root, app) {
  const linkField = root.querySelector('[data-bind="share-link"]');
  const snippet = root.querySelector('[data-bind="share-iframe"]');
  const note = root.querySelector('[data-bind="share-note"]');
  note.textContent = "";
  const [page, embed] = await Promise.all([app.link({ embed: false }), app.link({ embed: true })]);
  const tooLong = Math.max(page.length, embed.length) > MAX_LINK_LENGTH;
  for (const el of [linkField, snippet]) el.disabled = tooLong;
  for (const b of root.querySelectorAll('[data-action="copy-link"], [data-action="copy-iframe"]')) b.disabled = tooLong;
  if (tooLong) {
    linkField.value = "";
    snippet.value = "";
    note.textContent = S.linkTooLong(Math.max(page.length, embed.length), MAX_LINK_LENGTH);
    note.classList.add("error");
    return;
  }
  note.classList.remove("error");
  linkField.value = page;
  snippet.value = iframeSnippet(embed, app.frameTitle());
}

/** A course page's copy-paste: titled (app.frameTitle), lazy, full-screen capable, sized by its host. */
export function iframeSnippet(src, frameTitle) {
  const title = frameTitle.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
  const href = src.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
  return `<iframe src="${href}" title="${title}" width="100%" height="520" style="border:0" loading="lazy" allowfullscreen></iframe>`;
}

async function copy(field, note) {
  if (!field || !field.value) return;
  try {
    await navigator.clipboard.writeText(field.value);
    note.textContent = S.copied;
  } catch {
    // No clipboard (a sandboxed frame, an insecure origin): select it for Ctrl+C.
    field.focus();
    field.select();
    note.textContent = S.copyByHand;
  }
}

async function exportAs(kind, root, app, note) {
  note.textContent = "";
  note.classList.remove("error");
  try {
    const ex = await import("./export.js");
    const name = `backprop-viz-${app.store.presetName || "network"}`;
    const svg = root.querySelector("svg.network");
    const canvas = app.drawing.kind === "matrix" ? app.drawing.matrix.canvas : null;
    let ok = true;
    // A wide network is drawn as matrices on a canvas: a picture (PNG), there is no SVG of it.
    if (canvas && kind === "svg") throw new Error(S.exportNoSvg);
    if (canvas && kind === "png") {
      app.drawing.matrix.paint();
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
      ok = ex.download(`${name}.png`, blob, "image/png");
    } else if (kind === "svg") ok = ex.download(`${name}.svg`, ex.svgMarkup(svg), "image/svg+xml");
    else if (kind === "png") {
      const { width, height } = svg.getBoundingClientRect();
      ok = ex.download(`${name}.png`, await ex.pngBlob(ex.svgMarkup(svg), width, height), "image/png");
    } else if (kind === "pytorch") {
      // The server writes the script (docs/export.md): the page only saves it.
      const script = await postExportPytorch(app.store.snapshot());
      ok = ex.download(`${name}.py`, script, "text/x-python");
    } else {
      // The server's numbers, fetched whole for the current request: the page computes none.
      const request = app.store.snapshot();
      const trace = await postTrace(request);
      if (kind === "json") ok = ex.download(`${name}-trace.json`, ex.traceJson(trace), "application/json");
      else ok = ex.download(`${name}-values.csv`, ex.traceCsv(trace, request), "text/csv");
    }
    note.textContent = ok ? S.exported : S.exportBlocked;
  } catch (err) {
    note.textContent = lectureMessage(err);
    note.classList.add("error");
  }
}
