"""Accessibility: axe-core finds no serious or critical violation (both pages, both languages,
before and after a step, with the training view open too); a keyboard-only step; visible
focus; every neuron and link a tab stop whose name reads its values; the live region and
how it keeps quiet while playing; the sign of w by dash; WCAG AA contrast of the drawing's
text in every theme; prefers-reduced-motion.

axe-core is vendored for these tests only (tests/vendor/axe-core/, never served by the app).
It is evaluated through the DevTools protocol (page.evaluate), which the page's CSP
(script-src 'self') does not govern, so the CSP under test stays exactly as the app sends it.
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import FAST, PageLog, open_page
from tests.browser.helpers import run
from tests.browser.pages import luminance, page_background, parse_rgb

AXE_SOURCE = (
    Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
).read_text()
BLOCKING = ("serious", "critical")
# static/js/player/announce.js PLAYING_GAP: the least time between two announcements while playing.
PLAYING_GAP_MS = 2000

AXE_RUN = """async (only) => {
  const options = {resultTypes: ['violations']};
  if (only) options.runOnly = {type: 'rule', values: only};
  const result = await axe.run(document, options);
  const summary = (n) => `${n.target.join(' ')} | ${n.failureSummary.replace(/\\s+/g, ' ')}`;
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(summary)}));
}"""


def axe_violations(page: Page, only: list[str] | None = None) -> list[dict[str, Any]]:
    """axe's serious and critical violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    return [v for v in page.evaluate(AXE_RUN, only) if v["impact"] in BLOCKING]


def with_lang(path: str, lang: str) -> str:
    if lang == "en":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


# ---- axe ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("path", ["/", "/embed", "/?view=training", "/embed?view=training"])
def test_axe_finds_no_serious_violation_before_and_after_a_step(
    browser: Browser, base_url: str, path: str, lang: str
) -> None:
    page = open_page(browser, base_url + with_lang(path, lang), PageLog())
    try:
        if "view=training" in path:
            page.wait_for_function(
                "() => !document.querySelector('[data-bind=\"training\"]').hidden"
            )
        # The page says its language (WCAG 3.1.1), so a screen reader reads it in that voice.
        assert page.evaluate("() => document.documentElement.lang").startswith(lang[:2])
        assert axe_violations(page) == []
        run(page, FAST)
        assert page.evaluate("() => window.backpropViz.player.finished")
        assert axe_violations(page) == []
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_axe_with_the_panel_the_menus_and_the_editor_open(
    browser: Browser, base_url: str, lang: str
) -> None:
    page = open_page(browser, base_url + with_lang("/", lang), PageLog())
    try:
        run(page, FAST)
        page.evaluate(
            "() => window.backpropViz.explain({kind: 'weight', layer: 1, from: 0, to: 1})"
        )
        page.wait_for_selector('[data-panel="equations"] .katex')
        assert axe_violations(page) == [], "equations"
        page.click('[role="tab"][data-tab="gradcheck"]')
        page.wait_for_selector("table.gradcheck tr[data-param]")
        assert axe_violations(page) == [], "gradient check"
        page.click('[data-action="share"]')
        page.wait_for_function(
            "() => document.querySelector('[data-bind=\"share-link\"]').value.length > 0"
        )
        assert axe_violations(page) == [], "share"
        page.click('[data-action="export"]')
        page.wait_for_selector('[data-bind="export-menu"]:not([hidden])')
        assert axe_violations(page) == [], "export"
        page.keyboard.press("Escape")
        page.locator('svg.network .neuron[data-layer="1"][data-node="0"]').click(force=True)
        page.wait_for_selector('[data-bind="editor"]:not([hidden])')
        assert axe_violations(page) == [], "editor"
    finally:
        page.context.close()


