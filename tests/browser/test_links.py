"""Links that carry the whole state (static/js/page/link.js, app.js): what a page shows comes back
exactly, to the last bit, in a fresh browser context; the view travels with it; the address
bar follows every edit without new history entries; a link too long to share is refused in
the Share menu; a broken link opens the default example with a note, never a blank page."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.conftest import FAST, PageLog
from tests.browser.helpers import load, run, state
from tests.browser.pages import assert_same_request, fresh, notes, random_request

DEFAULT_PRESET = "worked-example-2-2-2"
SEEDS = range(8)
# A whole step of the 10 × 64 network (2306 events) at BIG_RUN_SPEED: about 70 s on this
# 2-core machine when it is quiet, 140 s under load; the bound leaves room for that.
RUN_BOUND_MS = 240_000
BIG_RUN_SPEED = 80  # the fastest speed at which every event still waits on a timer (≥ 4 ms)


def link(page: Page, embed: bool = False) -> str:
    return page.evaluate("(embed) => window.backpropViz.link({embed})", embed)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def accepted_request(api: httpx.Client, seed: int) -> dict[str, Any]:
    """A random request the API accepts (the first draw of this seed that does not overflow)."""
    rng = random.Random(seed)
    for _ in range(50):
        request = random_request(rng)
        r = api.post("/api/v1/trace", json=request)
        if r.status_code == 200:
            return request
        assert r.status_code == 422, r.text  # an overflow: draw again
    raise AssertionError(f"seed {seed}: no request the API accepts in 50 draws")


def assert_clean(log: PageLog) -> None:
    assert log.page_errors == []
    assert log.console_errors == []
    assert log.failed() == []


# ---- the state round trip ------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_a_link_gives_back_the_exact_request(
    seed: int, page: Page, browser: Browser, api: httpx.Client, page_log: PageLog
) -> None:
    request = accepted_request(api, seed)
    load(page, request)
    assert_same_request(state(page), request)  # the page itself keeps every bit

    for embed, path in [(False, "/"), (True, "/embed")]:
        url = link(page, embed)
        assert urlsplit(url).path == path
        q = query(url)
        assert q["v"] == ["1"] and len(q["state"]) == 1, url
        assert "preset" not in q
        other = fresh(browser, url, page_log)
        try:
            assert urlsplit(other.url).path == path
            assert_same_request(state(other), request)
            assert notes(other)["text"] == ""
        finally:
            other.context.close()
    assert_clean(page_log)


def test_negative_zero_and_subnormals_survive_a_link(
    page: Page, browser: Browser, page_log: PageLog
) -> None:
    # The values JSON alone would lose (-0.0) or that a decimal printer may round (5e-324).
    request = {
        "network": {
            "layers": [2, 2, 1],
            "activations": ["tanh", "linear"],
            "loss": "squared_error",
            "weights": [[[-0.0, 5e-324], [0.1 + 0.2, -5e-324]], [[1e-300, -0.0]]],
            "biases": [[-0.0, 2.2250738585072014e-308], [-123456.789]],
        },
        "input": [-0.0, 0.1],
        "target": [-0.0],
        "learning_rate": 0.1 + 0.2,
    }
    load(page, request)
    for embed in (False, True):
        other = fresh(browser, link(page, embed), page_log)
        try:
            assert_same_request(state(other), request)
        finally:
            other.context.close()
    assert_clean(page_log)


# ---- the view travels ------------------------------------------------------------------------

PICKS = [
    (
        {"kind": "weight", "layer": 2, "from": 1, "to": 0},
        {"kind": "weight", "layer": 2, "from": 1, "to": 0},
    ),
    ({"kind": "bias", "layer": 1, "node": 1}, {"kind": "bias", "layer": 1, "node": 1}),
    ({"kind": "input", "node": 0}, {"kind": "input", "layer": 0, "node": 0}),
    ({"kind": "target", "node": 1}, {"kind": "target", "layer": 2, "node": 1}),
]


@pytest.mark.parametrize(("pick", "canonical"), PICKS, ids=[p["kind"] for p, _ in PICKS])
@pytest.mark.parametrize("embed", [False, True], ids=["page", "embed"])
def test_the_open_panel_and_the_pick_travel_with_the_link(
    pick: dict[str, Any],
    canonical: dict[str, Any],
    embed: bool,
    page: Page,
    browser: Browser,
    page_log: PageLog,
) -> None:
    page.evaluate("(p) => window.backpropViz.explain(p)", pick)
    page.wait_for_function("() => window.backpropViz.store.state.view.panel === 'equations'")
    url = link(page, embed)
    q = query(url)
    assert q["v"] == ["1"] and "state" in q, url  # a view that is not the default: not ?preset=
    other = fresh(browser, url, page_log)
    try:
        view = other.evaluate(
            """() => ({panel: window.backpropViz.store.state.view.panel,
                       selection: window.backpropViz.store.state.selection,
                       shown: !document.querySelector('[data-bind="panel"]').hidden})"""
        )
        assert view == {"panel": "equations", "selection": canonical, "shown": True}
        assert state(other) == state(page)
    finally:
        other.context.close()
    assert_clean(page_log)


# ---- preset links and state links ----------------------------------------------------------


def test_an_unedited_preset_gives_a_short_preset_link(page: Page, base_url: str) -> None:
    assert link(page) == f"{base_url}/?preset={DEFAULT_PRESET}"
    assert link(page, embed=True) == f"{base_url}/embed?preset={DEFAULT_PRESET}"
    page.select_option('[data-control="preset"]', "xor")
    page.wait_for_function("() => window.backpropViz.store.state.presetName === 'xor'")
    assert link(page) == f"{base_url}/?preset=xor"
    page.wait_for_function("() => location.search === '?preset=xor'")


def test_an_edit_gives_a_state_link(
    page: Page, base_url: str, browser: Browser, page_log: PageLog
) -> None:
    edited = state(page)
    edited["network"]["weights"][0][0][0] = 0.123
    load(page, edited)
    url = link(page)
    assert url.startswith(f"{base_url}/?")
    q = query(url)
    assert q["v"] == ["1"] and len(q["state"]) == 1 and "preset" not in q, url
    # An edit through the page's own editor does the same: η in the toolbar.
    page.select_option('[data-control="preset"]', "xor")
    page.wait_for_function("() => window.backpropViz.store.state.presetName === 'xor'")
    assert "preset" in query(link(page))
    page.fill('[data-control="learning-rate"]', "0.25")
    page.press('[data-control="learning-rate"]', "Enter")
    page.wait_for_function("() => window.backpropViz.state().learning_rate === 0.25")
    q = query(link(page))
    assert q["v"] == ["1"] and "state" in q and "preset" not in q
    other = fresh(browser, link(page), page_log)
    try:
        assert state(other) == state(page)
    finally:
        other.context.close()


def test_edits_replace_the_address_instead_of_adding_history(page: Page) -> None:
    page.wait_for_function("() => location.search.includes('preset=')")
    length = page.evaluate("() => history.length")
    first = state(page)
    first["learning_rate"] = 0.125
    load(page, first)
    page.wait_for_function("() => location.search.includes('state=')")
    after_first = page.evaluate("() => location.search")
    assert "preset=" not in after_first

    second = state(page)
    second["input"] = [0.75, -0.25]
    load(page, second)
    page.wait_for_function("(before) => location.search !== before", arg=after_first)
    after_second = page.evaluate("() => location.search")
    assert "state=" in after_second

    page.select_option('[data-control="speed"]', "2")
    page.wait_for_function("() => window.backpropViz.player.speed === 2")
    assert page.evaluate("() => history.length") == length
    # The address is the link to what is shown now, not to the first edit.
    assert page.evaluate("() => location.href") == link(page)


def test_the_address_bar_reopens_what_was_shown(
    page: Page, browser: Browser, page_log: PageLog
) -> None:
    edited = state(page)
    edited["target"] = [0.5, -0.0]
    load(page, edited)
    page.wait_for_function("() => location.search.includes('state=')")
    other = fresh(browser, page.evaluate("() => location.href"), page_log)
    try:
        assert_same_request(state(other), edited)
    finally:
        other.context.close()


def test_the_embed_link_keeps_the_display_parameters(
    browser: Browser, base_url: str, page_log: PageLog
) -> None:
    page = fresh(browser, f"{base_url}/embed?preset=xor&theme=dark&hide=legend&speed=2", page_log)
    try:
        edited = state(page)
        edited["learning_rate"] = 0.3
        load(page, edited)
        q = query(link(page, embed=True))
        assert q["theme"] == ["dark"] and q["hide"] == ["legend"] and q["speed"] == ["2"]
        assert q["v"] == ["1"] and "state" in q
        assert "theme" not in query(link(page, embed=False))  # the site page: its own look
    finally:
        page.context.close()


# ---- too long for a link -------------------------------------------------------------------


def big_request(api: httpx.Client) -> dict[str, Any]:
    spec = {
        "layers": [64] * 10,
        "activations": ["tanh"] * 8 + ["sigmoid"],
        "loss": "squared_error",
        "seed": 1,
    }
    r = api.post("/api/v1/network", json=spec)
    assert r.status_code == 200, r.text
    network = r.json()
    return {
        "network": network,
        "input": [((k * 37) % 19 - 9) / 10 for k in range(64)],
        "target": [(k % 2) * 0.5 + 0.25 for k in range(64)],
        "learning_rate": 0.5,
    }


def test_a_network_too_large_for_a_link_says_so_in_the_share_menu(
    page: Page, api: httpx.Client, page_log: PageLog
) -> None:
    request = big_request(api)
    load(page, request)
    assert_same_request(state(page), request)
    page.click('[data-action="share"]')
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"share-note\"]').textContent.length > 0"
    )
    menu = page.evaluate(
        """() => {
          const q = (s) => document.querySelector(s);
          const note = q('[data-bind="share-note"]');
          const r = note.getBoundingClientRect();
          return {note: note.textContent, noteShown: r.width > 0 && r.height > 0,
                  menuShown: !q('[data-bind="share-menu"]').hidden,
                  link: q('[data-bind="share-link"]').value,
                  iframe: q('[data-bind="share-iframe"]').value,
                  copyDisabled: [...document.querySelectorAll(
                    '[data-action="copy-link"], [data-action="copy-iframe"]')]
                    .every((b) => b.disabled)};
        }"""
    )
    assert menu["menuShown"] and menu["noteShown"]
    assert "too large" in menu["note"] and "8000" in menu["note"], menu["note"]
    assert menu["link"] == "" and menu["iframe"] == ""
    assert menu["copyDisabled"]
    assert page_log.page_errors == []
    assert page_log.console_errors == []


def test_a_network_too_large_for_a_link_still_plays_a_whole_step(
    page: Page, api: httpx.Client, page_log: PageLog
) -> None:
    request = big_request(api)
    load(page, request)
    # A whole step animates to its end, in a bounded time. At 80× every event still waits
    # on a timer, so the page stays responsive and this wait can time out; at FAST the
    # player never yields to the event loop and a slow page would hang the test instead.
    page.evaluate(
        """(speed) => {
          window.bigRun = null;
          window.backpropViz.run(speed).then(
            (done) => (window.bigRun = done.type), (err) => (window.bigRun = `error: ${err}`));
        }""",
        BIG_RUN_SPEED,
    )
    try:
        page.wait_for_function("() => window.bigRun !== null", timeout=RUN_BOUND_MS)
    except PlaywrightTimeoutError:
        progress = page.evaluate(
            """() => {
              const p = window.backpropViz.player;
              return {cursor: p.cursor, events: p.events.length, total: p.total};
            }"""
        )
        raise AssertionError(
            f"a whole step of the 10 × 64 network did not finish in {RUN_BOUND_MS / 1000:.0f} s "
            f"at {BIG_RUN_SPEED}×: {progress}"
        ) from None
    assert page.evaluate("() => window.bigRun") == "done"
    assert page.evaluate("() => window.backpropViz.player.finished")
    assert page_log.page_errors == []
    assert page_log.console_errors == []


def test_the_share_menu_of_a_normal_network_has_the_link_and_an_iframe(
    page: Page, base_url: str
) -> None:
    edited = state(page)
    edited["learning_rate"] = 0.75
    load(page, edited)
    page.click('[data-action="share"]')
    page.wait_for_function(
        "() => document.querySelector('[data-bind=\"share-link\"]').value.length > 0"
    )
    got = page.evaluate(
        """() => ({link: document.querySelector('[data-bind="share-link"]').value,
                   iframe: document.querySelector('[data-bind="share-iframe"]').value,
                   note: document.querySelector('[data-bind="share-note"]').textContent})"""
    )
    assert got["link"] == link(page)
    assert got["note"] == ""
    frame = page.evaluate(
        """(html) => {
          const t = document.createElement('template');
          t.innerHTML = html;
          const f = t.content.querySelector('iframe');
          return f && {src: f.getAttribute('src'), title: f.getAttribute('title'),
                       loading: f.getAttribute('loading'),
                       allowfullscreen: f.hasAttribute('allowfullscreen'),
                       count: t.content.children.length};
        }""",
        got["iframe"],
    )
    assert frame is not None, got["iframe"]
    assert frame["count"] == 1
    assert frame["src"] == link(page, embed=True)
    assert frame["title"] and frame["loading"] == "lazy" and frame["allowfullscreen"]


# ---- broken links --------------------------------------------------------------------------


def broken_links(api: httpx.Client) -> list[tuple[str, str]]:
    import base64
    import json

    def j(obj: Any) -> str:
        raw = json.dumps(obj).encode()
        return "j" + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    xor = api.get("/api/v1/presets/xor").json()
    refused = json.loads(json.dumps(xor))
    refused["network"]["weights"][0] = [[1.0]]  # wrong shape: the API refuses it
    return [
        ("/?v=1&state=jGARBAGE", "state"),
        ("/?v=1&state=zGARBAGE", "state"),
        ("/?v=1&state=j!!!", "state"),
        ("/?v=1&state=q" + j({"request": xor})[1:], "state"),
        ("/?v=1&state=" + j({"no": "request"}), "state"),
        ("/?v=1&state=" + j({"request": refused}), "state"),
        ("/?v=1&state=", "state"),
        ("/?v=2&state=jGARBAGE", "v="),
        # A link from a later version: its state is not ours to guess at, even when it
        # happens to decode as one of ours.
        ("/?v=2&state=" + j({"request": xor, "view": {}}), "v="),
        ("/embed?v=1&state=jGARBAGE", "state"),
        ("/embed?v=2&state=" + j({"request": xor, "view": {}}), "v="),
    ]


BROKEN_IDS = [
    "garbage-json",
    "garbage-deflate",
    "not-base64",
    "unknown-encoding",
    "no-request",
    "refused-by-api",
    "empty",
    "v2-garbage",
    "v2-decodable",
    "embed-garbage",
    "embed-v2-decodable",
]


@pytest.mark.parametrize("case", range(len(BROKEN_IDS)), ids=BROKEN_IDS)
def test_a_broken_link_opens_the_default_example_with_a_note(
    case: int, browser: Browser, base_url: str, api: httpx.Client, page_log: PageLog
) -> None:
    path, mention = broken_links(api)[case]
    page = fresh(browser, base_url + path, page_log)
    try:
        default = api.get(f"/api/v1/presets/{DEFAULT_PRESET}").json()
        assert state(page) == default, f"{path} did not open the default example"
        shown = page.evaluate(
            """() => {
              const svg = document.querySelector('svg.network');
              const r = svg.getBoundingClientRect();
              return {neurons: svg.querySelectorAll('.neuron').length, height: r.height};
            }"""
        )
        assert shown["neurons"] == 6 and shown["height"] > 100, shown
        note = notes(page)
        assert note["shown"], f"{path}: no visible note"
        assert mention in note["text"], note["text"]
        done = run(page, FAST)
        assert done["type"] == "done"
        assert page_log.page_errors == []
    finally:
        page.context.close()
