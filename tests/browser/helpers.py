"""Reading the page's hooks: data-* attributes on neurons and links, window.backpropViz."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.browser.conftest import FAST

NEURONS_JS = """() => [...document.querySelectorAll('svg.network .neuron')].map(n => ({
  layer: +n.dataset.layer, node: +n.dataset.node,
  z: n.dataset.z ?? null, a: n.dataset.a ?? null, dl_dz: n.dataset.dlDz ?? null,
}))"""

LINKS_JS = """() => [...document.querySelectorAll('svg.network .link')].map(l => ({
  layer: +l.dataset.layer, from: +l.dataset.from, to: +l.dataset.to,
  w: l.dataset.w ?? null, dl_dw: l.dataset.dlDw ?? null,
  stroke: l.querySelector('path.stroke').style.stroke,
  width: l.querySelector('path.stroke').style.strokeWidth,
}))"""


def neurons(page: Page) -> list[dict[str, Any]]:
    return page.evaluate(NEURONS_JS)


def links(page: Page) -> list[dict[str, Any]]:
    return page.evaluate(LINKS_JS)


def state(page: Page) -> dict[str, Any]:
    return page.evaluate("() => window.backpropViz.state()")


def load(page: Page, request: dict[str, Any]) -> None:
    page.evaluate("r => window.backpropViz.load(r)", request)


def run(page: Page, speed: float = FAST) -> dict[str, Any]:
    """Animate one full step; returns the final "done" event once it has been animated."""
    return page.evaluate("s => window.backpropViz.run(s)", speed)


def link_selector(layer: int, i: int, j: int) -> str:
    return f'svg.network .link[data-layer="{layer}"][data-from="{i}"][data-to="{j}"]'


def close(a: str | None, b: float, tol: float = 1e-12) -> bool:
    return a is not None and abs(float(a) - b) <= tol


def label_selector(layer: int, i: int, j: int) -> str:
    """A weight's number on the drawing (shown when there is room for it)."""
    return f'svg.network .wlabel[data-layer="{layer}"][data-from="{i}"][data-to="{j}"]'


def wide_request(layers: list[int]) -> dict[str, Any]:
    """A trace request for any layers: tanh hidden layers, a sigmoid output, xavier θ⁰."""
    return {
        "network": {
            "layers": layers,
            "activations": ["tanh"] * (len(layers) - 2) + ["sigmoid"],
            "loss": "squared_error",
            "init": "xavier",
            "seed": 1,
        },
        "input": [0.5 if i % 2 == 0 else -0.25 for i in range(layers[0])],
        "target": [0.2 if j % 2 == 0 else 0.8 for j in range(layers[-1])],
        "learning_rate": 0.5,
    }
