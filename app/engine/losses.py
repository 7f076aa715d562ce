"""Loss functions l(a, t) and ∂l/∂a: where the backward pass starts (the lecture's case 1).

The cross-entropies read the output layer's z as well as a: computing them from z keeps
ln 0 out (log-sigmoid, log-softmax), and their ∂l/∂z has a closed form that stays exact
when σ saturates, where ∂l/∂a · σ'(z) would be ∞ · 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
_TINY = np.finfo(np.float64).tiny


@dataclass(frozen=True)
class Loss:
    name: str
    formula: str  # LaTeX
    value: Callable[[Array, Array, Array], float]  # l(z, a, t) of the output layer
    dl_da: Callable[[Array, Array], Array]  # ∂l/∂a(a, t)
    # lⁿ of every row of a batch (z, a, t of shape n × K): the training loop's losses.
    values: Callable[[Array, Array, Array], Array]
    # ∂l/∂z straight from (z, a, t) when the output activation is fixed and a stable
    # closed form exists; None means ∂l/∂z = σ'(z) ∂l/∂a as for any other neuron.
    dl_dz: Callable[[Array, Array, Array], Array] | None = None
    output_activations: tuple[str, ...] | None = None  # None: any activation fits
    targets_in_unit_interval: bool = False


def _log_sigmoid(z: Array) -> Array:
    # ln σ(z) = −softplus(−z), stable at z = ±1000.
    return -(np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z))))


def _log_softmax(z: Array) -> Array:
    shifted = z - np.max(z)
    return shifted - np.log(np.sum(np.exp(shifted)))


def _log_softmax_rows(z: Array) -> Array:
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def _row_dots(u: Array, v: Array) -> Array:
    # Each row's u·v as a stack of 1 × K by K × 1 products: the same sum, bit for bit, as
    # np.dot on one example (np.sum(u * v, axis=-1) adds in another order).
    return (u[:, None, :] @ v[:, :, None])[:, 0, 0]


def _squared_error(z: Array, a: Array, t: Array) -> float:
    d = a - t
    return 0.5 * float(np.dot(d, d))


def _mse(z: Array, a: Array, t: Array) -> float:
    d = a - t
    return float(np.dot(d, d)) / len(d)


def _bce(z: Array, a: Array, t: Array) -> float:
    # ln(1 − σ(z)) = ln σ(−z)
    return -float(np.mean(t * _log_sigmoid(z) + (1.0 - t) * _log_sigmoid(-z)))


def _bce_dl_da(a: Array, t: Array) -> Array:
    # (a − t) / (K a (1 − a)); the denominator is kept off 0 so a saturated σ reports a
    # huge but finite slope (its ∂l/∂z comes from the closed form below anyway).
    return (a - t) / (a.shape[-1] * np.maximum(a * (1.0 - a), _TINY))


def _cross_entropy(z: Array, a: Array, t: Array) -> float:
    return -float(np.dot(t, _log_softmax(z)))


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            "squared_error",
            r"l = \tfrac{1}{2}\sum_k (a_k - t_k)^2",
            _squared_error,
            lambda a, t: a - t,
            values=lambda z, a, t: 0.5 * _row_dots(a - t, a - t),
        ),
        Loss(
            "mse",
            r"l = \tfrac{1}{K}\sum_k (a_k - t_k)^2",
            _mse,
            lambda a, t: 2.0 * (a - t) / a.shape[-1],
            values=lambda z, a, t: _row_dots(a - t, a - t) / a.shape[-1],
        ),
        Loss(
            "binary_cross_entropy",
            r"l = -\tfrac{1}{K}\sum_k \left[t_k \ln a_k + (1 - t_k)\ln(1 - a_k)\right]",
            _bce,
            _bce_dl_da,
            dl_dz=lambda z, a, t: (a - t) / a.shape[-1],
            output_activations=("sigmoid",),
            targets_in_unit_interval=True,
            values=lambda z, a, t: (
                -np.mean(t * _log_sigmoid(z) + (1.0 - t) * _log_sigmoid(-z), axis=-1)
            ),
        ),
        Loss(
            "cross_entropy",
            r"l = -\sum_k t_k \ln \operatorname{softmax}(z)_k",
            _cross_entropy,
            lambda a, t: -t / np.maximum(a, _TINY),
            # Jᵀ(−t/a) = a Σt − t: exact for any t, no division.
            dl_dz=lambda z, a, t: a * np.sum(t, axis=-1, keepdims=True) - t,
            output_activations=("softmax",),
            targets_in_unit_interval=True,
            values=lambda z, a, t: -_row_dots(t, _log_softmax_rows(z)),
        ),
    )
}
