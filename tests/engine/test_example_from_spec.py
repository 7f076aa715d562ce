"""example_from_spec, the trace request's checks at once (one reduction over every number
sent), against its oracle: network_from_spec, check_example and check_learning_rate run
one after the other, each with its own checks. For good input the same arrays bit for bit;
for bad input the same first error (loc, msg, type, ctx), however many faults there are
and wherever they sit."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine import (
    Limits,
    Network,
    SpecError,
    check_example,
    check_learning_rate,
    example_from_spec,
)

LIMITS = Limits()
CAP = LIMITS.max_abs_value


def one_by_one(spec: Any, x: Any, t: Any, eta: Any) -> tuple[Network, Any, Any, float]:
    network = Network.from_spec(spec, LIMITS)
    x_arr, t_arr = check_example(network, x, t, LIMITS)
    return network, x_arr, t_arr, check_learning_rate(eta, LIMITS)


def outcome(build: Any, *args: Any) -> Any:
    """What a builder makes of the request: its arrays as bits, or its SpecError."""
    try:
        network, x, t, eta = build(*args)
    except SpecError as exc:
        return ("error", exc.loc, exc.msg, exc.kind, exc.ctx)
    arrays = [*network.weights, *network.biases, x, t]
    return (
        "ok",
        network.layers,
        network.activations,
        network.loss,
        [(a.dtype, a.shape, a.tobytes()) for a in arrays],
        eta,
    )


def assert_same(spec: Any, x: Any, t: Any, eta: Any) -> Any:
    expected = outcome(one_by_one, spec, x, t, eta)
    assert outcome(example_from_spec, spec, x, t, eta, LIMITS) == expected
    return expected


def request(layers: list[int], seed: int = 0) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    pairs = list(itertools.pairwise(layers))
    return {
        "spec": {
            "layers": layers,
            "activations": ["tanh"] * (len(layers) - 2) + ["sigmoid"],
            "loss": "binary_cross_entropy",
            "weights": [rng.uniform(-1, 1, (o, i)).tolist() for i, o in pairs],
            "biases": [rng.uniform(-1, 1, o).tolist() for o in layers[1:]],
        },
        "x": rng.uniform(-1, 1, layers[0]).tolist(),
        "t": rng.uniform(0, 1, layers[-1]).tolist(),
        "eta": 0.5,
    }


def test_a_good_request_gives_the_same_arrays() -> None:
    r = request([2, 3, 3, 1])
    assert assert_same(r["spec"], r["x"], r["t"], r["eta"])[0] == "ok"


# Values that break one check each: not finite, over the cap (by a hair, and negative), a
# wrong type; and values at the very edge that must pass.
BAD_VALUES = [float("nan"), float("inf"), -float("inf"), CAP * (1 + 2**-52), -2 * CAP, "1.5", None]
EDGE_VALUES = [CAP, -CAP, -0.0, 5e-324, True, 3]


def places(r: dict[str, Any]) -> list[tuple[str, ...]]:
    """Where a number can go: each layer's first weight and bias, x and t."""
    n = len(r["spec"]["weights"])
    return [
        *[("weights", str(l)) for l in range(n)],
        *[("biases", str(l)) for l in range(n)],
        ("x",),
        ("t",),
    ]


def put(r: dict[str, Any], place: tuple[str, ...], value: Any) -> None:
    if place[0] in ("x", "t"):
        r[place[0]][-1] = value
    elif place[0] == "weights":
        r["spec"]["weights"][int(place[1])][-1][0] = value
    else:
        r["spec"]["biases"][int(place[1])][0] = value


@pytest.mark.parametrize("value", BAD_VALUES + EDGE_VALUES, ids=repr)
def test_one_value_anywhere(value: Any) -> None:
    for place in places(request([2, 3, 2, 1])):
        r = request([2, 3, 2, 1])
        put(r, place, value)
        assert_same(r["spec"], r["x"], r["t"], r["eta"])


