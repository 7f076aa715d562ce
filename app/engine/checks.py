"""The checks a request's numbers pass before any work, each naming the field it failed on.

Arrays (finite, bounded, of the right shape), an example and a batch for a network, the
targets a loss can take, η, and a training run's caps. A SpecError(loc, msg, type) says
where and why; the API turns it into its one error shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from app.engine.errors import SpecError
from app.engine.limits import Limits
from app.engine.losses import LOSSES
from app.engine.optimizers import REGULARIZATIONS
from app.engine.passes import REDUCTIONS

if TYPE_CHECKING:
    from app.engine.network import Network
    from app.engine.train import TrainConfig
    from app.engine.training_data import DataSet

Array = np.ndarray
Loc = tuple[str | int, ...]


def check_vector_or_matrix(raw: Any, shape: tuple[int, ...], max_abs: float, loc: Loc) -> Array:
    """`raw` as a float64 array of exactly `shape`, finite and bounded, or a SpecError."""
    array = as_array(raw, shape, loc)
    check_values([array], [loc], max_abs)
    return array


def as_array(raw: Any, shape: tuple[int, ...], loc: Loc) -> Array:
    """`raw` as a float64 array of exactly `shape`, or a SpecError pointing at the culprit."""
    try:
        array = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        array = None  # ragged or not numbers: _diagnose_shape says which
    if array is None or array.shape != shape:
        _diagnose_shape(raw, shape, loc)
        raise SpecError(loc, "must contain numbers only", "not_a_number")
    return array


def values_within(arrays: Sequence[Array], max_abs: float) -> bool:
    """Every entry of every array finite and |x| ≤ max_abs: one reduction for them all."""
    flat = np.concatenate([a.ravel() for a in arrays]) if len(arrays) > 1 else arrays[0]
    return flat.size == 0 or bool(np.abs(flat).max() <= max_abs)  # False for NaN, too


def check_values(arrays: Sequence[Array], locs: Sequence[Loc], max_abs: float) -> None:
    """Every entry finite and |x| ≤ max_abs, or a SpecError naming the first that is not."""
    if values_within(arrays, max_abs):
        return
    for array, loc in zip(arrays, locs, strict=True):
        bad = ~np.isfinite(array)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            raise SpecError(
                (*loc, *where), "must be a finite number (NaN and Infinity are not)", "not_finite"
            )
        big = np.abs(array) > max_abs
        if big.any():
            where = tuple(int(i) for i in np.argwhere(big)[0])
            raise SpecError(
                (*loc, *where),
                f"must be at most {max_abs:g} in absolute value",
                "abs_too_large",
                limit=max_abs,
                given=float(array[where]),
            )


def _diagnose_shape(raw: Any, shape: tuple[int, ...], loc: Loc) -> None:
    """Raise a SpecError naming the first entry whose length or type is wrong."""
    if isinstance(raw, np.ndarray):
        raise SpecError(
            loc,
            f"must have shape {list(shape)}, got {list(raw.shape)}",
            "wrong_shape",
            expected=list(shape),
            got=list(raw.shape),
        )
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        raise SpecError(loc, f"must be a list of {shape[0]}", "not_a_list", expected=shape[0])
    if len(raw) != shape[0]:
        what = "rows (one per neuron of the next layer)" if len(shape) == 2 else "numbers"
        per = "next_layer_neuron" if len(shape) == 2 else "previous_layer_neuron"
        raise SpecError(
            loc,
            f"needs {shape[0]} {what}, got {len(raw)}",
            "wrong_length",
            expected=shape[0],
            got=len(raw),
            per=per,
        )
    for j, item in enumerate(raw):
        if len(shape) == 2:
            if not isinstance(item, Sequence) or isinstance(item, str) or len(item) != shape[1]:
                listed = isinstance(item, Sequence) and not isinstance(item, str)
                got = len(item) if isinstance(item, Sequence) else type(item).__name__
                raise SpecError(
                    (*loc, j),
                    f"needs {shape[1]} weights (one per neuron of the previous layer), got {got}",
                    "wrong_length" if listed else "not_a_list",
                    expected=shape[1],
                    **({"got": got, "per": "previous_layer_neuron"} if listed else {}),
                )
            _diagnose_shape(item, shape[1:], (*loc, j))
        elif isinstance(item, bool) or not isinstance(item, (int, float, np.number)):
            raise SpecError((*loc, j), "must be a number", "not_a_number")


def check_example(network: Network, x: Any, t: Any, limits: Limits) -> tuple[Array, Array]:
    """The input and target as arrays of the network's sizes, or a SpecError."""
    x_arr = check_vector_or_matrix(x, (network.layers[0],), limits.max_abs_value, ("input",))
    t_arr = check_vector_or_matrix(t, (network.layers[-1],), limits.max_abs_value, ("target",))
    check_targets(network, t_arr, ("target",))
    return x_arr, t_arr


