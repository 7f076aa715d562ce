"""The lecture's forward and backward passes, written once: rows are examples.

The trace is a batch of one (trace.py), POST /trace/batch a batch (batch.py), training a
mini-batch at a time (train.py); all three run these functions. Every step is one matrix
product or one elementwise operation for the whole batch, no per-example Python loop.
The last axis is always the neurons, so the trace's one example goes through as it is,
one vector per layer, without an example axis to add and take off again (the same
products, the same bits as a batch of one: tests/engine/test_golden.py).

1. Forward pass: z = W a + b and a = σ(z) for every layer (row n: zⁿ = W aⁿ + b). The a
   feeding a weight is that weight's ∂z/∂w.
2. Backward pass, from the output layer back:
   Case 1, the output layer: ∂l/∂z = σ'(z) ∂l/∂a with ∂l/∂a straight from the loss (or
   the loss's closed form, losses.py).
   Case 2, a hidden layer: ∂l/∂a = Σ_k w_kj ∂l/∂z_k, the same weights carrying the next
   layer's ∂l/∂z back, then ∂l/∂z = σ'(z) ∂l/∂a (each activation's backward step).
3. ∂l/∂w = a × ∂l/∂z, and ∂l/∂b = ∂l/∂z.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from app.engine.activations import ACTIVATIONS
from app.engine.losses import LOSSES

if TYPE_CHECKING:
    from app.engine.network import Network

Array = np.ndarray
REDUCTIONS: tuple[str, ...] = ("mean", "sum")  # L from the lⁿ of a batch


def forward(network: Network, x: Array) -> tuple[list[Array], list[Array]]:
    """z and a of every non-input layer for the rows x (n × inputs, or one example's
    inputs), lists indexed l − 1."""
    zs, activations = [], []
    a = x
    for w, b, name in zip(network.weights, network.biases, network.activations, strict=True):
        z = a.dot(w.T) + b  # row n: W aⁿ + b (ndarray.dot: a fraction of @'s overhead)
        a = ACTIVATIONS[name].forward(z)
        zs.append(z)
        activations.append(a)
    return zs, activations


def backward(
    network: Network, t: Array, zs: list[Array], activations: list[Array]
) -> tuple[list[Array], list[Array | None], list[Array | None]]:
    """∂l/∂z, ∂l/∂a and σ'(z) of every layer (rows are examples), from the output back.

    ∂l/∂a and σ'(z) are None where nothing computed them: softmax has no σ'(z), and a
    loss's closed form goes straight to the output layer's ∂l/∂z (Loss.shown_output
    gives them when they are to be shown)."""
    steps = [ACTIVATIONS[name] for name in network.activations]
    n = len(zs)
    dl_da: list[Array | None] = [None] * n
    da_dz: list[Array | None] = [None] * n
    # Case 1: the output layer, straight from the loss.
    out, dl_da[-1], da_dz[-1] = LOSSES[network.loss].output_gradient(
        zs[-1], activations[-1], t, steps[-1]
    )
    dl_dz = [out] * n
    # Case 2: each hidden layer, the next layer's ∂l/∂z carried back by the same weights.
    for l in reversed(range(n - 1)):
        carried = dl_dz[l + 1].dot(network.weights[l + 1])  # row n: Wᵀ ∂lⁿ/∂z'
        dl_da[l] = carried
        dl_dz[l], da_dz[l] = steps[l].backward(zs[l], activations[l], carried)
    return dl_dz, dl_da, da_dz


def dl_dw(a_in: Array, dl_dz: Array) -> Array:
    """∂lⁿ/∂w = aⁿ × ∂lⁿ/∂z for every example: row n's outer product, out × in."""
    return dl_dz[..., :, None] * a_in[..., None, :]


def summed_dl_dw(a_in: Array, dl_dz: Array, out: Array) -> Array:
    """Σₙ aⁿ × ∂lⁿ/∂z over the rows as one matrix product (training's ∂L/∂w before the
    mean). The same sum as dl_dw(...).sum(axis=0), though not bit for bit: BLAS adds the
    n terms in its own order (and /trace/batch keeps the order it has always had)."""
    return np.dot(dl_dz.T, a_in, out=out)


def row_losses(network: Network, x: Array, t: Array) -> tuple[Array, Array]:
    """Every row's lⁿ and the output layer's a (for accuracy), one forward pass."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        zs, activations = forward(network, x)
        return LOSSES[network.loss].value(zs[-1], activations[-1], t), activations[-1]


def loss_value(network: Network, x: Array, t: Array) -> float:
    """l(θ) for one example (the forward pass and the loss, nothing else: gradcheck's)."""
    return float(row_losses(network, x, t)[0])
