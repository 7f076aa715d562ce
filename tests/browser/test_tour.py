"""The lecture as a tour (/tour, /embed?view=tour): every chapter by keyboard alone, the
hash opens a chapter and a reload keeps it, the column ∇L against the server's trace, each
chapter's prediction asked and answered, chapter 2's cost from the server, both languages,
a 420 px frame and a phone, and axe.

The oracles are the API's own answers, asked for by the test process with httpx: POST
/api/v1/trace of the request the page shows (its gradients, its θ¹), GET /presets/{name}
(each chapter's network), POST /api/v1/cost (chapter 2's counts). Never the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PageLog
from tests.browser.hosts import HostSite, host_site
from tests.browser.test_a11y import axe_violations

IDS = ["gradient-descent", "why-backprop", "chain-rule", "forward", "backward", "summary"]
FAST = 200  # playback speed: a chapter plays in a blink
TOUR = "() => window.backpropViz.store.state.tour"
QUESTION = "() => window.backpropViz.store.state.playback.question"


def chapter_ready(page: Page, chapter: str) -> None:
    """Wait until `chapter` is shown and ready to play (its network loaded, the player placed)."""
    page.wait_for_function(
        "(id) => window.backpropViz.store.state.tour?.chapter === id",
        arg=chapter,
    )


def shown(page: Page) -> dict[str, Any]:
    return page.evaluate(
        """() => ({
          chapter: window.backpropViz.store.state.tour.chapter,
          hash: location.hash,
          title: document.querySelector('[data-bind="tour-title"]').textContent,
          current: document.querySelector('.tour-nav [aria-current="step"]').dataset.chapter,
        })"""
    )


def press_until_focused(page: Page, selector: str, limit: int = 80) -> None:
    """Tab through the page (keyboard alone) until `selector` has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never took the focus in {limit} tabs")


def trace_of(api: httpx.Client, request: dict[str, Any]) -> dict[str, Any]:
    r = api.post("/api/v1/trace", json=request)
    assert r.status_code == 200, r.text
    return r.json()


# ---- the way through ------------------------------------------------------------------------


def test_every_chapter_by_keyboard_alone(open_path: Callable[..., Page], api: httpx.Client) -> None:
    page = open_path("/tour")
    chapter_ready(page, IDS[0])
    assert shown(page) == {
        "chapter": IDS[0],
        "hash": f"#{IDS[0]}",
        "title": "Gradient descent",
        "current": IDS[0],
    }
    # Next, by Tab and Enter, to the last chapter; each loads its own network.
    press_until_focused(page, '[data-action="tour-next"]')
    for k, chapter in enumerate(IDS[1:], start=1):
        page.keyboard.press("Enter")
        chapter_ready(page, chapter)
        now = shown(page)
        assert now["chapter"] == now["current"] == chapter
        assert now["hash"] == f"#{chapter}"
        assert page.evaluate(
            "() => document.querySelector('[data-bind=\"tour-count\"]').textContent"
        ) == (f"Chapter {k + 1} of 6")
    # At the end Next is disabled and the keyboard is handed to Previous, not lost.
    assert page.evaluate("() => document.querySelector('[data-action=\"tour-next\"]').disabled")
    assert page.evaluate("() => document.activeElement.dataset.action") == "tour-prev"
    page.keyboard.press("Enter")
    chapter_ready(page, IDS[4])

    # PageUp / PageDown from anywhere outside a field.
    page.evaluate("() => document.activeElement.blur()")
    for chapter in reversed(IDS[:4]):
        page.keyboard.press("PageUp")
        chapter_ready(page, chapter)
    page.keyboard.press("PageUp")  # the first chapter stays the first
    page.keyboard.press("PageDown")
    chapter_ready(page, IDS[1])
    page.keyboard.press("PageUp")
    chapter_ready(page, IDS[0])

    # ← / → on the chapter links move the chapter (and the focus), not the player.
    press_until_focused(page, f'.tour-nav [data-chapter="{IDS[0]}"]')
    page.keyboard.press("ArrowRight")
    chapter_ready(page, IDS[1])
    assert page.evaluate("() => document.activeElement.dataset.chapter") == IDS[1]
    assert page.evaluate("() => window.backpropViz.player.cursor") == 0
    page.keyboard.press("ArrowLeft")
    chapter_ready(page, IDS[0])
    # Elsewhere ← / → stay the player's: one event forward, the chapter unchanged.
    page.evaluate("() => document.activeElement.blur()")
    page.evaluate("() => window.backpropViz.predict(false)")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.backpropViz.player.cursor === 1")
    assert shown(page)["chapter"] == IDS[0]
    # A chapter link, clicked by Enter, opens its chapter.
    press_until_focused(page, f'.tour-nav [data-chapter="{IDS[3]}"]')
    page.keyboard.press("Enter")
    chapter_ready(page, IDS[3])


