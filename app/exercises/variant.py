"""A student's own numbers: the values of a template drawn from a seed, and the rules a
draw must meet before a student sees it.

The draw is redrawn (from the same seeded generator, so the same seed always gives the same
variant) until every question is fair:
- a number is at least MARGIN tolerances away from the answer a student would give without
  working it out: 0, or for θ¹ the θ⁰ it starts from;
- a sign is about a value that is exactly 0 or at least SIGN_FLOOR away from it;
- a choice has a clear winner: its magnitude at least CHOICE_RATIO times the next one's;
- no number asked for can be read off the variant: none of its numbers equals an expected
  value at 3 or 4 significant digits, or in full;
- no z sits at the kink of a relu or leaky_relu (|z| ≥ SIGN_FLOOR), where a hand
  computation and float64 could disagree about σ'(z);
- every value is finite.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import orjson

from app.engine import Network, NonFiniteError, Trace, trace
from app.exercises.template import Exercise, Question

MARGIN = 4.0
SIGN_FLOOR = 1e-4
CHOICE_RATIO = 1.25
MAX_DRAWS = 1000  # a template whose fair draws are rarer than this fails at load


class UnfairTemplateError(RuntimeError):
    """No fair draw within MAX_DRAWS: the template's ranges make its questions degenerate."""


@dataclass(frozen=True)
class Variant:
    """One exercise with one seed's numbers. `step` is the engine's trace of it: what the
    answers are checked against, never sent before the check."""

    exercise: Exercise
    seed: int
    request: dict[str, Any]  # the body of POST /api/v1/trace the student sees
    step: Trace

    def to_json(self) -> dict[str, Any]:
        """What the student gets: the request and the questions, no expected value."""
        return {
            "exercise": self.exercise.id,
            "seed": self.seed,
            "move": self.exercise.move,
            "title": self.exercise.title,
            "request": self.request,
            "questions": self.exercise.questions_json,
        }

    @cached_property
    def body(self) -> bytes:
        return orjson.dumps(self.to_json())


def expected(question: Question, step: Trace) -> float | str:
    """The right answer: a number, a sign ("+", "-", "0") or an option's value."""
    if question.kind == "number":
        return question.target.value(step)
    if question.kind == "sign":
        v = question.target.signed(step)
        return "+" if v > 0 else "-" if v < 0 else "0"
    magnitudes = [abs(o.signed(step)) for o in question.options]
    return question.option_values[int(np.argmax(magnitudes))]


def variant(exercise: Exercise, seed: int) -> Variant:
    """The exercise with the numbers of `seed`: the same seed, the same variant."""
    rng = np.random.default_rng([exercise.salt, seed])
    for _ in range(MAX_DRAWS):
        request = exercise.draw(rng)
        net = request["network"]
        network = Network(
            tuple(net["layers"]),
            tuple(net["activations"]),
            net["loss"],
            tuple(np.asarray(w, dtype=np.float64) for w in net["weights"]),
            tuple(np.asarray(b, dtype=np.float64) for b in net["biases"]),
        )
        try:
            step = trace(network, request["input"], request["target"], request["learning_rate"])
        except NonFiniteError:
            continue
        candidate = Variant(exercise, seed, request, step)
        if fair(candidate):
            return candidate
    raise UnfairTemplateError(f"{exercise.source}: no fair draw for seed {seed} in {MAX_DRAWS}")


def _drawn(request: dict[str, Any]) -> list[float]:
    net = request["network"]
    values = [x for layer in net["weights"] for row in layer for x in row]
    values += [x for layer in net["biases"] for x in layer]
    return [
        *values,
        *request["input"],
        *request["target"],
        request["learning_rate"],
        *net["layers"],
    ]


KINKED = frozenset({"relu", "leaky_relu"})


def fair(v: Variant) -> bool:
    step = v.step
    for layer, name in zip(step.layers, step.network.activations, strict=True):
        if name in KINKED and (np.abs(layer.z) < SIGN_FLOOR).any():
            return False
    # The numbers its JSON shows: the drawn ones and the seed besides the template's own.
    shown = v.exercise.shown_numbers.union([abs(x) for x in _drawn(v.request)], [float(v.seed)])
    for q in v.exercise.questions:
        if q.kind == "number":
            value = q.target.value(step)
            if not np.isfinite(value):
                return False
            assert q.tolerance is not None
            skipped = q.target.before(step) if q.target.about_the_step else 0.0
            if abs(value - skipped) < MARGIN * q.tolerance.of(value):
                return False
            texts = (f"{abs(value):.3g}", f"{abs(value):.4g}", repr(abs(value)))
            if any(float(text) in shown for text in texts):
                return False
        elif q.kind == "sign":
            s = q.target.signed(step)
            if s != 0 and abs(s) < SIGN_FLOOR:
                return False
        else:
            magnitudes = sorted((abs(o.signed(step)) for o in q.options), reverse=True)
            if not magnitudes[0] >= CHOICE_RATIO * magnitudes[1] or magnitudes[0] == 0:
                return False
    return True
