"""The v1 contract as pydantic models: the single source of the request shapes and of
the OpenAPI schema. Types, finiteness and unknown fields are checked here; the engine
checks what depends on other fields (shapes, caps, loss/activation fit)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel

from app.engine import (
    ACTIVATIONS,
    DATASETS,
    ERROR_TYPES,
    FEATURES,
    INITS,
    LOSSES,
    MAX_NOISE,
    MAX_SEED,
    OPTIMIZERS,
)

if TYPE_CHECKING:  # a Literal built from a table is beyond mypy: to it, names are strings
    ActivationName: TypeAlias = str
    LossName: TypeAlias = str
    InitName: TypeAlias = str
    DatasetName: TypeAlias = str
    FeatureName: TypeAlias = str
    OptimizerName: TypeAlias = str
    ErrorTypeName: TypeAlias = str
else:  # the tables' names, each an enum in the schema
    ActivationName = Literal[tuple(ACTIVATIONS)]
    LossName = Literal[tuple(LOSSES)]
    InitName = Literal[INITS]
    DatasetName = Literal[tuple(DATASETS)]
    FeatureName = Literal[tuple(FEATURES)]
    OptimizerName = Literal[tuple(OPTIMIZERS)]
    ErrorTypeName = Literal[tuple(ERROR_TYPES)]


def _whole(value: Any) -> Any:
    # JSON Schema 2020-12 (OpenAPI 3.1's) counts 3.0 as the integer 3, and so does every
    # validator and generated client: so does the server. 3.5 is still refused.
    return int(value) if isinstance(value, float) and value.is_integer() else value


Whole = Annotated[int, BeforeValidator(_whole)]
# An optional Whole's bound goes before the validator, inside the Annotated: anywhere else
# pydantic writes it into the schema as "ge" (not JSON Schema) instead of "minimum".

_STRICT = ConfigDict(strict=True, allow_inf_nan=False, extra="forbid")


NETWORK_FIELD = 'Layers, activations, loss and, optionally, θ (docs/api.md, "The network spec").'


class NetworkSpec(BaseModel):
    """A network: neurons per layer, activations, loss and (optionally) its parameters."""

    model_config = _STRICT

    layers: list[Whole] = Field(
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
    seed: Whole = Field(default=0, ge=0, le=MAX_SEED, description="Seed of `init`.")


class TraceRequest(BaseModel):
    """One example and one gradient-descent step."""

    model_config = _STRICT

    network: NetworkSpec = Field(description=NETWORK_FIELD)
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


class CostRequest(BaseModel):
    """A network and one example whose gradient is timed both ways (POST /cost). Without
    weights the server draws them (`init`, `seed`); without input and target, it draws
    those too, from the same seed, so a client can name a shape only."""

    model_config = _STRICT

    network: NetworkSpec = Field(description=NETWORK_FIELD)
    input: list[float] | None = Field(
        default=None,
        description="The a of layer 0. Omitted (with target): drawn from network.seed, "
        "uniform in [−1, 1].",
    )
    target: list[float] | None = Field(
        default=None,
        description="The target t. Omitted (with input): one-hot, its class drawn from "
        "network.seed.",
    )
    learning_rate: float = Field(
        default=0.5, description="η of the step θ¹ the timed backprop pass also takes."
    )
    freeze_biases: bool = Field(default=False, description="Keep b fixed in that step.")
    epsilon: float = Field(
        default=1e-6, gt=0, le=1e-2, description="Step ε of the central differences."
    )
    sample: Annotated[int, Field(ge=1), BeforeValidator(_whole)] | None = Field(
        default=None,
        description="Parameters whose central differences are timed, at most "
        "`max_cost_sample` (the default); with more parameters than this the "
        "finite-difference time is estimated, per forward pass × 2P.",
    )


# Response shapes: the documentation of what the engine's to_json() and events() send
# (orjson serialises them; these models never run on a response). Every field the server
# sends is here and nothing else (extra="forbid": additionalProperties false), so a client
# generated from the schema can tell the input layer from the others by shape.

_OUT = ConfigDict(extra="forbid")

SATURATED = (
    " With binary_cross_entropy or cross_entropy, the output layer's ∂l/∂a of a saturated "
    "neuron (a = 0 or 1 in float64) is clamped to a huge finite number, up to "
    "1/2.2·10⁻³⁰⁸ ≈ 4.5·10³⁰⁷, rather than ∞; ∂l/∂z there comes from the closed form and "
    "stays exact, so never multiply such a ∂l/∂a by σ'(z) yourself."
)


def _leave_out_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(description: str) -> Any:
    """A field the server leaves out of the object (rather than sending null)."""
    return Field(default=None, description=description, json_schema_extra=_leave_out_default)


class InputLayerOut(BaseModel):
    """Layer 0: the input, a⁰ = x. It has no z and no gradients."""

    model_config = _OUT

    a: list[float] = Field(description="The input x, one value per input neuron.")


class LayerOut(BaseModel):
    """Layer l ≥ 1: one entry per neuron."""

    model_config = _OUT

    z: list[float] = Field(description="z = W a + b, the input of the activation function.")
    a: list[float] = Field(description="a = σ(z).")
    da_dz: list[float] | None = Field(
        description="σ'(z), the backward pass's amplifier; null for a softmax layer, whose "
        "Jacobian is not diagonal."
    )
    dl_da: list[float] = Field(description="∂l/∂a." + SATURATED)
    dl_dz: list[float] = Field(description="∂l/∂z = σ'(z) ∂l/∂a (softmax: Jᵀ ∂l/∂a).")
    dl_dw: list[list[float]] = Field(description="∂l/∂w = a × ∂l/∂z, laid out like weights.")
    dl_db: list[float] = Field(description="∂l/∂b = ∂l/∂z.")


class NetworkOut(BaseModel):
    """A network with every weight and bias explicit: a valid `network` of a request."""

    model_config = _OUT

    layers: list[int] = Field(description="Neurons per layer, input layer first.")
    activations: list[str] = Field(description="One per non-input layer.")
    loss: str = Field(description="The loss function's name.")
    weights: list[list[list[float]]] = Field(description="weights[l][j][i], out × in.")
    biases: list[list[float]] = Field(description="biases[l][j].")


class TraceResponse(BaseModel):
    model_config = _OUT

    loss: float = Field(description="l(θ⁰) on this example.")
    layers: list[LayerOut | InputLayerOut] = Field(
        description="layers[0] is the input (InputLayerOut: `a` only); layers[l], l ≥ 1, "
        "a LayerOut. LayerOut is listed first: a client that tries the union in order "
        "reads layers[l].z."
    )
    network: NetworkOut = Field(description="The network after one step θ¹ = θ⁰ − η∇L(θ⁰).")
    events: list[TraceEvent] = absent(
        "With include_events only: the events POST /trace/stream would send, in order."
    )


class GradientsOut(BaseModel):
    model_config = _OUT

    weights: list[list[list[float]]] = Field(description="Per weight, laid out like weights.")
    biases: list[list[float]] = Field(description="Per bias, laid out like biases.")


class GradcheckResponse(BaseModel):
    model_config = _OUT

    analytic: GradientsOut = Field(description="∂l/∂w and ∂l/∂b from the backward pass.")
    numeric: GradientsOut = Field(description="(l(θ+ε) − l(θ−ε)) / 2ε per parameter.")
    abs_diff: GradientsOut = Field(description="|analytic − numeric| per parameter.")
    epsilon: float = Field(description="The ε used.")
    max_abs_diff: float = Field(description="The largest |analytic − numeric|.")
    max_rel_diff: float = Field(
        description="The largest |analytic − numeric| / max(|analytic|, |numeric|), over "
        "parameters where that max exceeds 10⁻¹² (below, it is noise over noise)."
    )
    ok: bool = Field(description="Every parameter within 10⁻⁸ + 10⁻⁶·|numeric|.")


class BackpropCostOut(BaseModel):
    model_config = _OUT

    forward_passes: Literal[1] = Field(description="One forward pass…")
    backward_passes: Literal[1] = Field(description="…and one backward pass, for all P.")
    seconds: float = Field(
        description="Their time, the median of `repeats` runs (the step θ¹ included)."
    )


class FiniteDifferencesCostOut(BaseModel):
    model_config = _OUT

    forward_passes: int = Field(description="2P: l(θ + ε) and l(θ − ε) for every parameter.")
    seconds: float = Field(
        description="Their time: measured_seconds / measured_passes × forward_passes "
        "(exactly measured_seconds when nothing is estimated)."
    )
    measured_parameters: int = Field(
        description="k = min(P, sample) parameters differenced, spread evenly over ∇L(θ)."
    )
    measured_passes: int = Field(description="2k: the forward passes actually timed.")
    measured_seconds: float = Field(
        description="The time of those 2k passes, the median of `repeats` runs."
    )
    estimated: bool = Field(description="k < P: `seconds` is extrapolated from k parameters.")


class CostResponse(BaseModel):
    """What the gradient ∇L(θ) costs by backpropagation and by central differences."""

    model_config = _OUT

    layers: list[int] = Field(description="The network measured, neurons per layer.")
    parameters: int = Field(description="P: every weight and bias.")
    backprop: BackpropCostOut
    finite_differences: FiniteDifferencesCostOut
    ratio: float = Field(description="finite_differences.seconds / backprop.seconds.")
    max_abs_difference: float = Field(
        description="The largest |backprop − central difference| over the k parameters "
        "measured: both compute the same gradient."
    )
    epsilon: float = Field(description="The ε of the central differences.")
    repeats: int = Field(description="Runs of each measurement; the times are medians.")
    cached: bool = Field(
        description="Measured for an earlier identical request by this server process."
    )


class CostSweepResponse(BaseModel):
    """The cost as networks grow, from 2-2-2 to the largest the limits accept."""

    model_config = _OUT

    activation: str = Field(description="The activation of every layer of every network.")
    loss: str = Field(description="The loss of every network.")
    sample: int = Field(description="Parameters differenced per network, at most.")
    networks: list[CostResponse] = Field(description="Smallest first.")
    cached: bool = Field(description="Measured for an earlier request by this process.")


class ErrorItem(BaseModel):
    model_config = _OUT

    loc: list[str | int] = Field(description='Path to the field, e.g. ["body", "input", 1].')
    field: str = Field(description='The same path as text, e.g. "input[1]".')
    msg: str = Field(description="What is wrong, in a sentence (English).")
    type: ErrorTypeName = Field(
        description="The kind of problem, stable: a client words its own message from it and "
        "ctx (docs/api.md, Error types, says what each means and what its ctx holds)."
    )
    ctx: dict[str, Any] = Field(
        default_factory=dict,
        description="The kind's parameters (the limit, the value given, the choices…): "
        "numbers, short strings, booleans and lists of them; never NaN or Infinity.",
    )


class ErrorResponse(BaseModel):
    """Every 4xx the API sends: which field, and why."""

    model_config = _OUT

    detail: list[ErrorItem] = Field(description="One item per problem, at least one.")


# Training (docs/training.md)


class DatasetSpec(BaseModel):
    """A generated set (`name`, `samples`, `noise`) or the user's own points (`x`, `y`)."""

    model_config = _STRICT

    name: DatasetName | None = Field(
        default=None,
        description="circle, xor, gauss, spiral, moons, three_class (classes); "
        "plane, multi_gauss (regression). Omitted: give x and y.",
    )
    samples: Annotated[int, Field(ge=1), BeforeValidator(_whole)] | None = Field(
        default=None, description="Points to generate (200)."
    )
    noise: float | None = Field(
        default=None, ge=0, le=MAX_NOISE, description="0 to max_noise (0.5 is 50 %)."
    )
    seed: Whole = Field(default=0, ge=0, le=MAX_SEED, description="Seed of the points and split.")
    test_ratio: float = Field(
        default=0.5, ge=0, lt=1, description="Share held out as test, at most max_test_ratio."
    )
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

    network: NetworkSpec = Field(description=NETWORK_FIELD)
    dataset: DatasetSpec = Field(description="A generated set by name, or your own points x and y.")


