"""POST /trace/stream, NDJSON and SSE, read incrementally: the same step as POST /trace,
event by event, in the order the contract states."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.api.helpers import (
    NDJSON,
    REQUIRED_PRESETS,
    SSE,
    STREAM,
    assert_error,
    post_json,
    preset,
    read_ndjson,
    read_sse,
    strict_loads,
    trace_ok,
)
from tests.strategies import expected_order


def stream_events(client: httpx.Client, body: dict[str, Any], fmt: str) -> list[dict[str, Any]]:
    headers = {"accept": SSE} if fmt == "sse" else {}
    with client.stream("POST", STREAM, content=json.dumps(body).encode(), headers=headers) as r:
        assert r.status_code == 200, r.read()
        media_type = r.headers["content-type"].split(";")[0].strip()
        assert media_type == (SSE if fmt == "sse" else NDJSON)
        return read_sse(r) if fmt == "sse" else read_ndjson(r)


def assert_events_match_trace(events: list[dict[str, Any]], trace: dict[str, Any]) -> None:
    layers = trace["layers"]
    weights, biases = trace["network"]["weights"], trace["network"]["biases"]
    L = len(layers) - 1
    for e in events:
        kind, l, j = e["type"], e.get("layer"), e.get("node")
        if kind == "forward":
            assert (e["z"], e["a"]) == (layers[l]["z"][j], layers[l]["a"][j]), e
        elif kind == "loss":
            assert e["loss"] == trace["loss"]
            assert e["dl_da"] == layers[L]["dl_da"]
        elif kind == "backward":
            da_dz = layers[l]["da_dz"]
            assert e["dl_da"] == layers[l]["dl_da"][j], e
            assert e["da_dz"] == (None if da_dz is None else da_dz[j]), e
            assert e["dl_dz"] == layers[l]["dl_dz"][j], e
        elif kind == "gradient":
            assert e["dl_dw"] == layers[l]["dl_dw"][j], e
            assert e["dl_db"] == layers[l]["dl_db"][j], e
        elif kind == "update":
            assert e["w"] == weights[l - 1][j], e
            assert e["b"] == biases[l - 1][j], e
        elif kind == "done":
            assert e["loss"] == trace["loss"]
        else:
            pytest.fail(f"unknown event type {kind!r}")


def order_of(events: list[dict[str, Any]]) -> list[tuple[str, int | None, int | None]]:
    return [(e["type"], e.get("layer"), e.get("node")) for e in events]


@pytest.mark.parametrize("fmt", ["ndjson", "sse"])
@pytest.mark.parametrize("freeze_biases", [False, True])
@pytest.mark.parametrize("name", REQUIRED_PRESETS)
def test_stream_equals_trace(
    client: httpx.Client, name: str, fmt: str, freeze_biases: bool
) -> None:
    body = {**preset(client, name), "freeze_biases": freeze_biases}
    events = stream_events(client, body, fmt)
    trace = trace_ok(client, body)
    assert order_of(events) == expected_order(body["network"]["layers"])
    assert_events_match_trace(events, trace)
    with_events = trace_ok(client, {**body, "include_events": True})
    assert with_events["events"] == events  # exactly the stream's list
    assert {k: v for k, v in with_events.items() if k != "events"} == trace


def test_ndjson_is_the_default_and_sse_is_asked_for(client: httpx.Client) -> None:
    body = preset(client, "xor")
    for accept, media_type in [
        (None, NDJSON),
        ("application/json", NDJSON),
        ("*/*", NDJSON),
        (SSE, SSE),
        (f"{SSE}, */*;q=0.1", SSE),
    ]:
        headers = {"accept": accept} if accept else {}
        r = post_json(client, STREAM, body, headers=headers)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].split(";")[0] == media_type, accept


def test_gradient_events_carry_a_times_dl_dz(client: httpx.Client) -> None:
    """∂l/∂w = a × ∂l/∂z, checked on the events themselves."""
    body = preset(client, "lecture-2-input")
    events = stream_events(client, body, "ndjson")
    a = {0: body["input"]}
    for e in events:
        if e["type"] == "forward":
            a.setdefault(e["layer"], []).append(e["a"])
    dl_dz = {(e["layer"], e["node"]): e["dl_dz"] for e in events if e["type"] == "backward"}
    for e in events:
        if e["type"] == "gradient":
            l, j = e["layer"], e["node"]
            expected = [a_i * dl_dz[l, j] for a_i in a[l - 1]]
            assert e["dl_dw"] == pytest.approx(expected, rel=1e-12, abs=1e-300)
            assert e["dl_db"] == dl_dz[l, j]


def test_update_events_are_one_gradient_step(client: httpx.Client) -> None:
    body = preset(client, "softmax-classifier")
    eta = body["learning_rate"]
    events = stream_events(client, body, "sse")
    grads = {(e["layer"], e["node"]): e for e in events if e["type"] == "gradient"}
    for e in events:
        if e["type"] == "update":
            l, j = e["layer"], e["node"]
            w0 = body["network"]["weights"][l - 1][j]
            b0 = body["network"]["biases"][l - 1][j]
            g = grads[l, j]
            assert e["w"] == pytest.approx(
                [w - eta * d for w, d in zip(w0, g["dl_dw"], strict=True)]
            )
            assert e["b"] == pytest.approx(b0 - eta * g["dl_db"])


def test_ndjson_wire_format(client: httpx.Client) -> None:
    """On the wire (no compression): one whole JSON event per line, no blank lines, one
    line per event, however the server groups its writes."""
    body = preset(client, "worked-example-2-2-2")
    body["network"] = {
        "layers": [2, 8, 8, 8, 8, 8, 8, 1],
        "activations": ["tanh"] * 6 + ["sigmoid"],
        "loss": "squared_error",
        "init": "xavier",
        "seed": 1,
    }
    body["target"] = [1]
    with client.stream(
        "POST", STREAM, content=json.dumps(body).encode(), headers={"accept-encoding": "identity"}
    ) as r:
        assert r.status_code == 200
        assert "content-encoding" not in r.headers
        wire = b"".join(r.iter_raw())
    assert wire.endswith(b"\n")
    lines = wire.decode().split("\n")[:-1]
    events = [strict_loads(line) for line in lines]  # no blank lines, no partial ones
    assert order_of(events) == expected_order(body["network"]["layers"])


def test_bad_request_to_either_stream_format_is_plain_json(client: httpx.Client) -> None:
    """Checked before the first byte: a 4xx JSON body, never a stream cut short."""
    body = preset(client, "xor")
    body["target"] = [2.0]
    for headers in ({}, {"accept": SSE}):
        r = post_json(client, STREAM, body, headers=headers)
        assert_error(r, 422, ("target", 0), "[0, 1]")
