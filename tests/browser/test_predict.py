"""The predict mode (issue 15 item 4; docs/page.md, "Predict mode"): with Predict on, the
player stops before a value and asks for it; the guess is compared with the server's value.

The oracle is the API's own POST /api/v1/trace, fetched here (its layers' z, ∂l/∂z, ∂l/∂w
and its θ¹ network), never what the page shows. Keyboard only through a whole step of the
worked example: a right guess, a far one (the distance), Escape, Skip, the update's
direction; focus back where it was; the live region; `predict=1` in links and /embed; which
value is asked per phase and for a picked neuron or link; zh-TW; axe; a host's setPredict
and prediction messages; screenshots at 1280 × 800, in a 420 px frame and on a phone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PageLog
from tests.browser.hosts import HostSite, host_site
from tests.browser.test_a11y import axe_violations
from tests.browser.test_i18n import ALLOWED_WORDS, api_names, english_in  # noqa: F401

QUESTION = """() => {
  const q = window.backpropViz.store.state.playback.question;
  return q ? q.question.name : null; }"""
ACTIVE = """() => { const a = document.activeElement;
  return a === document.body ? 'body' : a.dataset.action || a.dataset.control || a.tagName; }"""
CARD = """() => { const c = document.querySelector('[data-bind="predict"]');
  return {hidden: c.hidden, state: c.dataset.state, verdict: c.dataset.verdict,
          text: c.innerText, value: c.querySelector('.predict-value')?.title ?? null}; }"""
ANNOUNCED = "() => document.querySelector('[data-bind=\"announce\"]').textContent"
# Where focus went, in order (the next question may take it again at once at 8×).
# and each verdict the card showed (at 8× the next question may replace it within a frame).
FOCUS_LOG = """() => { window.focusLog = []; window.verdicts = [];
  document.addEventListener('focusin', (e) => window.focusLog.push(
    e.target.dataset.action || e.target.dataset.control || e.target.tagName));
  const c = document.querySelector('[data-bind="predict"]');
  new MutationObserver(() => {
    if (c.dataset.verdict) window.verdicts.push({verdict: c.dataset.verdict, text: c.innerText,
      value: c.querySelector('.predict-value')?.title ?? null});
  }).observe(c, {attributes: true, attributeFilter: ['data-verdict'], subtree: true,
                 childList: true});
}"""


def verdict_about(page: Page, name: str) -> dict[str, Any]:
    """The first verdict the card showed about `name` ("z¹₁ = 0.3775 …")."""
    find = "(name) => window.verdicts.find((v) => v.text.includes(name + ' = ')) || null"
    page.wait_for_function(find, arg=name)
    return page.evaluate(find, name)


def focus_went(page: Page, since: int) -> list[str]:
    return page.evaluate("(n) => window.focusLog.slice(n)", since)


def focus_count(page: Page) -> int:
    return page.evaluate("() => window.focusLog.length")


def api_step(api: httpx.Client, page: Page) -> dict[str, Any]:
    """The API's trace of the page's request (its θ¹ in `network`)."""
    request = page.evaluate("() => window.backpropViz.state()")
    r = api.post("/api/v1/trace", json=request)
    assert r.status_code == 200, r.text
    return {"request": request, **r.json()}


def asked(page: Page) -> str:
    page.wait_for_function(QUESTION)
    return page.evaluate(QUESTION)


def wait_unasked(page: Page) -> None:
    page.wait_for_function(
        "() => !window.backpropViz.store.state.playback.question && "
        "document.querySelector('[data-bind=\"predict\"]').dataset.state !== 'asking'"
    )


def tab_to(page: Page, action: str, limit: int = 400) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(ACTIVE) == action:
            return
    raise AssertionError(f"{action} not reached in {limit} Tabs")


def number_after(text: str, words: str) -> float:
    m = re.search(rf"{words}\s*([−\-]?[0-9.]+(?:e[−\-+]?\d+)?)", text)
    assert m, (words, text)
    return float(m.group(1).replace("−", "-"))


def all_questions(page: Page) -> list[tuple[str, str, Any]]:
    """Play a step, skipping every question: (name, the event's type, the event) each."""
    page.evaluate(
        "() => { window.backpropViz.setSpeed(1000); window.backpropViz.player.play('step'); }"
    )
    seen = []
    for _ in range(40):
        page.wait_for_function(
            "() => !!window.backpropViz.store.state.playback.question || "
            "window.backpropViz.player.finished"
        )
        q = page.evaluate(
            "() => { const q = window.backpropViz.store.state.playback.question; "
            "return q && {name: q.question.name, target: q.question.target, event: q.event}; }"
        )
        if q is None:
            return seen
        seen.append((q["name"], q["target"], q["event"]))
        page.evaluate("() => window.backpropViz.player.skip()")
    raise AssertionError("the step did not finish")


# ---- keyboard only, a whole step ------------------------------------------------------------


def test_keyboard_only_step_with_predictions_on_the_worked_example(
    open_path: Callable[..., Page], api: httpx.Client, page_log: PageLog
) -> None:
    page = open_path("/?predict=1")
    page.evaluate(FOCUS_LOG)
    truth = api_step(api, page)
    layers, theta1 = truth["layers"], truth["network"]
    assert page.get_attribute('[data-action="predict"]', "aria-pressed") == "true"
    page.locator("body").focus()
    tab_to(page, "step")
    for _ in range(3):
        page.keyboard.press("+")  # 8×
    page.keyboard.press("Enter")

    # z¹₁ = ?: focus in the answer field, the live region reads the question.
    assert asked(page) == "z¹₁"
    assert page.evaluate(ACTIVE) == "predict-guess"
    page.wait_for_function(f"() => ({ANNOUNCED})().includes('z¹₁ = ?')")
    z11 = layers[1]["z"][0]
    page.keyboard.type(repr(z11))
    n = focus_count(page)
    page.keyboard.press("Enter")
    card = verdict_about(page, "z¹₁")
    assert card["verdict"] == "right" and "right" in card["text"], card
    assert float(card["value"].replace("−", "-")) == z11  # beside the guess: the server's number
    assert focus_went(page, n)[:1] == ["step"]  # focus back where it was
    page.wait_for_function(f"() => ({ANNOUNCED})().includes('Right: z¹₁ = ')")

    # ∂l/∂z²₁ = ? (case 1): a guess far off shows how far, absolutely and relatively.
    assert asked(page) == "∂l/∂z²₁"
    assert page.evaluate(ACTIVE) == "predict-guess"
    dl_dz21 = layers[2]["dl_dz"][0]
    page.keyboard.type("1")
    n = focus_count(page)
    page.keyboard.press("Enter")
    card = verdict_about(page, "∂l/∂z²₁")
    assert card["verdict"] == "wrong", card
    assert float(card["value"].replace("−", "-")) == dl_dz21
    off = abs(1 - dl_dz21)
    assert number_after(card["text"], "off by") == pytest.approx(off, rel=1e-3)
    assert number_after(card["text"], r"off by [0-9.e−\-]+ \(") == pytest.approx(
        100 * off / abs(dl_dz21), rel=1e-2
    )
    page.wait_for_function(f"() => ({ANNOUNCED})().includes('your guess 1 is off by')")
    assert focus_went(page, n)[:1] == ["step"]
    verdict = page.evaluate("() => window.backpropViz.store.state.predict.verdict")
    assert verdict["right"] is False and verdict["guess"] == 1 and verdict["value"] == dl_dz21

    # ∂l/∂w²₁₁ = ?: Escape skips; nothing is judged, focus comes back.
    assert asked(page) == "∂l/∂w²₁₁"
    n = focus_count(page)
    page.keyboard.press("Escape")
    page.wait_for_function("(n) => window.focusLog.length > n", arg=n)
    assert focus_went(page, n)[:1] == ["step"]
    assert page.evaluate("() => window.backpropViz.store.state.predict.verdict.name") == "∂l/∂z²₁"

    # ∂l/∂z¹₁ = ? (case 2): Skip, reached by Tab from the field.
    assert asked(page) == "∂l/∂z¹₁"
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == "predict-answer"
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == "predict-skip"
    n = focus_count(page)
    page.keyboard.press("Enter")
    page.wait_for_function("(n) => window.focusLog.length > n", arg=n)
    assert focus_went(page, n)[:1] == ["step"]

    # w¹₁₁|θ¹ = ?: the direction of the change, picked by keyboard.
    assert asked(page) == "w¹₁₁|θ¹"
    before, after = truth["request"]["network"]["weights"][0][0][0], theta1["weights"][0][0][0]
    assert after != before
    way = "predict-down" if after < before else "predict-up"
    page.keyboard.press("Tab")  # Answer
    page.keyboard.press("Tab")  # up
    if way == "predict-down":
        page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE) == way
    page.keyboard.press("Enter")
    card = verdict_about(page, "w¹₁₁|θ¹")
    assert card["verdict"] == "right", card
    assert float(card["value"].replace("−", "-")) == after
    page.wait_for_function("() => window.backpropViz.player.finished", timeout=60_000)
    assert page.evaluate(ACTIVE) == "step"
    # The step shown is the server's, answered or skipped: the drawing's z¹₁ is the API's.
    assert (
        float(page.get_attribute('svg.network .neuron[data-layer="1"][data-node="0"]', "data-z"))
        == z11
    )
    assert page_log.page_errors == [] and page_log.console_errors == [] and page_log.failed() == []