class Regularization(BaseModel):
    model_config = _STRICT

    kind: Literal["l1", "l2"] = Field(description="l1: λΣ|w|; l2: ½λΣw² (weights only).")
    rate: float = Field(ge=0, description="λ.")


class OptimizerState(BaseModel):
    model_config = _STRICT

    kind: OptimizerName = Field(description="The optimizer this state belongs to.")
    t: Whole = Field(ge=0, description="Steps taken.")
    m: list[float] | None = Field(default=None, description="Momentum buffer or Adam's m.")
    v: list[float] | None = Field(default=None, description="Adam's v.")


class Resume(BaseModel):
    """Where a run stands: a snapshot's, diverged or done event's `resume`, sent back
    unchanged to continue from there, exactly as the run would have gone on."""

    model_config = _STRICT

    network: NetworkSpec = Field(description="θ at this point.")
    optimizer_state: OptimizerState = Field(description="The optimizer's state at this point.")
    epoch: Whole = Field(ge=0, le=10**9, description="Epochs completed.")
    step: Whole = Field(ge=0, le=10**12, description="Mini-batch steps since epoch 0.")
    batch_size: Whole = Field(ge=1, description="The run's batch size (orders the steps).")
    seed: Whole = Field(ge=0, le=MAX_SEED, description="The run's seed of the mini-batches.")
    data: str = Field(
        pattern="^[0-9a-f]{16}$", description="The data set's fingerprint (the same data set)."
    )


