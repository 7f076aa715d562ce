"""Streams: at most `max_streams` open in one process (each one stops when its client goes
away: app/http/events.py's EventStream).

StreamCap is decided on the path alone, before the body is read or anything computed; it
sits inside the CORS middleware so that its 503 carries the CORS headers a page needs to
read it.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.errors import error_body, error_item, send_json
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
        if scope["type"] != "http" or scope["method"] not in ("POST", "GET"):
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
            f"{self.max_streams} {'stream is' if self.max_streams == 1 else 'streams are'} "
            "open, the most this server runs at once; "
            f"try again in {self.retry_after.decode()} s"
        )
        body = error_body(
            error_item(
                ("server", "streams"),
                msg,
                "too_many_streams",
                {"limit": self.max_streams, "retry_after": int(self.retry_after)},
            )
        )
        await send_json(send, 503, body, (b"retry-after", self.retry_after))


def _path(scope: Scope) -> str:
    # uvicorn's path includes --root-path; the routes' do not.
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
