"""The optional access log (BACKPROP_VIZ_ACCESS_LOG=1): one line per request on stdout,
text or JSON (BACKPROP_VIZ_LOG_FORMAT=json) with: time (the request's arrival, UTC), method,
path (no query string), route (the template it matched), status, duration_ms (to the end
of the answer), bytes (of the body sent) and client ("host:port").

It replaces uvicorn's own access log, which app/cli.py turns off: one line per request,
with the route and the duration that uvicorn's lacks.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Literal

import orjson

LOGGER = "backprop_viz.access"


class AccessLog:
    def __init__(self, log_format: Literal["text", "json"]) -> None:
        self.json = log_format == "json"
        self.logger = logging.getLogger(LOGGER)
        if not self.logger.handlers:  # create_app may run more than once in a process
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(logging.Formatter("%(message)s"))
            self.logger.addHandler(handler)
        self.logger.setLevel(logging.INFO)
        self.logger.propagate = False

    def write(
        self,
        *,
        arrived: float,
        method: str,
        path: str,
        route: str,
        status: int,
        seconds: float,
        sent: int,
        client: tuple[str, int] | None,
    ) -> None:
        when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(arrived))
        when += f".{int(arrived % 1 * 1000):03d}Z"
        peer = f"{client[0]}:{client[1]}" if client else "-"
        ms = round(seconds * 1000, 3)
        if self.json:
            record = {
                "time": when,
                "method": method,
                "path": path,
                "route": route,
                "status": status,
                "duration_ms": ms,
                "bytes": sent,
                "client": peer,
            }
            self.logger.info(orjson.dumps(record).decode())
        else:
            line = f'{when} {peer} "{method} {path}" {status} {sent} {ms}ms route={route}'
            self.logger.info(line)
