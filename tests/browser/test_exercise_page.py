"""The exercise page (/exercise/{id}?seed=n, /embed?exercise={id}): a student answers by
keyboard, Check, the verdicts, the reveal, no peeking before Check, the seed in the address,
an unknown exercise, Chinese, a 420 px frame, axe, and the host's messages.

The oracle for the right answers is the API's own step, asked for by the test process: POST
/api/v1/trace with the variant's request, read as docs/exercises.md's table says (the sign
of a value, or of θ¹ − θ⁰; a choice's largest |value| or |θ¹ − θ⁰|). Never the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import PageLog, open_page
from tests.browser.hosts import HostSite, host_site
from tests.browser.test_a11y import axe_violations

EXERCISE = "update-2-2-1"  # every kind: numbers, a sign of θ¹ − θ⁰, a choice
WHOLE = "whole-step-2-2-2"
FAST = 60  # playback speed for the reveal: it animates in a blink
CHECKED = "() => window.backpropViz.exercise().checked"
VERDICTS = "(cs) => cs.map((c) => c.dataset.verdict)"
MARKS = "(ms) => ms.map((m) => [m.dataset.mark, m.textContent])"
SEEN = """() => {
  window.seen = {};
  window.seenOrder = [];
  new MutationObserver((records) => {
    for (const r of records) {
      for (const m of r.addedNodes) {
        if (!m.classList.contains('latest') || m.dataset.mark in window.seen) continue;
        window.seen[m.dataset.mark] = m.textContent;
        window.seenOrder.push(m.dataset.mark);
      }
    }
  }).observe(document.querySelector('.ex-marks'), {childList: true});
}"""
REVEALED = """() => {
  const marks = document.querySelectorAll('.ex-mark');
  return marks.length > 0 && [...marks].every((m) => m.classList.contains('revealed'))
    && !document.querySelector('[data-bind="panel"]').hidden;
}"""


# ---- the oracle --------------------------------------------------------------------------


def variant(api: httpx.Client, exercise: str, seed: int) -> dict[str, Any]:
    r = api.post(f"/api/v1/exercises/{exercise}", json={"seed": seed})
    assert r.status_code == 200, r.text
    return r.json()


def value_of(trace: dict[str, Any], request: dict[str, Any], t: dict[str, Any]) -> float:
    """A target's value in the trace's JSON (docs/exercises.md's table)."""
    q = t["quantity"]
    if q == "loss":
        return trace["loss"]
    l, j = t["layer"], t["neuron"] - 1
    if q == "w_next":
        return trace["network"]["weights"][l - 1][j][t["from"] - 1]
    if q == "b_next":
        return trace["network"]["biases"][l - 1][j]
    if q == "dl_dw":
        return trace["layers"][l]["dl_dw"][j][t["from"] - 1]
    return trace["layers"][l][q][j]


def start_of(request: dict[str, Any], t: dict[str, Any]) -> float:
    """θ⁰ of a w_next or b_next target (what the change is measured from), else 0."""
    l, j = t.get("layer"), t.get("neuron", 1) - 1
    if t["quantity"] == "w_next":
        return request["network"]["weights"][l - 1][j][t["from"] - 1]
    if t["quantity"] == "b_next":
        return request["network"]["biases"][l - 1][j]
    return 0.0


def answers_of(api: httpx.Client, v: dict[str, Any]) -> dict[str, Any]:
    """The right answer to each question, from the API's step of the variant's request."""
    request = v["request"]
    r = api.post("/api/v1/trace", json=request)
    assert r.status_code == 200, r.text
    trace = r.json()
    right: dict[str, Any] = {}
    for q in v["questions"]:
        if q["kind"] == "choice":
            sizes = [
                abs(value_of(trace, request, o["target"]) - start_of(request, o["target"]))
                for o in q["options"]
            ]
            right[q["id"]] = q["options"][sizes.index(max(sizes))]["value"]
            continue
        x = value_of(trace, request, q["target"])
        if q["kind"] == "number":
            right[q["id"]] = x
        else:
            change = x - start_of(request, q["target"])
            right[q["id"]] = "+" if change > 0 else "-" if change < 0 else "0"
    return right


def nudged(v: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    """Each answer made wrong: a number 10 % and 0.01 off, another sign, another option."""
    wrong: dict[str, Any] = {}
    for q in v["questions"]:
        x = right[q["id"]]
        if q["kind"] == "number":
            wrong[q["id"]] = x * 1.1 + 0.01
        elif q["kind"] == "sign":
            wrong[q["id"]] = "-" if x == "+" else "+"
        else:
            wrong[q["id"]] = next(o["value"] for o in q["options"] if o["value"] != x)
    return wrong


def short(x: float, digits: int = 4) -> str:
    """format.js short: `digits` significant digits, a true minus, exponent form past 1e4
    or below 1e-3 (toExponential's 4.386e-4)."""
    if x == 0:
        return "0"
    a = abs(x)
    text = f"{a:#.{digits}g}" if 1e-3 <= a < 1e4 else f"{a:.{digits - 1}e}"
    text = re.sub(r"e([+-])0*(\d)", lambda m: f"e{'' if m[1] == '+' else '-'}{m[2]}", text)
    return ("−" if x < 0 else "") + text


def typed(x: float) -> str:
    """What a careful student types: 6 significant digits."""
    return f"{x:.6g}"


NUMBER = re.compile(r"[−-]?\d+\.\d+(?:e[−+-]?\d+)?|[−-]?\d+e[−+-]?\d+")


def decimals_in(text: str) -> set[float]:
    """Every number written with a decimal point or an exponent (computed values are; the
    page's counts and the seed are whole numbers) in `text`, as a value."""
    return {float(t.replace("−", "-")) for t in NUMBER.findall(text)}


def spellings(x: float) -> set[float]:
    """The expected value at 3 and 4 significant digits and in full."""
    return {float(f"{x:.3g}"), float(f"{x:.4g}"), x}


# Everything a reader, a screen reader or a script on the page can see: the text (hidden
# parts included), every attribute, the accessible names the page sets, and the store.
EXPOSED = """() => {
  const parts = [document.documentElement.innerText, document.documentElement.textContent];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) parts.push(a.value);
    if ('value' in el && typeof el.value === 'string') parts.push(el.value);
  }
  parts.push(JSON.stringify(window.backpropViz.store.state));
  return parts.join('\\n');
}"""


def open_exercise(browser: Browser, url: str, log: PageLog, **options: Any) -> Page:
    page = open_page(browser, url, log, **options)
    page.evaluate(f"() => window.backpropViz.setSpeed({FAST})")
    return page


@pytest.fixture
def opened(browser: Browser, page_log: PageLog) -> Iterator[Callable[..., Page]]:
    pages: list[Page] = []

    def open_(url: str, **options: Any) -> Page:
        page = open_exercise(browser, url, page_log, **options)
        pages.append(page)
        return page

    yield open_
    for page in pages:
        page.context.close()


def fill(page: Page, v: dict[str, Any], answers: dict[str, Any]) -> None:
    for q in v["questions"]:
        field = page.locator(f'[data-question="{q["id"]}"] [data-answer]')
        if q["kind"] == "number":
            field.fill(typed(answers[q["id"]]))
        else:
            field.select_option(answers[q["id"]])


# ---- a student ---------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", [EXERCISE, WHOLE])
def test_a_student_answers_by_keyboard_only_and_all_are_correct(
    opened: Callable[..., Page], base_url: str, api: httpx.Client, page_log: PageLog, exercise: str
) -> None:
    seed = 11
    v = variant(api, exercise, seed)
    right = answers_of(api, v)
    page = opened(f"{base_url}/exercise/{exercise}?seed={seed}")
    hook = page.evaluate("() => window.backpropViz.exercise()")
    assert hook == {
        "id": exercise,
        "seed": seed,
        "questions": [
            {"id": q["id"], "kind": q["kind"], "target": q["target"]} for q in v["questions"]
        ],
        "checked": False,
        "score": None,
        "max": len(v["questions"]),
    }

    # Tab from the top of the page to the first answer: no mouse from here on.
    first = v["questions"][0]["id"]
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.dataset.answer === {json.dumps(first)}"):
            break
    else:
        pytest.fail("the first answer's field is never reached by Tab")
    for q in v["questions"]:
        focused = page.evaluate("() => document.activeElement.dataset.answer")
        assert focused == q["id"]
        if q["kind"] == "number":
            page.keyboard.type(typed(right[q["id"]]))
        else:
            values = page.evaluate("() => [...document.activeElement.options].map((o) => o.value)")
            for _ in range(values.index(right[q["id"]])):
                page.keyboard.press("ArrowDown")
            assert page.evaluate("() => document.activeElement.value") == right[q["id"]]
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.action") == "check"
    page.keyboard.press("Enter")
    page.wait_for_function(CHECKED)

    verdicts = page.eval_on_selector_all(
        "[data-question]", "(cs) => cs.map((c) => c.dataset.verdict)"
    )
    assert verdicts == ["correct"] * len(v["questions"])
    done = page.evaluate("() => window.backpropViz.exercise()")
    assert done["checked"] and done["score"] == done["max"] == len(v["questions"])
    live = page.locator('[data-bind="exercise-live"]').text_content() or ""
    assert f"{len(v['questions'])} of {len(v['questions'])} correct" in live
    assert page_log.page_errors == [] and page_log.console_errors == []


def test_wrong_answers_are_marked_wrong_with_the_expected_value_and_the_explanation(
    opened: Callable[..., Page], base_url: str, api: httpx.Client
) -> None:
    seed = 5
    v = variant(api, EXERCISE, seed)
    right = answers_of(api, v)
    page = opened(f"{base_url}/exercise/{EXERCISE}?seed={seed}")
    fill(page, v, nudged(v, right))
    page.click('[data-action="check"]')
    page.wait_for_function(CHECKED)
    for q in v["questions"]:
        card = page.locator(f'[data-question="{q["id"]}"]')
        assert card.get_attribute("data-verdict") == "wrong"
        text = card.inner_text()
        if q["kind"] == "number":
            assert short(right[q["id"]]) in text, (q["id"], text)
        assert card.locator(".ex-explanation").inner_text().strip()
    assert page.evaluate("() => window.backpropViz.exercise().score") == 0


def test_no_answer_is_wrong_and_a_text_that_is_no_number_is_said_not_sent(
    opened: Callable[..., Page], base_url: str, api: httpx.Client
) -> None:
    v = variant(api, EXERCISE, 2)
    page = opened(f"{base_url}/exercise/{EXERCISE}?seed=2")
    checks: list[str] = []
    page.on("request", lambda r: "/check" in r.url and checks.append(r.url))
    first = v["questions"][0]["id"]
    page.fill(f'[data-question="{first}"] input', "0x10")
    page.click('[data-action="check"]')
    page.wait_for_function(
        "(id) => document.activeElement.dataset.answer === id && "
        "document.activeElement.getAttribute('aria-invalid') === 'true'",
        arg=first,
    )
    assert "0x10" in page.locator(f'[data-question="{first}"] .ex-problem').inner_text()
    assert checks == [] and page.evaluate(CHECKED) is False
    page.fill(f'[data-question="{first}"] input', "")
    page.click('[data-action="check"]')
    page.wait_for_function(CHECKED)
    verdicts = page.eval_on_selector_all(
        "[data-question]", "(cs) => cs.map((c) => c.dataset.verdict)"
    )
    assert verdicts == ["wrong"] * len(v["questions"])


# ---- no peeking ----------------------------------------------------------------------------


@pytest.mark.parametrize("exercise", [WHOLE, EXERCISE])
def test_no_peeking_before_check(
    browser: Browser, base_url: str, api: httpx.Client, page_log: PageLog, exercise: str
) -> None:
    """Before Check the page asks for no step and holds no expected value, even when the
    keys that play a step are pressed; after Check both are there."""
    seed = 23
    v = variant(api, exercise, seed)
    right = answers_of(api, v)
    numbers = {q: x for q, x in right.items() if isinstance(x, float)}
    assert numbers
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        peeks: list[str] = []

        def count(route: Route) -> None:
            peeks.append(route.request.url)
            route.continue_()

        for path in ("trace", "trace/stream", "trace/batch", "gradcheck", "train/stream"):
            page.route(f"**/api/v1/{path}", count)
        page.goto(f"{base_url}/exercise/{exercise}?seed={seed}")
        page.wait_for_function("() => document.body.dataset.ready === 'true'")
        # The player's keys and the panel's, from the page and from the drawing.
        for key in (" ", "ArrowRight", "End", "e", "Enter"):
            page.keyboard.press(key)
        page.focus("svg.network g.neuron.output")
        for key in ("Enter", " ", "ArrowRight", "e"):
            page.keyboard.press(key)
        page.evaluate("() => { window.backpropViz.player.next(); }")  # waits for Check: not awaited
        page.wait_for_timeout(800)
        assert peeks == []
        exposed = decimals_in(page.evaluate(EXPOSED))
        for q, x in numbers.items():
            assert not (spellings(x) & exposed), (q, x, spellings(x) & exposed)
        assert page.locator("[data-verdict]").count() == 0

        page.evaluate(f"() => window.backpropViz.setSpeed({FAST})")
        fill(page, v, right)
        page.click('[data-action="check"]')
        page.wait_for_function(CHECKED)
        page.wait_for_function(REVEALED)
        assert any("/trace/stream" in u for u in peeks)  # the reveal streams the step
        after = page.evaluate(EXPOSED)
        for q, x in numbers.items():
            assert float(short(x).replace("−", "-")) in decimals_in(after), q  # the cards
            assert repr(x) in after or json.dumps(x) in after, q  # the store: the check's answer
    finally:
        context.close()
    assert page_log.page_errors == []


# ---- the reveal ------------------------------------------------------------------------------


def test_the_reveal_lights_each_value_beside_the_answer_and_explains_it(
    opened: Callable[..., Page], base_url: str, api: httpx.Client
) -> None:
    seed = 31
    v = variant(api, WHOLE, seed)
    right = answers_of(api, v)
    answers = dict(right)
    wrong_one = v["questions"][0]["id"]
    answers[wrong_one] = right[wrong_one] + 1
    page = opened(f"{base_url}/exercise/{WHOLE}?seed={seed}")
    before = page.eval_on_selector_all(
        ".ex-mark", "(ms) => ms.map((m) => [m.dataset.mark, m.textContent])"
    )
    assert before and all(text.endswith("= ?") for _, text in before)
    # Each mark as it lights up (the latest one, in full), recorded as the reveal goes.
    page.evaluate(SEEN)
    fill(page, v, answers)
    page.click('[data-action="check"]')
    page.wait_for_function(REVEALED)
    page.wait_for_function("() => window.backpropViz.player.finished")
    seen = page.evaluate("() => window.seen")
    final = dict(page.eval_on_selector_all(".ex-mark", MARKS))
    for q in v["questions"]:
        if q["kind"] != "number":
            continue
        lit = seen[q["id"]]
        assert f"= {short(right[q['id']])} " in lit, (q["id"], lit)  # the step's value
        assert lit.endswith(short(answers[q["id"]]))  # beside the student's answer
        verdict = "✗" if q["id"] == wrong_one else "✓"
        assert verdict in lit and verdict in final[q["id"]]
        value = page.get_attribute(f'.ex-mark[data-mark="{q["id"]}"]', "data-value")
        assert value == short(right[q["id"]])
    # The forward pass's values light up before the backward pass's, and those before θ¹.
    order = page.evaluate("() => window.seenOrder")
    assert order.index("q1") < order.index("q4") < order.index("q6") < order.index("q8")
    cls = page.get_attribute(f'.ex-mark[data-mark="{wrong_one}"]', "class") or ""
    assert "wrong" in cls
    # The equation panel is open on the first question's item (z¹₁: its neuron's chain rule).
    panel = page.locator('[data-panel="equations"]')
    assert panel.is_visible()
    page.wait_for_function(
        "() => document.querySelector('[data-panel=\"equations\"]').textContent.includes('z')"
    )
    assert short(right["q1"]) in panel.inner_text() or f"{right['q1']:.4g}" in panel.inner_text()


# ---- the seed ----------------------------------------------------------------------------


def test_a_page_without_a_seed_draws_one_into_the_address_and_a_reload_keeps_it(
    opened: Callable[..., Page], base_url: str, api: httpx.Client
) -> None:
    page = opened(f"{base_url}/exercise/forward-2-2-1?lang=en")
    seed = page.evaluate("() => window.backpropViz.exercise().seed")
    query = parse_qs(urlsplit(page.url).query)
    assert query["seed"] == [str(seed)] and query["lang"] == ["en"]
    limit = api.get("/api/v1/capabilities").json()["limits"]["max_exercise_seed"]
    assert 0 <= seed <= limit
    request = page.evaluate("() => window.backpropViz.state()")
    assert request == variant(api, "forward-2-2-1", seed)["request"]

    page.reload()
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    assert page.evaluate("() => window.backpropViz.exercise().seed") == seed
    assert page.evaluate("() => window.backpropViz.state()") == request

    # Try other numbers: a new seed, in the address, and other numbers.
    page.click('[data-action="again"]')
    page.wait_for_function("(s) => window.backpropViz.exercise().seed !== s", arg=seed)
    other = page.evaluate("() => window.backpropViz.exercise().seed")
    assert parse_qs(urlsplit(page.url).query)["seed"] == [str(other)]
    assert (
        page.evaluate("() => window.backpropViz.state()")
        == variant(api, "forward-2-2-1", other)["request"]
    )
    assert page.evaluate("() => window.backpropViz.state()") != request


def test_a_seed_that_is_no_whole_number_is_redrawn_and_said(
    opened: Callable[..., Page], base_url: str
) -> None:
    page = opened(f"{base_url}/exercise/forward-2-2-1?seed=abc")
    seed = page.evaluate("() => window.backpropViz.exercise().seed")
    assert parse_qs(urlsplit(page.url).query)["seed"] == [str(seed)]
    assert "abc" in page.locator('[data-bind="notes"]').inner_text()


def test_the_picker_opens_another_exercise(opened: Callable[..., Page], base_url: str) -> None:
    page = opened(f"{base_url}/exercise/forward-2-2-1?seed=3")
    page.select_option('[data-control="exercise"]', "loss-2-2")
    page.wait_for_function("() => window.backpropViz.exercise().id === 'loss-2-2'")
    assert urlsplit(page.url).path == "/exercise/loss-2-2"


# ---- unknown exercise, the list, Chinese --------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "lang", "words"),
    [
        ("/exercise/no-such", "en", "No such exercise"),
        ("/exercise/no-such?lang=zh-TW", "zh-Hant-TW", "找不到這個練習題"),
        ("/embed?exercise=no-such", "en", "No such exercise"),
    ],
)
def test_an_unknown_exercise_is_a_404_page_in_its_language(
    api: httpx.Client, browser: Browser, base_url: str, path: str, lang: str, words: str
) -> None:
    r = api.get(path)
    assert r.status_code == 404
    assert f'<html lang="{lang}">' in r.text
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(base_url + path)
        assert response is not None and response.status == 404
        assert words in page.inner_text("h1")
        assert "no-such" in page.inner_text("main")
        links = page.eval_on_selector_all("main a", "(as) => as.map((a) => a.getAttribute('href'))")
        assert len(links) == len(api.get("/api/v1/exercises").json())
    finally:
        context.close()


def test_the_list_of_exercises_links_each_page(api: httpx.Client) -> None:
    r = api.get("/exercise?lang=zh-TW")
    assert r.status_code == 200
    for item in api.get("/api/v1/exercises").json():
        assert f'href="/exercise/{item["id"]}?lang=zh-TW"' in r.text
        assert item["title"]["zh-TW"].replace("'", "&#39;") in r.text


def test_the_page_in_traditional_chinese(
    opened: Callable[..., Page], base_url: str, api: httpx.Client
) -> None:
    v = variant(api, EXERCISE, 4)
    page = opened(f"{base_url}/exercise/{EXERCISE}?seed=4&lang=zh-TW")
    assert page.get_attribute("html", "lang") == "zh-Hant-TW"
    for q in v["questions"]:
        prompt = page.locator(f'[data-question="{q["id"]}"] .ex-text').inner_text()
        assert prompt == q["prompt"]["zh-TW"]
    assert page.inner_text('[data-action="check"]') == "檢查答案"
    page.click('[data-action="check"]')
    page.wait_for_function(CHECKED)
    assert "錯誤" in page.locator(f'[data-question="{v["questions"][0]["id"]}"]').inner_text()
    assert "得分：0 / " in page.inner_text('[data-bind="score"]')
    # The switch: English at once, the answers and verdicts kept.
    page.select_option('[data-control="lang"]', "en")
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"score\"]').textContent.startsWith('Score')"
    )
    assert (
        page.locator(f'[data-question="{v["questions"][0]["id"]}"] .ex-text').inner_text()
        == v["questions"][0]["prompt"]["en"]
    )


