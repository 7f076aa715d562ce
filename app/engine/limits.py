"""The caps a network spec and a trace request must respect (checked before any work)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_layers: int = 10  # input layer included
    max_neurons: int = 64  # in any one layer
    max_abs_value: float = 1e6  # any weight, bias, input or target
    max_learning_rate: float = 1e3
    max_gradcheck_parameters: int = 10_000