def test_a_link_opens_its_chapter_and_a_reload_keeps_it(
    open_path: Callable[..., Page], api: httpx.Client
) -> None:
    page = open_path("/tour#backward")
    chapter_ready(page, "backward")
    assert shown(page)["current"] == "backward"
    # The chapter's network, as the server has it, opened after the forward pass.
    preset = api.get("/api/v1/presets/lecture-2-input").json()
    state = page.evaluate("() => window.backpropViz.state()")
    assert state["network"]["weights"] == preset["network"]["weights"]
    assert state["input"] == preset["input"]
    events = page.evaluate("() => window.backpropViz.player.events")
    cursor = page.evaluate("() => window.backpropViz.player.cursor")
    assert events[cursor]["type"] == "backward"
    assert all(e["type"] in ("forward", "loss") for e in events[:cursor])
    # The chain rule's case 2 is on the panel's neuron: z²₁ is picked.
    assert page.evaluate("() => window.backpropViz.store.state.selection") == {
        "kind": "bias",
        "layer": 2,
        "node": 0,
    }

    page.keyboard.press("PageDown")
    chapter_ready(page, "summary")
    assert urlsplit(page.url).fragment == "summary"
    page.reload()
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    chapter_ready(page, "summary")
    assert shown(page)["current"] == "summary"
    # An unknown chapter opens the first.
    page.goto(page.url.split("#")[0] + "#no-such-chapter")
    page.reload()
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    chapter_ready(page, IDS[0])


# ---- ∇L from the trace --------------------------------------------------------------------

COLUMN = """() => [...document.querySelectorAll('.tour-column li[data-param]')].map((li) => ({
  param: li.dataset.param,
  text: li.querySelector('.tour-column-value').textContent,
  value: li.querySelector('.tour-column-value').dataset.value ?? null,
}))"""


def expected_column(trace: dict[str, Any], layers: list[int]) -> list[tuple[str, float]]:
    """The lecture's ∇L: every ∂L/∂w (layer by layer, w^l_ji row by row), then every ∂L/∂b."""
    rows = []
    for l in range(1, len(layers)):
        for j in range(layers[l]):
            for i in range(layers[l - 1]):
                rows.append((f"w {l} {j + 1} {i + 1}", trace["layers"][l]["dl_dw"][j][i]))
    for l in range(1, len(layers)):
        for j in range(layers[l]):
            rows.append((f"b {l} {j + 1}", trace["layers"][l]["dl_db"][j]))
    return rows


def check_column(page: Page, api: httpx.Client) -> dict[str, Any]:
    """The column's numbers against the server's trace of the request on screen."""
    request = page.evaluate("() => window.backpropViz.state()")
    trace = trace_of(api, request)
    got = page.evaluate(COLUMN)
    want = expected_column(trace, request["network"]["layers"])
    assert [g["param"] for g in got] == [p for p, _ in want]
    for g, (param, x) in zip(got, want, strict=True):
        assert g["value"] is not None and float(g["value"]) == x, (param, g, x)
        assert abs(float(g["text"].replace("−", "-")) - x) <= 5e-4 * abs(x) + 1e-12, (g, x)
    return trace