class TrainRequest(BaseModel):
    """A training run: the network, the data and gradient descent's settings."""

    model_config = _STRICT

    network: NetworkSpec | None = Field(
        default=None, description="The network to train; required unless `resume` is given."
    )
    resume: Resume | None = Field(
        default=None,
        description="Continue a run from an event's `resume` (its network, optimizer state "
        "and position): then leave out network, start_epoch, start_step and optimizer_state; "
        "batch_size, seed and optimizer default to the run's own.",
    )
    dataset: DatasetSpec = Field(description="A generated set by name, or your own points x and y.")
    learning_rate: float = Field(default=0.03, description="η.")
    batch_size: Whole = Field(default=10, ge=1, description="Examples per mini-batch.")
    epochs: Whole = Field(
        default=100, ge=0, description="Epochs to run from start_epoch (0: report θ only)."
    )
    optimizer: OptimizerName = Field(
        default="sgd", description="sgd: θ −= ηg; momentum (0.9); adam (β₁ 0.9, β₂ 0.999, ε 1e-8)."
    )
    regularization: Regularization | None = Field(
        default=None, description="A penalty on the weights added to L; null: none."
    )
    reduction: Literal["mean", "sum"] = Field(default="mean", description="L = mean or Σ lⁿ.")
    report_every: Whole = Field(default=10, ge=1, description="Epochs between reports.")
    grid: Whole = Field(default=50, ge=0, description="Boundary lattice size (0: none).")
    neuron_grids: bool = Field(default=False, description="Each hidden neuron's a too.")
    neuron_grid: Annotated[int, Field(ge=2), BeforeValidator(_whole)] | None = Field(
        default=None, description="Lattice of the neurons' pictures (default: grid)."
    )
    seed: Whole = Field(default=0, ge=0, le=MAX_SEED, description="Seed of the mini-batches.")
    target_loss: float | None = Field(default=None, ge=0, description="Stop at this loss.")
    max_steps: Annotated[int, Field(ge=1), BeforeValidator(_whole)] | None = Field(
        default=None, description="Stop after these steps."
    )
    start_epoch: Whole = Field(default=0, ge=0, le=10**9, description="Epochs already run.")
    start_step: Whole = Field(default=0, ge=0, le=10**9, description="Steps into start_epoch.")
    optimizer_state: OptimizerState | None = Field(
        default=None, description="A done event's, to continue its momentum or Adam moments."
    )
    state_in_snapshots: bool = Field(
        default=False, description="Also send the optimizer's state in each snapshot."
    )
    pace: float | None = Field(default=None, gt=0, le=1000, description="Epochs a second, at most.")


