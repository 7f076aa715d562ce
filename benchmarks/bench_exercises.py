"""POST /api/v1/exercises/{id}/check: the server's part of "Check → every verdict shown",
against the HTTP ceiling of this machine, in the same run.

    python benchmarks/bench_exercises.py [--requests 2000] [--rounds 3] [--json]

Starts app.main:app and benchmarks/ceiling_app.py with the same uvicorn command line
(uvloop, httptools, one worker, no access log) on free 127.0.0.1 ports, and sends one
request at a time over one kept-alive connection (a student's browser checks one variant at a
time; this is latency, not throughput), to:

- ceiling:  GET / of the ceiling app, a bare FastAPI endpoint answering {"status": "ok"};
- floor:    POST /floor of the ceiling app with the check's body: reads it, answers a fixed
            document as large as the check's answer (bytes in and out, no work);
- variant:  POST /api/v1/exercises/whole-step-2-2-2 {"seed": n};
- check:    POST /api/v1/exercises/whole-step-2-2-2/check {"seed": n, "answers": {…}}, all
            nine questions answered (one right, the rest wrong), a new seed each request.

The endpoints take turns, round after round, after a warm-up that is thrown away; the
latency is the client's, from the request's first byte to the answer's last (http.client,
time.perf_counter). Prints p50, p95 and p99 of each (over every request of every round),
check − ceiling at p50 (what the exercise adds to a bare request), and the in-process cost of
the same variant + check without HTTP. The issue's budget for Check → verdicts on the page is
p95 ≤ 200 ms; the server's share is printed beside it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_http import busy_jiffies, cpu_seconds, serve  # noqa: E402

from app.exercises import EXERCISES, check, variant  # noqa: E402

EXERCISE = "whole-step-2-2-2"
BUDGET_MS = 200.0


def answers_for(seed: int) -> dict[str, Any]:
    """All nine answered: q1 right (z¹₁ is exact), the others plausible but wrong."""
    v = variant(EXERCISES[EXERCISE], seed)
    out: dict[str, Any] = {}
    for q in v.exercise.questions:
        out[q.id] = {"number": 0.25, "sign": "+", "choice": "1"}[q.kind]
    out["q1"] = q1 = check(v, {})["results"][0]["expected"]
    assert isinstance(q1, float)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Client:
    """One kept-alive HTTP/1.1 connection."""

    def __init__(self, base: str) -> None:
        url = urlparse(base)
        self.host, self.port = url.hostname, url.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def fresh(self, method: str, path: str, body: bytes | None) -> None:
        """A new connection, opened by one untimed request: uvicorn closes one that has been
        idle for 5 s (its keep-alive), as this one is while the other endpoints take turns."""
        self.conn.close()
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.time(method, path, body)

    def time(self, method: str, path: str, body: bytes | None = None) -> float:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        t0 = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        elapsed = (time.perf_counter() - t0) * 1e3
        if r.status != 200:
            raise RuntimeError(f"{method} {path}: {r.status} {data[:300]!r}")
        return elapsed


def in_process(n: int) -> dict[str, float]:
    """variant + check of the same requests, no HTTP: what the endpoint's work costs."""
    bodies = [answers_for(seed) for seed in range(n)]
    times = []
    for seed, given in enumerate(bodies):
        t0 = time.perf_counter()
        check(variant(EXERCISES[EXERCISE], seed), given)
        times.append((time.perf_counter() - t0) * 1e3)
    return {"p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    n = args.requests
    checks = [
        json.dumps({"seed": seed, "answers": answers_for(seed)}).encode() for seed in range(n)
    ]
    seeds = [json.dumps({"seed": seed}).encode() for seed in range(n)]
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        with serve("app.main:app", ROOT, 1, "/healthz", tmp / "app.log") as (app, app_pid):
            probe = Client(app)
            probe.conn.request(
                "POST",
                f"/api/v1/exercises/{EXERCISE}/check",
                checks[0],
                {"Content-Type": "application/json"},
            )
            answer = probe.conn.getresponse().read()
            floor_env = {"BENCH_FLOOR_BYTES": str(len(answer))}
            with serve("ceiling_app:app", HERE, 1, "/", tmp / "ceiling.log", floor_env) as (
                ceiling,
                ceiling_pid,
            ):
                on_app, on_ceiling = Client(app), Client(ceiling)
                runs: dict[str, tuple[Client, str, str, list[bytes | None]]] = {
                    "ceiling": (on_ceiling, "GET", "/", [None] * n),
                    "floor": (on_ceiling, "POST", "/floor", checks),
                    "variant": (on_app, "POST", f"/api/v1/exercises/{EXERCISE}", seeds),
                    "check": (on_app, "POST", f"/api/v1/exercises/{EXERCISE}/check", checks),
                }
                times: dict[str, list[float]] = {name: [] for name in runs}
                for client, method, path, bodies in runs.values():  # warm-up
                    client.fresh(method, path, bodies[0])
                    for body in bodies[: args.warmup]:
                        client.time(method, path, body)
                # CPU of anything but the two servers and this client while measuring, in
                # cores: other work on the machine's two cores shows up in p95 and p99 first.
                servers0 = cpu_seconds(app_pid) + cpu_seconds(ceiling_pid)
                own0, (busy0, total0) = time.process_time(), busy_jiffies()
                for _ in range(args.rounds):
                    for name, (client, method, path, bodies) in runs.items():
                        client.fresh(method, path, bodies[-1])
                        times[name] += [client.time(method, path, body) for body in bodies]
                servers = cpu_seconds(app_pid) + cpu_seconds(ceiling_pid) - servers0
                own, (busy1, total1) = time.process_time() - own0, busy_jiffies()
    ticks = os.sysconf("SC_CLK_TCK")
    other = (busy1 - busy0) / ticks - servers - own
    other_cores = max(0.0, other / ((total1 - total0) / ticks) * (os.cpu_count() or 1))
    result = {
        name: {
            "p50_ms": percentile(t, 50),
            "p95_ms": percentile(t, 95),
            "p99_ms": percentile(t, 99),
            "mean_ms": statistics.fmean(t),
            "requests": len(t),
        }
        for name, t in times.items()
    }
    result["in_process"] = in_process(min(n, 1000))
    result["answer_bytes"] = {"check": len(answer)}
    result["other_load_cores"] = other_cores
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{EXERCISE}, {n} requests × {args.rounds} rounds per endpoint, one connection")
    print(f"other load during the run: {other_cores:.2f} cores")
    print(f"{'endpoint':10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for name in runs:
        r = result[name]
        cells = " ".join(f"{r[k]:8.3f}" for k in ("p50_ms", "p95_ms", "p99_ms", "mean_ms"))
        print(f"{name:10} {cells}")
    ip = result["in_process"]
    print(f"in-process variant + check: p50 {ip['p50_ms']:.3f} ms, p95 {ip['p95_ms']:.3f} ms")
    added = result["check"]["p50_ms"] - result["ceiling"]["p50_ms"]
    print(f"check − ceiling at p50: {added:.3f} ms; check answer {len(answer)} bytes")
    share = result["check"]["p95_ms"]
    print(
        f"server's share of the Check → verdicts budget: p95 {share:.2f} ms of {BUDGET_MS:.0f} ms"
    )


if __name__ == "__main__":
    main()
