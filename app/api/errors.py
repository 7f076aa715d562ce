"""Every bad request gets a 4xx whose body names the field and the reason:
{"detail": [{"loc": [...], "field": "network.weights[0][1]", "msg": "...", "type": "..."}]}."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.exceptions import HTTPException

from app.api.responses import JSONBytes
from app.engine.errors import NonFiniteError, SpecError, format_loc

log = logging.getLogger("backprop_viz")


class APIError(Exception):
    """A 4xx with our error body; raised by the routers, rendered by install()."""

    def __init__(self, status: int, items: list[dict[str, Any]]) -> None:
        super().__init__(items[0]["msg"] if items else "")
        self.status = status
        self.items = items


def error_item(loc: Sequence[str | int], msg: str, kind: str) -> dict[str, Any]:
    # "field" drops where the field lives (body, path): "network.weights[0]", "name".
    inside = tuple(loc[1:]) if loc and loc[0] in ("body", "path", "query") else tuple(loc)
    field = format_loc(inside) or (str(loc[0]) if loc else "body")
    return {"loc": list(loc), "field": field, "msg": msg, "type": kind}


def from_pydantic(errors: Iterable[Mapping[str, Any]]) -> APIError:
    # `input` is left out: it may be huge, or NaN, which is not JSON.
    return APIError(422, [error_item(("body", *e["loc"]), e["msg"], e["type"]) for e in errors])


def from_spec_error(exc: SpecError) -> APIError:
    return APIError(422, [error_item(("body", *exc.loc), exc.msg, "value_error")])


def from_non_finite(exc: NonFiniteError) -> APIError:
    msg = (
        f"the numbers overflowed: {exc.where}. Use smaller weights, inputs or "
        "learning rate, or an activation that saturates (sigmoid, tanh)."
    )
    return APIError(422, [error_item(("body",), msg, "non_finite")])


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
        return JSONBytes(
            {"detail": [error_item(("path",), msg, "http_error")]},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
