"""The lecture's promise checked numerically: backprop's ∂l/∂w against central differences
(l(w + ε) − l(w − ε)) / 2ε, one parameter at a time."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from app.engine.errors import NonFiniteError
from app.engine.network import Network
from app.engine.passes import loss_value
from app.engine.trace import Trace

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
    flat = numeric_partials(network, x, t, range(network.parameter_count), epsilon)
    weights, biases = [], []
    start = 0
    for w in network.weights:
        weights.append(flat[start : start + w.size].reshape(w.shape))
        start += w.size
    for b in network.biases:
        biases.append(flat[start : start + b.size].copy())
        start += b.size
    return weights, biases


def numeric_partials(
    network: Network, x: Array, t: Array, which: Iterable[int], epsilon: float = 1e-6
) -> Array:
    """(l(θ + ε) − l(θ − ε)) / 2ε for the parameters numbered `which`: two forward passes
    each. Parameters are numbered as ∇L(θ) lists them: every weight, layer by layer (row by
    row, out × in), then every bias, layer by layer."""
    weights = [w.copy() for w in network.weights]
    biases = [b.copy() for b in network.biases]
    probe = replace(network, weights=tuple(weights), biases=tuple(biases))
    views = [p.reshape(-1) for p in (*weights, *biases)]
    starts = np.cumsum([0] + [v.size for v in views])
    indices = np.fromiter(which, dtype=np.int64)
    arrays = np.searchsorted(starts, indices, side="right") - 1  # which array holds each
    out = np.empty(indices.size)
    for n, (k, p) in enumerate(zip(indices.tolist(), arrays.tolist(), strict=True)):
        flat, i = views[p], k - int(starts[p])
        kept = flat[i]
        flat[i] = kept + epsilon
        up = loss_value(probe, x, t)
        flat[i] = kept - epsilon
        down = loss_value(probe, x, t)
        flat[i] = kept
        out[n] = (up - down) / (2.0 * epsilon)
    bad = ~np.isfinite(out)
    if bad.any():  # checked once, after the loop: the loop is what /cost times
        n = int(np.argmax(bad))
        p, i = int(arrays[n]), int(indices[n] - starts[arrays[n]])
        raise NonFiniteError(
            f"the loss overflowed at θ ± ε for {_name(network, p, i)} in the gradient check"
        )
    return out


def _name(network: Network, p: int, i: int) -> str:
    """weights[l][j][i] or biases[l][j] of the i-th entry of parameter array p."""
    layers = len(network.weights)
    name, l = ("weights", p) if p < layers else ("biases", p - layers)
    shape = (network.weights if p < layers else network.biases)[l].shape
    where = [int(n) for n in np.unravel_index(i, shape)]
    return name + "".join(f"[{n}]" for n in [l, *where])


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
