"""The backpropagation engine: numpy only, no web imports, usable on its own.

>>> from app.engine import Network, trace
>>> net = Network.from_spec({"layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
...                          "loss": "squared_error", "seed": 0})
>>> step = trace(net, [0.05, 0.10], [1.0], learning_rate=0.5)
>>> step.layers[-1].dl_dz.shape
(1,)

Its rooms: activations.py and losses.py (the records: σ, σ', each backward step, l, ∂l/∂a
and the closed forms), network.py (the spec), passes.py (the forward and backward pass,
once, for a batch), trace.py (one example, as the page plays it), batch.py
(/trace/batch), optimizers.py (the step rules), train.py (the loop), checks.py (every
check of a request's numbers), dataset_generators.py and training_data.py (the generated
sets, and a run's data made of them), gradcheck.py and cost.py (backprop against central
differences), presets.py, limits.py, errors.py. Everything a caller needs is here.
"""

from app.engine.activations import ACTIVATIONS, LEAKY_SLOPE, Activation
from app.engine.batch import BatchTrace, batch_trace
from app.engine.checks import (
    check_batch,
    check_config,
    check_example,
    check_learning_rate,
    check_targets,
)
from app.engine.cost import (
    SWEEP_ACTIVATION,
    SWEEP_LOSS,
    GradientCost,
    drawn_example,
    gradient_cost,
    sampled_parameters,
    sweep_network,
    sweep_shapes,
)
from app.engine.dataset_generators import DATASETS, EXTENT, MAX_NOISE, DatasetKind, generate
from app.engine.errors import ERROR_TYPES, NonFiniteError, SpecError, format_loc
from app.engine.gradcheck import GradCheck, gradcheck, numeric_gradient, numeric_partials
from app.engine.limits import MAX_SEED, MIN_LAYERS, Limits
from app.engine.losses import LOSSES, Loss
from app.engine.network import INITS, Network, example_from_spec, initial_weights
from app.engine.optimizers import (
    BETA1,
    BETA2,
    EPSILON,
    MOMENTUM,
    OPTIMIZERS,
    REGULARIZATIONS,
    Optimizer,
    Rule,
    gradient_descent_step,
    optimizer_from,
)
from app.engine.passes import REDUCTIONS, backward, dl_dw, forward, loss_value, row_losses
from app.engine.presets import PRESETS, Preset
from app.engine.resume import Position, data_fingerprint, position_of
from app.engine.trace import LayerTrace, Trace, events, trace
from app.engine.train import TrainConfig, Training
from app.engine.training_data import (
    DEFAULT_FEATURES,
    FEATURES,
    DataSet,
    Split,
    dataset_from_spec,
)

__all__ = [
    "ACTIVATIONS",
    "BETA1",
    "BETA2",
    "DATASETS",
    "DEFAULT_FEATURES",
    "EPSILON",
    "ERROR_TYPES",
    "EXTENT",
    "FEATURES",
    "INITS",
    "LEAKY_SLOPE",
    "LOSSES",
    "MAX_NOISE",
    "MAX_SEED",
    "MIN_LAYERS",
    "MOMENTUM",
    "OPTIMIZERS",
    "PRESETS",
    "REDUCTIONS",
    "REGULARIZATIONS",
    "SWEEP_ACTIVATION",
    "SWEEP_LOSS",
    "Activation",
    "BatchTrace",
    "DataSet",
    "DatasetKind",
    "GradCheck",
    "GradientCost",
    "LayerTrace",
    "Limits",
    "Loss",
    "Network",
    "NonFiniteError",
    "Optimizer",
    "Position",
    "Preset",
    "Rule",
    "SpecError",
    "Split",
    "Trace",
    "TrainConfig",
    "Training",
    "backward",
    "batch_trace",
    "check_batch",
    "check_config",
    "check_example",
    "check_learning_rate",
    "check_targets",
    "data_fingerprint",
    "dataset_from_spec",
    "dl_dw",
    "drawn_example",
    "events",
    "example_from_spec",
    "format_loc",
    "forward",
    "generate",
    "gradcheck",
    "gradient_cost",
    "gradient_descent_step",
    "initial_weights",
    "loss_value",
    "numeric_gradient",
    "numeric_partials",
    "optimizer_from",
    "position_of",
    "row_losses",
    "sampled_parameters",
    "sweep_network",
    "sweep_shapes",
    "trace",
]
