"""The gradient-descent step θ¹ = θ⁰ − η∇L(θ⁰)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.engine.network import Network


def gradient_descent_step(
    network: Network,
    dl_dw: Sequence[np.ndarray],
    dl_db: Sequence[np.ndarray],
    learning_rate: float,
    freeze_biases: bool = False,
) -> Network:
    """A new network one step downhill; `freeze_biases` keeps b as it was (some textbook
    examples update the weights only)."""
    weights = tuple(w - learning_rate * g for w, g in zip(network.weights, dl_dw, strict=True))
    if freeze_biases:
        biases = network.biases
    else:
        biases = tuple(b - learning_rate * g for b, g in zip(network.biases, dl_db, strict=True))
    return Network(network.layers, network.activations, network.loss, weights, biases)
