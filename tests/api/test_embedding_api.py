"""Embedding, over the real server: oEmbed (/oembed and its discovery link), the pages' CSP,
CORS on the API, static files and errors (a sandboxed iframe's Origin is "null"), the
preflight, HEAD, and no cookies anywhere."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.api.helpers import STREAM, TRACE, preset, read_ndjson, strict_loads
from tests.server import running_server

PAGES = ["/", "/embed"]

CSP_WITHOUT_ANCESTORS = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; "
)
OEMBED_KEYS = {
    "version",
    "type",
    "provider_name",
    "provider_url",
    "title",
    "width",
    "height",
    "html",
    "cache_age",
}
# What WordPress's wp_filter_oembed_result lets through (wp_kses), and then keeps.
WP_IFRAME_ATTRS = {
    "src",
    "width",
    "height",
    "frameborder",
    "marginwidth",
    "marginheight",
    "scrolling",
    "title",
}
WP_KEEPS = re.compile(r"(<blockquote>.*?</blockquote>)?.*(<iframe.*?></iframe>)", re.S)

FRAME_ANCESTORS = "https://canvas.example"
ALLOWED_ORIGIN = "https://course.example"
NULL_ORIGIN = {"origin": "null"}  # a sandboxed iframe without allow-same-origin


class Tags(HTMLParser):
    """Start and end tags in order, attributes unescaped, with whether each is in <head>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None], bool]] = []
        self.in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_head = self.in_head or tag == "head"
        self.tags.append((tag, dict(attrs), self.in_head))

    def handle_endtag(self, tag: str) -> None:
        self.in_head = self.in_head and tag != "head"
        self.tags.append((f"/{tag}", {}, self.in_head))


def tags_of(text: str) -> list[tuple[str, dict[str, str | None], bool]]:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser.tags


def oembed(client: httpx.Client, url: str, **params: str | int) -> httpx.Response:
    return client.get("/oembed", params={"url": url, **params})


