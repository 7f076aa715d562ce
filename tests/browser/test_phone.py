"""A phone: 390 × 844 with touch (Playwright's touch emulation). Every part fits the width,
the network's settings scroll sideways, a tap selects, and the numbers a mouse would hover
for are one tap away (the equation panel), never only on hover."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PageLog, open_page

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def phone(browser: Browser, base_url: str, page_log: PageLog) -> Iterator[Page]:
    p = open_page(browser, base_url + "/", page_log, **PHONE)
    yield p
    p.context.close()


def test_every_part_fits_the_phones_width(phone: Page, page_log: PageLog) -> None:
    width = 390
    # The page itself never scrolls sideways: the parts fit, the toolbar scrolls inside.
    overflow = phone.evaluate(
        """(width) => [...document.querySelectorAll(
            '.topbar > *, .player button, .player select, .caption, .stage')]
          .filter(el => el.offsetParent !== null)
          .map(el => [el.className || el.tagName, el.getBoundingClientRect().right])
          .filter(([, right]) => right > width + 0.5)""",
        width,
    )
    assert overflow == []
    toolbar = phone.locator(".toolbar")
    # More than one screen of settings: they scroll.
    assert toolbar.evaluate("el => el.scrollWidth > el.clientWidth")
    toggle = phone.locator('[data-action="training"]')
    toggle.scroll_into_view_if_needed()
    box = toggle.bounding_box()
    assert box is not None and 0 <= box["x"] and box["x"] + box["width"] <= width
    # Touch targets: every button of the player at least 32 px high.
    heights = phone.evaluate(
        "() => [...document.querySelectorAll('.player button')].filter(b => b.offsetParent)"
        ".map(b => b.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 32
    assert page_log.page_errors == []


def test_a_tap_steps_and_a_tap_selects(phone: Page, api: httpx.Client) -> None:
    request = phone.evaluate("() => window.backpropViz.state()")
    trace = api.post("/api/v1/trace", json=request).json()
    phone.evaluate("() => window.backpropViz.setSpeed(1000)")
    phone.tap('[data-action="step"]')
    phone.wait_for_function("() => window.backpropViz.store.state.playback.finished")
    # A small network keeps its rows on a phone: ∂l/∂z under each neuron, b above it.
    below = phone.locator('svg.network .neuron[data-layer="1"][data-node="0"] text.below')
    assert below.is_visible()
    assert below.text_content() == f"∂l/∂z {trace['layers'][1]['dl_dz'][0]:#.3g}"
    inner = phone.locator('svg.network .neuron[data-layer="1"][data-node="0"] text.inner')
    assert inner.is_visible() and inner.text_content() == f"{trace['layers'][1]['a'][0]:#.3g}"
    # Tap the first hidden neuron: it is selected and its bias editor opens under the finger.
    neuron = phone.locator('svg.network .neuron[data-layer="1"][data-node="0"]')
    box = neuron.bounding_box()
    assert box is not None
    phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    phone.wait_for_function("() => window.backpropViz.store.state.selection !== null")
    selection = phone.evaluate("() => window.backpropViz.store.state.selection")
    assert (selection["layer"], selection["node"]) == (1, 0)
    # Its numbers without hovering: Explain opens the equation panel with the server's z.
    phone.tap('.popover [data-action="explain"]')
    panel = phone.locator('[data-bind="panel"]')
    panel.wait_for(state="visible")
    z = trace["layers"][1]["z"][0]
    phone.wait_for_function(
        "(z) => document.querySelector('[data-bind=panel]').textContent.includes(z)", arg=f"{z:.4g}"
    )
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390.5
