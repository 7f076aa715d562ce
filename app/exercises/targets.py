"""What a question asks for: one value of the step, named as the lecture names it, read
from the engine's trace, and explained as the chain-rule line that gives it.

A target is {"quantity", "layer", "neuron", "from"} in the lecture's numbering: layer 1 is
the first hidden layer, neurons and inputs count from 1, `from` (the neuron of layer l−1 a
weight comes from) only for dl_dw and w_next, no layer or neuron for the loss. The engine
counts from 0 (app/engine/trace.py): layer l is trace.layers[l − 1], neuron j is index
j − 1, w^l_{ji} is weights[l − 1][j − 1][i − 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.engine import Trace
from app.exercises.notation import (
    MINUS,
    a_name,
    bias_name,
    factor,
    number,
    target_name,
    weight_name,
    z_name,
)

QUANTITIES = ("z", "a", "loss", "dl_da", "dl_dz", "dl_dw", "dl_db", "w_next", "b_next")
# Quantities of θ¹: a sign or a choice about them reads the change θ¹ − θ⁰ = −η ∂l/∂θ.
STEP = frozenset({"w_next", "b_next"})
WEIGHTED = frozenset({"dl_dw", "w_next"})  # the ones with a `from`

# σ as the explanations write it; the lecture calls every activation σ, so sigmoid keeps it.
_SIGMA = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu", "leaky_relu": "leaky_relu"}


@dataclass(frozen=True)
class Target:
    quantity: str
    layer: int | None = None
    neuron: int | None = None
    source: int | None = None  # "from" in JSON

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"quantity": self.quantity}
        for key, value in (("layer", self.layer), ("neuron", self.neuron), ("from", self.source)):
            if value is not None:
                out[key] = value
        return out

    @property
    def about_the_step(self) -> bool:
        return self.quantity in STEP

    # The lecture's names --------------------------------------------------------------

    def parameter(self) -> str:
        """The weight or bias a dl_dw, dl_db, w_next or b_next is about."""
        l, j, i = self.layer or 0, self.neuron or 0, self.source or 0
        return weight_name(l, j, i) if self.quantity in WEIGHTED else bias_name(l, j)

    def name(self) -> str:
        l, j = self.layer or 0, self.neuron or 0
        q = self.quantity
        if q == "loss":
            return "l"
        if q == "z":
            return z_name(l, j)
        if q == "a":
            return a_name(l, j)
        if q == "dl_da":
            return f"∂l/∂{a_name(l, j)}"
        if q == "dl_dz":
            return f"∂l/∂{z_name(l, j)}"
        if q in ("dl_dw", "dl_db"):
            return f"∂l/∂{self.parameter()}"
        return self.parameter()  # w_next, b_next: the parameter itself, after the step

    # Values -----------------------------------------------------------------------------

    def value(self, step: Trace) -> float:
        """The value the question asks for, from the engine's trace."""
        q = self.quantity
        if q == "loss":
            return float(step.loss)
        l, j = (self.layer or 0) - 1, (self.neuron or 0) - 1
        if q == "w_next":
            return float(step.updated.weights[l][j, (self.source or 0) - 1])
        if q == "b_next":
            return float(step.updated.biases[l][j])
        layer = step.layers[l]
        if q == "dl_dw":
            return float(layer.dl_dw[j, (self.source or 0) - 1])
        return float(getattr(layer, q)[j])

    def before(self, step: Trace) -> float:
        """θ⁰ of a w_next or b_next."""
        l, j = (self.layer or 0) - 1, (self.neuron or 0) - 1
        if self.quantity == "w_next":
            return float(step.network.weights[l][j, (self.source or 0) - 1])
        return float(step.network.biases[l][j])

    def signed(self, step: Trace) -> float:
        """What a sign or a choice reads: the value, or for θ¹ the change θ¹ − θ⁰."""
        value = self.value(step)
        return value - self.before(step) if self.about_the_step else value

    # Explanations -----------------------------------------------------------------------

    def explain(self, step: Trace) -> str:
        """The chain-rule line with its numbers, e.g.
        ∂l/∂w²₁₁ = a¹₁ × ∂l/∂z²₁ = 0.5933 × 0.1385 = 0.08217."""
        return _EXPLAIN[self.quantity](self, step)

    def explain_change(self, step: Trace) -> str:
        """θ¹ − θ⁰ of a w_next or b_next: −η ∂l/∂θ, with its numbers."""
        gradient = self.gradient_target()
        g = gradient.value(step)
        eta = step.learning_rate
        delta = self.signed(step)
        return (
            f"Δ{self.parameter()} = {MINUS}η {gradient.name()} = "
            f"{MINUS}{number(eta)} × {factor(g)} = {number(delta)}"
        )

    def gradient_target(self) -> Target:
        quantity = "dl_dw" if self.quantity == "w_next" else "dl_db"
        return Target(quantity, self.layer, self.neuron, self.source)