def oembed_ok(client: httpx.Client, url: str, **params: str | int) -> dict[str, Any]:
    r = oembed(client, url, **params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    return strict_loads(r.text)


def assert_query_error(r: httpx.Response, status: int, name: str) -> None:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    (item,) = strict_loads(r.text)["detail"]
    assert item["loc"] == ["query", name], item
    assert item["field"] == name, item
    assert isinstance(item["msg"], str) and item["msg"].strip(), item
    assert isinstance(item["type"], str) and item["type"], item


def expected_html(page_url: str, embed_url: str, title: str, w: int, h: int) -> str:
    e = html.escape
    return (
        f'<blockquote><a href="{e(page_url)}">{e(title)}</a></blockquote>'
        f'<iframe src="{e(embed_url)}" width="{w}" height="{h}" title="{e(title)}" '
        'frameborder="0" marginwidth="0" marginheight="0" scrolling="no"></iframe>'
    )


def preset_titles(client: httpx.Client) -> dict[str, str]:
    r = client.get("/api/v1/presets")
    assert r.status_code == 200
    return {p["name"]: p["title"] for p in r.json()}


# --- oEmbed --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["/", "/embed"])
def test_oembed_answer(client: httpx.Client, base_url: str, page: str) -> None:
    title = f"backprop-viz: {preset_titles(client)['xor']}"
    body = oembed_ok(client, f"{base_url}{page}?preset=xor&hide=editor")
    assert set(body) == OEMBED_KEYS
    assert body["version"] == "1.0"
    assert body["type"] == "rich"
    assert body["provider_name"] == "backprop-viz"
    assert body["provider_url"] == f"{base_url}/"
    assert body["title"] == title
    assert (body["width"], body["height"]) == (720, 520)
    assert body["cache_age"] == 3600
    assert body["html"] == expected_html(
        f"{base_url}{page}?preset=xor&hide=editor",
        f"{base_url}/embed?preset=xor&hide=editor",
        title,
        720,
        520,
    )


@pytest.mark.parametrize(
    ("query", "title"),
    [("", "a network"), ("?state=abc", "a network"), ("?preset=no-such", "a network")],
)
def test_oembed_title_without_a_known_preset(
    client: httpx.Client, base_url: str, query: str, title: str
) -> None:
    body = oembed_ok(client, f"{base_url}/{query}")
    assert body["title"] == f"backprop-viz: {title}"
    assert f'<iframe src="{html.escape(base_url)}/embed{html.escape(query)}" ' in body["html"]


@pytest.mark.parametrize("lang", ["zh-TW", "zh-Hant", "zh"])
def test_oembed_names_a_preset_in_the_links_language(
    client: httpx.Client, base_url: str, lang: str
) -> None:
    """A zh-TW link's card and frame are titled in Chinese: the preset's own translation, as
    GET /presets gives it to the page; and "a network" too."""
    presets = {p["name"]: p for p in client.get("/api/v1/presets").json()}
    for name, summary in presets.items():
        body = oembed_ok(client, f"{base_url}/embed?preset={name}&lang={lang}")
        zh = summary["translations"]["zh-TW"]["title"]
        assert body["title"] == f"backprop-viz: {zh}" and zh != summary["title"]
        assert f'title="{html.escape(body["title"])}"' in body["html"]
    assert oembed_ok(client, f"{base_url}/embed?lang={lang}")["title"] == "backprop-viz: 一個網路"
    english = oembed_ok(client, f"{base_url}/embed?preset=xor&lang=en")
    assert english["title"] == "backprop-viz: XOR, one sample"


def test_every_preset_is_worded_in_both_languages(client: httpx.Client) -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for p in client.get("/api/v1/presets").json():
        assert set(p["translations"]) == {"zh-TW"}, p["name"]
        zh = p["translations"]["zh-TW"]
        assert set(zh) == {"title", "description"}
        assert cjk.search(zh["title"]) and cjk.search(zh["description"]), p["name"]
        assert zh["description"] != p["description"]


def test_oembed_relative_url(client: httpx.Client, base_url: str) -> None:
    body = oembed_ok(client, "/embed?preset=lecture-2-input")
    title = f"backprop-viz: {preset_titles(client)['lecture-2-input']}"
    assert "'" in title  # so that the title's escaping is tested too
    assert body["html"] == expected_html(
        f"{base_url}/embed?preset=lecture-2-input",
        f"{base_url}/embed?preset=lecture-2-input",
        title,
        720,
        520,
    )
    assert "&#x27;" in body["html"]


@pytest.mark.parametrize(
    ("params", "size"),
    [
        ({}, (720, 520)),
        ({"maxwidth": 600, "maxheight": 400}, (600, 400)),
        ({"maxwidth": 5000, "maxheight": 5000}, (720, 520)),
        ({"maxwidth": 640}, (640, 520)),
        ({"maxheight": 300}, (720, 300)),
        ({"maxwidth": 200, "maxheight": 100}, (200, 100)),  # below 320×240: never larger
    ],
)
def test_oembed_size_within_the_maximum(
    client: httpx.Client, base_url: str, params: dict[str, int], size: tuple[int, int]
) -> None:
    body = oembed_ok(client, f"{base_url}/", **params)
    assert (body["width"], body["height"]) == size
    assert f'width="{size[0]}" height="{size[1]}"' in body["html"]


def test_oembed_html_is_what_wordpress_keeps(client: httpx.Client, base_url: str) -> None:
    body = oembed_ok(client, f"{base_url}/?preset=xor")
    match = WP_KEEPS.search(body["html"])
    assert match and match.group(1) and match.group(1) + match.group(2) == body["html"]
    tags = [(tag, attrs) for tag, attrs, _ in tags_of(body["html"])]
    assert [t for t, _ in tags] == ["blockquote", "a", "/a", "/blockquote", "iframe", "/iframe"]
    assert tags[0][1] == {}
    assert set(tags[1][1]) == {"href"}
    assert set(tags[4][1]) == WP_IFRAME_ATTRS


def test_oembed_escapes_a_hostile_query(client: httpx.Client, base_url: str) -> None:
    query = "preset=xor&note=\"><script>alert(1)</script>'&x=<b onload=alert(2)>"
    body = oembed_ok(client, f"{base_url}/?{query}")
    assert "<script" not in body["html"] and "<b " not in body["html"]
    assert body["html"] == expected_html(
        f"{base_url}/?{query}", f"{base_url}/embed?{query}", body["title"], 720, 520
    )
    # Parsed back, the structure is intact and the URLs are the ones asked for.
    tags = tags_of(body["html"])
    assert [t for t, _, _ in tags] == [
        "blockquote",
        "a",
        "/a",
        "/blockquote",
        "iframe",
        "/iframe",
    ]
    assert tags[1][1]["href"] == f"{base_url}/?{query}"
    assert tags[4][1]["src"] == f"{base_url}/embed?{query}"


@pytest.mark.parametrize("page", PAGES)
def test_discovery_link_round_trip(client: httpx.Client, base_url: str, page: str) -> None:
    query = "?preset=lecture-2-input&hide=editor%2Cpanel&theme=dark"
    r = client.get(f"{page}{query}")
    assert r.status_code == 200
    links = [
        attrs
        for tag, attrs, in_head in tags_of(r.text)
        if tag == "link" and attrs.get("rel") == "alternate" and in_head
    ]
    assert len(links) == 1, links
    assert links[0]["type"] == "application/json+oembed"
    href = links[0]["href"]
    assert href and href.startswith(f"{base_url}/oembed?")
    assert parse_qs(urlsplit(href).query) == {
        "url": [f"{base_url}{page}{query}"],
        "format": ["json"],
    }
    answer = client.get(href)
    assert answer.status_code == 200, answer.text
    iframe = next(attrs for tag, attrs, _ in tags_of(answer.json()["html"]) if tag == "iframe")
    assert iframe["src"] == f"{base_url}/embed{query}"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "https://example.com/embed?preset=xor",
        "//example.com/embed",
        "javascript:alert(1)",
        "/api/v1/presets",
        "/embed/extra",
        "/oembed",
        "{base}/docs",
        "https://{host}/",  # our host, another scheme
        "http://{host}0/",  # another port
        "http://user@{host}/",
    ],
)
def test_oembed_refuses_urls_that_are_not_our_pages(
    client: httpx.Client, base_url: str, url: str
) -> None:
    url = url.format(base=base_url, host=urlsplit(base_url).netloc)
    assert_query_error(oembed(client, url), 404, "url")


