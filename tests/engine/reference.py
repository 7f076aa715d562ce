"""An independent oracle: a scalar reverse-mode autograd in the style of micrograd.

It knows nothing of layers, σ'(z) or the lecture's two cases; it records every scalar
operation and runs the chain rule over the recorded graph. If the engine's ∂l/∂z and
∂l/∂w match its gradients, the engine's backward pass is right for a different reason
than the one it was written with.
"""

from __future__ import annotations

import math


class Value:
    def __init__(self, data: float, parents: tuple[tuple[Value, float], ...] = ()) -> None:
        self.data = data
        self.grad = 0.0
        self._parents = parents  # (parent, ∂self/∂parent)

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    __radd__ = __add__

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    __rmul__ = __mul__

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:
        return self + (-other)

    def __rsub__(self, other: float) -> Value:
        return Value(other) + (-self)

    def exp(self) -> Value:
        e = math.exp(self.data)
        return Value(e, ((self, e),))

    def log(self) -> Value:
        return Value(math.log(self.data), ((self, 1.0 / self.data),))

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return Value(t, ((self, 1.0 - t * t),))

    def recip(self) -> Value:
        return Value(1.0 / self.data, ((self, -1.0 / self.data**2),))

    def backward(self) -> None:
        order: list[Value] = []
        seen: set[int] = set()

        def visit(v: Value) -> None:
            if id(v) not in seen:
                seen.add(id(v))
                for p, _ in v._parents:
                    visit(p)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for p, local in v._parents:
                p.grad += local * v.grad


def activate(name: str, zs: list[Value]) -> list[Value]:
    if name == "softmax":
        m = max(z.data for z in zs)
        es = [(z - m).exp() for z in zs]
        total = sum(es[1:], es[0])
        inv = total.recip()
        return [e * inv for e in es]
    out = []
    for z in zs:
        if name == "sigmoid":
            out.append((1.0 + (-z).exp()).recip())
        elif name == "tanh":
            out.append(z.tanh())
        elif name == "relu":
            out.append(z * (1.0 if z.data > 0 else 0.0))
        elif name == "leaky_relu":
            out.append(z * (1.0 if z.data > 0 else 0.01))
        elif name == "linear":
            out.append(z * 1.0)
        else:
            raise ValueError(name)
    return out


def loss_of(name: str, a: list[Value], t: list[float]) -> Value:
    K = len(a)
    if name in ("squared_error", "mse"):
        terms = [(ak - tk) * (ak - tk) for ak, tk in zip(a, t, strict=True)]
        total = sum(terms[1:], terms[0])
        return total * (0.5 if name == "squared_error" else 1.0 / K)
    if name == "binary_cross_entropy":
        terms = [ak.log() * tk + (1.0 - ak).log() * (1.0 - tk) for ak, tk in zip(a, t, strict=True)]
        return sum(terms[1:], terms[0]) * (-1.0 / K)
    if name == "cross_entropy":
        terms = [ak.log() * tk for ak, tk in zip(a, t, strict=True)]
        return sum(terms[1:], terms[0]) * -1.0
    raise ValueError(name)


def reference_step(spec: dict, x: list[float], t: list[float]) -> dict:
    """z, a, ∂l/∂z per layer and ∂l/∂w, ∂l/∂b per layer, and the loss, as plain floats."""
    weights = [[[Value(w) for w in row] for row in layer] for layer in spec["weights"]]
    biases = [[Value(b) for b in layer] for layer in spec["biases"]]
    a: list[Value] = [Value(v) for v in x]
    zs, acts = [], []
    for W, B, name in zip(weights, biases, spec["activations"], strict=True):
        z = []
        for row, b in zip(W, B, strict=True):
            total = b
            for w, ai in zip(row, a, strict=True):
                total = total + w * ai
            z.append(total)
        a = activate(name, z)
        zs.append(z)
        acts.append(a)
    loss = loss_of(spec["loss"], a, t)
    loss.backward()
    return {
        "loss": loss.data,
        "z": [[v.data for v in z] for z in zs],
        "a": [[v.data for v in layer] for layer in acts],
        "dl_dz": [[v.grad for v in z] for z in zs],
        "dl_dw": [[[w.grad for w in row] for row in W] for W in weights],
        "dl_db": [[b.grad for b in B] for B in biases],
    }
