"""The v1 contract as pydantic models: the single source of the request shapes and of
the OpenAPI schema. Types, finiteness and unknown fields are checked here; the engine
checks what depends on other fields (shapes, caps, loss/activation fit)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.engine import ACTIVATIONS, INITS, LOSSES
from app.engine.data import FEATURES
from app.engine.datasets import DATASETS
from app.engine.optimizers import OPTIMIZERS

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


# Training (docs/training.md)

DatasetName = Literal[tuple(DATASETS)]  # type: ignore[valid-type]
FeatureName = Literal[tuple(FEATURES)]  # type: ignore[valid-type]


class DatasetSpec(BaseModel):
    """A generated set (`name`, `samples`, `noise`) or the user's own points (`x`, `y`)."""

    model_config = _STRICT

    name: DatasetName | None = Field(
        default=None,
        description="circle, xor, gauss, spiral, moons, three_class (classes); "
        "plane, multi_gauss (regression). Omitted: give x and y.",
    )
    samples: int | None = Field(default=None, ge=1, description="Points to generate (200).")
    noise: float | None = Field(default=None, ge=0, le=0.5, description="0 to 0.5, as 0–50 %.")
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="Seed of the points and split.")
    test_ratio: float = Field(default=0.5, ge=0, le=0.9, description="Share held out as test.")
    features: list[FeatureName] | None = Field(
        default=None, description="Inputs made from a 2-D point; default [x1, x2]."
    )
    x: list[list[float]] | None = Field(default=None, description="The user's points, n × d.")
    y: list[list[float]] | None = Field(
        default=None,
        description="Targets as the network wants them: [0]/[1] for one sigmoid output, "
        "one-hot for softmax, reals for regression; n × outputs.",
    )


class DatasetRequest(BaseModel):
    model_config = _STRICT

    network: NetworkSpec
    dataset: DatasetSpec


class Regularization(BaseModel):
    model_config = _STRICT

    kind: Literal["l1", "l2"] = Field(description="l1: λΣ|w|; l2: ½λΣw² (weights only).")
    rate: float = Field(ge=0, description="λ.")


class OptimizerState(BaseModel):
    model_config = _STRICT

    kind: Literal[tuple(OPTIMIZERS)]  # type: ignore[valid-type]
    t: int = Field(ge=0, description="Steps taken.")
    m: list[float] | None = Field(default=None, description="Momentum buffer or Adam's m.")
    v: list[float] | None = Field(default=None, description="Adam's v.")


class TrainRequest(BaseModel):
    """A training run: the network, the data and gradient descent's settings."""

    model_config = _STRICT

    network: NetworkSpec
    dataset: DatasetSpec
    learning_rate: float = Field(default=0.03, description="η.")
    batch_size: int = Field(default=10, ge=1, description="Examples per mini-batch.")
    epochs: int = Field(
        default=100, ge=0, description="Epochs to run from start_epoch (0: report θ only)."
    )
    optimizer: Literal[tuple(OPTIMIZERS)] = "sgd"  # type: ignore[valid-type]
    regularization: Regularization | None = None
    reduction: Literal["mean", "sum"] = Field(default="mean", description="L = mean or Σ lⁿ.")
    report_every: int = Field(default=10, ge=1, description="Epochs between reports.")
    grid: int = Field(default=50, ge=0, description="Boundary lattice size (0: none).")
    neuron_grids: bool = Field(default=False, description="Each hidden neuron's a too.")
    neuron_grid: int | None = Field(
        default=None, ge=2, description="Lattice of the neurons' pictures (default: grid)."
    )
    seed: int = Field(default=0, ge=0, le=2**32 - 1, description="Seed of the mini-batches.")
    target_loss: float | None = Field(default=None, ge=0, description="Stop at this loss.")
    max_steps: int | None = Field(default=None, ge=1, description="Stop after these steps.")
    start_epoch: int = Field(default=0, ge=0, le=10**9, description="Epochs already run.")
    start_step: int = Field(default=0, ge=0, le=10**9, description="Steps into start_epoch.")
    optimizer_state: OptimizerState | None = None
    state_in_snapshots: bool = False
    pace: float | None = Field(default=None, gt=0, le=1000, description="Epochs a second, at most.")


class BatchTraceRequest(BaseModel):
    """Several examples: each one's lⁿ and ∂lⁿ/∂w, and L's step."""

    model_config = _STRICT

    network: NetworkSpec
    inputs: list[list[float]] = Field(description="One row per example: the a of layer 0.")
    targets: list[list[float]] = Field(description="One row per example: the target t.")
    learning_rate: float = Field(default=0.5, description="η.")
    reduction: Literal["mean", "sum"] = "mean"


class SplitOut(BaseModel):
    x: list[list[float]] = Field(description="The points.")
    inputs: list[list[float]] = Field(description="The network's input for each (features).")
    targets: list[list[float]] = Field(description="The network's target for each.")
    labels: list[float] = Field(description="Class index, or the value for regression.")


class DatasetResponse(BaseModel):
    kind: Literal["classification", "regression"]
    classes: int | None
    features: list[str] | None
    extent: list[list[float]] | None = Field(description="[[x min, x max], [y min, y max]].")
    train: SplitOut
    test: SplitOut


class BatchLayerOut(BaseModel):
    z: list[list[float]]
    a: list[list[float]]
    da_dz: list[list[float]] | None = Field(description="σ'(z); null for a softmax layer.")
    dl_da: list[list[float]]
    dl_dz: list[list[float]]
    dl_dw: list[list[list[float]]] = Field(description="∂lⁿ/∂w = aⁿ × ∂lⁿ/∂z per example.")
    dl_db: list[list[float]]


class BatchInputLayerOut(BaseModel):
    a: list[list[float]]


class BatchTraceResponse(BaseModel):
    losses: list[float] = Field(description="lⁿ, one per example.")
    loss: float = Field(description="L: the mean or sum of the lⁿ.")
    reduction: Literal["mean", "sum"]
    layers: list[BatchInputLayerOut | BatchLayerOut] = Field(
        description="Layer 0 first; every array has a leading example axis."
    )
    gradients: GradientsOut = Field(description="∂L/∂w and ∂L/∂b: the reduction of each lⁿ's.")
    network: NetworkOut = Field(description="The network after one step θ − η∇L.")


# Stream events (the lead's placeholders; the contract's owner describes each event).


class TraceEvent(BaseModel):
    type: str


class TrainEvent(BaseModel):
    type: str
