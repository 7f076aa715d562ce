"""Put the request schemas into the OpenAPI document.

The POST routes read their bodies as raw bytes (see body.py), so FastAPI does not see the
models; `json_body` declares one for a route and remembers it, and `install_openapi` adds
every model so declared to components/schemas, where the routes' $refs point."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from app.api.schemas import ErrorResponse

_REF = "#/components/schemas/{model}"
_BODIES: dict[str, type[BaseModel]] = {}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "Request body too large"},
    422: {"model": ErrorResponse, "description": "Invalid request: which field, and why"},
}


def json_responses(model: Any) -> dict[int | str, dict[str, Any]]:
    """`responses` of a JSON route answering `model`, with the error answers."""
    return {200: {"model": model}, **ERROR_RESPONSES}


def stream_responses(events: Any, description: str) -> dict[int | str, dict[str, Any]]:
    """`responses` of a stream route whose events are `events` (NDJSON or SSE)."""
    return {
        200: {
            "description": description,
            "content": {"application/x-ndjson": {}, "text/event-stream": {}},
        },
        **ERROR_RESPONSES,
    }


def json_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route whose JSON body is `model`."""
    _BODIES[model.__name__] = model
    schema = {"$ref": _REF.format(model=model.__name__)}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for name, model in _BODIES.items():
                body = model.model_json_schema(ref_template=_REF)
                components.update(body.pop("$defs", {}))
                components[name] = body
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
