"""The app, assembled from settings: API routers, page routes, static files, the wire's
middleware (app/http: body cap, 500s, gzip), POST /trace's lane (app/api/trace.py) and
the operations layer (app/ops: metrics, access log, stream cap, shutdown)."""

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Route

from app import __version__
from app.api import (
    capabilities,
    cost,
    errors,
    exercises,
    export,
    gradcheck,
    network,
    presets,
    trace,
    train,
)
from app.api.deps import API_PREFIX
from app.api.openapi import install_openapi
from app.api.trace import TRACE_PATH, TraceLane
from app.exercises import EXERCISES
from app.http.guards import Wire
from app.lti import routes as lti
from app.lti.tool import Tool
from app.ops import Ops
from app.ops.access_log import AccessLog
from app.ops.metrics import Metrics, metrics_endpoint
from app.ops.observer import RequestObserver
from app.ops.shutdown import ShutdownNotice
from app.ops.streams import StreamCap
from app.paths import STATIC_DIR
from app.settings import Settings
from app.web import apidocs, oembed, pages
from app.web.headers import EmbeddingHeaders
from app.web.static import CompressedStaticFiles

Lifespan = Callable[[Any], AbstractAsyncContextManager[Any]]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="backprop-viz",
        # /docs and /redoc are app.web.apidocs: FastAPI's own load their assets from a CDN.
        docs_url=None,
        redoc_url=None,
        # FastAPI's own OpenTelemetry hooks ask for the tracer, meter and logger providers on
        # every request (docs/benchmarks.md); the app's metrics are Prometheus' (app/ops).
        telemetry={"tracing": False, "metrics": False, "logs": False},
        version=__version__,
        description=(
            "Forward pass, backward pass and the gradient-descent step of a small network, "
            "neuron by neuron, in the lecture's notation: z, a, σ'(z) (`da_dz`), ∂l/∂z "
            "(`dl_dz`), ∂l/∂w = a × ∂l/∂z (`dl_dw`), θ¹ = θ⁰ − η∇L(θ⁰)."
        ),
    )
    app.state.settings = settings
    ops = app.state.ops = Ops(Metrics(), ShutdownNotice())
    app.router.lifespan_context = _with_ops(app.router.lifespan_context, ops)
    errors.install(app)
    _check_exercises(settings)
    # LTI 1.3 (docs/lti.md): None, and its routes answer 404, without the tool's key.
    app.state.lti = Tool.from_settings(settings.lti_platforms, settings.lti_private_key)
    routers = (trace, train, export, gradcheck, cost, network, presets, exercises, capabilities)
    for module in (*routers, pages, oembed, apidocs, lti):
        # Straight onto the app's router, not include_router: FastAPI routes every request
        # through a wrapper per included router (docs/benchmarks.md, "The fast path").
        app.router.routes.extend(module.router.routes)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    static = CompressedStaticFiles(directory=STATIC_DIR, minimum_size=settings.gzip_minimum_bytes)
    app.mount("/static", static, name="static")
    app.router.routes.append(
        Route("/metrics", metrics_endpoint(ops.metrics), methods=["GET"], include_in_schema=False)
    )
    _answer_head(app)
    for route in app.router.routes:
        if isinstance(route, APIRoute):
            # operationId = the endpoint's name (post_trace, get_preset): what a generated
            # client calls its functions, instead of post_trace_api_v1_trace_post.
            route.operation_id = route.operation_id or route.name
    install_openapi(app)
    # Added innermost first: the trace lane below the wire's guards (gzip, the 500s and the
    # body cap, which must act before anything reads the body).
    app.add_middleware(TraceLane, limits=settings.limits, route=_trace_route(app))
    app.add_middleware(
        Wire,
        max_body_bytes=settings.max_body_bytes,
        gzip_minimum_bytes=settings.gzip_minimum_bytes,
        gzip_level=settings.gzip_level,
    )
    app.add_middleware(
        StreamCap,
        paths=(f"{API_PREFIX}/trace/stream", f"{API_PREFIX}/train/stream"),
        max_streams=settings.max_streams,
        retry_after=settings.stream_retry_after,
        metrics=ops.metrics,
    )
    # Outside the body cap, which reads no body here, the stream cap and the 500s: their
    # answers get CORS headers too.
    app.add_middleware(
        EmbeddingHeaders,
        frame_ancestors=settings.frame_ancestors,
        cors_origins=settings.cors_origins,
    )
    # Outermost: every answer is counted and logged, the CORS preflight's too.
    access_log = AccessLog(settings.log_format) if settings.access_log else None
    app.add_middleware(RequestObserver, metrics=ops.metrics, access_log=access_log)
    return app


def _check_exercises(settings: Settings) -> None:
    """Every exercise fits the limits in force: its variants are valid trace requests and
    all its questions can be answered in one check (a server configured below them stops
    here, not at a student's request)."""
    limits = settings.limits
    for exercise in EXERCISES.values():
        why = exercise.fits(limits)
        if why is None and len(exercise.questions) > limits.max_exercise_answers:
            why = "it has more questions than BACKPROP_VIZ_MAX_EXERCISE_ANSWERS"
        if why is not None:
            raise ValueError(f"exercise {exercise.id} ({exercise.source}): {why}")


def _with_ops(inner: Lifespan, ops: Ops) -> Lifespan:
    """The app's lifespan, with the shutdown notice chained onto SIGTERM and SIGINT for its
    duration (app/ops/shutdown.py), and this worker's live metrics dropped at its end."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        with ops.shutdown.watching_signals():
            async with inner(app) as state:
                yield state
        ops.metrics.process_exited()

    return lifespan


def _trace_route(app: FastAPI) -> APIRoute:
    """The POST /trace route, whose place in the metrics the trace lane takes."""
    for route in app.router.routes:
        if (
            isinstance(route, APIRoute)
            and route.path == TRACE_PATH
            and "POST" in (route.methods or ())
        ):
            return route
    raise LookupError(TRACE_PATH)


def _answer_head(app: FastAPI) -> None:
    """HEAD wherever there is a GET (Starlette's routes do it, FastAPI's do not): monitors
    and link checkers ask with HEAD. A hidden route, so the OpenAPI document lists no HEAD."""
    for route in list(app.router.routes):
        if isinstance(route, APIRoute) and route.methods == {"GET"}:
            app.add_api_route(
                route.path,
                route.endpoint,
                methods=["HEAD"],
                response_class=route.response_class,
                include_in_schema=False,
                name=route.name,
            )


app = create_app()
