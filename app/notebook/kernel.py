"""The engine in the kernel: HTTP requests answered by the same ASGI app that answers them over
the network (app.main.create_app), called in process, so that validation, errors and stream
events are identical, byte for byte. No server, no port.

The app runs on an event loop of its own, in a thread: a notebook's kernel (ipykernel) already
runs a loop on its main thread, on which a cell's synchronous call cannot wait. The widget's
requests and a cell's calls both go to that loop."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from starlette.types import ASGIApp, Message

Head = Callable[[int, list[tuple[str, str]]], None]
Chunk = Callable[[bytes], None]


@dataclass
class Answer:
    """A whole answer: its status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)

    def events(self) -> list[dict[str, Any]]:
        """An NDJSON body's events, in order."""
        return [json.loads(line) for line in self.body.splitlines() if line.strip()]


@dataclass
class _Exchange:
    """One request on the app's loop: what it sends, and where its answer goes."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes
    on_head: Head
    on_chunk: Chunk
    stopped: asyncio.Event = field(default_factory=asyncio.Event)


class InProcessApp:
    """An ASGI app answering requests on its own loop in a daemon thread.

    `request()` blocks the caller (a cell) until the whole answer is in; `start()` returns at
    once and hands the head and each body chunk to callbacks as the app writes them (on the
    app's thread), for the widget to forward."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="backprop-viz app", daemon=True
        )
        self._thread.start()
        self._running: dict[str, asyncio.Task[None]] = {}

    def _submit(self, make: Callable[[], Awaitable[None]]) -> Future[None]:
        async def run() -> None:
            await make()

        return asyncio.run_coroutine_threadsafe(run(), self._loop)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | str | dict[str, Any] | list[Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """The app's whole answer to one request (JSON bodies: a dict or a list)."""
        sent_headers = dict(headers or {})
        if isinstance(body, dict | list):
            body = json.dumps(body)
            sent_headers.setdefault("content-type", "application/json")
        answer = Answer(0, {})

        def head(status: int, items: list[tuple[str, str]]) -> None:
            answer.status, answer.headers = status, dict(items)

        chunks: list[bytes] = []
        exchange = _exchange(method, path, sent_headers, body, head, chunks.append)
        self._submit(lambda: self._call(exchange)).result()
        answer.body = b"".join(chunks)
        return answer

    def start(
        self,
        key: str,
        method: str,
        path: str,
        body: bytes | str | None,
        headers: dict[str, str],
        on_head: Head,
        on_chunk: Chunk,
        on_end: Callable[[BaseException | None], None],
    ) -> None:
        """Begin one request; `key` names it for stop(). on_end(None) once the body is whole,
        on_end(error) if the app raised."""
        exchange = _exchange(method, path, headers, body, on_head, on_chunk)

        def begin() -> None:
            task = self._loop.create_task(self._call(exchange))
            self._running[key] = task

            def finished(t: asyncio.Task[None]) -> None:
                self._running.pop(key, None)
                error = None if t.cancelled() else t.exception()
                on_end(error)

            task.add_done_callback(finished)

        self._loop.call_soon_threadsafe(begin)

    def stop(self, key: str) -> None:
        """The client went away (an aborted fetch): the app sees a disconnect, as over HTTP."""

        def disconnect() -> None:
            task = self._running.get(key)
            if task is not None:
                task.cancel()

        self._loop.call_soon_threadsafe(disconnect)

    async def _call(self, exchange: _Exchange) -> None:
        path, _, query = exchange.path.partition("?")
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": exchange.method.upper(),
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode("latin-1")) for k, v in exchange.headers],
            "client": ("127.0.0.1", 0),
            "server": ("kernel", 80),
            "state": {},
        }
        body_sent = False

        async def receive() -> Message:
            nonlocal body_sent
            if not body_sent:
                body_sent = True
                return {"type": "http.request", "body": exchange.body, "more_body": False}
            await exchange.stopped.wait()  # a stream's app listens for the client leaving
            return {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                items = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in message["headers"]]
                exchange.on_head(message["status"], items)
            elif message["type"] == "http.response.body":
                chunk = message.get("body", b"")
                if chunk:
                    exchange.on_chunk(chunk)
                if not message.get("more_body", False):
                    exchange.stopped.set()

        try:
            await self.app(scope, receive, send)
        finally:
            exchange.stopped.set()


def _exchange(
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes | str | None,
    on_head: Head,
    on_chunk: Chunk,
) -> _Exchange:
    raw = body.encode() if isinstance(body, str) else (body or b"")
    items = [(k, v) for k, v in headers.items() if k.lower() not in ("content-length", "host")]
    items += [("host", "kernel"), ("content-length", str(len(raw)))]
    return _Exchange(method, path, items, raw, on_head, on_chunk)


_shared: InProcessApp | None = None
_shared_lock = threading.Lock()


def engine() -> InProcessApp:
    """The kernel's one app (app.main's factory with the settings of the environment, as a
    server would start it), made on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            from app.main import create_app

            _shared = InProcessApp(create_app())
        return _shared
