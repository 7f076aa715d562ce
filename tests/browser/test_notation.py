"""One notation everywhere, and editing that keeps work (issue 8, items 2 and 5).

The lecture's names: layer 0 is the input x, w^l_{ji} runs from neuron i of layer l−1 to
neuron j of layer l and is network.weights[l−1][j][i] in the API. The drawing, the editor,
the equation panel and the gradient check must say the same; the API's answers are the
oracles for every number."""

from __future__ import annotations

import copy
from typing import Any

import httpx
from playwright.sync_api import Page

from tests.browser.helpers import label_selector, state

# A weight no initialisation draws, to recognise after an edit.
DISTINCT = 0.123456789


def edit(page: Page, selector: str, text: str) -> None:
    page.click(selector, force=True)  # SVG under animation: do not wait for it to be still
    page.locator('[data-bind="editor"]').wait_for(state="visible")
    page.fill('[data-control="edit-value"]', text)
    page.press('[data-control="edit-value"]', "Enter")


def fresh_network(api: httpx.Client, page: Page, network: dict[str, Any]) -> dict[str, Any]:
    """What POST /network draws for this shape with the page's chosen init and seed."""
    spec = {k: network[k] for k in ("layers", "activations", "loss")}
    spec["init"] = page.input_value('[data-control="init"]')
    spec["seed"] = int(page.input_value('[data-control="seed"]'))
    answer = api.post("/api/v1/network", json=spec)
    assert answer.status_code == 200, answer.text
    return answer.json()


def expected_kept(
    old: dict[str, Any], fresh: dict[str, Any], layer_map: list[int | None]
) -> dict[str, Any]:
    """The rule docs/page.md states, written out independently of editor.js: new layer k was
    old layer layer_map[k]; b^k_j is kept when its neuron existed, w^k_{ji} when both ends
    existed and were joined; everything else is the fresh draw."""
    weights = copy.deepcopy(fresh["weights"])
    biases = copy.deepcopy(fresh["biases"])
    for k in range(1, len(fresh["layers"])):
        m = layer_map[k]
        if m is None:
            continue
        for j in range(len(biases[k - 1])):
            if j < len(old["biases"][m - 1]):
                biases[k - 1][j] = old["biases"][m - 1][j]
        if layer_map[k - 1] != m - 1:
            continue
        for j, row in enumerate(weights[k - 1]):
            for i in range(len(row)):
                if j < len(old["weights"][m - 1]) and i < len(old["weights"][m - 1][j]):
                    row[i] = old["weights"][m - 1][j][i]
    return {"weights": weights, "biases": biases}


def wait_layers(page: Page, layers: list[int]) -> dict[str, Any]:
    page.wait_for_function(
        "want => window.backpropViz.state().network.layers.join() === want.join()", arg=layers
    )
    return state(page)["network"]


