// The tour's address (pure, tests/js/tour.test.mjs): the chapter a hash names, the way
// through the chapters, and the query string the visualizer inside the tour reads.

import { CHAPTERS } from "./chapters.js";

// The visualizer's parts the tour leaves out: the chapters choose the network.
export const TOUR_HIDES = ["editor", "training", "preset", "share", "export", "gradcheck"];
// The visualizer's own parameters that the chapters set (hide= is added to, not replaced).
const CHAPTER_PARAMS = ["preset", "state", "v", "step", "autoplay", "view", "predict"];

/** The query string the visualizer inside the tour reads: the page's, less what the chapters set. */
export function tourSearch(search) {
  const params = new URLSearchParams(search);
  for (const name of CHAPTER_PARAMS) params.delete(name);
  const hidden = params.getAll("hide").join(",").split(/[,\s]+/).filter(Boolean);
  params.set("hide", [...new Set([...hidden, ...TOUR_HIDES])].join(","));
  return `?${params}`;
}

/** The chapter k + step, kept within the tour. */
export function stepChapter(k, step) {
  return Math.max(0, Math.min(CHAPTERS.length - 1, k + step));
}

/** The chapter of a link's hash ("#backward", "backward"), or null. */
export function chapterIndex(hash) {
  let id;
  try {
    id = decodeURIComponent(String(hash || "").replace(/^#/, ""));
  } catch {
    return null; // "%E0": no chapter's
  }
  const k = CHAPTERS.findIndex((c) => c.id === id);
  return k >= 0 ? k : null;
}

