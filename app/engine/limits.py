"""The caps a network spec, a trace request, a training run and an exercise must respect
(checked before any work): every one of them, each declared once, here.

A plain dataclass, so that the engine needs nothing but numpy. Each field's metadata holds
its description and the bounds a configured value must keep, under the keyword names of
pydantic's `Field` (description, ge, le, gt, lt): pydantic reads a dataclass field's metadata
as such, so the app's settings validate BACKPROP_VIZ_MAX_* against these bounds, and
GET /capabilities publishes these fields with these descriptions (app/api/capabilities.py
builds its model from them: nothing there declares a cap again)."""

from dataclasses import dataclass, field
from typing import Any

from app.engine.dataset_generators import MAX_NOISE

# numpy's generators take seeds 0 … 2³²−1: a network's init, a data set, the mini-batches,
# an exercise's variant.
MAX_SEED = 2**32 - 1
# A network has an input and an output layer at least: a fact, not a setting.
MIN_LAYERS = 2


def _cap(default: Any, description: str, **bounds: float) -> Any:
    return field(default=default, metadata={"description": description, **bounds})


@dataclass(frozen=True)
class Limits:
    max_layers: int = _cap(10, "Layers, the input layer included.", ge=MIN_LAYERS)
    max_neurons: int = _cap(64, "Neurons in any one layer.", ge=1)
    max_abs_value: float = _cap(1e6, "|w|, |b|, |x|, |t| at most.", gt=0)
    max_learning_rate: float = _cap(1e3, "η at most (and more than 0).", gt=0)
    max_gradcheck_parameters: int = _cap(10_000, "Parameters a gradient check takes.", ge=1)
    max_cost_sample: int = _cap(
        128,
        "Parameters whose central differences one /cost request times; past it, the "
        "finite-difference time is estimated.",
        ge=1,
    )
    max_seed: int = _cap(
        MAX_SEED, "Seeds of init, a data set and the mini-batches: 0 … this.", ge=0, le=MAX_SEED
    )
    # Training (POST /train/stream, /dataset, /trace/batch)
    max_samples: int = _cap(10_000, "Points in a data set, rows of a batch.", ge=1)
    max_noise: float = _cap(
        MAX_NOISE, "A generated set's noise: 0 … this (0.5: Playground's 50 %).", ge=0, le=MAX_NOISE
    )
    max_test_ratio: float = _cap(0.9, "Share of a data set held out as test, at most.", ge=0, lt=1)
    max_epochs: int = _cap(100_000, "Epochs in one run.", ge=1)
    max_epoch_samples: int = _cap(50_000_000, "Epochs × training points in one run.", ge=1)
    max_grid: int = _cap(100, "The boundary's lattice is grid × grid.", ge=2)
    max_report_cells: int = _cap(20_000_000, "Snapshots × lattice cells in one run.", ge=1)
    max_train_seconds: float = _cap(120.0, "Wall time of one training stream.", gt=0)
    max_batch_gradients: int = _cap(1_000_000, "Examples × parameters in one batch answer.", ge=1)
    # Exercises (POST /exercises/{id}, /exercises/{id}/check)
    max_exercise_seed: int = _cap(MAX_SEED, "An exercise's seeds are 0 … this.", ge=0, le=MAX_SEED)
    max_exercise_answers: int = _cap(64, "Answers in one exercise check.", ge=1)