class BatchTraceRequest(BaseModel):
    """Several examples: each one's lⁿ and ∂lⁿ/∂w, and L's step."""

    model_config = _STRICT

    network: NetworkSpec = Field(description=NETWORK_FIELD)
    inputs: list[list[float]] = Field(description="One row per example: the a of layer 0.")
    targets: list[list[float]] = Field(description="One row per example: the target t.")
    learning_rate: float = Field(default=0.5, description="η.")
    reduction: Literal["mean", "sum"] = Field(default="mean", description="L = mean or Σ lⁿ.")


class SplitOut(BaseModel):
    model_config = _OUT

    x: list[list[float]] = Field(description="The points.")
    inputs: list[list[float]] = Field(description="The network's input for each (features).")
    targets: list[list[float]] = Field(description="The network's target for each.")
    labels: list[float] = Field(description="Class index, or the value for regression.")


class DatasetResponse(BaseModel):
    model_config = _OUT

    kind: Literal["classification", "regression"]
    classes: int | None = Field(description="Number of classes; null for regression.")
    features: list[str] | None = Field(
        description="The features the inputs are made of; null when x's columns are the inputs."
    )
    extent: list[list[float]] | None = Field(
        description="[[x min, x max], [y min, y max]] of the plane; null unless 2-D."
    )
    train: SplitOut = Field(description="The points a run trains on.")
    test: SplitOut = Field(description="The points held out.")


