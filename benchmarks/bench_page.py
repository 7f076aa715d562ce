"""The page in headless Chromium: first-load weight, time to first paint, animation smoothness.

    python benchmarks/bench_page.py [--speed 4] [--runs 3]

Starts its own uvicorn server on a free loopback port, then for each run opens the page in a
fresh browser context (empty cache) and measures:
- the bytes of JS and CSS on the wire for the first load (gzip as served; fonts apart), and
  what the equation panel adds when it first opens (KaTeX: script, stylesheet, fonts);
- first paint, first contentful paint, and when the default network is drawn ("ready");
- the forward and backward passes of the 2-8×6-1 preset animated at --speed, with a
  requestAnimationFrame loop injected into the page: frame-time p95 and frames over 50 ms.
Headless Chromium draws in software at a simulated 60 Hz here: compare runs on this machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.frames import percentile
from tests.server import CHROMIUM, CHROMIUM_ARGS, running_server

TF_PLAYGROUND_KB = 502  # JS + CSS of TensorFlow Playground's first load, measured here

FRAME_LOOP_JS = """() => {
  window.__frames = [];
  let last = performance.now();
  const loop = (t) => { window.__frames.push(t - last); last = t;
                        if (!window.__stopFrames) requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
}"""


class WireLog:
    """Bytes on the wire per resource type, from the DevTools protocol (gzip as sent)."""

    def __init__(self, page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.types: dict[str, str] = {}
        self.urls: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _response(self, ev) -> None:
        self.types[ev["requestId"]] = ev["type"]
        self.urls[ev["requestId"]] = ev["response"]["url"]

    def _finished(self, ev) -> None:
        self.bytes[ev["requestId"]] = int(ev["encodedDataLength"])

    def totals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for rid, n in self.bytes.items():
            kind = self.types.get(rid, "Other")
            out[kind] = out.get(kind, 0) + n
        return out

    def snapshot(self) -> dict[str, int]:
        return dict(self.totals())


def one_run(browser: Browser, base: str, speed: float) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    wire = WireLog(page)
    page.goto(base + "/")
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    page.wait_for_load_state("networkidle")
    first = wire.snapshot()
    paint = page.evaluate(
        """() => Object.fromEntries([
          ...performance.getEntriesByType('paint').map(e => [e.name, e.startTime]),
          ['ready', performance.getEntriesByName('backprop-viz:ready')[0].startTime],
        ])"""
    )
    # What the equation panel adds the first time it opens (KaTeX and its fonts).
    page.click('[data-action="equations"]')
    page.evaluate("() => window.backpropViz.explain({kind: 'bias', layer: 1, node: 0})")
    page.wait_for_selector('[data-panel="equations"] .katex')
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    page.wait_for_load_state("networkidle")
    after = wire.snapshot()
    page.click('[data-action="close-panel"]')

    # Forward + backward of 2-8×6-1 under a rAF loop.
    preset = page.evaluate("async () => (await fetch('/api/v1/presets/deep-2-8x6-1')).json()")
    page.evaluate("r => window.backpropViz.load(r)", preset)
    page.evaluate("s => window.backpropViz.setSpeed(s)", speed)
    page.wait_for_timeout(300)
    page.evaluate(FRAME_LOOP_JS)
    started = time.perf_counter()
    page.evaluate("() => window.backpropViz.player.play('backward')")
    elapsed = time.perf_counter() - started
    frames = page.evaluate("() => { window.__stopFrames = true; return window.__frames.slice(1); }")
    events = page.evaluate("() => window.backpropViz.player.cursor")
    context.close()

    js_css = first.get("Script", 0) + first.get("Stylesheet", 0)
    katex = (after.get("Script", 0) + after.get("Stylesheet", 0)) - js_css
    fonts = after.get("Font", 0) - first.get("Font", 0)
    return {
        "first_load_js_css_bytes": js_css,
        "first_load_html_bytes": first.get("Document", 0),
        "first_load_total_bytes": sum(first.values()),
        "katex_js_css_bytes": katex,
        "katex_font_bytes": fonts,
        "first_paint_ms": paint.get("first-paint", float("nan")),
        "first_contentful_paint_ms": paint.get("first-contentful-paint", float("nan")),
        "ready_ms": paint["ready"],
        "frames": len(frames),
        "frame_p50_ms": percentile(frames, 0.50),
        "frame_p95_ms": percentile(frames, 0.95),
        "frame_max_ms": max(frames),
        "frames_over_50ms": sum(1 for f in frames if f > 50),
        "animation_s": elapsed,
        "events": events,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speed", type=float, default=4.0, help="playback speed (1 = normal)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with running_server() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = [one_run(browser, base, args.speed) for _ in range(args.runs)]
        version = browser.version
        browser.close()

    def med(key: str) -> float:
        return statistics.median(r[key] for r in results)

    def kb(key: str) -> str:
        return f"{med(key) / 1024:.1f} KB"

    print(f"backprop-viz page benchmark: Chromium {version}, {args.runs} runs, medians")
    print(
        f"  first load, JS + CSS, gzip on the wire: {kb('first_load_js_css_bytes')}"
        f" (TensorFlow Playground: {TF_PLAYGROUND_KB} KB)"
    )
    print(
        f"  first load, HTML: {kb('first_load_html_bytes')};"
        f" everything: {kb('first_load_total_bytes')}"
    )
    print(
        f"  equation panel on first open: KaTeX JS + CSS {kb('katex_js_css_bytes')}"
        f" + fonts {kb('katex_font_bytes')}"
    )
    print(
        f"  first paint {med('first_paint_ms'):.0f} ms, first contentful paint "
        f"{med('first_contentful_paint_ms'):.0f} ms, network drawn {med('ready_ms'):.0f} ms"
    )
    print(
        f"  2-8x6-1 forward + backward at {args.speed:g}x: {med('events'):.0f} events in "
        f"{med('animation_s'):.1f} s, {med('frames'):.0f} frames"
    )
    print(
        f"  frame time p50 {med('frame_p50_ms'):.1f} ms, p95 {med('frame_p95_ms'):.1f} ms "
        f"(target <= 20), max {med('frame_max_ms'):.1f} ms, "
        f"frames over 50 ms: {med('frames_over_50ms'):.0f}"
    )
    for k, r in enumerate(results, 1):
        print(
            f"    run {k}: p95 {r['frame_p95_ms']:.1f} ms, >50 ms {r['frames_over_50ms']}, "
            f"JS+CSS {r['first_load_js_css_bytes']} B, FP {r['first_paint_ms']:.0f} ms"
        )


if __name__ == "__main__":
    main()
