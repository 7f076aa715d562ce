"""Soak: 10,000 requests in a row on one server process; its resident memory after warm-up
and at the end must be flat within 10 %.

    python benchmarks/bench_soak.py [--requests 10000] [--warmup 1000] [--mix all|trace]
                                    [--workers 1] [--json]

Starts app.main:app as bench_http.py does (uvicorn, uvloop, httptools, no access log, one
worker by default: "one process") and sends the requests one after another on one
keep-alive connection (http.client), each answer read to its end and its status checked.
With --mix all (the default) the requests cycle through ten kinds, so that the error path
and the streams are soaked too:

    POST /api/v1/trace (2-8×6-1, bench_engine.py's body) ×3, the same as /trace/stream
    (NDJSON read to the end), /gradcheck, the same trace with η = −1 (a 422), /network
    (a fresh seed each time), GET /api/v1/presets, a short /train/stream (2-8-8-1 on 100
    spiral points, 3 epochs, 10 × 10 boundary) and GET / (the page);

with --mix trace, POST /api/v1/trace only. VmRSS of the serving process (/proc/<pid>/status;
with --workers N, the sum over uvicorn's workers, not the supervisor) is read before the
first request and after every 1,000th. Prints the samples, the change from the warm-up
sample to the end (floor: within ±10 %), its slope per 1,000 requests, errors (a status
other than the expected one) and the server's CPU per request.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_engine import request_dict  # noqa: E402
from bench_http import serve  # noqa: E402
from bench_train import DATASET, NETWORK  # noqa: E402
from load import OtherLoad, environment, rss_mib, table, workers  # noqa: E402

FLOOR = 0.10
TRACE = request_dict("2-8x6-1")
SHORT_TRAIN = {
    "network": NETWORK,
    "dataset": {**DATASET, "samples": 100},
    "learning_rate": 0.01,
    "batch_size": 10,
    "epochs": 3,
    "optimizer": "adam",
    "report_every": 1,
    "grid": 10,
}


def mix(kind: str) -> list[tuple[str, str, Any, int]]:
    """One cycle of (method, path, JSON body or None, expected status)."""
    trace = ("POST", "/api/v1/trace", TRACE, 200)
    if kind == "trace":
        return [trace]
    network = {"layers": [2, 8, 1], "activations": ["tanh", "sigmoid"],
               "loss": "binary_cross_entropy"}  # fmt: skip
    return [
        trace,
        ("POST", "/api/v1/trace/stream", TRACE, 200),
        trace,
        ("POST", "/api/v1/gradcheck", TRACE, 200),
        ("POST", "/api/v1/trace", {**TRACE, "learning_rate": -1.0}, 422),
        ("POST", "/api/v1/network", network, 200),  # a seed is added per request
        ("GET", "/api/v1/presets", None, 200),
        trace,
        ("POST", "/api/v1/train/stream", SHORT_TRAIN, 200),
        ("GET", "/", None, 200),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=1_000, help="requests before the baseline")
    parser.add_argument("--every", type=int, default=1_000, help="sample RSS every N requests")
    parser.add_argument("--mix", choices=["all", "trace"], default="all")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)

    env = environment()
    print("  ".join(f"{k}={v}" for k, v in env.items()))
    cycle = mix(args.mix)
    bodies = [json.dumps(b).encode() if b is not None else None for _, _, b, _ in cycle]
    print(
        f"{args.requests} requests in a row, one keep-alive connection, mix {args.mix} "
        f"({len(cycle)} kinds), uvicorn --workers {args.workers}"
    )
    samples: list[tuple[int, float]] = []
    errors: list[str] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve("app.main:app", ROOT, args.workers, "/healthz", Path(tmp) / "app.log") as (base, pid),
    ):
        serving = workers(pid)
        host, port = base.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        headers = {"Content-Type": "application/json", "Accept-Encoding": "identity"}
        samples.append((0, sum(rss_mib(serving))))
        meter = OtherLoad([pid])
        t0 = time.perf_counter()
        for i in range(args.requests):
            k = i % len(cycle)
            method, path, _, expected = cycle[k]
            body = bodies[k]
            if path == "/api/v1/network":
                body = json.dumps({**cycle[k][2], "seed": i}).encode()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != expected:
                errors.append(f"#{i} {method} {path}: {response.status}, expected {expected}")
            if (i + 1) % args.every == 0:
                samples.append((i + 1, sum(rss_mib(serving))))
        seconds = time.perf_counter() - t0
        load = meter.stop()
        conn.close()
        per_worker = rss_mib(serving)

    print()
    warm = next(mib for n, mib in samples if n >= args.warmup)
    rows = [[n, f"{mib:.1f}", f"{(mib - warm) / warm * 100:+.1f}"] for n, mib in samples]
    print(table(["requests", "RSS MiB", "vs warm-up %"], rows, [10, 10, 14]))
    end = samples[-1][1]
    change = (end - warm) / warm
    slope = (end - warm) / max(samples[-1][0] - args.warmup, 1) * 1000 * 1024
    print()
    print(
        f"RSS at {args.warmup}: {warm:.1f} MiB, at {samples[-1][0]}: {end:.1f} MiB, "
        f"change {change * 100:+.2f} %  (floor within ±{FLOOR * 100:.0f} %: "
        f"{'met' if abs(change) <= FLOOR else 'NOT met'}); slope {slope:+.0f} KiB per 1,000 "
        f"requests; workers' RSS at the end: {', '.join(f'{m:.1f}' for m in per_worker)} MiB"
    )
    print(
        f"{args.requests} requests in {seconds:.1f} s ({args.requests / seconds:.0f} req/s), "
        f"server CPU {load['server_cpu'] / args.requests * 1e6:.0f} µs/request, "
        f"other load {load['other_load_cores']:.2f} cores"
    )
    print(f"errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:10]))
    if args.json:
        out = {"environment": env, "samples": samples, "errors": errors, "seconds": seconds}
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
