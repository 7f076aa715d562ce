"""Playback controls and the keyboard; prefers-reduced-motion."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.browser.conftest import PageLog, open_page
from tests.browser.helpers import neurons

CURSOR = "() => window.backpropViz.player.cursor"


def test_every_control_has_its_data_action(page: Page) -> None:
    for action in ("forward", "backward", "step", "play", "pause", "reset"):
        assert page.locator(f'[data-action="{action}"]').count() == 1, action


def test_arrow_keys_step_one_event_and_space_plays(page: Page) -> None:
    page.evaluate("() => window.backpropViz.setSpeed(1000)")
    page.locator("body").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({CURSOR})() === 1")
    first = next(n for n in neurons(page) if (n["layer"], n["node"]) == (1, 0))
    assert first["z"] is not None and first["dl_dz"] is None
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({CURSOR})() === 2")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => ({CURSOR})() === 1")
    page.keyboard.press("Shift+ArrowRight")  # to the next phase boundary (after the loss)
    page.wait_for_function(f"() => ({CURSOR})() === 5")
    page.keyboard.press(" ")
    page.wait_for_function("() => window.backpropViz.player.finished")
    page.keyboard.press("Home")
    page.wait_for_function(f"() => ({CURSOR})() === 0")
    assert all(n["z"] is None for n in neurons(page))
    page.keyboard.press("End")
    page.wait_for_function("() => window.backpropViz.player.finished")


def test_pause_stops_and_play_resumes(page: Page) -> None:
    page.evaluate("() => window.backpropViz.setSpeed(1)")
    page.click('[data-action="play"]')
    page.wait_for_function(f"() => ({CURSOR})() >= 1")
    page.click('[data-action="pause"]')
    page.wait_for_function("() => !window.backpropViz.player.playing")
    stopped = page.evaluate(CURSOR)
    assert not page.evaluate("() => window.backpropViz.player.finished")
    page.evaluate("() => window.backpropViz.setSpeed(1000)")
    page.click('[data-action="play"]')
    page.wait_for_function("() => window.backpropViz.player.finished")
    assert page.evaluate(CURSOR) > stopped
    page.click('[data-action="reset"]')
    page.wait_for_function(f"() => ({CURSOR})() === 0")


def test_scrub_bar_and_phase_marks(page: Page) -> None:
    page.evaluate("() => window.backpropViz.run(1000)")
    page.click('.phase-marks [data-phase="backward"]')
    assert page.evaluate(CURSOR) == 6  # the first backward event shown
    page.fill('[data-control="scrub"]', "3")
    page.wait_for_function(f"() => ({CURSOR})() === 3")


def _effects_after_one_event(page: Page) -> int:
    page.evaluate("() => window.backpropViz.setSpeed(0.5)")
    page.evaluate("() => window.backpropViz.player.next()")
    return page.evaluate("() => document.querySelector('svg.effects').childElementCount")


def test_reduced_motion_moves_nothing(browser: Browser, base_url: str) -> None:
    still = open_page(browser, base_url + "/", PageLog(), reduced_motion="reduce")
    assert _effects_after_one_event(still) == 0
    assert still.evaluate(CURSOR) == 1
    still.context.close()
    moving = open_page(browser, base_url + "/", PageLog())
    assert _effects_after_one_event(moving) > 0
    moving.context.close()
