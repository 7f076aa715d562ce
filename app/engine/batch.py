"""The lecture's l and L on a batch: forward and backward passes over n examples at once.

Each example n has its own loss lⁿ and its own ∂lⁿ/∂w = a × ∂lⁿ/∂z, exactly as in
trace.py; the batch's L is their mean (or sum), and so is ∂L/∂w. Rows are examples: the
a of a layer is n × neurons, and every step of the passes is one matrix product for the
whole batch (no per-example Python loop). A batch of one gives today's trace bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from app.engine.activations import ACTIVATIONS, softmax_backward_rows
from app.engine.errors import NonFiniteError, SpecError
from app.engine.limits import Limits
from app.engine.losses import LOSSES
from app.engine.network import Network, check_values
from app.engine.trace import LayerTrace
from app.engine.update import gradient_descent_step

Array = np.ndarray
Reduction = Literal["mean", "sum"]
REDUCTIONS: tuple[str, ...] = ("mean", "sum")


def forward_rows(network: Network, x: Array) -> tuple[list[Array], list[Array]]:
    """z and a of every non-input layer for a batch x (n × d), lists indexed l − 1."""
    zs, activations = [], []
    a = x
    for w, b, name in zip(network.weights, network.biases, network.activations, strict=True):
        z = a @ w.T + b  # row n: W aⁿ + b
        a = ACTIVATIONS[name].forward(z)
        zs.append(z)
        activations.append(a)
    return zs, activations


def backward_rows(
    network: Network,
    t: Array,
    zs: Sequence[Array],
    activations: Sequence[Array],
    shown: bool = True,
) -> tuple[list[Array | None], list[Array], list[Array]]:
    """σ'(z), ∂l/∂a and ∂l/∂z of every example (rows), from the output layer back.

    `shown=False` (training) skips the output layer's ∂l/∂a and σ'(z) when the loss gives
    ∂l/∂z in closed form: nobody looks at them, and the step needs only ∂l/∂z."""
    loss_fn = LOSSES[network.loss]
    n = len(zs)
    da_dz: list[Array | None] = [None] * n
    dl_da: list[Array] = [t] * n
    dl_dz: list[Array] = [t] * n
    for i in reversed(range(n)):
        act = ACTIVATIONS[network.activations[i]]
        z, a = zs[i], activations[i]
        if i == n - 1 and loss_fn.dl_dz is not None and not shown:
            dl_dz[i] = loss_fn.dl_dz(z, a, t)
            continue
        if act.derivative is not None:
            da_dz[i] = act.derivative(z, a)  # the amplifier σ'(z)
        if i == n - 1:  # case 1: the output layer, straight from the loss
            dl_da[i] = loss_fn.dl_da(a, t)
            if loss_fn.dl_dz is not None:
                dl_dz[i] = loss_fn.dl_dz(z, a, t)
                continue
        else:  # case 2: the next layer's ∂l/∂z carried back by the same weights
            dl_da[i] = dl_dz[i + 1] @ network.weights[i + 1]  # row n: Wᵀ ∂lⁿ/∂z'
        amplifier = da_dz[i]
        dl_dz[i] = (
            amplifier * dl_da[i] if amplifier is not None else softmax_backward_rows(a, dl_da[i])
        )
    return da_dz, dl_da, dl_dz


def losses(network: Network, x: Array, t: Array) -> tuple[Array, Array]:
    """Every example's lⁿ and the output layer's a (for accuracy), one forward pass."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        zs, activations = forward_rows(network, x)
        return LOSSES[network.loss].values(zs[-1], activations[-1], t), activations[-1]


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
        zs, activations = forward_rows(network, x)
        per_example = LOSSES[network.loss].values(zs[-1], activations[-1], t)
        da_dz, dl_da, dl_dz = backward_rows(network, t, zs, activations)
        inputs = [x, *activations[:-1]]
        # ∂lⁿ/∂w = aⁿ × ∂lⁿ/∂z: one outer product per example, out × in.
        dl_dw = [dz[:, :, None] * a_in[:, None, :] for dz, a_in in zip(dl_dz, inputs, strict=True)]
        scale = 1.0 / n if reduction == "mean" else 1.0
        grad_w = tuple(g.sum(axis=0) * scale for g in dl_dw)
        grad_b = tuple(dz.sum(axis=0) * scale for dz in dl_dz)
        loss = float(per_example.sum() * scale)
        updated = gradient_descent_step(network, grad_w, grad_b, learning_rate)
    flat = np.concatenate([per_example, *(w.ravel() for w in updated.weights), *updated.biases])
    if not np.isfinite(flat).all() or not all(np.isfinite(z).all() for z in zs):
        raise NonFiniteError("a value of the batch overflowed")
    layers = tuple(
        LayerTrace(zs[i], activations[i], da_dz[i], dl_da[i], dl_dz[i], dl_dw[i], dl_dz[i])
        for i in range(len(zs))
    )
    return BatchTrace(
        network,
        x,
        t,
        per_example,
        loss,
        reduction,
        layers,
        (grad_w, grad_b),
        learning_rate,
        updated,
    )


