"""The lecture's picture of the backward pass: the reversed network's links read w (the
weights that carry ∂l/∂z back), ∂l/∂w = a × ∂l/∂z appears at the gradient step; and Play
after a finished step takes the next one, θ¹ → θ², counting the steps and their losses."""

from __future__ import annotations

import json

import httpx
from playwright.sync_api import Page

from tests.browser.helpers import label_selector, load, run

MINUS = "\u2212"
STEPS = "document.querySelector('[data-bind=steps]')"


def drawn(x: float, digits: int = 3) -> str:
    """The drawing's 3 significant digits (format.js short), written independently here."""
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e4:
        text = f"{abs(x):#.{digits}g}".rstrip(".")
    else:
        mantissa, exponent = f"{abs(x):.{digits - 1}e}".split("e")
        text = f"{mantissa}e{int(exponent)}"
    return (MINUS if x < 0 else "") + text


def seek_to(page: Page, predicate: str) -> dict:
    """Record the whole step, then show the state just after the first event that matches."""
    return page.evaluate(
        """async (src) => {
          const match = new Function("e", "return " + src);
          const p = window.backpropViz.player;
          await p.openAt("step");
          const k = p.events.findIndex(match);
          p.seek(k + 1);
          return p.events[k];
        }""",
        predicate,
    )


def label(page: Page, layer: int, i: int, j: int) -> dict:
    return page.eval_on_selector(
        label_selector(layer, i, j),
        "g => ({text: g.querySelector('text').textContent, grad: g.classList.contains('grad'),"
        " carry: g.classList.contains('carry')})",
    )


def worked_example(page: Page, api: httpx.Client) -> dict:
    request = api.get("/api/v1/presets/worked-example-2-2-2").json()
    load(page, request)
    return request


def test_in_case_2_the_links_read_w_not_the_gradients(page: Page, api: httpx.Client) -> None:
    request = worked_example(page, api)
    trace = api.post("/api/v1/trace", json=request).json()
    event = seek_to(page, 'e.type === "backward" && e.case === 2')
    assert (event["layer"], event["node"]) == (1, 0)
    weights = request["network"]["weights"]  # weights[l][j][i]: into neuron j of layer l+1
    for j in range(2):
        for i in range(2):
            got = label(page, 1, i, j)
            # The gap that carries ∂l/∂z back to hidden neuron 1 shows w⁰, and is marked.
            assert got["text"] == drawn(weights[1][j][i]), (i, j, got)
            assert not got["grad"]
            assert got["carry"] == (i == 0), (i, j, got)
            # … not ∂l/∂w, which the trace has for these links by now.
            assert got["text"] != drawn(trace["layers"][2]["dl_dw"][j][i])
    caption = page.text_content('[data-bind="caption"]')
    # Σ w·∂l/∂z′ written out with the weights on the links and the server's sum.
    assert "0.4000 × 0.1385 + 0.5000 × (−0.03810) = 0.03635" in caption, caption


def test_the_gradient_step_shows_dl_dw_on_its_neurons_links(page: Page, api: httpx.Client) -> None:
    request = worked_example(page, api)
    trace = api.post("/api/v1/trace", json=request).json()
    event = seek_to(page, 'e.type === "gradient" && e.layer === 2 && e.node === 0')
    dl_dw = trace["layers"][2]["dl_dw"]
    for i in range(2):
        got = label(page, 1, i, 0)
        assert got["grad"] and got["text"] == drawn(dl_dw[0][i]), got
        # The other output neuron's links still read w: its gradient step has not come.
        other = label(page, 1, i, 1)
        assert not other["grad"] and other["text"] == drawn(request["network"]["weights"][1][1][i])
    assert event["dl_dw"] == dl_dw[0]
    # At the end of the backward pass (the Backward stop) every link shows its ∂l/∂w.
    page.evaluate('() => window.backpropViz.player.openAt("backward")')
    for layer in (0, 1):
        for j in range(2):
            for i in range(2):
                got = label(page, layer, i, j)
                dl_dw = trace["layers"][layer + 1]["dl_dw"][j][i]
                assert got["grad"] and got["text"] == drawn(dl_dw)


def test_play_after_a_finished_step_takes_the_next_step(page: Page, api: httpx.Client) -> None:
    request = worked_example(page, api)
    first = run(page)
    steps = page.locator('[data-bind="steps"]')
    assert steps.get_attribute("data-steps") == "1"
    # Play, not Step: the next step from θ¹, not the same one again.
    page.evaluate("() => window.backpropViz.setSpeed(1000)")
    page.click('[data-action="play"]')
    page.wait_for_function(f"() => {STEPS}.dataset.steps === '2'")
    page.wait_for_function("() => window.backpropViz.store.state.playback.finished")
    theta1 = api.post("/api/v1/trace", json=request).json()["network"]  # the update's θ¹
    new = page.evaluate("() => window.backpropViz.state()")
    assert new["network"]["weights"] == theta1["weights"]
    assert new["network"]["biases"] == theta1["biases"]
    done = json.loads(api.post("/api/v1/trace/stream", json=new).text.strip().splitlines()[-1])
    losses = page.evaluate(f"() => JSON.parse({STEPS}.dataset.losses)")
    # l at θ⁰, at θ¹ (the first step's loss_after is the second step's loss), at θ².
    assert losses == [first["loss"], done["loss"], done["loss_after"]]
    assert first["loss_after"] == done["loss"]
    assert losses[0] > losses[1] > losses[2]
    text = steps.text_content()
    assert text.startswith("step 2") and "0.2984 → 0.2805" in text, text
    # An edit starts a new count.
    load(page, request)
    page.wait_for_function("() => document.querySelector('[data-bind=steps]').hidden")


def test_case_2_of_the_lectures_network_spells_out_its_sum(page: Page, api: httpx.Client) -> None:
    """The lecture's 2-input network: a negative w in the written-out Σ w·∂l/∂z′ stands in
    parentheses, and every number is the request's or the server's."""
    request = api.get("/api/v1/presets/lecture-2-input").json()
    load(page, request)
    trace = api.post("/api/v1/trace", json=request).json()
    seek_to(page, 'e.type === "backward" && e.case === 2 && e.layer === 2 && e.node === 0')

    def text(x: float) -> str:
        t = f"{abs(x):#.4g}"
        return f"({MINUS}{t})" if x < 0 else t

    w = request["network"]["weights"][2]  # into layer 3, from layer 2
    dl_dz = trace["layers"][3]["dl_dz"]
    terms = " + ".join(f"{text(w[j][0])} × {text(dl_dz[j])}" for j in range(len(dl_dz)))
    caption = page.text_content('[data-bind="caption"]')
    assert f"Σ w·∂l/∂z′ = {terms} = " in caption, (terms, caption)
    assert any(w[j][0] < 0 for j in range(len(dl_dz)))  # the case this test is about
