"""Every bad request gets a 4xx whose body names the field and the reason:
{"detail": [{"loc": [...], "field": "network.weights[0][1]", "msg": "...", "type": "...",
"ctx": {...}}]}: `type` is one of ERROR_TYPES (app/engine/errors.py) and `ctx` its parameters,
so that a client (the page, in its language) can word the message itself."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from app.engine import ERROR_TYPES, NonFiniteError, SpecError
from app.http.errors import error_item
from app.http.responses import JSONBytes

log = logging.getLogger("backprop_viz")


class APIError(Exception):
    """A 4xx with our error body; raised by the routers, rendered by install()."""

    def __init__(self, status: int, items: list[dict[str, Any]]) -> None:
        super().__init__(items[0]["msg"] if items else "")
        self.status = status
        self.items = items


def _pydantic_item(e: Mapping[str, Any], where: tuple[str, ...]) -> dict[str, Any]:
    # `input` is left out: it may be huge, or NaN, which is not JSON. A kind of pydantic's
    # that ERROR_TYPES does not list is "invalid" (its msg says what), so the set is closed.
    kind = e["type"] if e["type"] in ERROR_TYPES else "invalid"
    ctx = dict(e.get("ctx") or {})
    if kind == "literal_error" and isinstance(ctx.get("expected"), str):
        # "'sigmoid', 'tanh' or 'relu'" → the names themselves, for a client to list.
        ctx["choices"] = re.findall(r"'([^']*)'", ctx["expected"])
    if kind == "invalid":
        ctx = {}
    return error_item((*where, *e["loc"]), e["msg"], kind, ctx)


def from_pydantic(
    errors: Iterable[Mapping[str, Any]], where: tuple[str, ...] = ("body",)
) -> APIError:
    """`where`: what the model validated (a body); () for FastAPI's own request
    validation, whose locs already start with body, query, header or path."""
    return APIError(422, [_pydantic_item(e, where) for e in errors])


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
        err = from_pydantic(exc.errors(), where=())
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
