"""Streams that end early, and a busy server: the page stops cleanly, says so in its own
language, and goes on from where the run was.

Each test answers part of the REAL stream (Playwright's route fetches the server's answer and
passes on only its first lines, then closes: a proxy's timeout or a restarted server does
this), refuses a request with the server's own 503, or fails the network; then it checks what
the student sees and that Train or Step picks the work up again from the right point."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Route

from tests.browser.conftest import DATA_READY, IDLE, PageLog, open_page
from tests.browser.pages import bits

TRAIN = "**/api/v1/train/stream"
TRACE = "**/api/v1/trace/stream"
RUN = "() => window.backpropViz.store.state.training.run"
ERROR = '[data-bind="train-error"]'
CONTROLS = ("train", "train-batch", "train-epoch")

# What the page says, in each language (static/js/text/strings.js, static/js/text/i18n/zh-TW.js).
LOST_TRAIN = {
    "en": "The connection to the server was lost at epoch {0}. "
    "Press Train to go on from epoch {1}.",
    "zh-TW": "與伺服器的連線在訓練週期 {0} 中斷了。請按「訓練」從訓練週期 {1} 繼續。",
}
FAILED = {"en": "The connection to the server failed.", "zh-TW": "無法連線到伺服器。"}
LOST_STEP = {
    "en": "The connection to the server was lost during this step. Press Step to try it again.",
    "zh-TW": "這一步進行到一半時，與伺服器的連線中斷了。請按「單步」再試一次。",
}
# The browser's own words for a failed fetch: never on the page.
RAW = ("Failed to fetch", "NetworkError", "network error", "Load failed", "The server refused")


class Cutter:
    """A route handler: the n-th request gets the first `cuts[n]` lines of the server's real
    answer, then the stream closes without its done event; past the list, the whole answer."""

    def __init__(self, cuts: list[int]) -> None:
        self.cuts = cuts
        self.bodies: list[dict[str, Any]] = []
        self.passed: list[list[dict[str, Any]]] = []  # the lines each cut request passed on

    def __call__(self, route: Route) -> None:
        self.bodies.append(json.loads(route.request.post_data or "{}"))
        n = len(self.bodies) - 1
        if n >= len(self.cuts):
            route.continue_()
            return
        response = route.fetch()
        lines = response.text().splitlines()[: self.cuts[n]]
        self.passed.append([json.loads(line) for line in lines])
        body = "".join(line + "\n" for line in lines)
        route.fulfill(status=200, headers={"content-type": "application/x-ndjson"}, body=body)


def last(events: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    return [e for e in events if e["type"] == kind][-1]


def training_page(browser: Any, base_url: str, log: PageLog, lang: str, reader: str) -> Page:
    p = open_page(browser, f"{base_url}/?view=training&lang={lang}", log)
    if reader == "main":  # the page's own thread instead of the stream worker
        p.evaluate("() => { window.backpropVizNoWorker = true; }")
    p.wait_for_function(DATA_READY)
    # The fastest speed (a report every 10 epochs, no pace) and 200 epochs: 21 reports.
    p.evaluate(
        """() => { const s = document.querySelector('[data-control="train-speed"]');
                   s.value = '4'; s.dispatchEvent(new Event('change')); }"""
    )
    p.fill('[data-control="max-epochs"]', "200")
    p.dispatch_event('[data-control="max-epochs"]', "change")
    return p


def controls_enabled(p: Page) -> bool:
    return all(p.is_enabled(f'[data-action="{name}"]') for name in CONTROLS)


def no_raw_text(p: Page) -> None:
    text = p.inner_text("body")
    for raw in RAW:
        assert raw not in text, raw


@pytest.fixture
def closing() -> Iterator[list[Page]]:
    pages: list[Page] = []
    yield pages
    for p in pages:
        p.context.close()


@pytest.mark.parametrize(("lang", "reader"), [("en", "worker"), ("zh-TW", "main")])
def test_a_training_stream_cut_short_stops_the_page_and_train_goes_on(
    browser: Any,
    base_url: str,
    page_log: PageLog,
    api: httpx.Client,
    closing: list[Page],
    artifacts: Path,
    lang: str,
    reader: str,
) -> None:
    """Cut after an epoch event whose snapshot never came: the page stops (running cleared,
    the controls back), tries once by itself from the latest snapshot, is cut again, says
    so in its language; Train then continues from that snapshot with its optimizer state,
    and the run ends where an uninterrupted one does, bit for bit."""
    p = training_page(browser, base_url, page_log, lang, reader)
    closing.append(p)
    p.select_option('[data-control="optimizer"]', "momentum")  # a state to carry over
    # 1 start + (epoch, snapshot) × 12 + the 13th report's epoch event: epoch 120, θ at 110.
    # The retry from epoch 110: its start, the report at 110 again and the epoch event at 120.
    cutter = Cutter([26, 4])
    p.context.route(TRAIN, cutter)
    p.click('[data-action="train"]')
    p.wait_for_function(
        "() => window.backpropViz.store.state.training.run.running === false"
        " && document.querySelector('[data-bind=\"train-error\"]').textContent.length > 0"
        " && !document.querySelector('[data-bind=\"train-error\"]').textContent.endsWith('…')",
        timeout=20000,
    )
    assert len(cutter.bodies) == 2, "one retry by itself, no more"
    first, retry = cutter.passed
    lost_at, snapshot = last(retry, "epoch")["epoch"], last(retry, "snapshot")
    assert lost_at > snapshot["epoch"]
    # The retry went on from the first stream's latest snapshot, with its optimizer state.
    before = last(first, "snapshot")
    assert cutter.bodies[1]["start_epoch"] == before["epoch"]
    assert cutter.bodies[1]["network"] == before["network"]
    assert cutter.bodies[1]["optimizer_state"] == before["optimizer_state"]
    # Stopped cleanly, and said so in the page's language.
    assert p.evaluate(IDLE)
    assert controls_enabled(p)
    assert not p.is_enabled('[data-action="train-pause"]')
    assert p.inner_text(ERROR) == LOST_TRAIN[lang].format(lost_at, snapshot["epoch"])
    no_raw_text(p)
    p.screenshot(path=str(artifacts / f"stream-lost-{lang}.png"))
    # The drawing shows θ as the latest snapshot had it.
    assert p.evaluate("() => window.backpropViz.state().network") == snapshot["network"]
    # Train: on from that snapshot with its optimizer state, to the end.
    p.click('[data-action="train"]')
    p.wait_for_function(
        "() => { const r = window.backpropViz.store.state.training.run;"
        " return !r.running && r.done && r.done.epoch === 200; }",
        timeout=30000,
    )
    resumed = cutter.bodies[2]
    assert resumed["start_epoch"] == snapshot["epoch"]
    assert resumed["network"] == snapshot["network"]
    assert resumed["optimizer_state"] == snapshot["optimizer_state"]
    assert p.inner_text(ERROR) == ""
    # The same run as one that was never cut: θ at epoch 200 to the last bit.
    whole = {**cutter.bodies[0], "epochs": 200}
    whole.pop("pace", None)
    r = api.post("/api/v1/train/stream", json=whole)
    done = [json.loads(line) for line in r.text.splitlines()][-1]
    assert done["epoch"] == 200
    page_done = p.evaluate(RUN)["done"]
    assert bits(page_done["network"]) == bits(done["network"])
    assert page_log.page_errors == []


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_network_failure_is_said_in_the_pages_words(
    browser: Any, base_url: str, page_log: PageLog, closing: list[Page], lang: str
) -> None:
    """No server answer at all (the network failed): the page's sentence, never the
    browser's "Failed to fetch" nor "the server refused"; training and the step alike."""
    p = training_page(browser, base_url, page_log, lang, "worker")
    closing.append(p)
    p.context.route(TRAIN, lambda route: route.abort("connectionreset"))
    p.click('[data-action="train-epoch"]')
    p.wait_for_function(
        "() => document.querySelector('[data-bind=\"train-error\"]').textContent.length > 0"
        " && !window.backpropViz.store.state.training.run.running",
        timeout=20000,
    )
    assert p.inner_text(ERROR) == FAILED[lang]
    assert controls_enabled(p)
    # The step's trace stream, likewise. The shown step's events came with its check (one
    # request per edit), so the step that streams is the next one, from θ¹.
    p.evaluate("() => window.backpropViz.run(1000)")
    p.context.route(TRACE, lambda route: route.abort("connectionreset"))
    p.click('[data-action="step"]')
    p.wait_for_function("() => !!window.backpropViz.store.state.playback.error")
    assert p.inner_text('[data-bind="caption"]') == FAILED[lang]
    no_raw_text(p)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_a_trace_stream_cut_short_says_so_and_step_asks_again(
    page_log: PageLog, browser: Any, base_url: str, closing: list[Page], lang: str
) -> None:
    p = open_page(browser, f"{base_url}/?lang={lang}", page_log)
    closing.append(p)
    p.evaluate("() => window.backpropViz.setSpeed(1000)")
    cutter = Cutter([7])
    p.context.route(TRACE, cutter)
    p.click('[data-action="step"]')
    p.wait_for_function("() => !!window.backpropViz.store.state.playback.error")
    assert p.inner_text('[data-bind="caption"]') == LOST_STEP[lang]
    no_raw_text(p)
    # Step again: the same step asked for afresh, played to its end, from the same θ⁰.
    p.click('[data-action="step"]')
    p.wait_for_function("() => window.backpropViz.store.state.playback.finished", timeout=20000)
    assert len(cutter.bodies) == 2
    assert cutter.bodies[1] == cutter.bodies[0]
    events = p.evaluate("() => window.backpropViz.player.events")
    assert events[-1]["type"] == "done"
    assert events[: len(cutter.passed[0])] == cutter.passed[0]
    assert p.evaluate("() => window.backpropViz.store.state.playback.error") is None


