"""A training run's data: points, the network's inputs (features) and targets, split.

A data set is either one of dataset_generators.py's sets or the user's own points. The
split and the encoding happen here, once, on the server: the page receives every point's
network input and target and never computes a feature or a one-hot row itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.checks import as_rows, check_targets, check_values
from app.engine.dataset_generators import DATASETS, EXTENT, generate
from app.engine.errors import SpecError
from app.engine.limits import Limits
from app.engine.losses import LOSSES
from app.engine.network import Network

Array = np.ndarray
Loc = tuple[str | int, ...]

# Input features of a 2-D point, as the Playground offers them.
FEATURES: dict[str, Callable[[Array], Array]] = {
    "x1": lambda x: x[:, 0],
    "x2": lambda x: x[:, 1],
    "x1^2": lambda x: x[:, 0] ** 2,
    "x2^2": lambda x: x[:, 1] ** 2,
    "x1x2": lambda x: x[:, 0] * x[:, 1],
    "sin(x1)": lambda x: np.sin(x[:, 0]),
    "sin(x2)": lambda x: np.sin(x[:, 1]),
}
DEFAULT_FEATURES = ("x1", "x2")
DEFAULTS = {"samples": 200, "noise": 0.0, "seed": 0, "test_ratio": 0.5}


@dataclass(frozen=True)
class Split:
    x: Array  # the points, n × d
    inputs: Array  # the network's a of layer 0 (the features), n × inputs
    targets: Array  # the network's t, n × outputs
    labels: Array  # class index (classification) or value (regression), n

    def __len__(self) -> int:
        return len(self.x)

    def to_json(self) -> dict[str, Any]:
        return {"x": self.x, "inputs": self.inputs, "targets": self.targets, "labels": self.labels}


@dataclass(frozen=True)
class DataSet:
    kind: str  # "classification" | "regression"
    classes: int | None
    features: tuple[str, ...] | None  # None: the points' columns are the inputs
    extent: tuple[tuple[float, float], tuple[float, float]] | None  # the plane, if 2-D
    train: Split
    test: Split

    def inputs_of(self, x: Array) -> Array:
        """The network's inputs for points x (the boundary's lattice, say)."""
        if self.features is None:
            return x
        return np.column_stack([FEATURES[f](x) for f in self.features])

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "classes": self.classes,
            "features": list(self.features) if self.features is not None else None,
            "extent": self.extent,
            "train": self.train.to_json(),
            "test": self.test.to_json(),
        }


def dataset_from_spec(
    spec: Any, network: Network, limits: Limits, loc: Loc = ("dataset",)
) -> DataSet:
    """The run's data for this network, every field checked, or a SpecError."""
    if not isinstance(spec, Mapping):
        raise SpecError(
            loc, "must be an object: a generated set's name, or x and y", "not_an_object"
        )
    seed = _integer(_get(spec, "seed"), 0, limits.max_seed, (*loc, "seed"))
    test_ratio = _number(_get(spec, "test_ratio"), 0.0, limits.max_test_ratio, (*loc, "test_ratio"))
    k = network.layers[-1]
    extent: tuple[tuple[float, float], tuple[float, float]] | None = None
    if spec.get("name") is not None:
        if spec.get("x") is not None or spec.get("y") is not None:
            raise SpecError(loc, "give either a name or x and y, not both", "dataset_both")
        x, labels, kind, classes = _generated(spec, limits, loc)
        extent = EXTENT
        targets = _encode(network, labels, kind, classes, loc)
    else:  # the user's own points
        if spec.get("x") is None or spec.get("y") is None:
            raise SpecError(loc, "needs a generated set's name, or both x and y", "dataset_neither")
        width = _width(spec["x"])
        if not 1 <= width <= limits.max_neurons:
            raise SpecError(
                (*loc, "x", 0),
                f"must be a list of 1 to {limits.max_neurons} numbers (a point)",
                "wrong_length",
                min=1,
                max=limits.max_neurons,
                got=width,
                per="coordinate",
            )
        x = as_rows(spec["x"], width, (*loc, "x"), "one point", limits.max_samples, "coordinate")
        targets = as_rows(
            spec["y"],
            k,
            (*loc, "y"),
            f"the target: one per output neuron, {k}",
            limits.max_samples,
            "output_neuron",
        )
        if len(targets) != len(x):
            raise SpecError(
                (*loc, "y"),
                f"needs one row per point: {len(x)}, got {len(targets)}",
                "wrong_length",
                expected=len(x),
                got=len(targets),
                per="point",
            )
        check_values([x, targets], [(*loc, "x"), (*loc, "y")], limits.max_abs_value)
        check_targets(network, targets, (*loc, "y"))
        kind, classes, labels = _kind_of(network, targets)
        if x.shape[1] == 2:
            extent = _extent_of(x)

    features = _features(spec.get("features"), x.shape[1], network, loc)
    inputs = x if features is None else np.column_stack([FEATURES[f](x) for f in features])
    n = len(x)
    n_test = round(test_ratio * n)
    if n - n_test < 1:
        raise SpecError(
            (*loc, "test_ratio"),
            f"leaves no training points out of {n}",
            "no_training_points",
            points=n,
        )
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]

    def split(rows: Array) -> Split:
        return Split(x[rows], inputs[rows], targets[rows], labels[rows])

    return DataSet(kind, classes, features, extent, split(train), split(test))


