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

from tests.browser.conftest import DATA_READY, IDLE, PageLog, open_page

TOOLBAR_ETA = '[data-control="learning-rate"]'
TRAIN_ETA = '[data-control="train-eta"]'
STATUS = '[data-bind="status"]'


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
    # The step's check (POST /trace) brings the events Step plays (test_one_request.py).
    with tpage.expect_request(lambda r: r.url.endswith("/trace") and r.method == "POST") as req:
        type_eta(tpage, TRAIN_ETA, "0.07")
    tpage.wait_for_function("() => window.backpropViz.state().learning_rate === 0.07")
    assert tpage.input_value(TOOLBAR_ETA) == "0.07"
    assert settings_eta(tpage) == 0.07
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


# ---- 7. focus at load ------------------------------------------------------------------------

FOCUS = """() => {
  const a = document.activeElement;
  const all = document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]');
  const first = [...all].find((el) => el.tabIndex >= 0 && !el.disabled && el.offsetParent !== null);
  return {
    tag: a ? a.tagName : null,
    action: a && a.dataset ? a.dataset.action || null : null,
    onFirst: a === first,
    visible: !!document.querySelector(':focus-visible'),
  };
}"""


@pytest.mark.parametrize("query", ["", "?view=training", "?view=training&lang=zh-TW"])
def test_focus_is_nowhere_visible_at_load(
    browser: Browser, base_url: str, page_log: PageLog, query: str
) -> None:
    p = open_page(browser, base_url + "/" + query, page_log)
    try:
        if "training" in query:
            p.wait_for_function(DATA_READY)
            p.wait_for_function(IDLE)
        p.wait_for_timeout(300)  # the layout settles (panels, resize observers)
        focus = p.evaluate(FOCUS)
        assert focus["tag"] == "BODY" or focus["onFirst"], focus
        assert not focus["visible"], focus
        # The first Tab lands on the page's first control, not somewhere in the middle.
        p.keyboard.press("Tab")
        assert p.evaluate(FOCUS)["onFirst"]
    finally:
        p.context.close()


# ---- 7. numbers Number() would misread -------------------------------------------------------

POPOVER_ERROR = '[data-bind="editor"] .popover-error'


def edit(page: Page, selector: str, text: str) -> str:
    """Type `text` into the click-to-edit popover of `selector`; the refusal it shows."""
    page.click(selector, force=True)
    page.locator('[data-bind="editor"]').wait_for(state="visible")
    page.fill('[data-control="edit-value"]', text)
    page.press('[data-control="edit-value"]', "Enter")
    page.wait_for_function(
        "() => { const e = document.querySelector('.popover-error'); "
        "return e && e.textContent && !e.textContent.includes('…'); }"
    )
    return page.inner_text(POPOVER_ERROR)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0x10", "“0x10” is not a decimal number"),
        ("0b1", "“0b1” is not a decimal number"),
        ("0o7", "“0o7” is not a decimal number"),
        ("Infinity", "“Infinity” is not a decimal number"),
        ("   ", "a number is needed"),
        ("1e-400", "1e-400 is 0 as a double"),
        ("1e400", "1e400 is past the largest double"),
    ],
)
def test_the_weight_editor_refuses_what_number_would_misread(
    page: Page, typed: str, says: str
) -> None:
    from tests.browser.helpers import label_selector

    before = state(page)["network"]["weights"][0][0][1]
    message = edit(page, label_selector(0, 1, 0), typed)
    assert message.startswith(says), message
    assert message.endswith(f"stays {before}."), message
    assert page.input_value('[data-control="edit-value"]') == str(before)
    assert state(page)["network"]["weights"][0][0][1] == before


def test_inputs_and_targets_are_read_the_same_way(page: Page) -> None:
    assert edit(page, '.neuron[data-layer="0"][data-node="0"] circle.body', "0x1").startswith(
        "“0x1” is not a decimal number"
    )
    page.keyboard.press("Escape")
    assert edit(page, '.target[data-node="0"]', "1e-999").startswith("1e-999 is 0 as a double")
    assert state(page)["input"][0] == 0.05
    assert state(page)["target"][0] == 0.01


def test_the_seed_refuses_an_underflowing_number(page: Page) -> None:
    # A number field cannot take "0x10" (the browser keeps it out), but "1e-400" it takes.
    weights = state(page)["network"]["weights"]
    page.fill('[data-control="seed"]', "1e-400")
    page.click('[data-action="reinit"]')
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"status\"]').textContent.includes('1e-400')"
    )
    assert page.inner_text(STATUS).startswith("1e-400 is 0 as a double")
    assert page.inner_text(STATUS).endswith("seed stays 0.")
    assert state(page)["network"]["weights"] == weights


def test_the_training_form_says_why_it_puts_a_number_back(tpage: Page) -> None:
    error = '[data-bind="train-error"]'
    for field, typed, says in [
        ('[data-control="target-loss"]', "0x10", "“0x10” is not a decimal number"),
        ('[data-control="samples"]', "1e-400", "1e-400 is 0 as a double"),
    ]:
        before = tpage.input_value(field)
        tpage.fill(field, typed)
        tpage.dispatch_event(field, "change")
        tpage.wait_for_function(
            "t => document.querySelector('[data-bind=\"train-error\"]').textContent.includes(t)",
            arg=typed,
        )
        assert tpage.inner_text(error).startswith(says)
        assert tpage.input_value(field) == before


