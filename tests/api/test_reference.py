"""Random valid networks over HTTP against an independent oracle: the scalar autograd of
tests/engine/reference.py (it shares no code with the engine), plus σ'(z) and the update
worked out here from their formulas. Also: the stream says what /trace says, for them too."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.api.helpers import STREAM, preset, read_ndjson, trace_ok
from tests.engine.reference import reference_step
from tests.strategies import examples, expected_order


def sigma_prime(name: str, z: float) -> float | None:
    if name == "sigmoid":
        s = 1.0 / (1.0 + math.exp(-z))
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - math.tanh(z) ** 2
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    if name == "leaky_relu":
        return 1.0 if z > 0 else 0.01
    if name == "linear":
        return 1.0
    return None  # softmax: no per-neuron σ'(z)


def close(actual: list[float], expected: list[float]) -> None:
    assert actual == pytest.approx(expected, rel=1e-9, abs=1e-12)


def check_against_oracle(req: dict[str, Any], body: dict[str, Any]) -> None:
    spec = req["network"]
    ref = reference_step(spec, req["input"], req["target"])
    eta = req.get("learning_rate", 0.5)
    freeze = req.get("freeze_biases", False)
    assert body["loss"] == pytest.approx(ref["loss"], rel=1e-9, abs=1e-12)
    L = len(spec["layers"]) - 1
    for l in range(1, L + 1):
        layer, name = body["layers"][l], spec["activations"][l - 1]
        close(layer["z"], ref["z"][l - 1])
        close(layer["a"], ref["a"][l - 1])
        close(layer["dl_dz"], ref["dl_dz"][l - 1])
        close(layer["dl_db"], ref["dl_db"][l - 1])
        for row, ref_row in zip(layer["dl_dw"], ref["dl_dw"][l - 1], strict=True):
            close(row, ref_row)
        if name == "softmax":
            assert layer["da_dz"] is None
        else:
            close(layer["da_dz"], [sigma_prime(name, z) for z in layer["z"]])
        if l < L:  # case 2: ∂l/∂a = Σ_k w_kj ∂l/∂z_k over the next layer
            w_next = spec["weights"][l]
            dl_dz_next = ref["dl_dz"][l]
            expected = [
                sum(w_next[k][j] * dl_dz_next[k] for k in range(len(w_next)))
                for j in range(spec["layers"][l])
            ]
            close(layer["dl_da"], expected)
        # θ¹ = θ⁰ − η ∇L(θ⁰)
        for row, w0, g in zip(
            body["network"]["weights"][l - 1],
            spec["weights"][l - 1],
            ref["dl_dw"][l - 1],
            strict=True,
        ):
            close(row, [w - eta * d for w, d in zip(w0, g, strict=True)])
        b0, gb = spec["biases"][l - 1], ref["dl_db"][l - 1]
        close(
            body["network"]["biases"][l - 1],
            b0 if freeze else [b - eta * d for b, d in zip(b0, gb, strict=True)],
        )


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    # Away from relu's kink: z ≈ 0 could fall on either side in two summation orders.
    spec, x, t = draw(examples(max_width=4, max_layers=4, away_from_zero=1e-3))
    return {
        "network": spec,
        "input": x,
        "target": t,
        "learning_rate": draw(st.floats(1e-3, 2)),
        "freeze_biases": draw(st.booleans()),
    }


def kinked(req: dict[str, Any], body: dict[str, Any]) -> bool:
    return any(
        name in ("relu", "leaky_relu") and min(abs(z) for z in layer["z"]) < 1e-9
        for name, layer in zip(req["network"]["activations"], body["layers"][1:], strict=True)
    )


@settings(max_examples=30, deadline=None)
@given(req=requests())
def test_random_networks_match_the_oracle(client: httpx.Client, req: dict[str, Any]) -> None:
    body = trace_ok(client, req)
    if not kinked(req, body):
        check_against_oracle(req, body)
    with client.stream("POST", STREAM, content=json.dumps(req).encode()) as r:
        assert r.status_code == 200
        events = read_ndjson(r)
    assert [(e["type"], e.get("layer"), e.get("node")) for e in events] == expected_order(
        req["network"]["layers"]
    )
    assert trace_ok(client, {**req, "include_events": True})["events"] == events


@pytest.mark.parametrize(
    "name", ["worked-example-2-2-2", "lecture-2-input", "xor", "softmax-classifier"]
)
def test_presets_match_the_oracle(client: httpx.Client, name: str) -> None:
    req = preset(client, name)
    check_against_oracle(req, trace_ok(client, req))
