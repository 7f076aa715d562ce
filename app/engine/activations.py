"""Activation functions σ, each beside its derivative and its backward step, micrograd-style.

In the backward pass each neuron is an amplifier that multiplies ∂l/∂a by σ'(z); z is
known from the forward pass, so σ'(z) is a constant there. Softmax is the exception: its
Jacobian is not diagonal, so it has no per-neuron σ'(z) and its backward step multiplies
∂l/∂a by the whole Jacobian (a Jacobian-vector product, J never formed).

Rows are examples: z, a and ∂l/∂a are n × neurons, and every function works row by row
(one example may come as one vector, without the example axis: the last axis is neurons).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray
# (z, a, ∂l/∂a) → (∂l/∂z, the amplifier σ'(z) it used, or None for softmax)
Backward = Callable[[Array, Array, Array], tuple[Array, Array | None]]


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str  # LaTeX, for the page and the capabilities list
    derivative_formula: str | None
    forward: Callable[[Array], Array]  # a = σ(z)
    # σ'(z), given z and a = σ(z) (some derivatives read best in terms of a); None: softmax.
    derivative: Callable[[Array, Array], Array] | None
    backward: Backward  # ∂l/∂z from ∂l/∂a
    output_only: bool = False


def _amplifier(derivative: Callable[[Array, Array], Array]) -> Backward:
    """∂l/∂z = σ'(z) ∂l/∂a, neuron by neuron: the backward step of every σ but softmax."""

    def backward(z: Array, a: Array, dl_da: Array) -> tuple[Array, Array | None]:
        da_dz = derivative(z, a)
        return da_dz * dl_da, da_dz

    return backward


def _sigmoid(z: Array) -> Array:
    # 1/(1 + e^{-z}) is exact to the last bit at both ends: e^{1000} overflows to inf and
    # 1/inf is 0, σ(−1000) = 0 as it should be. Callers run under np.errstate(over="ignore").
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z: Array) -> Array:
    # Along the last axis, so a batch (n × K) is n softmaxes; one example is unchanged.
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def row_dots(u: Array, v: Array) -> Array:
    """Each row's u·v (n × K by n × K → n; one example K by K → a scalar), as a stack of
    1 × K by K × 1 products: the same sum, bit for bit, as np.dot on one example
    (np.sum(u * v, axis=-1) adds in another order). One example takes np.dot itself:
    the same sum, at a third of the stack's overhead."""
    if u.ndim == 1:
        return np.dot(u, v)
    return (u[:, None, :] @ v[:, :, None])[:, 0, 0]


def _softmax_backward(z: Array, a: Array, dl_da: Array) -> tuple[Array, Array | None]:
    # ∂l/∂z = Jᵀ ∂l/∂a with J = diag(a) − a aᵀ: a ⊙ (∂l/∂a − a·∂l/∂a), per row.
    return a * (dl_da - row_dots(a, dl_da)[..., None]), None


LEAKY_SLOPE = 0.01


def _make(
    name: str,
    formula: str,
    derivative_formula: str,
    forward: Callable[[Array], Array],
    derivative: Callable[[Array, Array], Array],
) -> Activation:
    return Activation(
        name, formula, derivative_formula, forward, derivative, _amplifier(derivative)
    )


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        _make(
            "sigmoid",
            r"\sigma(z) = \frac{1}{1 + e^{-z}}",
            r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
            _sigmoid,
            lambda z, a: a * (1.0 - a),
        ),
        _make(
            "tanh",
            r"\tanh(z)",
            r"\tanh'(z) = 1 - \tanh^2(z)",
            np.tanh,
            lambda z, a: 1.0 - a * a,
        ),
        _make(
            "relu",
            r"\max(0, z)",
            r"1 \text{ if } z > 0 \text{ else } 0",
            lambda z: np.maximum(z, 0.0),
            # relu'(0) = 0, as PyTorch does.
            lambda z, a: (z > 0).astype(np.float64),
        ),
        _make(
            "leaky_relu",
            r"\max(0.01 z, z)",
            r"1 \text{ if } z > 0 \text{ else } 0.01",
            lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
            lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),
        ),
        _make(
            "linear",
            r"z",
            r"1",
            lambda z: z.copy(),
            lambda z, a: np.ones_like(z),
        ),
        Activation(
            "softmax",
            r"\frac{e^{z_j}}{\sum_k e^{z_k}}",
            None,
            _softmax,
            None,
            _softmax_backward,
            output_only=True,
        ),
    )
}