def _generated(
    spec: Mapping[str, Any], limits: Limits, loc: Loc
) -> tuple[Array, Array, str, int | None]:
    name = spec["name"]
    if name not in DATASETS:
        raise SpecError(
            (*loc, "name"),
            f"unknown data set {name!r}; choose one of {', '.join(DATASETS)}",
            "unknown_choice",
            given=name,
            choices=list(DATASETS),
        )
    samples = _integer(_get(spec, "samples"), 1, limits.max_samples, (*loc, "samples"))
    noise = _number(_get(spec, "noise"), 0.0, limits.max_noise, (*loc, "noise"))
    seed = _integer(_get(spec, "seed"), 0, limits.max_seed, (*loc, "seed"))
    x, labels = generate(name, samples, noise, seed)
    kind = DATASETS[name]
    return x, labels, kind.kind, kind.classes


def _encode(network: Network, labels: Array, kind: str, classes: int | None, loc: Loc) -> Array:
    """A generated set's labels as the network's targets: 0/1, one-hot, or the value."""
    k = network.layers[-1]
    where = ("network", "layers", len(network.layers) - 1)
    if kind == "regression":
        if k != 1:
            raise SpecError(
                where,
                f"a regression set has one value per point: 1 output, not {k}",
                "regression_outputs",
                got=k,
            )
        if LOSSES[network.loss].targets_in_unit_interval:
            raise SpecError(
                ("network", "loss"),
                f"a regression set's values lie in [-1, 1], outside the [0, 1] that "
                f"{network.loss} takes: use squared_error or mse",
                "regression_loss",
                loss=network.loss,
                choices=["squared_error", "mse"],
            )
        return labels[:, None]
    assert classes is not None
    if k == 1:
        if classes != 2:
            raise SpecError(
                where,
                f"this set has {classes} classes: the output layer needs {classes} "
                "neurons (softmax), not 1",
                "class_outputs",
                classes=classes,
                expected=classes,
                got=1,
            )
        return labels[:, None]
    if k != classes:
        raise SpecError(
            where,
            f"this set has {classes} classes: the output layer needs "
            f"{classes} neurons (one-hot targets), not {k}",
            "class_outputs",
            classes=classes,
            expected=classes,
            got=k,
        )
    return np.eye(classes)[labels.astype(int)]


def _kind_of(network: Network, targets: Array) -> tuple[str, int | None, Array]:
    """Classification when every target is a 0/1 class row under a sigmoid or softmax
    output; anything else is regression."""
    binary = np.isin(targets, (0.0, 1.0)).all()
    k = targets.shape[1]
    if binary and network.activations[-1] in ("sigmoid", "softmax"):
        if k == 1:
            return "classification", 2, targets[:, 0].copy()
        if (targets.sum(axis=1) == 1).all():
            return "classification", k, targets.argmax(axis=1).astype(np.float64)
    return "regression", None, targets[:, 0].copy()


def _features(raw: Any, width: int, network: Network, loc: Loc) -> tuple[str, ...] | None:
    where = ("network", "layers", 0)
    if raw is None:
        if width != 2:
            if network.layers[0] != width:
                raise SpecError(
                    where,
                    f"must be {width}: one input neuron per column of x",
                    "input_neurons",
                    expected=width,
                )
            return None
        raw = list(DEFAULT_FEATURES)
    if width != 2:
        raise SpecError(
            (*loc, "features"),
            f"features need 2-D points; x has {width} columns",
            "features_need_2d",
            columns=width,
        )
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise SpecError(
            (*loc, "features"),
            f"must be a non-empty list of {', '.join(FEATURES)}",
            "not_a_list",
        )
    for i, f in enumerate(raw):
        if f not in FEATURES:
            raise SpecError(
                (*loc, "features", i),
                f"unknown feature {f!r}; choose from {', '.join(FEATURES)}",
                "unknown_choice",
                given=f,
                choices=list(FEATURES),
            )
    if len(set(raw)) != len(raw):
        raise SpecError((*loc, "features"), "lists a feature twice", "duplicate")
    if network.layers[0] != len(raw):
        raise SpecError(
            where,
            f"must be {len(raw)}: one input neuron per feature ({', '.join(raw)})",
            "input_neurons",
            expected=len(raw),
            features=list(raw),
        )
    return tuple(raw)


def _extent_of(x: Array) -> tuple[tuple[float, float], tuple[float, float]]:
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = np.where(hi > lo, (hi - lo) * 0.05, 1.0)
    return (
        (float(lo[0] - pad[0]), float(hi[0] + pad[0])),
        (float(lo[1] - pad[1]), float(hi[1] + pad[1])),
    )


def _get(spec: Mapping[str, Any], key: str) -> Any:
    value = spec.get(key)
    return DEFAULTS[key] if value is None else value


def _width(raw: Any) -> int:
    first = raw[0] if isinstance(raw, Sequence) and not isinstance(raw, str) and raw else None
    return len(first) if isinstance(first, Sequence) and not isinstance(first, str) else 0


def _integer(value: Any, low: int, high: int, loc: Loc) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SpecError(
            loc,
            f"must be a whole number from {low} to {high}",
            "out_of_range",
            min=low,
            max=high,
            whole=True,
            given=value,
        )
    return value


def _number(value: Any, low: float, high: float, loc: Loc) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise SpecError(
            loc,
            f"must be a number from {low:g} to {high:g}",
            "out_of_range",
            min=low,
            max=high,
            given=value,
        )
    return float(value)