def test_axe_on_a_large_network(page: Page) -> None:
    """4-64-64-1: the layers drawn as matrices (canvas) rather than links."""
    request = {
        "network": {
            "layers": [4, 64, 64, 1],
            "activations": ["tanh", "tanh", "sigmoid"],
            "loss": "squared_error",
            "seed": 0,
        },
        "input": [0.1, 0.2, 0.3, 0.4],
        "target": [1],
        "learning_rate": 0.1,
    }
    page.evaluate("r => window.backpropViz.load(r)", request)
    assert axe_violations(page) == []
    run(page, FAST)
    assert axe_violations(page) == []


# ---- keyboard ----------------------------------------------------------------------------

ACTIVE_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const kind = el.matches('[data-action="step"]') ? 'step'
    : el.matches('svg.network .link') ? 'link'
    : el.matches('svg.network .neuron') ? 'neuron' : 'other';
  const shape = kind === 'link' ? el.querySelector('path.hit')
    : kind === 'neuron' ? el.querySelector('circle.body') : null;
  const ss = shape && getComputedStyle(shape);
  return {kind, focusVisible: el.matches(':focus-visible'), outlineStyle: cs.outlineStyle,
          outlineWidth: parseFloat(cs.outlineWidth), shapeStroke: ss && ss.stroke,
          shapeStrokeOpacity: ss && parseFloat(ss.strokeOpacity),
          shapeStrokeWidth: ss && parseFloat(ss.strokeWidth)};
}"""
MAX_TABS = 80  # the worked example: top bar, toolbar, layer headers, 8 links, 6 neurons, …


def test_keyboard_only_step_with_visible_focus(page: Page) -> None:
    page.locator("body").focus()
    seen: dict[str, dict[str, Any]] = {}
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE_JS)
        if active and active["kind"] not in seen:
            seen[active["kind"]] = active
        if active and active["kind"] == "step":
            break
    assert "step" in seen, f"the Step button was not reached in {MAX_TABS} Tabs"
    step = seen["step"]
    assert step["focusVisible"]
    assert step["outlineStyle"] != "none" and step["outlineWidth"] >= 2, step
    # On the way: the links and the neurons are tab stops with a focus mark of their own.
    link, neuron = seen["link"], seen["neuron"]
    assert link["focusVisible"] and link["shapeStroke"] not in (
        "none",
        "transparent",
        "rgba(0, 0, 0, 0)",
    )
    assert link["shapeStrokeOpacity"] > 0.3, link
    assert neuron["focusVisible"] and neuron["shapeStrokeWidth"] >= 3, neuron
    # Faster by keyboard too (+: 1× → 2× → 4× → 8×), then Enter on Step.
    for _ in range(3):
        page.keyboard.press("+")
    page.wait_for_function("() => window.backpropViz.player.speed === 8")
    page.keyboard.press("Enter")
    # The backward pass has run through to the first layer: every neuron carries ∂l/∂z.
    page.wait_for_function(
        """() => [...document.querySelectorAll('svg.network .neuron')]
             .filter((n) => n.dataset.layer !== '0').every((n) => n.dataset.dlDz !== undefined)""",
        timeout=60_000,
    )
    page.wait_for_function("() => window.backpropViz.player.finished", timeout=60_000)


# Whether the focused element shows it: an outline, or the drawing's own marks (a link's halo,
# a neuron's or the loss box's thick stroke, a target's underline), or (a file input, which
# is transparent over its label) its label's outline.
FOCUS_MARK_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const own = (sel, test) => [...el.querySelectorAll(sel)].some((s) => test(getComputedStyle(s)));
  const thick = (s) => s.display !== 'none' && parseFloat(s.strokeWidth) >= 3;
  let mark = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2;
  if (el.matches('svg.network .link')) {
    const painted = (c) => c !== 'none' && !/^rgba\\(.*,\\s*0\\)$/.test(c); // not transparent
    mark = own('path.hit', (s) => painted(s.stroke) && parseFloat(s.strokeOpacity) > 0.3);
  } else if (el.matches('svg.network .neuron')) mark = own('circle.body, path.amp', thick);
  else if (el.matches('.loss-node')) mark = own('rect', thick);
  else if (el.matches('.target')) mark = cs.textDecorationLine.includes('underline');
  else if (el.matches('.file-button input')) {
    mark = getComputedStyle(el.parentElement).outlineStyle !== 'none';
  }
  const r = el.getBoundingClientRect();
  const name = `${el.tagName} ${el.getAttribute('class') || ''} ${el.dataset.action || ''}`;
  // (A level link's box has no height: its geometry is a line.)
  return {name, mark, sized: r.width > 0 || r.height > 0, visible: el.matches(':focus-visible')};
}"""