def test_oembed_errors(client: httpx.Client, base_url: str) -> None:
    assert_query_error(client.get("/oembed"), 422, "url")
    assert_query_error(client.get("/oembed", params={"format": "json"}), 422, "url")
    assert_query_error(oembed(client, f"{base_url}/", format="xml"), 501, "format")
    for name in ("maxwidth", "maxheight"):
        for bad in ("abc", "0", "-5", "1.5"):
            assert_query_error(oembed(client, f"{base_url}/", **{name: bad}), 422, name)


def test_oembed_is_served_cross_origin(client: httpx.Client, base_url: str) -> None:
    r = client.get("/oembed", params={"url": f"{base_url}/"}, headers=NULL_ORIGIN)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"


# --- page headers --------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_page_headers(client: httpx.Client, page: str, method: str) -> None:
    r = client.request(method, page)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    # The default "*" writes no frame-ancestors at all: `frame-ancestors *` would refuse
    # hosts on file:, about:blank and srcdoc pages.
    assert r.headers["content-security-policy"] == CSP_WITHOUT_ANCESTORS.removesuffix("; ")
    assert "frame-ancestors" not in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "x-frame-options" not in r.headers  # frame-ancestors governs framing
    assert "access-control-allow-origin" not in r.headers
    if method == "HEAD":
        assert r.content == b""
    else:
        assert "data-version=" in r.text


def test_embed_page_is_the_embed_view(client: httpx.Client) -> None:
    r = client.get("/embed?preset=xor")
    assert r.status_code == 200
    assert 'data-view="embed"' in r.text
    assert 'rel="alternate" type="application/json+oembed"' in r.text


