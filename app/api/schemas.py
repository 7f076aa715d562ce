"""The v1 contract as pydantic models: the single source of the request shapes and of
the OpenAPI schema. Types, finiteness and unknown fields are checked here; the engine
checks what depends on other fields (shapes, caps, loss/activation fit)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engine import ACTIVATIONS, INITS, LOSSES

ActivationName = Literal[tuple(ACTIVATIONS)]  # type: ignore[valid-type]
LossName = Literal[tuple(LOSSES)]  # type: ignore[valid-type]
InitName = Literal[INITS]  # type: ignore[valid-type]

_STRICT = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid")


class NetworkSpec(BaseModel):
    """A network: neurons per layer, activations, loss and (optionally) its parameters."""

    model_config = _STRICT

    layers: list[int] = Field(
        description="Neurons per layer, input layer first, e.g. [2, 2, 2].",
        examples=[[2, 2, 2]],
    )
    activations: list[ActivationName] = Field(
        description="One per non-input layer; softmax on the output layer only."
    )
    loss: LossName = Field(
        description="squared_error ½Σ(a−t)² | mse (1/K)Σ(a−t)² | binary_cross_entropy "
        "(sigmoid output) | cross_entropy −Σ t ln softmax(z) (softmax output)."
    )
    weights: list[list[list[float]]] | None = Field(
        default=None,
        description="weights[l][j][i]: from neuron i of layer l to neuron j of layer l+1 "
        "(out × in). Omitted: drawn by `init` with `seed`.",
    )
    biases: list[list[float]] | None = Field(
        default=None, description="biases[l][j] of neuron j of layer l+1. Omitted: zeros."
    )
    init: InitName = Field(default="xavier", description="Used only when weights are omitted.")
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="Seed of `init`.")


class TraceRequest(BaseModel):
    """One example and one gradient-descent step."""

    model_config = _STRICT

    network: NetworkSpec
    input: list[float] = Field(description="The a of layer 0, one value per input neuron.")
    target: list[float] = Field(description="The target t, one value per output neuron.")
    learning_rate: float = Field(default=0.5, description="η > 0 in θ¹ = θ⁰ − η∇L(θ⁰).")
    freeze_biases: bool = Field(default=False, description="Keep b fixed in the update.")
    include_events: bool = Field(
        default=False, description="Also return the events the stream would send, in order."
    )


class GradcheckRequest(TraceRequest):
    epsilon: float = Field(
        default=1e-6, gt=0, le=1e-2, description="Step ε of the central differences."
    )


# Response shapes: for the documentation only (responses are serialised by orjson).


class InputLayerOut(BaseModel):
    a: list[float]


class LayerOut(BaseModel):
    z: list[float]
    a: list[float]
    da_dz: list[float] | None = Field(description="σ'(z); null for a softmax layer.")
    dl_da: list[float]
    dl_dz: list[float]
    dl_dw: list[list[float]] = Field(description="∂l/∂w = a × ∂l/∂z, laid out like weights.")
    dl_db: list[float]


class NetworkOut(BaseModel):
    layers: list[int]
    activations: list[str]
    loss: str
    weights: list[list[list[float]]]
    biases: list[list[float]]


class TraceResponse(BaseModel):
    loss: float
    layers: list[InputLayerOut | LayerOut] = Field(description="Layer 0 (input) first.")
    network: NetworkOut = Field(description="The network after one step θ − η∇L.")
    events: list[dict] | None = Field(default=None, description="With include_events only.")


class GradientsOut(BaseModel):
    weights: list[list[list[float]]]
    biases: list[list[float]]


class GradcheckResponse(BaseModel):
    analytic: GradientsOut
    numeric: GradientsOut
    abs_diff: GradientsOut = Field(description="|analytic − numeric| per parameter.")
    epsilon: float
    max_abs_diff: float
    max_rel_diff: float
    ok: bool


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description='Path to the field, e.g. ["body", "input", 1].')
    field: str = Field(description='The same path as text, e.g. "input[1]".')
    msg: str
    type: str


class ErrorResponse(BaseModel):
    detail: list[ErrorItem]
