"""The JSON POST routes' one route class: endpoints read like FastAPI's tutorial,

    @router.post("/trace", response_model=TraceResponse, ...)
    async def post_trace(req: TraceRequest, request: Request) -> Response: ...

(a path parameter follows them, `exercise_id: str`, and is passed by name) and run on a
short path. FastAPI reads the signature as usual, so OpenAPI documents the body
and the answers; at run time the route skips FastAPI's request handling (dependency solving,
exit stacks, json.loads then validation) and does the two things these routes need: validate
the raw body into the model (pydantic-core, in one pass) and await the endpoint, which builds
its own Response (orjson). What that saves is in docs/benchmarks.md.

It relies on two FastAPI internals, checked by tests/api/test_routes.py against the pinned
FastAPI: APIRoute.__init__ builds `self.app`, and Starlette's Route.handle calls it.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, get_type_hints

from fastapi import Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.routing import request_response

from app.api.body import parse

Endpoint = Callable[..., Awaitable[Response]]


def body_model(endpoint: Callable[..., Any]) -> type[BaseModel]:
    """The model of an endpoint's first parameter: the request body."""
    first = next(iter(inspect.signature(endpoint).parameters))
    model = get_type_hints(endpoint)[first]
    if not (inspect.isclass(model) and issubclass(model, BaseModel)):
        raise TypeError(f"{endpoint.__qualname__}: the first parameter must be a pydantic model")
    return model


class JSONPostRoute(APIRoute):
    """A route whose endpoint is `async def (body: Model, request: Request, **path_params)
    -> Response`."""

    def __init__(self, path: str, endpoint: Endpoint, **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        model = body_model(endpoint)

        async def fast_path(request: Request) -> Response:
            return await endpoint(await parse(request, model), request, **request.path_params)

        fast_path.__qualname__ = f"JSONPostRoute.fast_path[{endpoint.__qualname__}]"
        self.app = request_response(fast_path)
