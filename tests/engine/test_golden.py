"""The engine's outputs are today's, bit for bit: the golden files of tests/engine/golden/
(written by `python -m tests.engine.golden.make_golden` before the engine's restructure;
see that module for what they hold and why their floats read back exactly).

Floats are compared by their bits (float.hex: −0.0 is not 0.0), ints, strings, booleans
and None by value and type, so a float that became an int, or the reverse, fails too.
Also here: a batch of one is the trace bit for bit, for every golden network, and a
20-epoch run is 10 epochs resumed for 10 more.
"""

from __future__ import annotations

import functools
import json
from typing import Any

import numpy as np
import pytest

from app.engine import batch_trace, trace
from tests.engine.golden import make_golden as golden

OPTIMIZERS = ("sgd", "momentum", "adam")


@functools.cache
def stored(area: str) -> dict[str, Any]:
    return golden.read(area)


def first_difference(expected: Any, actual: Any, path: str = "") -> str | None:
    """Where two JSON values first differ (None if they are the same bit for bit)."""
    if type(expected) is not type(actual):
        return f"{path}: {expected!r} ({type(expected).__name__}) != {actual!r}"
    if isinstance(expected, float):
        same = expected.hex() == actual.hex()
        return None if same else f"{path}: {expected!r} != {actual!r}"
    if isinstance(expected, dict):
        if list(expected) != list(actual):
            return f"{path}: keys {list(expected)} != {list(actual)}"
        for k in expected:
            found = first_difference(expected[k], actual[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return f"{path}: length {len(expected)} != {len(actual)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(e, a, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if expected == actual else f"{path}: {expected!r} != {actual!r}"


def same(expected: Any, actual: Any) -> None:
    found = first_difference(expected, actual)
    assert found is None, found


def test_the_comparison_sees_a_last_bit_and_a_sign_of_zero() -> None:
    assert first_difference([1.0, {"a": 0.1}], [1.0, {"a": 0.1}]) is None
    assert first_difference([0.1], [np.nextafter(0.1, 1.0)]) is not None
    assert first_difference([0.0], [-0.0]) is not None
    assert first_difference([1.0], [1]) is not None
    assert first_difference({"a": 1, "b": 2}, {"b": 2, "a": 1}) is not None


def test_the_golden_floats_read_back_exactly() -> None:
    values = [0.1, -0.0, 5e-324, 1.7976931348623157e308, np.nextafter(1.0, 2.0), 1e76 / 3]
    assert [v.hex() for v in json.loads(json.dumps(values))] == [v.hex() for v in values]


TRACES = golden.preset_cases() + golden.generated()


@pytest.mark.parametrize("case", TRACES, ids=[c["name"] for c in TRACES])
def test_trace_is_todays(case: dict[str, Any]) -> None:
    same(stored("trace")[case["name"]], golden.compute_trace(case))


@pytest.mark.parametrize("case", golden.OVERFLOWS, ids=[c["name"] for c in golden.OVERFLOWS])
def test_overflow_names_todays_quantity(case: dict[str, Any]) -> None:
    same(stored("trace")[case["name"]], golden.compute_overflow(case))


@pytest.mark.parametrize("case", TRACES, ids=[c["name"] for c in TRACES])
def test_a_batch_of_one_is_the_trace_bit_for_bit(case: dict[str, Any]) -> None:
    net, x, t = golden.example_of(case)
    single = trace(net, x, t, learning_rate=case["learning_rate"])  # batch_trace never freezes
    batch = batch_trace(net, x[None], t[None], case["learning_rate"])
    same([single.loss], golden.plain(batch.losses))
    same(single.loss, batch.loss)
    for lb, ls in zip(batch.layers, single.layers, strict=True):
        for name in ("z", "a", "da_dz", "dl_da", "dl_dz", "dl_dw", "dl_db"):
            one = getattr(lb, name)
            same(golden.plain(getattr(ls, name)), None if one is None else one[0].tolist())
    same(golden.plain(single.updated.to_spec()), golden.plain(batch.updated.to_spec()))
    # ∂L/∂w of a batch of one is its one ∂l/∂w, summed: the sum of a single −0.0 is +0.0,
    # so here (and only here) the sign of a zero may differ, as it did before the change.
    for (w, b), lt in zip(zip(*batch.gradients, strict=True), single.layers, strict=True):
        assert np.array_equal(w, lt.dl_dw) and np.array_equal(b, lt.dl_db)


BATCHES = golden.batch_cases()


@pytest.mark.parametrize("case", BATCHES, ids=[c["name"] for c in BATCHES])
def test_batch_is_todays(case: dict[str, Any]) -> None:
    same(stored("batch")[case["name"]], golden.compute_batch(case))


@pytest.mark.parametrize("case", golden.RUNS, ids=[c["name"] for c in golden.RUNS])
def test_training_run_is_todays(case: dict[str, Any]) -> None:
    same(stored("train")[case["name"]], golden.compute_run(case))


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_twenty_epochs_are_todays_and_ten_resumed_for_ten_more(optimizer: str) -> None:
    whole = stored("train")[f"split-{optimizer}"]
    same(whole, golden.compute_split_run(optimizer))
    resumed = golden.resumed_run(optimizer)
    done, expected = resumed[-1], whole["events"][-1]
    for key in ("epoch", "step", "network", "optimizer_state", "next_batch", "train_loss"):
        same(expected[key], done[key])
    reports = [e for e in whole["events"] if e["type"] == "epoch"]
    resumed_reports = [e for e in resumed if e["type"] == "epoch"]
    # The first run's last report and the second's first are both epoch 10.
    same(reports, resumed_reports[:3] + resumed_reports[4:])


GRADCHECKS = [c for c in TRACES if c["name"] in stored("gradcheck")]


def test_gradcheck_covers_the_presets_and_small_networks() -> None:
    assert len(GRADCHECKS) == len(stored("gradcheck")) > len(golden.PRESETS)


@pytest.mark.parametrize("case", GRADCHECKS, ids=[c["name"] for c in GRADCHECKS])
def test_gradcheck_is_todays(case: dict[str, Any]) -> None:
    same(stored("gradcheck")[case["name"]], golden.compute_gradcheck(case))


def test_cost_is_todays() -> None:
    expected = stored("cost")
    shapes = golden.sweep_shapes(golden.LIMITS)
    assert list(expected) == ["-".join(map(str, s)) for s in shapes]
    for shape in shapes:
        same(expected["-".join(map(str, shape))], golden.compute_cost(list(shape)))


def test_data_sets_and_a_runs_data_are_todays() -> None:
    same(stored("data"), golden.compute_data())


def test_goldens_are_a_few_megabytes() -> None:
    sizes = [golden.path_of(area).stat().st_size for area in golden.areas()]
    assert sum(sizes) < 3_000_000
