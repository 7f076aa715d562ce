"""The notebook widget (app.notebook.Visualizer in JupyterLab 4) against the /embed page over
HTTP, in the same Chromium in the same run: the time to a drawn network, and from a step asked
for to the end of its animation.

    PYTHONPATH=. .venv-test/bin/python benchmarks/bench_widget.py [--rounds 3]

- Widget, drawn: from the cell `Visualizer(preset=…)` sent to the kernel (JupyterLab's
  run-cell command, clocked in the page) until the widget says it is ready (`data-ready`: the
  network drawn, the player ready). The first in a fresh kernel ("cold": `app` imported, the
  app built) apart from the next ones ("warm").
- /embed, drawn: from the navigation's start to the page's own signal (`body[data-ready]`),
  on a warm uvicorn server from tests/server.py.
- Step: from the cell `viz.step()` sent (widget) or `backpropViz.run()` called (/embed) until
  the step's animation has ended (forward, backward, update at speed 1: most of it is the
  animation's own duration, the same on both sides; the difference is the transport's).
Headless Chromium draws in software on 2 shared cores: compare the two columns of one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.notebook.jupyterlab import open_notebook
from tests.notebook.lab import running_lab
from tests.server import CHROMIUM, CHROMIUM_ARGS, running_server

PRESET = "worked-example-2-2-2"
SPEEDS = (1, 8)  # the player's speed: 1 as a student sees it, 8 to leave the transport bare

# Run a new cell at the notebook's end; resolve with the ms until `done(frames)` holds, where
# frames are the output area's .bv-widget boxes (polled every animation frame).
RUN_AND_WAIT = """async ({ source, wait }) => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  const done = new Function("frames", "before", "return " + wait);
  const frames = () => [...panel.node.querySelectorAll(".bv-widget")];
  const before = frames().map((f) => ({ ready: f.dataset.ready, steps: f.dataset.steps }));
  panel.content.activeCellIndex = panel.content.widgets.length - 1;
  await app.commands.execute("notebook:insert-cell-below");
  panel.content.activeCell.model.sharedModel.setSource(source);
  const t0 = performance.now();
  app.commands.execute("notebook:run-cell");
  while (!done(frames(), before)) await new Promise((r) => requestAnimationFrame(r));
  return performance.now() - t0;
}"""
NEW_WIDGET_READY = "frames.length > before.length && frames.at(-1).dataset.ready === 'true'"
LAST_STEPPED = "Number(frames.at(-1).dataset.steps || 0) > Number(before.at(-1).steps || 0)"


def widget_times(page: Page, rounds: int) -> tuple[float, list[float], dict[int, list[float]]]:
    def run(source: str, wait: str) -> float:
        return float(page.evaluate(RUN_AND_WAIT, {"source": source, "wait": wait}))

    first = f"from app.notebook import Visualizer\nviz = Visualizer('{PRESET}')\nviz"
    cold = run(first, NEW_WIDGET_READY)
    warm: list[float] = []
    steps: dict[int, list[float]] = {speed: [] for speed in SPEEDS}
    for _ in range(rounds):
        warm.append(run(f"viz = Visualizer('{PRESET}')\nviz", NEW_WIDGET_READY))
        for speed in SPEEDS:
            # window.backpropViz is the last widget's hooks: the one just made.
            page.evaluate("(s) => window.backpropViz.setSpeed(s)", speed)
            steps[speed].append(run("viz.step();", LAST_STEPPED))
    return cold, warm, steps


def embed_times(page: Page, base: str, rounds: int) -> tuple[list[float], dict[int, list[float]]]:
    drawn: list[float] = []
    steps: dict[int, list[float]] = {speed: [] for speed in SPEEDS}
    for _ in range(rounds):
        page.goto(f"{base}/embed?preset={PRESET}")
        page.wait_for_function("() => document.body.dataset.ready === 'true'", timeout=60_000)
        drawn.append(
            page.evaluate(
                "() => performance.now() - performance.getEntriesByType('navigation')[0].startTime"
            )
        )
        for speed in SPEEDS:
            page.evaluate("(s) => window.backpropViz.setSpeed(s)", speed)
            steps[speed].append(
                page.evaluate(
                    "async () => { const t0 = performance.now(); await window.backpropViz.run();"
                    " return performance.now() - t0; }"
                )
            )
    return drawn, steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with running_lab() as (lab, _root), running_server() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        open_notebook(page, lab)
        cold, warm, widget_steps = widget_times(page, args.rounds)
        embed = browser.new_page(viewport={"width": 1000, "height": 560})
        drawn, embed_steps = embed_times(embed, server, args.rounds)
        browser.close()
    med = statistics.median
    print("load average", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    print(f"rounds {args.rounds}, medians in ms")
    print(f"{'':36}{'widget (kernel)':>16}{'/embed (HTTP)':>15}")
    print(f"{'Visualizer(…) in a fresh kernel':36}{cold:16.0f}{'':>15}")
    print(f"{'to a drawn network':36}{med(warm):16.0f}{med(drawn):15.0f}")
    for speed in SPEEDS:
        name = f"step to its animation's end, {speed}×"
        print(f"{name:36}{med(widget_steps[speed]):16.0f}{med(embed_steps[speed]):15.0f}")
    print("each round:", [round(x) for x in warm], [round(x) for x in drawn])
    for speed in SPEEDS:
        print(
            f"  steps {speed}×:",
            [round(x) for x in widget_steps[speed]],
            [round(x) for x in embed_steps[speed]],
        )


if __name__ == "__main__":
    main()
