"""Numerically hard requests: saturated sigmoid, softmax of large z, and the largest relu
network the limits allow. Expected values are computed here, from the formulas, with
Python's math and decimal modules."""

from __future__ import annotations

import math
from decimal import Decimal, getcontext
from typing import Any

import httpx
import pytest

from tests.api.helpers import trace_ok


def one_layer(
    activation: str, loss: str, w: list[float], x: list[float], t: list[float], eta: float = 0.5
) -> dict[str, Any]:
    """A single-layer network: len(x) inputs, len(w) // len(x) outputs, zero biases."""
    n_in, n_out = len(x), len(w) // len(x)
    rows = [w[j * n_in : (j + 1) * n_in] for j in range(n_out)]
    return {
        "network": {
            "layers": [n_in, n_out],
            "activations": [activation],
            "loss": loss,
            "weights": [rows],
            "biases": [[0.0] * n_out],
        },
        "input": x,
        "target": t,
        "learning_rate": eta,
    }


def test_sigmoid_at_plus_minus_1000_with_bce(client: httpx.Client) -> None:
    body = trace_ok(
        client, one_layer("sigmoid", "binary_cross_entropy", [1000.0, -1000.0], [1.0], [0.0, 1.0])
    )
    out = body["layers"][1]
    assert out["z"] == [1000.0, -1000.0]
    # σ(1000) = 1 − 5e-435 and σ(−1000) = 5e-435: 1.0 and 0.0 in float64.
    assert out["a"] == [1.0, 0.0]
    assert out["da_dz"] == [0.0, 0.0]
    # −(1/2)[ln(1 − σ(1000)) + ln σ(−1000)] = softplus(1000) = 1000 + ln(1 + e^−1000)
    assert body["loss"] == pytest.approx(1000.0, rel=1e-12)
    # ∂l/∂z = (a − t)/K, exact even though σ'(z) underflowed to 0
    assert out["dl_dz"] == pytest.approx([0.5, -0.5], rel=1e-12)
    assert out["dl_dw"] == [[0.5], [-0.5]]
    # ∂l/∂a = (a − t)/(K a(1 − a)) is ±1e434 in truth: finite here, with the right signs.
    assert out["dl_da"][0] > 1e300 and out["dl_da"][1] < -1e300
    assert body["network"]["weights"] == [[[1000 - 0.25], [-1000 + 0.25]]]


def test_sigmoid_at_plus_minus_1000_with_squared_error(client: httpx.Client) -> None:
    body = trace_ok(
        client, one_layer("sigmoid", "squared_error", [1000.0, -1000.0], [1.0], [0.0, 1.0])
    )
    out = body["layers"][1]
    assert out["a"] == [1.0, 0.0]
    assert body["loss"] == pytest.approx(1.0, rel=1e-12)  # ½(1² + 1²)
    assert out["dl_da"] == pytest.approx([1.0, -1.0], rel=1e-12)
    # σ'(±1000) ≈ 5e-435: the gradient vanishes (the saturation the lecture warns about).
    assert all(abs(v) < 1e-300 for v in out["dl_dz"])


def test_saturated_hidden_sigmoid_and_tanh(client: httpx.Client) -> None:
    for hidden in ("sigmoid", "tanh"):
        req = {
            "network": {
                "layers": [1, 2, 1],
                "activations": [hidden, "linear"],
                "loss": "mse",
                "weights": [[[1000.0], [-1000.0]], [[2.0, 3.0]]],
                "biases": [[0.0, 0.0], [0.0]],
            },
            "input": [1.0],
            "target": [0.0],
        }
        body = trace_ok(client, req)
        a_hidden = [1.0, 0.0] if hidden == "sigmoid" else [1.0, -1.0]
        assert body["layers"][1]["a"] == a_hidden
        assert body["layers"][1]["da_dz"] == [0.0, 0.0]
        z_out = 2.0 * a_hidden[0] + 3.0 * a_hidden[1]
        assert body["layers"][2]["z"] == [pytest.approx(z_out)]
        assert body["loss"] == pytest.approx(z_out**2)
        assert body["layers"][2]["dl_dz"] == [pytest.approx(2 * z_out)]
        assert all(abs(v) < 1e-300 for v in body["layers"][1]["dl_dz"])


def softmax_decimal(z: list[float]) -> list[Decimal]:
    getcontext().prec = 50
    e = [Decimal(v).exp() for v in z]
    total = sum(e)
    return [v / total for v in e]


def test_softmax_of_large_z_with_cross_entropy(client: httpx.Client) -> None:
    z = [1000.0, 999.0, -1000.0]
    body = trace_ok(client, one_layer("softmax", "cross_entropy", z, [1.0], [0.0, 1.0, 0.0]))
    out = body["layers"][1]
    a = softmax_decimal(z)
    assert out["z"] == z
    assert out["a"] == pytest.approx([float(v) for v in a], rel=1e-14, abs=1e-300)
    assert out["da_dz"] is None  # softmax has no per-neuron σ'(z)
    assert body["loss"] == pytest.approx(float(-a[1].ln()), rel=1e-14)  # 1 + ln(1 + e⁻¹)
    expected_dl_dz = [float(a[0]), float(a[1] - 1), float(a[2])]  # a − t
    assert out["dl_dz"] == pytest.approx(expected_dl_dz, rel=1e-12, abs=1e-300)


