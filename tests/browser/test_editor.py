"""Editing through the UI: click a value, type, Enter; the API validates, the drawing follows."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from tests.browser.conftest import PageLog
from tests.browser.helpers import label_selector, links, neurons, state


def edit(page: Page, selector: str, text: str) -> None:
    page.click(selector, force=True)  # SVG under animation: do not wait for it to be still
    editor = page.locator('[data-bind="editor"]')
    editor.wait_for(state="visible")
    page.fill('[data-control="edit-value"]', text)
    page.press('[data-control="edit-value"]', "Enter")


def test_editing_a_weight_changes_the_drawing_and_state(page: Page) -> None:
    before = next(x for x in links(page) if (x["layer"], x["from"], x["to"]) == (0, 1, 0))
    edit(page, label_selector(0, 1, 0), "-0.75")
    page.wait_for_function("() => window.backpropViz.state().network.weights[0][0][1] === -0.75")
    page.locator('[data-bind="editor"]').wait_for(state="hidden")
    after = next(x for x in links(page) if (x["layer"], x["from"], x["to"]) == (0, 1, 0))
    assert after["w"] == "-0.75"
    assert after["stroke"] != before["stroke"]  # the sign flipped: blue → orange
    assert after["width"] != before["width"]
    assert state(page)["network"]["weights"][0][0][1] == -0.75
    # Only that weight changed.
    assert state(page)["network"]["weights"][0][0][0] == 0.15


def test_editing_a_bias_input_and_target(page: Page) -> None:
    edit(page, '.neuron[data-layer="2"][data-node="1"] circle.body', "0.25")
    page.wait_for_function("() => window.backpropViz.state().network.biases[1][1] === 0.25")
    edit(page, '.neuron[data-layer="0"][data-node="0"] circle.body', "1.5")
    page.wait_for_function("() => window.backpropViz.state().input[0] === 1.5")
    assert page.get_attribute('.neuron[data-layer="0"][data-node="0"]', "data-a") == "1.5"
    edit(page, '.target[data-node="0"]', "0.5")
    page.wait_for_function("() => window.backpropViz.state().target[0] === 0.5")


def test_escape_cancels_an_edit(page: Page) -> None:
    page.click(label_selector(1, 0, 0), force=True)
    page.fill('[data-control="edit-value"]', "9")
    page.press('[data-control="edit-value"]', "Escape")
    page.locator('[data-bind="editor"]').wait_for(state="hidden")
    assert state(page)["network"]["weights"][1][0][0] == 0.4


def test_an_invalid_edit_says_why_in_the_lectures_notation_and_reverts(
    page: Page, page_log: PageLog, api: httpx.Client
) -> None:
    before = state(page)
    bad = {
        **before["network"],
        "weights": [[[0.15, 1e9], [0.25, 0.3]], before["network"]["weights"][1]],
    }
    answer = api.post("/api/v1/network", json=bad)
    assert answer.status_code == 422
    detail = answer.json()["detail"][0]
    assert detail["field"] == "weights[0][0][1]"  # the API's name for w¹₁₂ (x₂ → neuron 1)
    edit(page, label_selector(0, 1, 0), "1e9")
    error = page.locator('[data-bind="editor"] .popover-error')
    page.wait_for_function(
        "() => { const e = document.querySelector('.popover-error'); "
        "return e.textContent && e.textContent !== 'checking…'; }"
    )
    text = error.inner_text()
    assert detail["type"] == "abs_too_large" and detail["ctx"] == {"limit": 1e6, "given": 1e9}
    # Worded from the type and its ctx (messages.js), not the server's msg.
    assert "must be at most 1000000 in absolute value, got 1000000000" in text
    assert text.startswith("w¹₁₂: ")  # the lecture's name, not weights[0][0][1]
    assert "weights[" not in text
    assert "w¹₁₂ stays 0.2" in text
    # The field is back at the value the network uses, ready to be typed over.
    assert page.input_value('[data-control="edit-value"]') == "0.2"
    assert state(page) == before  # refused: nothing changed
    # Text that is no number at all also goes to the API, which names the problem.
    page.fill('[data-control="edit-value"]', "abc")
    page.press('[data-control="edit-value"]', "Enter")
    page.wait_for_function(
        "() => document.querySelector('.popover-error').textContent.includes('number')"
    )
    assert error.inner_text().startswith("w¹₁₂: must be a number")
    assert page.input_value('[data-control="edit-value"]') == "0.2"
    assert state(page) == before
    assert page_log.page_errors == []


def test_structure_edits_go_through_the_api(page: Page) -> None:
    page.click('[data-action="add-layer"]')
    page.wait_for_function("() => window.backpropViz.state().network.layers.length === 4")
    s = state(page)
    assert len(s["network"]["weights"]) == 3
    assert len(neurons(page)) == 8
    page.click('.layer-header[data-layer="1"] [data-action="add-neuron"]')
    page.wait_for_function("() => window.backpropViz.state().network.layers[1] === 3")
    assert len(neurons(page)) == 9
    assert len(links(page)) == 2 * 3 + 3 * 2 + 2 * 2
    page.select_option('[data-control="activation"][data-layer="1"]', "relu")
    page.wait_for_function("() => window.backpropViz.state().network.activations[0] === 'relu'")
    page.click('[data-action="remove-layer"]')
    page.wait_for_function("() => window.backpropViz.state().network.layers.length === 3")


def test_loss_and_output_activation_stay_compatible(page: Page) -> None:
    page.select_option('[data-control="loss"]', "cross_entropy")
    page.wait_for_function("() => window.backpropViz.state().network.loss === 'cross_entropy'")
    assert state(page)["network"]["activations"][-1] == "softmax"


def test_reinitialise_with_a_seed(page: Page, api: httpx.Client) -> None:
    page.select_option('[data-control="init"]', "he")
    page.fill('[data-control="seed"]', "7")
    page.click('[data-action="reinit"]')
    page.wait_for_function("() => window.backpropViz.state().network.weights[0][0][0] !== 0.15")
    spec = {
        "layers": [2, 2, 2],
        "activations": ["sigmoid", "sigmoid"],
        "loss": "squared_error",
        "init": "he",
        "seed": 7,
    }
    expected = api.post("/api/v1/network", json=spec).json()
    assert state(page)["network"]["weights"] == expected["weights"]


def test_presets_load_from_the_list(page: Page, api: httpx.Client) -> None:
    names = [p["name"] for p in api.get("/api/v1/presets").json()]
    options = page.eval_on_selector_all(
        '[data-control="preset"] option', "os => os.map(o => o.value)"
    )
    assert [o for o in options if o] == names
    page.select_option('[data-control="preset"]', "softmax-classifier")
    page.wait_for_function("() => window.backpropViz.state().network.loss === 'cross_entropy'")
    assert state(page) == api.get("/api/v1/presets/softmax-classifier").json()
    assert len(neurons(page)) == 9
