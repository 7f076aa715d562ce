"""`backprop-viz`: serve the app with uvicorn.

Defaults come from the settings (BACKPROP_VIZ_HOST, _PORT, _WORKERS, _LOG_LEVEL,
_ACCESS_LOG, _LOG_FORMAT), flags override them, so a container runs just
`backprop-viz --host 0.0.0.0` with the rest from its environment. With more than one
worker, the supervisor hands each connection to the worker with the fewest open ones
(app/dispatch.py), and every worker writes its metrics to a shared directory
(PROMETHEUS_MULTIPROC_DIR, a fresh temporary one unless given) that /metrics sums:
docs/operations.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import uvicorn

from app import dispatch
from app.settings import Settings

APP = "app.main:app"

# Not imported from app.ops.metrics: prometheus_client picks its mode once, at import, and
# this process must not import it before the variable is set.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# Open training streams end within a slice of a SIGTERM (app/ops/shutdown.py); this bounds
# the wait for anything else still open.
GRACEFUL_SHUTDOWN_SECONDS = 10


def parse(argv: list[str] | None, settings: Settings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="backprop-viz", description="Serve backprop-viz.")
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.port)
    parser.add_argument("--workers", type=int, default=settings.workers)
    parser.add_argument(
        "--log-level",
        default=settings.log_level,
        choices=["critical", "error", "warning", "info", "debug", "trace"],
    )
    parser.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=settings.access_log,
        help="one line per request on stdout (BACKPROP_VIZ_LOG_FORMAT: text or json)",
    )
    parser.add_argument(
        "--timeout-graceful-shutdown",
        type=int,
        default=GRACEFUL_SHUTDOWN_SECONDS,
        help="seconds to wait for open connections after SIGTERM",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    settings = Settings()
    args = parse(argv, settings)
    if args.access_log:
        # The app reads its settings from the environment, in every worker.
        os.environ["BACKPROP_VIZ_ACCESS_LOG"] = "true"
    elif "BACKPROP_VIZ_ACCESS_LOG" in os.environ:
        os.environ["BACKPROP_VIZ_ACCESS_LOG"] = "false"
    shared = _metrics_dir(args.workers)
    try:
        serve(
            APP,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level=args.log_level,
            access_log=False,  # the app writes its own (app/ops/access_log.py)
            timeout_graceful_shutdown=args.timeout_graceful_shutdown,
        )
    finally:
        if shared is not None:  # ours: gone with the server, and so is the variable
            shutil.rmtree(shared, ignore_errors=True)
            os.environ.pop(MULTIPROC_ENV, None)


def serve(app: str, **options: Any) -> None:
    """uvicorn alone with one worker; with more, its supervisor and the dispatcher."""
    if options.get("workers", 1) > 1:
        dispatch.run(uvicorn.Config(app, **options))
    else:
        uvicorn.run(app, **options)


def _metrics_dir(workers: int) -> Path | None:
    """With workers > 1: a directory for prometheus_client's multiprocess mode, set in the
    environment before any worker starts. Returns it if it is ours to remove after."""
    given = os.environ.get(MULTIPROC_ENV)
    if given:
        # Values from an earlier run would add to this one's.
        for stale in Path(given).glob("*.db"):
            stale.unlink()
        return None
    if workers <= 1:
        return None
    made = Path(tempfile.mkdtemp(prefix="backprop-viz-metrics-"))
    os.environ[MULTIPROC_ENV] = str(made)
    return made


if __name__ == "__main__":
    main()
