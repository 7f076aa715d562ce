"""POST /trace and /trace/stream: one step of backpropagation, whole or as events."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from app.api.body import Example, example_of
from app.api.deps import API_PREFIX, settings_of
from app.api.errors import from_non_finite
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
