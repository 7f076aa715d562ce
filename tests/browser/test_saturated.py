"""Saturated values: where σ saturates, BCE and cross-entropy report ∂l/∂a clamped near the
float maximum (1/tiny ≈ 4.49·10³⁰⁷, docs/api.md). The page shows them as sent and never
multiplies them into an overflow: no "Infinity" or "NaN" anywhere it writes, at every stop
of the step and in the equation panel, and no error."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.browser.conftest import PageLog
from tests.browser.helpers import load, run

BCE = {
    "network": {
        "layers": [1, 1],
        "activations": ["sigmoid"],
        "loss": "binary_cross_entropy",
        "weights": [[[1e6]]],
        "biases": [[0.0]],
    },
    "input": [1e6],
    "target": [0.0],
    "learning_rate": 1000,
}
CROSS_ENTROPY = {
    "network": {
        "layers": [1, 2],
        "activations": ["softmax"],
        "loss": "cross_entropy",
        "weights": [[[1e6], [-1e6]]],
        "biases": [[0.0, 0.0]],
    },
    "input": [1e6],
    "target": [0.0, 1.0],
    "learning_rate": 1000,
}
OVERFLOWED = re.compile(r"Infinity|NaN|∞")


def _written(page: Page) -> str:
    """Every text and accessible name the page shows, the panel and the captions included."""
    return page.evaluate(
        """() => [
          document.body.innerText,
          ...[...document.querySelectorAll('[aria-label],[title]')].map(
            (e) => `${e.getAttribute('aria-label') || ''} ${e.getAttribute('title') || ''}`),
          ...[...document.querySelectorAll('svg text')].map((t) => t.textContent),
        ].join('\\n')"""
    )


@pytest.mark.parametrize("request_body", [BCE, CROSS_ENTROPY], ids=["bce", "cross-entropy"])
def test_saturated_gradients_are_drawn_as_sent(
    page: Page, page_log: PageLog, api: httpx.Client, request_body: dict[str, Any]
) -> None:
    answer = api.post("/api/v1/trace", json=request_body).json()
    dl_da = answer["layers"][-1]["dl_da"]
    assert max(abs(v) for v in dl_da) > 1e307  # the oracle: the server did saturate

    load(page, request_body)
    run(page)
    texts = {}
    for pick in ({"kind": "loss"}, {"kind": "bias", "layer": 1, "node": 0}):
        page.evaluate("p => window.backpropViz.explain(p)", pick)
        page.wait_for_function("() => document.querySelector('.katex') !== null")
        texts[pick["kind"]] = _written(page)
    for text in texts.values():
        assert not OVERFLOWED.findall(text), OVERFLOWED.findall(text)
    # ∂l/∂a of the output, as sent (4 digits, ×10^307 in TeX), in the loss's panel.
    assert re.search(r"4\.494\s*×\s*10\s*307", texts["loss"]), texts["loss"][-1500:]
    if request_body is BCE:
        # The neuron's ∂l/∂z is the server's closed form, not "0 × 4.494·10³⁰⁷ = 1".
        assert "(a − t)/K" in texts["bias"]
        assert not re.search(r"0\s*×\s*4\.494", texts["bias"])
    assert not page_log.page_errors and not page_log.console_errors
