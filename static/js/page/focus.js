// Keyboard users come back where they were (WCAG 2.4.3): when a popup closes, focus returns
// to what opened it instead of falling to the top of the page, unless it has moved on.

/**
 * Call `back()` for the element that should get focus when `el` becomes hidden, if focus was
 * in `el`: a panel hidden by the page itself (at load, when the training view opens) leaves
 * focus where it was, and never puts a focus ring on a toggle nobody pressed.
 */
function onHidden(el, back) {
  let held = false; // focus is (or was last) inside el
  el.addEventListener("focusin", () => {
    held = true;
  });
  el.addEventListener("focusout", (ev) => {
    if (ev.relatedTarget && !el.contains(ev.relatedTarget)) held = false;
  });
  new MutationObserver(() => {
    if (!el.hidden) return;
    const had = held || el.contains(document.activeElement);
    held = false;
    const target = back();
    if (!had) return;
    const active = document.activeElement;
    if (active && active !== document.body && !el.contains(active)) return; // moved on
    if (target && target.isConnected) target.focus({ preventScroll: true });
  }).observe(el, { attributes: true, attributeFilter: ["hidden"] });
}

/**
 * The click-to-edit popover: `opened(pick)` notes the drawn item that has focus as it opens
 * (a link, a neuron, a target), and focus returns to it once the popover closes.
 */
export function returnFromEditor(popover) {
  let opener = null;
  onHidden(popover, () => {
    const back = opener;
    opener = null;
    return back;
  });
  return {
    opened() {
      const active = document.activeElement;
      opener = active && active.closest && active.closest('[data-bind="canvas"]') ? active : null;
    },
  };
}

/** The side panel closed from inside (×, Esc): focus on its toggle. */
export function returnFromPanel(panel, toggle) {
  onHidden(panel, () => toggle);
}
