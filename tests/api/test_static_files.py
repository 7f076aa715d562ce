"""/static over a real server: each text file in the encoding the request takes (brotli first,
then gzip), decoding to the very bytes on disk, with its own ETag per encoding; everything
else as StaticFiles gives it. The oracle is the file itself and the decoders of the
`brotli` and `gzip` libraries, not the server's compressor."""

from __future__ import annotations

import gzip

import brotli
import httpx
import pytest

from app.paths import STATIC_DIR

FILES = ["js/app.js", "js/text/i18n/zh-TW.js", "vendor/d3/d3-selection.min.mjs", "css/app.css"]
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress, None: lambda b: b}


def raw(client: httpx.Client, path: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
    """The answer and its body as sent, not decoded."""
    with client.stream("GET", f"/static/{path}", headers=headers) as r:
        return r, b"".join(r.iter_raw())


@pytest.mark.parametrize("path", FILES)
@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("br", "br"),
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends over HTTPS
        ("gzip, deflate", "gzip"),  # and over plain HTTP
        ("br;q=0, gzip", "gzip"),
        ("BR", "br"),
        ("identity", None),
        ("deflate", None),
    ],
)
def test_a_text_file_in_the_encoding_asked_for(
    client: httpx.Client, path: str, accept: str, encoding: str | None
) -> None:
    r, body = raw(client, path, {"Accept-Encoding": accept})
    assert r.status_code == 200
    assert r.headers.get("content-encoding") == encoding
    assert r.headers["vary"] == "Accept-Encoding"
    assert int(r.headers["content-length"]) == len(body)
    on_disk = (STATIC_DIR / path).read_bytes()
    assert DECODE[encoding](body) == on_disk
    if encoding:
        assert len(body) < len(on_disk)


def test_brotli_is_smaller_than_gzip(client: httpx.Client) -> None:
    """What it is for (docs/benchmarks.md): the page's bytes on a slow link."""
    sizes = {
        e: sum(len(raw(client, p, {"Accept-Encoding": e})[1]) for p in FILES)
        for e in ("br", "gzip")
    }
    assert sizes["br"] < 0.95 * sizes["gzip"], sizes


def test_each_encoding_has_its_own_etag(client: httpx.Client) -> None:
    path = "js/app.js"
    tags = {
        e: raw(client, path, {"Accept-Encoding": e})[0].headers["etag"]
        for e in ("br", "gzip", "identity")
    }
    assert len(set(tags.values())) == 3, tags
    for e, tag in tags.items():
        again, body = raw(client, path, {"Accept-Encoding": e, "If-None-Match": tag})
        assert again.status_code == 304 and body == b"", e
    # A cached brotli copy is not a gzip one: a gzip request gets the file again.
    r, body = raw(client, path, {"Accept-Encoding": "gzip", "If-None-Match": tags["br"]})
    assert r.status_code == 200 and gzip.decompress(body) == (STATIC_DIR / path).read_bytes()


def test_head_answers_the_get_headers_without_a_body(client: httpx.Client) -> None:
    get, body = raw(client, "js/app.js", {"Accept-Encoding": "br"})
    head = client.head("/static/js/app.js", headers={"Accept-Encoding": "br"})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(body)
    for name in ("content-encoding", "content-length", "etag", "content-type"):
        assert head.headers[name] == get.headers[name], name


def test_a_range_is_served_from_the_file_as_it_is(client: httpx.Client) -> None:
    r, body = raw(client, "js/app.js", {"Accept-Encoding": "br", "Range": "bytes=0-99"})
    assert r.status_code == 206
    assert "content-encoding" not in r.headers
    assert body == (STATIC_DIR / "js/app.js").read_bytes()[:100]


@pytest.mark.parametrize("path", ["favicon.svg", "examples/host.css"])
def test_a_file_smaller_than_the_minimum_goes_out_as_it_is(client: httpx.Client, path: str) -> None:
    assert (STATIC_DIR / path).stat().st_size < 1024  # BACKPROP_VIZ_GZIP_MINIMUM_BYTES
    r, body = raw(client, path, {"Accept-Encoding": "br, gzip"})
    assert r.status_code == 200 and "content-encoding" not in r.headers
    assert body == (STATIC_DIR / path).read_bytes()


def test_a_file_that_does_not_compress_goes_out_as_it_is(client: httpx.Client) -> None:
    path = next(p for p in sorted(STATIC_DIR.rglob("*")) if p.suffix in (".woff2", ".png", ".ico"))
    r, body = raw(client, path.relative_to(STATIC_DIR).as_posix(), {"Accept-Encoding": "br, gzip"})
    assert r.status_code == 200 and "content-encoding" not in r.headers
    assert body == path.read_bytes()


def test_a_missing_file_is_a_404(client: httpx.Client) -> None:
    r = client.get("/static/js/no-such-module.js", headers={"Accept-Encoding": "br"})
    assert r.status_code == 404


def test_the_bundles_content_named_chunks_are_kept_for_good(client: httpx.Client) -> None:
    chunks = sorted((STATIC_DIR / "js" / "bundle").glob("chunk-*.js"))
    assert chunks
    for accept in ("br", "identity"):
        r, body = raw(client, f"js/bundle/{chunks[0].name}", {"Accept-Encoding": accept})
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert DECODE[r.headers.get("content-encoding")](body) == chunks[0].read_bytes()
        again = client.get(
            f"/static/js/bundle/{chunks[0].name}",
            headers={"Accept-Encoding": accept, "If-None-Match": r.headers["etag"]},
        )
        assert again.status_code == 304
    # An entry is named by its page, not its bytes: revalidated, not kept.
    for path in ("js/bundle/embed-main.js", "js/bundle/manifest.json", "js/app.js"):
        r = client.get(f"/static/{path}")
        assert r.status_code == 200 and "cache-control" not in r.headers
