"""GET /capabilities: what is on offer and every limit in force, so clients hard-code none."""

from typing import Any

from fastapi import APIRouter, Request

from app import __version__
from app.api.deps import API_PREFIX, settings_of
from app.api.responses import JSONBytes
from app.engine import ACTIVATIONS, INITS, LOSSES
from app.engine.activations import LEAKY_SLOPE
from app.engine.batch import REDUCTIONS
from app.engine.data import DEFAULT_FEATURES, FEATURES, MAX_TEST_RATIO
from app.engine.datasets import DATASETS, EXTENT, MAX_NOISE
from app.engine.optimizers import OPTIMIZERS, REGULARIZATIONS

router = APIRouter(prefix=API_PREFIX, tags=["capabilities"])


@router.get("/capabilities", response_class=JSONBytes, summary="Activations, losses, limits")
async def capabilities(request: Request) -> dict[str, Any]:
    settings = settings_of(request)
    return {
        "version": __version__,
        "api": "v1",
        "activations": [
            {
                "name": a.name,
                "formula": a.formula,
                "derivative": a.derivative_formula,
                "output_only": a.output_only,
            }
            for a in ACTIVATIONS.values()
        ],
        "leaky_relu_slope": LEAKY_SLOPE,
        "losses": [
            {
                "name": loss.name,
                "formula": loss.formula,
                "output_activations": list(loss.output_activations or ACTIVATIONS),
                "targets_in_unit_interval": loss.targets_in_unit_interval,
            }
            for loss in LOSSES.values()
        ],
        "inits": list(INITS),
        "stream_formats": ["application/x-ndjson", "text/event-stream"],
        "limits": {
            "max_layers": settings.limits.max_layers,
            "min_layers": 2,
            "max_neurons": settings.limits.max_neurons,
            "max_abs_value": settings.limits.max_abs_value,
            "max_learning_rate": settings.limits.max_learning_rate,
            "max_gradcheck_parameters": settings.limits.max_gradcheck_parameters,
            "max_body_bytes": settings.max_body_bytes,
        },
        "training": {
            "datasets": [
                {"name": d.name, "kind": d.kind, "classes": d.classes, "description": d.description}
                for d in DATASETS.values()
            ],
            "features": list(FEATURES),
            "default_features": list(DEFAULT_FEATURES),
            "optimizers": [{"name": k, "formula": f} for k, f in OPTIMIZERS.items()],
            "regularizations": [{"name": k, "formula": f} for k, f in REGULARIZATIONS.items()],
            "reductions": list(REDUCTIONS),
            "max_noise": MAX_NOISE,
            "max_test_ratio": MAX_TEST_RATIO,
            "extent": EXTENT,
            "limits": {
                "max_samples": settings.limits.max_samples,
                "max_epochs": settings.limits.max_epochs,
                "max_epoch_samples": settings.limits.max_epoch_samples,
                "max_grid": settings.limits.max_grid,
                "max_report_cells": settings.limits.max_report_cells,
                "max_train_seconds": settings.limits.max_train_seconds,
                "max_batch_gradients": settings.limits.max_batch_gradients,
            },
        },
    }
