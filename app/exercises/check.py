"""Checking a student's answers against the step the engine computes for their variant."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.engine import SpecError
from app.exercises.notation import number
from app.exercises.template import SIGNS, Question
from app.exercises.variant import Variant, expected


class AnswersError(ValueError):
    """Malformed answers: one SpecError per answer that cannot be judged (loc
    ("answers", question id))."""

    def __init__(self, problems: list[SpecError]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def check_answers(v: Variant, answers: Mapping[str, Any], max_answers: int) -> None:
    """Raise AnswersError unless every answer names a question and has its kind's form:
    a finite number, one of "+", "-", "0", or one of the options' values (or null)."""
    if len(answers) > max_answers:
        raise AnswersError(
            [
                SpecError(
                    ("answers",),
                    f"takes at most {max_answers} answers, got {len(answers)}",
                    "too_many_answers",
                    limit=max_answers,
                    got=len(answers),
                )
            ]
        )
    questions = {q.id: q for q in v.exercise.questions}
    problems = []
    for qid, given in answers.items():
        question = questions.get(qid)
        if question is None:
            problems.append(
                SpecError(
                    ("answers", qid),
                    f"this exercise has no question {qid!r}; its questions are "
                    f"{', '.join(questions)}",
                    "unknown_question",
                    given=qid,
                    choices=list(questions),
                )
            )
        elif given is not None:
            problem = _form_problem(question, given)
            if problem is not None:
                problems.append(problem)
    if problems:
        raise AnswersError(problems)


def _form_problem(q: Question, given: Any) -> SpecError | None:
    loc = ("answers", q.id)
    text = {"given": given} if isinstance(given, str) else {}
    if q.kind == "number":
        if isinstance(given, bool) or not isinstance(given, (int, float)):
            return SpecError(loc, "must be a number", "not_a_number")
        if not math.isfinite(given):
            return SpecError(
                loc, "must be a finite number (NaN and Infinity are not)", "not_finite"
            )
        return None
    if q.kind == "sign":
        if given not in SIGNS:
            return SpecError(
                loc, 'must be "+", "-" or "0"', "not_a_sign", choices=list(SIGNS), **text
            )
        return None
    if not isinstance(given, str) or given not in q.option_values:
        values = q.option_values
        return SpecError(
            loc,
            f"must be one of the options {', '.join(values)}",
            "not_an_option",
            choices=values,
            **text,
        )
    return None


@dataclass(frozen=True)
class Result:
    id: str
    correct: bool
    expected: float | str
    given: Any
    explanation: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "correct": self.correct,
            "expected": self.expected,
            "given": self.given,
            "explanation": self.explanation,
        }


def judge(q: Question, v: Variant, given: Any) -> Result:
    """One answer against the step: right or wrong, the expected value, and the chain-rule
    line that gives it. An unanswered question (None) is wrong."""
    step = v.step
    right = expected(q, step)
    if q.kind == "number":
        assert q.tolerance is not None and isinstance(right, float)
        correct = given is not None and abs(given - right) <= q.tolerance.of(right)
        return Result(q.id, correct, right, given, q.target.explain(step))
    if q.kind == "sign":
        line = q.target.explain_change(step) if q.target.about_the_step else q.target.explain(step)
        s = q.target.signed(step)
        relation = f" {'>' if s > 0 else '<'} 0" if s != 0 else ""
        return Result(q.id, given == right, right, given, line + relation)
    magnitudes = [(abs(o.signed(step)), o) for o in q.options]
    magnitudes.sort(key=lambda m: -m[0])
    if q.target.about_the_step:
        parts = [f"|Δ{o.parameter()}| = {number(m)}" for m, o in magnitudes]
    else:
        parts = [f"|{o.name()}| = {number(m)}" for m, o in magnitudes]
    return Result(q.id, given == right, right, given, " > ".join(parts))


def check(v: Variant, answers: Mapping[str, Any]) -> dict[str, Any]:
    """{score, max, results}: every question, answered or not, in the template's order."""
    results = [judge(q, v, answers.get(q.id)) for q in v.exercise.questions]
    return {
        "score": sum(r.correct for r in results),
        "max": len(results),
        "results": [r.to_json() for r in results],
    }
