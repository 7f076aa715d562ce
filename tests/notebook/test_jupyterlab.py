"""The widget in a real JupyterLab 4 (from PyPI, on a loopback port) in Debian's Chromium:
the example notebook opened and run, the network drawn by the page's own modules with the
numbers the kernel's app answered, a step animated to its end and heard by Python, a weight
edited on the drawing and read back from `viz.state`, the training view run by `train()`."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.notebook.jupyterlab import open_notebook, run_all, run_cell
from tests.notebook.lab import running_lab

SCREENSHOT = "/tmp/backprop-viz-jupyterlab.png"
DRAWING = '[data-bind="canvas"] svg.network'  # the step's drawing (the training view has its own)


@pytest.fixture(scope="module")
def lab_page(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    with running_lab() as (base, _root):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        open_notebook(page, base)
        run_all(page)
        yield page, errors
        context.close()


def widget_weights(page: Page, index: int) -> list[list[list[float]]]:
    """The weights the index-th widget's links carry (data-w), laid out as the API's."""
    links = (
        page.locator(".bv-widget")
        .nth(index)
        .locator(f"{DRAWING} .link")
        .evaluate_all(
            "els => els.map(({ dataset: d }) => [d.layer, d.from, d.to, d.w].map(Number))"
        )
    )
    weights: dict[int, dict[int, dict[int, float]]] = {}
    for layer, i, j, w in links:
        weights.setdefault(layer, {}).setdefault(j, {})[i] = w
    return [
        [[row[i] for i in sorted(row)] for _, row in sorted(rows.items())]
        for _, rows in sorted(weights.items())
    ]


def test_the_notebook_draws_both_widgets(lab_page: tuple[Page, list[str]]) -> None:
    page, errors = lab_page
    page.wait_for_function(
        "() => [...document.querySelectorAll('.bv-widget[data-ready=true]')].length === 2",
        timeout=60_000,
    )
    # The worked example's θ⁰ as the kernel's app gave it (GET /presets/…).
    assert widget_weights(page, 0) == [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]]
    # The training view ran the notebook's train() body to its last epoch, in the page (and
    # drew its network: the training view's own, which the page synced to the kernel).
    page.wait_for_function(
        "() => (({ epoch, running }) => epoch === 50 && !running)(window.backpropViz.training())",
        timeout=120_000,
    )
    # One drawn neuron per neuron of the network each widget's state holds (the page's own,
    # synced to the kernel): 2-2-2 for the worked example; the xor one's training network.
    for index, name in enumerate(("viz", "xor")):
        size = run_cell(page, f"print(sum({name}.state['network']['layers']))").strip()
        drawn = page.locator(".bv-widget").nth(index).locator(f"{DRAWING} .neuron").count()
        assert drawn == int(size) and drawn >= 6
    # What the page drew is what train() returned in the kernel: the same app, the same run.
    drawn = page.evaluate("() => window.backpropViz.training().train_loss")
    assert run_cell(page, "print(repr(last['train_loss']))").strip() == repr(drawn)
    page.locator(".bv-widget").first.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOT)
    assert errors == []


def test_a_step_is_animated_and_heard_by_python(lab_page: tuple[Page, list[str]]) -> None:
    page, _ = lab_page
    out = run_cell(page, "heard = []\nviz.on('stepped', heard.append)\nprint(viz.step()['loss'])")
    assert out.strip() == "0.2983711087600027"
    # The kernel hears the page between cells: ask until the animation's end has arrived.
    for _ in range(60):
        said = run_cell(page, "print(len(heard), heard and heard[0]['done']['type'])").split()
        if said[0] == "1":
            break
        page.wait_for_timeout(1000)
    assert said == ["1", "done"]


def test_a_weight_edited_on_the_page_is_read_from_python(lab_page: tuple[Page, list[str]]) -> None:
    page, _ = lab_page
    widget = page.locator(".bv-widget").first
    widget.scroll_into_view_if_needed()
    label = 'svg.network .wlabel[data-layer="0"][data-from="1"][data-to="0"]'
    # A click on the label itself: the notebook scrolls as cells run, so a click at the label's
    # coordinates of a moment ago may land beside it.
    widget.locator(label).dispatch_event("click")
    widget.locator('[data-control="edit-value"]').fill("-0.75")
    widget.locator('[data-control="edit-value"]').press("Enter")
    widget.locator(label).filter(has_text=re.compile("0.750")).wait_for()
    assert run_cell(page, "print(viz.state['network']['weights'][0][0])").strip() == "[0.15, -0.75]"
    # And from Python back to the page: load() a request, the drawing follows.
    run_cell(page, "s = viz.state\ns['network']['weights'][1][0][0] = 2.5\nviz.load(s)")
    link = '[data-layer="1"][data-from="0"][data-to="0"][data-w="2.5"]'
    widget.locator(f"{DRAWING} .link{link}").wait_for(state="attached")


def test_the_equations_are_typeset_by_the_katex_in_the_widget(
    lab_page: tuple[Page, list[str]],
) -> None:
    page, errors = lab_page
    widget = page.locator(".bv-widget").first
    widget.locator('[data-action="equations"]').click()
    label = 'svg.network .wlabel[data-layer="1"][data-from="0"][data-to="0"]'
    widget.locator(label).dispatch_event("click")
    panel = widget.locator('[data-panel="equations"]')
    panel.locator(".katex").first.wait_for()
    assert "w" in panel.locator(".katex").first.inner_text()  # w²₁₁'s chain rule, typeset
    # KaTeX's fonts came inline with the widget's CSS: the math font is there, offline.
    page.wait_for_function(
        "() => [...document.fonts].some((f) => /KaTeX_Main/.test(f.family) && f.status == 'loaded')"
    )
    assert errors == []


def test_the_language_and_theme_follow_their_traits(lab_page: tuple[Page, list[str]]) -> None:
    page, errors = lab_page
    widget = page.locator(".bv-widget").first
    run_cell(page, "viz.lang = 'zh-TW'\nviz.theme = 'dark'")
    widget.locator('.player [data-action="step"]', has_text="單步").wait_for()
    assert widget.get_attribute("data-theme") == "dark"
    run_cell(page, "viz.lang = 'en'")
    widget.locator('.player [data-action="step"]', has_text="Step").wait_for()
    assert errors == []
