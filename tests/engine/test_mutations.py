"""The mutation check: subtle faults planted in the engine, each killed by an independent
oracle (reference.py's scalar autograd, and θ¹ = θ⁰ − η ∂l/∂θ with the oracle's ∂l/∂θ),
never by comparing the engine with itself. The faults are the issue's: a case-2 sum scaled
by 1.0001, σ' off by 1e-7, the bias step halved. The unmutated engine passes the same check,
so a kill means the fault was seen.

Each fault is planted for one test (pytest's monkeypatch): an activation record replaced in
ACTIVATIONS, or a function rebuilt from its source with one expression changed and bound
wherever the engine's modules hold it.
"""

from __future__ import annotations
import __future__

import dataclasses
import inspect
import itertools
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from app.engine import ACTIVATIONS, Network, trace
from app.engine import activations as _activations
from app.engine.optimizers import gradient_descent_step
from app.engine.passes import backward
from tests.engine.reference import reference_step

RNG = np.random.default_rng(16)


def _case(layers: list[int], activations: list[str], loss: str) -> tuple[dict, list, list]:
    spec = {
        "layers": layers,
        "activations": activations,
        "loss": loss,
        "weights": [RNG.uniform(-1, 1, (o, i)).tolist() for i, o in itertools.pairwise(layers)],
        "biases": [RNG.uniform(-0.5, 0.5, o).tolist() for o in layers[1:]],
    }
    x = RNG.uniform(-1, 1, layers[0]).tolist()
    t = RNG.uniform(0.1, 0.9, layers[-1]).tolist()
    return spec, x, t


CASES = [
    _case([2, 3, 2], ["sigmoid", "sigmoid"], "squared_error"),
    _case([3, 4, 4, 1], ["tanh", "sigmoid", "sigmoid"], "binary_cross_entropy"),
    _case([2, 5, 3], ["sigmoid", "softmax"], "cross_entropy"),
    _case([4, 3, 3, 2], ["relu", "tanh", "linear"], "mse"),
]


def oracle_agrees() -> bool:
    """The engine's trace against the scalar autograd, and its step against η × its ∂l/∂θ."""
    eta = 0.3
    for spec, x, t in CASES:
        step = trace(Network.from_spec(spec), x, t, learning_rate=eta)
        ref = reference_step(spec, x, t)
        close = {"rtol": 1e-9, "atol": 1e-12}
        if not np.isclose(step.loss, ref["loss"], **close):
            return False
        for l, lt in enumerate(step.layers):
            for name in ("dl_dz", "dl_dw", "dl_db"):
                if not np.allclose(getattr(lt, name), ref[name][l], **close):
                    return False
            w0, b0 = np.array(spec["weights"][l]), np.array(spec["biases"][l])
            w1, b1 = step.updated.weights[l], step.updated.biases[l]
            if not np.allclose(w1, w0 - eta * np.array(ref["dl_dw"][l]), rtol=1e-12, atol=1e-15):
                return False
            if not np.allclose(b1, b0 - eta * np.array(ref["dl_db"][l]), rtol=1e-12, atol=1e-15):
                return False
    return True


def rebuilt(func: Callable[..., Any], old: str, new: str) -> Callable[..., Any]:
    """`func` compiled again from its source with `old` (found exactly once) made `new`."""
    source = textwrap.dedent(inspect.getsource(func))
    assert source.count(old) == 1, old
    flags = __future__.annotations.compiler_flag  # annotations unevaluated, as in the module
    code = compile(source.replace(old, new), inspect.getsourcefile(func) or "?", "exec", flags)
    scope = dict(func.__globals__)
    exec(code, scope)
    return scope[func.__name__]


def plant(monkeypatch: pytest.MonkeyPatch, func: Callable[..., Any], mutant: Callable) -> None:
    """Bind `mutant` wherever an app.engine module holds `func`."""
    bound = 0
    for name, module in list(sys.modules.items()):
        if name.startswith("app.engine") and getattr(module, func.__name__, None) is func:
            monkeypatch.setattr(module, func.__name__, mutant)
            bound += 1
    assert bound >= 2  # its own module and at least one caller


def case_2_sum_scaled(monkeypatch: pytest.MonkeyPatch) -> None:
    old = "carried = dl_dz[l + 1].dot(network.weights[l + 1])"
    new = "carried = 1.0001 * dl_dz[l + 1].dot(network.weights[l + 1])"
    plant(monkeypatch, backward, rebuilt(backward, old, new))


def sigma_prime_off(monkeypatch: pytest.MonkeyPatch) -> None:
    sigmoid = ACTIVATIONS["sigmoid"]
    assert sigmoid.derivative is not None
    exact = sigmoid.derivative

    def derivative(z: np.ndarray, a: np.ndarray) -> np.ndarray:
        return exact(z, a) + 1e-7

    wrong = dataclasses.replace(
        sigmoid, derivative=derivative, backward=_activations._amplifier(derivative)
    )
    monkeypatch.setitem(ACTIVATIONS, "sigmoid", wrong)


def bias_step_halved(monkeypatch: pytest.MonkeyPatch) -> None:
    old = "b - delta(g, eta, state) for b"
    new = "b - delta(g, eta, state) / 2 for b"
    plant(monkeypatch, gradient_descent_step, rebuilt(gradient_descent_step, old, new))


MUTANTS = {
    "case-2 sum × 1.0001": case_2_sum_scaled,
    "σ' + 1e-7": sigma_prime_off,
    "bias step halved": bias_step_halved,
}


def test_the_unmutated_engine_passes_the_check() -> None:
    assert oracle_agrees()


@pytest.mark.parametrize("mutant", list(MUTANTS))
def test_each_subtle_fault_is_killed(mutant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    MUTANTS[mutant](monkeypatch)
    assert not oracle_agrees(), f"{mutant} survived"
