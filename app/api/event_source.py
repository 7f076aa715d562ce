"""What the GET streams need, so that a browser's EventSource (GET only) can read them:

- a share link's `state` read on the server: the encoding of static/js/page/link.js,
  "j" + base64url(JSON) or "z" + base64url(deflate-raw(JSON)), the string "-0" standing for
  −0, the JSON an object whose `request` is the request a POST would send. Its errors name
  the query parameter and, inside the request, the field: `state.request.input[0]`;
- Last-Event-ID, which EventSource sends when it reconnects: the events up to that one are
  not sent again (the run is computed again to there: the server keeps nothing between
  requests, so any replica answers), and after the done event (its id is "done") there is
  nothing more: 204, which stops EventSource."""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import orjson
from fastapi import Header, Query
from pydantic import BaseModel, ValidationError

from app.api.errors import APIError, from_pydantic
from app.api.openapi import stream_responses
from app.http.errors import error_item
from app.http.events import DONE_ID

Model = TypeVar("Model", bound=BaseModel)
NEGATIVE_ZERO = "-0"  # link.js: JSON has no −0; no other string in a state is "-0"
LOC = ("query", "state")
INSIDE = (*LOC, "request")

# The GET streams' parameters (app/api/trace.py, app/api/train.py).
STATE_QUERY = Query(
    description="The request, as a share link carries it: `j` + base64url(JSON) or `z` + "
    'base64url(deflate-raw(JSON)) of `{"request": …}` (docs/api.md, "GET streams").',
)
VERSION_QUERY = Query(description="The link format's version: 1.")
LAST_EVENT_ID = Header(
    alias="Last-Event-ID",
    description="What EventSource sends on a reconnect: the events up to it are not sent "
    "again; `done`: nothing more (204).",
)


def _refused(why: str, reason: str) -> APIError:
    msg = f"{why}: send the `state` of a share link (?v=1&state=…), or POST the request"
    return APIError(422, [error_item(LOC, msg, "state_invalid", {"reason": reason})])


def _minus_zero(value: Any) -> Any:
    if value == NEGATIVE_ZERO:
        return -0.0
    if isinstance(value, dict):
        return {k: _minus_zero(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_minus_zero(v) for v in value]
    return value


def decode_state(text: str, max_bytes: int) -> Any:
    """The request a link's state carries; APIError (422 state_invalid, 413 too_large)."""
    if len(text) < 2:
        raise _refused("the state is empty", "empty")
    kind, packed = text[0], text[1:]
    try:
        raw = base64.b64decode(packed + "=" * (-len(packed) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise _refused("the state is not base64url", "base64url") from None
    if kind == "z":
        inflate = zlib.decompressobj(-15)
        try:
            raw = inflate.decompress(raw, max_bytes + 1)
        except zlib.error:
            raise _refused("the state does not decompress", "deflate") from None
        if len(raw) > max_bytes or inflate.unconsumed_tail:
            msg = f"the state's JSON is over {max_bytes} bytes, the cap of a request body"
            raise APIError(413, [error_item(LOC, msg, "too_large", {"limit": max_bytes})])
    elif kind != "j":
        raise _refused(f"unknown state encoding {kind!r}", "encoding")
    if len(raw) > max_bytes:
        msg = f"the state's JSON is over {max_bytes} bytes, the cap of a request body"
        raise APIError(413, [error_item(LOC, msg, "too_large", {"limit": max_bytes})])
    try:
        state = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise _refused("the state is not JSON", "json") from None
    if not isinstance(state, dict) or not isinstance(state.get("request"), dict):
        raise _refused("the state carries no request", "request")
    return _minus_zero(state["request"])


@contextmanager
def named_in_state() -> Iterator[None]:
    """Errors about the request's fields, renamed to where they are in the query."""
    try:
        yield
    except APIError as exc:
        if not all(item["loc"][:1] == ["body"] for item in exc.items):
            raise
        items = [
            error_item((*INSIDE, *item["loc"][1:]), item["msg"], item["type"], item["ctx"])
            for item in exc.items
        ]
        raise APIError(exc.status, items) from None


def request_of(model: type[Model], text: str, max_bytes: int) -> Model:
    """The link's request, validated as a POST body is (the same model, the same errors)."""
    request = decode_state(text, max_bytes)
    with named_in_state():
        try:
            return model.model_validate_json(orjson.dumps(request))
        except ValidationError as exc:
            raise from_pydantic(exc.errors()) from None


class HeardDoneError(Exception):
    """The client heard the done event already: answer 204 No Content."""


def after_last_event(last_event_id: str | None) -> int:
    """The number of the last event the client heard (-1: none), from Last-Event-ID."""
    if last_event_id is None or not last_event_id.strip():
        return -1
    text = last_event_id.strip()
    if text == DONE_ID:
        raise HeardDoneError
    if not text.isdigit() or len(text) > 12:
        msg = "must be the id of an event this stream sent (a whole number, or done)"
        loc = ("header", "Last-Event-ID")
        raise APIError(422, [error_item(loc, msg, "not_a_whole_number")])
    return int(text)


def asked(
    model: type[Model], state: str, last_event_id: str | None, max_bytes: int
) -> tuple[Model, int] | None:
    """A GET stream's request and the number of the last event the client heard (-1: none);
    None when it heard the done event (answer 204)."""
    try:
        after = after_last_event(last_event_id)
    except HeardDoneError:
        return None
    return request_of(model, state, max_bytes), after


def get_stream_responses(events: type[BaseModel], post: str) -> dict[int | str, dict[str, Any]]:
    """A GET stream's documented answers: the POST stream's, and the 204 after done."""
    return {
        **stream_responses(events, f"The same events as {post}."),
        204: {"description": "Last-Event-ID was `done`: the client has the whole stream."},
    }
