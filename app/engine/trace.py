"""One step of backpropagation on one example, traced neuron by neuron, in the lecture's order.

The step is passes.py's forward and backward pass on a batch of one (the same code as
/trace/batch and training, and the same bits; the one example goes through as a vector),
then ∂l/∂w = a × ∂l/∂z and one step of gradient descent θ¹ = θ⁰ − η∇L(θ⁰) (a fresh sgd
optimizer's step, optimizers.py). Kept here layer by layer, with every quantity the page
shows: z, a, σ'(z), ∂l/∂a, ∂l/∂z, ∂l/∂w, θ¹.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

from app.engine import passes
from app.engine.activations import ACTIVATIONS
from app.engine.errors import NonFiniteError
from app.engine.losses import LOSSES
from app.engine.network import Network
from app.engine.optimizers import gradient_descent_step
from app.engine.passes import backward, forward, loss_value

Array = np.ndarray


class LayerTrace(NamedTuple):
    """Everything the step computed for one non-input layer, one entry per neuron.

    A NamedTuple: as immutable as a frozen dataclass, and a third of its cost to build
    (a trace builds one per layer on every request: docs/benchmarks.md)."""

    z: Array  # input of the activation function
    a: Array  # a = σ(z)
    da_dz: Array | None  # σ'(z), the amplifier of the backward pass; None for softmax
    dl_da: Array  # ∂l/∂a
    dl_dz: Array  # ∂l/∂z
    dl_dw: Array  # ∂l/∂w = a_prev × ∂l/∂z, laid out like the weights (out × in)
    dl_db: Array  # ∂l/∂b = ∂l/∂z

    def to_json(self) -> dict[str, Any]:
        """The layer as the API answers it (numpy arrays are left for orjson)."""
        return {
            "z": self.z,
            "a": self.a,
            "da_dz": self.da_dz,
            "dl_da": self.dl_da,
            "dl_dz": self.dl_dz,
            "dl_dw": self.dl_dw,
            "dl_db": self.dl_db,
        }


@dataclass(frozen=True)
class Trace:
    network: Network  # θ⁰
    input: Array  # the a of layer 0
    target: Array
    loss: float
    layers: tuple[LayerTrace, ...]  # layers[l - 1] is layer l
    learning_rate: float
    freeze_biases: bool
    updated: Network  # θ¹ = θ⁰ − η∇L(θ⁰)

    @cached_property
    def loss_after(self) -> float:
        """l(θ¹) on the same example: did the step go downhill? (one more forward pass)"""
        return loss_value(self.updated, self.input, self.target)

    def activation_into(self, l: int) -> Array:
        """The a feeding layer l's weights: ∂z/∂w for each of them."""
        return self.input if l == 1 else self.layers[l - 2].a

    def to_json(self, include_events: bool = False) -> dict[str, Any]:
        """The API's trace response; numpy arrays are left for orjson to serialise."""
        body: dict[str, Any] = {
            "loss": self.loss,
            "layers": [{"a": self.input}] + [t.to_json() for t in self.layers],
            "network": self.updated.to_spec(),
        }
        if include_events:
            body["events"] = list(events(self))
        return body


def trace(
    network: Network,
    x: Array | Sequence[float],
    t: Array | Sequence[float],
    learning_rate: float,
    freeze_biases: bool = False,
) -> Trace:
    """Forward pass, loss, backward pass, gradients and one gradient-descent step.

    Raises NonFiniteError naming the first quantity that overflowed.
    """
    x = np.asarray(x, dtype=np.float64)
    t = np.asarray(t, dtype=np.float64)
    loss_fn = LOSSES[network.loss]
    # Overflow is detected below, by value, where it can be named.
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        zs, activations = forward(network, x)
        loss = float(loss_fn.value(zs[-1], activations[-1], t))
        dl_dz, dl_da, da_dz = backward(network, t, zs, activations)
        if dl_da[-1] is None:  # a closed form skipped them; the page shows them
            output = ACTIVATIONS[network.activations[-1]]
            dl_da[-1], da_dz[-1] = loss_fn.shown_output(zs[-1], activations[-1], t, output)
        inputs = [x, *activations[:-1]]
        grads = [passes.dl_dw(a_in, dz) for a_in, dz in zip(inputs, dl_dz, strict=True)]
        updated = gradient_descent_step(network, grads, dl_dz, learning_rate, freeze_biases)
    layers = []
    for z, a, s, g, dz, w in zip(zs, activations, da_dz, dl_da, dl_dz, grads, strict=True):
        assert g is not None  # every layer's ∂l/∂a: computed, or shown above
        layers.append(LayerTrace(z, a, s, g, dz, w, dz))
    _check_finite(loss, layers, updated)
    return Trace(network, x, t, loss, tuple(layers), learning_rate, freeze_biases, updated)


