"""GET /exercises, POST /exercises/{exercise_id} and /exercises/{exercise_id}/check: exercises
with each student's own numbers, checked by the server (app/exercises, docs/exercises.md).

Stateless: the seed is the variant. The check draws the same variant again, computes its
step with the engine and judges the answers; the variant a student gets holds no expected
value, nor anything one can be read from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import API_PREFIX, settings_of
from app.api.errors import APIError
from app.api.openapi import ERROR_RESPONSES
from app.api.routes import JSONPostRoute
from app.api.schemas import ErrorResponse, TraceRequest, Whole
from app.engine import Limits
from app.exercises import (
    EXERCISES,
    KINDS,
    MOVES,
    QUANTITIES,
    AnswersError,
    Exercise,
    check,
    check_answers,
    variant,
)
from app.http.errors import error_item
from app.http.responses import JSONBytes
from app.lti.grading import post_grade

if TYPE_CHECKING:
    MoveName: TypeAlias = str
    QuantityName: TypeAlias = str
    KindName: TypeAlias = str
else:
    MoveName = Literal[MOVES]
    QuantityName = Literal[QUANTITIES]
    KindName = Literal[KINDS]

router = APIRouter(prefix=API_PREFIX, tags=["exercises"])
_posts = APIRouter(prefix=API_PREFIX, tags=["exercises"], route_class=JSONPostRoute)

_OUT = ConfigDict(extra="forbid", populate_by_name=True)
_STRICT = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid")


def _leave_out_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _absent(description: str, **kw: Any) -> Any:
    """A field the server leaves out of the object (rather than sending null)."""
    return Field(default=None, description=description, json_schema_extra=_leave_out_default, **kw)


class LocalizedText(BaseModel):
    """One text in each language of the page."""

    model_config = _OUT

    en: str = Field(description="English.")
    zh_tw: str = Field(alias="zh-TW", description="Traditional Chinese (Taiwan).")


class ExerciseSummary(BaseModel):
    model_config = _OUT

    id: str = Field(description="What POST /exercises/{exercise_id} takes.")
    title: LocalizedText
    move: MoveName = Field(description="The lecture's move it practises.")


class QuestionTarget(BaseModel):
    """One value of the step, in the lecture's numbering: layer 1 is the first hidden layer,
    neurons and inputs count from 1 (the trace's JSON counts from 0: docs/exercises.md)."""

    model_config = _OUT

    quantity: QuantityName = Field(
        description="z, a, loss, dl_da (∂l/∂a), dl_dz (∂l/∂z), dl_dw (∂l/∂w), dl_db (∂l/∂b), "
        "w_next or b_next (the weight or bias after the step θ¹ = θ⁰ − η∇L(θ⁰))."
    )
    layer: int = _absent("Layer l ≥ 1; absent for the loss (and for a choice across layers).")
    neuron: int = _absent("Neuron j ≥ 1 of layer l; absent for the loss and a choice.")
    from_: int = _absent(
        "dl_dw and w_next only: the neuron i ≥ 1 of layer l − 1 the weight w^l_{ji} comes "
        "from (an input x_i when l = 1).",
        alias="from",
    )


class AnswerTolerance(BaseModel):
    """A number is right when |given − expected| ≤ max(abs, rel·|expected|)."""

    model_config = _OUT

    abs: float
    rel: float


class ChoiceOption(BaseModel):
    model_config = _OUT

    value: str = Field(description="The answer that picks it: '1', '2', …")
    target: QuestionTarget
    label: str = Field(description="Its name in the lecture's notation, e.g. ∂l/∂z¹₂.")


class ExerciseQuestion(BaseModel):
    model_config = _OUT

    id: str = Field(description="The key of its answer in a check request.")
    kind: KindName = Field(
        description="number: a number within `tolerance`; sign: '+', '-' or '0' (for "
        "w_next and b_next, the direction of θ¹ − θ⁰); choice: an option's value (the "
        "largest magnitude; for w_next and b_next, the largest change)."
    )
    target: QuestionTarget = Field(
        description="The value asked for; a choice's: the quantity its options share."
    )
    prompt: LocalizedText = Field(description="The question, in the lecture's notation.")
    tolerance: AnswerTolerance = _absent("number questions only.")
    options: list[ChoiceOption] = _absent("choice questions only.")


class ExerciseVariant(BaseModel):
    """An exercise with one seed's numbers: what the student sees, no expected value."""

    model_config = _OUT

    exercise: str = Field(description="The exercise's id.")
    seed: int
    move: MoveName
    title: LocalizedText
    request: TraceRequest = Field(
        description="The network, input, target and η: a valid POST /api/v1/trace body."
    )
    questions: list[ExerciseQuestion]


class VariantRequest(BaseModel):
    """Which variant: the same seed always gives the same numbers."""

    model_config = _STRICT

    seed: Whole = Field(description="0 … max_exercise_seed (GET /capabilities).")


_ANSWER: dict[str, Any] = {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]}


