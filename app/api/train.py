"""POST /dataset, /train/stream and /trace/batch: gradient descent over a data set.

The training loop runs in a worker thread a slice at a time (up to the next snapshot, or
a few tens of milliseconds), so the event loop stays free, a slow reader slows the
training instead of piling up events, and a client that goes away stops the work at the
next slice: EventStream (app/http/events.py) cancels the stream, which then never asks for
another one. A server shutting down ends it with an error and a done event ("shutdown").
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from app.api.body import network_of
from app.api.deps import API_PREFIX, settings_of
from app.api.errors import APIError, from_non_finite, from_spec_error
from app.api.event_source import (
    LAST_EVENT_ID,
    STATE_QUERY,
    VERSION_QUERY,
    asked,
    get_stream_responses,
    named_in_state,
)
from app.api.openapi import ERROR_RESPONSES, stream_responses
from app.api.routes import JSONPostRoute
from app.api.schemas import (
    BatchTraceRequest,
    BatchTraceResponse,
    DatasetRequest,
    DatasetResponse,
    TrainEvent,
    TrainRequest,
)
from app.engine import (
    DataSet,
    Limits,
    Network,
    NonFiniteError,
    Position,
    SpecError,
    TrainConfig,
    Training,
    batch_trace,
    check_batch,
    check_config,
    check_learning_rate,
    dataset_from_spec,
    position_of,
)
from app.http.errors import error_item
from app.http.events import event_writer
from app.http.responses import JSONBytes
from app.ops import Ops, ops_of

router = APIRouter(prefix=API_PREFIX, tags=["training"], route_class=JSONPostRoute)

SLICE_SECONDS = 0.05  # longest stretch of training between two chances to stop


def _data_of(network: Network, spec: Any, limits: Limits) -> DataSet:
    try:
        return dataset_from_spec(vars(spec), network, limits)
    except SpecError as exc:
        raise from_spec_error(exc) from None


@router.post(
    "/dataset",
    response_model=DatasetResponse,
    response_class=JSONBytes,
    responses=ERROR_RESPONSES,
    summary="The points of a data set, split, with each one's network input and target",
)
async def post_dataset(req: DatasetRequest, request: Request) -> JSONBytes:
    """What a training run with this network and data set trains and tests on: each
    point's `x`, the network's `inputs` (features) and `targets`, and its `labels`."""
    limits = settings_of(request).limits
    network = network_of(req.network, limits)
    return JSONBytes(_data_of(network, req.dataset, limits).to_json())


# What `resume` sets: none of them may be given beside it.
RESUME_SETS = ("network", "start_epoch", "start_step", "optimizer_state")


def _spec_of(req: TrainRequest) -> tuple[Any, tuple[str, ...]]:
    """The network to train and its field's path: the request's own, or its resume's."""
    if req.resume is None:
        if req.network is None:
            msg = "a network is required (or `resume`, an event's, to continue a run)"
            raise APIError(422, [error_item(("body", "network"), msg, "missing")])
        return req.network, ("network",)
    both = [name for name in RESUME_SETS if name in req.model_fields_set]
    if both:
        msg = f"`resume` sets {both[0]}: leave it out, or leave out resume"
        raise APIError(422, [error_item(("body", both[0]), msg, "resume_both")])
    return req.resume.network, ("resume", "network")


def training_of(req: TrainRequest, limits: Limits) -> Training:
    spec, loc = _spec_of(req)
    network = network_of(spec, limits, loc)
    data = _data_of(network, req.dataset, limits)
    given = req.model_fields_set
    try:
        if req.resume is None:
            position = Position(
                req.start_epoch,
                req.start_step,
                req.optimizer,
                req.optimizer_state.model_dump() if req.optimizer_state else None,
                req.batch_size,
                req.seed,
            )
        else:
            position = position_of(
                req.resume.model_dump(),
                data,
                batch_size=req.batch_size if "batch_size" in given else None,
                seed=req.seed if "seed" in given else None,
                optimizer=req.optimizer if "optimizer" in given else None,
            )
        config = TrainConfig(
            learning_rate=check_learning_rate(req.learning_rate, limits),
            batch_size=position.batch_size,
            epochs=req.epochs,
            optimizer=position.optimizer,
            regularization=(
                (req.regularization.kind, req.regularization.rate) if req.regularization else None
            ),
            reduction=req.reduction,
            report_every=req.report_every,
            grid=req.grid,
            neuron_grids=req.neuron_grids,
            neuron_grid=req.neuron_grid,
            seed=position.seed,
            target_loss=req.target_loss,
            max_steps=req.max_steps,
            start_epoch=position.start_epoch,
            start_step=position.start_step,
            state_in_snapshots=req.state_in_snapshots,
            max_abs_value=limits.max_abs_value,
        )
        check_config(config, data, network, limits)
        state_loc = ("optimizer_state",) if req.resume is None else ("resume", "optimizer_state")
        return Training(network, data, config, position.optimizer_state, state_loc)
    except SpecError as exc:
        raise from_spec_error(exc) from None


