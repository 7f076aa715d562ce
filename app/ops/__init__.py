"""Operations: what an operator sees and relies on (docs/operations.md).

Prometheus metrics (metrics.py) fed by one pure-ASGI observer (observer.py), which also
writes the optional access log (access_log.py); a cap on concurrent streams and streams
that stop when their client leaves or the server shuts down (streams.py, shutdown.py); and
the 500 in the API's error shape, inside the CORS headers (failures.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from app.ops.metrics import Metrics
from app.ops.shutdown import ShutdownNotice


@dataclass
class Ops:
    """One app's metrics and shutdown notice, at app.state.ops."""

    metrics: Metrics
    shutdown: ShutdownNotice


def ops_of(request: Request) -> Ops:
    return request.app.state.ops