def test_the_gradient_column_is_the_servers_trace_theta0_to_theta2(
    open_path: Callable[..., Page], api: httpx.Client
) -> None:
    page = open_path("/tour#gradient-descent")
    chapter_ready(page, "gradient-descent")
    before = page.evaluate(COLUMN)
    assert len(before) == 12 and all(r["text"] == "?" and r["value"] is None for r in before)
    caption = page.evaluate("() => document.querySelector('.tour-gradient-caption').textContent")
    assert "∇L(θ⁰)" in caption and "12" in caption
    page.evaluate("() => window.backpropViz.predict(false)")
    page.evaluate(f"() => window.backpropViz.run({FAST})")
    first = check_column(page, api)

    # Play again: θ¹ is the server's update of θ⁰, and the column is ∇L(θ¹) from its trace.
    page.evaluate("() => window.backpropViz.setSpeed(200)")
    page.click('[data-action="tour-play"]')
    page.wait_for_function(
        "() => { const s = window.backpropViz.store.state; return s.steps.length === 2 "
        "&& s.playback.finished; }"
    )
    theta1 = page.evaluate("() => window.backpropViz.state()")
    assert theta1["network"]["weights"] == first["network"]["weights"]
    assert theta1["network"]["biases"] == first["network"]["biases"]
    check_column(page, api)
    caption = page.evaluate("() => document.querySelector('.tour-gradient-caption').textContent")
    assert "∇L(θ¹)" in caption
    assert page.evaluate("() => document.querySelector('.tour-gradient-update').textContent") == (
        "θ² = θ¹ − η∇L(θ¹)"
    )


# ---- the prediction -------------------------------------------------------------------------


def test_a_chapter_asks_its_prediction_and_answers_it(
    open_path: Callable[..., Page], api: httpx.Client
) -> None:
    page = open_path("/tour#forward")
    chapter_ready(page, "forward")
    request = page.evaluate("() => window.backpropViz.state()")
    a11 = trace_of(api, request)["layers"][1]["a"][0]
    page.evaluate("() => window.backpropViz.setSpeed(50)")
    page.click('[data-action="tour-play"]')
    page.wait_for_function(QUESTION)
    q = page.evaluate(QUESTION)
    assert q["question"]["target"] == {"quantity": "a", "layer": 1, "neuron": 1}
    assert q["index"] == 0  # before the first event: nothing of a¹₁ is on screen yet
    assert page.evaluate("() => document.querySelector('.predict-ask').textContent") == (
        "∂z²₁/∂w²₁₁ = a¹₁ = ?"
    )
    # The keyboard is in the answer's field; the right value, typed, and Enter.
    assert page.evaluate("() => document.activeElement.dataset.control") == "predict-guess"
    page.keyboard.type(f"{a11:.6f}")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"predict\"]').dataset.verdict === 'right'"
    )
    # The chapter plays on to the end of the forward pass, and asks nothing else.
    page.wait_for_function("() => !window.backpropViz.player.playing")
    events = page.evaluate("() => window.backpropViz.player.events")
    cursor = page.evaluate("() => window.backpropViz.player.cursor")
    assert events[cursor]["type"] == "backward"
    assert page.evaluate(QUESTION) is None

    # Chapter 1: the direction of w¹₁₁ (θ¹ − θ⁰), answered with the wrong way on purpose.
    for chapter in ["chain-rule", "why-backprop", "gradient-descent"]:
        page.keyboard.press("PageUp")
        chapter_ready(page, chapter)
    request = page.evaluate("() => window.backpropViz.state()")
    w0 = request["network"]["weights"][0][0][0]
    w1 = trace_of(api, request)["network"]["weights"][0][0][0]
    wrong = "predict-up" if w1 < w0 else "predict-down"
    page.click('[data-action="tour-play"]')
    page.wait_for_function(QUESTION)
    assert page.evaluate(QUESTION)["question"]["target"] == {
        "quantity": "w_next",
        "layer": 1,
        "neuron": 1,
        "from": 1,
    }
    page.click(f'[data-action="{wrong}"]')
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"predict\"]').dataset.verdict === 'wrong'"
    )
    verdict = page.evaluate("() => window.backpropViz.store.state.predict.verdict")
    assert verdict["moved"] == ("down" if w1 < w0 else "up")
    assert verdict["value"] == w1