class _Slicer:
    """Runs a Training's events a slice at a time (called in a worker thread)."""

    def __init__(
        self,
        training: Training,
        encode: Callable[[dict[str, Any], int], bytes],
        after: int = -1,
    ):
        self.training, self.encode = training, encode
        self.events: Iterator[dict[str, Any] | None] = training.events()
        self.sent = 0
        # Events numbered up to `after` are computed again but not sent (Last-Event-ID).
        self.after = after
        self.finished = False
        self.done_reason: str | None = None

    def next_slice(self, one_epoch: bool) -> bytes:
        out: list[bytes] = []
        until = time.monotonic() + SLICE_SECONDS
        epoch = self.training.epoch
        for event in self.events:
            if event is None:
                if time.monotonic() >= until or (one_epoch and self.training.epoch != epoch):
                    break
                continue
            catching_up = self.sent <= self.after
            if not catching_up:
                out.append(self.encode(event, self.sent))
            self.sent += 1
            if event["type"] == "done":
                self.finished = True
                self.done_reason = event["reason"]
                break
            if event["type"] == "snapshot" and not catching_up:
                break  # on its way at once: the page draws it while the next slice runs
        else:
            self.finished = True
        return b"".join(out)

    def stop(self, reason: str, done_reason: str, **ctx: float) -> bytes:
        """Cut short (wall time, shutdown): an error event, then done from where it stands."""
        if isinstance(self.events, Generator):  # Training.events is one
            self.events.close()
        self.finished = True
        self.done_reason = done_reason
        t = self.training
        error = {"type": "error", "epoch": t.epoch, "step": t.step, "reason": reason}
        error |= {"code": done_reason, "ctx": ctx}  # the page words it in its language
        first = self.encode(error, self.sent)
        self.sent += 1
        return first + self.encode(t.finish(done_reason), self.sent)


_SLICES: list[anyio.CapacityLimiter] = []


def _slices() -> anyio.CapacityLimiter:
    """One training slice at a time in this process: a slice holds the GIL for nearly all
    of its 50 ms, so several at once only take turns on it, each switch costing caches and
    the GIL's handoff (a class of 100 streams: docs/benchmarks.md). In turn (the limiter is
    first come, first served), each stream's next slice waits for the others' one."""
    if not _SLICES:
        _SLICES.append(anyio.CapacityLimiter(1))
    return _SLICES[0]


async def _stream(
    slicer: _Slicer, max_seconds: float, pace: float | None, ops: Ops
) -> AsyncIterator[bytes]:
    started = time.monotonic()
    first_epoch = counted = slicer.training.epoch
    try:
        while not slicer.finished:
            if ops.shutdown.requested:
                yield slicer.stop(
                    "the server is shutting down; continue from the done event's network",
                    "shutdown",
                )
                return
            if time.monotonic() - started > max_seconds:
                yield slicer.stop(
                    f"the run took longer than {max_seconds:g} s, the limit for one stream; "
                    "continue from the done event's network",
                    "time_limit",
                    limit=max_seconds,
                )
                return
            # A client that leaves cancels this await (EventStream): the slice in the worker
            # thread ends, and no other starts.
            chunk = await anyio.to_thread.run_sync(
                slicer.next_slice, pace is not None, limiter=_slices()
            )
            epoch = slicer.training.epoch
            if epoch > counted:
                ops.metrics.training_epochs.inc(epoch - counted)
                counted = epoch
            if chunk:
                yield chunk
            if pace is not None and slicer.sent > slicer.after:  # at most `pace` epochs a second
                wait = started + (epoch - first_epoch) / pace - time.monotonic()
                if wait > 0:
                    await ops.shutdown.sleep(wait)
    finally:
        reason = slicer.done_reason or "disconnect"
        ops.metrics.training_ended.labels(reason).inc()


