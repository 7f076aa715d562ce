"""Activation functions σ and their derivatives σ'(z), side by side.

In the backward pass each neuron is an amplifier that multiplies ∂l/∂a by σ'(z);
z is known from the forward pass, so σ'(z) is a constant there. Softmax is the
exception: its Jacobian is not diagonal, so it has no per-neuron σ'(z) and the
backward pass multiplies by the whole Jacobian (see `softmax_backward`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str  # LaTeX, for the page and the capabilities list
    derivative_formula: str | None
    forward: Callable[[Array], Array]  # a = σ(z)
    # σ'(z), given z and a = σ(z) (some derivatives read best in terms of a).
    derivative: Callable[[Array, Array], Array] | None
    output_only: bool = False


def _sigmoid(z: Array) -> Array:
    # 1/(1 + e^{-z}) is exact to the last bit at both ends: e^{1000} overflows to inf and
    # 1/inf is 0, σ(−1000) = 0 as it should be. Callers run under np.errstate(over="ignore").
    return 1.0 / (1.0 + np.exp(-z))


def _softmax(z: Array) -> Array:
    # Along the last axis, so a batch (n × K) is n softmaxes; one example is unchanged.
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


LEAKY_SLOPE = 0.01

ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in (
        Activation(
            "sigmoid",
            r"\sigma(z) = \frac{1}{1 + e^{-z}}",
            r"\sigma'(z) = \sigma(z)\,(1 - \sigma(z))",
            _sigmoid,
            lambda z, a: a * (1.0 - a),
        ),
        Activation(
            "tanh",
            r"\tanh(z)",
            r"\tanh'(z) = 1 - \tanh^2(z)",
            np.tanh,
            lambda z, a: 1.0 - a * a,
        ),
        Activation(
            "relu",
            r"\max(0, z)",
            r"1 \text{ if } z > 0 \text{ else } 0",
            lambda z: np.maximum(z, 0.0),
            # relu'(0) = 0, as PyTorch does.
            lambda z, a: (z > 0).astype(np.float64),
        ),
        Activation(
            "leaky_relu",
            r"\max(0.01 z, z)",
            r"1 \text{ if } z > 0 \text{ else } 0.01",
            lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
            lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),
        ),
        Activation(
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
            output_only=True,
        ),
    )
}


def softmax_backward(a: Array, dl_da: Array) -> Array:
    """∂l/∂z = Jᵀ ∂l/∂a with J = diag(a) − a aᵀ, without forming J."""
    return a * (dl_da - np.dot(a, dl_da))


def softmax_backward_rows(a: Array, dl_da: Array) -> Array:
    """The same for every row of a batch (n × K). Each row's a·∂l/∂a is a 1 × K by K × 1
    product: the same sum, bit for bit, as np.dot on one example."""
    return a * (dl_da - (a[:, None, :] @ dl_da[:, :, None])[:, :, 0])
