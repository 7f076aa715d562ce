"""The JSON POST routes' fast path leans on FastAPI internals (app/api/routes.py). These tests
fail loudly, naming what moved, when an upgrade of FastAPI or Starlette breaks them; the
version pin in pyproject.toml is the range they passed on."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version

import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.api import gradcheck, network, trace, train
from app.api.routes import JSONPostRoute, body_model
from app.main import create_app
from tests.server import ROOT


class Pair(BaseModel):
    a: int
    b: int


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_fastapi_is_within_the_pinned_range() -> None:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (pin,) = [d for d in deps if d.startswith("fastapi")]
    low, high = re.fullmatch(r"fastapi>=([\d.]+),<([\d.]+)", pin).groups()  # type: ignore[union-attr]
    installed = _version_tuple(version("fastapi"))
    assert _version_tuple(low) <= installed < _version_tuple(high), (
        f"FastAPI {version('fastapi')} is outside the tested range {pin}: run tests/api and "
        "benchmarks/bench_http.py before widening it"
    )


def _app_with(route_class: type[APIRoute]) -> tuple[FastAPI, list[object]]:
    received: list[object] = []
    router = APIRouter(route_class=route_class)

    @router.post("/sum")
    async def post_sum(pair: Pair, request: Request) -> dict[str, int]:
        received.append(pair)
        return {"sum": pair.a + pair.b}

    app = FastAPI()
    app.router.routes.extend(router.routes)
    return app, received


def test_the_fast_path_serves_the_request_not_fastapis_handler() -> None:
    """FastAPI's own handler refuses a JSON body sent as text/plain (strict content type) and
    JSON-encodes a returned dict; the fast path parses the bytes whatever the content type and
    expects a Response. Both differences are observable, so this fails if FastAPI's handler
    runs instead."""
    fast, received = _app_with(JSONPostRoute)
    plain, _ = _app_with(APIRoute)
    body = b'{"a": 2, "b": 3}'
    headers = {"content-type": "text/plain"}
    assert TestClient(plain).post("/sum", content=body, headers=headers).status_code == 422
    with pytest.raises(TypeError):  # a dict is not an ASGI response: the endpoint was awaited raw
        TestClient(fast).post("/sum", content=body, headers=headers)
    assert received == [Pair(a=2, b=3)]


def test_every_json_post_route_of_the_app_takes_the_fast_path() -> None:
    app = create_app()
    # The API's routes; /lti/'s take the platforms' forms and read their own bodies.
    posts = [
        r
        for r in app.routes
        if isinstance(r, APIRoute) and "POST" in r.methods and r.path.startswith("/api/")
    ]
    assert any(r.path.startswith("/lti/") for r in app.routes if isinstance(r, APIRoute))
    assert {r.path for r in posts} >= {
        "/api/v1/trace",
        "/api/v1/trace/stream",
        "/api/v1/trace/batch",
        "/api/v1/gradcheck",
        "/api/v1/network",
        "/api/v1/dataset",
        "/api/v1/train/stream",
    }
    for route in posts:
        assert isinstance(route, JSONPostRoute), route.path
    # `curl -d` sends a form content type, which FastAPI's own handler would refuse.
    with TestClient(app) as client:
        body = client.get("/api/v1/presets/worked-example-2-2-2").content
        answer = client.post("/api/v1/trace", content=body, headers={"content-type": "text/plain"})
    assert answer.status_code == 200
    assert answer.json()["loss"] == pytest.approx(0.2983711087600027)


def test_the_body_model_is_the_first_parameter() -> None:
    assert body_model(trace.post_trace).__name__ == "TraceRequest"
    assert body_model(gradcheck.post_gradcheck).__name__ == "GradcheckRequest"
    assert body_model(network.post_network).__name__ == "NetworkSpec"
    assert body_model(train.post_train_stream).__name__ == "TrainRequest"

    async def no_model(x: int, request: Request) -> None: ...

    with pytest.raises(TypeError, match="pydantic model"):
        body_model(no_model)


def test_the_fast_path_passes_path_parameters_by_name() -> None:
    """POST /exercises/{exercise_id}: the parameter FastAPI documents is the one passed."""
    router = APIRouter(route_class=JSONPostRoute)

    @router.post("/sum/{name}")
    async def post_named(pair: Pair, request: Request, name: str) -> JSONResponse:
        return JSONResponse({"name": name, "sum": pair.a + pair.b})

    app = FastAPI()
    app.router.routes.extend(router.routes)
    answer = TestClient(app).post("/sum/abc", json={"a": 1, "b": 2})
    assert answer.json() == {"name": "abc", "sum": 3}
    (parameter,) = app.openapi()["paths"]["/sum/{name}"]["post"]["parameters"]
    assert (parameter["name"], parameter["in"], parameter["required"]) == ("name", "path", True)