def test_focus_returns_to_a_drawn_neuron_and_a_typo_is_refused_in_place(
    open_path: Callable[..., Page],
) -> None:
    page = open_path("/?predict=1")
    page.evaluate("() => window.backpropViz.setSpeed(8)")
    page.focus('svg.network .neuron[data-layer="1"][data-node="1"]')
    page.keyboard.press("ArrowRight")  # one event forward: the first stop asks
    assert asked(page) == "z¹₁"
    assert page.evaluate(ACTIVE) == "predict-guess"
    page.keyboard.type("0x10")
    page.keyboard.press("Enter")
    card = page.evaluate(CARD)
    assert card["state"] == "asking" and "not a decimal number" in card["text"], card
    assert page.get_attribute('[data-control="predict-guess"]', "aria-invalid") == "true"
    assert page.evaluate(ACTIVE) == "predict-guess"
    page.keyboard.press("Escape")
    wait_unasked(page)
    assert page.evaluate(
        "() => document.activeElement.matches("
        '\'svg.network .neuron[data-layer="1"][data-node="1"]\')'
    )
    # Skipped: the event is shown all the same.
    page.wait_for_function("() => window.backpropViz.player.cursor === 1")


# ---- which value is asked -------------------------------------------------------------------


def test_a_question_per_phase_when_nothing_is_picked(
    open_path: Callable[..., Page], api: httpx.Client
) -> None:
    page = open_path("/?predict=1")
    layers = api_step(api, page)["layers"]
    seen = all_questions(page)
    assert [(name, e["type"], e.get("case")) for name, _, e in seen] == [
        ("z¹₁", "forward", None),
        ("∂l/∂z²₁", "backward", 1),
        ("∂l/∂w²₁₁", "gradient", None),
        ("∂l/∂z¹₁", "backward", 2),
        ("w¹₁₁|θ¹", "update", None),
    ]
    # The event each question stops before carries the API's number for it.
    assert seen[0][2]["z"] == layers[1]["z"][0]
    assert seen[1][2]["dl_dz"] == layers[2]["dl_dz"][0]
    assert seen[2][2]["dl_dw"][0] == layers[2]["dl_dw"][0][0]
    assert seen[3][2]["dl_dz"] == layers[1]["dl_dz"][0]
    assert seen[2][1] == {"quantity": "dl_dw", "layer": 2, "neuron": 1, "from": 1}


