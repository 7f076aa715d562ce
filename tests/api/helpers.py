"""Shared helpers of the API tests: a strict JSON reader, error-body checks, stream readers."""

from __future__ import annotations

import base64
import json
import math
import zlib
from collections.abc import Sequence
from typing import Any

import httpx

from app.engine.errors import ERROR_TYPES

# The presets the contract promises (the server may offer more).
REQUIRED_PRESETS = ("worked-example-2-2-2", "lecture-2-input", "xor", "softmax-classifier")

TRACE = "/api/v1/trace"
STREAM = "/api/v1/trace/stream"
NDJSON = "application/x-ndjson"
SSE = "text/event-stream"


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strict_loads(text: str | bytes) -> Any:
    """json.loads that refuses NaN, Infinity and -Infinity, which are not JSON."""
    return json.loads(text, parse_constant=_reject_constant)


def nulls(node: Any, key: str | None = None) -> list[str | None]:
    """Keys holding null in a JSON answer, except da_dz (null for a softmax layer by design).
    orjson writes NaN and ±Infinity as null, so a null where a number belongs is how a
    non-finite result would slip out."""
    if node is None:
        return [] if key == "da_dz" else [key]
    if isinstance(node, dict):
        return [n for k, v in node.items() for n in nulls(v, k)]
    if isinstance(node, list):
        return [n for v in node for n in nulls(v, key)]
    return []


def preset(client: httpx.Client, name: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/presets/{name}")
    assert r.status_code == 200, r.text
    return strict_loads(r.text)


def post_json(client: httpx.Client, path: str, body: Any, **kwargs: Any) -> httpx.Response:
    """POST `body` serialised by json.dumps; NaN and ±Infinity become their JS literals."""
    return client.post(path, content=json.dumps(body).encode(), **kwargs)


def trace_ok(client: httpx.Client, body: Any) -> dict[str, Any]:
    r = post_json(client, TRACE, body)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    answer = strict_loads(r.text)
    assert not nulls(answer), r.text
    return answer


def field_of(loc: Sequence[str | int]) -> str:
    """("network", "weights", 0, 1) -> "network.weights[0][1]" (written here, not imported,
    so the test checks the server's spelling against the documented one)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def assert_error(
    response: httpx.Response, status: int, loc: Sequence[str | int], msg_has: str = ""
) -> dict[str, Any]:
    """A 4xx with {"detail": [{"loc": ["body", *loc], "field": ..., "msg": ..., "type": ...}]}.

    `loc` is the path inside the body; () means the body as a whole."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = strict_loads(response.text)
    detail = body["detail"]
    assert isinstance(detail, list) and detail, body
    item = detail[0]
    assert item["loc"] == ["body", *loc], item
    assert item["field"] == (field_of(loc) or "body"), item
    assert isinstance(item["msg"], str) and item["msg"].strip(), item
    assert item["type"] in ERROR_TYPES, item
    assert set(item["ctx"]) <= set(ERROR_TYPES[item["type"]].ctx), item
    assert msg_has.lower() in item["msg"].lower(), item
    return item


def read_ndjson(response: httpx.Response) -> list[dict[str, Any]]:
    """The events of an NDJSON stream, read line by line as they arrive."""
    return [strict_loads(line) for line in response.iter_lines() if line.strip()]


def read_sse(response: httpx.Response) -> list[dict[str, Any]]:
    """The `data:` payloads of a Server-Sent Events stream, read as they arrive; checks that
    an `event:` name, where sent, is the payload's type, and that `id:`s, where sent, are
    unique (a reconnecting client resumes from one)."""
    out: list[dict[str, Any]] = []
    ids: set[str] = set()
    block: dict[str, list[str]] = {}

    def flush() -> None:
        if "data" in block:
            event = strict_loads("\n".join(block["data"]))
            if "event" in block:
                assert block["event"] == [event["type"]], block
            for event_id in block.get("id", []):
                assert event_id not in ids, block
                ids.add(event_id)
            out.append(event)
        block.clear()

    for line in response.iter_lines():
        if not line:
            flush()
        elif not line.startswith(":"):  # ":" starts an SSE comment
            name, _, value = line.partition(":")
            block.setdefault(name, []).append(value.removeprefix(" "))
    flush()
    return out


def link_state(request: Any, packed: bool = False) -> str:
    """A share link's state of `request`, as static/js/page/link.js writes it, written here
    from its rules: -0 as the string "-0", {"request", "view"} as JSON, deflate-raw when
    `packed`, base64url without padding."""

    def minus_zero(v: Any) -> Any:
        if isinstance(v, float) and v == 0 and math.copysign(1.0, v) < 0:
            return "-0"
        if isinstance(v, dict):
            return {k: minus_zero(x) for k, x in v.items()}
        if isinstance(v, list):
            return [minus_zero(x) for x in v]
        return v

    raw = json.dumps({"request": minus_zero(request), "view": {}}).encode()
    if packed:
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        raw = deflate.compress(raw) + deflate.flush()
    return ("z" if packed else "j") + base64.urlsafe_b64encode(raw).decode().rstrip("=")
