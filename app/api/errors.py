"""Every bad request gets a 4xx whose body names the field and the reason:
{"detail": [{"loc": [...], "field": "network.weights[0][1]", "msg": "...", "type": "...",
"ctx": {...}}]}: `type` is one of ERROR_TYPES (app/engine/errors.py) and `ctx` its parameters,
so that a client (the page, in its language) can word the message itself."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from app.api.responses import JSONBytes
from app.engine import ERROR_TYPES, NonFiniteError, SpecError, format_loc

log = logging.getLogger("backprop_viz")


class APIError(Exception):
    """A 4xx with our error body; raised by the routers, rendered by install()."""

    def __init__(self, status: int, items: list[dict[str, Any]]) -> None:
        super().__init__(items[0]["msg"] if items else "")
        self.status = status
        self.items = items


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
    inside = tuple(loc[1:]) if loc and loc[0] in ("body", "path", "query") else tuple(loc)
    field = format_loc(inside) or (str(loc[0]) if loc else "body")
    return {"loc": list(loc), "field": field, "msg": msg, "type": kind, "ctx": json_safe_ctx(ctx)}


def _pydantic_item(e: Mapping[str, Any]) -> dict[str, Any]:
    # `input` is left out: it may be huge, or NaN, which is not JSON. A kind of pydantic's
    # that ERROR_TYPES does not list is "invalid" (its msg says what), so the set is closed.
    kind = e["type"] if e["type"] in ERROR_TYPES else "invalid"
    ctx = dict(e.get("ctx") or {})
    if kind == "literal_error" and isinstance(ctx.get("expected"), str):
        # "'sigmoid', 'tanh' or 'relu'" → the names themselves, for a client to list.
        ctx["choices"] = re.findall(r"'([^']*)'", ctx["expected"])
    if kind == "invalid":
        ctx = {}
    return error_item(("body", *e["loc"]), e["msg"], kind, ctx)


def from_pydantic(errors: Iterable[Mapping[str, Any]]) -> APIError:
    return APIError(422, [_pydantic_item(e) for e in errors])


def from_spec_error(exc: SpecError) -> APIError:
    return APIError(422, [error_item(("body", *exc.loc), exc.msg, exc.kind, exc.ctx)])


def from_non_finite(exc: NonFiniteError) -> APIError:
    msg = (
        f"the numbers overflowed: {exc.where}. Use smaller weights, inputs or "
        "learning rate, or an activation that saturates (sigmoid, tanh)."
    )
    return APIError(422, [error_item(("body",), msg, "non_finite")])


HTTP_TYPES = {404: "not_found", 405: "method_not_allowed"}


def install(app: FastAPI) -> None:
    @app.exception_handler(APIError)
    async def _api_error(request: Request, exc: APIError) -> JSONBytes:
        return JSONBytes({"detail": exc.items}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONBytes:
        err = from_pydantic(exc.errors())
        return JSONBytes({"detail": err.items}, status_code=422)

    @app.exception_handler(ValidationError)
    async def _pydantic(request: Request, exc: ValidationError) -> JSONBytes:
        err = from_pydantic(exc.errors())
        return JSONBytes({"detail": err.items}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONBytes:
        msg = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        kind = HTTP_TYPES.get(exc.status_code, "http_error")
        ctx = {} if kind != "http_error" else {"status": exc.status_code}
        return JSONBytes(
            {"detail": [error_item(("path",), msg, kind, ctx)]},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
