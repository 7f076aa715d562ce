"""Why backpropagation: what the gradient ∇L(θ) costs, counted and timed.

Central finite differences need two forward passes per parameter, (l(θ + ε) − l(θ − ε)) / 2ε
for each of the P parameters: 2P forward passes. Backpropagation needs one forward and one
backward pass for all of them at once. Both are run here on the same network and example
(the math is gradcheck.py's and trace.py's), their times are the median of `repeats` runs,
and the two gradients are compared.

For a large P every one of the 2P forward passes on every request would cost seconds of a
shared CPU, so at most `sample` parameters are differenced (spread evenly over ∇L(θ), first
and last included): the count stays exact (2P) and the time is estimated as the measured
time per forward pass × 2P, which the answer says (`estimated`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from statistics import median
from typing import Any, TypeVar

import numpy as np

from app.engine.gradcheck import numeric_partials
from app.engine.limits import Limits
from app.engine.network import Network
from app.engine.trace import trace

Array = np.ndarray
R = TypeVar("R")
TICK = time.get_clock_info("perf_counter").resolution

REPEATS = 5  # runs of each measurement; their median is the time reported
SWEEP_ACTIVATION = "sigmoid"  # the lecture's σ, on every layer of the sweep's networks
SWEEP_LOSS = "squared_error"
# The sweep's networks, smallest first: the lecture's 2-2-2, the deep preset 2-8×6-1, then
# wider and deeper up to the largest the limits accept (added by sweep_shapes).
SWEEP_SHAPES: tuple[tuple[int, ...], ...] = (
    (2, 2, 2),
    (2, 8, 8, 8, 8, 8, 8, 1),
    (16, 16, 16, 16),
    (32, 32, 32, 32, 32, 32),
    (64, 64, 64, 64, 64, 64),
)


@dataclass(frozen=True)
class GradientCost:
    """The gradient's cost both ways, for one network and one example."""

    layers: tuple[int, ...]
    parameters: int  # P
    backprop_seconds: float  # median time of one forward + one backward pass
    measured_parameters: int  # k ≤ P parameters differenced
    measured_seconds: float  # median time of those 2k forward passes
    max_abs_difference: float  # the largest |backprop − central difference| over the k
    epsilon: float
    repeats: int

    @property
    def finite_difference_passes(self) -> int:
        return 2 * self.parameters

    @property
    def measured_passes(self) -> int:
        return 2 * self.measured_parameters

    @property
    def estimated(self) -> bool:
        return self.measured_parameters < self.parameters

    @property
    def finite_difference_seconds(self) -> float:
        """The measured time per forward pass × 2P (exactly the measured time when k = P)."""
        if not self.estimated:
            return self.measured_seconds
        return self.measured_seconds / self.measured_passes * self.finite_difference_passes

    def to_json(self) -> dict[str, Any]:
        fd = self.finite_difference_seconds
        return {
            "layers": list(self.layers),
            "parameters": self.parameters,
            "backprop": {
                "forward_passes": 1,
                "backward_passes": 1,
                "seconds": self.backprop_seconds,
            },
            "finite_differences": {
                "forward_passes": self.finite_difference_passes,
                "seconds": fd,
                "measured_parameters": self.measured_parameters,
                "measured_passes": self.measured_passes,
                "measured_seconds": self.measured_seconds,
                "estimated": self.estimated,
            },
            "ratio": fd / self.backprop_seconds,
            "max_abs_difference": self.max_abs_difference,
            "epsilon": self.epsilon,
            "repeats": self.repeats,
        }


def sampled_parameters(parameters: int, sample: int) -> Array:
    """min(sample, P) parameter numbers spread evenly over 0 … P − 1, both ends included,
    each once (the step (P − 1)/(k − 1) is at least 1)."""
    k = min(sample, parameters)
    if k <= 1:
        return np.zeros(k, dtype=np.int64)
    return np.arange(k, dtype=np.int64) * (parameters - 1) // (k - 1)


def _median_seconds(run: Callable[[], R], repeats: int) -> tuple[float, R]:
    """The median wall time of `repeats` runs, never below one tick of the clock, and what
    the last run returned."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return max(median(times), TICK), result


def gradient_cost(
    network: Network,
    x: Array,
    t: Array,
    sample: int,
    learning_rate: float = 0.5,
    freeze_biases: bool = False,
    epsilon: float = 1e-6,
    repeats: int = REPEATS,
) -> GradientCost:
    """Time backprop (trace: forward, backward, ∂l/∂w = a × ∂l/∂z, and the step θ¹, which
    only adds to backprop's side) and central differences on at most `sample` parameters.

    Raises NonFiniteError (from trace or numeric_partials) if a value overflows."""
    if sample < 1 or repeats < 1:
        raise ValueError("sample and repeats must be at least 1")
    step = trace(network, x, t, learning_rate, freeze_biases)  # also checks that nothing overflows
    analytic = np.concatenate(
        [*(lt.dl_dw.ravel() for lt in step.layers), *(lt.dl_db for lt in step.layers)]
    )
    which = sampled_parameters(network.parameter_count, sample)
    backprop, _ = _median_seconds(
        lambda: trace(network, x, t, learning_rate, freeze_biases), repeats
    )
    measured, numeric = _median_seconds(
        lambda: numeric_partials(network, x, t, which, epsilon), repeats
    )
    return GradientCost(
        layers=network.layers,
        parameters=network.parameter_count,
        backprop_seconds=backprop,
        measured_parameters=int(which.size),
        measured_seconds=measured,
        max_abs_difference=float(np.abs(analytic[which] - numeric).max()),
        epsilon=epsilon,
        repeats=repeats,
    )


def drawn_example(network: Network, seed: int) -> tuple[Array, Array]:
    """An input in [−1, 1] and a one-hot target, drawn from `seed`: an example any loss
    accepts, for a request that names a shape only."""
    rng = np.random.default_rng([seed, 1])  # not the stream init drew the weights from
    x = rng.uniform(-1.0, 1.0, network.layers[0])
    t = np.zeros(network.layers[-1])
    t[int(rng.integers(network.layers[-1]))] = 1.0
    return x, t


def sweep_shapes(limits: Limits) -> list[tuple[int, ...]]:
    """SWEEP_SHAPES that fit `limits`, then the largest network they accept."""
    fits = [s for s in SWEEP_SHAPES if len(s) <= limits.max_layers and max(s) <= limits.max_neurons]
    largest = (limits.max_neurons,) * limits.max_layers
    if largest not in fits:
        fits.append(largest)
    return sorted(fits, key=parameter_count)


def parameter_count(layers: Sequence[int]) -> int:
    """Σ (fan_in + 1) × fan_out: every weight and every bias."""
    return sum((n_in + 1) * n_out for n_in, n_out in pairwise(layers))


def sweep_network(layers: Sequence[int], limits: Limits, seed: int = 0) -> Network:
    """A sweep network: σ on every layer, squared error, Xavier weights from `seed`."""
    spec = {
        "layers": list(layers),
        "activations": [SWEEP_ACTIVATION] * (len(layers) - 1),
        "loss": SWEEP_LOSS,
        "seed": seed,
    }
    return Network.from_spec(spec, limits)
