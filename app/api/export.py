"""POST /export/pytorch: a trace request or a training request as a standalone PyTorch script.

The request is the one /trace or /train/stream takes, checked the same way (the same error
items, the same caps); the answer is a Python script (text/x-python) that reproduces its
numbers with torch.autograd. The script is written by app/export/pytorch.py."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from pydantic import RootModel

from app.api.body import example_of
from app.api.deps import API_PREFIX, settings_of
from app.api.errors import APIError
from app.api.openapi import ERROR_RESPONSES
from app.api.routes import JSONPostRoute
from app.api.schemas import TraceRequest, TrainRequest
from app.api.train import training_of
from app.export.pytorch import MAX_EXPORT_EPOCH_SAMPLES, MEDIA_TYPE, trace_script, train_script
from app.http.errors import error_item

router = APIRouter(prefix=API_PREFIX, tags=["export"], route_class=JSONPostRoute)


class ExportRequest(RootModel[TraceRequest | TrainRequest]):
    """A POST /trace body, or a POST /train/stream body (it has a `dataset`)."""

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **kwargs: Any) -> Any:
        # Which of the two by one field, so that a bad body's errors name the fields of the
        # request it is (["body", "input"]), not of both members of a union.
        try:
            raw = orjson.loads(json_data)
        except orjson.JSONDecodeError:
            raw = None
        model = TrainRequest if isinstance(raw, dict) and "dataset" in raw else TraceRequest
        return cls(model.model_validate_json(json_data, **kwargs))


def _not_exported(field: str, why: str) -> APIError:
    return APIError(422, [error_item(("body", field), why, "not_exported")])


@router.post(
    "/export/pytorch",
    response_class=Response,
    responses={
        200: {
            "description": "A Python script that needs only torch and the standard library. "
            'A trace request\'s prints one JSON line {"loss", "dl_dw", "dl_db", '
            '"weights_next", "biases_next"}; a training request\'s prints one line '
            '{"epoch", "train_loss"} per reported epoch. See docs/export.md.',
            "content": {MEDIA_TYPE: {"schema": {"type": "string"}}},
        },
        **ERROR_RESPONSES,
    },
    summary="The network, its step or its training run as a standalone PyTorch script",
)
async def post_export_pytorch(req: ExportRequest, request: Request) -> Response:
    """The same network with its exact θ⁰ as `nn.Sequential`, the loss, `loss.backward()`
    and the optimizer, in float64; a training export has the data set and each epoch's
    mini-batch order inline, so it takes the same steps as the server's run."""
    limits = settings_of(request).limits
    body = req.root
    if isinstance(body, TrainRequest):
        if body.max_steps is not None:
            raise _not_exported("max_steps", "the script runs whole epochs: leave max_steps out")
        if body.resume is not None:
            raise _not_exported(
                "resume", "the script starts at epoch 0 with a fresh optimizer: leave resume out"
            )
        if body.optimizer_state is not None:
            raise _not_exported(
                "optimizer_state", "the script starts a fresh optimizer: leave optimizer_state out"
            )
        training = training_of(body, limits)
        points = len(training.data.train)
        total = training.config.epochs * points
        if total > MAX_EXPORT_EPOCH_SAMPLES:
            msg = (
                f"epochs × training points is {training.config.epochs} × {points} = {total}; "
                f"a script writes out at most {MAX_EXPORT_EPOCH_SAMPLES} (each epoch's order)"
            )
            ctx = {
                "epochs": training.config.epochs,
                "points": points,
                "total": total,
                "limit": MAX_EXPORT_EPOCH_SAMPLES,
            }
            raise APIError(
                422, [error_item(("body", "epochs"), msg, "too_many_epoch_samples", ctx)]
            )
        script = train_script(training.network, training.data, training.config)
        name = "backprop-viz-training.py"
    else:
        example = example_of(body, limits)
        script = trace_script(
            example.network,
            example.input,
            example.target,
            example.learning_rate,
            body.freeze_biases,
        )
        name = "backprop-viz-step.py"
    return Response(
        script,
        media_type=f"{MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