# ---- chapter 2: the cost --------------------------------------------------------------------


def test_the_cost_chapter_shows_the_servers_counts_and_plots_the_sweep(
    open_path: Callable[..., Page], api: httpx.Client
) -> None:
    page = open_path("/tour#why-backprop")
    chapter_ready(page, "why-backprop")
    page.wait_for_function("() => !!document.querySelector('.tour-cost-numbers')")
    request = page.evaluate("() => window.backpropViz.state()")
    r = api.post("/api/v1/cost", json=request)
    assert r.status_code == 200, r.text
    cost = r.json()
    numbers = page.evaluate(
        "() => [...document.querySelectorAll('.tour-cost-numbers dd')].map((d) => ({...d.dataset}))"
    )
    assert numbers[0]["parameters"] == str(cost["parameters"]) == "12"
    assert numbers[1]["passes"] == str(cost["finite_differences"]["forward_passes"]) == "24"
    assert numbers[2]["passes"] == "1"
    assert float(numbers[1]["seconds"]) > 0 and float(numbers[2]["seconds"]) > 0
    # The plot has a point per network of the server's sweep, for each way, in order of P.
    sweep = api.get("/api/v1/cost/sweep").json()
    sizes = [n["parameters"] for n in sweep["networks"]]
    assert page.evaluate("() => document.querySelectorAll('.cost-fd circle').length") == len(sizes)
    assert page.evaluate("() => document.querySelectorAll('.cost-bp circle').length") == len(sizes)
    rows = page.evaluate(
        "() => [...document.querySelectorAll('.tour-cost-table tbody tr')]"
        ".map((tr) => Number(tr.dataset.parameters))"
    )
    assert rows == sorted(sizes) and max(rows) > 30000
    label = page.evaluate(
        "() => document.querySelector('.tour-cost-plot svg').getAttribute('aria-label')"
    )
    assert str(max(sizes)) in label


# ---- languages, a frame, a phone, axe ----------------------------------------------------------


def test_the_tour_in_chinese(open_path: Callable[..., Page]) -> None:
    page = open_path("/tour?lang=zh-TW#chain-rule")
    chapter_ready(page, "chain-rule")
    assert page.evaluate("() => document.documentElement.lang").startswith("zh")
    assert shown(page)["title"] == "連鎖律"
    text = page.evaluate("() => document.querySelector('.tour').innerText")
    assert "連鎖律" in text and "下一章" in text and "第 3 章，共 6 章" in text
    # Every chapter link is named by its number and its title (the others' titles hidden
    # from sight only).
    names = page.evaluate(
        "() => [...document.querySelectorAll('.tour-nav a')].map((a) => a.textContent.trim())"
    )
    assert names == [
        "1 梯度下降",
        "2 為什麼要反向傳播",
        "3 連鎖律",
        "4 前向傳遞",
        "5 反向傳遞",
        "6 總結",
    ]
    # The language switch turns the chapter into English, where it stays.
    page.evaluate("() => window.backpropViz.setLanguage('en')")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"tour-title\"]').textContent"
        " === 'The chain rule'"
    )
    assert "Next" in page.evaluate("() => document.querySelector('.tour').innerText")
    assert shown(page)["chapter"] == "chain-rule"


RESPONSE = "(id) => messages.find((m) => m.data.type === 'response' && m.data.id === id).data"
HOST_SCRIPT = """<script>
window.send = (message) => document.getElementById('viz').contentWindow.postMessage(message, '*');
</script>"""


@pytest.fixture(scope="module")
def site(base_url: str, tmp_path_factory: pytest.TempPathFactory):
    with host_site(tmp_path_factory.mktemp("tour-hosts"), base_url) as s:
        yield s