def test_softmax_of_huge_z_with_mse(client: httpx.Client) -> None:
    # z = ±10¹²: e^z overflows unless softmax shifts by max z first.
    body = trace_ok(client, one_layer("softmax", "mse", [1e6, 0.0, -1e6], [1e6], [0, 1, 0]))
    out = body["layers"][1]
    assert out["z"] == [1e12, 0.0, -1e12]
    assert out["a"] == [1.0, 0.0, 0.0]
    assert body["loss"] == pytest.approx(2 / 3, rel=1e-14)  # (1² + 1² + 0²)/3
    assert out["dl_da"] == pytest.approx([2 / 3, -2 / 3, 0.0], rel=1e-14)
    # J = diag(a) − a aᵀ is 0 at a one-hot a, so ∂l/∂z = Jᵀ ∂l/∂a = 0.
    assert out["dl_dz"] == [0.0, 0.0, 0.0]


def test_cross_entropy_of_a_confident_wrong_softmax(client: httpx.Client) -> None:
    # softmax(z)₁ = e^−2000 / …: ln of it must come from log-softmax, not ln(0).
    body = trace_ok(
        client, one_layer("softmax", "cross_entropy", [1000.0, -1000.0], [1.0], [0.0, 1.0])
    )
    assert body["layers"][1]["a"] == [1.0, 0.0]
    assert body["loss"] == pytest.approx(2000.0, rel=1e-12)
    assert body["layers"][1]["dl_dz"] == pytest.approx([1.0, -1.0], rel=1e-12)


def test_relu_derivative_at_zero_is_zero(client: httpx.Client) -> None:
    body = trace_ok(
        client, one_layer("relu", "squared_error", [1.0, -1.0, 0.5], [2.0], [1.0, 1.0, 1.0])
    )
    out = body["layers"][1]
    assert out["z"] == [2.0, -2.0, 1.0]
    assert out["da_dz"] == [1.0, 0.0, 1.0]
    zero = trace_ok(client, one_layer("relu", "squared_error", [0.0], [5.0], [1.0]))
    assert zero["layers"][1]["z"] == [0.0]
    assert zero["layers"][1]["da_dz"] == [0.0]  # relu'(0) = 0, as PyTorch
    assert zero["layers"][1]["dl_dz"] == [0.0]
    leaky = trace_ok(
        client, one_layer("leaky_relu", "squared_error", [0.0, -1.0], [5.0], [1.0, 1.0])
    )
    assert leaky["layers"][1]["da_dz"] == [0.01, 0.01]
    assert leaky["layers"][1]["a"] == [0.0, -0.05]


def test_largest_relu_network_stays_finite_and_right(
    client: httpx.Client, limits: dict[str, Any]
) -> None:
    """Every weight, bias and input at max_abs_value, as many layers and neurons as allowed,
    the largest η. Under the default limits nothing overflows (|z| ≈ 10⁷⁶): the answer must
    be exact, not NaN. (Where it does overflow, see test_settings.py.)"""
    M, n, L = limits["max_abs_value"], limits["max_neurons"], limits["max_layers"] - 1
    eta = limits["max_learning_rate"]
    req = {
        "network": {
            "layers": [n] * (L + 1),
            "activations": ["relu"] * L,
            "loss": "squared_error",
            "weights": [[[M] * n for _ in range(n)] for _ in range(L)],
            "biases": [[M] * n for _ in range(L)],
        },
        "input": [M] * n,
        "target": [0.0] * n,
        "learning_rate": eta,
    }
    body = trace_ok(client, req)
    # Every neuron of a layer is alike: z_l = n M a_{l−1} + M, and a = z (all positive).
    a = [M]
    for _ in range(L):
        a.append(n * M * a[-1] + M)
    dl_dz = [0.0] * (L + 1)
    dl_dz[L] = a[L]  # ½Σ(a − 0)²
    for l in range(L - 1, 0, -1):
        dl_dz[l] = n * M * dl_dz[l + 1]
    assert body["loss"] == pytest.approx(0.5 * n * a[L] ** 2, rel=1e-12)
    assert math.isfinite(body["loss"])
    for l in range(1, L + 1):
        layer = body["layers"][l]
        assert layer["z"] == pytest.approx([a[l]] * n, rel=1e-12), l
        assert layer["dl_dz"] == pytest.approx([dl_dz[l]] * n, rel=1e-12), l
        g = dl_dz[l] * a[l - 1]
        assert layer["dl_dw"][0][0] == pytest.approx(g, rel=1e-12)
        assert body["network"]["weights"][l - 1][-1][-1] == pytest.approx(M - eta * g, rel=1e-12)