def test_every_tab_stop_shows_its_focus(browser: Browser, base_url: str) -> None:
    page = open_page(browser, base_url + "/?view=training", PageLog())
    try:
        page.wait_for_function("() => !document.querySelector('[data-bind=\"training\"]').hidden")
        run(page, FAST)
        page.locator("body").focus()
        stops, unmarked = 0, []
        for _ in range(400):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_MARK_JS)
            if focused is None:  # past the last stop
                break
            stops += 1
            if not (focused["mark"] and focused["sized"] and focused["visible"]):
                unmarked.append(focused)
        assert stops > 60  # the top bar, the editor, the drawing, the player, the training view
        assert unmarked == []
    finally:
        page.context.close()


LINK_0_1_0 = 'svg.network .link[data-layer="0"][data-from="1"][data-to="0"]'
FOCUSED_JS = """() => { const el = document.activeElement; if (!el) return null;
  return [el.getAttribute('class'), el.dataset.layer ?? null,
          el.dataset.from ?? el.dataset.node ?? null]; }"""
EDITOR_OPEN = """() => !document.querySelector('[data-bind="editor"]').hidden"""
EDITOR_SHUT = """() => document.querySelector('[data-bind="editor"]').hidden"""


def test_a_link_and_a_neuron_open_by_keyboard_and_focus_comes_back(page: Page) -> None:
    page.locator("body").focus()
    page.keyboard.press("Tab")  # keyboard modality, so that focus() below is :focus-visible
    page.locator(LINK_0_1_0).focus()
    page.keyboard.press("Enter")
    page.wait_for_function(EDITOR_OPEN)
    assert page.evaluate("() => document.activeElement.dataset.control") == "edit-value"
    page.keyboard.press("Escape")
    page.wait_for_function(EDITOR_SHUT)
    focused = page.evaluate(FOCUSED_JS)
    assert focused[0].split()[0] == "link" and focused[1:] == ["0", "1"], focused
    # A value applied with Enter: the server's answer is drawn, and focus is where it was.
    page.keyboard.press("Enter")
    page.wait_for_function(EDITOR_OPEN)
    page.keyboard.press("Control+a")
    page.keyboard.type("-0.3")
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('{LINK_0_1_0}').dataset.w === '-0.3'")
    page.wait_for_function(EDITOR_SHUT)
    page.wait_for_function("() => document.activeElement.matches('svg.network .link')")
    assert page.evaluate(FOCUSED_JS)[1:] == ["0", "1"]
    # A neuron: its bias.
    page.locator('svg.network .neuron[data-layer="1"][data-node="0"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_function(EDITOR_OPEN)
    page.keyboard.press("Escape")
    page.wait_for_function(EDITOR_SHUT)
    assert page.evaluate(FOCUSED_JS)[1:] == ["1", "0"]


def test_closing_the_panel_or_a_menu_from_inside_keeps_the_focus(page: Page) -> None:
    action = "() => document.activeElement.dataset.action || null"
    page.locator('[data-action="equations"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-bind="panel"]:not([hidden])')
    page.locator('[data-action="close-panel"]').focus()
    page.keyboard.press("Enter")  # the ×
    page.wait_for_selector('[data-bind="panel"]', state="hidden")
    page.wait_for_function(f"() => ({action})() === 'equations'")
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-bind="panel"]:not([hidden])')
    page.locator('[role="tab"][data-tab="gradcheck"]').focus()
    page.keyboard.press("Escape")
    page.wait_for_selector('[data-bind="panel"]', state="hidden")
    page.wait_for_function(f"() => ({action})() === 'equations'")
    # Share: Esc inside its link field closes it, back on its button.
    page.locator('[data-action="share"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-bind="share-menu"]:not([hidden])')
    page.locator('[data-bind="share-link"]').focus()
    page.keyboard.press("Escape")
    page.wait_for_selector('[data-bind="share-menu"]', state="hidden")
    page.wait_for_function(f"() => ({action})() === 'share'")


