"""Every refusal in the page's language (issue 19, 5): the page words each error type the API
answers from its `type` and `ctx` (static/js/text/messages.js), never in the server's English; and
the status line shows only the latest outcome."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from app.engine.errors import ERROR_TYPES
from tests.api.error_requests import REQUESTS, UNREACHABLE, answer, special_server
from tests.browser.conftest import PageLog, open_page
from tests.browser.helpers import label_selector, state
from tests.browser.test_editor import edit

# A run of two or more English words ("must be", "should be a valid number"). The lecture's
# notation (w¹₂₁, η, x₁), a field or name the API spells (freeze_biases, no-such-example) and
# the names a catalog keeps in English ("leaky ReLU") are not sentences.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,})+")
KEPT_IN_ENGLISH = ("leaky ReLU",)

STATUS = '[data-bind="status"]'
ETA = '[data-control="learning-rate"]'
POPOVER_ERROR = '[data-bind="editor"] .popover-error'

# The types no request reaches over HTTP (UNREACHABLE): items as the API would send them.
NOT_BY_HTTP: dict[str, dict[str, Any]] = {
    "disconnected": {"loc": ["body"], "field": "body", "ctx": {}},
    "invalid": {"loc": ["body", "input", 0], "field": "input[0]", "ctx": {}},
    "not_a_whole_number": {
        "loc": ["body", "network", "layers", 1],
        "field": "network.layers[1]",
        "ctx": {},
    },
    "not_an_object": {"loc": ["body", "network"], "field": "network", "ctx": {}},
    "not_a_list": {
        "loc": ["body", "network", "weights", 0, 1],
        "field": "network.weights[0][1]",
        "ctx": {"expected": 2},
    },
    "wrong_shape": {
        "loc": ["body", "network", "weights", 0],
        "field": "network.weights[0]",
        "ctx": {"expected": [2, 2], "got": [2, 3]},
    },
    "unknown_choice": {
        "loc": ["body", "network", "activations", 0],
        "field": "network.activations[0]",
        "ctx": {"given": "swish", "choices": ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]},
    },
}


# The glossary's English term in parentheses after the Chinese one: 激勵函數（activation function）.
GLOSSARY_TERM = re.compile(r"（[A-Za-z ]+）")


def english_in(text: str) -> list[str]:
    for kept in KEPT_IN_ENGLISH:
        text = text.replace(kept, "")
    return ENGLISH.findall(GLOSSARY_TERM.sub("", text))


@pytest.fixture(scope="module")
def details(base_url: str) -> dict[str, list[dict[str, Any]]]:
    """Each type's `detail` as the server answers it to a real bad request."""
    out: dict[str, list[dict[str, Any]]] = {}
    with (
        special_server() as special_base,
        httpx.Client(base_url=base_url, timeout=30.0) as client,
        httpx.Client(base_url=special_base, timeout=30.0) as special,
    ):
        for kind, request in REQUESTS.items():
            detail = answer(request, client, special).json()["detail"]
            assert detail[0]["type"] == kind, detail
            out[kind] = detail
    for kind, item in NOT_BY_HTTP.items():
        out[kind] = [{**item, "type": kind, "msg": f"the server's English for {kind}"}]
    return out


@pytest.fixture
def zh(browser: Browser, base_url: str, page_log: PageLog) -> Iterator[Page]:
    p = open_page(browser, base_url + "/?lang=zh-TW", page_log)
    yield p
    p.context.close()


WORDED = """async (detail) => {
  // The modules themselves (the page runs them bundled, which exports nothing), switched to
  // the page's language.
  const { setLanguage } = await import("/static/js/text/strings.js");
  setLanguage(document.documentElement.lang.startsWith("zh") ? "zh-TW" : "en");
  const { lectureMessage } = await import("/static/js/text/messages.js");
  return lectureMessage({ status: 422, detail });
}"""


def test_every_error_type_is_worded_in_traditional_chinese(
    zh: Page, details: dict[str, list[dict[str, Any]]]
) -> None:
    assert set(details) == set(ERROR_TYPES) == set(REQUESTS) | set(UNREACHABLE) | set(NOT_BY_HTTP)
    assert zh.evaluate("() => document.documentElement.lang").startswith("zh")
    worded = {kind: zh.evaluate(WORDED, detail) for kind, detail in details.items()}
    english = {kind: (text, english_in(text)) for kind, text in worded.items() if english_in(text)}
    assert english == {}
    for kind, text in worded.items():
        assert re.search(r"[\u4e00-\u9fff]", text), (kind, text)  # Chinese, not an empty shell
        for item in details[kind]:
            assert item["msg"] not in text, (kind, text)
        assert "undefined" not in text and "null" not in text, (kind, text)
    # The parameters come through, and the fields in the lecture's notation.
    assert worded["out_of_range"] == "η：必須大於 0，且最多 1000，收到的是 5000"
    assert worded["abs_too_large"] == "w¹₁₁：絕對值最多只能是 1000000，收到的是 3000000"
    assert worded["float_type"] == "x₁：必須是數字"
    assert worded["greater_than_equal"] == "種子：必須大於或等於 0"


