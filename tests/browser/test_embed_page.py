"""The frameable page, /embed, from the inside: how it looks at small sizes, what its URL
parameters do (preset, hide, theme, step, autoplay, speed, lang) and what a bad one falls
back to, keyboard focus inside a host page's iframe, and oEmbed discovery."""

from __future__ import annotations

import html
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Frame, Page

from tests.browser.conftest import FAST, PageLog
from tests.browser.helpers import run, state
from tests.browser.hosts import HostSite, host_site
from tests.browser.pages import (
    READY,
    background_point,
    fresh,
    luminance,
    notes,
    overlap,
    page_background,
)

DEFAULT_PRESET = "worked-example-2-2-2"

# Every visible control of the top bar and the player bar, with its box.
CONTROLS_JS = """() => {
  const shown = (el) => {
    const cs = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none' &&
           !el.closest('[hidden]');
  };
  const sel = 'a, button, select, input, textarea, [tabindex], label.field';
  return [...document.querySelectorAll('.topbar, .player')].flatMap((bar) =>
    [...bar.querySelectorAll(sel)].filter(shown).map((el) => {
      const r = el.getBoundingClientRect();
      return {bar: bar.classList.contains('topbar') ? 'topbar' : 'player',
              name: el.dataset.action || el.dataset.control || el.dataset.controlGroup ||
                    el.dataset.phase || el.className || el.tagName.toLowerCase(),
              tag: el.tagName.toLowerCase(),
              left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    }));
}"""

GEOMETRY_JS = """() => {
  const box = (el) => {
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
            width: r.width, height: r.height};
  };
  const s = document.scrollingElement;
  return {
    viewport: {width: innerWidth, height: innerHeight},
    scroll: {width: s.scrollWidth, clientWidth: s.clientWidth, x: s.scrollLeft},
    svg: box(document.querySelector('svg.network')),
    canvas: box(document.querySelector('[data-bind="canvas"]')),
    caption: box(document.querySelector('[data-bind="caption"]')),
    player: box(document.querySelector('.player')),
    neurons: [...document.querySelectorAll('svg.network .neuron')].map(box),
  };
}"""

# The caption's lines: each line box of its text, against the caption's clip edge.
CAPTION_LINES_JS = """() => {
  const c = document.querySelector('[data-bind="caption"]');
  const range = document.createRange();
  range.selectNodeContents(c);
  const clip = c.getBoundingClientRect();
  const lines = [];
  for (const r of range.getClientRects()) {
    const last = lines.at(-1);
    if (last && Math.abs(last.top - r.top) < 2) last.bottom = Math.max(last.bottom, r.bottom);
    else lines.push({top: r.top, bottom: r.bottom});
  }
  // Overflow clips at the padding box, inside the borders.
  const top = clip.top + c.clientTop;
  return {clipTop: top, clipBottom: top + c.clientHeight, lines};
}"""


def embed(
    browser: Browser, base_url: str, query: str, log: PageLog, width: int = 960, height: int = 600
) -> Page:
    return fresh(browser, f"{base_url}/embed?{query}", log, width, height)


def assert_clean(log: PageLog) -> None:
    assert log.page_errors == []
    assert log.console_errors == []
    assert log.failed() == []


# ---- small sizes -----------------------------------------------------------------------------

SIZES = [(960, 600), (420, 560)]


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_embed_fits_its_frame(
    width: int,
    height: int,
    browser: Browser,
    base_url: str,
    page_log: PageLog,
    artifacts: Path,
    pages: list[Page],
) -> None:
    page = embed(browser, base_url, "preset=xor", page_log, width, height)
    pages.append(page)
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    page.screenshot(path=str(artifacts / f"embed-{width}x{height}.png"))
    assert_clean(page_log)
    assert page.evaluate("() => window.backpropViz.store.presetName") == "xor"

    controls = page.evaluate(CONTROLS_JS)
    bars = {c["bar"] for c in controls}
    assert bars == {"topbar", "player"}, controls
    names = {c["name"] for c in controls}
    assert {"share", "step", "play"} <= names, names
    outside = [c for c in controls if c["right"] > width + 0.5 or c["left"] < -0.5]
    assert outside == [], f"controls past the viewport's edge at {width}×{height}: {outside}"
    # Two controls overlap unless one holds the other (a label.field and its select).
    overlapping = [
        (a["name"], b["name"], round(overlap(a, b), 1))
        for k, a in enumerate(controls)
        for b in controls[k + 1 :]
        if overlap(a, b) > 1 and not _inside(a, b) and not _inside(b, a)
    ]
    assert overlapping == [], f"controls overlapping at {width}×{height}: {overlapping}"

    geometry = page.evaluate(GEOMETRY_JS)
    assert geometry["svg"]["height"] >= 150, geometry["svg"]
    assert geometry["scroll"]["width"] <= geometry["scroll"]["clientWidth"], geometry["scroll"]