def test_pages_carry_version_and_host_origins(client: httpx.Client) -> None:
    capabilities = client.get("/openapi.json").json()
    body = next(attrs for tag, attrs, _ in tags_of(client.get("/").text) if tag == "body")
    assert body["data-version"] == capabilities["info"]["version"]
    assert body["data-host-origins"] == ""


# --- CORS ----------------------------------------------------------------------------------


@pytest.mark.parametrize("origin", ["null", "https://anywhere.example"])
def test_api_answers_any_origin(client: httpx.Client, origin: str) -> None:
    body = preset(client, "xor")
    for r in (
        client.get("/api/v1/capabilities", headers={"origin": origin}),
        client.post(TRACE, json=body, headers={"origin": origin}),
        client.get("/api/v1/presets/no-such", headers={"origin": origin}),  # 404
        client.post(TRACE, json={"network": 1}, headers={"origin": origin}),  # 422
    ):
        assert r.headers["access-control-allow-origin"] == "*", (r.request.url, r.headers)
        assert "access-control-allow-credentials" not in r.headers
    assert r.status_code == 422


def test_cors_on_the_413(client: httpx.Client, limits: dict[str, Any]) -> None:
    r = client.post(TRACE, content=b" " * (limits["max_body_bytes"] + 1), headers=NULL_ORIGIN)
    assert r.status_code == 413
    assert r.headers["access-control-allow-origin"] == "*"


def test_cors_on_the_stream(client: httpx.Client) -> None:
    body = preset(client, "xor")
    with client.stream("POST", STREAM, json=body, headers=NULL_ORIGIN) as r:
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "*"
        assert read_ndjson(r)


