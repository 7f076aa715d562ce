"""Every width, every finger: the page and the frame from 320 to 1280 px wide in English and
Chinese (no control past the window's edge, nothing to scroll sideways, the timeline's
phase names whole), a touch phone's targets (WCAG 2.2: at least 24 × 24 px), its menus and
equation panel inside the screen, a caption too long for its lines that keeps its numbers
and opens whole, and a status line that is never cut.

One page per case, resized from width to width (not reloaded), so the sweep stays fast."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import FAST, PageLog, open_page

WIDTHS = range(320, 1281, 10)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}

# Two animation frames: the resize observers have run and the drawing is laid out again.
SETTLED = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))"

# Every visible control past the window's left or right edge, or cut by a box that clips it
# without scrolling (overflow hidden). Inside a row that scrolls sideways (the phone's
# toolbar) a control may lie beyond the edge: the row must fit instead. The skip link waits
# off screen until it is focused, by design.
OUTSIDE_JS = """() => {
  const W = document.documentElement.clientWidth;
  const sel = 'button, select, input, textarea, a[href], output, label.field, ' +
    '[tabindex="0"]:not(g)';
  const name = (el) => el.dataset.action || el.dataset.control || el.dataset.controlGroup ||
    el.dataset.bind || el.className || el.tagName.toLowerCase();
  const bad = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('.skip-link, .sr-only, svg')) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    let bounds = {left: 0, right: W};
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'visible') continue;
      const b = p.getBoundingClientRect();
      if (ox === 'auto' || ox === 'scroll') {
        // Scrolled to: the row itself must fit in the window.
        if (b.left < -0.5 || b.right > W + 0.5) {
          bad.push(`${name(p)} (scrolling row) ${b.left}..${b.right}`);
        }
        bounds = null;
        break;
      }
      bounds = {left: Math.max(bounds.left, b.left), right: Math.min(bounds.right, b.right)};
    }
    if (bounds && (r.left < bounds.left - 0.5 || r.right > bounds.right + 0.5)) {
      const at = (a, b) => `${Math.round(a)}..${Math.round(b)}`;
      bad.push(`${name(el)} ${at(r.left, r.right)} (room ${at(bounds.left, bounds.right)})`);
    }
  }
  // A phase's name under the timeline, cut by its own mark (each mark is as wide as its
  // phase's share of the step: the timeline needs room for the three names).
  for (const el of document.querySelectorAll('.phase-marks button')) {
    if (!el.checkVisibility()) continue;
    if (el.scrollWidth > el.clientWidth + 0.5) {
      bad.push(`phase mark "${el.textContent}" cut: ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  const se = document.scrollingElement;
  if (se.scrollWidth > se.clientWidth) {
    bad.push(`the page scrolls sideways: ${se.scrollWidth} > ${se.clientWidth}`);
  }
  return [...new Set(bad)];
}"""


def sweep(page: Page, height: int = 700) -> dict[int, list[str]]:
    problems = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate(SETTLED)
        bad = page.evaluate(OUTSIDE_JS)
        if bad:
            problems[width] = bad
    return problems


# Both pages in both languages with a mouse; and with a finger, whose controls are larger.
SWEEPS = [
    (path, lang, pointer)
    for path in ["/", "/embed"]
    for lang, pointer in [("en", "fine"), ("zh-TW", "fine"), ("en", "coarse")]
]


@pytest.mark.parametrize(("path", "lang", "pointer"), SWEEPS, ids=["-".join(c) for c in SWEEPS])
def test_every_width_from_320_to_1280_fits(
    path: str,
    lang: str,
    pointer: str,
    browser: Browser,
    base_url: str,
    page_log: PageLog,
    pages: list[Page],
) -> None:
    touch = {"has_touch": True, "is_mobile": True} if pointer == "coarse" else {}
    page = open_page(browser, f"{base_url}{path}?lang={lang}", page_log, **touch)
    pages.append(page)
    assert page.evaluate(f"() => matchMedia('(pointer: {pointer})').matches")
    # Mid-step: the player's phase marks, the step counter and a long caption are there too.
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    page.evaluate("() => { const p = window.backpropViz.player; p.seek(p.events.length >> 1); }")
    assert sweep(page) == {}
    assert page_log.page_errors == []


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_every_width_fits_with_the_training_view_open(
    lang: str, browser: Browser, base_url: str, page_log: PageLog, pages: list[Page]
) -> None:
    page = open_page(browser, f"{base_url}/?view=training&lang={lang}", page_log)
    pages.append(page)
    page.wait_for_function(
        "() => { const t = window.backpropViz.store.state.training; return !!(t && t.data); }"
    )
    assert sweep(page) == {}
    assert page_log.page_errors == []


# ---- a touch phone -----------------------------------------------------------------------------

# Every visible control's box, where a finger has to hit it (file inputs are invisible
# layers over their labelled buttons: the label is the target).
TARGETS_JS = """() => [...document.querySelectorAll(
    'button, select, input, textarea, .file-button, [role="tab"], [role="radio"]')]
  .filter((el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true}))
  .filter((el) => !el.closest('.skip-link'))
  .map((el) => {
    const r = el.getBoundingClientRect();
    return {name: el.dataset.action || el.dataset.control || el.dataset.phase || el.type ||
              el.className || el.tagName.toLowerCase(),
            width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10};
  })
  .filter((b) => b.width > 0 && b.height > 0)"""


@pytest.fixture
def phone(browser: Browser, base_url: str, page_log: PageLog) -> Iterator[Page]:
    p = open_page(browser, base_url + "/", page_log, **PHONE)
    yield p
    p.context.close()


def small_targets(page: Page) -> list[dict[str, Any]]:
    return [b for b in page.evaluate(TARGETS_JS) if b["width"] < 24 or b["height"] < 24]


def test_every_target_on_a_touch_phone_is_at_least_24_px(phone: Page, artifacts: Path) -> None:
    phone.evaluate("s => window.backpropViz.run(s)", FAST)  # the phase marks, the step counter
    phone.evaluate(SETTLED)
    found = {"step": small_targets(phone)}
    # The bars' buttons have the room for 32 px (the phase marks under the timeline, 24).
    bars = phone.evaluate(
        """() => [...document.querySelectorAll(
            '.topbar button, .toolbar button, .player .group button, .layer-header button')]
          .filter((b) => b.checkVisibility()).map((b) => b.getBoundingClientRect())
          .map((r) => Math.min(r.width, r.height))"""
    )
    assert bars and min(bars) >= 32, bars
    phone.tap('[data-action="share"]')
    found["share"] = small_targets(phone)
    phone.tap('[data-action="share"]')
    phone.tap('[data-action="equations"]')
    phone.locator('[data-bind="panel"]').wait_for(state="visible")
    found["equations"] = small_targets(phone)
    phone.tap('[data-action="close-panel"]')
    phone.locator('[data-action="training"]').scroll_into_view_if_needed()
    phone.tap('[data-action="training"]')
    phone.wait_for_function(
        "() => { const t = window.backpropViz.store.state.training; return !!(t && t.data); }"
    )
    found["training"] = small_targets(phone)
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_menus_open_inside_the_phones_screen(
    lang: str,
    browser: Browser,
    base_url: str,
    page_log: PageLog,
    pages: list[Page],
    artifacts: Path,
) -> None:
    page = open_page(browser, f"{base_url}/?lang={lang}", page_log, **PHONE)
    pages.append(page)
    for action, menu in [("share", "share-menu"), ("export", "export-menu")]:
        page.tap(f'[data-action="{action}"]')
        body = page.locator(f'[data-bind="{menu}"]')
        body.wait_for(state="visible")
        if action == "share" and lang == "en":
            page.screenshot(path=str(artifacts / "widths-phone-share.png"))
        box = body.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (action, box)
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844, (action, box)
        page.tap(f'[data-action="{action}"]')
        body.wait_for(state="hidden")


def test_the_equation_panel_is_a_full_width_sheet_on_the_phone(
    phone: Page, artifacts: Path
) -> None:
    drawing = phone.locator("svg.network").bounding_box()
    assert drawing is not None
    phone.evaluate("s => window.backpropViz.run(s)", FAST)
    phone.evaluate("() => window.backpropViz.explain({kind: 'weight', layer: 2, from: 0, to: 1})")
    panel = phone.locator('[data-bind="panel"]')
    panel.wait_for(state="visible")
    phone.wait_for_selector('[data-panel="equations"] .katex')
    phone.evaluate(SETTLED)
    phone.screenshot(path=str(artifacts / "widths-phone-equations.png"))
    box = panel.bounding_box()
    assert box is not None
    # The whole width, over the drawing (which keeps its size: it is not squeezed beside it).
    assert box["x"] <= 0.5 and box["x"] + box["width"] >= 389.5, box
    assert box["height"] >= 0.9 * drawing["height"], (box, drawing)
    after = phone.locator("svg.network").bounding_box()
    assert after is not None and after["width"] == drawing["width"], (after, drawing)
    # Nothing of it is cut: its controls are inside the screen.
    assert phone.evaluate(OUTSIDE_JS) == []
    phone.tap('[data-action="close-panel"]')
    panel.wait_for(state="hidden")


def test_the_phones_toolbar_shows_that_it_scrolls(phone: Page) -> None:
    bar = phone.locator(".toolbar")
    assert bar.evaluate("el => el.scrollWidth > el.clientWidth")  # more than a screen of settings
    mask = "el => getComputedStyle(el).maskImage || getComputedStyle(el).webkitMaskImage"
    # At the start: the far side fades, which says there is more.
    assert bar.get_attribute("data-more") == "end"
    assert bar.evaluate(mask) not in ("", "none")
    bar.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    phone.wait_for_function("() => document.querySelector('.toolbar').dataset.more === 'start'")
    assert bar.evaluate(mask) not in ("", "none")
    bar.evaluate("el => { el.scrollLeft = 40; }")
    phone.wait_for_function("() => document.querySelector('.toolbar').dataset.more === 'start end'")
    assert bar.evaluate(mask) not in ("", "none")
    # Turned sideways the settings wrap: nothing to scroll, nothing faded.
    phone.set_viewport_size({"width": 844, "height": 390})
    phone.wait_for_function("() => document.querySelector('.toolbar').dataset.more === ''")
    assert bar.evaluate(mask) == "none"


def test_the_phones_status_line_shows_under_the_scrolling_row(phone: Page, artifacts: Path) -> None:
    # A refused seed: the status says why (and stays: nothing else happened).
    phone.fill('[data-control="seed"]', "-1")
    phone.press('[data-control="seed"]', "Enter")
    phone.wait_for_function("() => document.querySelector('.status').textContent.length > 0")
    phone.evaluate(SETTLED)
    phone.screenshot(path=str(artifacts / "widths-phone-status.png"))
    got = phone.locator('[data-bind="status"]').evaluate(
        """el => { const r = el.getBoundingClientRect(), bar = el.closest('.toolbar');
          return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                  clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth,
                  rowBottom: bar.getBoundingClientRect().bottom}; }"""
    )
    # In full view whichever way the row is scrolled, and not cut.
    assert got["left"] >= 0 and got["right"] <= 390 and not got["clipped"], got
    assert got["bottom"] <= got["rowBottom"] + 0.5, got
    phone.locator(".toolbar").evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    assert phone.locator('[data-bind="status"]').bounding_box() == {
        "x": got["left"],
        "y": got["top"],
        "width": got["right"] - got["left"],
        "height": got["bottom"] - got["top"],
    }


# ---- captions and the status line ------------------------------------------------------------

CAPTION_JS = """() => {
  const c = document.querySelector('[data-bind="caption"]');
  const more = document.querySelector('[data-action="caption-more"]');
  // The numbers drawn before the sentence, set alone in the caption's width and font: they
  // must fit in the lines the caption shows.
  const cs = getComputedStyle(c);
  const probe = document.createElement('p');
  probe.className = 'caption';
  probe.dataset.numbers = ''; // no lead of its own
  const width = c.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  probe.style.cssText = `position: absolute; visibility: hidden; display: block; padding: 0;
    border: 0; font-weight: 600; width: ${width}px`;
  const lead = getComputedStyle(c, '::before').content;
  probe.textContent = lead.startsWith('"') ? JSON.parse(lead) : '';
  c.parentElement.append(probe);
  const leadHeight = probe.scrollHeight;
  probe.remove();
  return {
    text: c.textContent,
    cut: c.scrollHeight > c.clientHeight + 1,
    lead: getComputedStyle(c, '::before').content,
    leadFits: leadHeight > 0 && leadHeight <= c.clientHeight + 1,
    more: more && more.checkVisibility()
      ? {expanded: more.getAttribute('aria-expanded'), text: more.textContent} : null,
    focused: document.activeElement === more,
  };
}"""


def shown(x: float) -> str:
    """A number as the caption writes it (format.js short: 4 significant digits, true minus)."""
    return f"{x:#.4g}".replace("-", "−")


FRAMES = {
    "frame-600": {
        "path": "/embed?preset=worked-example-2-2-2",
        "options": {"viewport": {"width": 600, "height": 520}},
    },
    "phone": {"path": "/?preset=worked-example-2-2-2", "options": PHONE},
}


@pytest.mark.parametrize("where", list(FRAMES))
def test_a_cut_caption_keeps_its_numbers_and_opens_whole(
    where: str,
    browser: Browser,
    base_url: str,
    api: httpx.Client,
    page_log: PageLog,
    pages: list[Page],
    artifacts: Path,
) -> None:
    case = FRAMES[where]
    page = open_page(browser, base_url + case["path"], page_log, **case["options"])
    pages.append(page)
    trace = api.post("/api/v1/trace", json=page.evaluate("() => window.backpropViz.state()")).json()
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    # The output layer's first gradients: a long caption with three numbers of the server's.
    events = page.evaluate("() => window.backpropViz.player.events")
    k = min(i for i, e in enumerate(events) if e["type"] == "gradient")
    page.evaluate("n => window.backpropViz.player.seek(n)", k + 1)
    page.evaluate(SETTLED)
    event = events[k]
    layer = trace["layers"][event["layer"]]
    numbers = [shown(layer["dl_dz"][event["node"]])]
    numbers += [shown(g) for g in layer["dl_dw"][event["node"]]]
    got = page.evaluate(CAPTION_JS)
    page.screenshot(path=str(artifacts / f"widths-caption-{where}.png"))
    assert got["cut"], got  # too long for its two lines here
    assert all(n in got["text"] for n in numbers), (numbers, got["text"])
    # Cut, it shows the numbers first: the clamp cuts words, not numbers.
    assert all(n in got["lead"] for n in numbers), (numbers, got["lead"])
    assert got["leadFits"], got  # ... and all of them within the lines it shows
    # A control opens the whole caption, from the keyboard too.
    assert got["more"] is not None and got["more"]["expanded"] == "false", got
    page.focus('[data-action="caption-more"]')
    page.keyboard.press("Enter")
    page.evaluate(SETTLED)
    opened = page.evaluate(CAPTION_JS)
    page.screenshot(path=str(artifacts / f"widths-caption-{where}-open.png"))
    assert opened["more"]["expanded"] == "true" and opened["focused"], opened
    assert not opened["cut"], opened
    box = page.locator('[data-bind="caption"]').bounding_box()
    assert box is not None and box["y"] >= 0, box
    page.keyboard.press("Enter")
    page.evaluate(SETTLED)
    assert page.evaluate(CAPTION_JS)["more"]["expanded"] == "false"
    assert page_log.page_errors == []


def test_a_long_status_line_is_not_cut_at_1280(
    browser: Browser, base_url: str, page_log: PageLog, pages: list[Page], artifacts: Path
) -> None:
    page = open_page(browser, base_url + "/?view=training", page_log)
    pages.append(page)
    page.wait_for_function(
        "() => { const t = window.backpropViz.store.state.training; return !!(t && t.data); }"
    )
    # Click a training point: the status says which one was opened with the current weights.
    x, y = page.evaluate(
        """() => {
          const t = window.backpropViz.store.state.training;
          const [[x0, x1], [y0, y1]] = t.data.extent;
          const p = t.data.train.x[3];
          const r = document.querySelector('canvas[data-boundary]').getBoundingClientRect();
          return [r.left + (p[0] - x0) / (x1 - x0) * r.width,
                  r.top + r.height - (p[1] - y0) / (y1 - y0) * r.height];
        }"""
    )
    page.mouse.click(x, y)
    status = page.locator('[data-bind="status"]')
    status.wait_for(state="visible")
    page.wait_for_function("() => document.querySelector('.status').textContent.length > 20")
    page.evaluate(SETTLED)
    page.screenshot(path=str(artifacts / "widths-status-1280.png"))
    got = status.evaluate(
        """el => ({text: el.textContent, sw: el.scrollWidth, cw: el.clientWidth,
                  sh: el.scrollHeight, ch: el.clientHeight, right: el.getBoundingClientRect().right,
                  overflow: getComputedStyle(el).textOverflow})"""
    )
    assert got["sw"] <= got["cw"] and got["sh"] <= got["ch"] + 1, got
    assert got["right"] <= 1280, got


# ---- the drawing on a phone ------------------------------------------------------------------


def test_no_link_runs_through_a_bias_label_on_the_phone(phone: Page) -> None:
    """The rows above and below the neurons lie on a backdrop: whatever link passes behind a
    label, no stroke is painted over its box (read from the pixels under each label)."""
    labels = phone.evaluate(
        """() => [...document.querySelectorAll('svg.network .neuron text.above')]
          .filter((t) => t.checkVisibility() && t.textContent.startsWith('b '))
          .map((t) => { const r = t.getBBox(); const m = t.getScreenCTM();
            return {text: t.textContent, x: m.e + r.x * m.a, y: m.f + r.y * m.d,
                    w: r.width * m.a, h: r.height * m.d}; })"""
    )
    assert len(labels) == 4, labels
    crossed = []
    for label in labels:
        shot = phone.screenshot(
            clip={"x": label["x"], "y": label["y"], "width": label["w"], "height": label["h"]},
            type="png",
        )
        if link_coloured(shot):
            crossed.append(label["text"])
    # The worked example's links from x₁ to the lower neurons cross their "b" labels' boxes.
    assert crossed == []


def link_coloured(png: bytes) -> bool:
    """Any saturated blue or orange pixel (a link's stroke; the labels are grey on the page's
    background) in a PNG, read with the standard library alone."""
    import struct
    import zlib

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, meta = 8, [], {}
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            meta["w"], meta["h"], _, meta["type"] = struct.unpack(">IIBB", data[:10])
        elif kind == b"IDAT":
            chunks.append(data)
        pos += 12 + length
    channels = {2: 3, 6: 4}[meta["type"]]
    raw = zlib.decompress(b"".join(chunks))
    stride = meta["w"] * channels
    prev = bytearray(stride)
    i = 0
    for _ in range(meta["h"]):
        f, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b, c = prev[x], prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, channels):
            r, g, bl = line[x], line[x + 1], line[x + 2]
            if max(r, g, bl) - min(r, g, bl) > 60:
                return True
        prev = line
    return False
