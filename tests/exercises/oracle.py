"""The answers to an exercise, worked out by hand from what the student sees: the trace
request of the variant. Plain Python floats and the lecture's formulas, written here and
nowhere else (no app.engine): z = Σ w a + b, a = σ(z); case 1 ∂l/∂z = σ'(z) ∂l/∂a (the
closed forms a − t for the cross-entropies); case 2 ∂l/∂z = σ'(z) Σ_k w_kj ∂l/∂z′_k;
∂l/∂w = a × ∂l/∂z, ∂l/∂b = ∂l/∂z; θ¹ = θ⁰ − η ∂l/∂θ.

Indices here are the lecture's: layer 1 is the first hidden layer, neurons from 1."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


def _sigma(name: str, z: float) -> float:
    if name == "sigmoid":
        return 1.0 / (1.0 + math.exp(-z))
    if name == "tanh":
        return math.tanh(z)
    if name == "relu":
        return z if z > 0 else 0.0
    if name == "leaky_relu":
        return z if z > 0 else 0.01 * z
    assert name == "linear", name
    return z


def _sigma_prime(name: str, z: float) -> float:
    if name == "sigmoid":
        s = 1.0 / (1.0 + math.exp(-z))
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - math.tanh(z) ** 2
    if name == "relu":
        return 1.0 if z > 0 else 0.0
    if name == "leaky_relu":
        return 1.0 if z > 0 else 0.01
    return 1.0


@dataclass
class Worked:
    """Every value of the step, keyed in the lecture's numbering."""

    z: dict[tuple[int, int], float]
    a: dict[tuple[int, int], float]  # a[(0, i)] is x_i
    dl_da: dict[tuple[int, int], float]
    dl_dz: dict[tuple[int, int], float]
    dl_dw: dict[tuple[int, int, int], float]
    dl_db: dict[tuple[int, int], float]
    w: dict[tuple[int, int, int], float]  # θ⁰
    b: dict[tuple[int, int], float]
    w_next: dict[tuple[int, int, int], float]
    b_next: dict[tuple[int, int], float]
    loss: float

    def value(self, target: dict[str, Any]) -> float:
        q = target["quantity"]
        if q == "loss":
            return self.loss
        key = (target["layer"], target["neuron"])
        if q in ("dl_dw", "w_next"):
            return getattr(self, q)[(*key, target["from"])]
        return getattr(self, q)[key]

    def change(self, target: dict[str, Any]) -> float:
        """θ¹ − θ⁰ of a w_next or b_next; the value itself for any other quantity."""
        q = target["quantity"]
        if q == "w_next":
            key = (target["layer"], target["neuron"], target["from"])
            return self.w_next[key] - self.w[key]
        if q == "b_next":
            key = (target["layer"], target["neuron"])
            return self.b_next[key] - self.b[key]
        return self.value(target)

    def before(self, target: dict[str, Any]) -> float:
        return self.value(target) - self.change(target)


