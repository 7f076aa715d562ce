"""How soon the first event of a long training stream reaches the client, through nginx
(deploy/nginx.conf, two app processes behind it) and straight from one app process, in the
same run; numbers for docs/deploy.md.

    .venv-test/bin/python benchmarks/bench_first_event.py [--rounds 10]

The stream is the spiral run of benchmarks/bench_train.py (2-8-8-1, Adam, 1000 epochs, a
50 × 50 boundary every 10 epochs). Each round, each row: POST it, clock the response's
headers, its first event (the start line, complete) and its last byte. Rows take turns
within a round so that they share whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bench_train import body  # noqa: E402

from tests.deploy.helpers import running_nginx  # noqa: E402
from tests.server import running_uvicorn  # noqa: E402

TRAIN = "/api/v1/train/stream"
BODY = body()


def one_stream(client: httpx.Client, url: str, encoding: str) -> tuple[float, float, float]:
    """Seconds from sending to the headers, to the first complete event, to the last byte."""
    headers = {"accept-encoding": encoding}
    started = time.perf_counter()
    first = 0.0
    with client.stream("POST", url + TRAIN, json=BODY, headers=headers) as r:
        assert r.status_code == 200, r.read()
        head = time.perf_counter() - started
        for line in r.iter_lines():
            if line.strip() and not first:
                first = time.perf_counter() - started
    return head, first, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    times: dict[str, list[tuple[float, float, float]]] = {}
    with (
        running_uvicorn() as (a, _),
        running_uvicorn() as (b, _),
        tempfile.TemporaryDirectory() as tmp,
        running_nginx([a, b], Path(tmp)) as nginx,
        httpx.Client(timeout=120) as client,
    ):
        rows = {f"direct {enc}": (a, enc) for enc in ("identity", "gzip")} | {
            f"nginx {enc}": (nginx.base, enc) for enc in ("identity", "gzip")
        }
        for _ in range(args.rounds):
            for name, (url, encoding) in rows.items():
                times.setdefault(name, []).append(one_stream(client, url, encoding))
    print(f"{args.rounds} rounds; seconds: median (max)")
    print(f"{'row':16} {'headers':>16} {'first event':>16} {'last byte':>16}")
    for name, runs in times.items():
        cells = [
            f"{statistics.median(col):.4f} ({max(col):.4f})" for col in zip(*runs, strict=True)
        ]
        print(f"{name:16} " + " ".join(f"{c:>16}" for c in cells))


if __name__ == "__main__":
    main()
