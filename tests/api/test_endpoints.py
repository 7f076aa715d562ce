"""The other endpoints: health, capabilities, presets, network, gradcheck, OpenAPI, docs."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from tests.api.helpers import REQUIRED_PRESETS, post_json, preset, strict_loads, trace_ok

ACTIVATIONS = {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"}
LOSSES = {"squared_error", "mse", "binary_cross_entropy", "cross_entropy"}
INITS = {"xavier", "he", "uniform", "zeros"}


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def get_json(client: httpx.Client, path: str) -> Any:
    r = client.get(path)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return strict_loads(r.text)


def test_healthz(client: httpx.Client) -> None:
    assert get_json(client, "/healthz") == {"status": "ok"}


def test_capabilities(capabilities: dict[str, Any]) -> None:
    by_name = {a["name"]: a for a in capabilities["activations"]}
    assert set(by_name) >= ACTIVATIONS
    assert by_name["softmax"]["output_only"] is True
    assert not any(by_name[a]["output_only"] for a in ACTIVATIONS - {"softmax"})
    losses = {loss["name"]: loss for loss in capabilities["losses"]}
    assert set(losses) >= LOSSES
    assert losses["binary_cross_entropy"]["output_activations"] == ["sigmoid"]
    assert losses["cross_entropy"]["output_activations"] == ["softmax"]
    assert set(capabilities["inits"]) >= INITS
    limits = capabilities["limits"]
    # The defaults: 10 layers, 64 neurons, 1 MiB (no BACKPROP_VIZ_* set here).
    assert limits["max_layers"] == 10
    assert limits["max_neurons"] == 64
    assert limits["max_body_bytes"] == 1024 * 1024
    for key in ("max_abs_value", "max_learning_rate", "max_gradcheck_parameters"):
        assert limits[key] > 0, key
    assert capabilities["leaky_relu_slope"] == 0.01


def test_presets_list(client: httpx.Client) -> None:
    listed = get_json(client, "/api/v1/presets")
    names = [p["name"] for p in listed]
    assert set(names) >= set(REQUIRED_PRESETS)
    assert len(names) == len(set(names))
    for p in listed:
        body = preset(client, p["name"])
        net = body["network"]
        assert (p["layers"], p["activations"], p["loss"]) == (
            net["layers"],
            net["activations"],
            net["loss"],
        )
        assert (p["input"], p["target"], p["learning_rate"]) == (
            body["input"],
            body["target"],
            body["learning_rate"],
        )
        assert p["title"] and p["description"]


def test_every_preset_traces(client: httpx.Client, preset_names: list[str]) -> None:
    for name in preset_names:
        body = preset(client, name)
        result = trace_ok(client, body)
        assert len(result["layers"]) == len(body["network"]["layers"])
        assert result["layers"][0]["a"] == body["input"]
        assert result["loss"] >= 0


def test_lecture_2_input(client: httpx.Client) -> None:
    body = preset(client, "lecture-2-input")
    assert body["input"] == [1, -1]
    assert body["network"]["weights"][0] == [[1, -2], [-1, 1]]
    assert body["network"]["biases"][0] == [1, 0]
    result = trace_ok(client, body)
    first = result["layers"][1]
    assert first["z"] == [4.0, -2.0]  # 1·1 − 2·(−1) + 1, −1·1 + 1·(−1) + 0
    assert first["a"] == pytest.approx([sigmoid(4), sigmoid(-2)], rel=1e-15)
    assert [round(a, 2) for a in first["a"]] == [0.98, 0.12]
    # The course's outputs of the whole network: 0.62 and 0.83.
    assert [round(a, 2) for a in result["layers"][-1]["a"]] == [0.62, 0.83]


def network_spec(init: str, seed: int, layers: list[int] | None = None) -> dict[str, Any]:
    return {
        "layers": layers or [3, 5, 2],
        "activations": ["tanh", "sigmoid"],
        "loss": "squared_error",
        "init": init,
        "seed": seed,
    }


def post_network(client: httpx.Client, spec: dict[str, Any]) -> dict[str, Any]:
    r = post_json(client, "/api/v1/network", spec)
    assert r.status_code == 200, r.text
    return strict_loads(r.text)


@pytest.mark.parametrize("init", sorted(INITS))
def test_network_fills_weights_deterministically(client: httpx.Client, init: str) -> None:
    spec = network_spec(init, 42)
    first, again = post_network(client, spec), post_network(client, spec)
    other = post_network(client, {**spec, "seed": 43})
    assert first == again
    assert [len(w) for w in first["weights"]] == [5, 2]  # out × in
    assert [len(row) for w in first["weights"] for row in w] == [3] * 5 + [5] * 2
    assert first["biases"] == [[0.0] * 5, [0.0] * 2]  # biases start at 0 under every init
    assert (first["layers"], first["activations"], first["loss"]) == (
        [3, 5, 2],
        ["tanh", "sigmoid"],
        "squared_error",
    )
    flat = [w for layer in first["weights"] for row in layer for w in row]
    if init == "zeros":
        assert set(flat) == {0.0}
        assert other == first
    else:
        assert len(set(flat)) == len(flat)  # drawn, not constant
        assert other["weights"] != first["weights"]
    if init == "uniform":
        assert all(-1.0 <= w <= 1.0 for w in flat)
    if init == "xavier":  # Glorot uniform: |w| ≤ √(6 / (fan_in + fan_out))
        for (fan_in, fan_out), layer in zip([(3, 5), (5, 2)], first["weights"], strict=True):
            bound = math.sqrt(6 / (fan_in + fan_out))
            assert all(abs(w) <= bound for row in layer for w in row)


def test_network_keeps_explicit_weights_and_traces(client: httpx.Client) -> None:
    body = preset(client, "xor")
    spec = post_network(client, body["network"])
    assert spec["weights"] == body["network"]["weights"]
    assert spec["biases"] == body["network"]["biases"]
    drawn = post_network(client, network_spec("he", 7))
    result = trace_ok(client, {"network": drawn, "input": [0.1, 0.2, 0.3], "target": [0, 1]})
    assert len(result["layers"]) == 3
    # Omitting the weights in /trace draws the same θ⁰ as /network did.
    same = trace_ok(
        client, {"network": network_spec("he", 7), "input": [0.1, 0.2, 0.3], "target": [0, 1]}
    )
    assert same == result


@pytest.mark.parametrize("name", REQUIRED_PRESETS)
def test_gradcheck_on_presets(client: httpx.Client, name: str) -> None:
    body = preset(client, name)
    r = post_json(client, "/api/v1/gradcheck", body)
    assert r.status_code == 200, r.text
    check = strict_loads(r.text)
    assert check["ok"] is True
    assert 0 <= check["max_rel_diff"] < 1e-5
    assert 0 <= check["max_abs_diff"] < 1e-8
    assert check["epsilon"] == 1e-6
    result = trace_ok(client, body)
    layers = result["layers"][1:]
    assert check["analytic"]["weights"] == [layer["dl_dw"] for layer in layers]
    assert check["analytic"]["biases"] == [layer["dl_db"] for layer in layers]
    # And the numeric side, checked here too rather than trusting "ok".
    for side in ("weights", "biases"):
        a = _flatten(check["analytic"][side])
        n = _flatten(check["numeric"][side])
        assert n == pytest.approx(a, rel=1e-5, abs=1e-8)


def _flatten(nested: Any) -> list[float]:
    if isinstance(nested, list):
        return [v for item in nested for v in _flatten(item)]
    return [nested]


def test_gradcheck_parameter_cap(client: httpx.Client, limits: dict[str, Any]) -> None:
    """A network over max_gradcheck_parameters is refused before the slow part."""
    n, cap = limits["max_neurons"], limits["max_gradcheck_parameters"]
    per_layer = n * n + n
    L = min(limits["max_layers"] - 1, cap // per_layer + 1)
    # The default limits admit networks above the cap (3 layers of 64: 12,480 parameters).
    assert L * per_layer > cap, "the limits allow no network above the gradcheck cap"
    body = {
        "network": {"layers": [n] * (L + 1), "activations": ["tanh"] * L, "loss": "mse"},
        "input": [0.1] * n,
        "target": [0.0] * n,
    }
    r = post_json(client, "/api/v1/gradcheck", body)
    assert r.status_code == 422
    item = strict_loads(r.text)["detail"][0]
    assert item["field"] == "network.layers"
    assert str(cap) in item["msg"].replace(",", "")


def test_openapi(client: httpx.Client) -> None:
    doc = get_json(client, "/openapi.json")
    for path in (
        "/api/v1/trace",
        "/api/v1/trace/stream",
        "/api/v1/gradcheck",
        "/api/v1/network",
        "/api/v1/presets",
        "/api/v1/presets/{name}",
        "/api/v1/capabilities",
    ):
        assert path in doc["paths"], path
    schemas = doc["components"]["schemas"]
    assert {"TraceRequest", "NetworkSpec"} <= set(schemas)
    ref = doc["paths"]["/api/v1/trace"]["post"]["requestBody"]["content"]["application/json"]
    assert ref["schema"]["$ref"] == "#/components/schemas/TraceRequest"
    stream_body = doc["paths"]["/api/v1/trace/stream"]["post"]["requestBody"]
    assert stream_body["content"]["application/json"]["schema"]["$ref"].endswith("TraceRequest")
    # Every $ref in the document resolves.
    for target in _refs(doc):
        assert target.removeprefix("#/components/schemas/") in schemas, target
    trace_fields = set(schemas["TraceRequest"]["properties"])
    assert {"network", "input", "target", "learning_rate", "freeze_biases"} <= trace_fields
    assert {"layers", "activations", "loss", "weights", "biases", "init", "seed"} <= set(
        schemas["NetworkSpec"]["properties"]
    )


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return out + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def test_docs_page(client: httpx.Client) -> None:
    r = client.get("/docs")
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
    assert "openapi.json" in r.text