def _input_into(step: Trace, l: int) -> list[float]:
    return [float(v) for v in step.activation_into(l)]


def _explain_z(t: Target, step: Trace) -> str:
    l, j = t.layer or 0, t.neuron or 0
    w = step.network.weights[l - 1][j - 1]
    b = float(step.network.biases[l - 1][j - 1])
    a_in = _input_into(step, l)
    names = " + ".join(
        f"{weight_name(l, j, i)} {a_name(l - 1, i)}" for i in range(1, len(a_in) + 1)
    )
    values = " + ".join(
        f"{factor(float(wi))} × {factor(ai)}" for wi, ai in zip(w, a_in, strict=True)
    )
    return (
        f"{z_name(l, j)} = {names} + {bias_name(l, j)} = {values} + {factor(b)} "
        f"= {number(t.value(step))}"
    )


def _explain_a(t: Target, step: Trace) -> str:
    l, j = t.layer or 0, t.neuron or 0
    layer = step.layers[l - 1]
    activation = step.network.activations[l - 1]
    z = float(layer.z[j - 1])
    a = number(float(layer.a[j - 1]))
    if activation == "softmax":
        zs = [float(v) for v in layer.z]
        names = " + ".join(f"e^{z_name(l, k)}" for k in range(1, len(zs) + 1))
        values = " + ".join(f"e^{factor(v)}" for v in zs)
        return f"{a_name(l, j)} = e^{z_name(l, j)} / ({names}) = e^{factor(z)} / ({values}) = {a}"
    if activation == "linear":
        return f"{a_name(l, j)} = {z_name(l, j)} = {a}"
    sigma = _SIGMA[activation]
    return f"{a_name(l, j)} = {sigma}({z_name(l, j)}) = {sigma}({number(z)}) = {a}"


def _explain_loss(t: Target, step: Trace) -> str:
    L = len(step.layers)
    a = [float(v) for v in step.layers[-1].a]
    tt = [float(v) for v in step.target]
    K = len(a)
    ks = range(1, K + 1)
    loss = number(step.loss)
    name = step.network.loss
    if name in ("squared_error", "mse"):
        names = " + ".join(f"({a_name(L, k)} {MINUS} {target_name(k)})²" for k in ks)
        values = " + ".join(
            f"({number(ak)} {MINUS} {number(tk)})²" for ak, tk in zip(a, tt, strict=True)
        )
        scale = "½" if name == "squared_error" else f"(1/{K})"
        return f"l = {scale}[{names}] = {scale}[{values}] = {loss}"
    if name == "binary_cross_entropy":
        scale = f"{MINUS}(1/{K})" if K > 1 else MINUS
        names = " + ".join(
            f"{target_name(k)} ln {a_name(L, k)} + (1 {MINUS} {target_name(k)}) "
            f"ln(1 {MINUS} {a_name(L, k)})"
            for k in ks
        )
        values = " + ".join(
            f"{number(tk)} ln {number(ak)} + {number(1 - tk)} ln {number(1 - ak)}"
            for ak, tk in zip(a, tt, strict=True)
        )
        return f"l = {scale}[{names}] = {scale}[{values}] = {loss}"
    # cross_entropy
    names = " + ".join(f"{target_name(k)} ln {a_name(L, k)}" for k in ks)
    values = " + ".join(f"{number(tk)} ln {number(ak)}" for ak, tk in zip(a, tt, strict=True))
    return f"l = {MINUS}[{names}] = {MINUS}[{values}] = {loss}"


def _backward_sum(step: Trace, l: int, j: int) -> tuple[str, str]:
    """Case 2's Σ_k w^{l+1}_{kj} ∂l/∂z^{l+1}_k, as names and as numbers."""
    w_next_layer = step.network.weights[l]  # layer l + 1's weights, engine index l
    dz = [float(v) for v in step.layers[l].dl_dz]
    ks = range(1, len(dz) + 1)
    names = " + ".join(f"{weight_name(l + 1, k, j)} ∂l/∂{z_name(l + 1, k)}" for k in ks)
    values = " + ".join(
        f"{factor(float(w_next_layer[k - 1, j - 1]))} × {factor(dz[k - 1])}" for k in ks
    )
    return names, values


