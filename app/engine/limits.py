"""The caps a network spec and a trace request must respect (checked before any work)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_layers: int = 10  # input layer included
    max_neurons: int = 64  # in any one layer
    max_abs_value: float = 1e6  # any weight, bias, input or target
    max_learning_rate: float = 1e3
    max_gradcheck_parameters: int = 10_000
    # POST /cost: parameters whose central differences one request times (beyond, estimated)
    max_cost_sample: int = 128
    # Training (POST /train/stream, /dataset, /trace/batch)
    max_samples: int = 10_000  # points in a data set, rows of a batch
    max_epochs: int = 100_000
    max_epoch_samples: int = 50_000_000  # epochs × training points
    max_grid: int = 100  # the boundary's lattice is grid × grid
    max_report_cells: int = 20_000_000  # reports × grid², what the snapshots cost to send
    max_train_seconds: float = 120.0  # wall time of one training stream
    max_batch_gradients: int = 1_000_000  # examples × parameters in one /trace/batch answer
    # Exercises (POST /exercises/{id}, /exercises/{id}/check)
    max_exercise_seed: int = 2**32 - 1  # seeds 0 … this
    max_exercise_answers: int = 64  # answers in one check request
