"""The backpropagation engine: numpy only, no web imports, usable on its own.

>>> from app.engine import Network, trace
>>> net = Network.from_spec({"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"],
...                          "loss": "squared_error", "seed": 0})
>>> step = trace(net, [0.05, 0.10], [1.0], learning_rate=0.5)
>>> step.layers[-1].dl_dz.shape
(1,)
"""

from app.engine.activations import ACTIVATIONS, Activation
from app.engine.errors import NonFiniteError, SpecError
from app.engine.gradcheck import GradCheck, gradcheck, numeric_gradient
from app.engine.limits import Limits
from app.engine.losses import LOSSES, Loss
from app.engine.network import INITS, Network, initial_weights
from app.engine.presets import PRESETS, Preset
from app.engine.trace import (
    LayerTrace,
    Trace,
    check_example,
    check_learning_rate,
    events,
    forward,
    loss_value,
    trace,
)
from app.engine.update import gradient_descent_step

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "LOSSES",
    "PRESETS",
    "Activation",
    "GradCheck",
    "LayerTrace",
    "Limits",
    "Loss",
    "Network",
    "NonFiniteError",
    "Preset",
    "SpecError",
    "Trace",
    "check_example",
    "check_learning_rate",
    "events",
    "forward",
    "gradcheck",
    "gradient_descent_step",
    "initial_weights",
    "loss_value",
    "numeric_gradient",
    "trace",
]