def work_out(request: dict[str, Any]) -> Worked:
    net = request["network"]
    sizes, sigmas, loss_name = net["layers"], net["activations"], net["loss"]
    L = len(sizes) - 1
    x, t, eta = request["input"], request["target"], request["learning_rate"]
    w = {
        (l, j, i): net["weights"][l - 1][j - 1][i - 1]
        for l in range(1, L + 1)
        for j in range(1, sizes[l] + 1)
        for i in range(1, sizes[l - 1] + 1)
    }
    b = {
        (l, j): net["biases"][l - 1][j - 1] for l in range(1, L + 1) for j in range(1, sizes[l] + 1)
    }
    # Forward pass
    a = {(0, i): x[i - 1] for i in range(1, sizes[0] + 1)}
    z: dict[tuple[int, int], float] = {}
    for l in range(1, L + 1):
        for j in range(1, sizes[l] + 1):
            z[l, j] = sum(w[l, j, i] * a[l - 1, i] for i in range(1, sizes[l - 1] + 1)) + b[l, j]
        if sigmas[l - 1] == "softmax":
            m = max(z[l, k] for k in range(1, sizes[l] + 1))
            e = {k: math.exp(z[l, k] - m) for k in range(1, sizes[l] + 1)}
            total = sum(e.values())
            for j in range(1, sizes[l] + 1):
                a[l, j] = e[j] / total
        else:
            for j in range(1, sizes[l] + 1):
                a[l, j] = _sigma(sigmas[l - 1], z[l, j])
    K = sizes[L]
    out = [a[L, k] for k in range(1, K + 1)]
    # The loss and ∂l/∂a of the output layer
    if loss_name == "squared_error":
        loss = 0.5 * sum((ak - tk) ** 2 for ak, tk in zip(out, t, strict=True))
        dl_da_out = [ak - tk for ak, tk in zip(out, t, strict=True)]
    elif loss_name == "mse":
        loss = sum((ak - tk) ** 2 for ak, tk in zip(out, t, strict=True)) / K
        dl_da_out = [2 * (ak - tk) / K for ak, tk in zip(out, t, strict=True)]
    elif loss_name == "binary_cross_entropy":
        loss = (
            -sum(
                tk * math.log(ak) + (1 - tk) * math.log(1 - ak)
                for ak, tk in zip(out, t, strict=True)
            )
            / K
        )
        dl_da_out = [(ak - tk) / (K * ak * (1 - ak)) for ak, tk in zip(out, t, strict=True)]
    else:
        assert loss_name == "cross_entropy"
        loss = -sum(tk * math.log(ak) for ak, tk in zip(out, t, strict=True))
        dl_da_out = [-tk / ak for ak, tk in zip(out, t, strict=True)]
    # Backward pass, from the output layer back
    dl_da: dict[tuple[int, int], float] = {}
    dl_dz: dict[tuple[int, int], float] = {}
    for l in range(L, 0, -1):
        for j in range(1, sizes[l] + 1):
            if l == L:  # case 1
                dl_da[l, j] = dl_da_out[j - 1]
                if loss_name == "binary_cross_entropy":
                    dl_dz[l, j] = (out[j - 1] - t[j - 1]) / K
                elif loss_name == "cross_entropy":
                    dl_dz[l, j] = out[j - 1] * sum(t) - t[j - 1]
                else:
                    dl_dz[l, j] = _sigma_prime(sigmas[l - 1], z[l, j]) * dl_da[l, j]
            else:  # case 2
                dl_da[l, j] = sum(
                    w[l + 1, k, j] * dl_dz[l + 1, k] for k in range(1, sizes[l + 1] + 1)
                )
                dl_dz[l, j] = _sigma_prime(sigmas[l - 1], z[l, j]) * dl_da[l, j]
    dl_dw = {(l, j, i): a[l - 1, i] * dl_dz[l, j] for (l, j, i) in w}
    dl_db = {key: dl_dz[key] for key in b}
    w_next = {key: w[key] - eta * dl_dw[key] for key in w}
    b_next = {key: b[key] - eta * dl_db[key] for key in b}
    return Worked(z, a, dl_da, dl_dz, dl_dw, dl_db, w, b, w_next, b_next, loss)


def sign_of(value: float) -> str:
    return "+" if value > 0 else "-" if value < 0 else "0"


def answers(variant: dict[str, Any]) -> dict[str, Any]:
    """The right answer to every question of a variant (its JSON), by hand."""
    worked = work_out(variant["request"])
    out: dict[str, Any] = {}
    for q in variant["questions"]:
        if q["kind"] == "number":
            out[q["id"]] = worked.value(q["target"])
        elif q["kind"] == "sign":
            out[q["id"]] = sign_of(worked.change(q["target"]))
        else:
            sizes = [abs(worked.change(o["target"])) for o in q["options"]]
            out[q["id"]] = q["options"][sizes.index(max(sizes))]["value"]
    return out


def tolerance(question: dict[str, Any], expected: float) -> float:
    """The rule the question states: |given − expected| ≤ max(abs, rel·|expected|)."""
    tol = question["tolerance"]
    return max(tol["abs"], tol["rel"] * abs(expected))
