"""RequestObserver: each request's route, status, duration and size, into the metrics and
the access log. Pure ASGI and outermost, so it sees every answer (the CORS preflight, the
413 of the body cap, the 503 of the stream cap) at a cost of a few microseconds.

Requests are counted by route TEMPLATE ("/api/v1/presets/{name}"), which the router leaves
in scope["route"], not by URL: a label per URL would grow without bound. An answer given
before routing names its route in scope[ROUTE_KEY] (the stream cap's 503); anything else
that matched no route (a 404, the body cap's 413) is "unmatched"; an unusual method is
"other".
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.ops.access_log import AccessLog
from app.ops.metrics import Metrics

ROUTE_KEY = "backprop_viz.route"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestObserver:
    def __init__(self, app: ASGIApp, *, metrics: Metrics, access_log: AccessLog | None) -> None:
        self.app = app
        self.metrics = metrics
        self.access_log = access_log
        # (method, route, status) -> the counter's and histogram's children: labels() takes
        # a lock and builds a key each time, ~2 µs on the hot path.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        arrived = time.time() if self.access_log is not None else 0.0
        started = time.perf_counter()
        status = 500  # if nothing is sent, ServerErrorMiddleware answers 500
        sent = 0

        async def observing_send(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
            else:
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, observing_send)
        finally:
            seconds = time.perf_counter() - started
            route = scope.get("route")
            template = route.path if route is not None else scope.get(ROUTE_KEY, "unmatched")
            method = scope["method"] if scope["method"] in METHODS else "other"
            key = (method, template, status)
            children = self._children.get(key)
            if children is None:
                children = (
                    self.metrics.requests.labels(method, template, str(status)),
                    self.metrics.duration.labels(method, template),
                )
                self._children[key] = children
            children[0].inc()
            children[1].observe(seconds)
            if self.access_log is not None:
                self.access_log.write(
                    arrived=arrived,
                    method=scope["method"],
                    path=scope["path"],
                    route=template,
                    status=status,
                    seconds=seconds,
                    sent=sent,
                    client=scope.get("client"),
                )
