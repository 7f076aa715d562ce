"""What a step does with ∇L: θ¹ = θ⁰ − η∇L(θ⁰) and two refinements of it, as a table of
records (OPTIMIZERS: sgd, momentum, adam), each its name, formula and step.

The rules are PyTorch's (torch.optim.SGD, SGD with momentum, Adam; no dampening, no
Nesterov, no AMSGrad), applied in place to one flat vector holding every w and b, so a
step is a handful of numpy operations whatever the network's shape. Regularisation
adds its own term to the gradient before the step (see `regularization_gradient`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from app.engine.errors import SpecError

if TYPE_CHECKING:
    from app.engine.network import Network

Array = np.ndarray

MOMENTUM = 0.9
BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-8
REGULARIZATIONS: dict[str, str] = {
    "l1": r"L + \lambda \sum |w|",
    "l2": r"L + \tfrac{\lambda}{2} \sum w^2",
}


@dataclass
class Optimizer:
    """One run's optimizer: its rule (a record of OPTIMIZERS) and its state; `step`
    moves θ in place."""

    kind: str
    learning_rate: float
    t: int = 0  # steps taken (Adam's bias correction counts them)
    m: Array | None = None  # momentum's v, or Adam's first moment
    v: Array | None = None  # Adam's second moment
    _work: Array | None = field(default=None, repr=False)  # scratch, to allocate nothing

    def step(self, theta: Array, grad: Array) -> None:
        """θ ← θ − Δθ, in place, with the rule's Δθ for this ∇L."""
        self.t += 1
        theta -= OPTIMIZERS[self.kind].delta(grad, self.learning_rate, self)

    def state(self) -> dict[str, Any]:
        """The state a later run continues from (momentum and Adam's moments)."""
        return {
            "kind": self.kind,
            "t": self.t,
            "m": None if self.m is None else self.m.copy(),
            "v": None if self.v is None else self.v.copy(),
        }


@dataclass(frozen=True)
class Rule:
    """An optimizer's rule: its name, its formula and its Δθ, how far θ moves (θ ← θ − Δθ),
    given ∇L, η and the run's state (t already counts this step; the rule updates the
    moments it keeps)."""

    name: str
    formula: str  # LaTeX
    delta: Callable[[Array, float, Optimizer], Array]


def _sgd(grad: Array, eta: float, state: Optimizer) -> Array:
    return eta * grad


def _momentum(grad: Array, eta: float, state: Optimizer) -> Array:
    if state.m is None:  # PyTorch: the first buffer is the gradient itself
        state.m = grad.copy()
    else:
        state.m *= MOMENTUM
        state.m += grad
    return eta * state.m


def _adam(grad: Array, eta: float, state: Optimizer) -> Array:
    if state.m is None or state.v is None:
        state.m, state.v = np.zeros_like(grad), np.zeros_like(grad)
    if state._work is None or state._work.shape != grad.shape:
        state._work = np.empty_like(grad)
    m, v, work = state.m, state.v, state._work
    m *= BETA1
    np.multiply(grad, 1.0 - BETA1, out=work)
    m += work
    v *= BETA2
    np.multiply(grad, 1.0 - BETA2, out=work)  # PyTorch's addcmul: (1 − β₂)·g·g
    work *= grad
    v += work
    bias1 = 1.0 - BETA1**state.t
    bias2_sqrt = math.sqrt(1.0 - BETA2**state.t)
    # PyTorch's order of operations: denom = √v / √(1 − β₂ᵗ) + ε,
    # θ −= (η / (1 − β₁ᵗ)) m / denom.
    np.sqrt(v, out=work)
    work /= bias2_sqrt
    work += EPSILON
    np.divide(m, work, out=work)
    work *= eta / bias1
    return work  # the scratch buffer: used before the next step overwrites it


OPTIMIZERS: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("sgd", r"\theta \leftarrow \theta - \eta \nabla L", _sgd),
        Rule(
            "momentum",
            r"v \leftarrow 0.9\,v + \nabla L,\quad \theta \leftarrow \theta - \eta v",
            _momentum,
        ),
        Rule(
            "adam",
            r"\theta \leftarrow \theta - \eta\,\hat m / (\sqrt{\hat v} + \epsilon)",
            _adam,
        ),
    )
}


