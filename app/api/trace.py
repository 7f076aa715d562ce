"""POST /trace and /trace/stream: one step of backpropagation, whole or as events."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse

from app.api.body import Example, example_of
from app.api.deps import API_PREFIX, settings_of
from app.api.errors import from_non_finite
from app.api.event_source import (
    LAST_EVENT_ID,
    STATE_QUERY,
    VERSION_QUERY,
    HeardDoneError,
    after_last_event,
    named_in_state,
    request_of,
)
from app.api.openapi import ERROR_RESPONSES, stream_responses
from app.api.routes import JSONPostRoute
from app.api.schemas import TraceEvent, TraceRequest, TraceResponse
from app.engine import NonFiniteError, Trace, events, trace
from app.http.events import event_writer
from app.http.responses import JSONBytes

router = APIRouter(prefix=API_PREFIX, tags=["trace"], route_class=JSONPostRoute)


def run_step(example: Example, freeze_biases: bool) -> Trace:
    try:
        return trace(
            example.network, example.input, example.target, example.learning_rate, freeze_biases
        )
    except NonFiniteError as exc:
        raise from_non_finite(exc) from None


@router.post(
    "/trace",
    response_model=TraceResponse,
    response_class=JSONBytes,
    responses=ERROR_RESPONSES,
    summary="Forward pass, backward pass and one gradient-descent step",
)
async def post_trace(req: TraceRequest, request: Request) -> JSONBytes:
    """Every neuron's z, a, σ'(z) (`da_dz`), ∂l/∂a, ∂l/∂z, ∂l/∂w and ∂l/∂b, and the network
    after θ¹ = θ⁰ − η∇L(θ⁰)."""
    step = run_step(example_of(req, settings_of(request).limits), req.freeze_biases)
    return JSONBytes(step.to_json(include_events=req.include_events))


@router.post(
    "/trace/stream",
    responses=stream_responses(
        TraceEvent,
        "One event per line (NDJSON), or Server-Sent Events when the request sends "
        "`Accept: text/event-stream`.",
    ),
    summary="The same step as a stream of events, in the order they are computed",
)
async def post_trace_stream(req: TraceRequest, request: Request) -> StreamingResponse:
    """Events: `forward` (l = 1…L, each neuron: z, a), `loss` (loss, ∂l/∂a of the output),
    `backward` (l = L…1: ∂l/∂a, σ'(z), ∂l/∂z) each followed by that neuron's `gradient`
    (∂l/∂w = a × ∂l/∂z, ∂l/∂b), `update` (new w and b per neuron), then `done`.

    The whole step is checked and computed before the first byte is sent, so a bad request
    or an overflow is a plain 4xx, never a stream cut short."""
    step = run_step(example_of(req, settings_of(request).limits), req.freeze_biases)
    writer = event_writer(request.headers.get("accept", ""))
    return writer.response(writer.chunks(events(step)))


# The GET forms, for EventSource (app/api/event_source.py): plain FastAPI routes.
gets = APIRouter(prefix=API_PREFIX, tags=["trace"])


@gets.get(
    "/trace/stream",
    responses={
        **stream_responses(TraceEvent, "The same events as POST /trace/stream."),
        204: {"description": "Last-Event-ID was `done`: the client has the whole stream."},
    },
    summary="The step's events for EventSource: the request as a share link's state",
)
async def get_trace_stream(
    request: Request,
    state: Annotated[str, STATE_QUERY],
    v: Annotated[Literal["1"], VERSION_QUERY] = "1",
    last_event_id: Annotated[str | None, LAST_EVENT_ID] = None,
) -> Response:
    """POST /trace/stream for a client that can only GET (the browser's EventSource): the
    request travels in the query as a share link's `state`; SSE when asked with
    `Accept: text/event-stream` (as EventSource asks), else NDJSON. The done event's SSE id
    is `done`."""
    try:
        after = after_last_event(last_event_id)
    except HeardDoneError:
        return Response(status_code=204)
    settings = settings_of(request)
    req = request_of(TraceRequest, state, settings.max_body_bytes)
    with named_in_state():
        step = run_step(example_of(req, settings.limits), req.freeze_biases)
    writer = event_writer(request.headers.get("accept", ""), event_source=True)
    return writer.response(writer.chunks(events(step), after=after))


router.routes.extend(gets.routes)