def check_learning_rate(learning_rate: Any, limits: Limits) -> float:
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, (int, float)):
        raise SpecError(("learning_rate",), "must be a number", "not_a_number")
    if not 0 < learning_rate <= limits.max_learning_rate:  # also false for NaN
        raise SpecError(
            ("learning_rate",),
            f"η must be greater than 0 and at most {limits.max_learning_rate:g}, "
            f"got {learning_rate}",
            "out_of_range",
            min=0,
            min_exclusive=True,
            max=limits.max_learning_rate,
            given=learning_rate,
        )
    return float(learning_rate)


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


def check_targets(network: Network, t: Array, loc: Loc) -> None:
    """Targets the loss can take: [0, 1] for the cross-entropies. `t` is one example's
    target or a batch's rows; the error names the first entry outside."""
    if LOSSES[network.loss].targets_in_unit_interval:
        outside = (t < 0) | (t > 1)
        if outside.any():
            where = tuple(int(i) for i in np.argwhere(outside)[0])
            raise SpecError(
                (*loc, *where),
                f"{network.loss} needs targets in [0, 1], got {t[where]:g}",
                "target_outside_unit_interval",
                loss=network.loss,
                given=float(t[where]),
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


def _whole_in_range(field: str, given: int, lo: int, hi: int, msg: str, **ctx: object) -> None:
    """A whole-number setting of a run within [lo, hi], else its out_of_range SpecError
    (ctx after min, max and whole, before given: the order the API has always written)."""
    if not lo <= given <= hi:
        raise SpecError(
            (field,), msg, "out_of_range", min=lo, max=hi, whole=True, **ctx, given=given
        )


def check_config(config: TrainConfig, data: DataSet, network: Network, limits: Limits) -> None:
    """The caps a run must respect, checked before any work; a SpecError names the field."""
    n = len(data.train)
    _whole_in_range(
        "epochs",
        config.epochs,
        0,
        limits.max_epochs,
        f"must be from 0 (θ as it is: one report) to {limits.max_epochs}",
    )
    if config.epochs * n > limits.max_epoch_samples:
        raise SpecError(
            ("epochs",),
            f"epochs × training points is {config.epochs} × {n} = {config.epochs * n}; "
            f"the limit is {limits.max_epoch_samples}",
            "too_many_epoch_samples",
            epochs=config.epochs,
            points=n,
            total=config.epochs * n,
            limit=limits.max_epoch_samples,
        )
    _whole_in_range(
        "seed", config.seed, 0, limits.max_seed, f"must be an integer from 0 to {limits.max_seed}"
    )
    _whole_in_range(
        "batch_size",
        config.batch_size,
        1,
        limits.max_samples,
        f"must be from 1 to {limits.max_samples}",
    )
    if config.grid != 0:
        _whole_in_range(
            "grid",
            config.grid,
            2,
            limits.max_grid,
            f"must be 0 (no boundary) or from 2 to {limits.max_grid}",
            zero_allowed=True,
        )
    if config.neuron_grid is not None:
        _whole_in_range(
            "neuron_grid",
            config.neuron_grid,
            2,
            limits.max_grid,
            f"must be from 2 to {limits.max_grid}",
        )
    if config.report_every < 1:  # past `epochs` it reports at the start and the end only
        raise SpecError(
            ("report_every",),
            "must be 1 or more",
            "out_of_range",
            min=1,
            whole=True,
            given=config.report_every,
        )
    reports = -(-config.epochs // config.report_every) + 1
    hidden = sum(network.layers[1:-1]) if config.neuron_grids else 0
    neuron_grid = config.neuron_grid or config.grid
    per_report = config.grid**2 + hidden * neuron_grid**2 if config.grid else 0
    cells = reports * per_report if data.extent is not None else 0
    if cells > limits.max_report_cells:
        raise SpecError(
            ("report_every",),
            f"{reports} snapshots of a {config.grid} × {config.grid} grid"
            + (f" for the output and {hidden} hidden neurons" if hidden else "")
            + f" are {cells} values; the limit is {limits.max_report_cells}: report less "
            "often, or use a smaller grid",
            "too_many_report_values",
            reports=reports,
            grid=config.grid,
            hidden=hidden,
            total=cells,
            limit=limits.max_report_cells,
        )
    if config.max_steps is not None and config.max_steps < 1:
        raise SpecError(
            ("max_steps",),
            "must be 1 or more",
            "out_of_range",
            min=1,
            whole=True,
            given=config.max_steps,
        )
    if config.regularization is not None:
        kind, rate = config.regularization
        if kind not in REGULARIZATIONS:
            raise SpecError(
                ("regularization", "kind"),
                f"must be one of {', '.join(REGULARIZATIONS)}",
                "unknown_choice",
                given=kind,
                choices=list(REGULARIZATIONS),
            )
        if not 0 <= rate <= limits.max_learning_rate:
            raise SpecError(
                ("regularization", "rate"),
                f"must be from 0 to {limits.max_learning_rate:g}",
                "out_of_range",
                min=0,
                max=limits.max_learning_rate,
                given=rate,
            )
    if config.reduction not in REDUCTIONS:
        raise SpecError(
            ("reduction",),
            f"must be one of {', '.join(REDUCTIONS)}",
            "unknown_choice",
            given=config.reduction,
            choices=list(REDUCTIONS),
        )
