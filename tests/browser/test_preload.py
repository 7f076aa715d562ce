"""The pages' `<link rel="modulepreload">` lists against what the browser itself imports.

The oracle: the same page with its preload links taken out, where Chromium finds the modules
by following the imports, one floor at a time. The modules it fetches before the page is
ready must be exactly the ones the real page preloads (none missing: a missing one is found
a round trip late; none extra: a stale one costs bytes and a connection on a slow link),
and the real page must ask for nothing else and for each one once (a preload whose URL
differs from the import's is fetched twice). Both ways the server sends the page's
scripts: the bundle (app/web/bundle.py, the default) and the modules themselves
(BACKPROP_VIZ_BUNDLE=false, what a stale bundle falls back to). Which files, and how fast,
is the benchmark's business (benchmarks/bench_first_load.py), not this test's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Route

from app.web.modules import module_graph
from tests.browser.pages import READY
from tests.server import running_server

PRELOAD_LINK = re.compile(r'<link rel="modulepreload"[^>]*>\n?')

STATIC = Path(__file__).resolve().parents[2] / "static"
WORKER = re.compile(r'new Worker\(\s*new URL\(\s*"([^"]+)"')


BUNDLE_MANIFEST = STATIC / "js" / "bundle" / "manifest.json"


@pytest.fixture(scope="module", params=["bundle", "modules"])
def scripts(request: pytest.FixtureRequest, base_url: str) -> Iterator[tuple[str, str]]:
    """(how the page's scripts are sent, the server's base URL)."""
    if request.param == "bundle":
        yield "bundle", base_url
    else:
        with running_server(env={"BACKPROP_VIZ_BUNDLE": "false"}) as url:
            yield "modules", url


def worker_graphs(mode: str = "modules") -> dict[str, set[str]]:
    """Each script the page starts as a worker (its path under /static/, read from the
    source; in the bundle, that worker's bundle) with the files it imports. Chromium files a
    module worker's fetches, its own script's and its imports', in the document's resource
    timing, and Playwright's `page.workers` may not list the worker yet when they are there
    (a race that failed CI)."""
    manifest = json.loads(BUNDLE_MANIFEST.read_text()) if mode == "bundle" else None
    graphs = {}
    for module in (STATIC / "js").rglob("*.js"):
        if "bundle" in module.relative_to(STATIC).parts:
            continue
        for relative in WORKER.findall(module.read_text()):
            script = (module.parent / relative).resolve().relative_to(STATIC).as_posix()
            if manifest:
                out = manifest["starts"][script]
                graph = [out, *manifest["imports"][out]]
                script = out
            else:
                graph = module_graph(STATIC, script)
            graphs[f"/static/{script}"] = {f"/static/{m}" for m in graph}
    return graphs


# The modules fetched in the document's timeline, in order, with when each fetch started.
MODULES_FETCHED = """() => performance.getEntriesByType('resource')
  .filter((e) => /\\.m?js$/.test(new URL(e.name).pathname))
  .map((e) => [e.name, e.startTime])"""


def documents_modules(entries: list[tuple[str, float]], mode: str = "modules") -> list[str]:
    """The fetches left when each worker's are taken out: its script, and the modules of its
    graph fetched from the moment its script was asked for."""
    graphs = worker_graphs(mode)
    assert graphs, "the training stream's worker is found in the source"
    fetched = []
    for url, start in entries:
        path = urlsplit(url).path
        worker_started = [
            at
            for script, graph in graphs.items()
            if path in graph
            for u, at in entries
            if urlsplit(u).path == script
        ]
        if path in graphs or any(start >= at for at in worker_started):
            continue
        fetched.append(url)
    return fetched


def load(
    browser: Browser, url: str, *, strip_preloads: bool, mode: str = "modules"
) -> tuple[list[str], list[str]]:
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
        fetched = documents_modules(page.evaluate(MODULES_FETCHED), mode)
        preloads = page.evaluate(
            "() => [...document.querySelectorAll('link[rel=modulepreload]')].map((l) => l.href)"
        )
        return fetched, preloads
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/embed",
        "/embed?view=training",
        "/?view=training&lang=zh-TW",
        "/exercise/whole-step-2-2-2?seed=3",
        "/embed?exercise=forward-2-2-1&seed=1",
        "/tour",
        "/embed?view=tour&lang=zh-TW",
    ],
)
def test_preloads_are_exactly_the_modules_the_page_imports(
    browser: Browser, scripts: tuple[str, str], path: str
) -> None:
    mode, base = scripts
    url = base + path
    imported, stripped_preloads = load(browser, url, strip_preloads=True, mode=mode)
    assert stripped_preloads == []  # the oracle page really had none
    fetched, preloads = load(browser, url, strip_preloads=False, mode=mode)

    missing = sorted(set(imported) - set(preloads))
    stale = sorted(set(preloads) - set(imported))
    assert not missing, f"imported before ready but not preloaded: {missing}"
    assert not stale, f"preloaded but not imported before ready: {stale}"
    assert sorted(fetched) == sorted(set(preloads)), "each preloaded module fetched once, no other"
    assert len(preloads) == len(set(preloads))
    # The entry first, so that its own request is not queued behind its imports.
    entry = "embed-main.js" if path.startswith("/embed") else "main.js"
    if "exercise" in path:
        entry = "exercise-main.js"
    if "tour" in path:
        entry = "tour-main.js"
    folder = "/static/js/bundle" if mode == "bundle" else "/static/js"
    assert urlsplit(preloads[0]).path == f"{folder}/{entry}"
    # The bundle's files only from the bundle, the modules' only without it.
    assert all(("/static/js/bundle/" in u) == (mode == "bundle") for u in preloads if "/js/" in u)


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


PRELOAD_FETCH = re.compile(r'<link rel="preload" as="fetch"[^>]*>\n?')


def api_gets_before_ready(browser: Browser, url: str, *, strip: bool) -> tuple[list[str], list]:
    """(the API GETs the page sent by the time it was ready, in order, its fetch preloads)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        if strip:

            def without_preloads(route: Route) -> None:
                response = route.fetch()
                route.fulfill(response=response, body=PRELOAD_FETCH.sub("", response.text()))

            page.route(url, without_preloads)
        sent: list[str] = []
        page.on(
            "request",
            lambda r: (
                sent.append(
                    urlsplit(r.url).path
                    + (f"?{urlsplit(r.url).query}" if urlsplit(r.url).query else "")
                )
                if r.method == "GET" and "/api/v1/" in r.url
                else None
            ),
        )
        page.goto(url)
        page.wait_for_function(READY)
        before_ready = list(sent)
        preloads = page.evaluate(
            "() => [...document.querySelectorAll('link[rel=preload][as=fetch]')]"
            ".map((l) => new URL(l.href).pathname)"
        )
        return before_ready, preloads
    finally:
        context.close()


def a_state_link(browser: Browser, base_url: str) -> str:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + "/?preset=xor")
        page.wait_for_function(READY)
        page.fill('[data-control="learning-rate"]', "0.25")  # an edit: not a preset link
        page.press('[data-control="learning-rate"]', "Enter")
        page.wait_for_function("() => window.backpropViz.state().learning_rate === 0.25")
        url = page.evaluate("() => window.backpropViz.link({embed: true})")
        assert "state=" in url and "preset=" not in url, url
        return url
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/embed",
        "/embed?preset=xor",
        "/embed?preset=no-such",
        "/?view=training",
        "state",
        "/exercise/update-2-2-1",
        "/embed?exercise=forward-2-2-1&seed=5",
    ],
)
def test_the_api_answers_the_first_drawing_needs_are_preloaded(
    browser: Browser, base_url: str, path: str
) -> None:
    """The document asks for them with the modules (not a round trip after them), exactly
    those the page without the preload links asks for before it is ready, and the page's own
    fetch takes each from its preload (one request each)."""
    url = a_state_link(browser, base_url) if path == "state" else base_url + path
    asked, stripped = api_gets_before_ready(browser, url, strip=True)
    assert stripped == [] and asked, asked  # the oracle page had none, and fetched some
    sent, preloads = api_gets_before_ready(browser, url, strip=False)
    assert sorted(preloads) == sorted(set(asked))
    assert sorted(sent) == sorted(preloads), "each preloaded answer asked for once, no other"
    if path == "state":
        assert not any("/presets/" in p for p in preloads)  # a state opens no preset