# ---- axe ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_axe_finds_no_serious_violation_before_and_after_check(
    opened: Callable[..., Page], base_url: str, api: httpx.Client, lang: str
) -> None:
    v = variant(api, WHOLE, 8)
    page = opened(f"{base_url}/exercise/{WHOLE}?seed=8&lang={lang}")
    assert axe_violations(page) == []
    fill(page, v, nudged(v, answers_of(api, v)))
    page.click('[data-action="check"]')
    page.wait_for_function(REVEALED)
    assert axe_violations(page) == []


# ---- in a frame: 420 px, and the host's messages -----------------------------------------


@pytest.fixture(scope="module")
def site(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSite]:
    with host_site(tmp_path_factory.mktemp("exercise-hosts"), base_url) as s:
        yield s


RESPONSE = "(id) => messages.find((m) => m.data.type === 'response' && m.data.id === id).data"
HOST_SCRIPT = """<script>
window.send = (message) => document.getElementById('viz').contentWindow.postMessage(message, '*');
</script>"""


def test_a_host_loads_an_exercise_in_a_420px_frame_and_hears_the_score(
    browser: Browser, base_url: str, api: httpx.Client, site: HostSite, page_log: PageLog
) -> None:
    frame_html = (
        f'<iframe id="viz" src="{base_url}/embed?exercise=forward-2-2-1&seed=1" '
        'title="backprop-viz" style="width:420px;height:700px;border:0"></iframe>'
    )
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: page_log.page_errors.append(str(e)))
        page.goto(site.page(frame_html, HOST_SCRIPT))
        page.wait_for_function("() => messages.some((m) => m.data && m.data.type === 'ready')")
        frame = next(f for f in page.frames if urlsplit(f.url).path == "/embed")
        assert frame.evaluate("() => window.backpropViz.exercise().seed") == 1
        # Nothing lies past the frame's edge, and the page does not scroll sideways.
        wide = frame.evaluate(
            """() => [...document.querySelectorAll('button, select, input, .ex-card')]
              .filter((el) => el.offsetParent
                && el.getBoundingClientRect().right > innerWidth + 0.5)
              .map((el) => el.outerHTML.slice(0, 80))"""
        )
        assert wide == []
        assert frame.evaluate("() => document.documentElement.scrollWidth <= innerWidth")

        # The host picks the exercise and the seed.
        seed = 77
        v = variant(api, EXERCISE, seed)
        right = answers_of(api, v)
        page.evaluate(f"() => send({{type: 'load', exercise: '{EXERCISE}', seed: {seed}, id: 1}})")
        page.wait_for_function(
            "() => messages.some((m) => m.data && m.data.type === 'response' && m.data.id === 1)"
        )
        reply = page.evaluate(
            "() => messages.find((m) => m.data.type === 'response' && m.data.id === 1).data"
        )
        assert reply["result"]["id"] == EXERCISE and reply["result"]["seed"] == seed
        assert frame.evaluate("() => window.backpropViz.state()") == v["request"]
        assert parse_qs(urlsplit(frame.url).query)["seed"] == [str(seed)] or frame.evaluate(
            "() => new URLSearchParams(location.search).get('seed')"
        ) == str(seed)

        answers = dict(right)
        answers[v["questions"][0]["id"]] = right[v["questions"][0]["id"]] * 1.1 + 0.01
        fill(frame, v, answers)  # type: ignore[arg-type]
        frame.click('[data-action="check"]')
        page.wait_for_function("() => messages.some((m) => m.data && m.data.type === 'score')")
        heard = [
            m["data"]
            for m in page.evaluate("() => messages")
            if m["data"] and m["data"].get("source") == "backprop-viz"
        ]
        said = {m["question"]: m["correct"] for m in heard if m["type"] == "answer"}
        assert said == {q["id"]: q["id"] != v["questions"][0]["id"] for q in v["questions"]}
        score = next(m for m in heard if m["type"] == "score")
        n = len(v["questions"])
        assert score == {
            "source": "backprop-viz",
            "type": "score",
            "exercise": EXERCISE,
            "seed": seed,
            "score": n - 1,
            "max": n,
        }

        # A malformed load is refused with its reason, and changes nothing.
        page.evaluate("() => send({type: 'load', exercise: 'Bad Id!', id: 2})")
        page.wait_for_function(
            "() => messages.some((m) => m.data && m.data.type === 'response' && m.data.id === 2)"
        )
        refused = page.evaluate(
            "() => messages.find((m) => m.data.type === 'response' && m.data.id === 2).data"
        )
        assert "exercise" in refused["error"]
        assert frame.evaluate("() => window.backpropViz.exercise().checked") is True
    finally:
        context.close()
    assert page_log.page_errors == []
