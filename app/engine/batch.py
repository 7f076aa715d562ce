"""The lecture's l and L on a batch (POST /trace/batch): both passes over n examples at once.

Each example n has its own loss lⁿ and its own ∂lⁿ/∂w = aⁿ × ∂lⁿ/∂z, from passes.py as
for the trace (a batch of one gives the trace's numbers, bit for bit); the batch's L is
their mean (or sum), and so is ∂L/∂w. Every array of the answer has a leading example axis.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.activations import ACTIVATIONS
from app.engine.errors import NonFiniteError
from app.engine.losses import LOSSES
from app.engine.network import Network
from app.engine.optimizers import gradient_descent_step
from app.engine.passes import backward, dl_dw, forward
from app.engine.trace import LayerTrace

Array = np.ndarray


@dataclass(frozen=True)
class BatchTrace:
    network: Network  # θ⁰
    inputs: Array  # n × d, the a of layer 0
    targets: Array  # n × K
    losses: Array  # lⁿ, one per example
    loss: float  # L: their mean or sum
    reduction: str
    layers: tuple[LayerTrace, ...]  # every array with a leading example axis
    gradients: tuple[tuple[Array, ...], tuple[Array, ...]]  # ∂L/∂w and ∂L/∂b per layer
    learning_rate: float
    updated: Network  # θ¹ = θ⁰ − η∇L(θ⁰)

    def to_json(self) -> dict[str, Any]:
        return {
            "losses": self.losses,
            "loss": self.loss,
            "reduction": self.reduction,
            "layers": [{"a": self.inputs}] + [t.to_json() for t in self.layers],
            "gradients": {"weights": list(self.gradients[0]), "biases": list(self.gradients[1])},
            "network": self.updated.to_spec(),
        }


def batch_trace(
    network: Network, x: Array, t: Array, learning_rate: float, reduction: str = "mean"
) -> BatchTrace:
    """Both passes for every example, L and ∂L/∂w = reduction of the ∂lⁿ/∂w, and the step."""
    n = x.shape[0]
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        zs, activations = forward(network, x)
        loss_fn = LOSSES[network.loss]
        per_example = loss_fn.value(zs[-1], activations[-1], t)
        dl_dz, dl_da, da_dz = backward(network, t, zs, activations)
        if dl_da[-1] is None:  # a closed form skipped them; the answer shows them
            output = ACTIVATIONS[network.activations[-1]]
            dl_da[-1], da_dz[-1] = loss_fn.shown_output(zs[-1], activations[-1], t, output)
        inputs = [x, *activations[:-1]]
        grads = [dl_dw(a_in, dz) for a_in, dz in zip(inputs, dl_dz, strict=True)]
        scale = 1.0 / n if reduction == "mean" else 1.0
        grad_w = tuple(g.sum(axis=0) * scale for g in grads)
        grad_b = tuple(dz.sum(axis=0) * scale for dz in dl_dz)
        loss = float(per_example.sum() * scale)
        updated = gradient_descent_step(network, grad_w, grad_b, learning_rate)
    flat = np.concatenate([per_example, *(w.ravel() for w in updated.weights), *updated.biases])
    if not np.isfinite(flat).all() or not all(np.isfinite(z).all() for z in zs):
        raise NonFiniteError("a value of the batch overflowed")
    layers = []
    for z, a, s, g, dz, w in zip(zs, activations, da_dz, dl_da, dl_dz, grads, strict=True):
        assert g is not None  # every layer's ∂l/∂a: computed, or shown above
        layers.append(LayerTrace(z, a, s, g, dz, w, dz))
    return BatchTrace(
        network,
        x,
        t,
        per_example,
        loss,
        reduction,
        tuple(layers),
        (grad_w, grad_b),
        learning_rate,
        updated,
    )
