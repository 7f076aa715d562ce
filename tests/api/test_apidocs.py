"""The API's documentation, offline: Swagger UI at /docs and ReDoc at /redoc render every
operation of /openapi.json in a real Chromium, from files this server serves, under the
pages' CSP; and every page answers HEAD."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser

from tests.server import ROOT, chromium

VENDOR = ROOT / "static" / "vendor"
# The element each viewer draws once per operation, and the attribute naming its path.
VIEWERS = {
    "/docs": ".opblock .opblock-summary-path",
    "/redoc": "[data-section-id^='operation/'] h2",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def openapi(client: httpx.Client) -> dict:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def _operations(openapi: dict) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, item in openapi["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.mark.parametrize("page_path", ["/docs", "/redoc"])
def test_viewer_renders_every_operation_offline(
    browser: Browser, base_url: str, openapi: dict, page_path: str
):
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    failed: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type in ("error", "warning") and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        page.goto(base_url + page_path)
        operations = _operations(openapi)
        selector = VIEWERS[page_path]
        page.wait_for_function(
            "([sel, n]) => document.querySelectorAll(sel).length >= n",
            arg=[selector, len(operations)],
            timeout=20_000,
        )
        text = page.inner_text("body")
        for _, path in operations:
            assert path in text, f"{page_path} does not show {path}"
        for _, path in operations:
            summary = openapi["paths"][path]
            for op in summary.values():
                if isinstance(op, dict) and op.get("summary"):
                    assert op["summary"] in text, f"{page_path} lacks {op['summary']!r}"
        # Everything came from this server: nothing from a CDN, no telemetry, no validator.
        here = urlsplit(base_url).netloc
        elsewhere = [
            u for u in requested if urlsplit(u).scheme != "data" and urlsplit(u).netloc != here
        ]
        assert elsewhere == []
        assert base_url + "/openapi.json" in requested
        assert failed == []
        assert problems == []
    finally:
        context.close()


@pytest.mark.parametrize(
    ("method", "path"), [("get", "/api/v1/capabilities"), ("post", "/api/v1/trace")]
)
def test_swagger_ui_tries_an_operation_against_this_server(
    browser: Browser, base_url: str, openapi: dict, method: str, path: str
):
    """ "Try it out": Swagger UI's own request reaches the API (the CSP's connect-src 'self'
    lets it) and shows the answer; a POST starts from the document's example body, which
    the server accepts."""
    body = None
    if method == "post":
        ref = openapi["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        body = openapi["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[1]]
        body = body["examples"][0]
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base_url + "/docs")
        op = page.locator(f".opblock-{method}", has=page.locator(f"[data-path='{path}']"))
        op.locator(".opblock-summary").click()
        op.locator("button.try-out__btn").click()
        with page.expect_response(base_url + path) as answer:
            op.locator("button.execute").click()
        assert answer.value.status == 200
        shown = op.locator(".live-responses-table tbody .response-col_status").first
        assert shown.inner_text().strip() == "200"
        text = op.locator(".live-responses-table tbody .highlight-code pre").first.inner_text()
        expected = httpx.request(method, base_url + path, json=body)
        assert expected.status_code == 200
        assert json.loads(text) == expected.json()
    finally:
        context.close()


@pytest.mark.parametrize("page_path", ["/docs", "/redoc"])
def test_docs_pages_carry_the_pages_csp(client: httpx.Client, page_path: str):
    r = client.get(page_path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    assert "connect-src 'self';" in csp
    # The viewers start from script files: no inline script for the CSP to refuse.
    assert "<script>" not in r.text
    assert r.text.count("<script src=") == 2


def test_fastapis_cdn_pages_are_gone(client: httpx.Client):
    for path in ("/docs", "/redoc"):
        assert "cdn.jsdelivr.net" not in client.get(path).text
    assert client.get("/docs/oauth2-redirect").status_code == 404


@pytest.mark.parametrize(
    ("name", "package", "files"),
    [
        ("swagger-ui", "swagger-ui-dist", ["swagger-ui-bundle.js", "swagger-ui.css", "NOTICE"]),
        ("redoc", "redoc", ["redoc.standalone.js"]),
    ],
)
def test_vendored_viewer_is_the_pinned_version_with_its_licence(
    name: str, package: str, files: list[str]
):
    pinned = json.loads((ROOT / "package.json").read_text())["devDependencies"][package]
    folder = VENDOR / name
    first = (folder / "VERSION").read_text().splitlines()[0]
    assert first.split()[:2] == [package, pinned]
    assert "Copyright" in (folder / "LICENSE").read_text()
    for f in files:
        assert (folder / f).stat().st_size > 0
    bundle = (folder / files[0]).read_text()
    assert f'"{pinned}"' in bundle  # the bundle's own version string
    # Third-party notices of what the bundle contains, as the package ships them.
    assert (folder / f"{files[0]}.LICENSE.txt").stat().st_size > 0
    assert "cdn." not in bundle  # no asset from a CDN (the Redocly logo was one)


# Every page, file and GET route.
PAGES = [
    "/",
    "/embed",
    "/tour",
    "/embed?view=tour",
    "/docs",
    "/redoc",
    "/favicon.ico",
    "/openapi.json",
    "/static/favicon.svg",
    "/static/vendor/swagger-ui/swagger-ui.css",
    "/healthz",
    "/oembed?url={base}/embed%3Fpreset%3Dxor",
    "/api/v1/capabilities",
    "/api/v1/presets",
    "/api/v1/presets/xor",
]


@pytest.mark.parametrize("path", PAGES)
def test_head_on_pages_is_get_without_the_body(client: httpx.Client, path: str):
    path = path.format(base=quote(str(client.base_url).rstrip("/"), safe=""))
    get = client.get(path, headers={"accept-encoding": "identity"})
    head = client.head(path, headers={"accept-encoding": "identity"})
    assert get.status_code == 200
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.content)
