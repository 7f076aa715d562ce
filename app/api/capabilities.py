"""GET /capabilities: what is on offer and every limit in force, so clients hard-code none.

Built as a `Capabilities` model from the engine's tables and the app's settings: the
model is both what the route answers and what OpenAPI documents."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from app import __version__
from app.api.deps import API_PREFIX, settings_of
from app.api.responses import JSONBytes
from app.engine import (
    ACTIVATIONS,
    DATASETS,
    DEFAULT_FEATURES,
    EXTENT,
    FEATURES,
    INITS,
    LEAKY_SLOPE,
    LOSSES,
    MAX_NOISE,
    MAX_TEST_RATIO,
    OPTIMIZERS,
    REDUCTIONS,
    REGULARIZATIONS,
)
from app.settings import Settings

router = APIRouter(prefix=API_PREFIX, tags=["capabilities"])

_OUT = ConfigDict(extra="forbid")


class ActivationInfo(BaseModel):
    model_config = _OUT

    name: str = Field(description="The name a network spec uses.")
    formula: str = Field(description="σ(z), LaTeX.")
    derivative: str | None = Field(description="σ'(z), LaTeX; null for softmax.")
    output_only: bool = Field(description="Allowed on the output layer only (softmax).")


class LossInfo(BaseModel):
    model_config = _OUT

    name: str = Field(description="The name a network spec uses.")
    formula: str = Field(description="l(a, t), LaTeX.")
    output_activations: list[str] = Field(description="The output activations it fits.")
    targets_in_unit_interval: bool = Field(description="Targets must lie in [0, 1].")


class LimitsInfo(BaseModel):
    model_config = _OUT

    max_layers: int = Field(description="Layers, the input layer included.")
    min_layers: int = Field(description="An input and an output layer.")
    max_neurons: int = Field(description="Neurons in any one layer.")
    max_abs_value: float = Field(description="|w|, |b|, |x|, |t| at most.")
    max_learning_rate: float = Field(description="η at most (and more than 0).")
    max_gradcheck_parameters: int = Field(description="Parameters a gradient check takes.")
    max_cost_sample: int = Field(
        description="Parameters whose central differences one /cost request times; past "
        "it, the finite-difference time is estimated."
    )
    max_body_bytes: int = Field(description="Request body size; larger is a 413.")
    max_exercise_seed: int = Field(description="An exercise's seeds are 0 … this.")
    max_exercise_answers: int = Field(description="Answers in one exercise check.")


class DatasetInfo(BaseModel):
    model_config = _OUT

    name: str
    kind: Literal["classification", "regression"]
    classes: int | None = Field(description="Number of classes; null for regression.")
    description: str


class FormulaInfo(BaseModel):
    model_config = _OUT

    name: str
    formula: str = Field(description="LaTeX.")


class TrainingLimitsInfo(BaseModel):
    model_config = _OUT

    max_samples: int = Field(description="Points in a data set, rows of a batch.")
    max_epochs: int = Field(description="Epochs in one run.")
    max_epoch_samples: int = Field(description="Epochs × training points in one run.")
    max_grid: int = Field(description="The boundary's lattice is grid × grid.")
    max_report_cells: int = Field(description="Snapshots × lattice cells in one run.")
    max_train_seconds: float = Field(description="Wall time of one training stream.")
    max_batch_gradients: int = Field(description="Examples × parameters in one batch answer.")


class TrainingInfo(BaseModel):
    model_config = _OUT

    datasets: list[DatasetInfo]
    features: list[str] = Field(description="Inputs that can be made from a 2-D point.")
    default_features: list[str]
    optimizers: list[FormulaInfo]
    regularizations: list[FormulaInfo]
    reductions: list[str] = Field(description="How L is made of the lⁿ: mean or sum.")
    max_noise: float
    max_test_ratio: float
    extent: list[list[float]] = Field(
        description="The generated sets' plane, [[x0, x1], [y0, y1]]."
    )
    limits: TrainingLimitsInfo


class Capabilities(BaseModel):
    """What is on offer and every limit in force."""

    model_config = _OUT

    version: str = Field(description="The server's version.")
    api: Literal["v1"]
    activations: list[ActivationInfo]
    leaky_relu_slope: float = Field(description="leaky_relu's slope for z < 0.")
    losses: list[LossInfo]
    inits: list[str] = Field(description="Weight initialisations for `init`.")
    stream_formats: list[str] = Field(description="Media types the streams speak.")
    limits: LimitsInfo
    training: TrainingInfo


def capabilities_of(settings: Settings) -> Capabilities:
    limits = settings.limits
    return Capabilities(
        version=__version__,
        api="v1",
        activations=[
            ActivationInfo(
                name=a.name,
                formula=a.formula,
                derivative=a.derivative_formula,
                output_only=a.output_only,
            )
            for a in ACTIVATIONS.values()
        ],
        leaky_relu_slope=LEAKY_SLOPE,
        losses=[
            LossInfo(
                name=loss.name,
                formula=loss.formula,
                output_activations=list(loss.output_activations or ACTIVATIONS),
                targets_in_unit_interval=loss.targets_in_unit_interval,
            )
            for loss in LOSSES.values()
        ],
        inits=list(INITS),
        stream_formats=["application/x-ndjson", "text/event-stream"],
        limits=LimitsInfo(
            max_layers=limits.max_layers,
            min_layers=2,
            max_neurons=limits.max_neurons,
            max_abs_value=limits.max_abs_value,
            max_learning_rate=limits.max_learning_rate,
            max_gradcheck_parameters=limits.max_gradcheck_parameters,
            max_cost_sample=limits.max_cost_sample,
            max_body_bytes=settings.max_body_bytes,
            max_exercise_seed=limits.max_exercise_seed,
            max_exercise_answers=limits.max_exercise_answers,
        ),
        training=TrainingInfo(
            datasets=[
                DatasetInfo(name=d.name, kind=d.kind, classes=d.classes, description=d.description)
                for d in DATASETS.values()
            ],
            features=list(FEATURES),
            default_features=list(DEFAULT_FEATURES),
            optimizers=[FormulaInfo(name=o.name, formula=o.formula) for o in OPTIMIZERS.values()],
            regularizations=[FormulaInfo(name=k, formula=f) for k, f in REGULARIZATIONS.items()],
            reductions=list(REDUCTIONS),
            max_noise=MAX_NOISE,
            max_test_ratio=MAX_TEST_RATIO,
            extent=[list(axis) for axis in EXTENT],
            limits=TrainingLimitsInfo(
                max_samples=limits.max_samples,
                max_epochs=limits.max_epochs,
                max_epoch_samples=limits.max_epoch_samples,
                max_grid=limits.max_grid,
                max_report_cells=limits.max_report_cells,
                max_train_seconds=limits.max_train_seconds,
                max_batch_gradients=limits.max_batch_gradients,
            ),
        ),
    )


@router.get(
    "/capabilities",
    response_model=Capabilities,
    response_class=JSONBytes,
    summary="Activations, losses, limits",
)
async def get_capabilities(request: Request) -> JSONBytes:
    # A Response, so FastAPI sends it as built (the model has already checked it).
    return JSONBytes(capabilities_of(settings_of(request)).model_dump())
