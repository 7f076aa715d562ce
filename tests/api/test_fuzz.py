"""Fuzzing the running server: valid requests mutated at random (fields dropped, wrong
types, huge and non-finite numbers, random nesting, broken JSON text) must never get a 5xx,
and every answer must be valid JSON (NDJSON for a successful stream)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import REQUIRED_PRESETS, STREAM, TRACE, nulls, preset, strict_loads

ENDPOINTS = [TRACE, STREAM, "/api/v1/gradcheck", "/api/v1/cost", "/api/v1/network"]

numbers = st.one_of(
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -0.0, 1, -1, 64, 65, 1e6, 1e6 + 1, 1e300, -1e308, 5e-324, 2**32]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=8))
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON tree, the root included."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += paths(v, (*prefix, i))
    return out


def mutate(data: st.DataObject, body: Any) -> Any:
    path = data.draw(st.sampled_from(paths(body)), label="path")
    op = data.draw(
        st.sampled_from(["renumber", "renumber", "drop", "replace", "wrap", "extend", "add_key"]),
        label="op",
    )
    if not path:
        return data.draw(json_values) if op == "replace" else [body] if op == "wrap" else body
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    key = path[-1]
    if op == "renumber" and isinstance(parent[key], (int, float)):
        # Keeps the shape valid, so the request gets past parsing into the engine.
        parent[key] = data.draw(numbers, label="number")
    elif op == "drop":
        del parent[key]
    elif op == "replace":
        parent[key] = data.draw(json_values, label="value")
    elif op == "wrap":
        parent[key] = [parent[key]]
    elif op == "extend" and isinstance(parent[key], list):
        parent[key].append(data.draw(json_values, label="item"))
    elif op == "add_key" and isinstance(parent[key], dict):
        parent[key][data.draw(st.text(max_size=8), label="key")] = data.draw(json_values)
    return body


def check_answer(r: httpx.Response, endpoint: str) -> None:
    assert r.status_code < 500, (r.status_code, r.text)
    assert 200 <= r.status_code < 300 or 400 <= r.status_code < 500, r.status_code
    if r.status_code == 200 and endpoint == STREAM:
        lines = [line for line in r.text.splitlines() if line.strip()]
        events = [strict_loads(line) for line in lines]
        assert events and events[-1]["type"] == "done"
        assert not nulls(events), r.text
        return
    body = strict_loads(r.text)
    if r.status_code == 200:
        assert not nulls(body), r.text
    if r.status_code >= 400:
        item = body["detail"][0]
        assert item["loc"][0] == "body" and isinstance(item["field"], str) and item["msg"]


@pytest.fixture(scope="module")
def bodies(client: httpx.Client) -> dict[str, dict[str, Any]]:
    return {name: preset(client, name) for name in REQUIRED_PRESETS}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_requests_never_break_the_server(
    client: httpx.Client, bodies: dict[str, dict[str, Any]], data: st.DataObject
) -> None:
    body = json.loads(json.dumps(bodies[data.draw(st.sampled_from(REQUIRED_PRESETS))]))
    endpoint = data.draw(st.sampled_from(ENDPOINTS), label="endpoint")
    if endpoint == "/api/v1/network":
        body = body["network"]
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        body = mutate(data, body)
    text = json.dumps(body).encode()  # NaN, ±Infinity become their JS literals
    if data.draw(st.integers(0, 9), label="break the text?") == 0:
        cut = data.draw(st.integers(0, len(text)), label="cut")
        text = text[:cut] + data.draw(st.binary(max_size=4), label="junk")
    r = client.post(endpoint, content=text)
    check_answer(r, endpoint)
