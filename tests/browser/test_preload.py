"""The pages' `<link rel="modulepreload">` lists against what the browser itself imports.

The oracle: the same page with its preload links taken out, where Chromium finds the modules
by following the imports, one floor at a time. The modules it fetches before the page is
ready must be exactly the ones the real page preloads (none missing: a missing one is found
a round trip late; none extra: a stale one costs bytes and a connection on a slow link),
and the real page must ask for nothing else and for each one once (a preload whose URL
differs from the import's is fetched twice). Which modules, and how fast, is the
benchmark's business (benchmarks/bench_first_load.py), not this test's.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Route

from tests.browser.pages import READY

PRELOAD_LINK = re.compile(r'<link rel="modulepreload"[^>]*>\n?')


# The document's own fetches (a worker's are on the worker's timeline, and the worker's script
# itself is not the document's module: a modulepreload cannot serve it).
MODULES_FETCHED = """(workers) => performance.getEntriesByType('resource')
  .map((e) => e.name)
  .filter((url) => /\\.m?js$/.test(new URL(url).pathname) && !workers.includes(url))"""


def load(browser: Browser, url: str, *, strip_preloads: bool) -> tuple[list[str], list[str]]:
    """(the modules fetched by the time the page is ready, the page's preload hrefs), in a
    fresh context with the cache off (every module is a request)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
        if strip_preloads:

            def without_preloads(route: Route) -> None:
                response = route.fetch()
                body = PRELOAD_LINK.sub("", response.text())
                route.fulfill(response=response, body=body)

            page.route(url, without_preloads)
        page.goto(url)
        page.wait_for_function(READY)
        fetched = page.evaluate(MODULES_FETCHED, [w.url for w in page.workers])
        preloads = page.evaluate(
            "() => [...document.querySelectorAll('link[rel=modulepreload]')].map((l) => l.href)"
        )
        return fetched, preloads
    finally:
        context.close()


@pytest.mark.parametrize(
    "path", ["/", "/embed", "/embed?view=training", "/?view=training&lang=zh-TW"]
)
def test_preloads_are_exactly_the_modules_the_page_imports(
    browser: Browser, base_url: str, path: str
) -> None:
    url = base_url + path
    imported, stripped_preloads = load(browser, url, strip_preloads=True)
    assert stripped_preloads == []  # the oracle page really had none
    fetched, preloads = load(browser, url, strip_preloads=False)

    missing = sorted(set(imported) - set(preloads))
    stale = sorted(set(preloads) - set(imported))
    assert not missing, f"imported before ready but not preloaded: {missing}"
    assert not stale, f"preloaded but not imported before ready: {stale}"
    assert sorted(fetched) == sorted(set(preloads)), "each preloaded module fetched once, no other"
    assert len(preloads) == len(set(preloads))
    # The entry first, so that its own request is not queued behind its imports.
    entry = "embed-main.js" if path.startswith("/embed") else "main.js"
    assert urlsplit(preloads[0]).path == f"/static/js/{entry}"


# The API's answers the page waits for, from the document's resource timing.
API_TIMES = """() => Object.fromEntries(performance.getEntriesByType('resource')
  .filter((e) => new URL(e.name).pathname.includes('/api/v1/'))
  .map((e) => [new URL(e.name).pathname.replace('/api/v1/', ''),
               {start: e.startTime, end: e.responseEnd}]))"""


@pytest.mark.parametrize("path", ["/", "/embed"])
def test_the_default_preset_is_asked_for_with_the_lists(
    browser: Browser, base_url: str, path: str
) -> None:
    """Not a round trip after them: the request starts before either list has arrived."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + path)
        page.wait_for_function(READY)
        api = page.evaluate(API_TIMES)
    finally:
        context.close()
    preset = api["presets/worked-example-2-2-2"]
    assert preset["start"] < min(api["capabilities"]["end"], api["presets"]["end"]), api


def test_a_named_preset_is_the_only_one_asked_for(browser: Browser, base_url: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + "/embed?preset=xor")
        page.wait_for_function(READY)
        api = page.evaluate(API_TIMES)
    finally:
        context.close()
    assert sorted(api) == ["capabilities", "presets", "presets/xor"]


@pytest.mark.parametrize(
    ("path", "training"),
    [("/", True), ("/?view=step", True), ("/embed", False), ("/embed?view=training", True)],
)
def test_the_training_stylesheet_only_where_the_training_view_can_show(
    browser: Browser, base_url: str, path: str, training: bool
) -> None:
    """A frame without the training view does not wait for training.css; a page with it has
    the view's rules."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(base_url + path)
        page.wait_for_function(READY)
        sheets = page.evaluate(
            "() => [...document.styleSheets].map((s) => new URL(s.href).pathname)"
        )
        assert ("/static/css/training.css" in sheets) is training, sheets
        if training:
            styled = page.evaluate(
                "() => [...document.styleSheets].some((s) => [...s.cssRules]"
                ".some((r) => r.selectorText === '.train-bar'))"
            )
            assert styled
    finally:
        context.close()
