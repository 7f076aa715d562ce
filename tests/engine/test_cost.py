"""app/engine/cost.py: the gradient's cost both ways. Counts against P counted here from the
layers; the central differences it times against a central difference written here, on a
forward pass written here (plain Python floats, sigmoid or tanh, squared error); the
estimate's arithmetic; the sample spread over ∇L(θ)."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest

from app.engine import Limits, Network, NonFiniteError
from app.engine.cost import (
    GradientCost,
    drawn_example,
    gradient_cost,
    sampled_parameters,
    sweep_network,
    sweep_shapes,
)
from app.engine.gradcheck import numeric_partials


def count_parameters(layers: list[int]) -> int:
    """Every weight (fan_in × fan_out) and every bias (fan_out), layer by layer."""
    total = 0
    for l in range(1, len(layers)):
        total += layers[l - 1] * layers[l] + layers[l]
    return total


def oracle_loss(spec: dict[str, Any], x: list[float], t: list[float]) -> float:
    """½Σ(a − t)² after a forward pass in plain Python."""
    sigma = {"sigmoid": lambda z: 1.0 / (1.0 + math.exp(-z)), "tanh": math.tanh}
    a = list(x)
    for w, b, name in zip(spec["weights"], spec["biases"], spec["activations"], strict=True):
        a = [
            sigma[name](sum(wi * ai for wi, ai in zip(row, a, strict=True)) + bj)
            for row, bj in zip(w, b, strict=True)
        ]
    return 0.5 * sum((ak - tk) ** 2 for ak, tk in zip(a, t, strict=True))


def oracle_gradient(
    spec: dict[str, Any], x: list[float], t: list[float], eps: float
) -> list[float]:
    """(l(θ + ε) − l(θ − ε)) / 2ε for every weight (row by row, layer by layer), then every
    bias: the lecture's column vector ∇L(θ)."""
    slots = [
        ("weights", l, j, i)
        for l, w in enumerate(spec["weights"])
        for j, row in enumerate(w)
        for i in range(len(row))
    ] + [("biases", l, j, None) for l, b in enumerate(spec["biases"]) for j in range(len(b))]
    grads = []
    for kind, l, j, i in slots:
        shifted = []
        for sign in (1.0, -1.0):
            probe = copy.deepcopy(spec)
            if kind == "weights":
                probe["weights"][l][j][i] += sign * eps
            else:
                probe["biases"][l][j] += sign * eps
            shifted.append(oracle_loss(probe, x, t))
        grads.append((shifted[0] - shifted[1]) / (2 * eps))
    return grads


SHAPES = [[2, 2, 2], [2, 3, 1], [3, 4, 4, 2], [2, 8, 8, 8, 8, 8, 8, 1]]


def _explicit(layers: list[int], activation: str, seed: int) -> tuple[Network, dict[str, Any]]:
    drawn = Network.from_spec(
        {
            "layers": layers,
            "activations": [activation] * (len(layers) - 1),
            "loss": "squared_error",
            "seed": seed,
        }
    )
    spec = drawn.to_spec()
    spec["weights"] = [w.tolist() for w in drawn.weights]
    # Biases away from 0, so a bias's place in ∇L(θ) matters.
    spec["biases"] = [[0.1 * (j + 1) - 0.2 for j in range(len(b))] for b in drawn.biases]
    return Network.from_spec(spec), spec


@pytest.mark.parametrize("layers", SHAPES, ids=str)
def test_counts_are_2p_and_1_plus_1(layers: list[int]) -> None:
    network, _ = _explicit(layers, "sigmoid", 3)
    x, t = drawn_example(network, 3)
    cost = gradient_cost(network, x, t, sample=1000, repeats=1)
    p = count_parameters(layers)
    out = cost.to_json()
    assert out["parameters"] == p
    assert out["finite_differences"]["forward_passes"] == 2 * p
    assert out["backprop"] == {**out["backprop"], "forward_passes": 1, "backward_passes": 1}
    assert out["finite_differences"]["measured_parameters"] == p  # sample ≥ P: all of them
    assert out["finite_differences"]["measured_passes"] == 2 * p
    assert out["finite_differences"]["estimated"] is False
    assert out["finite_differences"]["seconds"] == out["finite_differences"]["measured_seconds"]


def test_the_largest_network_counts_without_differencing_all() -> None:
    limits = Limits()
    layers = [limits.max_neurons] * limits.max_layers
    network = sweep_network(layers, limits)
    x, t = drawn_example(network, 0)
    cost = gradient_cost(network, x, t, sample=6, repeats=1)
    p = count_parameters(layers)
    assert p == 9 * (64 * 64 + 64) == 37_440
    assert (cost.parameters, cost.finite_difference_passes) == (p, 2 * p)
    assert (cost.measured_parameters, cost.measured_passes, cost.estimated) == (6, 12, True)


@pytest.mark.parametrize(("layers", "activation"), [([2, 2, 2], "sigmoid"), ([3, 4, 4, 2], "tanh")])
def test_the_central_differences_are_the_oracles_and_agree_with_backprop(
    layers: list[int], activation: str
) -> None:
    network, spec = _explicit(layers, activation, 11)
    x, t = drawn_example(network, 11)
    eps = 1e-6
    oracle = np.array(oracle_gradient(spec, x.tolist(), t.tolist(), eps))
    which = np.arange(oracle.size)
    numeric = numeric_partials(network, x, t, which, eps)
    np.testing.assert_allclose(numeric, oracle, rtol=1e-6, atol=1e-9)
    # Backprop's gradient (inside gradient_cost) against the oracle: max_abs_difference is
    # |backprop − central difference|, so it is within the two differences' noise.
    cost = gradient_cost(network, x, t, sample=oracle.size, repeats=1, epsilon=eps)
    assert cost.max_abs_difference < 1e-8
    assert cost.max_abs_difference >= 0.0