@router.post(
    "/train/stream",
    responses=stream_responses(
        TrainEvent,
        "Events, one JSON object a line (NDJSON), or Server-Sent Events with "
        "`Accept: text/event-stream`: start, epoch and snapshot reports, diverged or error if "
        "it comes to that, and done, always last. See docs/training.md.",
    ),
    summary="Train by gradient descent on a data set, streaming losses and boundaries",
)
async def post_train_stream(req: TrainRequest, request: Request) -> StreamingResponse:
    """The lecture's loop θ⁰ → θ¹ → … on L(θ) over mini-batches. Every field is checked
    before the first byte: a bad body or a run past the caps is a 422, never a stream cut
    short."""
    limits = settings_of(request).limits
    training = training_of(req, limits)
    writer = event_writer(request.headers.get("accept", ""))
    slicer = _Slicer(training, writer.write)
    return writer.response(_stream(slicer, limits.max_train_seconds, req.pace, ops_of(request)))


# The GET form, for EventSource (app/api/event_source.py): a plain FastAPI route.
gets = APIRouter(prefix=API_PREFIX, tags=["training"])


@gets.get(
    "/train/stream",
    responses=get_stream_responses(TrainEvent, "POST /train/stream"),
    summary="Train, the events for EventSource: the request as a share link's state",
)
async def get_train_stream(
    request: Request,
    state: Annotated[str, STATE_QUERY],
    v: Annotated[Literal["1"], VERSION_QUERY] = "1",
    last_event_id: Annotated[str | None, LAST_EVENT_ID] = None,
) -> Response:
    """POST /train/stream for a client that can only GET (the browser's EventSource): the
    training request travels in the query as a share link's `state`. On a reconnect,
    EventSource's Last-Event-ID names the last event it heard: the run is computed again
    to there (the server keeps nothing between requests) and goes on from the next event,
    numbered as before; after the done event (id `done`), a 204 tells it to stop."""
    settings = settings_of(request)
    asked_for = asked(TrainRequest, state, last_event_id, settings.max_body_bytes)
    if asked_for is None:
        return Response(status_code=204)
    req, after = asked_for
    with named_in_state():
        training = training_of(req, settings.limits)
    writer = event_writer(request.headers.get("accept", ""), event_source=True)
    slicer = _Slicer(training, writer.write, after)
    stream = _stream(slicer, settings.limits.max_train_seconds, req.pace, ops_of(request))
    return writer.response(stream)


@router.post(
    "/trace/batch",
    response_model=BatchTraceResponse,
    response_class=JSONBytes,
    responses=ERROR_RESPONSES,
    summary="The lecture's l and L on a batch: each example's ∂lⁿ/∂w and their reduction",
)
async def post_trace_batch(req: BatchTraceRequest, request: Request) -> JSONBytes:
    """Forward and backward passes for every example: each one's loss lⁿ, z, a, σ'(z),
    ∂lⁿ/∂a, ∂lⁿ/∂z, ∂lⁿ/∂w (leading axis: the example); L and ∂L/∂w, their mean or sum;
    and the network after one step θ − η∇L."""
    limits = settings_of(request).limits
    network = network_of(req.network, limits)
    try:
        x, t = check_batch(network, req.inputs, req.targets, limits, limits.max_samples)
        eta = check_learning_rate(req.learning_rate, limits)
    except SpecError as exc:
        raise from_spec_error(exc) from None
    values = len(x) * network.parameter_count
    if values > limits.max_batch_gradients:
        msg = (
            f"{len(x)} examples × {network.parameter_count} parameters = {values} gradients; "
            f"the limit is {limits.max_batch_gradients}"
        )
        ctx = {
            "examples": len(x),
            "parameters": network.parameter_count,
            "total": values,
            "limit": limits.max_batch_gradients,
        }
        raise APIError(422, [error_item(("body", "inputs"), msg, "too_many_gradients", ctx)])
    try:
        step = await run_in_threadpool(batch_trace, network, x, t, eta, req.reduction)
    except NonFiniteError as exc:
        raise from_non_finite(exc) from None
    return JSONBytes(step.to_json())


router.routes.extend(gets.routes)