def test_the_picked_neuron_or_link_is_asked_about(
    open_path: Callable[..., Page], api: httpx.Client
) -> None:
    page = open_path("/?predict=1")
    truth = api_step(api, page)
    layers, theta1 = truth["layers"], truth["network"]
    page.evaluate("() => window.backpropViz.explain({kind: 'bias', layer: 2, node: 1})")
    seen = all_questions(page)
    assert [name for name, _, _ in seen] == ["z²₂", "∂l/∂z²₂", "b²₂|θ¹"]
    assert seen[0][2]["z"] == layers[2]["z"][1]
    assert seen[1][2]["dl_dz"] == layers[2]["dl_dz"][1]
    assert seen[2][2]["b"] == theta1["biases"][1][1]

    page.evaluate("() => window.backpropViz.player.seek(0)")
    # The link from neuron 2 of layer 1 to neuron 1 of layer 2: w²₁₂ (data-layer 1, from 1, to 0).
    page.evaluate("() => window.backpropViz.explain({kind: 'weight', layer: 2, from: 1, to: 0})")
    page.evaluate("() => window.backpropViz.load(window.backpropViz.state())")  # a fresh recording
    page.wait_for_function(
        "() => window.backpropViz.player.cursor === 0 && !window.backpropViz.player.recording"
    )
    seen = all_questions(page)
    assert [name for name, _, _ in seen] == ["∂l/∂w²₁₂", "w²₁₂|θ¹"]
    assert seen[0][2]["dl_dw"][1] == layers[2]["dl_dw"][0][1]
    assert seen[1][2]["w"][1] == theta1["weights"][1][0][1]


