"""Issue 19, parts 6 and 7: one η for the step and the training view (a change in either is
the change of both, refused the same way); focus at load; typed numbers Number() would
misread (0x10, 1e-400) refused with their reason; one formatter in the mini-batch table;
every frame titled by its preset's title."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Request

from tests.browser.conftest import PageLog, open_page

DATA_READY = "() => { const t = window.backpropViz.store.state.training; return !!(t && t.data); }"
IDLE = "() => !window.backpropViz.training().running"
TOOLBAR_ETA = '[data-control="learning-rate"]'
TRAIN_ETA = '[data-control="train-eta"]'
STATUS = '[data-bind="status"]'


@pytest.fixture
def tpage(browser: Browser, base_url: str, page_log: PageLog) -> Iterator[Page]:
    """The page with the training view open and its data loaded."""
    p = open_page(browser, base_url + "/?view=training", page_log)
    p.wait_for_function(DATA_READY)
    yield p
    p.context.close()


def state(page: Page) -> dict[str, Any]:
    return page.evaluate("() => window.backpropViz.state()")


def settings_eta(page: Page) -> Any:
    return page.evaluate("() => window.backpropViz.store.state.training.settings.learning_rate")


def posted(request: Request) -> dict[str, Any]:
    body = request.post_data
    assert body is not None
    data: dict[str, Any] = json.loads(body)
    return data


def type_eta(page: Page, selector: str, text: str) -> None:
    """Type η into a field and commit it as a user does (Enter, then leaving the field)."""
    page.fill(selector, text)
    page.press(selector, "Enter")
    page.dispatch_event(selector, "change")


# ---- 6. one η ----------------------------------------------------------------------------


def test_the_training_view_opens_with_the_steps_eta(tpage: Page) -> None:
    # The worked example's η is 0.5: the training view shows and uses the same, not 0.03.
    assert state(tpage)["learning_rate"] == 0.5
    assert tpage.input_value(TOOLBAR_ETA) == "0.5"
    assert tpage.input_value(TRAIN_ETA) == "0.5"
    assert settings_eta(tpage) == 0.5


def test_eta_typed_in_the_toolbar_is_the_training_runs(tpage: Page, page_log: PageLog) -> None:
    type_eta(tpage, TOOLBAR_ETA, "0.2")
    tpage.wait_for_function("() => window.backpropViz.state().learning_rate === 0.2")
    assert tpage.input_value(TRAIN_ETA) == "0.2"
    assert settings_eta(tpage) == 0.2
    with tpage.expect_request(lambda r: r.url.endswith("/train/stream")) as req:
        tpage.click('[data-action="train-batch"]')
    assert posted(req.value)["learning_rate"] == 0.2
    tpage.wait_for_function(IDLE)
    assert page_log.page_errors == []


def test_eta_typed_in_the_training_view_is_the_steps(tpage: Page, page_log: PageLog) -> None:
    type_eta(tpage, TRAIN_ETA, "0.07")
    tpage.wait_for_function("() => window.backpropViz.state().learning_rate === 0.07")
    assert tpage.input_value(TOOLBAR_ETA) == "0.07"
    assert settings_eta(tpage) == 0.07
    with tpage.expect_request(lambda r: "/trace" in r.url and r.method == "POST") as req:
        tpage.click('.player [data-action="step"]')
    assert posted(req.value)["learning_rate"] == 0.07
    # ... and the next training run's too.
    with tpage.expect_request(lambda r: r.url.endswith("/train/stream")) as run:
        tpage.click('[data-action="train-batch"]')
    assert posted(run.value)["learning_rate"] == 0.07
    tpage.wait_for_function(IDLE)
    assert page_log.page_errors == []


def status_after(page: Page, selector: str, text: str) -> str:
    page.evaluate("() => { document.querySelector('[data-bind=\"status\"]').textContent = ''; }")
    type_eta(page, selector, text)
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"status\"]').textContent.includes('η')"
    )
    return page.inner_text(STATUS)


@pytest.mark.parametrize("typed", ["abc", "-1", "0x10", "1e-400"])
def test_a_refused_eta_is_refused_the_same_in_both_fields(tpage: Page, typed: str) -> None:
    from_toolbar = status_after(tpage, TOOLBAR_ETA, typed)
    assert tpage.input_value(TOOLBAR_ETA) == "0.5"
    assert tpage.input_value(TRAIN_ETA) == "0.5"
    from_training = status_after(tpage, TRAIN_ETA, typed)
    assert tpage.input_value(TOOLBAR_ETA) == "0.5"
    assert tpage.input_value(TRAIN_ETA) == "0.5"
    assert from_training == from_toolbar
    assert from_toolbar.endswith("η stays 0.5.")
    assert state(tpage)["learning_rate"] == 0.5
    assert settings_eta(tpage) == 0.5


def test_a_link_carries_the_one_eta_into_the_training_view(
    browser: Browser, base_url: str, page_log: PageLog
) -> None:
    p = open_page(browser, base_url + "/", page_log)
    try:
        type_eta(p, TOOLBAR_ETA, "0.125")
        p.wait_for_function("() => window.backpropViz.state().learning_rate === 0.125")
        link = p.evaluate("() => window.backpropViz.link()")
        p.goto(link + "&view=training")
        p.wait_for_function(DATA_READY)
        assert p.input_value(TRAIN_ETA) == "0.125"
        assert settings_eta(p) == 0.125
    finally:
        p.context.close()