def test_space_ticks_a_checkbox_rather_than_playing(page: Page) -> None:
    box = page.locator('[data-control="freeze-biases"]')
    box.focus()
    before = box.is_checked()
    page.keyboard.press(" ")
    page.wait_for_function(
        "(want) => document.querySelector('[data-control=\"freeze-biases\"]').checked === want",
        arg=not before,
    )
    assert page.evaluate("() => window.backpropViz.player.cursor") == 0


# ---- names that read the values ----------------------------------------------------------

NAMES_JS = """() => ({
  neurons: [...document.querySelectorAll('svg.network .neuron')].map((n) => ({
    tabindex: n.getAttribute('tabindex'), label: n.getAttribute('aria-label'),
    data: {...n.dataset}})),
  links: [...document.querySelectorAll('svg.network .link')].map((l) => ({
    tabindex: l.getAttribute('tabindex'), label: l.getAttribute('aria-label'),
    data: {...l.dataset}})),
})"""


def values_in(label: str) -> dict[str, float]:
    """`name = number` pairs of an accessible name ("z = 0.3775, ∂l/∂z = −8.771e-3" …)."""
    pairs = re.findall(r"([^\s,:=]+) = ([−\-]?[\d.]+(?:e[−\-+]?\d+)?)", label)
    return {name: float(value.replace("−", "-")) for name, value in pairs}


def about(shown: float, exact: str) -> bool:
    """A 4-significant-digit reading of the server's number (its exact string)."""
    x = float(exact)
    return math.isclose(shown, x, rel_tol=6e-4, abs_tol=1e-300)


def test_every_neuron_and_link_is_a_tab_stop_named_by_its_values(page: Page) -> None:
    run(page, FAST)
    names = page.evaluate(NAMES_JS)
    assert len(names["neurons"]) == 6 and len(names["links"]) == 8
    for n in names["neurons"]:
        assert n["tabindex"] == "0" and n["label"], n
        got = values_in(n["label"])
        if n["data"]["layer"] == "0":
            assert any(about(v, n["data"]["a"]) for v in got.values()), n
            continue
        assert about(got["z"], n["data"]["z"]), n
        assert about(got["a"], n["data"]["a"]), n
        assert about(got["∂l/∂z"], n["data"]["dlDz"]), n
    for link in names["links"]:
        assert link["tabindex"] == "0" and link["label"], link
        got = values_in(link["label"])
        assert about(got["w"], link["data"]["w"]), link
        assert about(got["∂l/∂w"], link["data"]["dlDw"]), link
        # The weight at θ¹ (named w|θ¹ in the lecture's notation), last.
        new = [v for k, v in got.items() if k.startswith("w") and k != "w"]
        assert len(new) == 1 and about(new[0], link["data"]["wNew"]), link
        assert got["w"] != new[0], link  # a change is never rounded away
    # The worked example reads as the issue wrote it (4 significant digits).
    first = next(
        n for n in names["neurons"] if (n["data"]["layer"], n["data"]["node"]) == ("1", "0")
    )
    assert "z = 0.3775, a = 0.5933, ∂l/∂z = 0.008771" in first["label"]