def test_a_sampled_difference_is_the_oracles_at_that_parameter() -> None:
    network, spec = _explicit([3, 4, 4, 2], "sigmoid", 5)
    x, t = drawn_example(network, 5)
    oracle = np.array(oracle_gradient(spec, x.tolist(), t.tolist(), 1e-6))
    which = sampled_parameters(oracle.size, 7)
    np.testing.assert_allclose(
        numeric_partials(network, x, t, which), oracle[which], rtol=1e-6, atol=1e-9
    )


@pytest.mark.parametrize(
    ("p", "sample"), [(12, 128), (12, 12), (12, 5), (393, 128), (37_440, 128), (5, 1), (1, 3)]
)
def test_the_sample_is_spread_evenly_ends_included(p: int, sample: int) -> None:
    which = sampled_parameters(p, sample).tolist()
    k = min(p, sample)
    assert len(which) == len(set(which)) == k
    assert which == sorted(which)
    assert which[0] == 0 and all(0 <= i < p for i in which)
    if k > 1:
        assert which[-1] == p - 1
        gaps = np.diff(which)
        assert gaps.max() - gaps.min() <= 1  # as even as whole numbers allow


def test_the_estimate_is_the_measured_time_per_pass_times_2p() -> None:
    network, _ = _explicit([2, 8, 8, 8, 8, 8, 8, 1], "sigmoid", 2)
    x, t = drawn_example(network, 2)
    cost = gradient_cost(network, x, t, sample=16, repeats=3)
    fd = cost.to_json()["finite_differences"]
    assert fd["estimated"] is True
    assert (fd["measured_parameters"], fd["measured_passes"], fd["forward_passes"]) == (16, 32, 786)
    per_pass = fd["measured_seconds"] / 32
    assert fd["seconds"] == pytest.approx(per_pass * 786, rel=1e-12)
    assert fd["measured_seconds"] > 0 and cost.backprop_seconds > 0
    # The sampled central differences compared with backprop's at the same parameters.
    assert cost.max_abs_difference < 1e-8
    assert cost.to_json()["ratio"] == pytest.approx(fd["seconds"] / cost.backprop_seconds)


def test_the_estimate_arithmetic_on_given_numbers() -> None:
    """GradientCost's arithmetic alone: 0.004 s for 2·8 passes → 0.00025 s a pass × 2·100."""
    cost = GradientCost((1, 1), 100, 0.001, 8, 0.004, 0.0, 1e-6, 5)
    assert cost.finite_difference_seconds == pytest.approx(0.00025 * 200)
    assert cost.to_json()["ratio"] == pytest.approx(50.0)
    whole = GradientCost((1, 1), 8, 0.001, 8, 0.004, 0.0, 1e-6, 5)
    assert whole.finite_difference_seconds == 0.004 and not whole.estimated


def test_nothing_in_the_answer_is_nan() -> None:
    network, _ = _explicit([2, 3, 1], "tanh", 1)
    x, t = drawn_example(network, 1)
    out = gradient_cost(network, x, t, sample=4, repeats=2).to_json()

    def numbers(node: Any) -> list[float]:
        if isinstance(node, dict):
            return [n for v in node.values() for n in numbers(v)]
        if isinstance(node, list):
            return [n for v in node for n in numbers(v)]
        return [node] if isinstance(node, (int, float)) else []

    assert all(math.isfinite(n) for n in numbers(out))


def test_an_overflow_is_a_non_finite_error() -> None:
    """z = w·x = 10²⁰⁰·10²⁰⁰ is ∞ in float64 (limits raised so the spec may say so)."""
    network = Network.from_spec(
        {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "squared_error",
            "weights": [[[1e200]]],
            "biases": [[0.0]],
        },
        Limits(max_abs_value=1e300),
    )
    with pytest.raises(NonFiniteError):
        gradient_cost(network, np.array([1e200]), np.array([0.0]), sample=1, repeats=1)


def test_drawn_example_fits_every_loss_and_is_the_seeds() -> None:
    network = Network.from_spec(
        {"layers": [5, 3, 4], "activations": ["tanh", "softmax"], "loss": "cross_entropy"}
    )
    x, t = drawn_example(network, 9)
    assert x.shape == (5,) and np.all(np.abs(x) <= 1.0)
    assert sorted(t.tolist()) == [0.0, 0.0, 0.0, 1.0]
    x2, t2 = drawn_example(network, 9)
    assert np.array_equal(x, x2) and np.array_equal(t, t2)
    assert not np.array_equal(drawn_example(network, 10)[0], x)


def test_sweep_shapes_go_from_2_2_2_to_the_largest_accepted() -> None:
    shapes = sweep_shapes(Limits())
    assert shapes[0] == (2, 2, 2)
    assert shapes[-1] == (64,) * 10
    assert (2, 8, 8, 8, 8, 8, 8, 1) in shapes
    counts = [count_parameters(list(s)) for s in shapes]
    assert counts == sorted(counts) and len(set(counts)) == len(counts)
    small = Limits(max_layers=4, max_neurons=8)
    fitted = sweep_shapes(small)
    assert fitted[0] == (2, 2, 2) and fitted[-1] == (8, 8, 8, 8)
    assert all(len(s) <= 4 and max(s) <= 8 for s in fitted)


def test_sample_and_repeats_below_one_are_refused() -> None:
    network, _ = _explicit([2, 2, 2], "sigmoid", 0)
    x, t = drawn_example(network, 0)
    with pytest.raises(ValueError):
        gradient_cost(network, x, t, sample=0)
    with pytest.raises(ValueError):
        gradient_cost(network, x, t, sample=1, repeats=0)