# ---- links, hooks, the switch ----------------------------------------------------------------


def share_link(page: Page) -> str:
    return page.evaluate("() => window.backpropViz.link()")


def test_predict_in_links_the_switch_and_the_hook(open_path: Callable[..., Page]) -> None:
    page = open_path("/?predict=1&preset=xor")
    assert page.evaluate("() => window.backpropViz.predict()") is True
    assert "predict=1" in share_link(page)
    page.wait_for_function("() => location.search.includes('predict=1')")
    # The switch turns it off: no question, and the links lose it.
    page.click('[data-action="predict"]')
    assert page.get_attribute('[data-action="predict"]', "aria-pressed") == "false"
    assert page.evaluate(CARD)["hidden"] is True
    assert "predict" not in share_link(page)
    page.wait_for_function("() => !location.search.includes('predict')")
    page.evaluate("() => window.backpropViz.run(1000)")
    assert page.evaluate("() => window.backpropViz.player.finished")
    # The hook turns it on again; off skips a waiting question.
    assert page.evaluate("() => window.backpropViz.predict(true)") is True
    assert "predict=1" in page.evaluate("() => window.backpropViz.link({embed: true})")
    page.evaluate("() => window.backpropViz.player.seek(0)")
    page.evaluate("() => { window.backpropViz.player.next(); }")
    assert asked(page) == "z¹₁"
    assert page.evaluate("() => window.backpropViz.predict(false)") is False
    page.wait_for_function("() => window.backpropViz.player.cursor === 1")
    assert page.evaluate("() => window.backpropViz.store.state.playback.question") is None

    plain = open_path("/?preset=xor")
    assert plain.evaluate("() => window.backpropViz.predict()") is False
    assert plain.evaluate(CARD)["hidden"] is True


def test_predict_in_embed_and_hidden_controls(open_path: Callable[..., Page]) -> None:
    page = open_path("/embed?predict=1", viewport={"width": 420, "height": 560})
    assert page.get_attribute('[data-action="predict"]', "aria-pressed") == "true"
    assert "predict=1" in share_link(page)
    page.evaluate("() => { window.backpropViz.player.next(); }")
    assert asked(page) == "z¹₁"
    # Without the player bar nobody could answer: predict=1 asks nothing there.
    bare = open_path("/embed?predict=1&hide=controls")
    assert bare.evaluate("() => window.backpropViz.predict()") is False
    bare.evaluate("() => window.backpropViz.run(1000)")
    assert bare.evaluate("() => window.backpropViz.player.finished")


# ---- languages, axe --------------------------------------------------------------------------


def test_zh_tw_asks_and_judges_in_chinese(
    open_path: Callable[..., Page],
    api: httpx.Client,
    api_names: set[str],  # noqa: F811
) -> None:
    page = open_path("/?predict=1&lang=zh-TW")
    z11 = api_step(api, page)["layers"][1]["z"][0]
    page.evaluate("() => { window.backpropViz.player.next(); }")
    assert asked(page) == "z¹₁"
    assert english_in(page, api_names) == []
    spoken = page.evaluate(ANNOUNCED)
    assert "z¹₁ = ?" in spoken and "預測" in spoken
    assert [w for w in re.findall(r"[A-Za-z]{2,}", spoken) if w not in ALLOWED_WORDS] == []
    page.fill('[data-control="predict-guess"]', repr(z11 + 0.5))
    page.press('[data-control="predict-guess"]', "Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"predict\"]').dataset.verdict === 'wrong'"
    )
    text = page.evaluate(CARD)["text"]
    assert "相差" in text and "你的預測" in text, text
    assert english_in(page, api_names) == []
    page.wait_for_function(f"() => ({ANNOUNCED})().includes('相差')")
    spoken = page.evaluate(ANNOUNCED)
    words = [
        w
        for w in re.findall(r"[A-Za-z]{2,}", spoken)
        if w not in ALLOWED_WORDS and w not in api_names
    ]
    assert words == [], spoken


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("path", ["/", "/embed"])
def test_axe_with_a_question_open_and_answered(
    open_path: Callable[..., Page], path: str, lang: str
) -> None:
    page = open_path(f"{path}?predict=1&lang={lang}")
    assert axe_violations(page) == []
    page.evaluate("() => { window.backpropViz.player.next(); }")
    asked(page)
    assert axe_violations(page) == []
    page.fill('[data-control="predict-guess"]', "0.5")
    page.press('[data-control="predict-guess"]', "Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"predict\"]').dataset.verdict"
    )
    assert axe_violations(page) == []


