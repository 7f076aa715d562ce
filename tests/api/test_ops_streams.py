"""EventStream (app/http/events.py) stops its body when the client disconnects, whatever the
ASGI spec version the server announces: Starlette's StreamingResponse, under a 2.4 server,
would wait for a write to fail, and a training stream between two reports writes nothing.
(Under uvicorn, which announces 2.3, test_operations.py checks the same end to end.)"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
from starlette.responses import StreamingResponse

from app.http.events import EventStream


async def serve_then_leave(response: StreamingResponse, spec: str) -> list[str]:
    """Runs the response; the client leaves after the first chunk. Returns what the body's
    generator went through."""
    seen: list[str] = []
    first_sent = anyio.Event()

    async def body() -> AsyncIterator[bytes]:
        try:
            yield b"first\n"
            seen.append("waiting")
            await anyio.sleep_forever()  # a long silent computation
        finally:
            seen.append("stopped")

    response.body_iterator = body()

    async def receive() -> dict[str, Any]:
        await first_sent.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message.get("body"):
            first_sent.set()

    scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": spec}}
    with anyio.move_on_after(3):
        await response(scope, receive, send)
        seen.append("returned")
    return seen


@pytest.mark.parametrize("spec", ["2.3", "2.4"])
def test_event_stream_stops_when_the_client_leaves(spec: str) -> None:
    seen = anyio.run(serve_then_leave, EventStream(iter(())), spec)
    assert seen == ["waiting", "stopped", "returned"]


def test_starlette_alone_would_not_under_asgi_2_4() -> None:
    """Why EventStream exists: this is what it fixes."""
    seen = anyio.run(serve_then_leave, StreamingResponse(iter(())), "2.4")
    assert "returned" not in seen


def test_a_body_stuck_on_a_write_is_closed_before_the_response_returns() -> None:
    """The client leaves while a write hangs: the body, suspended at its yield, is closed
    (its cleanup runs) before the response returns, not whenever it is collected."""
    seen: list[str] = []

    async def body() -> AsyncIterator[bytes]:
        try:
            while True:
                yield b"event\n"
        finally:
            seen.append("stopped")

    async def main() -> None:
        first_sent = anyio.Event()

        async def receive() -> dict[str, Any]:
            await first_sent.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message.get("body"):
                if first_sent.is_set():
                    await anyio.sleep_forever()  # a write that never completes
                first_sent.set()

        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"}}
        with anyio.move_on_after(3):
            await EventStream(body())(scope, receive, send)
            seen.append("returned")

    anyio.run(main)
    assert seen == ["stopped", "returned"]