def test_of_two_faults_the_first_in_the_checks_order_is_named() -> None:
    base = request([2, 3, 2, 1])
    for (p1, v1), (p2, v2) in itertools.permutations(
        [(p, v) for p in places(base) for v in (float("nan"), 3 * CAP)], 2
    ):
        r = request([2, 3, 2, 1])
        put(r, p1, v1)
        put(r, p2, v2)
        assert_same(r["spec"], r["x"], r["t"], r["eta"])


def shape_faults(r: dict[str, Any]) -> list[tuple[str, Any]]:
    spec = r["spec"]
    w, b = spec["weights"], spec["biases"]
    return [
        ("weights", w[:-1]),
        ("weights", [w[0][:-1], *w[1:]]),
        ("weights", [[w[0][0][:-1], *w[0][1:]], *w[1:]]),
        ("weights", [[[*w[0][0], 0.0], *w[0][1:]], *w[1:]]),
        ("weights", [w[0][0], *w[1:]]),
        ("weights", [[[[v] for v in w[0][0]], *w[0][1:]], *w[1:]]),
        ("weights", "ab"),
        ("weights", {str(i): layer for i, layer in enumerate(w)}),
        ("weights", [tuple(map(tuple, layer)) for layer in w]),
        ("weights", [np.asarray(layer) for layer in w]),
        ("weights", [np.asarray(layer).T for layer in w]),
        ("biases", b[:-1]),
        ("biases", [b[0][:-1], *b[1:]]),
        ("biases", [[b[0]], *b[1:]]),
        ("biases", [np.asarray(v, dtype=np.float32) for v in b]),
        ("biases", None),
        ("weights", None),
        ("x", r["x"][:-1]),
        ("x", [r["x"]]),
        ("x", np.asarray(r["x"])),
        ("t", [*r["t"], 0.5]),
        ("t", "0"),
        ("t", 0.5),
        ("eta", 0.0),
        ("eta", 1e9),
        ("eta", "0.5"),
        ("eta", True),
    ]


@pytest.mark.parametrize("index", range(len(shape_faults(request([2, 3, 1])))))
def test_each_shape_or_type_fault_alone_and_beside_a_value_fault(index: int) -> None:
    for layers in ([2, 3, 1], [1, 1], [3, 2, 2, 2]):
        for value_at in [None, *places(request(layers))]:
            r = request(layers)
            where, fault = shape_faults(r)[index]
            if value_at is not None:
                put(r, value_at, 2 * CAP)
            if where in ("weights", "biases"):
                r["spec"][where] = fault
            else:
                r[where] = fault
            assert_same(r["spec"], r["x"], r["t"], r["eta"])


def test_targets_outside_the_unit_interval_and_a_bad_eta() -> None:
    r = request([2, 2, 2])
    r["t"] = [1.5, -0.5]
    assert assert_same(r["spec"], r["x"], r["t"], -1.0)[1] == ("target", 0)


def test_a_spec_fault_comes_before_any_number() -> None:
    r = request([2, 2, 1])
    r["spec"]["loss"] = "hinge"
    r["x"] = [float("nan")]
    assert assert_same(r["spec"], r["x"], r["t"], r["eta"])[1] == ("network", "loss")


@settings(max_examples=150, deadline=None)
@given(
    layers=st.lists(st.integers(1, 4), min_size=2, max_size=5),
    seed=st.integers(0, 2**16),
    faults=st.lists(
        st.tuples(st.integers(0, 100), st.sampled_from(BAD_VALUES + EDGE_VALUES)), max_size=3
    ),
    drop=st.sampled_from([None, "weights", "biases"]),
)
def test_random_requests_with_random_faults(
    layers: list[int], seed: int, faults: list[tuple[int, Any]], drop: str | None
) -> None:
    r = request(layers, seed)
    where = places(r)
    for i, value in faults:
        put(r, where[i % len(where)], value)
    if drop:
        del r["spec"][drop]
    assert_same(r["spec"], r["x"], r["t"], r["eta"])
