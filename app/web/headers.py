"""Response headers for embedding: CSP on the pages, CORS on the API, static files and
oEmbed, and the CORS preflight. Pure ASGI and precomputed: on the API's hot path this costs
a path check and one list concatenation (the API is benchmarked)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.errors import error_body, error_item, send_json

PAGES = frozenset({"/", "/embed", "/docs", "/redoc"})
CORS_PREFIXES = ("/api/", "/static/")
CORS_PATHS = frozenset({"/oembed"})

# style-src needs 'unsafe-inline': KaTeX writes style attributes.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
ALLOW_METHODS = b"GET, POST, OPTIONS"
DEFAULT_ALLOW_HEADERS = b"content-type, accept"
MAX_AGE = b"600"


def _checked(value: str, setting: str) -> str:
    # A ';' or ',' would start another directive or header value: refuse at startup.
    if any(c in value for c in ";,") or not value.isprintable() or not value.isascii():
        raise ValueError(f"{setting}: {value!r} is not a list of sources")
    return value


def page_headers(frame_ancestors: str) -> list[tuple[bytes, bytes]]:
    sources = _checked(" ".join(frame_ancestors.split()) or "'none'", "frame_ancestors")
    # "*" is left out rather than written: `frame-ancestors *` matches only network schemes,
    # so it would refuse a course page opened from a file, an about:blank or srcdoc host.
    csp = CSP if sources == "*" else f"{CSP}; frame-ancestors {sources}"
    return [
        (b"content-security-policy", csp.encode()),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"x-content-type-options", b"nosniff"),
    ]


def parse_origins(cors_origins: str) -> frozenset[bytes] | None:
    """None for "*" (any origin), else the allowed origins as sent in an Origin header."""
    items = [o.strip().rstrip("/").lower() for o in cors_origins.split(",") if o.strip()]
    if "*" in items:
        return None
    return frozenset(_checked(o, "cors_origins").encode() for o in items)


class EmbeddingHeaders:
    """Adds the page or CORS headers by path and answers CORS preflights itself. Outermost,
    so that the 413 of the body cap (app/http/guards.py) and every error answer get them too."""

    def __init__(self, app: ASGIApp, *, frame_ancestors: str, cors_origins: str) -> None:
        self.app = app
        self.page = page_headers(frame_ancestors)
        self.allowed = parse_origins(cors_origins)
        self.any_origin = [(b"access-control-allow-origin", b"*")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        # uvicorn's path includes --root-path.
        if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
            path = path[len(root) :] or "/"
        if path.startswith(CORS_PREFIXES) or path in CORS_PATHS:
            await self._cors(scope, receive, send)
        elif path in PAGES:
            await self.app(scope, receive, _adding(send, self.page))
        else:
            await self.app(scope, receive, send)

    async def _cors(self, scope: Scope, receive: Receive, send: Send) -> None:
        preflight = scope["method"] == "OPTIONS"
        if self.allowed is None and not preflight:
            await self.app(scope, receive, _adding(send, self.any_origin))
            return
        origin = requested_method = requested_headers = None
        for name, value in scope["headers"]:
            if name == b"origin":
                origin = value
            elif name == b"access-control-request-method":
                requested_method = value
            elif name == b"access-control-request-headers":
                requested_headers = value
        if self.allowed is None:
            cors = self.any_origin
        elif origin is not None and origin.lower() in self.allowed:
            cors = [(b"access-control-allow-origin", origin)]
        else:
            cors = None
        if preflight and requested_method is not None:
            await self._preflight(send, cors, requested_headers)
        elif self.allowed is None:
            await self.app(scope, receive, _adding(send, cors or []))
        else:
            # Vary on every answer here, so that no cache hands one origin's answer to another.
            await self.app(scope, receive, _adding_vary(send, cors or []))

    async def _preflight(
        self, send: Send, cors: list[tuple[bytes, bytes]] | None, requested: bytes | None
    ) -> None:
        vary = [] if self.allowed is None else [(b"vary", b"Origin")]
        if cors is None:
            body = error_body(
                error_item(
                    ("header", "origin"),
                    "this origin may not call the API cross-origin (see BACKPROP_VIZ_CORS_ORIGINS)",
                    "cors_origin",
                )
            )
            await send_json(send, 403, body, *vary)
            return
        headers = [
            *cors,
            (b"access-control-allow-methods", ALLOW_METHODS),
            (b"access-control-allow-headers", requested or DEFAULT_ALLOW_HEADERS),
            (b"access-control-max-age", MAX_AGE),
            *vary,
        ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _adding(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", ()), *extra]
        await send(message)

    return wrapped


def _adding_vary(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    """Like _adding, plus Origin merged into any Vary already there (gzip adds one)."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = []
            varied = False
            for name, value in message.get("headers", ()):
                if name.lower() == b"vary":
                    value = value + b", Origin"
                    varied = True
                headers.append((name, value))
            if not varied:
                headers.append((b"vary", b"Origin"))
            message["headers"] = headers + extra
        await send(message)

    return wrapped
