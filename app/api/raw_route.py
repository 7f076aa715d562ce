"""Routes whose endpoint reads the Request and returns a Response itself."""

from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import request_response


class RawRoute(APIRoute):
    """An APIRoute served like a plain Starlette route: the endpoint gets the bare Request.

    The JSON routes parse and validate their bodies themselves, from bytes (body.py), and
    build their Responses (orjson); FastAPI's per-request machinery around them (exit
    stacks, dependency solving, parameter binding) then only costs time: ~20 µs of a
    ~200 µs trace. The route stays an APIRoute, so OpenAPI documents it like any other;
    exceptions still reach the app's handlers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.app = request_response(self.endpoint)
