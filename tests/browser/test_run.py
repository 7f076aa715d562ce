"""A full step animates to the end and the drawing carries exactly the API's numbers; the
equation panel shows them; the gradient check shows analytic against numeric."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page

from tests.browser.helpers import (
    close,
    label_selector,
    link_selector,
    links,
    load,
    neurons,
    run,
    state,
)


def assert_matches_trace(page: Page, trace: dict) -> None:
    layers = trace["layers"]
    ns = neurons(page)
    assert len(ns) == sum(len(layer["a"]) for layer in layers)
    for n in ns:
        expected = layers[n["layer"]]
        j = n["node"]
        assert close(n["a"], expected["a"][j]), n
        if n["layer"] == 0:
            continue
        assert close(n["z"], expected["z"][j]), n
        assert close(n["dl_dz"], expected["dl_dz"][j]), n
    ls = links(page)
    assert len(ls) == sum(len(layer["dl_dw"]) * len(layer["dl_dw"][0]) for layer in layers[1:])
    for link in ls:
        expected = layers[link["layer"] + 1]["dl_dw"][link["to"]][link["from"]]
        assert close(link["dl_dw"], expected), link
    loss = page.get_attribute(".loss-node", "data-loss")
    assert close(loss, trace["loss"])


def test_full_step_equals_the_api_trace(page: Page, api: httpx.Client, artifacts: Path) -> None:
    request = state(page)
    trace = api.post("/api/v1/trace", json=request).json()
    done = run(page)
    assert done["type"] == "done"
    assert_matches_trace(page, trace)
    # The update: every link and bias ends at θ¹ as the API computed it.
    for link in links(page):
        new = page.get_attribute(
            link_selector(link["layer"], link["from"], link["to"]), "data-w-new"
        )
        w1 = trace["network"]["weights"][link["layer"]][link["to"]][link["from"]]
        assert close(new, w1)
    assert page.get_attribute('[data-action="pause"]', "disabled") is not None
    page.screenshot(path=str(artifacts / "after-step-2-2-2.png"))


@pytest.mark.parametrize("preset", ["deep-2-8x6-1", "softmax-classifier", "xor", "lecture-2-input"])
def test_every_preset_animates_to_the_api_trace(
    page: Page, api: httpx.Client, artifacts: Path, preset: str
) -> None:
    load(page, api.get(f"/api/v1/presets/{preset}").json())
    trace = api.post("/api/v1/trace", json=state(page)).json()
    run(page)
    assert_matches_trace(page, trace)
    page.screenshot(path=str(artifacts / f"after-step-{preset}.png"))


def test_forward_button_stops_after_the_loss(page: Page, api: httpx.Client) -> None:
    trace = api.post("/api/v1/trace", json=state(page)).json()
    page.evaluate("() => window.backpropViz.setSpeed(1000)")
    page.click('[data-action="forward"]')
    page.wait_for_function("() => document.querySelector('.loss-node').dataset.loss !== undefined")
    page.wait_for_function("() => !window.backpropViz.player.playing")
    ns = neurons(page)
    assert all(n["dl_dz"] is None for n in ns)
    assert all(close(n["z"], trace["layers"][n["layer"]]["z"][n["node"]]) for n in ns if n["layer"])
    page.click('[data-action="backward"]')
    page.wait_for_function(
        "() => !window.backpropViz.player.playing && "
        "document.querySelectorAll('.link[data-dl-dw]').length === 8"
    )
    assert page.locator(".link[data-w-new]").count() == 0  # stopped before the update
    page.click('[data-action="step"]')
    page.wait_for_function("() => window.backpropViz.player.finished")
    assert page.locator(".link[data-w-new]").count() == 8


def test_step_after_a_finished_step_continues_from_theta_1(page: Page, api: httpx.Client) -> None:
    first = api.post("/api/v1/trace", json=state(page)).json()
    run(page)
    page.click('[data-action="step"]')
    # θ¹ becomes the network first (validated by the API), then the new step plays.
    page.wait_for_function("() => window.backpropViz.state().network.weights[1][0][0] !== 0.4")
    assert state(page)["network"]["weights"] == first["network"]["weights"]
    page.wait_for_function("() => window.backpropViz.player.finished")
    second = api.post("/api/v1/trace", json=state(page)).json()
    assert second["loss"] < first["loss"]
    assert close(page.get_attribute(".loss-node", "data-loss"), second["loss"])


ALL_DIGITS_SHOWN = (
    "() => document.querySelector('[data-panel=equations]').dataset.digits === 'full'"
)


def test_equation_panel_shows_the_selected_links_numbers(page: Page, api: httpx.Client) -> None:
    trace = api.post("/api/v1/trace", json=state(page)).json()
    run(page)
    page.click('[data-action="equations"]')
    # w5 of the worked example: from hidden neuron 1 to output neuron 1.
    page.click(label_selector(1, 0, 0), force=True)
    page.keyboard.press("Escape")  # close the value editor, keep the selection
    panel = page.locator('[data-panel="equations"]')
    page.wait_for_selector('[data-panel="equations"] .katex')
    page.wait_for_function(
        "() => document.querySelector('[data-panel=equations]').dataset.pick.includes('weight')"
    )
    a = trace["layers"][1]["a"][0]
    dl_dz = trace["layers"][2]["dl_dz"][0]
    dl_dw = trace["layers"][2]["dl_dw"][0][0]
    w1 = trace["network"]["weights"][1][0][0]
    # 4 significant digits first; every digit the server sent on demand.
    text = panel.text_content()
    for number in (a, dl_dz, dl_dw, w1):
        assert f"{number:.4g}" in text and repr(number) not in text, (number, text[:400])
    page.check('[data-control="full-precision"]')
    page.wait_for_function(ALL_DIGITS_SHOWN)
    text = panel.text_content()
    for number in (a, dl_dz, dl_dw, w1):
        assert repr(number) in text, (number, text[:400])
    assert (
        page.locator('[data-panel="equations"] .katex .mfrac').count() > 0
    )  # typeset, not raw TeX


def test_equation_panel_for_a_hidden_neuron_shows_case_2(page: Page, api: httpx.Client) -> None:
    trace = api.post("/api/v1/trace", json=state(page)).json()
    run(page)
    page.evaluate("() => window.backpropViz.explain({kind: 'bias', layer: 1, node: 0})")
    page.wait_for_selector('[data-panel="equations"] .katex')
    page.check('[data-control="full-precision"]')
    page.wait_for_function(ALL_DIGITS_SHOWN)
    text = page.locator('[data-panel="equations"]').text_content()
    hidden = trace["layers"][1]
    for number in (
        hidden["z"][0],
        hidden["da_dz"][0],
        hidden["dl_dz"][0],
        trace["layers"][2]["dl_dz"][1],
    ):
        assert repr(number) in text
    assert "case 2" in text


def test_gradient_check_shows_analytic_and_numeric(page: Page, api: httpx.Client) -> None:
    expected = api.post("/api/v1/gradcheck", json=state(page)).json()
    page.click('[data-action="gradcheck"]')
    summary = page.wait_for_selector(".gradcheck-summary[data-ok]")
    assert summary.get_attribute("data-ok") == "true"
    rows = page.eval_on_selector_all(
        "table.gradcheck tbody tr",
        "rs => rs.map(r => [r.dataset.param, +r.dataset.analytic, +r.dataset.numeric])",
    )
    assert len(rows) == 12  # 8 weights, 4 biases
    by_name = {name: (an, nu) for name, an, nu in rows}
    assert by_name["w[1][0][0]"] == (
        expected["analytic"]["weights"][1][0][0],
        expected["numeric"]["weights"][1][0][0],
    )
    assert by_name["b[0][1]"] == (
        expected["analytic"]["biases"][0][1],
        expected["numeric"]["biases"][0][1],
    )


def _stream_done(api: httpx.Client, request: dict) -> dict:
    """The last event of POST /api/v1/trace/stream: the done event."""
    lines = api.post("/api/v1/trace/stream", json=request).text.strip().splitlines()
    done = json.loads(lines[-1])
    assert done["type"] == "done"
    return done


def test_loss_box_and_caption_show_the_loss_after_the_update(page: Page, api: httpx.Client) -> None:
    expected = _stream_done(api, state(page))
    assert page.locator(".loss-node .loss-after").is_hidden()  # nothing before the step
    done = run(page)
    assert done["loss_after"] == expected["loss_after"]
    # The drawing carries the stream's number as it came, and shows it to 3 digits.
    assert float(page.get_attribute(".loss-node", "data-loss-after")) == expected["loss_after"]
    assert close(page.get_attribute(".loss-node", "data-loss"), expected["loss"])
    shown = page.locator(".loss-node .loss-after")
    assert shown.is_visible()
    before, after = f"{expected['loss']:#.3g}", f"{expected['loss_after']:#.3g}"
    assert shown.text_content() == f"→ {after}"
    assert page.locator(".loss-node .loss-value").text_content() == before
    caption = page.inner_text('[data-bind="caption"]')
    # Text takes 4 significant digits (the drawing's fixed boxes 3).
    assert f"l {expected['loss']:#.4g} → {expected['loss_after']:#.4g}" in caption, caption
    # The loss's equations carry it to 4 digits, and in full precision on demand.
    page.click(".loss-node")
    page.wait_for_selector('[data-panel="equations"] .katex')
    equations = page.locator('[data-panel="equations"]')
    assert f"l(θ1)={expected['loss_after']:.4g}" in equations.text_content()
    page.check('[data-control="full-precision"]')
    page.wait_for_function(ALL_DIGITS_SHOWN)
    assert repr(expected["loss_after"]) in equations.text_content()


def test_a_loss_that_overflows_at_theta_1_is_left_out(page: Page, api: httpx.Client) -> None:
    # Eight linear layers with w = 1000 and η = 1: θ¹ overshoots past the float64 range.
    k = 8
    request = {
        "network": {
            "layers": [1] * k,
            "activations": ["linear"] * (k - 1),
            "loss": "squared_error",
            "weights": [[[1000.0]] for _ in range(k - 1)],
            "biases": [[0.0] for _ in range(k - 1)],
        },
        "input": [1.0],
        "target": [0.0],
        "learning_rate": 1.0,
    }
    assert "loss_after" not in _stream_done(api, request)
    load(page, request)
    done = run(page)
    assert "loss_after" not in done
    assert page.get_attribute(".loss-node", "data-loss-after") is None
    assert page.locator(".loss-node .loss-after").is_hidden()
    assert "→" not in page.inner_text('[data-bind="caption"]')


def test_gradient_check_diff_column_is_the_apis_abs_diff(page: Page, api: httpx.Client) -> None:
    expected = api.post("/api/v1/gradcheck", json=state(page)).json()
    page.click('[data-action="gradcheck"]')
    page.wait_for_selector(".gradcheck-summary[data-ok]")
    rows = page.eval_on_selector_all(
        "table.gradcheck tbody tr",
        """rs => rs.map(r => [r.dataset.param, +r.dataset.absDiff,
                              r.cells[3].title, r.cells[3].textContent])""",
    )
    want = {}
    for l, layer in enumerate(expected["abs_diff"]["weights"]):
        for j, row in enumerate(layer):
            for i, d in enumerate(row):
                want[f"w[{l}][{j}][{i}]"] = d
    for l, layer in enumerate(expected["abs_diff"]["biases"]):
        for j, d in enumerate(layer):
            want[f"b[{l}][{j}]"] = d
    assert {name: diff for name, diff, _, _ in rows} == want
    for name, diff, title, text in rows:
        assert float(title.replace("\u2212", "-")) == want[name]  # full precision on hover
        assert float(text.replace("\u2212", "-")) == pytest.approx(diff, rel=0.05)  # 2 digits


def test_after_the_worked_examples_step_every_before_after_label_shows_its_change(
    page: Page, api: httpx.Client
) -> None:
    """w¹ = 0.14978 after w⁰ = 0.15 must not read 0.150→0.150: every pair on the links
    and the biases prints differently when the numbers differ (the API's step as oracle)."""
    request = api.get("/api/v1/presets/worked-example-2-2-2").json()
    load(page, request)
    run(page)
    step = api.post("/api/v1/trace", json=request).json()
    texts = page.evaluate(
        "() => [...document.querySelectorAll('.wlabel text, .neuron text.above')]"
        ".map((t) => t.textContent).filter((t) => t.includes('→'))"
    )
    changed = sum(
        w0 != w1
        for l, layer in enumerate(step["network"]["weights"])
        for w_row, w0_row in zip(layer, request["network"]["weights"][l], strict=True)
        for w1, w0 in zip(w_row, w0_row, strict=True)
    )
    assert changed == 8 and len(texts) >= changed, texts
    for text in texts:
        before, after = text.removeprefix("b ").split("→")
        assert before != after, text
