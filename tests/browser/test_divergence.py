"""A run that diverges, and the student who lowers η and goes on.

Plane (regression), a large η, Train: the run stops at the last θ the API accepts (every w
and b within max_abs_value), the page says what happened and what to do in its language, the
loss chart stops at the divergence and its labels stay readable on both scales; then Step
works from that θ, and Train with a small η goes on from it with no refusal."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DATA_READY, PageLog, open_page

RUN = "() => window.backpropViz.store.state.training.run"
ERROR = '[data-bind="train-error"]'
STOPPED = (
    "() => { const r = window.backpropViz.store.state.training.run;"
    " return !r.running && !!r.done; }"
)
DIVERGED = {
    "en": "Diverged at epoch {0}: η is too large, and the weights grew without bound. θ is back "
    "at epoch {1}'s, the last good one: lower η and press Train to go on from there.",
    "zh-TW": "在訓練週期 {0} 發散了：η 太大，權重無止境地變大。θ 已回到訓練週期 {1} 的值，"
    "也就是最後一個正常的值：請調低 η，再按「訓練」從那裡繼續。",
}
MARK = {"en": "diverged", "zh-TW": "發散"}

# Every y label of the chart: its text and box, and the chart's box.
CHART_LABELS = """() => {
  const svg = document.querySelector('svg.loss-chart');
  const box = svg.getBoundingClientRect();
  const labels = [...svg.querySelectorAll('.axis.y text')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left - box.left, right: r.right - box.left,
            top: r.top - box.top, bottom: r.bottom - box.top};
  });
  const mark = svg.querySelector('.diverged');
  return {width: box.width, height: box.height, labels,
          mark: mark && getComputedStyle(mark).display !== 'none' ? mark.textContent : null};
}"""


@pytest.fixture
def tpage(browser: Browser, base_url: str, page_log: PageLog, request: Any) -> Iterator[Page]:
    lang = request.param
    p = open_page(browser, f"{base_url}/?view=training&lang={lang}", page_log)
    p.wait_for_function(DATA_READY)
    yield p
    p.context.close()


def set_eta(p: Page, eta: str) -> None:
    p.fill('[data-control="train-eta"]', eta)
    p.dispatch_event('[data-control="train-eta"]', "change")


def within(network: dict[str, Any], limit: float) -> bool:
    def flat(x: Any) -> Iterator[float]:
        if isinstance(x, list):
            for v in x:
                yield from flat(v)
        else:
            yield x

    values = [*flat(network["weights"]), *flat(network["biases"])]
    return all(abs(v) <= limit for v in values)


def readable(chart: dict[str, Any]) -> None:
    """No y label cut at the chart's edge, none on top of another."""
    labels = sorted(chart["labels"], key=lambda r: r["top"])
    assert len(labels) >= 2, chart
    for r in labels:
        assert r["left"] >= 0 and r["right"] <= chart["width"], r
        assert r["top"] >= 0 and r["bottom"] <= chart["height"], r
    for a, b in pairwise(labels):
        assert a["bottom"] <= b["top"] + 0.5, (a, b)


@pytest.mark.parametrize(
    ("tpage", "eta"), [("en", "5"), ("zh-TW", "5")], indirect=["tpage"], ids=["en", "zh-TW"]
)
def test_a_diverged_run_goes_on_with_a_smaller_eta(
    tpage: Page, eta: str, page_log: PageLog, api: httpx.Client, artifacts: Path, request: Any
) -> None:
    p = tpage
    lang = "zh-TW" if "zh-TW" in request.node.name else "en"
    limit = api.get("/api/v1/capabilities").json()["limits"]["max_abs_value"]
    p.click('button.dataset[data-dataset="plane"]')
    p.wait_for_function("() => window.backpropViz.store.state.training.data.kind === 'regression'")
    # A report every epoch, no pace: the chart has a point each epoch up to the divergence.
    p.evaluate(
        """() => { const s = document.querySelector('[data-control="train-speed"]');
                   s.value = '2'; s.dispatchEvent(new Event('change')); }"""
    )
    set_eta(p, eta)
    p.click('[data-action="train"]')
    p.wait_for_function(STOPPED, timeout=30000)
    run = p.evaluate(RUN)
    done, problem = run["done"], run["problem"]
    assert done["reason"] == "diverged" and problem["type"] == "diverged"
    # The last θ the API accepts: in the drawing, the done event's, within the limits.
    assert within(done["network"], limit)
    assert p.evaluate("() => window.backpropViz.state().network") == done["network"]
    assert run["history"][-1]["epoch"] == done["epoch"], "the chart stops at that θ"
    assert problem["epoch"] > done["epoch"]
    assert p.inner_text(ERROR) == DIVERGED[lang].format(problem["epoch"], done["epoch"])
    # The chart, on both scales: marked where it diverged, every label whole and apart.
    for log in (False, True):
        p.set_checked('[data-control="log-scale"]', log)
        p.wait_for_timeout(200)  # the chart redraws at the next animation frame
        chart = p.evaluate(CHART_LABELS)
        readable(chart)
        assert chart["mark"] == MARK[lang]
        name = f"diverged-chart-{'log' if log else 'linear'}-{lang}.png"
        p.locator(".loss-chart-box").screenshot(path=str(artifacts / name))
    p.screenshot(path=str(artifacts / f"diverged-{lang}.png"))

    # Step from that θ: the trace is computed, not refused.
    p.evaluate("() => window.backpropViz.setSpeed(1000)")
    p.click('[data-action="step"]')
    p.wait_for_function("() => window.backpropViz.store.state.playback.finished", timeout=20000)
    assert p.evaluate("() => window.backpropViz.store.state.playback.error") is None

    # A small η and Train: on from that θ (its epoch), trained, no refusal.
    p.evaluate("() => window.backpropViz.player.seek(0)")
    set_eta(p, "0.01")
    p.fill('[data-control="max-epochs"]', str(done["epoch"] + 20))
    p.dispatch_event('[data-control="max-epochs"]', "change")
    p.click('[data-action="train"]')
    p.wait_for_function(
        "e => { const r = window.backpropViz.store.state.training.run;"
        " return !r.running && r.done && r.done.epoch === e; }",
        arg=done["epoch"] + 20,
        timeout=30000,
    )
    after = p.evaluate(RUN)
    assert after["done"]["reason"] == "epochs" and after["problem"] is None
    assert p.inner_text(ERROR) == ""
    epochs = [h["epoch"] for h in after["history"]]
    assert epochs == sorted(set(epochs)) and epochs[-1] == done["epoch"] + 20
    assert after["history"][-1]["train_loss"] < run["history"][-1]["train_loss"]
    assert [r for r in page_log.failed() if "/api/" in r[1]] == []
    assert page_log.page_errors == []
