"""POST /api/v1/trace's lane (app/api/trace.py, TraceLane): a valid request is answered
below FastAPI's routing, anything else by the route as before. The oracle is the same app
without the lane: every answer, good or bad, must be the same bytes under the same status
and headers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api.trace import TRACE_PATH, TraceLane
from app.engine import PRESETS
from app.main import _trace_route, create_app
from tests.api.error_requests import REQUESTS

WITH_EVENTS = {**PRESETS["worked-example-2-2-2"].request, "include_events": True}
GOOD: dict[str, Any] = {name: p.request for name, p in PRESETS.items()} | {
    "with-events": WITH_EVENTS,
    "frozen-biases": {**PRESETS["xor"].request, "freeze_biases": True},
}
BAD: dict[str, Any] = {
    kind: r.content if r.content is not None else r.body
    for kind, r in REQUESTS.items()
    if r.path == TRACE_PATH and r.method == "POST" and not r.headers and not r.special
}
BAD |= {
    "not-json": b"{",
    "empty": b"",
    "extra-field": {**PRESETS["xor"].request, "colour": "red"},
}


def without_lane() -> FastAPI:
    app = create_app()
    app.user_middleware = [m for m in app.user_middleware if m.cls is not TraceLane]
    app.middleware_stack = None
    return app


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[TestClient, TestClient]]:
    with TestClient(create_app()) as lane, TestClient(without_lane()) as route:
        yield lane, route


def content(body: Any) -> bytes:
    return body if isinstance(body, bytes) else json.dumps(body).encode()


def same_answer(clients: tuple[TestClient, TestClient], body: bytes, gzip: bool) -> int:
    headers = {"content-type": "application/json"}
    headers["accept-encoding"] = "gzip" if gzip else "identity"
    lane, route = (c.post(TRACE_PATH, content=body, headers=headers) for c in clients)
    assert lane.status_code == route.status_code
    keep = ("content-type", "content-length", "content-encoding", "access-control-allow-origin")
    assert {k: lane.headers.get(k) for k in keep} == {k: route.headers.get(k) for k in keep}
    assert lane.content == route.content
    return lane.status_code


def test_the_bad_requests_are_the_ones_the_error_tests_send() -> None:
    assert len(BAD) >= 10  # the selection found trace's error requests


@pytest.mark.parametrize("gzip", [False, True], ids=["identity", "gzip"])
@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_valid_request_gets_the_routes_answer(
    clients: tuple[TestClient, TestClient], name: str, gzip: bool
) -> None:
    assert same_answer(clients, content(GOOD[name]), gzip) == 200


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_request_gets_the_routes_error(
    clients: tuple[TestClient, TestClient], name: str
) -> None:
    assert same_answer(clients, content(BAD[name]), gzip=False) >= 400


def test_the_lane_answers_valid_requests_and_hands_on_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = create_app()
    route = _trace_route(app)
    reached: list[str] = []
    inner = route.app

    async def spy(scope: Any, receive: Any, send: Any) -> None:
        reached.append(scope["path"])
        await inner(scope, receive, send)

    monkeypatch.setattr(route, "app", spy)
    with TestClient(app) as c:
        assert c.post(TRACE_PATH, json=GOOD["xor"]).status_code == 200
        assert reached == []  # answered by the lane
        assert c.post(TRACE_PATH, json={**GOOD["xor"], "learning_rate": 0}).status_code == 422
        assert reached == [TRACE_PATH]  # played again to the route, which answered
        # The metrics see the lane's answers under the route's template.
        metrics = c.get("/metrics").text
    line = f'backprop_viz_http_requests_total{{method="POST",route="{TRACE_PATH}",status="200"}}'
    assert f"{line} 1.0" in metrics


def test_requests_at_once_each_get_the_answer_they_get_alone(base_url: str) -> None:
    """On the real server, many requests at once (answered in cohorts, stage by stage:
    app/api/cohorts.py) each get the status and bytes they get when sent alone, the bad
    among the good included."""
    # Not the body over the cap: refused before it is read, its connection closed while
    # the client still sends it (the body cap's own tests read that answer).
    bad = [b for name, b in BAD.items() if name != "too_large"]
    bodies = [content(b) for b in (*GOOD.values(), *bad)] * 3
    headers = {"content-type": "application/json", "accept-encoding": "identity"}
    with httpx.Client(base_url=base_url, timeout=20.0) as c:
        alone = {}
        for body in bodies:
            r = c.post(TRACE_PATH, content=body, headers=headers)
            alone[body] = (r.status_code, r.content)

    async def at_once() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=len(bodies))
        async with httpx.AsyncClient(base_url=base_url, timeout=20.0, limits=limits) as ac:
            return await asyncio.gather(
                *(ac.post(TRACE_PATH, content=body, headers=headers) for body in bodies)
            )

    answers = asyncio.run(at_once())
    assert [(r.status_code, r.content) for r in answers] == [alone[b] for b in bodies]
    assert {s for s, _ in alone.values()} >= {200, 422}


def test_requests_at_once_are_read_then_stepped_then_written_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lane's stages run for all the requests that arrived together before the next
    stage: every body read, then every step, then every answer written."""
    import app.api.trace as lane

    log: list[str] = []
    for name in ("plain_trace", "run_step", "dumps"):
        real = getattr(lane, name)

        def spy(*args: Any, _real: Any = real, _name: str = name) -> Any:
            log.append(_name)
            return _real(*args)

        monkeypatch.setattr(lane, name, spy)
    app = create_app()
    body = content(GOOD["xor"])
    sent: list[dict[str, Any]] = []

    async def one() -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": TRACE_PATH,
            "raw_path": TRACE_PATH.encode(), "query_string": b"", "root_path": "",
            "headers": [(b"content-type", b"application/json")],
            "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
        }  # fmt: skip
        await app(scope, receive, send)

    async def five_at_once() -> None:
        await asyncio.wait_for(asyncio.gather(*(one() for _ in range(5))), timeout=20)

    asyncio.run(five_at_once())
    assert log == ["plain_trace"] * 5 + ["run_step"] * 5 + ["dumps"] * 5
    starts = [m for m in sent if m["type"] == "http.response.start"]
    assert [m["status"] for m in starts] == [200] * 5
    answers = {m["body"] for m in sent if m["type"] == "http.response.body"}
    assert len(answers) == 1 and json.loads(answers.pop())["loss"] > 0
