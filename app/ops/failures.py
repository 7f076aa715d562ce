"""A failure inside the app (a bug: no request should cause one) answers a 500 in the API's
error shape, with the CORS headers.

Starlette's ServerErrorMiddleware, which otherwise writes the 500, sits outside every user
middleware: its plain-text answer lacks the CORS headers, so a page on another origin
sees an opaque network error instead of a 500. This middleware sits inside the CORS one
and answers first; the exception then goes on up, so that ServerErrorMiddleware (finding
the answer sent) and uvicorn still log the traceback.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import error_item
from app.api.responses import dumps

BODY = dumps(
    {
        "detail": [
            error_item(("server",), "the server failed on this request (logged)", "internal_error")
        ]
    }
)


class InternalErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            if not started:
                headers = [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(BODY)).encode()),
                    (b"connection", b"close"),
                ]
                await send({"type": "http.response.start", "status": 500, "headers": headers})
                await send({"type": "http.response.body", "body": BODY})
            raise
