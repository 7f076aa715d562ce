"""Helpers for the link and embed-page tests: fresh pages, the notes line, exact (bit for bit)
comparison of requests, colours, boxes and a point on the drawing's bare background."""

from __future__ import annotations

import itertools
import math
import random
import re
import struct
from typing import Any

from playwright.sync_api import Browser, Frame, Page

from tests.browser.conftest import PageLog, open_page

READY = "() => document.body.dataset.ready === 'true'"


def fresh(browser: Browser, url: str, log: PageLog, width: int = 1280, height: int = 800) -> Page:
    """`url` in a new context (no shared history, storage or cache), once the page is ready."""
    return open_page(browser, url, log, viewport={"width": width, "height": height})


def notes(page: Page | Frame) -> dict[str, Any]:
    """The parameter notes: their text, and whether they are on screen."""
    return page.evaluate(
        """() => {
          const el = document.querySelector('[data-bind="notes"]');
          if (!el) return {exists: false, text: '', shown: false};
          const r = el.getBoundingClientRect();
          const cs = getComputedStyle(el);
          return {exists: true, text: el.textContent, shown: !el.hidden && r.width > 0 &&
                  r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none'};
        }"""
    )


# ---- exact comparison --------------------------------------------------------------------


def bits(value: Any) -> Any:
    """`value` with every number replaced by the 8 bytes of its double (so -0.0 is not 0.0
    and 0.30000000000000004 is not 0.3); booleans and strings stay as they are."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return struct.pack("<d", float(value)).hex()
    if isinstance(value, list):
        return [bits(v) for v in value]
    if isinstance(value, dict):
        return {k: bits(v) for k, v in value.items()}
    raise TypeError(f"unexpected {type(value).__name__} in a request: {value!r}")


def assert_same_request(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert got == want
    assert bits(got) == bits(want)


# ---- random trace requests with awkward numbers ------------------------------------------

AWKWARD: list[float | int] = [
    0.1 + 0.2,  # 0.30000000000000004
    1e-300,
    -123456.789,
    5e-324,  # the smallest subnormal
    -5e-324,
    -0.0,
    0,
    1,
    -7,
    123456,
    1 / 3,
    -2 / 3,
    2.2250738585072014e-308,  # the smallest normal
    999999.9999999999,
    0.1,
    -1e-7,
    math.pi,
    -math.e,
]
HIDDEN = ["sigmoid", "tanh", "relu", "linear"]
OUTPUT = ["sigmoid", "linear"]
LOSSES = ["squared_error", "mse"]


def awkward(rng: random.Random) -> float | int:
    return rng.choice(AWKWARD) if rng.random() < 0.6 else rng.uniform(-3, 3)


def random_request(rng: random.Random) -> dict[str, Any]:
    """2–5 layers (input included) of 1–6 neurons, every parameter given explicitly."""
    layers = [rng.randint(1, 6) for _ in range(rng.randint(2, 5))]
    activations = [rng.choice(HIDDEN) for _ in layers[1:-1]] + [rng.choice(OUTPUT)]
    weights = [
        [[awkward(rng) for _ in range(n_in)] for _ in range(n_out)]
        for n_in, n_out in itertools.pairwise(layers)
    ]
    biases = [[awkward(rng) for _ in range(n)] for n in layers[1:]]
    request: dict[str, Any] = {
        "network": {
            "layers": layers,
            "activations": activations,
            "loss": rng.choice(LOSSES),
            "weights": weights,
            "biases": biases,
        },
        "input": [awkward(rng) for _ in range(layers[0])],
        "target": [awkward(rng) for _ in range(layers[-1])],
        "learning_rate": rng.choice([0.1 + 0.2, 0.5, 1, 1e-300, 5e-324, 999.999, 0.05]),
    }
    if rng.random() < 0.5:
        request["freeze_biases"] = rng.random() < 0.5
    return request


# ---- colours -----------------------------------------------------------------------------


def parse_rgb(css: str) -> tuple[float, float, float, float]:
    m = re.fullmatch(r"rgba?\(([^)]*)\)", css.strip())
    assert m, f"not an rgb() colour: {css!r}"
    parts = [float(p) for p in re.split(r"[,\s/]+", m.group(1).strip()) if p]
    r, g, b = parts[:3]
    return r, g, b, parts[3] if len(parts) > 3 else 1.0


def luminance(css: str) -> float:
    """WCAG relative luminance of an opaque CSS rgb() colour."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b, _ = parse_rgb(css)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def page_background(page: Page) -> str:
    """The colour behind the page: body's background, else html's (an opaque one is required)."""
    colours = page.evaluate(
        """() => [document.body, document.documentElement]
          .map((el) => getComputedStyle(el).backgroundColor)"""
    )
    for css in colours:
        if parse_rgb(css)[3] > 0.99:
            return css
    raise AssertionError(f"neither body nor html has an opaque background: {colours}")


# ---- geometry ----------------------------------------------------------------------------

# A point of svg.network where nothing is drawn that reacts to a click (no neuron, link,
# label, target, loss box, header or control): the drawing's bare background, in the
# frame's own coordinates.
BACKGROUND_POINT_JS = """() => {
  const svg = document.querySelector('svg.network');
  const r = svg.getBoundingClientRect();
  const busy = '.neuron, .link, .wlabel, .target, .loss-node, button, select, input, a, ' +
               '[tabindex], .layer-headers *';
  for (let fy = 0.02; fy < 1; fy += 0.04) {
    for (let fx = 0.02; fx < 1; fx += 0.04) {
      const x = r.left + fx * r.width, y = r.top + fy * r.height;
      const el = document.elementFromPoint(x, y);
      if (el && svg.contains(el) && !el.closest(busy)) return {x, y};
    }
  }
  return null;
}"""


def background_point(page: Page | Frame) -> tuple[float, float]:
    point = page.evaluate(BACKGROUND_POINT_JS)
    assert point is not None, "no bare background point on the drawing"
    return point["x"], point["y"]


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """The smaller side of the intersection of two boxes {left, top, right, bottom} (0: none)."""
    w = min(a["right"], b["right"]) - max(a["left"], b["left"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return max(0.0, min(w, h))