def busy_once(calls: list[float]) -> Callable[[Route], None]:
    """The server's own 503 (the stream cap: Retry-After 1) for the first request. The
    training view's epochs-0 preview (the pictures of θ as it is) goes through uncounted:
    on a busy machine it can still be on its way when the test presses a button."""

    def handle(route: Route) -> None:
        body = route.request.post_data_json
        if isinstance(body, dict) and body.get("epochs") == 0:
            route.continue_()
            return
        calls.append(time.monotonic())
        if len(calls) > 1:
            route.continue_()
            return
        detail = [
            {
                "loc": ["server", "streams"],
                "field": "server.streams",
                "msg": "1 stream is open, the most this server runs at once; try again in 1 s",
                "type": "too_many_streams",
            }
        ]
        route.fulfill(
            status=503,
            headers={"content-type": "application/json", "retry-after": "1"},
            body=json.dumps({"detail": detail}),
        )

    return handle


@pytest.mark.parametrize("reader", ["worker", "main"])
def test_a_busy_server_is_asked_again_after_its_retry_after(
    browser: Any, base_url: str, page_log: PageLog, closing: list[Page], reader: str
) -> None:
    p = training_page(browser, base_url, page_log, "en", reader)
    closing.append(p)
    calls: list[float] = []
    p.context.route(TRAIN, busy_once(calls))
    p.click('[data-action="train-epoch"]')
    p.wait_for_function(
        "() => { const r = window.backpropViz.store.state.training.run;"
        " return !r.running && !!r.done; }",
        timeout=20000,
    )
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.9
    assert p.inner_text(ERROR) == ""
    no_raw_text(p)


def test_a_busy_server_is_asked_again_for_the_step(
    browser: Any, base_url: str, page_log: PageLog, closing: list[Page]
) -> None:
    p = open_page(browser, f"{base_url}/", page_log)
    closing.append(p)
    p.evaluate("() => window.backpropViz.setSpeed(1000)")
    calls: list[float] = []
    p.context.route(TRACE, busy_once(calls))
    p.click('[data-action="step"]')
    p.wait_for_function("() => window.backpropViz.store.state.playback.finished", timeout=20000)
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.9
    assert p.evaluate("() => window.backpropViz.store.state.playback.error") is None
    assert p.evaluate("() => window.backpropViz.player.events.at(-1).type") == "done"
    no_raw_text(p)
