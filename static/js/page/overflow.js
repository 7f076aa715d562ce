// A row that scrolls sideways (the phone's toolbar) says that it does: data-more names the
// sides with more to see ("start", "end", both or none) and app.css fades those edges, so a
// half-cut control reads as "there is more this way", not as the end of the row.

/** Keep `el.dataset.more` up to date as it scrolls, resizes or its content changes size. */
export function showScrollCues(el) {
  const update = () => {
    const more = [];
    if (el.scrollLeft > 1) more.push("start");
    if (el.scrollLeft + el.clientWidth < el.scrollWidth - 1) more.push("end");
    const value = more.join(" ");
    if (el.dataset.more !== value) el.dataset.more = value;
  };
  el.addEventListener("scroll", update, { passive: true });
  const observer = new ResizeObserver(update);
  observer.observe(el);
  for (const child of el.children) observer.observe(child); // the status line's text, say
  update();
}