# ---- 7. one formatter in the mini-batch table ----------------------------------------------


def test_the_minibatch_table_writes_targets_alike(tpage: Page) -> None:
    tpage.click('[data-bind="minibatch"] summary')
    tpage.click('[data-action="batch-next"]')
    tpage.wait_for_selector("table.batch-table tbody tr")
    targets = tpage.eval_on_selector_all(
        "table.batch-table tbody tr", "rows => rows.map((r) => r.cells[2].textContent)"
    )
    # XOR's classes, both in a batch of 10: written "0" and "1", not "0" beside "1.000".
    assert set(targets) == {"0", "1"}, targets


# ---- 7. every frame titled by its preset's title -------------------------------------------

XOR_TITLE = {"en": "backprop-viz: XOR, one sample", "zh-TW": "backprop-viz：XOR，一個樣本"}


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_shares_iframe_is_titled_by_the_presets_title(
    browser: Browser, base_url: str, page_log: PageLog, api: Any, lang: str
) -> None:
    oembed = api.get("/oembed", params={"url": f"{base_url}/embed?preset=xor"}).json()
    assert oembed["title"] == XOR_TITLE["en"]
    p = open_page(browser, f"{base_url}/?preset=xor&lang={lang}", page_log)
    try:
        p.click('[data-action="share"]')
        p.wait_for_function(
            "() => document.querySelector('[data-bind=\"share-iframe\"]').value.length > 0"
        )
        snippet = p.input_value('[data-bind="share-iframe"]')
        assert f'title="{XOR_TITLE[lang]}"' in snippet, snippet
    finally:
        p.context.close()


@pytest.fixture(scope="module")
def site(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from tests.browser.hosts import host_site

    with host_site(tmp_path_factory.mktemp("hosts"), base_url) as s:
        yield s


def test_embed_js_titles_frames_by_the_presets_title(
    browser: Browser, site: Any, page_log: PageLog
) -> None:
    body = """
<div id="en" data-backprop-viz data-preset="xor"></div>
<div id="zh" data-backprop-viz data-preset="xor" data-lang="zh-TW"></div>
<div id="own" data-backprop-viz data-preset="xor" data-title="My frame"></div>
"""
    p = open_page_plain(browser, site.page(body))
    try:
        wanted = [("en", XOR_TITLE["en"]), ("zh", XOR_TITLE["zh-TW"]), ("own", "My frame")]
        for frame_id, want in wanted:
            p.wait_for_function(
                "([id, want]) => document.querySelector(`#${id} iframe`).title === want",
                arg=[frame_id, want],
            )
        # The frame's own title follows its preset when the host loads another.
        p.evaluate("() => document.querySelector('#en').backpropViz.load('worked-example-2-2-2')")
        p.wait_for_function(
            "() => document.querySelector('#en iframe').title === "
            "'backprop-viz: The classic 2-2-2 worked example'"
        )
    finally:
        p.context.close()


def open_page_plain(browser: Browser, url: str) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(url)
    return page


@pytest.mark.parametrize("field", [TOOLBAR_ETA, TRAIN_ETA])
def test_a_paused_run_goes_on_with_the_new_eta_and_its_optimizer_state(
    tpage: Page, field: str
) -> None:
    tpage.select_option('[data-control="optimizer"]', "adam")
    tpage.click('[data-action="train-epoch"]')
    tpage.wait_for_function("() => window.backpropViz.training().epoch === 1")
    tpage.wait_for_function(IDLE)
    type_eta(tpage, field, "0.01")
    tpage.wait_for_function("() => window.backpropViz.state().learning_rate === 0.01")
    with tpage.expect_request(lambda r: r.url.endswith("/train/stream")) as req:
        tpage.click('[data-action="train-batch"]')
    body = posted(req.value)
    assert body["learning_rate"] == 0.01
    assert body["optimizer_state"]["kind"] == "adam"  # Adam's moments, kept across the η change
    tpage.wait_for_function(IDLE)


@pytest.mark.parametrize("field", [TOOLBAR_ETA, TRAIN_ETA])
def test_a_running_run_goes_on_with_the_new_eta(tpage: Page, field: str) -> None:
    tpage.fill('[data-control="train-speed"]', "0")  # slow: 5 epochs a second
    tpage.dispatch_event('[data-control="train-speed"]', "change")
    tpage.click('[data-action="train"]')
    tpage.wait_for_function("() => window.backpropViz.training().epoch >= 1")
    with tpage.expect_request(
        lambda r: r.url.endswith("/train/stream") and posted(r)["learning_rate"] == 0.02
    ) as req:
        type_eta(tpage, field, "0.02")
    assert posted(req.value)["start_epoch"] >= 1  # from the latest snapshot, not from scratch
    tpage.wait_for_function("() => window.backpropViz.training().running")
    tpage.click('[data-action="train-pause"]')
    tpage.wait_for_function(IDLE)
