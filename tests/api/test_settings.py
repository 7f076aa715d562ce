"""Limits live in settings (BACKPROP_VIZ_*), are published by /capabilities and enforced by
the API; and where the limits let numbers overflow, the answer is a clear 4xx, not NaN."""

from __future__ import annotations

import asyncio
import json
import math
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from app.main import create_app
from app.settings import Settings
from tests.api.helpers import (
    STREAM,
    TRACE,
    assert_error,
    nulls,
    post_json,
    preset,
    strict_loads,
    trace_ok,
)
from tests.server import running_server

MAX_NEURONS = 4
MAX_ABS_VALUE = 1e200  # large enough for a forward pass to overflow float64


@pytest.fixture(scope="module")
def configured() -> Iterator[httpx.Client]:
    env = {
        "BACKPROP_VIZ_MAX_NEURONS": str(MAX_NEURONS),
        "BACKPROP_VIZ_MAX_ABS_VALUE": str(MAX_ABS_VALUE),
    }
    with running_server(env=env) as url, httpx.Client(base_url=url, timeout=20.0) as c:
        yield c


def layered(layers: list[int], activation: str = "tanh") -> dict[str, Any]:
    return {
        "network": {
            "layers": layers,
            "activations": [activation] * (len(layers) - 1),
            "loss": "mse",
        },
        "input": [0.5] * layers[0],
        "target": [0.0] * layers[-1],
    }


def test_capabilities_report_the_settings(configured: httpx.Client) -> None:
    r = configured.get("/api/v1/capabilities")
    limits = strict_loads(r.text)["limits"]
    assert limits["max_neurons"] == MAX_NEURONS
    assert limits["max_abs_value"] == MAX_ABS_VALUE
    assert limits["max_layers"] == 10  # the others keep their defaults


def test_neuron_cap_from_settings_is_enforced(configured: httpx.Client) -> None:
    assert post_json(configured, TRACE, layered([2, MAX_NEURONS, 1])).status_code == 200
    too_wide = layered([2, MAX_NEURONS + 1, 1])
    for endpoint in (TRACE, STREAM, "/api/v1/gradcheck"):
        item = assert_error(
            post_json(configured, endpoint, too_wide), 422, ("network", "layers", 1)
        )
        assert str(MAX_NEURONS) in item["msg"]
    item = assert_error(
        post_json(configured, "/api/v1/network", too_wide["network"]), 422, ("layers", 1)
    )
    assert str(MAX_NEURONS) in item["msg"]


def test_default_server_allows_what_the_setting_refuses(client: httpx.Client) -> None:
    """The cap is the setting, not a number hard-coded in the API."""
    assert post_json(client, TRACE, layered([2, MAX_NEURONS + 1, 1])).status_code == 200


def _linear(weights: list[float], x: float, loss: str = "squared_error") -> dict[str, Any]:
    """A chain of one-neuron linear layers, zero biases, target 0, η = 1000."""
    return {
        "network": {
            "layers": [1] * (len(weights) + 1),
            "activations": ["linear"] * len(weights),
            "loss": loss,
            "weights": [[[w]] for w in weights],
            "biases": [[0.0] for _ in weights],
        },
        "input": [x],
        "target": [0.0],
        "learning_rate": 1000.0,
    }


_MAX_RELU = {
    "network": {
        "layers": [MAX_NEURONS] * 3,
        "activations": ["relu", "relu"],
        "loss": "squared_error",
        "weights": [[[MAX_ABS_VALUE] * MAX_NEURONS] * MAX_NEURONS] * 2,
        "biases": [[MAX_ABS_VALUE] * MAX_NEURONS] * 2,
    },
    "input": [1.0] * MAX_NEURONS,
    "target": [0.0] * MAX_NEURONS,
}

OVERFLOWS = [
    # Max-size relu weights: z₁ = 4·10²⁰⁰ + 10²⁰⁰ is finite, z₂ ≈ 10⁴⁰⁰ is not.
    pytest.param(_MAX_RELU, "z of layer 2", id="relu-forward"),
    # z = 10²⁰⁰ is fine, ½z² is not.
    pytest.param(_linear([1e200], 1.0), "loss", id="loss"),
    # l = (10¹¹⁰)² is fine; ∂l/∂w₂ = a₁ ∂l/∂z₂ = 10²¹⁰ · 2·10¹¹⁰ is not.
    pytest.param(_linear([1e200, 1e-100], 1e10, "mse"), "∂l/∂w of layer 2", id="gradient"),
    # ∂l/∂w₂ = 10³⁰⁶ is fine; w₂ − 1000 · 10³⁰⁶ is not.
    pytest.param(_linear([1e200, 1e-94], 1.0), "updated weights of layer 2", id="update"),
]


@pytest.mark.parametrize(("body", "names"), OVERFLOWS)
@pytest.mark.parametrize("endpoint", [TRACE, STREAM, "/api/v1/gradcheck"])
def test_overflow_is_a_clear_4xx(
    configured: httpx.Client, body: dict[str, Any], names: str, endpoint: str
) -> None:
    r = configured.post(endpoint, content=json.dumps(body).encode())
    item = assert_error(r, 422, (), "overflow")
    assert names in item["msg"], item["msg"]
    assert "nan" not in r.text.lower() and "infinity" not in r.text.lower()


