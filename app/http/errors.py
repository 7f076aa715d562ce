"""The API's one error item, {"loc", "field", "msg", "type", "ctx"} (app/api/errors.py
describes the shape), and the JSON answer a pure-ASGI middleware sends in it."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from starlette.types import Send

from app.engine import ERROR_TYPES, format_loc
from app.http.responses import dumps

MAX_CTX_TEXT = 100  # a name sent back in ctx, cut: the request may hold a huge string
MAX_CTX_LIST = 50


def _json_safe(value: Any) -> Any:
    """`value` if JSON can carry it briefly (no NaN or ∞, no huge text or list), else None."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**63 else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return value[:MAX_CTX_TEXT]
    if isinstance(value, (list, tuple)) and len(value) <= MAX_CTX_LIST:
        items = [_json_safe(v) for v in value]
        return None if any(i is None for i in items) else items
    if hasattr(value, "item"):  # a numpy scalar
        return _json_safe(value.item())
    return None


def json_safe_ctx(ctx: Mapping[str, Any] | None) -> dict[str, Any]:
    safe = {k: _json_safe(v) for k, v in (ctx or {}).items()}
    return {k: v for k, v in safe.items() if v is not None}


def error_item(
    loc: Sequence[str | int], msg: str, kind: str, ctx: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    if kind not in ERROR_TYPES:  # a new kind goes in the registry, its docs and the page
        raise KeyError(f"{kind!r} is not in ERROR_TYPES")
    # "field" drops where the field lives (body, path): "network.weights[0]", "name".
    inside = tuple(loc[1:]) if loc and loc[0] in ("body", "path", "query", "header") else tuple(loc)
    field = format_loc(inside) or (str(loc[0]) if loc else "body")
    return {"loc": list(loc), "field": field, "msg": msg, "type": kind, "ctx": json_safe_ctx(ctx)}


def error_body(*items: dict[str, Any]) -> bytes:
    """The error shape's bytes, {"detail": [items]}, for an answer written without FastAPI."""
    return dumps({"detail": list(items)})


async def send_json(send: Send, status: int, body: bytes, *headers: tuple[bytes, bytes]) -> None:
    """A whole JSON answer from a pure-ASGI middleware: content type and length, then
    `headers`."""
    start = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": start})
    await send({"type": "http.response.body", "body": body})
