"""Wire, the one middleware that does the wire's three jobs on every request: the body cap
(413), gzip for clients that ask for it, and the 500 for a failure inside the app, each in
the API's error shape and only if the app has not started its own answer. One layer rather
than three (issue 16 item 4): one look at the headers, one wrapped send that knows whether
the answer has started, one wrapped receive that counts the body.

The body cap acts before anything reads the body: a Content-Length over the cap is refused
at once, and a body without one (chunked) is counted as it arrives.

gzip is Starlette's GZipMiddleware, at the configured level, and only when the request has
`Accept-Encoding: gzip`: otherwise it is not on the way at all (it wraps every response,
compressed or not, at a cost: docs/benchmarks.md).

A failure inside the app (a bug: no request should cause one) answers a 500 with the CORS
headers. Starlette's ServerErrorMiddleware, which otherwise writes the 500, sits outside
every user middleware: its plain-text answer lacks the CORS headers, so a page on another
origin sees an opaque network error instead of a 500. Wire sits inside the CORS middleware
and answers first; the exception then goes on up, so that ServerErrorMiddleware (finding
the answer sent) and uvicorn still log the traceback.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.errors import error_body, error_item, send_json

CLOSE = (b"connection", b"close")


class BodyTooLargeError(Exception):
    pass


INTERNAL_ERROR = error_body(
    error_item(("server",), "the server failed on this request (logged)", "internal_error")
)


class Wire:
    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, gzip_minimum_bytes: int, gzip_level: int
    ) -> None:
        self.app = app
        self.gzipped = GZipMiddleware(
            app, minimum_size=gzip_minimum_bytes, compresslevel=gzip_level
        )
        self.max_body_bytes = max_body_bytes
        self.too_large = error_body(
            error_item(
                ("body",),
                f"the request body is larger than {max_body_bytes} bytes",
                "too_large",
                {"limit": max_body_bytes},
            )
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        inner = self.app
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.max_body_bytes:
                    await send_json(send, 413, self.too_large, CLOSE)
                    return
            elif name == b"accept-encoding" and b"gzip" in value:
                inner = self.gzipped
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:  # chunked bodies have no content-length
                    raise BodyTooLargeError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await inner(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if not started:
                await send_json(send, 413, self.too_large, CLOSE)
        except Exception:
            if not started:
                await send_json(send, 500, INTERNAL_ERROR, CLOSE)
            raise
