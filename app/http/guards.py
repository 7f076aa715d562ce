"""The middlewares that answer in the API's error shape when the app cannot: a request body
over the cap (413) and a failure inside the app (500). Both answer only if the app has not
started its own response, and both are pure ASGI (no overhead beyond counting bytes).

The body cap acts before anything reads the body.

A failure inside the app (a bug: no request should cause one) answers a 500 with the CORS
headers. Starlette's ServerErrorMiddleware, which otherwise writes the 500, sits outside
every user middleware: its plain-text answer lacks the CORS headers, so a page on another
origin sees an opaque network error instead of a 500. InternalErrors sits inside the CORS
middleware and answers first; the exception then goes on up, so that ServerErrorMiddleware
(finding the answer sent) and uvicorn still log the traceback.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.errors import error_body, error_item, send_json

CLOSE = (b"connection", b"close")


def _tracking(send: Send) -> tuple[Send, Callable[[], bool]]:
    """`send`, and a way to ask whether the response has started (after which no other
    answer can be sent)."""
    started = False

    async def tracking_send(message: Message) -> None:
        nonlocal started
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    return tracking_send, lambda: started


class BodyTooLargeError(Exception):
    pass


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body = error_body(
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
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.max_body_bytes:
                    await send_json(send, 413, self.body, CLOSE)
                    return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:  # chunked bodies have no content-length
                    raise BodyTooLargeError
            return message

        tracking_send, started = _tracking(send)
        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if not started():
                await send_json(send, 413, self.body, CLOSE)


INTERNAL_ERROR = error_body(
    error_item(("server",), "the server failed on this request (logged)", "internal_error")
)


class InternalErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        tracking_send, started = _tracking(send)
        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if not started():
                await send_json(send, 500, INTERNAL_ERROR, CLOSE)
            raise