def test_names_follow_the_step(page: Page) -> None:
    """Before the forward pass reaches a neuron its name has no z; each event adds what it sent."""
    names = page.evaluate(NAMES_JS)
    hidden = [n for n in names["neurons"] if n["data"]["layer"] != "0"]
    assert all("z" not in values_in(n["label"]) for n in hidden)
    assert all("∂l/∂w" not in values_in(link["label"]) for link in names["links"])
    page.evaluate("() => window.backpropViz.player.next()")
    page.wait_for_function("() => window.backpropViz.player.cursor === 1")
    names = page.evaluate(NAMES_JS)
    reached = [n for n in names["neurons"] if "z" in n["data"] and n["data"]["layer"] != "0"]
    assert len(reached) == 1
    assert about(values_in(reached[0]["label"])["z"], reached[0]["data"]["z"])


# ---- the live region ---------------------------------------------------------------------

REGION = '[data-bind="announce"]'
SAID_JS = f"() => document.querySelector('{REGION}').textContent"
CAPTION_JS = "() => document.querySelector('[data-bind=\"caption\"]').textContent"


def test_one_polite_region_and_the_caption_is_not_read_twice(page: Page) -> None:
    region = page.evaluate(
        f"""() => [...document.querySelectorAll('{REGION}')].map((el) => ({{
          live: el.getAttribute('aria-live'), role: el.getAttribute('role'),
          shown: el.getBoundingClientRect().width > 1}}))"""
    )
    assert region == [{"live": "polite", "role": "status", "shown": False}]
    assert page.evaluate(
        "() => document.querySelector('[data-bind=\"caption\"]').getAttribute('aria-live')"
    ) in (None, "off")
    assert page.evaluate(SAID_JS) == ""  # nothing said at load


def test_stepping_announces_each_event_as_its_caption(page: Page) -> None:
    page.locator("body").focus()
    for cursor in (1, 2, 3):
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"""() => window.backpropViz.player.cursor === {cursor} &&
                 document.querySelector('{REGION}').dataset.cursor === '{cursor}'"""
        )
        said, caption = page.evaluate(SAID_JS), page.evaluate(CAPTION_JS)
        assert said and said == caption
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => document.querySelector('{REGION}').dataset.cursor === '2'")
    assert page.evaluate(SAID_JS) == page.evaluate(CAPTION_JS)


def test_playing_fast_is_throttled_and_the_stop_is_said(page: Page) -> None:
    page.evaluate(
        f"""() => {{
          window.__said = [];
          const el = document.querySelector('{REGION}');
          new MutationObserver(() => window.__said.push([performance.now(), el.textContent]))
            .observe(el, {{childList: true, characterData: true, subtree: true}});
          window.__t0 = performance.now();
        }}"""
    )
    run(page, FAST)
    said, elapsed, events = page.evaluate(
        """() => [window.__said, performance.now() - window.__t0,
                  window.backpropViz.player.events.length]"""
    )
    assert events > 10
    # One at the start, one at most every PLAYING_GAP_MS, and the stop: never one an event.
    assert 1 <= len(said) <= 2 + elapsed / PLAYING_GAP_MS, (len(said), elapsed)
    assert len(said) < events
    for (t0, _), (t1, _) in itertools.pairwise(said[1:-1]):
        assert t1 - t0 >= PLAYING_GAP_MS - 50
    assert said[-1][1] == page.evaluate(CAPTION_JS)  # where it stopped: the done caption
    assert "θ¹" in said[-1][1]


# ---- colour is never the only signal -----------------------------------------------------

SIGNS_JS = """() => [...document.querySelectorAll('svg.network .link')].map((l) => ({
  w: +l.dataset.w, wNew: l.dataset.wNew === undefined ? null : +l.dataset.wNew,
  negative: l.classList.contains('negative'),
  dash: getComputedStyle(l.querySelector('path.stroke')).strokeDasharray}))"""


