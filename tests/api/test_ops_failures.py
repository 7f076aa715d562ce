"""A failure inside the app answers a 500 in the API's error shape, with the CORS headers
(app/http/guards.py), and is still logged with its traceback."""

from __future__ import annotations

import tempfile
import time

import httpx
from fastapi import FastAPI

from app.main import create_app
from tests.api.helpers import strict_loads
from tests.server import running_uvicorn


def failing_app() -> FastAPI:
    """The app with one route that fails as a bug would (uvicorn --factory)."""
    app = create_app()

    @app.post("/api/v1/fail")
    async def fail() -> None:
        raise RuntimeError("deliberate failure for the test")

    return app


def test_a_failure_is_a_500_in_the_error_shape_with_cors() -> None:
    with tempfile.TemporaryFile() as log:
        with running_uvicorn(
            "tests.api.test_ops_failures:failing_app", extra_args=("--factory",), output=log
        ) as (base, _):
            with httpx.Client(base_url=base, timeout=20.0) as c:
                r = c.post("/api/v1/fail", headers={"origin": "https://course.example"})
                assert c.get("/healthz").status_code == 200  # the server carries on
                counted = c.get("/metrics").text
            time.sleep(0.2)
        log.seek(0)
        output = log.read().decode()
    assert r.status_code == 500
    assert r.headers["access-control-allow-origin"] == "*"
    assert r.headers["content-type"] == "application/json"
    (item,) = strict_loads(r.content)["detail"]
    assert item["type"] == "internal_error" and item["loc"] == ["server"], item
    assert "deliberate" not in r.text  # no internals to the client
    assert "RuntimeError: deliberate failure for the test" in output
    line = 'backprop_viz_http_requests_total{method="POST",route="/api/v1/fail",status="500"} 1.0'
    assert line in counted
