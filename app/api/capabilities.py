"""GET /capabilities: what is on offer and every limit in force, so clients hard-code none.

Built as a `Capabilities` model from the engine's tables and the app's settings: the
model is both what the route answers and what OpenAPI documents."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, create_model

from app import __version__
from app.api.deps import API_PREFIX, settings_of
from app.engine import (
    ACTIVATIONS,
    DATASETS,
    DEFAULT_FEATURES,
    EXTENT,
    FEATURES,
    INITS,
    LEAKY_SLOPE,
    LOSSES,
    MIN_LAYERS,
    OPTIMIZERS,
    REDUCTIONS,
    REGULARIZATIONS,
    Limits,
)
from app.http.events import MEDIA_TYPES
from app.http.responses import JSONBytes
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


# Every cap as the engine's Limits declares it (its metadata holds each field's description
# and bounds, as pydantic's Field takes them), and the app's body size: generated, so that no
# cap is declared twice and a new one in Limits is published by itself.
_CAPS: dict[str, Any] = {
    "min_layers": (int, Field(description="An input and an output layer.")),
    "max_body_bytes": (int, Settings.model_fields["max_body_bytes"]),
    **{f.name: (f.type, Field(**f.metadata)) for f in fields(Limits)},
}
LimitsInfo = create_model("LimitsInfo", __config__=_OUT, **_CAPS)


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


class TrainingInfo(BaseModel):
    model_config = _OUT

    datasets: list[DatasetInfo]
    features: list[str] = Field(description="Inputs that can be made from a 2-D point.")
    default_features: list[str]
    optimizers: list[FormulaInfo]
    regularizations: list[FormulaInfo]
    reductions: list[str] = Field(description="How L is made of the lⁿ: mean or sum.")
    extent: list[list[float]] = Field(
        description="The generated sets' plane, [[x0, x1], [y0, y1]]."
    )


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
    limits: LimitsInfo  # type: ignore[valid-type]  # a model built from Limits' fields
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
        stream_formats=list(MEDIA_TYPES),
        limits=LimitsInfo(
            min_layers=MIN_LAYERS, max_body_bytes=settings.max_body_bytes, **asdict(limits)
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
            extent=[list(axis) for axis in EXTENT],
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