def test_the_tour_in_a_420px_frame(browser: Browser, base_url: str, site: HostSite) -> None:
    frame_html = (
        f'<iframe id="viz" src="{base_url}/embed?view=tour#backward" '
        'title="backprop-viz" style="width:420px;height:700px;border:0"></iframe>'
    )
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.goto(site.page(frame_html, HOST_SCRIPT))
        page.wait_for_function("() => messages.some((m) => m.data && m.data.type === 'ready')")
        frame = next(f for f in page.frames if urlsplit(f.url).path == "/embed")
        frame.wait_for_function("() => window.backpropViz.store.state.tour?.chapter === 'backward'")
        for chapter in ["summary", "backward", "forward", "chain-rule", "why-backprop"]:
            wide = frame.evaluate(
                """() => [...document.querySelectorAll('button, select, input, a, .tour p, svg')]
                  .filter((el) => el.getClientRects().length
                    && el.getBoundingClientRect().right > innerWidth + 0.5)
                  .map((el) => el.outerHTML.slice(0, 80))"""
            )
            assert wide == []
            assert frame.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
            # The way through is on screen in the frame, the drawing too.
            for sel in ['[data-action="tour-next"]', '[data-action="tour-prev"]', "svg.network"]:
                box = frame.locator(sel).bounding_box()
                assert box and box["y"] >= 0 and box["y"] + box["height"] <= 700 + 0.5, (sel, box)
            frame.click(
                '[data-action="tour-next"]' if chapter == "summary" else '[data-action="tour-prev"]'
            )
            frame.wait_for_function(
                "(id) => window.backpropViz.store.state.tour?.chapter === id", arg=chapter
            )
        # The host chooses a chapter and hears each one the reader opens.
        page.evaluate("() => send({type: 'chapter', chapter: 'forward', id: 1})")
        page.wait_for_function(
            "() => messages.some((m) => m.data.type === 'response' && m.data.id === 1)"
        )
        answer = page.evaluate(RESPONSE, 1)
        assert answer["result"]["chapter"] == "forward"
        frame.click('[data-action="tour-next"]')
        page.wait_for_function(
            "() => messages.some((m) => m.data.type === 'chapter' && m.data.chapter === 'backward'"
            " && m.data.index === 4)"
        )
        page.evaluate("() => send({type: 'chapter', chapter: 'nope', id: 2})")
        page.wait_for_function(
            "() => messages.some((m) => m.data.type === 'response' && m.data.id === 2)"
        )
        assert "gradient-descent" in page.evaluate(RESPONSE, 2)["error"]
        assert frame.evaluate("() => window.backpropViz.tour().chapter") == "backward"
    finally:
        context.close()


def test_the_tour_on_a_phone(open_path: Callable[..., Page]) -> None:
    page = open_path("/tour#chain-rule", viewport={"width": 390, "height": 844}, has_touch=True)
    chapter_ready(page, "chain-rule")
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    # The panel would cover the drawing here: the item is picked, the panel waits to be asked.
    assert page.evaluate("() => document.querySelector('[data-bind=\"panel\"]').hidden")
    assert page.evaluate("() => window.backpropViz.store.state.selection.kind") == "weight"
    for sel in ['[data-action="tour-next"]', '[data-action="tour-play"]', '[data-action="step"]']:
        box = page.locator(sel).bounding_box()
        assert box and box["y"] + box["height"] <= 844 and box["height"] >= 28, (sel, box)


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_axe_finds_no_serious_violation_on_the_tour(
    browser: Browser, base_url: str, page_log: PageLog, lang: str, open_path: Callable[..., Page]
) -> None:
    page = open_path(f"/tour?lang={lang}#why-backprop")
    chapter_ready(page, "why-backprop")
    page.wait_for_function("() => !!document.querySelector('.tour-cost-numbers')")
    assert axe_violations(page) == []
    # A chapter with the equation panel open and its question asked.
    page.keyboard.press("PageDown")
    chapter_ready(page, "chain-rule")
    page.evaluate("() => window.backpropViz.setSpeed(50)")
    page.click('[data-action="tour-play"]')
    page.wait_for_function(QUESTION)
    assert axe_violations(page) == []