def test_gradcheck_never_answers_null_for_a_number(configured: httpx.Client) -> None:
    """θ⁰ itself is fine (z² just below the float64 maximum), but θ + ε overflows the loss,
    so the central difference for w is ∞. The contract: a non-finite result is a clear error
    or a flagged value, never NaN in the JSON; orjson writes ∞ as null, which the
    documented schema (numbers) does not allow either."""
    x = 1e150
    w = math.sqrt(sys.float_info.max) / x
    while math.isinf((w * x) * (w * x)):  # the loss squares z: keep z² finite at θ⁰
        w = math.nextafter(w, 0.0)
    w_up = (w + 1e-6) * x
    assert math.isinf(w_up * w_up)  # but not at θ + ε
    body = {
        "network": {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "squared_error",
            "weights": [[[w]]],
            "biases": [[0.0]],
        },
        "input": [x],
        "target": [0.0],
    }
    trace_ok(configured, body)  # the step itself is finite
    r = post_json(configured, "/api/v1/gradcheck", body)
    assert r.status_code < 500
    answer = strict_loads(r.text)
    if r.status_code == 200:
        assert not nulls(answer), r.text
        assert answer["ok"] is False
    else:
        assert_error(r, 422, (), "overflow")


def test_configured_server_still_serves_presets(configured: httpx.Client) -> None:
    body = preset(configured, "worked-example-2-2-2")
    r = post_json(configured, TRACE, body)
    assert r.status_code == 200
    assert strict_loads(r.text)["loss"] == pytest.approx(0.298371109, abs=5e-10)


def test_app_factory_takes_settings_in_process() -> None:
    """In process (httpx's ASGI transport, no server): create_app(Settings(...)) takes its
    body cap from the settings too."""

    async def check() -> None:
        transport = httpx.ASGITransport(app=create_app(Settings(max_body_bytes=2048)))
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as ac:
            limits = (await ac.get("/api/v1/capabilities")).json()["limits"]
            assert limits["max_body_bytes"] == 2048
            body = (await ac.get("/api/v1/presets/worked-example-2-2-2")).json()
            small = json.dumps(body).encode()
            assert len(small) < 2048
            assert (await ac.post(TRACE, content=small)).status_code == 200
            r = await ac.post(TRACE, content=small[:-1] + b" " * 2048 + b"}")
            assert r.status_code == 413
            assert r.json()["detail"][0]["field"] == "body"

    asyncio.run(check())


def test_one_settings_object_with_the_limits_nested_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limits are the engine's Limits, nested once in the settings; their variables are
    as flat as the others, and a bad value names the setting instead of starting a server."""
    from dataclasses import fields

    from app.engine.limits import Limits

    monkeypatch.setenv("BACKPROP_VIZ_MAX_NEURONS", "7")
    monkeypatch.setenv("BACKPROP_VIZ_MAX_TRAIN_SECONDS", "2.5")
    monkeypatch.setenv("BACKPROP_VIZ_WORKERS", "3")
    settings = Settings()
    assert isinstance(settings.limits, Limits)
    assert (settings.limits.max_neurons, settings.limits.max_train_seconds) == (7, 2.5)
    assert settings.limits.max_layers == Limits().max_layers  # the default, from one place
    assert settings.workers == 3
    assert not {f.name for f in fields(Limits)} & set(Settings.model_fields)
    monkeypatch.setenv("BACKPROP_VIZ_MAX_NEURONS", "many")
    with pytest.raises(ValueError, match="max_neurons"):
        Settings()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BACKPROP_VIZ_MAX_NOISE", "0.6"),  # past the generators' 50 %
        ("BACKPROP_VIZ_MAX_SEED", str(2**32)),  # past numpy's seeds
        ("BACKPROP_VIZ_MAX_EXERCISE_SEED", "-1"),
        ("BACKPROP_VIZ_MAX_TEST_RATIO", "1"),  # nothing left to train on
        ("BACKPROP_VIZ_MAX_LAYERS", "1"),  # no network has fewer than 2
    ],
)
def test_a_cap_outside_its_bounds_does_not_start_a_server(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bounds are the ones Limits declares with each cap (its fields' metadata)."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValueError, match=variable.removeprefix("BACKPROP_VIZ_").lower()):
        Settings()


def test_the_training_caps_are_the_settings() -> None:
    """max_test_ratio, max_noise and max_seed, once constants, are settings: published,
    documented in the request schemas and enforced with the field named."""
    settings = Settings(limits={"max_test_ratio": 0.6, "max_noise": 0.2, "max_seed": 1000})
    net = {"layers": [2, 2, 1], "activations": ["tanh", "sigmoid"], "loss": "binary_cross_entropy"}

    def dataset(**fields: Any) -> dict[str, Any]:
        return {"network": net, "dataset": {"name": "xor", "samples": 20, **fields}}

    async def check() -> None:
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as ac:
            limits = (await ac.get("/api/v1/capabilities")).json()["limits"]
            assert (limits["max_test_ratio"], limits["max_noise"], limits["max_seed"]) == (
                0.6,
                0.2,
                1000,
            )
            schemas = (await ac.get("/openapi.json")).json()["components"]["schemas"]
            spec = schemas["DatasetSpec"]["properties"]
            assert spec["test_ratio"]["maximum"] == 0.6
            assert spec["seed"]["maximum"] == 1000
            assert schemas["NetworkSpec"]["properties"]["seed"]["maximum"] == 1000
            assert schemas["TrainRequest"]["properties"]["seed"]["maximum"] == 1000
            ok = dataset(test_ratio=0.6, noise=0.2, seed=1000)
            assert (await ac.post("/api/v1/dataset", json=ok)).status_code == 200
            for field, value in (("test_ratio", 0.7), ("noise", 0.25), ("seed", 1001)):
                r = await ac.post("/api/v1/dataset", json=dataset(**{field: value}))
                assert_error(r, 422, ("dataset", field))
            r = await ac.post("/api/v1/network", json={**net, "seed": 1001})
            assert_error(r, 422, ("seed",))
            body = {**dataset(), "epochs": 1, "seed": 1001}
            r = await ac.post("/api/v1/train/stream", json=body)
            assert_error(r, 422, ("seed",), "1000")

    asyncio.run(check())
