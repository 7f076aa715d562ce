"""Shared by the engine and API suites: random valid networks, and the event order the
contract states."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

from hypothesis import strategies as st

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
LOSSES_FOR = {
    "softmax": ["squared_error", "mse", "cross_entropy"],
    "sigmoid": ["squared_error", "mse", "binary_cross_entropy"],
}


@st.composite
def examples(
    draw: st.DrawFn, max_width: int = 5, max_layers: int = 5, away_from_zero: float = 0.0
) -> tuple[dict[str, Any], list[float], list[float]]:
    """(network spec with weights and biases, input, target) for any architecture, activation
    and fitting loss. `away_from_zero` keeps every drawn number off 0 by that much."""
    layers = draw(st.lists(st.integers(1, max_width), min_size=2, max_size=max_layers))
    L = len(layers) - 1
    hidden = draw(st.lists(st.sampled_from(HIDDEN), min_size=L - 1, max_size=L - 1))
    output = draw(st.sampled_from([*HIDDEN, "softmax"]))
    if output == "softmax" and layers[-1] == 1:
        layers[-1] = 2
    loss = draw(st.sampled_from(LOSSES_FOR.get(output, ["squared_error", "mse"])))
    num = st.floats(-2, 2, allow_nan=False, allow_infinity=False)
    if away_from_zero:
        num = num.filter(lambda v: abs(v) > away_from_zero)
    unit = st.floats(0, 1)
    spec = {
        "layers": layers,
        "activations": [*hidden, output],
        "loss": loss,
        "weights": [
            [[draw(num) for _ in range(n_in)] for _ in range(n_out)]
            for n_in, n_out in itertools.pairwise(layers)
        ],
        "biases": [[draw(num) for _ in range(n)] for n in layers[1:]],
    }
    x = [draw(num) for _ in range(layers[0])]
    t = [draw(unit if "entropy" in loss else num) for _ in range(layers[-1])]
    return spec, x, t


def expected_order(layers: Sequence[int]) -> list[tuple[str, int | None, int | None]]:
    """(type, layer, node) of every event, in the order the contract states."""
    L = len(layers) - 1
    order: list[tuple[str, int | None, int | None]] = []
    order += [("forward", l, j) for l in range(1, L + 1) for j in range(layers[l])]
    order.append(("loss", None, None))
    for l in range(L, 0, -1):
        for j in range(layers[l]):
            order += [("backward", l, j), ("gradient", l, j)]
    order += [("update", l, j) for l in range(1, L + 1) for j in range(layers[l])]
    order.append(("done", None, None))
    return order