def test_negative_weights_are_dashed_and_the_legend_says_so(page: Page) -> None:
    request = page.evaluate("() => window.backpropViz.state()")
    request["network"]["weights"][0][0][1] = -0.3
    request["network"]["weights"][1][1][0] = -0.45
    page.evaluate("r => window.backpropViz.load(r)", request)
    page.wait_for_function(
        "() => document.querySelectorAll('svg.network .link.negative').length === 2"
    )
    for link in page.evaluate(SIGNS_JS):
        assert link["negative"] == (link["w"] < 0), link
        assert (link["dash"] not in ("none", "")) == (link["w"] < 0), link
    # After the update the dash follows the drawn w¹ (it may change sign).
    run(page, FAST)
    for link in page.evaluate(SIGNS_JS):
        assert link["negative"] == (link["wNew"] < 0), link
    legend = page.evaluate(
        """() => { const el = document.querySelector('.legend .legend-dash');
          const before = getComputedStyle(el, '::before');
          return {text: el.textContent, style: before.borderTopStyle,
                  shown: el.getBoundingClientRect().width > 0}; }"""
    )
    assert legend["shown"] and legend["text"] and legend["style"] == "dashed", legend


# ---- contrast ----------------------------------------------------------------------------

# Each drawn text with the colour it sits on: inside a neuron its shape's fill, inside the
# loss box the box's fill, a weight's number its label box (filled with the page's colour);
# the rest (names, b, z, ∂l/∂z, targets) have a halo of the page's colour.
SVG_TEXTS_JS = """() => {
  const out = [];
  const svg = document.querySelector('svg.network');
  const fillOf = (el) => el && getComputedStyle(el).fill;
  for (const t of svg.querySelectorAll('text')) {
    if (t.classList.contains('probe') || !t.textContent.trim()) continue;
    if (!t.checkVisibility() || t.closest('[display="none"]')) continue;
    let under = null;
    const neuron = t.closest('.neuron');
    if (t.classList.contains('inner')) {
      const shapes = [...neuron.querySelectorAll('circle.body, path.amp')]
        .filter((s) => getComputedStyle(s).display !== 'none');
      under = fillOf(shapes[0]);
    } else if (t.closest('.loss-node') && !t.classList.contains('loss-name')) {
      under = fillOf(t.closest('.loss-node').querySelector('rect'));
    } else if (t.closest('.wlabel')) {
      under = fillOf(t.closest('.wlabel').querySelector('rect'));
    }
    // A faded text (opacity on it or a group around it) is blended into what is under it.
    let alpha = parseFloat(getComputedStyle(t).fillOpacity);
    for (let el = t; el && el !== svg; el = el.parentElement) {
      alpha *= parseFloat(getComputedStyle(el).opacity);
    }
    const cls = t.getAttribute('class') || t.parentNode.getAttribute('class');
    out.push({text: t.textContent, cls, fill: getComputedStyle(t).fill, under, alpha});
  }
  return out;
}"""


def contrast(a: str, b: str) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def blend(fg: str, alpha: float, bg: str) -> str:
    """The colour `fg` drawn at `alpha` over the opaque `bg`."""
    f, b = parse_rgb(fg), parse_rgb(bg)
    a = alpha * f[3]
    r, g, bl = (a * f[k] + (1 - a) * b[k] for k in range(3))
    return f"rgb({r}, {g}, {bl})"


def check_drawing_contrast(page: Page, where: str) -> None:
    background = page_background(page)
    texts = page.evaluate(SVG_TEXTS_JS)
    assert texts, where
    low = []
    for t in texts:
        under = t["under"] if t["under"] and t["under"].startswith("rgb") else background
        ratio = contrast(blend(t["fill"], t["alpha"], under), under)
        if ratio < 4.5:
            low.append((where, t["cls"], t["text"], t["fill"], under, round(ratio, 2)))
    assert low == []


THEMES = [
    ("light", "light"),
    ("dark", "light"),
    ("projector", "light"),
    ("auto", "light"),
    ("auto", "dark"),
]


