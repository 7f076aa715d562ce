"""The page loads cleanly and draws the default network (its layout: test_layout.py)."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from tests.browser.conftest import PageLog
from tests.browser.helpers import links, neurons, state


def test_page_loads_without_errors_and_every_asset_is_200(page: Page, page_log: PageLog) -> None:
    # Open the equation panel too: KaTeX (script, stylesheet, fonts) loads on first use.
    page.click('[data-action="equations"]')
    page.evaluate("() => window.backpropViz.explain({kind: 'bias', layer: 1, node: 0})")
    page.wait_for_selector('[data-panel="equations"] .katex')
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    statics = [(s, u) for s, u in page_log.responses if "/static/" in u]
    # The bundle (d3 inside it), else the modules (d3 beside them): app/web/bundle.py.
    assert any(u.endswith("/js/bundle/main.js") for _, u in statics)
    assert not any("/vendor/d3/" in u for _, u in statics)
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
    r = httpx.get(base_url + "/static/js/drawing/draw.js", headers={"Accept-Encoding": "gzip"})
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
