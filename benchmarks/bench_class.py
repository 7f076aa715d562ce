"""A class pressing train at once: 100 concurrent spiral training streams to completion,
against the CPU floor, three times; then 100 opened and dropped, and the server back to rest.

    python benchmarks/bench_class.py [--streams 100] [--epochs 1000] [--report-every 100]
                                     [--runs 3] [--workers 2] [--server cli|uvicorn|nginx]
                                     [--max-streams N] [--max-train-seconds S] [--json]

The run is bench_train.py's (issue 7) in issue 16's shape: POST /api/v1/train/stream,
2-8-8-1 tanh/tanh/sigmoid, binary cross-entropy, the spiral (500 points, half for the test),
Adam, η = 0.01, batches of 10, 1000 epochs, a 50 × 50 boundary every 100 epochs
(--report-every 10 is issue 7's, 2.1 MB of NDJSON).

The server, with 2 workers by default (a stream trains in a worker thread under the GIL,
so one process computes on one core at most, and the floor below counts both cores):
- cli (the default): `backprop-viz --workers N` (app/cli.py, what scripts/serve.sh runs):
  its supervisor hands each connection to the worker with the fewest open (app/dispatch.py);
- uvicorn: app.main:app under `uvicorn --workers N` as bench_http.py starts it (uvloop,
  httptools, no access log), whose workers race for accept: the peer the dispatcher fixes;
- nginx (or --nginx): N apps of one worker each behind Debian's nginx with deploy/nginx.conf
  (as tests/deploy/helpers.py runs it: round robin, streams unbuffered), deploy/'s shape.
Its stream cap (BACKPROP_VIZ_MAX_STREAMS, 503 + Retry-After past it) is left at the
server's default unless --max-streams is given; a 503 is retried after its Retry-After and
counted apart from the errors. The client is asyncio + httpx in this process.

1. One run alone (after a short warm-up of every worker), three times: the server's CPU
   time (utime + stime of the uvicorn process tree, /proc/<pid>/stat) around each; the
   median is one run's CPU time, and the stream's bytes are the reference.
2. The class, --runs times: --streams streams sent at once, each read to its end.
   Errors: a status other than 200 after the retries, a broken connection, or a stream
   whose bytes differ from the run alone (every stream is the same seeded run, so its
   bytes must be identical: done last, no error event). Prints the load average, the
   total time against the floor (streams × one run's CPU ÷ cores), the server's CPU
   against streams × one run's, each worker's share, the time to the first event and the
   spread of finish times (floor: p99 within 1.5× of the median),
   and the workers' resident memory (VmRSS) before, at its peak and after. Each run ends
   with its verdicts against issue 16's floors: every stream done, the last finish within
   1.2 × the floor, the p99 finish within 1.5 × the median; the last line sums them up.
3. The drop: --streams streams opened at once, each closed after its first line. Then the
   server's CPU time is read every 50 ms for --watch seconds: prints how long after the
   last close it stopped increasing (no 50 ms interval with ≥ 20 ms of CPU after that
   moment), the CPU it spent meanwhile, and the workers' RSS against the baseline before
   the drop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import httpx  # noqa: E402
import orjson  # noqa: E402
from bench_http import serve  # noqa: E402
from bench_train import body  # noqa: E402
from load import OtherLoad, cpu_of, environment, percentile, rss_mib, table, workers  # noqa: E402

from tests.deploy.helpers import running_nginx  # noqa: E402
from tests.server import free_port, stop, wait_until_serving  # noqa: E402

PATH = "/api/v1/train/stream"
HEADERS = {"Content-Type": "application/json", "Accept-Encoding": "identity"}
SPREAD_FLOOR = 1.5
TOTAL_FLOOR = 1.2  # the last finish ÷ the CPU floor
BUSY = 0.02  # CPU seconds in one 50 ms interval that count as still computing
INTERVAL = 0.05


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=None),
        timeout=httpx.Timeout(600.0, connect=60.0),
    )


async def one_stream(
    http: httpx.AsyncClient, url: str, content: bytes, t0: float, first_line_only: bool = False
) -> dict[str, Any]:
    """POST the run and read it to the end (or to its first line), retrying a 503 after its
    Retry-After; times are seconds since t0."""
    out: dict[str, Any] = {"retries": 0, "status": None, "error": None}
    digest, tail = hashlib.sha256(), b""
    try:
        while True:
            async with http.stream("POST", url, content=content, headers=HEADERS) as r:
                if r.status_code == 503:
                    out["retries"] += 1
                    await r.aread()
                    await asyncio.sleep(float(r.headers.get("retry-after", "1")))
                    continue
                out["status"] = r.status_code
                async for chunk in r.aiter_raw():
                    if "first" not in out:
                        out["first"] = time.perf_counter() - t0
                    digest.update(chunk)
                    tail = (tail + chunk)[-65536:]
                    if first_line_only and b"\n" in tail:
                        break  # leaving the block closes the connection mid-stream
                out["end"] = time.perf_counter() - t0
                break
    except httpx.HTTPError as exc:
        out["error"] = repr(exc)
    out["sha256"], out["tail"] = digest.hexdigest(), tail
    return out


async def many(url: str, content: bytes, n: int, first_line_only: bool = False) -> list[dict]:
    async with client() as http:
        t0 = time.perf_counter()
        return await asyncio.gather(
            *(one_stream(http, url, content, t0, first_line_only) for _ in range(n))
        )


async def sample_rss(pids: list[int], peak: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        peak.append(sum(rss_mib(pids)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)


async def the_class(url: str, content: bytes, n: int, pids: list[int]) -> tuple[list, float]:
    stop, peak = asyncio.Event(), []
    sampler = asyncio.create_task(sample_rss(pids, peak, stop))
    streams = await many(url, content, n)
    stop.set()
    await sampler
    return streams, max(peak)


def last_event(tail: bytes) -> dict[str, Any]:
    lines = tail.rstrip(b"\n").rsplit(b"\n", 1)
    try:
        return orjson.loads(lines[-1])
    except orjson.JSONDecodeError:
        return {"type": "(cut)"}


def errors_of(streams: list[dict], reference: str) -> list[str]:
    out = []
    for i, s in enumerate(streams):
        if s["error"] or s["status"] != 200:
            out.append(f"stream {i}: status {s['status']}, {s['error']}")
        elif s["sha256"] != reference:
            event = last_event(s["tail"])
            out.append(
                f"stream {i}: bytes differ from the run alone; last event {event.get('type')} "
                f"{event.get('reason', '')} at epoch {event.get('epoch')}"
            )
    return out


def watch_cpu(pids: list[int], since: float, seconds: float) -> tuple[float, float, float]:
    """Read the server's CPU time every INTERVAL for `seconds`; returns (when it stopped
    increasing, s after `since`; CPU seconds spent after `since`; CPU seconds in the last
    half of the watch)."""
    samples = [(time.perf_counter(), sum(cpu_of(pids)))]
    end = samples[0][0] + seconds
    while samples[-1][0] < end:
        time.sleep(INTERVAL)
        samples.append((time.perf_counter(), sum(cpu_of(pids))))
    settled = samples[0][0]
    for (_, c0), (t1, c1) in itertools.pairwise(samples):
        if c1 - c0 >= BUSY:
            settled = t1
    half = [c for t, c in samples if t >= end - seconds / 2]
    return max(settled - since, 0.0), samples[-1][1] - cpu_at(samples, since), half[-1] - half[0]


def cpu_at(samples: list[tuple[float, float]], t: float) -> float:
    before = [c for s, c in samples if s <= t]
    return before[-1] if before else samples[0][1]


@contextlib.contextmanager
def cli(n: int, log: Path, env: dict[str, str]) -> Iterator[tuple[str, int]]:
    """`backprop-viz --workers n` from this checkout; yields (base URL, the supervisor's pid)
    once every worker is up."""
    port = free_port()
    cmd = [sys.executable, "-m", "app.cli", "--port", str(port), "--workers", str(n),
           "--log-level", "warning", "--no-access-log"]  # fmt: skip
    full = {**os.environ, **env}
    full.pop("PROMETHEUS_MULTIPROC_DIR", None)
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + "/healthz", proc, 60.0)
        deadline = time.monotonic() + 60
        while len(workers(proc.pid)) < n and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0 + 0.5 * n)  # the last one's startup, as bench_http.serve waits
        yield base, proc.pid
    finally:
        stop(proc)


@contextlib.contextmanager
def servers(
    tmp: Path, n: int, kind: str, env: dict[str, str]
) -> Iterator[tuple[str, list[int], list[int]]]:
    """The app with n workers (the cli, or uvicorn's own), or (nginx) n one-worker apps
    behind deploy/nginx.conf; yields (base URL, the pids whose CPU time counts, the serving
    processes)."""
    with contextlib.ExitStack() as stack:
        if kind == "cli":
            base, pid = stack.enter_context(cli(n, tmp / "app.log", env))
            yield base, [pid], workers(pid)
            return
        if kind == "uvicorn":
            base, pid = stack.enter_context(
                serve("app.main:app", ROOT, n, "/healthz", tmp / "app.log", env)
            )
            yield base, [pid], workers(pid)
            return
        apps = [
            stack.enter_context(
                serve("app.main:app", ROOT, 1, "/healthz", tmp / f"app{i}.log", env)
            )
            for i in range(n)
        ]
        (tmp / "nginx").mkdir()
        proxy = stack.enter_context(running_nginx([b for b, _ in apps], tmp / "nginx"))
        serving = [p for _, p in apps]
        yield proxy.base, [*serving, proxy.process.pid], serving


def spread_of(values: list[float]) -> list[float]:
    """min, median, p90, p99, max."""
    return [min(values), statistics.median(values), percentile(values, 90),
            percentile(values, 99), max(values)]  # fmt: skip


def run_body(args: argparse.Namespace) -> bytes:
    return orjson.dumps({**body(args.epochs), "report_every": args.report_every})


def verdicts(total: float, floor: float, spread: float, errors: list[str]) -> list[bool]:
    """Issue 16's three floors for one class: every stream done (its bytes the run alone's),
    the last finish within TOTAL_FLOOR × the CPU floor, the p99 within SPREAD_FLOOR × the
    median."""
    return [not errors, total / floor <= TOTAL_FLOOR, spread <= SPREAD_FLOOR]


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def one_class(
    args: argparse.Namespace, url: str, content: bytes, pids: list[int], serving: list[int],
    one_cpu: float, reference: str,
) -> dict[str, Any]:  # fmt: skip
    """Runs --streams at once and prints what it measured; returns it."""
    cores = os.cpu_count() or 1
    rss_before = sum(rss_mib(serving))
    per_worker0 = cpu_of(serving)
    loadavg = Path("/proc/loadavg").read_text().split()[:3]
    meter = OtherLoad(pids)
    t0 = time.perf_counter()
    streams, rss_peak = asyncio.run(the_class(url, content, args.streams, serving))
    total = time.perf_counter() - t0
    load = meter.stop()
    per_worker = [c1 - c0 for c0, c1 in zip(per_worker0, cpu_of(serving), strict=True)]
    time.sleep(1.0)
    rss_after = sum(rss_mib(serving))
    errors = errors_of(streams, reference)

    floor = args.streams * one_cpu / cores
    ends = sorted(s["end"] for s in streams if "end" in s)
    firsts = sorted(s["first"] for s in streams if "first" in s)
    spread = percentile(ends, 99) / statistics.median(ends)
    retries = sum(s["retries"] for s in streams)
    print(f"load average at the start: {' '.join(loadavg)}")
    rows = [[name, *(f"{x:.2f}" for x in spread_of(v))]
            for name, v in (("first event s", firsts), ("finish s", ends)) if v]  # fmt: skip
    print(table(["", "min", "median", "p90", "p99", "max"], rows, [15, 9, 9, 9, 9, 9]))
    print(
        f"class: {args.streams} streams in {total:.1f} s; CPU floor {args.streams} × "
        f"{one_cpu:.2f} s ÷ {cores} cores = {floor:.1f} s; total / floor = {total / floor:.2f}"
    )
    print(
        f"server CPU {load['server_cpu']:.1f} s = "
        f"{load['server_cpu'] / (args.streams * one_cpu):.2f} × {args.streams} runs alone; "
        f"per worker {', '.join(f'{c:.1f}' for c in per_worker)} s; "
        f"client CPU {load['client_cpu']:.1f} s; other load {load['other_load_cores']:.2f} cores"
    )
    free = cores - load["other_load_cores"]
    busiest = max(per_worker) / (sum(per_worker) / len(per_worker))
    print(
        f"on the cores the other load left ({free:.2f}): total / floor = "
        f"{total / (args.streams * one_cpu / free):.2f}; the busiest worker's CPU ÷ the mean "
        f"= {busiest:.2f}"
    )
    print(
        f"workers' RSS: {rss_before:.1f} MiB before, peak {rss_peak:.1f}, "
        f"{rss_after:.1f} after (1 s); 503 retries: {retries}"
    )
    ok = verdicts(total, floor, spread, errors)
    print(f"  all {args.streams} done: {len(errors)} errors  ({met(ok[0])})"
          + "".join(f"\n    {e}" for e in errors[:10]))  # fmt: skip
    print(f"  last finish / CPU floor = {total / floor:.2f}  (≤ {TOTAL_FLOOR}: {met(ok[1])})")
    print(f"  finish p99 / median = {spread:.2f}  (≤ {SPREAD_FLOOR}: {met(ok[2])})")
    for s in streams:
        s.pop("tail")
    return {
        "total": total, "floor": floor, "spread": spread, "errors": errors, "ok": ok,
        "load": load, "loadavg": loadavg, "per_worker": per_worker, "retries": retries,
        "busiest": busiest,
        "rss": [rss_before, rss_peak, rss_after], "streams": streams,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=1000, help="of each run (1000: issue 7's)")
    parser.add_argument(
        "--report-every", type=int, default=100, help="epochs (100: issue 16's; 10: issue 7's)"
    )
    parser.add_argument("--runs", type=int, default=3, help="classes, one after the other")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server", choices=["cli", "uvicorn", "nginx"], default="cli")
    parser.add_argument("--max-streams", type=int, help="BACKPROP_VIZ_MAX_STREAMS (per worker)")
    parser.add_argument("--max-train-seconds", type=float, help="BACKPROP_VIZ_MAX_TRAIN_SECONDS")
    parser.add_argument("--nginx", action="store_true", help="the same as --server nginx")
    parser.add_argument("--watch", type=float, default=6.0, help="seconds of CPU watch")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    if args.nginx:
        args.server = "nginx"

    server_env = {}
    if args.max_streams:
        server_env["BACKPROP_VIZ_MAX_STREAMS"] = str(args.max_streams)
    if args.max_train_seconds:
        server_env["BACKPROP_VIZ_MAX_TRAIN_SECONDS"] = f"{args.max_train_seconds:g}"
    env = environment()
    print("  ".join(f"{k}={v}" for k, v in env.items()))
    shape = {
        "cli": f"backprop-viz --workers {args.workers} (the dispatcher)",
        "uvicorn": f"uvicorn --workers {args.workers}",
        "nginx": f"nginx (deploy/nginx.conf) in front of {args.workers} 1-worker apps",
    }[args.server]
    print(
        f"{args.runs} × {args.streams} streams of the spiral run ({args.epochs} epochs, "
        f"a boundary every {args.report_every}), {shape}"
        + "".join(f", {k}={v}" for k, v in server_env.items())
    )
    content = run_body(args)
    result: dict[str, Any] = {"environment": env, "args": vars(args)}
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        base, pids, serving = stack.enter_context(
            servers(Path(tmp), args.workers, args.server, server_env)
        )
        url = base + PATH
        asyncio.run(many(url, orjson.dumps(body(5)), 4 * args.workers))  # warm every worker

        # 1. One run alone.
        singles = []
        for _ in range(3):
            cpu0, t0 = sum(cpu_of(pids)), time.perf_counter()
            (s,) = asyncio.run(many(url, content, 1))
            singles.append((sum(cpu_of(pids)) - cpu0, time.perf_counter() - t0, s))
        one_cpu = statistics.median(c for c, _, _ in singles)
        one_wall = statistics.median(w for _, w, _ in singles)
        reference = singles[0][2]["sha256"]
        alone_errors = errors_of([s for _, _, s in singles], reference)
        print(
            f"one run alone: CPU {', '.join(f'{c:.2f}' for c, _, _ in singles)} s "
            f"(median {one_cpu:.2f}), wall {one_wall:.2f} s, last event "
            f"{last_event(singles[0][2]['tail']).get('reason')}"
            + (f"; {len(alone_errors)} runs differ" if alone_errors else "")
        )

        # 2. The class, --runs times.
        classes = []
        for i in range(args.runs):
            print(f"\nclass {i + 1} of {args.runs}")
            classes.append(one_class(args, url, content, pids, serving, one_cpu, reference))

        # 3. Opened and dropped.
        time.sleep(1.0)
        rss_base = sum(rss_mib(serving))
        t_drop = time.perf_counter()
        dropped = asyncio.run(many(url, content, args.streams, first_line_only=True))
        closed = time.perf_counter()
        settled, cpu_after, cpu_tail = watch_cpu(pids, closed, args.watch)
        rss_dropped = sum(rss_mib(serving))
        drop_errors = [
            f"stream {i}: status {s['status']}, {s['error']}"
            for i, s in enumerate(dropped)
            if s["error"] or s["status"] != 200 or not s["tail"].startswith(b'{"type":"start"')
        ]
        tracebacks = sum(
            log.read_text(errors="replace").count("Traceback") for log in Path(tmp).glob("*.log")
        )

    print()
    print(
        f"drop: {args.streams} streams opened and closed after their first line in "
        f"{closed - t_drop:.2f} s ({len(drop_errors)} errors"
        + "".join(f"; {e}" for e in drop_errors[:5])
        + ")"
    )
    print(
        f"  server CPU stopped increasing {settled:.2f} s after the last close "
        f"({cpu_after:.2f} s of CPU after it; {cpu_tail:.2f} s in the last {args.watch / 2:g} s)"
    )
    print(
        f"  workers' RSS {rss_base:.1f} MiB before the drop, {rss_dropped:.1f} after "
        f"({(rss_dropped - rss_base) / rss_base * 100:+.1f} %)"
    )
    if tracebacks:
        print(f"note: the server logged {tracebacks} tracebacks")
    print()
    print(
        f"summary over {args.runs} classes: total / floor "
        + ", ".join(f"{c['total'] / c['floor']:.2f}" for c in classes)
        + "; p99 / median "
        + ", ".join(f"{c['spread']:.2f}" for c in classes)
        + "; errors "
        + ", ".join(str(len(c["errors"])) for c in classes)
    )
    every = [all(c["ok"][k] for c in classes) for k in range(3)]
    print(
        f"issue 16 item 5: all done in every run: {met(every[0])}; last finish ≤ "
        f"{TOTAL_FLOOR} × floor in every run: {met(every[1])}; p99 ≤ {SPREAD_FLOOR} × median "
        f"in every run: {met(every[2])}"
    )
    if args.json:
        for s in dropped:
            s.pop("tail")
        result.update(
            one_cpu=[c for c, _, _ in singles], one_wall=one_wall, classes=classes,
            drop={"settled": settled, "cpu_after": cpu_after, "cpu_tail": cpu_tail,
                  "rss": [rss_base, rss_dropped], "streams": dropped},
        )  # fmt: skip
        print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
