"""The app with POST /api/v1/trace's work cut away in stages, for bench_trace_anatomy.py.

`BENCH_ANATOMY` picks what the trace lane (app/api/trace.py) still does for real; the rest
answers with what the first request computed, so every variant sends the same 22.6 KB
through the same stack, middlewares and uvicorn:

- full:     everything (the app as served);
- engine:   the body read into arrays and the engine's step; the answer's bytes reused;
- parse:    the body read into arrays; the step and the bytes reused;
- canned:   nothing but reading the body and sending the answer;
- busy:     canned, plus a busy wait as long as BENCH_BUSY_US (a stand-in for the work
            that runs no numpy and touches no data: what the work costs the rest);
- compact:  full, but answering without `dl_db` and `network` (what a smaller answer,
            a contract change, would save: not a variant the API offers).
"""

from __future__ import annotations

import os
import time
from typing import Any

import app.api.trace as lane
from app.main import create_app

VARIANTS = ("full", "engine", "parse", "canned", "busy", "compact")
variant = os.environ.get("BENCH_ANATOMY", "full")
if variant not in VARIANTS:
    raise SystemExit(f"BENCH_ANATOMY={variant!r}: one of {', '.join(VARIANTS)}")
busy_seconds = float(os.environ.get("BENCH_BUSY_US", "200")) * 1e-6

_first: dict[str, Any] = {}
_plain_trace, _run_step, _dumps = lane.plain_trace, lane.run_step, lane.dumps


def _once(name: str, compute: Any) -> Any:
    if name not in _first:
        _first[name] = compute()
    return _first[name]


def plain_trace(body: bytes, limits: Any) -> Any:
    if variant in ("canned", "busy"):
        return _once("plain", lambda: _plain_trace(body, limits))
    return _plain_trace(body, limits)


def run_step(example: Any, freeze_biases: bool) -> Any:
    if variant == "busy":
        end = time.perf_counter() + busy_seconds
        while time.perf_counter() < end:
            pass
    if variant in ("parse", "canned", "busy"):
        return _once("step", lambda: _run_step(example, freeze_biases))
    return _run_step(example, freeze_biases)


def dumps(body: Any) -> bytes:
    if variant == "compact":
        for layer in body["layers"][1:]:
            layer.pop("dl_db")
        body.pop("network")
        return _dumps(body)
    if variant == "full":
        return _dumps(body)
    return _once("bytes", lambda: _dumps(body))


lane.plain_trace, lane.run_step, lane.dumps = plain_trace, run_step, dumps
app = create_app()