class CheckRequest(BaseModel):
    model_config = _STRICT

    seed: Whole = Field(description="The variant's seed.")
    answers: dict[str, Any] = Field(
        description="question id → a number (number), '+', '-' or '0' (sign), an option's "
        "value (choice), or null; a question left out or null counts as wrong.",
        json_schema_extra={"additionalProperties": _ANSWER},
    )
    lti: str | None = Field(
        default=None,
        description="An LTI launch's grade token (docs/lti.md): the score is then posted to "
        "the course's gradebook, and the answer says whether it was (`lti_score`).",
        json_schema_extra=_leave_out_default,
    )


class AnswerResult(BaseModel):
    model_config = _OUT

    id: str = Field(description="The question's id.")
    correct: bool
    expected: float | str = Field(
        description="The right answer: a number, a sign, or an option's value."
    )
    given: float | str | None = Field(description="The answer sent; null if none.")
    explanation: str = Field(
        description="The chain-rule line with its numbers, e.g. "
        "∂l/∂w²₁₁ = a¹₁ × ∂l/∂z²₁ = 0.5933 × 0.1385 = 0.08217."
    )


class RecordedScore(BaseModel):
    model_config = _OUT

    score: float
    max: float


class LtiScore(BaseModel):
    model_config = _OUT

    sent: bool
    code: str = Field(
        description="sent, or why not: already_scored, lti_off, expired, invalid, mismatch, "
        "unknown_issuer, token_refused, platform_refused, platform_unavailable."
    )
    reason: str = _absent("Why not, in English.")
    recorded: RecordedScore = _absent(
        "already_scored only: the score the gradebook holds from the student's first Check "
        "(the first counts: after it the answers have been shown)."
    )


class CheckResponse(BaseModel):
    model_config = _OUT

    score: int = Field(description="Questions answered right.")
    max: int = Field(description="Questions asked.")
    results: list[AnswerResult] = Field(description="One per question, in order.")
    lti_score: LtiScore = _absent("With `lti` only: whether the score reached the gradebook.")


NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No exercise of that id"}
}


def exercise_of(exercise_id: str) -> Exercise:
    exercise = EXERCISES.get(exercise_id)
    if exercise is None:
        raise APIError(
            404,
            [
                error_item(
                    ("path", "exercise_id"),
                    f"no exercise named {exercise_id!r}; there are {', '.join(EXERCISES)}",
                    "not_found",
                    {"given": exercise_id, "choices": list(EXERCISES)},
                )
            ],
        )
    return exercise


def seed_of(seed: int, limits: Limits) -> int:
    if not 0 <= seed <= limits.max_exercise_seed:
        raise APIError(
            422,
            [
                error_item(
                    ("body", "seed"),
                    f"must be a whole number from 0 to {limits.max_exercise_seed}, got {seed}",
                    "out_of_range",
                    {"min": 0, "max": limits.max_exercise_seed, "whole": True, "given": seed},
                )
            ],
        )
    return seed


@router.get(
    "/exercises",
    response_model=list[ExerciseSummary],
    response_class=JSONBytes,
    summary="List the exercises",
)
async def list_exercises() -> JSONBytes:
    return JSONBytes([e.summary() for e in EXERCISES.values()])


@_posts.post(
    "/exercises/{exercise_id}",
    response_model=ExerciseVariant,
    response_class=JSONBytes,
    responses={**NOT_FOUND, **ERROR_RESPONSES},
    summary="One exercise with one seed's numbers (no answers)",
)
async def post_exercise(req: VariantRequest, request: Request, exercise_id: str) -> Response:
    """The network, input, target and η the student works from (a POST /api/v1/trace body,
    to draw it) and the questions. The same id and seed give the same bytes."""
    exercise = exercise_of(exercise_id)
    seed = seed_of(req.seed, settings_of(request).limits)
    return Response(variant(exercise, seed).body, media_type="application/json")


@_posts.post(
    "/exercises/{exercise_id}/check",
    response_model=CheckResponse,
    response_class=JSONBytes,
    responses={**NOT_FOUND, **ERROR_RESPONSES},
    summary="Check a student's answers to one variant",
)
async def post_check(req: CheckRequest, request: Request, exercise_id: str) -> JSONBytes:
    """Draws the variant of the seed again, computes its step with the engine and judges
    each answer: {score, max, results}, each result with the expected value and the
    chain-rule line that gives it. Unanswered questions count as wrong."""
    exercise = exercise_of(exercise_id)
    limits = settings_of(request).limits
    v = variant(exercise, seed_of(req.seed, limits))
    try:
        check_answers(v, req.answers, limits.max_exercise_answers)
    except AnswersError as exc:
        items = [error_item(("body", *p.loc), p.msg, p.kind, p.ctx) for p in exc.problems]
        raise APIError(422, items) from None
    result = check(v, req.answers)
    if req.lti is not None:
        tool = getattr(request.app.state, "lti", None)
        sent = await post_grade(tool, req.lti, exercise_id, v.seed, result["score"], result["max"])
        request.app.state.ops.metrics.lti("score_posts", sent["code"])
        result["lti_score"] = sent
    return JSONBytes(result)


router.routes.extend(_posts.routes)