def test_structural_edits_keep_every_weight_that_still_fits(page: Page, api: httpx.Client) -> None:
    # Distinctive values first: w²₁₁ (weights[1][0][0]) and b¹₂ (biases[0][1]).
    edit(page, label_selector(1, 0, 0), str(DISTINCT))
    page.wait_for_function(
        f"() => window.backpropViz.state().network.weights[1][0][0] === {DISTINCT}"
    )
    edit(page, '.neuron[data-layer="1"][data-node="1"] circle.body', "-0.777")
    page.wait_for_function("() => window.backpropViz.state().network.biases[0][1] === -0.777")
    old = state(page)["network"]

    # Add a neuron to layer 1: 2-2-2 → 2-3-2. Every old w and b is still there, exactly.
    page.click('.layer-header[data-layer="1"] [data-action="add-neuron"]')
    net = wait_layers(page, [2, 3, 2])
    want = expected_kept(old, fresh_network(api, page, net), [0, 1, 2])
    assert net["weights"] == want["weights"]
    assert net["biases"] == want["biases"]
    assert net["weights"][1][0][0] == DISTINCT
    assert net["biases"][0][1] == -0.777
    assert net["weights"][0][:2] == old["weights"][0]
    # The new neuron's weights are the fresh draw's, not copies of the old ones.
    assert net["weights"][0][2] == fresh_network(api, page, net)["weights"][0][2]

    # Remove it again: back to the old network exactly.
    page.click('.layer-header[data-layer="1"] [data-action="remove-neuron"]')
    net = wait_layers(page, [2, 2, 2])
    assert net["weights"] == old["weights"]
    assert net["biases"] == old["biases"]

    # Add a hidden layer (before the output): layer 1 keeps its w and b, the output its b;
    # the new layer's weights in and out are the fresh draw's.
    page.click('[data-action="add-layer"]')
    net = wait_layers(page, [2, 2, 2, 2])
    fresh = fresh_network(api, page, net)
    want = expected_kept(old, fresh, [0, 1, None, 2])
    assert net["weights"] == want["weights"]
    assert net["biases"] == want["biases"]
    assert net["weights"][0] == old["weights"][0]
    assert net["biases"][0] == old["biases"][0]
    assert net["biases"][2] == old["biases"][1]
    assert net["weights"][1] == fresh["weights"][1]
    assert net["weights"][2] == fresh["weights"][2]

    # Remove it: layer 1 still has its weights; w² is fresh (layer 1 never fed the output
    # through those weights in the 4-layer network).
    before = net
    page.click('[data-action="remove-layer"]')
    net = wait_layers(page, [2, 2, 2])
    want = expected_kept(before, fresh_network(api, page, net), [0, 1, 3])
    assert net["weights"] == want["weights"]
    assert net["biases"] == want["biases"]
    assert net["weights"][0] == old["weights"][0]

    # Re-initialise stays the way to all-new weights.
    page.click('[data-action="reinit"]')
    page.wait_for_function(
        "w => window.backpropViz.state().network.weights[0][0][0] !== w",
        arg=old["weights"][0][0][0],
    )
    net = state(page)["network"]
    fresh = fresh_network(api, page, net)
    assert net["weights"] == fresh["weights"]
    assert net["biases"] == fresh["biases"]


def test_a_rejected_learning_rate_reverts_and_says_why_with_eta(page: Page) -> None:
    eta = '[data-control="learning-rate"]'
    caption = '[data-bind="caption"]'
    status = '[data-bind="status"]'
    # An accepted η first: the caption says it changed.
    page.fill(eta, "0.25")
    page.press(eta, "Enter")
    page.wait_for_function("() => window.backpropViz.state().learning_rate === 0.25")
    assert "Changed" in page.inner_text(caption)
    # A refused one: the field shows the η the network uses, the status says why.
    page.fill(eta, "0")
    page.press(eta, "Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"status\"]').textContent.includes('η')"
    )
    message = page.inner_text(status)
    assert message.startswith("η: must be greater than 0 and at most 1000, got 0")
    assert "learning_rate" not in message
    assert "η stays 0.25" in message
    assert page.input_value(eta) == "0.25"
    assert state(page)["learning_rate"] == 0.25
    assert "Changed" not in page.inner_text(caption)
    # Not a number at all: the same.
    page.fill(eta, "fast")
    page.press(eta, "Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"status\"]').textContent.includes('number')"
    )
    assert page.inner_text(status).startswith("η: must be a number")
    assert page.input_value(eta) == "0.25"


def test_a_rejected_seed_reverts_and_says_why(page: Page) -> None:
    seed = '[data-control="seed"]'
    before = state(page)
    page.fill(seed, "-3")
    page.click('[data-action="reinit"]')
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"status\"]').textContent.includes('seed')"
    )
    message = page.inner_text('[data-bind="status"]')
    assert message.startswith("seed: ")
    assert "seed stays 0" in message
    assert page.input_value(seed) == "0"
    assert state(page) == before


def gradcheck_rows(page: Page) -> list[dict[str, Any]]:
    return page.eval_on_selector_all(
        "table.gradcheck tbody tr",
        """rs => rs.map(r => ({param: r.dataset.param, name: r.cells[0].textContent,
                              analytic: +r.dataset.analytic}))""",
    )


