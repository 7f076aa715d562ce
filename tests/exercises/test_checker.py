"""The checker against an independent oracle (tests/exercises/oracle.py: the lecture's
formulas by hand, no app.engine): for many seeds of every template, the oracle's answers
are all judged right; each one nudged just past its tolerance is wrong and just inside it
right; a wrong sign or option is wrong; signs are right at exactly zero; unanswered is
wrong; and each explanation is the chain-rule line with its numbers."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from app.exercises import EXERCISES, MOVES, check, read_template, variant
from tests.exercises.oracle import answers, sign_of, tolerance, work_out

SEEDS = range(100)
IDS = list(EXERCISES)


def student_view(exercise_id: str, seed: int) -> tuple[Any, dict[str, Any]]:
    v = variant(EXERCISES[exercise_id], seed)
    return v, json.loads(v.body)


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_oracles_answers_are_all_right(exercise_id: str) -> None:
    for seed in SEEDS:
        v, seen = student_view(exercise_id, seed)
        right = answers(seen)
        result = check(v, right)
        assert result["score"] == result["max"] == len(seen["questions"]), (seed, result)
        for r in result["results"]:
            assert r["given"] == right[r["id"]]
            if isinstance(r["expected"], float):
                assert math.isclose(r["expected"], right[r["id"]], rel_tol=1e-9, abs_tol=1e-12)
            else:
                assert r["expected"] == right[r["id"]]


@pytest.mark.parametrize("exercise_id", IDS)
def test_a_number_just_past_its_tolerance_is_wrong_and_just_inside_right(
    exercise_id: str,
) -> None:
    for seed in SEEDS:
        v, seen = student_view(exercise_id, seed)
        right = answers(seen)
        for q in seen["questions"]:
            if q["kind"] != "number":
                continue
            expected = right[q["id"]]
            tol = tolerance(q, expected)
            for factor, correct in ((1.01, False), (0.99, True)):
                for direction in (1, -1):
                    given = expected + direction * factor * tol
                    (r,) = [x for x in check(v, {q["id"]: given})["results"] if x["id"] == q["id"]]
                    assert r["correct"] is correct, (seed, q["id"], expected, given, tol)


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_other_sign_and_option_is_wrong(exercise_id: str) -> None:
    for seed in SEEDS:
        v, seen = student_view(exercise_id, seed)
        right = answers(seen)
        for q in seen["questions"]:
            if q["kind"] == "number":
                continue
            choices = ["+", "-", "0"] if q["kind"] == "sign" else [o["value"] for o in q["options"]]
            for given in choices:
                (r,) = [x for x in check(v, {q["id"]: given})["results"] if x["id"] == q["id"]]
                assert r["correct"] is (given == right[q["id"]]), (seed, q["id"], given)


def test_signs_are_right_at_exactly_zero() -> None:
    """Through relu, a neuron with z < 0 passes ∂l/∂z = 0 back and its weights do not move:
    "0" is the answer, and "+" and "-" are wrong."""
    zeros: dict[str, int] = {}
    for seed in SEEDS:
        v, seen = student_view("backward-hidden-relu-2-3-1", seed)
        worked = work_out(seen["request"])
        for q in seen["questions"]:
            if q["kind"] != "sign" or worked.change(q["target"]) != 0:
                continue
            quantity = q["target"]["quantity"]
            zeros[quantity] = zeros.get(quantity, 0) + 1
            results = {g: check(v, {q["id"]: g})["results"] for g in ("0", "+", "-")}
            verdicts = {g: next(r for r in rs if r["id"] == q["id"]) for g, rs in results.items()}
            assert verdicts["0"]["correct"] and verdicts["0"]["expected"] == "0"
            assert not verdicts["+"]["correct"] and not verdicts["-"]["correct"]
    # The template does meet zeros, for ∂l/∂z and for a weight's change.
    assert zeros.get("dl_dz", 0) >= 20 and zeros.get("w_next", 0) >= 5, zeros


def test_unanswered_is_wrong() -> None:
    for exercise_id in IDS:
        v, seen = student_view(exercise_id, 3)
        result = check(v, {})
        assert result["score"] == 0 and result["max"] == len(seen["questions"])
        assert all(r["given"] is None and r["correct"] is False for r in result["results"])
        result = check(v, {q["id"]: None for q in seen["questions"]})
        assert result["score"] == 0


def test_every_move_has_an_exercise_and_the_worked_examples_shape_one() -> None:
    assert {e.move for e in EXERCISES.values()} == set(MOVES)
    from app.engine import PRESETS

    worked = PRESETS["worked-example-2-2-2"].request["network"]
    assert any(
        e.move == "whole-step"
        and list(e.layers) == worked["layers"]
        and list(e.activations) == worked["activations"]
        and e.loss == worked["loss"]
        for e in EXERCISES.values()
    )


# The worked example (the preset's numbers, fixed), its published values to 4 digits:
# a¹₁ = 0.593269992, ∂l/∂z²₁ = 0.138498562, ∂l/∂w²₁₁ (w₅) = 0.082167041, w²₁₁ → 0.35891648.
WORKED = {
    "id": "worked",
    "move": "whole-step",
    "title": {"en": "The worked example", "zh-TW": "範例"},
    "network": {"preset": "worked-example-2-2-2"},
    "draw": {
        "weights": {"fixed": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]]},
        "biases": {"fixed": [[0.35, 0.35], [0.60, 0.60]]},
        "input": {"fixed": [0.05, 0.10]},
        "target": {"fixed": [0.01, 0.99]},
        "learning_rate": {"fixed": 0.5},
    },
    "questions": [
        {
            "id": "w",
            "kind": "number",
            "target": {"quantity": "dl_dw", "layer": 2, "neuron": 1, "from": 1},
        },
        {"id": "z", "kind": "number", "target": {"quantity": "dl_dz", "layer": 2, "neuron": 1}},
        {
            "id": "n",
            "kind": "number",
            "target": {"quantity": "w_next", "layer": 2, "neuron": 1, "from": 1},
        },
        {
            "id": "s",
            "kind": "sign",
            "target": {"quantity": "w_next", "layer": 2, "neuron": 1, "from": 1},
        },
        {
            "id": "h",
            "kind": "number",
            "target": {"quantity": "dl_dz", "layer": 1, "neuron": 1},
            "tolerance": {"abs": 1e-6, "rel": 0.005},
        },
        {"id": "f", "kind": "number", "target": {"quantity": "z", "layer": 1, "neuron": 1}},
        {"id": "l", "kind": "number", "target": {"quantity": "loss"}},
        {
            "id": "c",
            "kind": "choice",
            "options": [
                {"quantity": "w_next", "layer": 2, "neuron": 1, "from": 1},
                {"quantity": "w_next", "layer": 1, "neuron": 1, "from": 1},
            ],
        },
    ],
}


def test_explanations_are_the_chain_rule_with_the_worked_examples_numbers() -> None:
    v = variant(read_template(WORKED, "test"), 0)
    lines = {r["id"]: r["explanation"] for r in check(v, {})["results"]}
    assert lines["w"] == "∂l/∂w²₁₁ = a¹₁ × ∂l/∂z²₁ = 0.5933 × 0.1385 = 0.08217"
    assert lines["z"] == "∂l/∂z²₁ = σ'(z²₁) ∂l/∂a²₁ = 0.1868 × 0.7414 = 0.1385"
    assert lines["n"] == "w²₁₁ − η ∂l/∂w²₁₁ = 0.4 − 0.5 × 0.08217 = 0.3589"
    assert lines["s"] == "Δw²₁₁ = −η ∂l/∂w²₁₁ = −0.5 × 0.08217 = −0.04108 < 0"
    # δ_h1 of the published example: 0.036350306 × 0.241300709 = 0.008771354.
    assert lines["h"] == (
        "∂l/∂z¹₁ = σ'(z¹₁) [w²₁₁ ∂l/∂z²₁ + w²₂₁ ∂l/∂z²₂] "
        "= 0.2413 × [0.4 × 0.1385 + 0.5 × (−0.0381)] = 0.008771"
    )
    assert lines["f"] == "z¹₁ = w¹₁₁ x₁ + w¹₁₂ x₂ + b¹₁ = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775"
    assert (
        lines["l"]
        == "l = ½[(a²₁ − t₁)² + (a²₂ − t₂)²] = ½[(0.7514 − 0.01)² + (0.7729 − 0.99)²] = 0.2984"
    )
    # ∂l/∂w¹₁₁ = 0.000438568 in the published example, times η = 0.5.
    assert lines["c"] == "|Δw²₁₁| = 0.04108 > |Δw¹₁₁| = 0.0002193"


def test_every_explanation_ends_in_its_expected_value() -> None:
    for exercise_id in IDS:
        for seed in range(20):
            v, _ = student_view(exercise_id, seed)
            for r in check(v, {})["results"]:
                if isinstance(r["expected"], float):
                    shown = r["explanation"].rsplit("= ", 1)[1].replace("−", "-")
                    if "×10" in shown:
                        mantissa, exponent = shown.split("×10")
                        power = exponent.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789"))
                        shown = f"{mantissa}e{power}"
                    assert float(shown) == float(f"{r['expected']:.4g}"), r


def test_the_sign_of_any_other_quantity_is_its_own() -> None:
    """Outside θ¹, a sign question asks the value's own sign (not a change)."""
    for seed in range(30):
        v, seen = student_view("forward-2-2-1", seed)
        worked = work_out(seen["request"])
        q = next(q for q in seen["questions"] if q["kind"] == "sign")
        assert check(v, {})["results"][[x["id"] for x in seen["questions"]].index(q["id"])][
            "expected"
        ] == sign_of(worked.value(q["target"]))