def _explain_dl_da(t: Target, step: Trace) -> str:
    l, j = t.layer or 0, t.neuron or 0
    L = len(step.layers)
    result = number(t.value(step))
    name = f"∂l/∂{a_name(l, j)}"
    if l < L:  # case 2: the next layer's ∂l/∂z, carried back by the same weights
        names, values = _backward_sum(step, l, j)
        return f"{name} = {names} = {values} = {result}"
    a = float(step.layers[-1].a[j - 1])
    tj = float(step.target[j - 1])
    K = len(step.target)
    an, tn = a_name(l, j), target_name(j)
    loss = step.network.loss
    if loss == "squared_error":
        return f"{name} = {an} {MINUS} {tn} = {number(a)} {MINUS} {number(tj)} = {result}"
    if loss == "mse":
        return (
            f"{name} = 2({an} {MINUS} {tn})/{K} = 2({number(a)} {MINUS} {number(tj)})/{K} "
            f"= {result}"
        )
    if loss == "binary_cross_entropy":
        k = f"{K} " if K > 1 else ""
        return (
            f"{name} = ({an} {MINUS} {tn}) / ({k}{an}(1 {MINUS} {an})) = "
            f"({number(a)} {MINUS} {number(tj)}) / ({k}{number(a)} × {number(1 - a)}) = {result}"
        )
    return f"{name} = {MINUS}{tn} / {an} = {MINUS}{number(tj)} / {number(a)} = {result}"


def _explain_dl_dz(t: Target, step: Trace) -> str:
    l, j = t.layer or 0, t.neuron or 0
    L = len(step.layers)
    layer = step.layers[l - 1]
    result = number(t.value(step))
    name = f"∂l/∂{z_name(l, j)}"
    an, tn = a_name(l, j), target_name(j)
    if l == L and step.network.loss in ("binary_cross_entropy", "cross_entropy"):
        # Case 1 in the closed form the engine uses (app/engine/losses.py).
        a = number(float(layer.a[j - 1]))
        tj = number(float(step.target[j - 1]))
        K = len(step.target)
        if step.network.loss == "binary_cross_entropy" and K > 1:
            return f"{name} = ({an} {MINUS} {tn})/{K} = ({a} {MINUS} {tj})/{K} = {result}"
        return f"{name} = {an} {MINUS} {tn} = {a} {MINUS} {tj} = {result}"
    amplifier = float(layer.da_dz[j - 1]) if layer.da_dz is not None else 0.0
    sigma = f"σ'({z_name(l, j)})"
    if l == L:  # case 1: straight from the loss
        dl_da = float(layer.dl_da[j - 1])
        return f"{name} = {sigma} ∂l/∂{an} = {number(amplifier)} × {factor(dl_da)} = {result}"
    names, values = _backward_sum(step, l, j)  # case 2: the amplifier times the sum
    return f"{name} = {sigma} [{names}] = {number(amplifier)} × [{values}] = {result}"


def _explain_dl_dw(t: Target, step: Trace) -> str:
    l, j, i = t.layer or 0, t.neuron or 0, t.source or 0
    a = float(step.activation_into(l)[i - 1])
    dz = float(step.layers[l - 1].dl_dz[j - 1])
    return (
        f"∂l/∂{weight_name(l, j, i)} = {a_name(l - 1, i)} × ∂l/∂{z_name(l, j)} = "
        f"{factor(a)} × {factor(dz)} = {number(t.value(step))}"
    )


def _explain_dl_db(t: Target, step: Trace) -> str:
    l, j = t.layer or 0, t.neuron or 0
    return f"∂l/∂{bias_name(l, j)} = ∂l/∂{z_name(l, j)} = {number(t.value(step))}"


def _explain_next(t: Target, step: Trace) -> str:
    gradient = t.gradient_target()
    p = t.parameter()
    return (
        f"{p} {MINUS} η {gradient.name()} = {number(t.before(step))} {MINUS} "
        f"{number(step.learning_rate)} × {factor(gradient.value(step))} = {number(t.value(step))}"
    )


_EXPLAIN = {
    "z": _explain_z,
    "a": _explain_a,
    "loss": _explain_loss,
    "dl_da": _explain_dl_da,
    "dl_dz": _explain_dl_dz,
    "dl_dw": _explain_dl_dw,
    "dl_db": _explain_dl_db,
    "w_next": _explain_next,
    "b_next": _explain_next,
}
