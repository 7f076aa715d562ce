"""POST /trace and /trace/stream: one step of backpropagation, whole or as events.

POST /trace is the page's request on every edit, so it also has a lane below FastAPI's
routing (TraceLane): a valid request is answered there, by the same code the route runs;
anything else goes on to the route, which answers it as ever.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.body import Example, example_of, plain_trace
from app.api.cohorts import Cohorts
from app.api.deps import API_PREFIX, settings_of
from app.api.errors import from_non_finite
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
from app.api.schemas import TraceEvent, TraceRequest, TraceResponse
from app.engine import Limits, NonFiniteError, Trace, events, trace
from app.http.errors import send_json
from app.http.events import event_writer
from app.http.responses import JSONBytes, dumps

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
    return JSONBytes(answer(req, settings_of(request).limits))


def answer(req: TraceRequest, limits: Limits) -> dict[str, Any]:
    """POST /trace's answer (the route's; the lane's stages are the same calls), or an
    APIError."""
    step = run_step(example_of(req, limits), req.freeze_biases)
    return step.to_json(include_events=req.include_events)


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
    responses=get_stream_responses(TraceEvent, "POST /trace/stream"),
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
    settings = settings_of(request)
    asked_for = asked(TraceRequest, state, last_event_id, settings.max_body_bytes)
    if asked_for is None:
        return Response(status_code=204)
    req, after = asked_for
    with named_in_state():
        step = run_step(example_of(req, settings.limits), req.freeze_biases)
    writer = event_writer(request.headers.get("accept", ""), event_source=True)
    return writer.response(writer.chunks(events(step), after=after))


router.routes.extend(gets.routes)


TRACE_PATH = f"{API_PREFIX}/trace"


class TraceLane:
    """POST /api/v1/trace answered below FastAPI's routing and Starlette's request and
    response objects, which cost about a fifth of a trace request (docs/benchmarks.md,
    issue 16 item 4). The body is read straight into the engine's arrays when it is plainly
    valid (`plain_trace`), else validated by TraceRequest as the route does; then the step
    and the answer's bytes, the three stages run for the requests that arrived together,
    one stage at a time (app/api/cohorts.py); the answer's headers are JSONBytes' (type and
    length). Whatever a stage raises for a request (a bad body, an overflow, a bug) is not
    handled here: the messages read so far are played again to the app, whose route then
    answers exactly as it always has. Sits innermost, so the body cap, gzip, the 500s, CORS
    and the metrics (which read the route from the scope, set here as the router would)
    apply as to any route."""

    def __init__(self, app: ASGIApp, *, limits: Limits, route: APIRoute) -> None:
        self.app = app
        self.limits = limits
        self.route = route
        self.cohorts = Cohorts((self._read, _step, _write))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or _path(scope) != TRACE_PATH:
            await self.app(scope, receive, send)
            return
        read: list[Message] = []
        more = True
        while more:
            message = await receive()
            read.append(message)
            if message["type"] != "http.request":
                break  # a disconnect: the route says so in its own way
            more = message.get("more_body", False)
        try:
            if more:
                raise EOFError
            body = (
                read[0].get("body", b"")
                if len(read) == 1
                else b"".join(m.get("body", b"") for m in read)
            )
            out = await self.cohorts.run(body)
        except Exception:
            await self.app(scope, _replay(read, receive), send)
            return
        scope["route"] = self.route
        await send_json(send, 200, out)

    def _read(self, body: bytes) -> tuple[Example, bool, bool]:
        """The example, freeze_biases and include_events, as the route reads them."""
        plain = plain_trace(body, self.limits)
        if plain is not None:
            return plain.example, plain.freeze_biases, plain.include_events
        req = TraceRequest.model_validate_json(body)
        return example_of(req, self.limits), req.freeze_biases, req.include_events


def _step(read: tuple[Example, bool, bool]) -> tuple[Trace, bool]:
    example, freeze_biases, include_events = read
    return run_step(example, freeze_biases), include_events


def _write(stepped: tuple[Trace, bool]) -> bytes:
    step, include_events = stepped
    return dumps(step.to_json(include_events=include_events))


def _replay(read: list[Message], receive: Receive) -> Receive:
    pending = list(read)

    async def replaying() -> Message:
        return pending.pop(0) if pending else await receive()

    return replaying


def _path(scope: Scope) -> str:
    # uvicorn's path includes --root-path; the routes' do not.
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path