@pytest.mark.parametrize(
    "path",
    [
        "/static/js/main.js",
        "/static/vendor/d3/d3-color.min.mjs",
        "/static/vendor/katex/fonts/KaTeX_Size2-Regular.woff2",
    ],
)
def test_static_files_load_cross_origin(client: httpx.Client, path: str) -> None:
    """Module scripts and fonts are CORS fetches: from a sandboxed embed they need this."""
    r = client.get(path, headers=NULL_ORIGIN)
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", [TRACE, STREAM, "/api/v1/presets/xor", "/api/v1/nowhere"])
@pytest.mark.parametrize("origin", ["null", "https://anywhere.example"])
def test_preflight_from_any_origin(client: httpx.Client, path: str, origin: str) -> None:
    r = client.options(
        path,
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type,accept",
        },
    )
    assert r.status_code == 204, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    methods = {m.strip() for m in r.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST", "OPTIONS"} <= methods
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert {"content-type", "accept"} <= allowed
    assert r.headers["access-control-max-age"] == "600"
    assert "access-control-allow-credentials" not in r.headers


def test_preflight_without_requested_headers(client: httpx.Client) -> None:
    r = client.options(TRACE, headers={**NULL_ORIGIN, "access-control-request-method": "POST"})
    assert r.status_code == 204
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    assert {"content-type", "accept"} <= allowed


# --- the settings --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def configured() -> Iterator[httpx.Client]:
    env = {
        "BACKPROP_VIZ_FRAME_ANCESTORS": FRAME_ANCESTORS,
        "BACKPROP_VIZ_CORS_ORIGINS": f"{ALLOWED_ORIGIN}, https://other.example",
        "BACKPROP_VIZ_EMBED_HOST_ORIGINS": ALLOWED_ORIGIN,
    }
    with running_server(env=env) as url, httpx.Client(base_url=url, timeout=20.0) as c:
        yield c


def test_frame_ancestors_setting(configured: httpx.Client) -> None:
    r = configured.get("/")
    csp = r.headers["content-security-policy"]
    assert csp == f"{CSP_WITHOUT_ANCESTORS}frame-ancestors {FRAME_ANCESTORS}"
    body = next(attrs for tag, attrs, _ in tags_of(r.text) if tag == "body")
    assert body["data-host-origins"] == ALLOWED_ORIGIN


def test_cors_origins_setting_echoes_an_allowed_origin(configured: httpx.Client) -> None:
    r = configured.get("/api/v1/capabilities", headers={"origin": ALLOWED_ORIGIN})
    assert r.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "origin" in r.headers["vary"].lower()
    r = configured.options(
        TRACE,
        headers={"origin": ALLOWED_ORIGIN, "access-control-request-method": "POST"},
    )
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "origin" in r.headers["vary"].lower()


@pytest.mark.parametrize("origin", ["null", "https://evil.example", None])
def test_cors_origins_setting_refuses_the_rest(
    configured: httpx.Client, origin: str | None
) -> None:
    headers = {"origin": origin} if origin else {}
    r = configured.get("/api/v1/capabilities", headers=headers)
    assert r.status_code == 200
    assert "access-control-allow-origin" not in r.headers
    assert "origin" in r.headers["vary"].lower()  # caches must not mix the answers
    r = configured.options(TRACE, headers={**headers, "access-control-request-method": "POST"})
    assert r.status_code == 403
    assert "access-control-allow-origin" not in r.headers
    (item,) = strict_loads(r.text)["detail"]
    assert set(item) == {"loc", "field", "msg", "type", "ctx"}
    assert item["loc"] == ["header", "origin"]


# --- everywhere ----------------------------------------------------------------------------


def test_no_cookies_anywhere(client: httpx.Client, base_url: str, limits: dict[str, Any]) -> None:
    body = preset(client, "xor")
    preflight = {**NULL_ORIGIN, "access-control-request-method": "POST"}
    responses = [
        client.get("/"),
        client.head("/"),
        client.get("/favicon.ico"),
        client.get("/healthz"),
        client.get("/docs"),
        client.get("/static/js/main.js"),
        client.get("/api/v1/presets"),
        client.post(TRACE, json=body),
        client.post(STREAM, json=body),
        client.post(TRACE, json={}),
        client.post(TRACE, content=b" " * (limits["max_body_bytes"] + 1)),
        client.options(TRACE, headers=preflight),
        client.get("/oembed?" + urlencode({"url": f"{base_url}/"})),
        client.get("/oembed"),
        client.get("/no/such/page"),
    ]
    responses.append(client.get("/embed"))
    statuses = {r.status_code for r in responses}
    assert {200, 204, 404, 413, 422} <= statuses
    for r in responses:
        assert "set-cookie" not in r.headers, (r.request.url, r.headers)


def test_head_is_not_405(client: httpx.Client) -> None:
    r = client.head("/")
    assert r.status_code == 200
    assert int(r.headers["content-length"]) > 0
    assert r.content == b""


@pytest.mark.parametrize(
    ("query", "accept", "want"),
    [
        ("", "", "en"),
        ("?lang=zh-TW", "", "zh-Hant-TW"),
        ("?lang=zh-hant", "en-US", "zh-Hant-TW"),
        ("?lang=en", "zh-TW,zh;q=0.9", "en"),
        ("", "zh-TW,zh;q=0.9,en;q=0.8", "zh-Hant-TW"),
        ("", "fr-FR,fr;q=0.9", "en"),
    ],
)
@pytest.mark.parametrize("page", ["/", "/embed"])
def test_the_pages_lang_before_any_script(
    client: httpx.Client, page: str, query: str, accept: str, want: str
) -> None:
    """<html lang> as served: lang=, then Accept-Language (language.js decides the same)."""
    headers = {"accept-language": accept} if accept else {}
    r = client.get(page + query, headers=headers)
    assert r.status_code == 200
    assert re.search(r'<html lang="([^"]+)">', r.text).group(1) == want


# --- oEmbed of an exercise -------------------------------------------------------------------


def exercise_titles(client: httpx.Client) -> dict[str, dict[str, str]]:
    r = client.get("/api/v1/exercises")
    assert r.status_code == 200
    return {e["id"]: e["title"] for e in r.json()}


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_oembed_of_an_exercise_frames_its_embed_form(
    client: httpx.Client, base_url: str, lang: str
) -> None:
    titles = exercise_titles(client)
    exercise = "whole-step-2-2-2"
    query = f"seed=3&lang={lang}"
    body = oembed_ok(client, f"{base_url}/exercise/{exercise}?{query}")
    title = f"backprop-viz: {titles[exercise][lang]}"
    assert body["title"] == title
    assert body["html"] == expected_html(
        f"{base_url}/exercise/{exercise}?{query}",
        f"{base_url}/embed?exercise={exercise}&{query}",
        title,
        720,
        520,
    )
    # What the iframe opens is the exercise, with the link's numbers.
    iframe = next(attrs for tag, attrs, _ in tags_of(body["html"]) if tag == "iframe")
    page = client.get(iframe["src"])
    assert page.status_code == 200 and "exercise-main.js" in page.text
    # Without a seed the frame draws one, as the page does.
    bare = oembed_ok(client, f"/exercise/{exercise}")
    assert f'src="{base_url}/embed?exercise={exercise}"' in bare["html"]


def test_oembed_of_an_embedded_exercise_is_titled_by_it(
    client: httpx.Client, base_url: str
) -> None:
    titles = exercise_titles(client)
    exercise = next(iter(titles))
    body = oembed_ok(client, f"{base_url}/embed?exercise={exercise}&seed=1")
    assert body["title"] == f"backprop-viz: {titles[exercise]['en']}"
    assert f'src="{base_url}/embed?exercise={exercise}&amp;seed=1"' in body["html"]


@pytest.mark.parametrize("path", ["/exercise/no-such", "/exercise", "/exercise/", "/exercise/a/b"])
def test_oembed_refuses_what_is_not_an_exercise_page(
    client: httpx.Client, base_url: str, path: str
) -> None:
    assert_query_error(oembed(client, base_url + path), 404, "url")


@pytest.mark.parametrize("embedded", [False, True])
def test_an_exercise_page_names_its_oembed(
    client: httpx.Client, base_url: str, embedded: bool
) -> None:
    exercise = "forward-2-2-1"
    page = f"/embed?exercise={exercise}&seed=5" if embedded else f"/exercise/{exercise}?seed=5"
    r = client.get(page)
    links = [
        attrs
        for tag, attrs, in_head in tags_of(r.text)
        if tag == "link" and attrs.get("rel") == "alternate" and in_head
    ]
    assert len(links) == 1 and links[0]["type"] == "application/json+oembed"
    answer = client.get(links[0]["href"])
    assert answer.status_code == 200, answer.text
    iframe = next(attrs for tag, attrs, _ in tags_of(answer.json()["html"]) if tag == "iframe")
    assert iframe["src"] == f"{base_url}/embed?exercise={exercise}&seed=5"


# --- oEmbed of the tour ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "frame", "title"),
    [
        ("/tour", "/embed?view=tour", "The lecture as a tour"),
        ("/tour#backward", "/embed?view=tour#backward", "The lecture as a tour"),
        ("/tour?lang=zh-TW#chain-rule", "/embed?view=tour&lang=zh-TW#chain-rule", "課程導覽"),
        ("/embed?view=tour#forward", "/embed?view=tour#forward", "The lecture as a tour"),
    ],
)
def test_oembed_of_the_tour_frames_it_at_the_links_chapter(
    client: httpx.Client, base_url: str, url: str, frame: str, title: str
) -> None:
    body = oembed_ok(client, base_url + url)
    assert body["title"] == f"backprop-viz: {title}"
    iframe = next(attrs for tag, attrs, _ in tags_of(body["html"]) if tag == "iframe")
    assert iframe["src"] == base_url + frame
    link = next(attrs for tag, attrs, _ in tags_of(body["html"]) if tag == "a")
    assert link["href"] == base_url + url
    page = client.get(frame.split("#")[0])
    assert page.status_code == 200 and "tour-main.js" in page.text


def test_the_tour_page_names_its_oembed(client: httpx.Client, base_url: str) -> None:
    r = client.get("/tour?lang=zh-TW")
    links = [
        attrs
        for tag, attrs, in_head in tags_of(r.text)
        if tag == "link" and attrs.get("rel") == "alternate" and in_head
    ]
    assert len(links) == 1
    answer = client.get(links[0]["href"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["title"] == "backprop-viz: 課程導覽"