@pytest.mark.parametrize(("theme", "scheme"), THEMES)
def test_wcag_aa_contrast_in_every_theme(
    browser: Browser, base_url: str, theme: str, scheme: str
) -> None:
    page = open_page(browser, f"{base_url}/?theme={theme}", PageLog(), color_scheme=scheme)
    try:
        check_drawing_contrast(page, "before the step")
        run(page, FAST)
        check_drawing_contrast(page, "done")
        assert axe_violations(page, ["color-contrast"]) == []
        # The backward pass's look: amplifiers, ∂l/∂z in the backward colour.
        page.evaluate(
            "() => { const p = window.backpropViz.player; p.seek(p.phaseStarts().update); }"
        )
        page.wait_for_function("() => document.querySelector('svg.network.backward-look') !== null")
        check_drawing_contrast(page, "backward")
        assert axe_violations(page, ["color-contrast"]) == []
    finally:
        page.context.close()


def test_training_view_contrast_in_the_dark(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}/?view=training&theme=dark", PageLog())
    try:
        page.wait_for_function("() => !document.querySelector('[data-bind=\"training\"]').hidden")
        assert axe_violations(page, ["color-contrast"]) == []
    finally:
        page.context.close()


# ---- reduced motion ----------------------------------------------------------------------

TRANSITION_JS = """() => getComputedStyle(document.querySelector('svg.network .link path.stroke'))
  .transitionDuration"""


def test_reduced_motion_turns_transitions_off_and_still_announces(
    browser: Browser, base_url: str
) -> None:
    still = open_page(browser, base_url + "/", PageLog(), reduced_motion="reduce")
    moving = open_page(browser, base_url + "/", PageLog())
    try:
        assert still.evaluate("() => matchMedia('(prefers-reduced-motion: reduce)').matches")
        durations = still.evaluate(TRANSITION_JS).split(", ")
        assert all(float(d.removesuffix("s")) == 0 for d in durations), durations
        assert any(
            float(d.removesuffix("s")) > 0 for d in moving.evaluate(TRANSITION_JS).split(", ")
        )
        # Nothing moves, and the words still come.
        still.evaluate("() => window.backpropViz.player.next()")
        still.wait_for_function(f"() => document.querySelector('{REGION}').dataset.cursor === '1'")
        assert still.evaluate("() => document.querySelector('svg.effects').childElementCount") == 0
        assert still.evaluate(SAID_JS) == still.evaluate(CAPTION_JS)
    finally:
        still.context.close()
        moving.context.close()


def test_the_drawings_skip_link_jumps_past_every_neuron_and_link(
    browser: Browser, base_url: str, page_log: PageLog
) -> None:
    """2-8×6-1 has about 400 tab stops in its drawing: its first stop, shown when focused,
    takes the keyboard straight to Step."""
    page = open_page(browser, base_url + "/?preset=deep-2-8x6-1", page_log)
    try:
        skip = page.locator('[data-action="skip-drawing"]')
        skip.focus()
        box = skip.bounding_box()
        assert box is not None and box["x"] >= 0 and box["width"] > 20  # on screen once focused
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.dataset.action") == "step"
        stops = page.evaluate(
            "() => document.querySelectorAll('svg.network [tabindex=\"0\"]').length"
        )
        assert stops > 300  # what it skips
    finally:
        page.context.close()


@pytest.mark.parametrize("path", ["/", "/embed", "/?view=training"])
def test_every_part_is_in_a_landmark_and_the_page_has_its_heading(
    browser: Browser, base_url: str, page_log: PageLog, path: str
) -> None:
    """axe's best-practice rules for structure (moderate, so not in the blocking runs above):
    the top bar, the settings, the drawing, the caption and the player each in a landmark,
    one main, one h1."""
    page = open_page(browser, base_url + path, page_log)
    try:
        run(page)
        rules = [
            "region",
            "page-has-heading-one",
            "landmark-one-main",
            "landmark-unique",
            "landmark-no-duplicate-banner",
            "landmark-no-duplicate-contentinfo",
        ]
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(AXE_SOURCE)
        assert page.evaluate(AXE_RUN, rules) == []
    finally:
        page.context.close()
