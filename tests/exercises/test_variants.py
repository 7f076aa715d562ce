"""Each student's own numbers: the same seed gives the same bytes; 1,000 seeds give 1,000
different variants; every number is finite; no expected value can be read off the variant
(at 3, 4 or full significant digits); and no answer is degenerate: 0 (or, for θ¹, θ⁰ itself)
is never within a number question's tolerance. Expected values come from the oracle."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from app.exercises import EXERCISES, TEMPLATES_DIR, variant
from tests.exercises.oracle import Worked, answers, tolerance, work_out

SEEDS = range(1000)
IDS = list(EXERCISES)


@dataclass(frozen=True)
class Seen:
    body: bytes  # the variant as sent
    variant: dict[str, Any]  # parsed
    worked: Worked  # the oracle's step
    right: dict[str, Any]  # the oracle's answers


@cache
def variants(exercise_id: str) -> list[Seen]:
    """The variant of every seed, with the oracle's working of it."""
    out = []
    for seed in SEEDS:
        body = variant(EXERCISES[exercise_id], seed).body
        seen = json.loads(body)
        out.append(Seen(body, seen, work_out(seen["request"]), answers(seen)))
    return out


def numbers(node: Any) -> Iterator[float]:
    if isinstance(node, bool):
        return
    if isinstance(node, (int, float)):
        yield float(node)
    elif isinstance(node, dict):
        for value in node.values():
            yield from numbers(value)
    elif isinstance(node, list):
        for value in node:
            yield from numbers(value)


def as_text(value: float) -> list[str]:
    """The ways an expected value could be written: 3 and 4 significant digits, and in full
    (repr), without its sign (a minus in front does not hide it)."""
    v = abs(value)
    return [f"{v:.3g}", f"{v:.4g}", repr(v)]


def shows(text: str, written: str) -> bool:
    """`written` as a whole number in `text`: not a piece of a longer one."""
    return re.search(rf"(?<![\d.]){re.escape(written)}(?![\d])", text) is not None


@pytest.mark.parametrize("exercise_id", IDS)
def test_same_seed_same_bytes(exercise_id: str) -> None:
    for seed in (0, 1, 12345, 2**32 - 1):
        first = variant(EXERCISES[exercise_id], seed).body
        assert variant(EXERCISES[exercise_id], seed).body == first
    assert variants(exercise_id)[7].body == variant(EXERCISES[exercise_id], 7).body


@pytest.mark.parametrize("exercise_id", IDS)
def test_a_thousand_seeds_give_a_thousand_variants(exercise_id: str) -> None:
    requests = {json.dumps(s.variant["request"], sort_keys=True) for s in variants(exercise_id)}
    assert len(requests) == len(SEEDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_number_is_finite(exercise_id: str) -> None:
    for s in variants(exercise_id):
        assert all(math.isfinite(x) for x in numbers(s.variant))
        for q in s.variant["questions"]:
            targets = [o["target"] for o in q.get("options", [])] or [q["target"]]
            assert all(math.isfinite(s.worked.value(t)) for t in targets)


@pytest.mark.parametrize("exercise_id", IDS)
def test_no_expected_value_is_in_the_variant(exercise_id: str) -> None:
    for s in variants(exercise_id):
        text, seen = s.body.decode(), s.variant
        for q in seen["questions"]:
            if q["kind"] == "number":
                for written in as_text(s.right[q["id"]]):
                    assert not shows(text, written), (seen["seed"], q["id"], written)
        # Nothing of the step either: no field of a trace, no gradient.
        assert set(seen) == {"exercise", "seed", "move", "title", "request", "questions"}
        assert set(seen["request"]) == {
            "network",
            "input",
            "target",
            "learning_rate",
            "freeze_biases",
        }
        for q in seen["questions"]:
            assert set(q) <= {"id", "kind", "target", "prompt", "tolerance", "options"}


@pytest.mark.parametrize("exercise_id", IDS)
def test_no_answer_is_degenerate(exercise_id: str) -> None:
    """A number's expected value is never one that 0 (for θ¹: θ⁰, skipping the step) would
    match within its tolerance; a choice has one clear winner. Only a sign may be 0."""
    for s in variants(exercise_id):
        seen, worked = s.variant, s.worked
        for q in seen["questions"]:
            if q["kind"] == "number":
                expected = worked.value(q["target"])
                lazy = worked.before(q["target"])  # 0 for anything but θ¹
                assert abs(expected - lazy) > tolerance(q, expected), (seen["seed"], q)
                assert expected != 0
            elif q["kind"] == "choice":
                sizes = sorted(
                    (abs(worked.change(o["target"])) for o in q["options"]), reverse=True
                )
                assert sizes[0] > sizes[1], (seen["seed"], q, sizes)


def test_another_exercise_with_the_same_seed_has_other_numbers() -> None:
    a = variant(EXERCISES["forward-2-2-1"], 5).request
    b = variant(EXERCISES["backward-hidden-2-2-1"], 5).request
    assert a["network"]["layers"] == b["network"]["layers"]
    assert (a["network"]["weights"], a["input"]) != (b["network"]["weights"], b["input"])


def test_values_are_drawn_within_the_templates_ranges_and_digits() -> None:
    """What docs/exercises.md promises: min ≤ value ≤ max, at most `digits` decimals, 0 not
    drawn unless allowed."""
    draw = json.loads((TEMPLATES_DIR / "whole-step-2-2-2.json").read_text())["draw"]
    for s in variants("whole-step-2-2-2")[:200]:
        req = s.variant["request"]
        fields = {
            "weights": [w for layer in req["network"]["weights"] for row in layer for w in row],
            "biases": [b for layer in req["network"]["biases"] for b in layer],
            "input": req["input"],
            "target": req["target"],
            "learning_rate": [req["learning_rate"]],
        }
        for name, values in fields.items():
            spec = draw[name]
            for value in values:
                assert spec["min"] <= value <= spec["max"], (name, value)
                assert round(value, spec["digits"]) == value, (name, value)
                assert value != 0 or spec.get("zero", False)