def as_rows(
    raw: Any, width: int, loc: tuple[str | int, ...], what: str, max_rows: int, per: str
) -> Array:
    """`raw` as an n × width float64 array (1 ≤ n ≤ max_rows), or a SpecError naming the
    first bad row or entry. `what` says what a row holds, for the message; `per` the same
    as a code (ERROR_TYPES' wrong_length)."""
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise SpecError(loc, f"must be a non-empty list of rows ({what})", "not_a_list")
    if len(raw) > max_rows:
        raise SpecError(
            loc,
            f"at most {max_rows} rows, got {len(raw)}",
            "wrong_length",
            max=max_rows,
            got=len(raw),
        )
    try:
        array = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        array = None  # ragged or not numbers: the loop below says where
    if array is not None and array.ndim == 2 and array.shape[1] == width:
        return array
    for i, row in enumerate(raw):
        if not isinstance(row, Sequence) or isinstance(row, str):
            raise SpecError(
                (*loc, i),
                f"must be a list of {width} numbers ({what})",
                "not_a_list",
                expected=width,
            )
        if len(row) != width:
            raise SpecError(
                (*loc, i),
                f"needs {width} numbers ({what}), got {len(row)}",
                "wrong_length",
                expected=width,
                got=len(row),
                per=per,
            )
        for k, v in enumerate(row):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise SpecError((*loc, i, k), "must be a number", "not_a_number")
    raise SpecError(loc, "must contain numbers only", "not_a_number")


def check_targets(network: Network, t: Array, loc: tuple[str | int, ...]) -> None:
    """Targets the loss can take: [0, 1] for the cross-entropies."""
    if LOSSES[network.loss].targets_in_unit_interval:
        outside = (t < 0) | (t > 1)
        if outside.any():
            row, k = (int(i) for i in np.argwhere(outside)[0])
            raise SpecError(
                (*loc, row, k),
                f"{network.loss} needs targets in [0, 1], got {t[row, k]:g}",
                "target_outside_unit_interval",
                loss=network.loss,
                given=float(t[row, k]),
            )


def check_batch(
    network: Network, x: Any, t: Any, limits: Limits, max_rows: int
) -> tuple[Array, Array]:
    """inputs (n × d) and targets (n × K) as arrays of the network's sizes, or a SpecError."""
    d, k = network.layers[0], network.layers[-1]
    x_arr = as_rows(x, d, ("inputs",), f"one per input neuron: {d}", max_rows, "input_neuron")
    t_arr = as_rows(t, k, ("targets",), f"one per output neuron: {k}", max_rows, "output_neuron")
    if len(t_arr) != len(x_arr):
        raise SpecError(
            ("targets",),
            f"needs one row per input row: {len(x_arr)}, got {len(t_arr)}",
            "wrong_length",
            expected=len(x_arr),
            got=len(t_arr),
            per="input_row",
        )
    check_values([x_arr, t_arr], [("inputs",), ("targets",)], limits.max_abs_value)
    check_targets(network, t_arr, ("targets",))
    return x_arr, t_arr