class BatchLayerOut(BaseModel):
    """Layer l ≥ 1; every array has a leading example axis n."""

    model_config = _OUT

    z: list[list[float]] = Field(description="zⁿ per example.")
    a: list[list[float]] = Field(description="aⁿ = σ(zⁿ).")
    da_dz: list[list[float]] | None = Field(description="σ'(zⁿ); null for a softmax layer.")
    dl_da: list[list[float]] = Field(description="∂lⁿ/∂a." + SATURATED)
    dl_dz: list[list[float]] = Field(description="∂lⁿ/∂z.")
    dl_dw: list[list[list[float]]] = Field(description="∂lⁿ/∂w = aⁿ × ∂lⁿ/∂z per example.")
    dl_db: list[list[float]] = Field(description="∂lⁿ/∂b = ∂lⁿ/∂z.")


class BatchInputLayerOut(BaseModel):
    """Layer 0: the inputs, one row per example."""

    model_config = _OUT

    a: list[list[float]] = Field(description="The inputs xⁿ.")


class BatchTraceResponse(BaseModel):
    model_config = _OUT

    losses: list[float] = Field(description="lⁿ, one per example.")
    loss: float = Field(description="L: the mean or sum of the lⁿ.")
    reduction: Literal["mean", "sum"] = Field(description="How L is made of the lⁿ.")
    layers: list[BatchLayerOut | BatchInputLayerOut] = Field(
        description="layers[0] the inputs (BatchInputLayerOut), then one BatchLayerOut per "
        "layer; every array has a leading example axis."
    )
    gradients: GradientsOut = Field(description="∂L/∂w and ∂L/∂b: the reduction of each lⁿ's.")
    network: NetworkOut = Field(description="The network after one step θ − η∇L.")


# Stream events: each NDJSON line, or each SSE frame's `data:`, is one of these; `type` says
# which. The trace's come from app/engine/trace.py events(), training's from
# app/engine/train.py Training.events() and app/api/train.py.


class _Neuron(BaseModel):
    model_config = _OUT

    layer: int = Field(ge=1, description="Layer l, 1 … L.")
    node: int = Field(ge=0, description="Neuron j of that layer, 0-based.")


