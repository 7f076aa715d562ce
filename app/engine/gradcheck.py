"""The lecture's promise checked numerically: backprop's ∂l/∂w against central differences
(l(w + ε) − l(w − ε)) / 2ε, one parameter at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from app.engine.errors import NonFiniteError
from app.engine.network import Network
from app.engine.trace import Trace, loss_value

Array = np.ndarray


@dataclass(frozen=True)
class GradCheck:
    analytic_weights: tuple[Array, ...]
    analytic_biases: tuple[Array, ...]
    numeric_weights: tuple[Array, ...]
    numeric_biases: tuple[Array, ...]
    epsilon: float
    max_abs_diff: float
    max_rel_diff: float

    def ok(self, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
        """Every parameter agrees within atol + rtol·|numeric|."""
        pairs = zip(
            (*self.analytic_weights, *self.analytic_biases),
            (*self.numeric_weights, *self.numeric_biases),
            strict=True,
        )
        return all(np.allclose(a, n, rtol=rtol, atol=atol) for a, n in pairs)

    def to_json(self) -> dict[str, Any]:
        return {
            "analytic": {
                "weights": list(self.analytic_weights),
                "biases": list(self.analytic_biases),
            },
            "numeric": {"weights": list(self.numeric_weights), "biases": list(self.numeric_biases)},
            "abs_diff": {
                "weights": [
                    np.abs(a - n)
                    for a, n in zip(self.analytic_weights, self.numeric_weights, strict=True)
                ],
                "biases": [
                    np.abs(a - n)
                    for a, n in zip(self.analytic_biases, self.numeric_biases, strict=True)
                ],
            },
            "epsilon": self.epsilon,
            "max_abs_diff": self.max_abs_diff,
            "max_rel_diff": self.max_rel_diff,
            "ok": self.ok(),
        }


def numeric_gradient(
    network: Network, x: Array, t: Array, epsilon: float = 1e-6
) -> tuple[list[Array], list[Array]]:
    """∂l/∂w and ∂l/∂b by central differences."""
    weights = [w.copy() for w in network.weights]
    biases = [b.copy() for b in network.biases]
    probe = replace(network, weights=tuple(weights), biases=tuple(biases))

    def central(params: list[Array], name: str) -> list[Array]:
        grads = []
        for l, p in enumerate(params):
            g = np.empty_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for k in range(flat.size):
                kept = flat[k]
                flat[k] = kept + epsilon
                up = loss_value(probe, x, t)
                flat[k] = kept - epsilon
                down = loss_value(probe, x, t)
                flat[k] = kept
                gflat[k] = (up - down) / (2.0 * epsilon)
                if not np.isfinite(gflat[k]):
                    where = [int(i) for i in np.unravel_index(k, p.shape)]
                    index = "".join(f"[{i}]" for i in [l, *where])
                    raise NonFiniteError(
                        f"the loss overflowed at θ ± ε for {name}{index} in the gradient check"
                    )
            grads.append(g)
        return grads

    return central(weights, "weights"), central(biases, "biases")


def gradcheck(trace: Trace, epsilon: float = 1e-6) -> GradCheck:
    """Compare a trace's ∂l/∂w, ∂l/∂b with central differences at the same θ⁰."""
    numeric_w, numeric_b = numeric_gradient(trace.network, trace.input, trace.target, epsilon)
    analytic_w = tuple(lt.dl_dw for lt in trace.layers)
    analytic_b = tuple(lt.dl_db for lt in trace.layers)
    a = np.concatenate([g.ravel() for g in (*analytic_w, *analytic_b)])
    n = np.concatenate([g.ravel() for g in (*numeric_w, *numeric_b)])
    diff = np.abs(a - n)
    scale = np.maximum(np.abs(a), np.abs(n))
    # Relative difference only where the gradient is not ~0 (there it is noise over noise).
    rel = np.where(scale > 1e-12, diff / np.where(scale > 1e-12, scale, 1.0), 0.0)
    return GradCheck(
        analytic_w,
        analytic_b,
        tuple(numeric_w),
        tuple(numeric_b),
        epsilon,
        float(diff.max()),
        float(rel.max()),
    )