# ---- a host page -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSite]:
    with host_site(tmp_path_factory.mktemp("predict-hosts"), base_url) as s:
        yield s


def test_a_host_turns_predict_on_and_hears_each_prediction(
    browser: Browser, site: HostSite, base_url: str, api: httpx.Client
) -> None:
    frame_html = (
        f'<iframe id="viz" src="{base_url}/embed" title="backprop-viz" '
        'style="width:900px;height:600px;border:0"></iframe>'
    )
    script = "<script>window.viz = BackpropViz.connect(document.getElementById('viz'));</script>"
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(site.page(frame_html, script))
        page.evaluate("() => viz.ready")
        assert page.evaluate("() => viz.setPredict(true)") is True
        frame = next(f for f in page.frames if f.url.startswith(base_url + "/embed"))
        z11 = api.post(
            "/api/v1/trace", json=frame.evaluate("() => window.backpropViz.state()")
        ).json()["layers"][1]["z"][0]
        page.evaluate("() => { viz.setSpeed(1000); viz.play(); }")
        frame.wait_for_function(QUESTION)
        frame.fill('[data-control="predict-guess"]', "0.4")
        frame.press('[data-control="predict-guess"]', "Enter")
        message = page.wait_for_function(
            "() => messages.find((m) => m.data && m.data.type === 'prediction') || null"
        ).json_value()["data"]
        assert message == {
            "source": "backprop-viz",
            "type": "prediction",
            "target": {"quantity": "z", "layer": 1, "neuron": 1},
            "guess": 0.4,
            "value": z11,
            "right": abs(0.4 - z11) <= max(5e-4, 0.005 * abs(z11)),
        }
        # A malformed setPredict is refused with its reason; off lets the step run through.
        error = page.evaluate(
            "() => viz.iframe && new Promise((resolve) => { "
            "const id = 'bad'; addEventListener('message', (e) => { "
            "if (e.data && e.data.id === id) resolve(e.data.error); }); "
            "viz.iframe.contentWindow.postMessage({type: 'setPredict', on: 'yes', id}, '*'); })"
        )
        assert "on must be true or false" in error
        assert page.evaluate("() => viz.setPredict(false)") is False
        frame.wait_for_function("() => window.backpropViz.player.finished")
    finally:
        context.close()


# ---- looked at -------------------------------------------------------------------------------

SIZES = {
    "1280": ("/", {"viewport": {"width": 1280, "height": 800}}),
    "frame420": ("/embed", {"viewport": {"width": 420, "height": 560}}),
    "phone": (
        "/",
        {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
    ),
}


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("size", list(SIZES))
def test_the_card_fits_and_is_looked_at(
    open_path: Callable[..., Page], artifacts: Path, size: str, lang: str
) -> None:
    path, context = SIZES[size]
    page = open_path(f"{path}?predict=1&lang={lang}", **context)
    width = context["viewport"]["width"]
    page.evaluate("() => window.backpropViz.setSpeed(8)")
    page.evaluate("() => { window.backpropViz.player.play('step'); }")
    asked(page)

    def check(where: str) -> None:
        boxes = page.evaluate(
            """() => [...document.querySelectorAll(`[data-bind="predict"] :is(label, input,
                button, .predict-verdict, .predict-hint)`)]
              .filter((el) => el.getClientRects().length &&
                getComputedStyle(el).position !== 'absolute')
              .map((el) => { const r = el.getBoundingClientRect();
                return {name: el.dataset.action || el.dataset.control || el.className,
                        left: r.left, right: r.right}; })"""
        )
        assert boxes, where
        outside = [b for b in boxes if b["left"] < -0.5 or b["right"] > width + 0.5]
        assert outside == [], (where, outside)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width, where

    check("asking")
    page.screenshot(path=str(artifacts / f"predict-{size}-{lang}-ask.png"))
    page.fill('[data-control="predict-guess"]', "0.4")
    page.press('[data-control="predict-guess"]', "Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"predict\"]').dataset.verdict"
    )
    page.evaluate("() => window.backpropViz.player.pause()")
    check("answered")
    page.screenshot(path=str(artifacts / f"predict-{size}-{lang}-answered.png"))
    page.evaluate("() => { window.backpropViz.player.play('step'); }")
    while asked(page) != "w¹₁₁|θ¹":
        page.evaluate("() => window.backpropViz.player.skip()")
    check("asking the direction")
    page.screenshot(path=str(artifacts / f"predict-{size}-{lang}-ask-direction.png"))
