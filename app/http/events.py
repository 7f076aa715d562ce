"""Streams of events on the wire: NDJSON (one JSON object a line) or Server-Sent Events
(`id:` its number, `event:` its type, `data:` the object), picked by the request's Accept,
written by one EventWriter, sent by EventStream.

EventStream is Starlette's StreamingResponse, always listening for the client's
http.disconnect while it streams: Starlette listens only for servers of ASGI spec < 2.4 and
otherwise learns of a disconnect from a failed write, which a training stream between two
reports (seconds apart) or a paced one may not attempt for a long time.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import anyio
import orjson
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from app.http.responses import dumps

NDJSON = "application/x-ndjson"
SSE = "text/event-stream"
MEDIA_TYPES = (NDJSON, SSE)

Event = Mapping[str, Any]


def ndjson_line(event: Event, i: int) -> bytes:
    return orjson.dumps(event, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_APPEND_NEWLINE)


def sse_frame(event: Event, i: int) -> bytes:
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (i, event["type"].encode(), dumps(event))


# EventSource reconnects whenever a stream ends, sending the last `id:` it heard as
# Last-Event-ID. On the GET streams the done event's id is this word, so that a reconnect
# after the end is told "nothing more" (204, which stops EventSource) without any work.
DONE_ID = "done"


def sse_frame_for_event_source(event: Event, i: int) -> bytes:
    if event["type"] != "done":
        return sse_frame(event, i)
    return b"id: %s\nevent: done\ndata: %s\n\n" % (DONE_ID.encode(), dumps(event))


@dataclass(frozen=True)
class EventWriter:
    """One of the two formats: `write` turns an event and its number into its bytes,
    `response` sends a body of such bytes."""

    media_type: str
    write: Callable[[Event, int], bytes]
    headers: tuple[tuple[str, str], ...] = ()

    def response(self, body: AsyncIterable[bytes]) -> EventStream:
        return EventStream(body, media_type=self.media_type, headers=dict(self.headers) or None)

    async def chunks(
        self, events: Iterable[Event], per_chunk: int = 32, after: int = -1
    ) -> AsyncIterator[bytes]:
        """`events` written, a few dozen to a chunk: one write each would cost more than
        the math (a trace's events, all computed before the first byte). Those numbered up
        to `after` are left out (a reconnect's Last-Event-ID)."""
        batch: list[bytes] = []
        for i, event in enumerate(events):
            if i <= after:
                continue
            batch.append(self.write(event, i))
            if len(batch) == per_chunk:
                yield b"".join(batch)
                batch = []
        if batch:
            yield b"".join(batch)


NDJSON_WRITER = EventWriter(NDJSON, ndjson_line)
SSE_WRITER = EventWriter(SSE, sse_frame, (("Cache-Control", "no-cache"),))


EVENT_SOURCE_WRITER = EventWriter(SSE, sse_frame_for_event_source, SSE_WRITER.headers)


def event_writer(accept: str, event_source: bool = False) -> EventWriter:
    """SSE when the request's Accept names text/event-stream, else NDJSON; `event_source`:
    a GET stream's SSE, whose done event's id is DONE_ID."""
    if SSE not in accept:
        return NDJSON_WRITER
    return EVENT_SOURCE_WRITER if event_source else SSE_WRITER


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
