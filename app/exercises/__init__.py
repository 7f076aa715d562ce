"""Exercises with each student's own numbers, checked against the engine's step.

The templates are data (templates/*.json, docs/exercises.md): a network's shape, which values
are drawn from a seed, and the questions, each about one value of the step in the lecture's
notation. `variant(exercise, seed)` gives the student's numbers and questions (never the
answers); `check(variant, answers)` judges them, with the chain-rule line of each. No web
imports: the API (app/api/exercises.py) and later an LTI grader are callers.

>>> from app.exercises import EXERCISES, variant, check
>>> v = variant(EXERCISES["forward-2-2-1"], seed=7)
>>> check(v, {})["score"]
0
"""

from pathlib import Path

from app.exercises.check import AnswersError, Result, check, check_answers, judge
from app.exercises.reading import TemplateError, read_template, read_templates
from app.exercises.targets import QUANTITIES, Target
from app.exercises.template import (
    DEFAULT_TOLERANCE,
    KINDS,
    MOVES,
    SIGNS,
    Exercise,
    Question,
    Tolerance,
)
from app.exercises.variant import UnfairTemplateError, Variant, expected, fair, variant

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def load(folder: Path = TEMPLATES_DIR, seeds: int = 8) -> dict[str, Exercise]:
    """The templates in `folder`, each read, checked, and drawn for a few seeds: a template
    whose ranges leave its questions degenerate fails here, not at a student's request."""
    exercises = read_templates(folder)
    for exercise in exercises.values():
        for seed in range(seeds):
            variant(exercise, seed)
    return exercises


EXERCISES: dict[str, Exercise] = load()

__all__ = [
    "DEFAULT_TOLERANCE",
    "EXERCISES",
    "KINDS",
    "MOVES",
    "QUANTITIES",
    "SIGNS",
    "TEMPLATES_DIR",
    "AnswersError",
    "Exercise",
    "Question",
    "Result",
    "Target",
    "TemplateError",
    "Tolerance",
    "UnfairTemplateError",
    "Variant",
    "check",
    "check_answers",
    "expected",
    "fair",
    "judge",
    "load",
    "read_template",
    "read_templates",
    "variant",
]
