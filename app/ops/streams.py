"""Streams: at most `max_streams` open in one process, and each one stops when its client
goes away.

StreamCap is decided on the path alone, before the body is read or anything computed; it
sits inside the CORS middleware so that its 503 carries the CORS headers a page needs to
read it. EventStream is Starlette's StreamingResponse, always listening for the client's
http.disconnect while it streams: Starlette listens only for servers of ASGI spec < 2.4 and
otherwise learns of a disconnect from a failed write, which a training stream between two
reports (seconds apart) or a paced one may not attempt for a long time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import anyio
from starlette.responses import StreamingResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.errors import error_item
from app.api.responses import dumps
from app.ops.metrics import Metrics
from app.ops.observer import ROUTE_KEY


class StreamCap:
    def __init__(
        self,
        app: ASGIApp,
        *,
        paths: Iterable[str],
        max_streams: int,
        retry_after: int,
        metrics: Metrics,
    ) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.max_streams = max_streams
        self.retry_after = str(retry_after).encode()
        self.metrics = metrics
        self.open = 0  # one event loop per process: no lock needed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        path = _path(scope)
        if path not in self.paths:
            await self.app(scope, receive, send)
            return
        if self.open >= self.max_streams:
            self.metrics.streams_rejected.inc()
            scope[ROUTE_KEY] = path  # for the observer: the routes' templates are these paths
            await self._reject(send)
            return
        self.open += 1
        self.metrics.streams_active.inc()
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                self.open -= 1
                self.metrics.streams_active.dec()

        async def send_then_release(message: Message) -> None:
            # The slot is free once the last byte is handed over, not after the response's
            # own cleanup: a client that reads the end and at once opens its next stream
            # must not find its own finished one still counted.
            last = message["type"] == "http.response.body" and not message.get("more_body")
            if last:
                release()
            await send(message)

        try:
            await self.app(scope, receive, send_then_release)
        finally:
            release()

    async def _reject(self, send: Send) -> None:
        msg = (
            f"{self.max_streams} streams are open, the most this server runs at once; "
            f"try again in {self.retry_after.decode()} s"
        )
        body = dumps(
            {
                "detail": [
                    error_item(
                        ("server", "streams"),
                        msg,
                        "too_many_streams",
                        {"limit": self.max_streams, "retry_after": int(self.retry_after)},
                    )
                ]
            }
        )
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"retry-after", self.retry_after),
        ]
        await send({"type": "http.response.start", "status": 503, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _path(scope: Scope) -> str:
    # uvicorn's path includes --root-path; the routes' do not.
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


class EventStream(StreamingResponse):
    """A StreamingResponse that stops its body (cancels it at its next await) as soon as
    the client disconnects, whatever ASGI spec version the server speaks. It tells any
    nginx in front (ingress-nginx included) not to buffer it, whatever its configuration."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers["X-Accel-Buffering"] = "no"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as group:

                async def stream() -> None:
                    try:
                        await self.stream_response(send)
                    except OSError:  # a write after the client left (ASGI 2.4 servers)
                        pass
                    group.cancel_scope.cancel()

                group.start_soon(stream)
                await self.listen_for_disconnect(receive)
                group.cancel_scope.cancel()
        finally:
            # A body cancelled while waiting on a write is left suspended at its yield;
            # close it now, not whenever it is collected, so that its cleanup (the stream's
            # books) is done when the response is.
            close = getattr(self.body_iterator, "aclose", None)
            if close is not None:
                with anyio.CancelScope(shield=True):
                    await close()
