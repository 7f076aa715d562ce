"""The page loads cleanly, draws the default network, fits its window, keeps labels apart."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PageLog, open_page
from tests.browser.helpers import links, load, neurons, run, state


def test_page_loads_without_errors_and_every_asset_is_200(page: Page, page_log: PageLog) -> None:
    # Open the equation panel too: KaTeX (script, stylesheet, fonts) loads on first use.
    page.click('[data-action="equations"]')
    page.evaluate("() => window.backpropViz.explain({kind: 'bias', layer: 1, node: 0})")
    page.wait_for_selector('[data-panel="equations"] .katex')
    page.wait_for_function("document.fonts.status === 'loaded'")
    statics = [(s, u) for s, u in page_log.responses if "/static/" in u]
    assert any(u.endswith("/js/main.js") for _, u in statics)
    assert any("/vendor/d3/" in u for _, u in statics)
    assert any(u.endswith("katex.min.js") for _, u in statics)
    assert any(u.endswith(".woff2") for _, u in statics)
    assert all(s == 200 for s, _ in statics), statics
    assert page_log.failed() == []
    assert page_log.console_errors == []
    assert page_log.page_errors == []


def test_no_third_party_host_is_contacted(page: Page, page_log: PageLog, base_url: str) -> None:
    assert page_log.responses
    assert all(u.startswith(base_url) for _, u in page_log.responses)


def test_static_assets_are_gzipped(base_url: str) -> None:
    r = httpx.get(base_url + "/static/js/draw.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers.get("content-encoding") == "gzip"


def test_default_network_is_the_2_2_2_worked_example(page: Page, api: httpx.Client) -> None:
    preset = api.get("/api/v1/presets/worked-example-2-2-2").json()
    assert state(page) == preset
    ns = neurons(page)
    assert len(ns) == 6
    assert sorted((n["layer"], n["node"]) for n in ns) == [
        (l, j) for l in range(3) for j in range(2)
    ]
    ls = links(page)
    assert len(ls) == 8
    for link in ls:
        w = preset["network"]["weights"][link["layer"]][link["to"]][link["from"]]
        assert float(link["w"]) == w
    # Before any animation only the inputs are known.
    assert all(n["z"] is None and n["dl_dz"] is None for n in ns)
    assert [float(n["a"]) for n in ns if n["layer"] == 0] == preset["input"]
    # The first-contact hint says what to press.
    assert "Step" in page.inner_text('[data-bind="caption"]')


def test_choices_come_from_capabilities(page: Page, api: httpx.Client) -> None:
    caps = api.get("/api/v1/capabilities").json()
    losses = page.eval_on_selector_all('[data-control="loss"] option', "os => os.map(o => o.value)")
    assert losses == [loss["name"] for loss in caps["losses"]]
    hidden = page.eval_on_selector_all(
        '[data-control="activation"][data-layer="1"] option', "os => os.map(o => o.value)"
    )
    assert hidden == [a["name"] for a in caps["activations"] if not a["output_only"]]
    output = page.eval_on_selector_all(
        '[data-control="activation"][data-layer="2"] option', "os => os.map(o => o.value)"
    )
    assert output == [a["name"] for a in caps["activations"]]
    inits = page.eval_on_selector_all('[data-control="init"] option', "os => os.map(o => o.value)")
    assert inits == caps["inits"]


def _fits(page: Page) -> bool:
    return page.evaluate(
        """() => { const d = document.documentElement;
        return d.scrollHeight <= d.clientHeight && d.scrollWidth <= d.clientWidth; }"""
    )


NET_2_4_4_2 = {
    "network": {
        "layers": [2, 4, 4, 2],
        "activations": ["tanh", "tanh", "sigmoid"],
        "loss": "squared_error",
        "init": "xavier",
        "seed": 3,
    },
    "input": [0.5, -0.3],
    "target": [0.2, 0.9],
    "learning_rate": 0.5,
}


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)])
def test_2_4_4_2_fits_without_scrolling(
    browser: Browser, base_url: str, size: tuple[int, int]
) -> None:
    log = PageLog()
    page = open_page(browser, base_url + "/", log, viewport={"width": size[0], "height": size[1]})
    load(page, NET_2_4_4_2)
    run(page)
    assert _fits(page)
    page.click('[data-action="equations"]')
    page.wait_for_selector('[data-panel="equations"]:not([hidden])')
    assert _fits(page)
    # Every neuron is inside the drawing.
    inside = page.evaluate(
        """() => { const box = document.querySelector('svg.network').getBoundingClientRect();
        return [...document.querySelectorAll('.neuron circle.body')].every(c => {
          const b = c.getBoundingClientRect();
          return b.left >= box.left && b.right <= box.right
            && b.top >= box.top && b.bottom <= box.bottom;
        }); }"""
    )
    assert inside
    page.context.close()


OVERLAPS_JS = """() => {
  const sel = ['.neuron text.above', '.neuron text.below', '.neuron text.inner', '.wlabel rect',
               '.target', '.loss-node rect'];
  const boxes = [];
  for (const s of sel) for (const el of document.querySelectorAll('svg.network ' + s)) {
    if (!el.textContent && el.tagName === 'text') continue;
    if (el.closest('[display="none"]') || el.getAttribute('display') === 'none') continue;
    const b = el.getBoundingClientRect();
    if (b.width && b.height) boxes.push({s, b, t: el.textContent || el.parentNode.textContent});
  }
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const p = boxes[i].b, q = boxes[j].b;
    const e = 0.5;  // px: touching is not overlapping
    if (p.left < q.right - e && q.left < p.right - e
        && p.top < q.bottom - e && q.top < p.bottom - e)
      hits.push(`${boxes[i].s} "${boxes[i].t}" × ${boxes[j].s} "${boxes[j].t}"`);
  }
  return hits;
}"""


@pytest.mark.parametrize("preset", ["deep-2-8x6-1", "worked-example-2-2-2", "softmax-classifier"])
def test_labels_never_overlap(page: Page, api: httpx.Client, preset: str) -> None:
    load(page, api.get(f"/api/v1/presets/{preset}").json())
    assert page.evaluate(OVERLAPS_JS) == []
    run(page)
    total = page.evaluate("() => window.backpropViz.player.events.length")
    for phase in ("forward", "backward", "update"):
        page.evaluate("p => window.backpropViz.player.jumpTo(p)", phase)
        assert page.evaluate(OVERLAPS_JS) == [], phase
    for cursor in (total // 4, total // 2, total):
        page.evaluate("n => window.backpropViz.player.seek(n)", cursor)
        assert page.evaluate(OVERLAPS_JS) == [], cursor


def test_labels_never_overlap_in_a_small_iframe_with_the_panel_open(
    browser: Browser, base_url: str, api: httpx.Client
) -> None:
    page = open_page(browser, base_url + "/", PageLog(), viewport={"width": 800, "height": 600})
    page.click('[data-action="equations"]')
    for preset in ("deep-2-8x6-1", "worked-example-2-2-2"):
        load(page, api.get(f"/api/v1/presets/{preset}").json())
        run(page)
        for phase in ("forward", "backward", "update"):
            page.evaluate("p => window.backpropViz.player.jumpTo(p)", phase)
            assert page.evaluate(OVERLAPS_JS) == [], (preset, phase)
    load(page, NET_2_4_4_2)
    run(page)
    assert page.evaluate(OVERLAPS_JS) == []
    page.context.close()