def _check_finite(loss: float, layers: Sequence[LayerTrace], updated: Network) -> None:
    # Fast path, one reduction: a finite z gives a finite a and σ'(z) for every activation,
    # and a non-finite ∂l/∂a, ∂l/∂z or ∂l/∂w would make θ¹ non-finite (0·∞ is NaN too),
    # so z, θ¹ and the loss vouch for everything the trace holds.
    zs = [lt.z for lt in layers]
    flat = np.concatenate(zs + [w.ravel() for w in updated.weights] + list(updated.biases))
    if math.isfinite(loss) and np.isfinite(flat).all():
        return
    checks = [
        ("z", zs),
        ("a", [lt.a for lt in layers]),
        ("loss", None),
        ("σ'(z)", [lt.da_dz for lt in layers]),
        ("∂l/∂a", [lt.dl_da for lt in layers]),
        ("∂l/∂z", [lt.dl_dz for lt in layers]),
        ("∂l/∂w", [lt.dl_dw for lt in layers]),
        ("updated weights", updated.weights),
        ("updated biases", updated.biases),
    ]
    for name, arrays in checks:  # in the order they were computed, to name the first
        if arrays is None:
            if not np.isfinite(loss):
                raise NonFiniteError("the loss overflowed")
            continue
        for i, arr in enumerate(arrays):
            if arr is not None and not np.isfinite(arr).all():
                raise NonFiniteError(f"{name} of layer {i + 1} overflowed")
    raise NonFiniteError("a value overflowed")


def events(trace: Trace) -> Iterator[dict[str, Any]]:
    """The step as the stream sends it, in the order it is computed."""
    L = len(trace.layers)
    as_lists = [trace.input.tolist()] + [t.a.tolist() for t in trace.layers]
    for l, lt in enumerate(trace.layers, start=1):
        for j, (z, a) in enumerate(zip(lt.z.tolist(), as_lists[l], strict=True)):
            yield {"type": "forward", "layer": l, "node": j, "z": z, "a": a}
    yield {"type": "loss", "loss": trace.loss, "dl_da": trace.layers[-1].dl_da.tolist()}
    for l in range(L, 0, -1):
        lt = trace.layers[l - 1]
        a_in = as_lists[l - 1]
        da_dz = lt.da_dz.tolist() if lt.da_dz is not None else [None] * len(lt.z)
        rows = zip(lt.dl_da.tolist(), da_dz, lt.dl_dz.tolist(), lt.dl_dw.tolist(), strict=True)
        for j, (dl_da, amp, dl_dz, dl_dw) in enumerate(rows):
            yield {
                "type": "backward",
                "layer": l,
                "node": j,
                "case": 1 if l == L else 2,
                "dl_da": dl_da,
                "da_dz": amp,
                "dl_dz": dl_dz,
            }
            yield {
                "type": "gradient",
                "layer": l,
                "node": j,
                "a": a_in,
                "dl_dw": dl_dw,
                "dl_db": dl_dz,
            }
    for l in range(1, L + 1):
        w_new = trace.updated.weights[l - 1].tolist()
        b_new = trace.updated.biases[l - 1].tolist()
        for j, (w, b) in enumerate(zip(w_new, b_new, strict=True)):
            yield {"type": "update", "layer": l, "node": j, "w": w, "b": b}
    loss_after = trace.loss_after
    done: dict[str, Any] = {"type": "done", "loss": trace.loss}
    if np.isfinite(loss_after):  # θ¹ may overshoot into overflow; then it is left out
        done["loss_after"] = loss_after
    yield done
