// The caption's box: two lines, and a caption longer than that can be read whole. Where the
// text is cut, its numbers (data-numbers: captions.js captionNumbers) are shown first, so
// the clamp cuts the prose, and a More button (keyboard, aria-expanded) opens the whole
// caption over the drawing until Less. The caption's own text stays the sentence that
// announce.js reads, with every number in it.

import { S } from "../text/strings.js";

/** @param {HTMLElement} box  the .caption-box holding [data-bind=caption] and its More button */
export function installCaptionFit(box) {
  const caption = box.querySelector('[data-bind="caption"]');
  const more = box.querySelector('[data-action="caption-more"]');
  if (!caption || !more) return;
  let expanded = false;
  const label = () => {
    const key = expanded ? "captionLess" : "captionMore";
    more.dataset.i18n = key; // the language switch relabels it
    more.textContent = S[key];
    more.setAttribute("aria-expanded", String(expanded));
  };
  const fit = () => {
    box.removeAttribute("data-cut"); // open, the sentence alone: its numbers are all in it
    if (expanded) return;
    const cut = caption.scrollHeight > caption.clientHeight + 1;
    box.toggleAttribute("data-cut", cut);
    more.hidden = !cut;
  };
  more.addEventListener("click", () => {
    // Open, the caption lies over the drawing: the box keeps its height, nothing moves.
    box.style.minHeight = expanded ? "" : `${box.offsetHeight}px`;
    expanded = !expanded;
    box.toggleAttribute("data-expanded", expanded);
    label();
    fit();
  });
  const observe = { childList: true, characterData: true, subtree: true, attributes: true, attributeFilter: ["data-numbers"] };
  new MutationObserver(fit).observe(caption, observe);
  new ResizeObserver(fit).observe(box);
  label();
  fit();
}
