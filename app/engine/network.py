"""The network spec: layers, activations, loss, weights and biases, validated.

weights[l][j][i] is the weight from neuron i of layer l to neuron j of layer l+1
(PyTorch's out×in layout); biases[l][j] belongs to neuron j of layer l+1. Layer 0 is
the input. Every check names the field it failed on (SpecError.loc) and runs before any
array is allocated from the spec, so caps hold even for hostile input (the checks of
arrays, examples, batches and runs are checks.py's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from app.engine.activations import ACTIVATIONS
from app.engine.checks import (
    as_array,
    check_example,
    check_learning_rate,
    check_targets,
    check_values,
    values_within,
)
from app.engine.errors import SpecError
from app.engine.limits import MIN_LAYERS, Limits
from app.engine.losses import LOSSES

Array = np.ndarray
Loc = tuple[str | int, ...]

INITS = ("xavier", "he", "uniform", "zeros")


@dataclass(frozen=True)
class Network:
    layers: tuple[int, ...]  # neurons per layer, input layer first
    activations: tuple[str, ...]  # one per non-input layer
    loss: str
    weights: tuple[Array, ...]  # weights[l]: shape (layers[l+1], layers[l])
    biases: tuple[Array, ...]  # biases[l]: shape (layers[l+1],)

    @classmethod
    def from_spec(
        cls, spec: Mapping[str, Any], limits: Limits | None = None, loc: Loc = ("network",)
    ) -> Network:
        return network_from_spec(spec, limits or Limits(), loc)

    def to_spec(self) -> dict[str, Any]:
        """The JSON-ready spec (numpy arrays are left for orjson to serialise)."""
        return {
            "layers": list(self.layers),
            "activations": list(self.activations),
            "loss": self.loss,
            "weights": list(self.weights),
            "biases": list(self.biases),
        }

    @property
    def parameter_count(self) -> int:
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases, strict=True))


def initial_weights(layers: Sequence[int], init: str, seed: int) -> list[Array]:
    """θ⁰ for the weights; biases start at 0 under every scheme."""
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in pairwise(layers):
        shape = (fan_out, fan_in)
        if init == "xavier":  # Glorot uniform: keeps the variance of z steady for tanh/sigmoid
            bound = np.sqrt(6.0 / (fan_in + fan_out))
            weights.append(rng.uniform(-bound, bound, shape))
        elif init == "he":  # He normal: the same for relu
            weights.append(rng.normal(0.0, np.sqrt(2.0 / fan_in), shape))
        elif init == "uniform":
            weights.append(rng.uniform(-1.0, 1.0, shape))
        else:
            weights.append(np.zeros(shape))
    return weights


def network_from_spec(spec: Mapping[str, Any], limits: Limits, loc: Loc = ("network",)) -> Network:
    layers, activations, loss, init, seed = _check_choices(spec, limits, loc)
    shapes = [(fan_out, fan_in) for fan_in, fan_out in pairwise(layers)]
    raw_weights = spec.get("weights")
    if raw_weights is None:
        weights = initial_weights(layers, init, seed)
    else:
        weights = _check_arrays(raw_weights, shapes, limits, (*loc, "weights"))
    raw_biases = spec.get("biases")
    if raw_biases is None:
        biases = [np.zeros(fan_out) for fan_out, _ in shapes]
    else:
        biases = _check_arrays(raw_biases, [(s[0],) for s in shapes], limits, (*loc, "biases"))
    return Network(tuple(layers), tuple(activations), loss, tuple(weights), tuple(biases))


def example_from_spec(
    spec: Mapping[str, Any], x: Any, t: Any, learning_rate: Any, limits: Limits
) -> tuple[Network, Array, Array, float]:
    """A trace request's network, input, target and η: `network_from_spec`, `check_example`
    and `check_learning_rate` in turn, with the same arrays and, for a bad request, the same
    first SpecError, at a fraction of the cost (issue 16 item 4): each array is built once
    by the same conversion, and all the numbers sent pass one finite-and-bounded reduction
    instead of four. Only when something is off do the checks run one by one, in their
    order, to name it."""
    loc: Loc = ("network",)
    layers, activations, loss, init, seed = _check_choices(spec, limits, loc)
    built = _built_at_once(spec, layers, init, seed, x, t, limits.max_abs_value)
    if built is None:
        network = network_from_spec(spec, limits, loc)
        x_arr, t_arr = check_example(network, x, t, limits)
    else:
        weights, biases, x_arr, t_arr = built
        network = Network(tuple(layers), tuple(activations), loss, weights, biases)
        check_targets(network, t_arr, ("target",))
    return network, x_arr, t_arr, check_learning_rate(learning_rate, limits)


def _built_at_once(
    spec: Mapping[str, Any],
    layers: list[int],
    init: str,
    seed: int,
    x: Any,
    t: Any,
    max_abs: float,
) -> tuple[tuple[Array, ...], tuple[Array, ...], Array, Array] | None:
    """θ⁰, x and t as `network_from_spec` and `check_example` build them (as_array's
    np.asarray, item by item), or None if any of their checks would fail: a wrong shape,
    or a number sent that is not finite or over the cap (one reduction over all of them;
    drawn weights and zero biases are not checked, as there)."""
    shapes = [(fan_out, fan_in) for fan_in, fan_out in pairwise(layers)]
    sent: list[Array] = []
    try:
        raw_weights, raw_biases = spec.get("weights"), spec.get("biases")
        if raw_weights is None:
            weights = tuple(initial_weights(layers, init, seed))
        else:
            weights = _as_arrays(raw_weights, shapes)
            sent.extend(weights)
        if raw_biases is None:
            biases = tuple(np.zeros(fan_out) for fan_out, _ in shapes)
        else:
            biases = _as_arrays(raw_biases, [(fan_out,) for fan_out, _ in shapes])
            sent.extend(biases)
        x_arr = np.asarray(x, dtype=np.float64)
        t_arr = np.asarray(t, dtype=np.float64)
    except Exception:  # whatever the conversion makes of odd input, the checks name it
        return None
    if x_arr.shape != (layers[0],) or t_arr.shape != (layers[-1],):
        return None
    if not values_within([*sent, x_arr, t_arr], max_abs):
        return None
    return weights, biases, x_arr, t_arr


def _as_arrays(raw: Any, shapes: Sequence[tuple[int, ...]]) -> tuple[Array, ...]:
    """One float64 array per layer, as _check_arrays builds them; ValueError if a list or a
    shape is not what _check_arrays takes."""
    if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) != len(shapes):
        raise ValueError
    arrays = [np.asarray(item, dtype=np.float64) for item in raw]
    if [a.shape for a in arrays] != list(shapes):
        raise ValueError
    return tuple(arrays)


def _check_choices(
    spec: Mapping[str, Any], limits: Limits, loc: Loc
) -> tuple[list[int], Sequence[str], str, str, int]:
    """Layers, activations, loss, init and seed, checked in this order."""
    if not isinstance(spec, Mapping):
        raise SpecError(loc, "must be an object with layers, activations and loss", "not_an_object")
    layers = _check_layers(spec.get("layers"), limits, (*loc, "layers"))
    n_weight_layers = len(layers) - 1

    activations = spec.get("activations")
    if not isinstance(activations, Sequence) or isinstance(activations, str):
        raise SpecError((*loc, "activations"), "must be a list of activation names", "not_a_list")
    if len(activations) != n_weight_layers:
        raise SpecError(
            (*loc, "activations"),
            f"needs one activation per non-input layer: {n_weight_layers}, got {len(activations)}",
            "wrong_length",
            expected=n_weight_layers,
            got=len(activations),
            per="layer",
        )
    for l, name in enumerate(activations):
        if name not in ACTIVATIONS:
            raise SpecError(
                (*loc, "activations", l),
                f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}",
                "unknown_choice",
                given=name,
                choices=list(ACTIVATIONS),
            )
        if ACTIVATIONS[name].output_only and l != n_weight_layers - 1:
            raise SpecError(
                (*loc, "activations", l),
                f"{name} is allowed on the output layer only",
                "output_layer_only",
                activation=name,
            )

    loss = spec.get("loss")
    if loss not in LOSSES:
        raise SpecError(
            (*loc, "loss"),
            f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}",
            "unknown_choice",
            given=loss,
            choices=list(LOSSES),
        )
    fits = LOSSES[loss].output_activations
    if fits is not None and activations[-1] not in fits:
        raise SpecError(
            (*loc, "loss"),
            f"{loss} needs a {' or '.join(fits)} output layer, not {activations[-1]}",
            "loss_needs_output",
            loss=loss,
            choices=list(fits),
            given=activations[-1],
        )

    init = spec.get("init", "xavier")
    if init is None:
        init = "xavier"
    if init not in INITS:
        raise SpecError(
            (*loc, "init"),
            f"unknown init {init!r}; choose one of {', '.join(INITS)}",
            "unknown_choice",
            given=init,
            choices=list(INITS),
        )
    seed = spec.get("seed", 0)
    if seed is None:
        seed = 0
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= limits.max_seed:
        raise SpecError(
            (*loc, "seed"),
            f"must be an integer from 0 to {limits.max_seed}",
            "out_of_range",
            min=0,
            max=limits.max_seed,
            whole=True,
            given=seed,
        )
    return layers, activations, loss, init, seed


def _check_layers(layers: Any, limits: Limits, loc: Loc) -> list[int]:
    if not isinstance(layers, Sequence) or isinstance(layers, str):
        raise SpecError(loc, "must be a list of neuron counts, input layer first", "not_a_list")
    if not MIN_LAYERS <= len(layers) <= limits.max_layers:
        raise SpecError(
            loc,
            f"needs from {MIN_LAYERS} to {limits.max_layers} layers (input layer included), "
            f"got {len(layers)}",
            "wrong_length",
            min=MIN_LAYERS,
            max=limits.max_layers,
            got=len(layers),
            per="layer",
        )
    for l, n in enumerate(layers):
        if isinstance(n, bool) or not isinstance(n, int):
            raise SpecError((*loc, l), "must be a whole number of neurons", "not_a_whole_number")
        if not 1 <= n <= limits.max_neurons:
            raise SpecError(
                (*loc, l),
                f"must be from 1 to {limits.max_neurons} neurons, got {n}",
                "out_of_range",
                min=1,
                max=limits.max_neurons,
                whole=True,
                given=n,
            )
    return list(layers)


def _check_arrays(
    raw: Any, shapes: Sequence[tuple[int, ...]], limits: Limits, loc: Loc
) -> list[Array]:
    """One float64 array per layer, of the given shapes, every entry finite and bounded."""
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise SpecError(loc, "must be a list with one entry per non-input layer", "not_a_list")
    if len(raw) != len(shapes):
        raise SpecError(
            loc,
            f"needs one entry per non-input layer: {len(shapes)}, got {len(raw)}",
            "wrong_length",
            expected=len(shapes),
            got=len(raw),
            per="layer",
        )
    pairs = enumerate(zip(raw, shapes, strict=True))
    arrays = [as_array(item, shape, (*loc, l)) for l, (item, shape) in pairs]
    check_values(arrays, [(*loc, l) for l in range(len(arrays))], limits.max_abs_value)
    return arrays