def test_every_error_type_is_worded_in_english_from_its_type(
    page: Page, details: dict[str, list[dict[str, Any]]]
) -> None:
    """The English page too words each type itself: `msg` only for a type it does not know."""
    worded = {kind: page.evaluate(WORDED, detail) for kind, detail in details.items()}
    for kind, text in worded.items():
        assert text and "undefined" not in text, (kind, text)
    assert worded["out_of_range"] == "η: must be greater than 0 and at most 1000, got 5000"
    newer = {"type": "from_a_newer_server", "msg": "Input should be odd"}
    unknown = [{**details["float_type"][0], **newer}]
    assert page.evaluate(WORDED, unknown) == "x₁: should be odd"


def status_text(page: Page) -> str:
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"status\"]').textContent.trim() !== ''"
    )
    return page.inner_text(STATUS)


def test_a_refused_eta_is_said_in_chinese(zh: Page) -> None:
    zh.fill(ETA, "5000")
    zh.press(ETA, "Enter")
    text = status_text(zh)
    assert text.startswith("η：必須大於 0，且最多 1000，收到的是 5000"), text
    assert english_in(text) == [], text


def test_a_refused_seed_is_said_in_chinese(zh: Page) -> None:
    zh.fill('[data-control="seed"]', "-1")
    zh.click('[data-action="reinit"]')
    text = status_text(zh)
    assert "種子：必須大於或等於 0" in text, text
    assert english_in(text) == [], text


def test_a_refused_weight_is_said_in_chinese(zh: Page) -> None:
    before = state(zh)
    edit(zh, label_selector(0, 1, 0), "3e6")
    error = zh.locator(POPOVER_ERROR)
    zh.wait_for_function(
        "() => { const e = document.querySelector('.popover-error'); "
        "return e && e.textContent && e.textContent.includes('3000000'); }"
    )
    text = error.inner_text()
    assert text.startswith("w¹₁₂：絕對值最多只能是 1000000，收到的是 3000000"), text
    assert english_in(text) == [], text
    zh.fill('[data-control="edit-value"]', "abc")
    zh.press('[data-control="edit-value"]', "Enter")
    zh.wait_for_function(
        "() => document.querySelector('.popover-error').textContent.includes('數字')"
    )
    text = error.inner_text()
    assert text.startswith("w¹₁₂：必須是數字"), text
    assert english_in(text) == [], text
    assert state(zh) == before


DIVERGING_RUN = {  # η = 1000 on linear neurons: the loss overflows within a few steps
    "network": {
        "layers": [2, 4, 1],
        "activations": ["linear", "linear"],
        "loss": "squared_error",
        "init": "xavier",
        "seed": 0,
    },
    "dataset": {"name": "plane", "samples": 30},
    "learning_rate": 1000.0,
    "epochs": 50,
    "grid": 0,
}


def test_a_diverged_run_is_said_in_chinese(
    browser: Browser, base_url: str, page_log: PageLog
) -> None:
    p = open_page(browser, base_url + "/?lang=zh-TW&view=training", page_log)
    try:
        done = p.evaluate("b => window.backpropViz.train(b)", DIVERGING_RUN)
        assert done["reason"] == "diverged"
        text = p.inner_text('[data-bind="train-error"]')
        assert text.startswith("在訓練週期 ") and "發散了" in text, text
        assert english_in(text) == [], text
    finally:
        p.context.close()


def test_the_status_line_clears_once_the_next_action_goes_through(page: Page) -> None:
    page.fill(ETA, "0")
    page.press(ETA, "Enter")
    assert "greater than 0" in status_text(page)
    assert page.locator(STATUS).evaluate("e => e.classList.contains('error')")
    # Step plays (the η in use is fine): the old refusal no longer stands.
    page.click('[data-action="step"]')
    page.wait_for_function("() => window.backpropViz.store.state.playback.cursor > 0")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"status\"]').textContent === ''"
    )
    assert not page.locator(STATUS).evaluate("e => e.classList.contains('error')")
    # Refused again, then a training run that starts: the same.
    page.fill(ETA, "abc")
    page.press(ETA, "Enter")
    assert "number" in status_text(page)
    run = {**DIVERGING_RUN, "learning_rate": 0.01, "epochs": 2}
    done = page.evaluate("b => window.backpropViz.train(b)", run)
    assert done["reason"] == "epochs"
    assert page.inner_text(STATUS) == ""
