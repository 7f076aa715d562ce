"""/static: the page's files, compressed once per file and kept, brotli for browsers that take
it and gzip for the others.

On a slow link the first load's time is mostly its bytes (docs/benchmarks.md, "First load on
slow links"): brotli at its highest quality makes the page's modules 13 % smaller than gzip -9.
That quality costs milliseconds per file, which is why each file is compressed once (per
process and file version), off the event loop, and not on every request as GZipMiddleware
would.
"""

from __future__ import annotations

import gzip
import os
import re
from functools import lru_cache

import anyio
import brotli
from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, StaticFiles
from starlette.types import Scope

# Text that compresses; images other than SVG and fonts are compressed already.
COMPRESSIBLE = (".js", ".mjs", ".css", ".svg", ".json", ".html", ".txt", ".map")


def compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=11, mode=brotli.MODE_TEXT)
    return gzip.compress(data, compresslevel=9, mtime=0)


@lru_cache(maxsize=512)
def _compressed(path: str, version: tuple[int, int], encoding: str) -> bytes:
    """The file at `path` as it was at `version` (its mtime and size), compressed."""
    with open(path, "rb") as f:
        return compress(f.read(), encoding)


def accepted_encoding(headers: Headers) -> str | None:
    """br if the request takes it, else gzip if it does, else None (q=0 refuses one)."""
    taken = set()
    for item in headers.get("accept-encoding", "").split(","):
        name, _, params = item.strip().partition(";")
        q = params.strip().removeprefix("q=")
        if params and q.replace(".", "", 1).isdigit() and float(q) == 0:
            continue
        taken.add(name.strip().lower())
    return next((e for e in ("br", "gzip") if e in taken), None)


# The bundle's chunks are named by their content (scripts/bundle/build.mjs: chunk-[hash]): a
# name never means other bytes, so a browser may keep one for good (repeat visits ask for
# none of them again; the entries, named by page, are revalidated by ETag as before).
CONTENT_NAMED = re.compile(r"js/bundle/chunk-[A-Z0-9]+\.js")
FOREVER = "public, max-age=31536000, immutable"


class CompressedStaticFiles(StaticFiles):
    """StaticFiles whose text files go out compressed when the request takes it, with their
    own ETag (an encoding is another representation) and `Vary: Accept-Encoding` on every
    answer a cache could mix up. Files smaller than `minimum_size` go out as they are."""

    def __init__(self, *, directory: str | os.PathLike[str], minimum_size: int = 1024) -> None:
        super().__init__(directory=directory)
        self.minimum_size = minimum_size

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if CONTENT_NAMED.fullmatch(path) and response.status_code in (200, 304):
            response.headers["Cache-Control"] = FOREVER
        if not isinstance(response, FileResponse) or not str(response.path).endswith(COMPRESSIBLE):
            return response
        response.headers["Vary"] = "Accept-Encoding"
        request = Headers(scope=scope)
        stat = response.stat_result
        encoding = accepted_encoding(request)
        if (
            response.status_code != 200
            or encoding is None
            or "range" in request
            or stat is None
            or stat.st_size < self.minimum_size
        ):
            return response
        body = await anyio.to_thread.run_sync(
            _compressed, str(response.path), (stat.st_mtime_ns, stat.st_size), encoding
        )
        headers = {
            k: v
            for k, v in response.headers.items()
            if k not in ("content-length", "accept-ranges")
        }
        headers["etag"] = headers["etag"].removesuffix('"') + f'-{encoding}"'
        headers["content-encoding"] = encoding
        if self.is_not_modified(Headers(headers), request):
            return NotModifiedResponse(Headers(headers))
        compressed = Response(body, headers=headers)
        if scope["method"] == "HEAD":
            compressed.body = b""  # the headers, Content-Length included, as for GET
        return compressed