class ForwardEvent(_Neuron):
    """The forward pass, l = 1 … L, each layer's neurons in order."""

    type: Literal["forward"]
    z: float = Field(description="z = Σ w a + b.")
    a: float = Field(description="a = σ(z).")


class LossEvent(BaseModel):
    """Once, after the forward pass."""

    model_config = _OUT

    type: Literal["loss"]
    loss: float = Field(description="l(θ⁰).")
    dl_da: list[float] = Field(description="∂l/∂a of every output neuron." + SATURATED)


class BackwardEvent(_Neuron):
    """The backward pass, l = L … 1, each neuron."""

    type: Literal["backward"]
    case: Literal[1, 2] = Field(description="1: the output layer; 2: a hidden layer.")
    dl_da: float = Field(description="∂l/∂a." + SATURATED)
    da_dz: float | None = Field(description="σ'(z); null for softmax.")
    dl_dz: float = Field(description="∂l/∂z.")


class GradientEvent(_Neuron):
    """Right after that neuron's backward event."""

    type: Literal["gradient"]
    a: list[float] = Field(description="The activations feeding its weights: ∂z/∂w.")
    dl_dw: list[float] = Field(description="Its incoming weights' ∂l/∂w = a × ∂l/∂z.")
    dl_db: float = Field(description="∂l/∂b = ∂l/∂z.")


class UpdateEvent(_Neuron):
    """After all gradients, l = 1 … L: θ¹ = θ⁰ − η∇L(θ⁰), neuron by neuron."""

    type: Literal["update"]
    w: list[float] = Field(description="Its new incoming weights.")
    b: float = Field(description="Its new bias.")


class TraceDoneEvent(BaseModel):
    """Last."""

    model_config = _OUT

    type: Literal["done"]
    loss: float = Field(description="l(θ⁰).")
    loss_after: float = absent(
        "l(θ¹) on the same example, after the step: did it go downhill? Left out when θ¹ "
        "overflows the loss."
    )


class TraceEvent(
    RootModel[
        Annotated[
            ForwardEvent | LossEvent | BackwardEvent | GradientEvent | UpdateEvent | TraceDoneEvent,
            Field(discriminator="type"),
        ]
    ]
):
    """One event of POST /trace/stream."""


class _Where(BaseModel):
    model_config = _OUT

    epoch: int = Field(ge=0, description="Epochs completed.")
    step: int = Field(ge=0, description="Mini-batch steps since epoch 0.")


class StartEvent(_Where):
    """First: the run's shape."""

    type: Literal["start"]
    train_size: int = Field(description="Training points.")
    test_size: int = Field(description="Held-out points.")
    batch_size: int = Field(description="Examples per mini-batch (at most train_size).")
    steps_per_epoch: int
    kind: Literal["classification", "regression"]
    classes: int | None = Field(description="Number of classes; null for regression.")
    parameters: int = Field(description="Weights and biases: the length of θ.")


class EpochEvent(_Where):
    """A report, every report_every epochs, at the start and at the end."""

    type: Literal["epoch"]
    train_loss: float = Field(description="Mean lⁿ over the training points (no penalty).")
    test_loss: float | None = Field(description="Mean lⁿ over the test points; null if none.")
    train_accuracy: float = absent("Classification only: share classified right.")
    test_accuracy: float | None = absent("Classification only; null if no test points.")


class OptimizerStateOut(BaseModel):
    """What a later run continues from: send it back as `optimizer_state`."""

    model_config = _OUT

    kind: OptimizerName
    t: int = Field(description="Steps taken.")
    m: list[float] | None = Field(description="Momentum buffer or Adam's m; null if none.")
    v: list[float] | None = Field(description="Adam's v; null if none.")


class BoundaryOut(BaseModel):
    """The output over a grid × grid lattice of the plane (4 decimals)."""

    model_config = _OUT

    x: list[float] = Field(description="The lattice's x, grid values.")
    y: list[float] = Field(description="The lattice's y, grid values.")
    values: list[list[float]] = Field(
        description="values[i][j] at (x[j], y[i]): the output, or the winning class's."
    )
    classes: list[list[int]] = absent(
        "With more than one output only: the winning class at each point (values is then "
        "its output)."
    )


