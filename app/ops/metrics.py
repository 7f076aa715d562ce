"""The Prometheus metrics, from the standard client (prometheus_client).

One process, one registry of the app's own. Under `uvicorn --workers N` every worker is a
process with its own numbers, and a scrape reaches one of them: with PROMETHEUS_MULTIPROC_DIR
set (app/cli.py sets it when workers > 1) every worker writes its values to files there and
/metrics sums them all, so any worker answers for the whole server.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Set but empty is unset, here as in app/cli.py. prometheus_client goes by the variable's
# presence, at its import: left in place, an empty one would have every metric write its
# files to the working directory.
if os.environ.get(MULTIPROC_ENV) == "":
    del os.environ[MULTIPROC_ENV]

from prometheus_client import (  # noqa: E402
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.process_collector import ProcessCollector  # noqa: E402

# The *_created series (each series' creation time) double a scrape for nothing here.
disable_created_metrics()

# From a fast trace (~0.2 ms) to a training stream cut at the default 120 s.
DURATION_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
    1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0,
)  # fmt: skip


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


class Metrics:
    """The app's metrics. In multiprocess mode they belong to no registry: their values go
    to the shared directory and `exposition` collects every worker's from there."""

    def __init__(self) -> None:
        self.shared = multiprocess_dir()
        own = None if self.shared else CollectorRegistry()
        self.registry = own
        if own is not None:
            ProcessCollector(registry=own)  # CPU seconds, resident memory, open fds
        self.requests = Counter(
            "backprop_viz_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=own,
        )
        self.duration = Histogram(
            "backprop_viz_http_request_duration_seconds",
            "From the request to the end of its answer (a stream's whole length), by route.",
            ["method", "route"],
            buckets=DURATION_BUCKETS,
            registry=own,
        )
        self.streams_active = Gauge(
            "backprop_viz_streams_active",
            "Streams open now (trace/stream and train/stream).",
            registry=own,
            multiprocess_mode="livesum",
        )
        self.streams_rejected = Counter(
            "backprop_viz_streams_rejected",
            "Streams refused with a 503: max_streams were open already.",
            registry=own,
        )
        self.training_epochs = Counter(
            "backprop_viz_training_epochs",
            "Training epochs computed and streamed out, over all training streams.",
            registry=own,
        )
        self.training_ended = Counter(
            "backprop_viz_training_streams_ended",
            "Training streams ended, by reason: the done event's (epochs, max_steps, "
            "target_loss, diverged, time_limit, shutdown), or disconnect.",
            ["reason"],
            registry=own,
        )
        # LTI (app/lti, docs/lti.md): launches by outcome (opened, deep_linking, or the
        # refusal's code), deep links by what was chosen (exercise, preset, state) or the
        # refusal, score posts by outcome (sent, or why not).
        self.lti_events = {
            name: Counter(
                f"backprop_viz_lti_{name}",
                f"LTI {name.replace('_', ' ')}, by outcome.",
                ["outcome"],
                registry=own,
            )
            for name in ("launches", "deep_links", "score_posts")
        }

    def lti(self, name: str, outcome: str) -> None:
        self.lti_events[name].labels(outcome=outcome).inc()

    def exposition(self) -> bytes:
        if self.registry is not None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=self.shared)
        return generate_latest(registry)

    def process_exited(self) -> None:
        """A worker's live gauges leave with it (its counters stay in the totals)."""
        if self.shared:
            multiprocess.mark_process_dead(os.getpid(), self.shared)


def metrics_endpoint(metrics: Metrics) -> Callable[[Request], Awaitable[Response]]:
    """GET /metrics: the Prometheus text format."""

    async def get_metrics(request: Request) -> Response:
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return get_metrics