def _inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["left"] >= outer["left"] - 0.5
        and inner["right"] <= outer["right"] + 0.5
        and inner["top"] >= outer["top"] - 0.5
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_caption_shows_no_line_cut_in_half(
    width: int, height: int, browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    # The caption is clamped to a few lines: each line of its text is either wholly inside
    # the caption's box or wholly outside it (never half a line peeking out under the clamp).
    page = embed(browser, base_url, "preset=xor", page_log, width, height)
    pages.append(page)
    got = page.evaluate(CAPTION_LINES_JS)
    assert got["lines"], got
    cut = [
        line
        for line in got["lines"]
        if line["top"] < got["clipBottom"] - 1 and line["bottom"] > got["clipBottom"] + 1
    ]
    assert cut == [], f"caption lines cut by its edge at {got['clipBottom']}: {got}"


def test_embed_at_320x240_still_shows_the_drawing(
    browser: Browser, base_url: str, page_log: PageLog, artifacts: Path, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor", page_log, 320, 240)
    pages.append(page)
    page.screenshot(path=str(artifacts / "embed-320x240.png"))
    assert_clean(page_log)
    geometry = page.evaluate(GEOMETRY_JS)
    assert geometry["svg"]["height"] > 60, geometry["svg"]
    assert geometry["svg"]["width"] > 200, geometry["svg"]
    assert geometry["scroll"]["width"] <= geometry["scroll"]["clientWidth"], geometry["scroll"]
    page.mouse.wheel(200, 0)  # nothing to scroll sideways
    assert page.evaluate("() => document.scrollingElement.scrollLeft") == 0


def test_embed_at_320x240_draws_no_neuron_under_the_caption_or_the_player(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor", page_log, 320, 240)
    pages.append(page)
    g = page.evaluate(GEOMETRY_JS)
    assert g["neurons"], g
    below = min(b["top"] for b in (g["caption"], g["player"]) if b and b["height"] > 0)
    covered = [n for n in g["neurons"] if n["bottom"] > below + 1]
    assert covered == [], (
        f"neurons drawn below y={below} (under the caption / player bar), "
        f"svg {g['svg']}, caption {g['caption']}, player {g['player']}: {covered}"
    )


# ---- bad parameters --------------------------------------------------------------------------

BAD = [
    ("preset", "preset=nope"),
    ("theme", "preset=xor&theme=neon"),
    ("speed", "preset=xor&speed=99"),
    ("step", "preset=xor&step=sideways"),
    ("hide", "preset=xor&hide=bogus"),
    ("lang", "preset=xor&lang=xx"),
    ("autoplay", "preset=xor&autoplay=maybe"),
]


@pytest.mark.parametrize(("param", "query"), BAD, ids=[p for p, _ in BAD])
def test_a_bad_parameter_falls_back_to_its_default_with_a_note(
    param: str,
    query: str,
    browser: Browser,
    base_url: str,
    api: httpx.Client,
    page_log: PageLog,
    pages: list[Page],
) -> None:
    page = embed(browser, base_url, query, page_log)
    pages.append(page)
    note = notes(page)
    assert note["shown"], f"{query}: no visible note"
    assert f"{param}=" in note["text"], note["text"]
    assert note["text"].count("Ignored") == 1, note["text"]  # only the bad one is named

    got = page.evaluate(
        """() => {
          const app = window.backpropViz;
          const q = (s) => document.querySelector(s);
          return {
            theme: document.documentElement.dataset.theme,
            speed: app.player.speed,
            cursor: app.player.cursor,
            playing: app.player.playing,
            lang: document.documentElement.lang,
            step: q('[data-action="step"]') && q('[data-action="step"]').textContent.trim(),
            parts: ['.topbar', '.toolbar', '.legend', '.player', '[data-bind="caption"]',
                    '[data-action="equations"]'].filter((s) => !q(s)),
          };
        }"""
    )
    assert got["theme"] == "light"
    assert got["speed"] == 1
    assert got["cursor"] == 0 and not got["playing"]  # no step= and no autoplay
    assert got["lang"] == "en" and got["step"] == "Step"
    assert got["parts"] == []  # nothing hidden
    want = DEFAULT_PRESET if param == "preset" else "xor"
    assert state(page) == api.get(f"/api/v1/presets/{want}").json()
    done = run(page, FAST)
    assert done["type"] == "done"
    assert page_log.page_errors == []


# ---- hide ------------------------------------------------------------------------------------


def test_hide_editor_panel_legend(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor&hide=editor,panel,legend", page_log)
    pages.append(page)
    assert_clean(page_log)
    count = lambda sel: page.locator(sel).count()  # noqa: E731
    assert count("[role=toolbar].toolbar") == 0
    assert count('[data-bind="panel"]') == 0 and count("aside.panel") == 0
    assert count(".legend") == 0
    assert count('[data-action="equations"]') == 0
    assert count('[data-action="gradcheck"]') == 0  # it opens the panel, which is gone
    assert count('[data-bind="layer-headers"]') == 0
    # What is left still works: the top bar, the drawing, the player.
    assert count(".topbar") == 1 and count(".player") == 1
    assert page.evaluate("() => document.querySelectorAll('svg.network .neuron').length") == 6
    assert notes(page)["text"] == ""
    page.click('[data-action="step"]')
    page.wait_for_function("() => window.backpropViz.player.cursor >= 1")
    # "e" (equations) does nothing without a panel, and throws nothing.
    page.keyboard.press("e")
    assert page_log.page_errors == []


def test_hide_controls_keeps_the_keyboard(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor&hide=controls", page_log)
    pages.append(page)
    assert page.locator(".player").count() == 0
    assert page.locator('[data-action="step"], [data-control="scrub"]').count() == 0
    x, y = background_point(page)
    page.mouse.click(x, y)
    assert page.evaluate("() => window.backpropViz.player.cursor") == 0
    assert page.evaluate("() => window.backpropViz.store.state.selection") is None
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.backpropViz.player.cursor === 1")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.backpropViz.player.cursor === 2")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => window.backpropViz.player.cursor === 1")
    assert_clean(page_log)


# ---- theme -----------------------------------------------------------------------------------


def test_theme_dark_and_projector(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    light = embed(browser, base_url, "preset=xor", page_log)
    pages.append(light)
    assert light.evaluate("() => document.documentElement.dataset.theme") == "light"
    assert luminance(page_background(light)) > 0.6

    dark = embed(browser, base_url, "preset=xor&theme=dark", page_log)
    pages.append(dark)
    assert dark.evaluate("() => document.documentElement.dataset.theme") == "dark"
    bg = page_background(dark)
    assert luminance(bg) < 0.2, bg
    text = dark.evaluate("() => getComputedStyle(document.body).color")
    assert luminance(text) > 0.5, text  # light text on it

    projector = embed(browser, base_url, "preset=xor&theme=projector", page_log)
    pages.append(projector)
    assert projector.evaluate("() => document.documentElement.dataset.theme") == "projector"
    assert notes(projector)["text"] == ""
    assert_clean(page_log)


# ---- step and autoplay -----------------------------------------------------------------------


def test_step_backward_opens_with_the_backward_pass_shown(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor&step=backward", page_log)
    pages.append(page)
    got = page.evaluate(
        """() => {
          const p = window.backpropViz.player;
          const neurons = [...document.querySelectorAll('svg.network .neuron')];
          const last = Math.max(...neurons.map((n) => +n.dataset.layer));
          return {
            cursor: p.cursor, playing: p.playing, finished: p.finished,
            firstUpdate: p.events.findIndex((e) => e.type === 'update'),
            outputDlDz: neurons.filter((n) => +n.dataset.layer === last)
              .map((n) => n.dataset.dlDz ?? null),
            linksDlDw: [...document.querySelectorAll('svg.network .link')]
              .map((l) => l.dataset.dlDw ?? null),
            wNew: document.querySelectorAll('svg.network .link[data-w-new]').length,
            lossAfter: document.querySelector('.loss-node').dataset.lossAfter ?? null,
          };
        }"""
    )
    assert got["firstUpdate"] > 0
    assert got["cursor"] == got["firstUpdate"], got
    assert not got["playing"] and not got["finished"]
    assert got["outputDlDz"] and all(v is not None for v in got["outputDlDz"]), got
    assert all(v is not None for v in got["linksDlDw"]), got  # every gradient is known
    assert got["wNew"] == 0 and got["lossAfter"] is None  # no update yet
    assert_clean(page_log)


def test_step_update_opens_with_the_whole_step_shown(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor&step=update", page_log)
    pages.append(page)
    got = page.evaluate(
        """() => ({finished: window.backpropViz.player.finished,
                   cursor: window.backpropViz.player.cursor,
                   events: window.backpropViz.player.events.length,
                   links: document.querySelectorAll('svg.network .link').length,
                   wNew: document.querySelectorAll('svg.network .link[data-w-new]').length})"""
    )
    assert got["finished"] and got["cursor"] == got["events"] > 0, got
    assert got["wNew"] == got["links"] > 0, got


def test_step_forward_stops_before_the_backward_pass(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor&step=forward", page_log)
    pages.append(page)
    got = page.evaluate(
        """() => {
          const p = window.backpropViz.player;
          return {cursor: p.cursor, backward: p.events.findIndex((e) => e.type === 'backward'),
                  loss: document.querySelector('.loss-node').dataset.loss ?? null,
                  dlDz: document.querySelectorAll('svg.network .neuron[data-dl-dz]').length};
        }"""
    )
    assert got["backward"] > 0 and got["cursor"] == got["backward"], got
    assert got["loss"] is not None and got["dlDz"] == 0, got


def test_autoplay_plays_by_itself(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor&autoplay=1&speed=8", page_log)
    pages.append(page)
    assert page.evaluate("() => window.backpropViz.player.speed") == 8
    assert page.evaluate("() => document.querySelector('[data-control=\"speed\"]').value") == "8"
    page.wait_for_function("() => window.backpropViz.player.cursor >= 3")
    page.wait_for_function("() => window.backpropViz.player.finished", timeout=60_000)
    assert_clean(page_log)


def test_without_autoplay_nothing_moves(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor&speed=8", page_log)
    pages.append(page)
    # Two animation frames after ready: still at the start, not playing.
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert page.evaluate(
        "() => [window.backpropViz.player.cursor, window.backpropViz.player.playing]"
    ) == [0, False]


# ---- focus inside a host page -----------------------------------------------------------------


@pytest.fixture(scope="module")
def site(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSite]:
    with host_site(tmp_path_factory.mktemp("embed-page-hosts"), base_url) as s:
        yield s


def embed_frame(page: Page) -> Frame:
    frames = [f for f in page.frames if urlsplit(f.url).path == "/embed"]
    assert len(frames) == 1, [f.url for f in page.frames]
    return frames[0]


HOST_FOCUS_JS = """() => {
  const a = document.activeElement;
  return a === document.body ? 'body' : a.id || a.tagName.toLowerCase();
}"""

FRAME_FOCUS_JS = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return 'body';
  return a.dataset.action || a.dataset.control || a.dataset.phase || a.dataset.tab ||
         a.classList[0] || a.tagName.toLowerCase();
}"""


def settled_focus(page: Page) -> str:
    """Where the host's focus is once it has arrived somewhere. The frame is on another site
    (its own process), so focus crossing into or out of it lands a moment after the key: in
    between, the host's activeElement is its body. This host page always has a focusable
    element on either side of the frame, so focus never rests on the body after a Tab."""
    page.wait_for_function("() => document.activeElement !== document.body", timeout=5_000)
    return page.evaluate(HOST_FOCUS_JS)


def test_the_frame_takes_no_focus_and_sets_no_keyboard_trap(
    site: HostSite, browser: Browser, base_url: str, page_log: PageLog
) -> None:
    url = site.page(
        '<p><button id="before">before</button></p>'
        f'<iframe id="viz" src="{html.escape(base_url)}/embed?preset=xor" title="backprop-viz" '
        'style="width:960px;height:600px;border:0"></iframe>'
        '<p><button id="after">after</button></p>'
    )
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and page_log.console_errors.append(m.text))
        page.on("pageerror", lambda e: page_log.page_errors.append(str(e)))
        page.goto(url)
        frame = embed_frame(page)
        frame.wait_for_function(READY)
        frame.evaluate(
            "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        # Loading the frame did not move the host's focus into it.
        assert page.evaluate(HOST_FOCUS_JS) == "body"
        assert page.evaluate("() => document.activeElement === document.body")
        assert frame.evaluate("() => document.hasFocus()") is False

        # Click the drawing's background: the frame gets the keyboard.
        box = page.locator("#viz").bounding_box()
        assert box is not None
        x, y = background_point(frame)
        page.mouse.click(box["x"] + x, box["y"] + y)
        assert settled_focus(page) == "viz"
        frame.wait_for_function("() => document.hasFocus()")
        assert frame.evaluate("() => window.backpropViz.store.state.selection") is None
        page.keyboard.press("ArrowRight")
        frame.wait_for_function("() => window.backpropViz.player.cursor === 1")
        page.keyboard.press(" ")
        frame.wait_for_function("() => window.backpropViz.player.playing")
        frame.wait_for_function("() => window.backpropViz.player.cursor >= 2")
        page.keyboard.press(" ")
        frame.wait_for_function("() => !window.backpropViz.player.playing")
        assert page.evaluate("() => scrollY") == 0  # space did not scroll the host

        # Tab walks the frame's controls and then leaves the frame.
        visited: list[str] = []
        left = None
        for _ in range(60):
            page.keyboard.press("Tab")
            host = settled_focus(page)
            if host != "viz":
                left = host
                break
            visited.append(frame.evaluate(FRAME_FOCUS_JS))
        assert left is not None, f"focus still in the frame after 60 Tabs: {visited}"
        assert left == "after", (left, visited)
        # The walk starts where the click was (the drawing) and goes through the player bar.
        assert {"neuron", "step", "speed"} <= set(visited), visited
        # And back in with Shift+Tab.
        page.keyboard.press("Shift+Tab")
        assert settled_focus(page) == "viz"
        assert page_log.page_errors == []
        assert page_log.console_errors == []
    finally:
        context.close()


# ---- oEmbed discovery ------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_head = False
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "head":
            self.in_head = True
        elif tag == "link" and self.in_head:
            self.links.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.in_head = False


def oembed_links(page_html: str) -> list[dict[str, Any]]:
    parser = _Links()
    parser.feed(page_html)
    return [
        link
        for link in parser.links
        if (link.get("rel") or "").lower() == "alternate"
        and link.get("type") == "application/json+oembed"
    ]


@pytest.mark.parametrize("query", ["preset=xor", "preset=xor&theme=dark&hide=editor"])
def test_embed_advertises_its_oembed(query: str, base_url: str) -> None:
    page_url = f"{base_url}/embed?{query}"
    r = httpx.get(page_url)
    assert r.status_code == 200
    found = oembed_links(r.text)
    assert len(found) == 1, found
    href = found[0]["href"]  # the parser has already unescaped &amp;
    assert href and href.startswith(base_url + "/oembed?"), href
    o = httpx.get(href)
    assert o.status_code == 200, o.text
    body = o.json()
    assert body["type"] == "rich" and body["version"] == "1.0"
    assert f'<iframe src="{html.escape(page_url)}"' in body["html"], body["html"]
    assert body["width"] > 0 and body["height"] > 0


def test_the_browser_sees_the_oembed_link_in_the_head(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = embed(browser, base_url, "preset=xor", page_log)
    pages.append(page)
    href = page.evaluate(
        """() => document.head
          .querySelector('link[rel="alternate"][type="application/json+oembed"]')?.href"""
    )
    assert href
    body = page.evaluate("(u) => fetch(u).then((r) => r.json())", href)
    assert body["type"] == "rich"
    assert f'src="{base_url}/embed?preset=xor"' in body["html"]