class NeuronPictureOut(BaseModel):
    """A hidden neuron's a over the lattice (4 decimals)."""

    model_config = _OUT

    layer: int = Field(description="Layer l of the hidden neuron.")
    node: int = Field(description="Neuron j, 0-based.")
    values: list[list[float]] = Field(description="values[i][j] at (x[j], y[i]).")


class ResumeOut(BaseModel):
    """Send this back unchanged as a train request's `resume` (beside the same dataset and a
    new epochs, η or batch size) to continue exactly from this event."""

    model_config = _OUT

    network: NetworkOut = Field(description="θ at this point.")
    optimizer_state: OptimizerStateOut
    epoch: int = Field(ge=0, description="Epochs completed.")
    step: int = Field(ge=0, description="Mini-batch steps since epoch 0.")
    batch_size: int = Field(description="The run's examples per mini-batch.")
    seed: int = Field(description="The run's seed of the mini-batches.")
    data: str = Field(description="A fingerprint of the data set (16 hex digits).")


class SnapshotEvent(_Where):
    """Right after each epoch event: θ and the pictures."""

    type: Literal["snapshot"]
    network: NetworkOut = Field(description="θ at this point.")
    next_batch: list[int] = Field(description="Training points of the next mini-batch.")
    boundary: BoundaryOut = absent("With grid ≥ 2 and a 2-D data set.")
    neurons: list[NeuronPictureOut] = absent("With neuron_grids and a boundary.")
    optimizer_state: OptimizerStateOut = absent("With state_in_snapshots.")
    resume: ResumeOut = Field(description="Send back as `resume` to continue from here.")


class DivergedEvent(_Where):
    """A loss stopped being finite, or a weight or bias finite and within max_abs_value
    (epoch and step: where); done follows with the last reported θ, the last good one."""

    type: Literal["diverged"]
    reason: str = Field(description="What happened, in English.")
    code: Literal["loss_not_finite", "parameter_not_finite", "parameter_too_large"] = Field(
        description="The same, stable, for a client to word in its language."
    )
    restored_epoch: int = Field(
        ge=0, description="The epoch of the θ the run went back to (the done event's)."
    )
    restored_step: int = Field(ge=0, description="Its mini-batch steps since epoch 0.")
    resume: ResumeOut = Field(description="To continue from the θ restored (the done event's).")


class ErrorEvent(_Where):
    """The run was cut short (its wall time, or the server shutting down); done follows
    from where it stands."""

    type: Literal["error"]
    reason: str = Field(description="What happened, in English.")
    code: Literal["time_limit", "shutdown"] = Field(
        description="The same, stable, for a client to word in its language: the done "
        "event's reason."
    )
    ctx: dict[str, float] = Field(
        description="time_limit: {limit}, the seconds one stream may take; shutdown: {}."
    )


class TrainDoneEvent(_Where):
    """Last, always: where the run stopped and θ to continue from."""

    type: Literal["done"]
    reason: Literal["epochs", "max_steps", "target_loss", "diverged", "time_limit", "shutdown"]
    train_loss: float | None = Field(description="Null only if θ⁰ itself overflowed.")
    test_loss: float | None
    train_accuracy: float | None = absent("Classification only.")
    test_accuracy: float | None = absent("Classification only.")
    network: NetworkOut
    optimizer_state: OptimizerStateOut
    next_batch: list[int]
    resume: ResumeOut = Field(description="Send back as `resume` to continue from here.")


class TrainEvent(
    RootModel[
        Annotated[
            StartEvent | EpochEvent | SnapshotEvent | DivergedEvent | ErrorEvent | TrainDoneEvent,
            Field(discriminator="type"),
        ]
    ]
):
    """One event of POST /train/stream."""


TraceResponse.model_rebuild()  # its `events` names TraceEvent, defined below it