def test_the_gradient_check_tab_runs_the_check_itself(page: Page, api: httpx.Client) -> None:
    page.click('[data-action="equations"]')
    page.click('[role="tab"][data-tab="gradcheck"]')
    page.wait_for_selector("table.gradcheck tbody tr")
    expected = api.post("/api/v1/gradcheck", json=state(page)).json()
    rows = gradcheck_rows(page)
    # The parameter column reads the lecture's names; data-param keeps the API's path.
    names = {r["param"]: r["name"] for r in rows}
    assert names == {
        "w[0][0][0]": "w¹₁₁", "w[0][0][1]": "w¹₁₂", "w[0][1][0]": "w¹₂₁", "w[0][1][1]": "w¹₂₂",
        "w[1][0][0]": "w²₁₁", "w[1][0][1]": "w²₁₂", "w[1][1][0]": "w²₂₁", "w[1][1][1]": "w²₂₂",
        "b[0][0]": "b¹₁", "b[0][1]": "b¹₂", "b[1][0]": "b²₁", "b[1][1]": "b²₂",
    }  # fmt: skip
    by_param = {r["param"]: r["analytic"] for r in rows}
    assert by_param["w[1][0][0]"] == expected["analytic"]["weights"][1][0][0]

    # The network changes while the tab is shown: the check runs again, on the new one.
    edit(page, label_selector(1, 0, 0), "2")
    page.wait_for_function("() => window.backpropViz.state().network.weights[1][0][0] === 2")
    expected = api.post("/api/v1/gradcheck", json=state(page)).json()
    want = expected["analytic"]["weights"][1][0][0]
    page.wait_for_function(
        """want => {
          const r = document.querySelector('table.gradcheck tr[data-param="w[1][0][0]"]');
          return r && +r.dataset.analytic === want;
        }""",
        arg=want,
    )
    assert {r["param"]: r["analytic"] for r in gradcheck_rows(page)}["w[0][0][0]"] == (
        expected["analytic"]["weights"][0][0][0]
    )


def test_the_drawing_the_editor_and_the_panel_name_things_alike(page: Page) -> None:
    # The first hidden layer's first neuron: "layer 1, neuron 1" and z¹₁ everywhere.
    neuron = 'svg.network .neuron[data-layer="1"][data-node="0"]'
    assert page.get_attribute(neuron, "aria-label").startswith("layer 1, neuron 1")
    page.click('[data-action="equations"]')
    page.evaluate("() => window.backpropViz.explain({kind: 'bias', layer: 1, node: 0})")
    page.wait_for_selector('[data-panel="equations"] .katex')
    heading = page.inner_text('[data-panel="equations"] h3')
    assert heading.startswith("Layer 1, neuron 1: z¹₁, a¹₁")
    edit(page, f"{neuron} circle.body", "0.35")  # opens the editor on b¹₁ (same value: no-op)
    assert page.inner_text('[data-bind="editor"] .popover-label').startswith(
        "b¹₁: bias of layer 1, neuron 1"
    )

    # The link from x₂ into layer 1's first neuron: w¹₁₂, on the drawing and in the panel.
    link = 'svg.network .link[data-layer="0"][data-from="1"][data-to="0"]'
    assert page.get_attribute(link, "aria-label").startswith(
        "w¹₁₂: from input x₂ to layer 1, neuron 1"
    )
    page.evaluate("() => window.backpropViz.explain({kind: 'weight', layer: 1, from: 1, to: 0})")
    page.wait_for_function(
        "() => document.querySelector('[data-panel=equations] h3').textContent.includes('w¹₁₂')"
    )
    assert page.inner_text('[data-panel="equations"] h3') == (
        "Weight w¹₁₂: from input x₂ to layer 1, neuron 1"
    )
    # The TeX names it too (KaTeX's MathML annotation carries the source).
    annotation = page.text_content('[data-panel="equations"] annotation')
    assert "w^{1}_{12}" in annotation
    # The input neuron itself: x₂ on the drawing, "input x₂" for a screen reader.
    inp = 'svg.network .neuron[data-layer="0"][data-node="1"]'
    assert page.get_attribute(inp, "aria-label").startswith("input x₂")
    # The caption of the forward pass's first event names the same neuron the same way.
    page.keyboard.press("Escape")
    page.evaluate("() => window.backpropViz.player.next()")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"caption\"]').textContent.includes('Forward')"
    )
    assert page.inner_text('[data-bind="caption"]').startswith(
        "Forward pass · layer 1, neuron 1: z¹₁ = Σ w·a + b = 0.3775, a¹₁ = sigmoid(z¹₁) = 0.5933"
    )
