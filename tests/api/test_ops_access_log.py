"""The optional access log (app/ops/access_log.py): off by default; one line per request,
JSON or text, with the route template, status, duration, bytes and client."""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.server import running_uvicorn

IDENTITY = {"accept-encoding": "identity"}


@contextlib.contextmanager
def logged_server(env: dict[str, str]) -> Iterator[tuple[httpx.Client, list[str]]]:
    """A server with `env`; yields a client and, once the server has stopped, its output."""
    lines: list[str] = []
    with tempfile.TemporaryFile() as out:
        with running_uvicorn(env=env, output=out) as (base, _):
            with httpx.Client(base_url=base, timeout=20.0, headers=IDENTITY) as c:
                yield c, lines
        out.seek(0)
        lines.extend(out.read().decode().splitlines())


def some_requests(c: httpx.Client) -> list[httpx.Response]:
    name = c.get("/api/v1/presets").json()[0]["name"]
    preset = c.get(f"/api/v1/presets/{name}")
    return [
        preset,
        c.post("/api/v1/trace", json=preset.json()),
        c.get("/api/v1/presets/no-such-preset"),
    ]


def test_json_access_log() -> None:
    started = datetime.now(UTC)
    env = {"BACKPROP_VIZ_ACCESS_LOG": "true", "BACKPROP_VIZ_LOG_FORMAT": "json"}
    with logged_server(env) as (c, lines):
        responses = some_requests(c)
        port = c.get("/healthz").extensions["network_stream"].get_extra_info("client_addr")[1]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    by_path: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_path.setdefault(record["path"], []).append(record)
    fields = {"time", "method", "path", "route", "status", "duration_ms", "bytes", "client"}
    assert all(set(r) == fields for r in records), records
    for r in responses:
        (record,) = by_path[r.request.url.path]
        assert record["method"] == r.request.method
        assert record["status"] == r.status_code
        assert record["bytes"] == len(r.content)
        assert record["duration_ms"] > 0
        assert record["client"] == f"127.0.0.1:{port}"
        when = datetime.fromisoformat(record["time"].replace("Z", "+00:00"))
        assert started.timestamp() - 1 <= when.timestamp() <= time.time() + 1
    assert by_path["/api/v1/trace"][0]["route"] == "/api/v1/trace"
    assert by_path["/api/v1/presets/no-such-preset"][0]["route"] == "/api/v1/presets/{name}"


def test_text_access_log() -> None:
    with logged_server({"BACKPROP_VIZ_ACCESS_LOG": "1"}) as (c, lines):
        trace = some_requests(c)[1]
    pattern = re.compile(
        r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 127\.0\.0\.1:\d+ "POST /api/v1/trace" 200 '
        rf"{len(trace.content)} [\d.]+ms route=/api/v1/trace$"
    )
    assert sum(bool(pattern.match(line)) for line in lines) == 1, lines


def test_no_access_log_by_default() -> None:
    with logged_server({}) as (c, lines):
        some_requests(c)
    assert not [line for line in lines if "/api/v1/trace" in line], lines