def gradient_descent_step(
    network: Network,
    dl_dw: Sequence[Array],
    dl_db: Sequence[Array],
    learning_rate: float,
    freeze_biases: bool = False,
) -> Network:
    """θ¹ = θ⁰ − η∇L(θ⁰) as a new network (the trace's and /trace/batch's step): the sgd
    rule's Δθ, array by array. `freeze_biases` keeps b as it was (some textbook examples
    update the weights only)."""
    delta, state = OPTIMIZERS["sgd"].delta, Optimizer("sgd", learning_rate, t=1)
    eta = learning_rate
    # Lists, then tuples: a comprehension is cheaper than a generator (14 arrays a trace).
    weights = tuple([w - delta(g, eta, state) for w, g in zip(network.weights, dl_dw, strict=True)])
    if freeze_biases:
        biases = network.biases
    else:
        biases = tuple(
            [b - delta(g, eta, state) for b, g in zip(network.biases, dl_db, strict=True)]
        )
    return type(network)(network.layers, network.activations, network.loss, weights, biases)


def optimizer_from(
    kind: str,
    learning_rate: float,
    state: Mapping[str, Any] | None,
    size: int,
    loc: tuple[str, ...] = ("optimizer_state",),
) -> Optimizer:
    """A fresh optimizer, or one that continues from `state` (a done event's
    `optimizer_state`), checked against the kind and the number of parameters."""
    if kind not in OPTIMIZERS:
        raise SpecError(
            ("optimizer",),
            f"unknown optimizer {kind!r}; choose one of {', '.join(OPTIMIZERS)}",
            "unknown_choice",
            given=kind,
            choices=list(OPTIMIZERS),
        )
    opt = Optimizer(kind, learning_rate)
    if state is None:
        return opt
    if not isinstance(state, Mapping):
        raise SpecError(loc, "must be an object as a done event carries it", "not_an_object")
    if state.get("kind") != kind:
        raise SpecError(
            (*loc, "kind"),
            f"is {state.get('kind')!r}, but the optimizer is {kind!r}",
            "optimizer_mismatch",
            given=state.get("kind"),
            expected=kind,
        )
    t = state.get("t", 0)
    if isinstance(t, bool) or not isinstance(t, int) or t < 0:
        raise SpecError(
            (*loc, "t"),
            "must be a whole number of steps, 0 or more",
            "out_of_range",
            min=0,
            whole=True,
            given=t,
        )
    opt.t = t
    for name in ("m", "v"):
        raw = state.get(name)
        if raw is None:
            continue
        try:
            arr = np.asarray(raw, dtype=np.float64)
        except (TypeError, ValueError):
            raise SpecError((*loc, name), "must be a list of numbers", "not_a_number") from None
        if arr.shape != (size,):
            raise SpecError(
                (*loc, name),
                f"needs {size} numbers (one per parameter), got {arr.size}",
                "wrong_length",
                expected=size,
                got=arr.size,
                per="parameter",
            )
        if not np.isfinite(arr).all():
            raise SpecError((*loc, name), "must hold finite numbers only", "not_finite")
        setattr(opt, name, arr.copy())
    if kind == "adam" and (opt.m is None) != (opt.v is None):
        raise SpecError(loc, "adam needs both m and v, or neither", "adam_state")
    return opt


def regularization_gradient(kind: str, rate: float, theta: Array, mask: Array) -> Array:
    """∂/∂θ of the regularisation term: λw (l2) or λ sign(w) (l1) on weights, 0 on biases."""
    if kind == "l2":
        return rate * theta * mask
    return rate * np.sign(theta) * mask


def regularization_value(kind: str, rate: float, theta: Array, mask: Array) -> float:
    w = theta[mask.astype(bool)]
    if kind == "l2":
        return 0.5 * rate * float(np.dot(w, w))
    return rate * float(np.abs(w).sum())
