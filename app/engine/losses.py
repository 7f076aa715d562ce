"""Loss functions l(a, t) and ∂l/∂a: where the backward pass starts (the lecture's case 1).

The cross-entropies read the output layer's z as well as a: computing them from z keeps
ln 0 out (log-sigmoid, log-softmax), and their ∂l/∂z has a closed form that stays exact
when σ saturates, where ∂l/∂a · σ'(z) would be ∞ · 0.

Rows are examples: z, a and t are n × K, and a loss gives one lⁿ per row (for one
example given as vectors, one scalar).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.engine.activations import Activation, row_dots

Array = np.ndarray
_TINY = np.finfo(np.float64).tiny


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str  # LaTeX
    value: Callable[[Array, Array, Array], Array]  # lⁿ of every row, from (z, a, t)
    dl_da: Callable[[Array, Array], Array]  # ∂l/∂a(a, t)
    # ∂l/∂z straight from (z, a, t) when the output activation is fixed and a stable
    # closed form exists; None: ∂l/∂z is the output activation's backward step of ∂l/∂a.
    dl_dz: Callable[[Array, Array, Array], Array] | None = None
    output_activations: tuple[str, ...] | None = None  # None: any activation fits
    targets_in_unit_interval: bool = False

    def output_gradient(
        self, z: Array, a: Array, t: Array, activation: Activation
    ) -> tuple[Array, Array | None, Array | None]:
        """Case 1, the output layer: ∂l/∂z, and the ∂l/∂a and σ'(z) it went through (None
        where the closed form skips them: training needs ∂l/∂z only)."""
        if self.dl_dz is not None:
            return self.dl_dz(z, a, t), None, None
        dl_da = self.dl_da(a, t)
        dl_dz, da_dz = activation.backward(z, a, dl_da)
        return dl_dz, dl_da, da_dz

    def shown_output(
        self, z: Array, a: Array, t: Array, activation: Activation
    ) -> tuple[Array, Array | None]:
        """The output layer's ∂l/∂a and σ'(z) that the closed form skipped, for the trace
        to show (the same functions, so the same bits as on the way to ∂l/∂z)."""
        da_dz = activation.derivative(z, a) if activation.derivative is not None else None
        return self.dl_da(a, t), da_dz


def _log_sigmoid(z: Array) -> Array:
    # ln σ(z) = −softplus(−z), stable at z = ±1000.
    return -(np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z))))


def _log_softmax(z: Array) -> Array:
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _bce(z: Array, a: Array, t: Array) -> Array:
    # ln(1 − σ(z)) = ln σ(−z)
    return -np.mean(t * _log_sigmoid(z) + (1.0 - t) * _log_sigmoid(-z), axis=-1)


def _bce_dl_da(a: Array, t: Array) -> Array:
    # (a − t) / (K a (1 − a)); the denominator is kept off 0 so a saturated σ reports a
    # huge but finite slope (its ∂l/∂z comes from the closed form below anyway).
    return (a - t) / (a.shape[-1] * np.maximum(a * (1.0 - a), _TINY))


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            "squared_error",
            r"l = \tfrac{1}{2}\sum_k (a_k - t_k)^2",
            lambda z, a, t: 0.5 * row_dots(a - t, a - t),
            lambda a, t: a - t,
        ),
        Loss(
            "mse",
            r"l = \tfrac{1}{K}\sum_k (a_k - t_k)^2",
            lambda z, a, t: row_dots(a - t, a - t) / a.shape[-1],
            lambda a, t: 2.0 * (a - t) / a.shape[-1],
        ),
        Loss(
            "binary_cross_entropy",
            r"l = -\tfrac{1}{K}\sum_k \left[t_k \ln a_k + (1 - t_k)\ln(1 - a_k)\right]",
            _bce,
            _bce_dl_da,
            dl_dz=lambda z, a, t: (a - t) / a.shape[-1],
            output_activations=("sigmoid",),
            targets_in_unit_interval=True,
        ),
        Loss(
            "cross_entropy",
            r"l = -\sum_k t_k \ln \operatorname{softmax}(z)_k",
            lambda z, a, t: -row_dots(t, _log_softmax(z)),
            lambda a, t: -t / np.maximum(a, _TINY),
            # Jᵀ(−t/a) = a Σt − t: exact for any t, no division.
            dl_dz=lambda z, a, t: a * np.sum(t, axis=-1, keepdims=True) - t,
            output_activations=("softmax",),
            targets_in_unit_interval=True,
        ),
    )
}
