"""One step of backpropagation, traced neuron by neuron, in the lecture's order.

1. Forward pass: z = W a + b and a = σ(z) for every layer. The a feeding a weight is
   that weight's ∂z/∂w.
2. Backward pass: ∂l/∂z for every neuron, from the output layer back.
   Case 1, the output layer: ∂l/∂z = σ'(z) ∂l/∂a, with ∂l/∂a straight from the loss.
   Case 2, a hidden layer: ∂l/∂z = σ'(z) [Σ_k w_kj ∂l/∂z_k], i.e. the same weights carry
   the next layer's ∂l/∂z back and each neuron amplifies their sum by σ'(z).
3. ∂l/∂w = a × ∂l/∂z (∂l/∂b = ∂l/∂z), then θ¹ = θ⁰ − η∇L(θ⁰) (see update.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from app.engine.activations import ACTIVATIONS, softmax_backward
from app.engine.errors import NonFiniteError, SpecError
from app.engine.limits import Limits
from app.engine.losses import LOSSES
from app.engine.network import Network, check_vector_or_matrix
from app.engine.update import gradient_descent_step

Array = np.ndarray


@dataclass(frozen=True)
class LayerTrace:
    """Everything the step computed for one non-input layer, one entry per neuron."""

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


def forward(network: Network, x: Array) -> tuple[list[Array], list[Array]]:
    """z and a of every non-input layer (lists indexed l - 1)."""
    zs, activations = [], []
    a = x
    for w, b, name in zip(network.weights, network.biases, network.activations, strict=True):
        z = w.dot(a) + b
        a = ACTIVATIONS[name].forward(z)
        zs.append(z)
        activations.append(a)
    return zs, activations


def loss_value(network: Network, x: Array, t: Array) -> float:
    """l(θ) for one example: the forward pass and the loss, nothing else (for gradcheck)."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        zs, activations = forward(network, x)
        return LOSSES[network.loss].value(zs[-1], activations[-1], t)


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
        loss = loss_fn.value(zs[-1], activations[-1], t)

        n = len(zs)
        da_dz: list[Array | None] = [None] * n
        dl_da: list[Array] = [x] * n
        dl_dz: list[Array] = [x] * n
        for i in reversed(range(n)):
            act = ACTIVATIONS[network.activations[i]]
            z, a = zs[i], activations[i]
            if act.derivative is not None:
                da_dz[i] = act.derivative(z, a)  # the amplifier σ'(z)
            if i == n - 1:  # case 1: the output layer, straight from the loss
                dl_da[i] = loss_fn.dl_da(a, t)
                if loss_fn.dl_dz is not None:
                    dl_dz[i] = loss_fn.dl_dz(z, a, t)
                    continue
            else:  # case 2: the next layer's ∂l/∂z, carried back by the same weights
                dl_da[i] = dl_dz[i + 1].dot(network.weights[i + 1])  # Wᵀ ∂l/∂z'
            amplifier = da_dz[i]
            dl_dz[i] = (
                amplifier * dl_da[i] if amplifier is not None else softmax_backward(a, dl_da[i])
            )

        inputs = [x, *activations[:-1]]
        # ∂l/∂w = a × ∂l/∂z for every weight at once: the outer product, out × in.
        dl_dw = [dz[:, None] * a_in for dz, a_in in zip(dl_dz, inputs, strict=True)]
        updated = gradient_descent_step(network, dl_dw, dl_dz, learning_rate, freeze_biases)

    _check_finite(loss, zs, activations, da_dz, dl_da, dl_dz, dl_dw, updated)
    layers = tuple(
        LayerTrace(zs[i], activations[i], da_dz[i], dl_da[i], dl_dz[i], dl_dw[i], dl_dz[i])
        for i in range(n)
    )
    return Trace(network, x, t, loss, layers, learning_rate, freeze_biases, updated)


def _check_finite(
    loss: float,
    zs: list[Array],
    activations: list[Array],
    da_dz: list[Array | None],
    dl_da: list[Array],
    dl_dz: list[Array],
    dl_dw: list[Array],
    updated: Network,
) -> None:
    # Fast path, one reduction: a finite z gives a finite a and σ'(z) for every activation,
    # and a non-finite ∂l/∂a, ∂l/∂z or ∂l/∂w would make θ¹ non-finite (0·∞ is NaN too),
    # so z, θ¹ and the loss vouch for everything the trace holds.
    flat = np.concatenate([*zs, *(w.ravel() for w in updated.weights), *updated.biases])
    if np.isfinite(loss) and np.isfinite(flat).all():
        return
    checks = [
        ("z", zs),
        ("a", activations),
        ("loss", None),
        ("σ'(z)", da_dz),
        ("∂l/∂a", dl_da),
        ("∂l/∂z", dl_dz),
        ("∂l/∂w", dl_dw),
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


def check_example(network: Network, x: Any, t: Any, limits: Limits) -> tuple[Array, Array]:
    """The input and target as arrays of the network's sizes, or a SpecError."""
    x_arr = check_vector_or_matrix(x, (network.layers[0],), limits.max_abs_value, ("input",))
    t_arr = check_vector_or_matrix(t, (network.layers[-1],), limits.max_abs_value, ("target",))
    if LOSSES[network.loss].targets_in_unit_interval:
        outside = (t_arr < 0) | (t_arr > 1)
        if outside.any():
            k = int(np.argmax(outside))
            raise SpecError(
                ("target", k),
                f"{network.loss} needs targets in [0, 1], got {t_arr[k]:g}",
                "target_outside_unit_interval",
                loss=network.loss,
                given=float(t_arr[k]),
            )
    return x_arr, t_arr


def check_learning_rate(learning_rate: Any, limits: Limits) -> float:
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)):
        raise SpecError(("learning_rate",), "must be a number", "not_a_number")
    if not 0 < learning_rate <= limits.max_learning_rate:  # also false for NaN
        raise SpecError(
            ("learning_rate",),
            f"η must be greater than 0 and at most {limits.max_learning_rate:g}, "
            f"got {learning_rate}",
            "out_of_range",
            min=0,
            min_exclusive=True,
            max=limits.max_learning_rate,
            given=learning_rate,
        )
    return float(learning_rate)


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
