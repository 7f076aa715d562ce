"""POST /api/v1/trace (2-8×6-1) under 32 and 128 concurrent clients, 2 workers, against the
stack's ceiling and through nginx, in the same run.

    python benchmarks/bench_load.py [--seconds 30] [--clients 32 128] [--workers 2]
                                    [--rounds 1] [--no-nginx] [--json]

Starts benchmarks/ceiling_app.py and app.main:app as bench_http.py does (uvicorn, uvloop,
httptools, no access log, --workers 2, free 127.0.0.1 ports); with nginx, also two more
app processes of one worker each, and Debian's nginx twice with deploy/nginx.conf as
tests/deploy/helpers.py runs it (worker_processes auto, keep-alive upstream, access log
on). Then, for each client count, wrk -t1 -c<clients> --latency (2 s warm-up thrown away,
then --seconds) against, in turn:

- ceiling:      GET / of the ceiling app (a bare FastAPI async GET);
- trace:        POST /api/v1/trace with bench_engine.py's 2-8×6-1 body (bench_http's Lua
                script sets the method, body and content type);
- nginx→same:   the same POST through nginx to the same 2-worker app: nginx's cost alone;
- nginx→2×1:    the same POST through nginx to two 1-worker app processes, the shape of
                deploy/ (nginx balances the replicas instead of the kernel the workers).

Prints req/s, p50/p90/p99, errors (non-2xx answers plus wrk's socket errors: connect, read,
write, timeout; counted, never fatal), the CPU per request of the server (through nginx:
the app processes + nginx), the cores it used, how that CPU split between uvicorn's two
workers (or the two replicas) and the cores other processes took meanwhile (above ~0.2 the
run is skewed), then the issue's floors (at 32 clients trace ≥ 0.3× the ceiling's req/s
with p99 within 4× of its p99; zero errors at 128) and nginx against direct. wrk shares
the 2 cores with the servers (and nginx): compare only numbers from the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_engine import request_body  # noqa: E402
from bench_http import check_trace, lua_post, serve  # noqa: E402
from load import environment, run_wrk, table, workers  # noqa: E402

from tests.deploy.helpers import NGINX, running_nginx  # noqa: E402

NETWORK = "2-8x6-1"
FLOOR_RPS_RATIO = 0.30
FLOOR_P99_RATIO = 4.0


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


Rounds = list[dict[int, dict[str, dict[str, Any]]]]


def ratios(rounds: Rounds, clients: int, top: str, bottom: str, key: str) -> list[float]:
    """top / bottom of `key`, one ratio per round (each from runs a minute apart at most)."""
    return [r[clients][top][key] / r[clients][bottom][key] for r in rounds]


def splits(rounds: Rounds, clients: int, name: str) -> list[str]:
    """Each worker's (or replica's) share of the CPU, %, summed over the rounds."""
    cpu = [sum(c) for c in zip(*(r[clients][name]["split_cpu"] for r in rounds), strict=True)]
    return [f"{c / sum(cpu) * 100:.0f}" for c in cpu] if sum(cpu) > 0 else []


def median_of(values: list[float]) -> float:
    return statistics.median(values)


def show(values: list[float], digits: int) -> str:
    """The median of the per-round ratios, and each round's when there are several."""
    text = f"{median_of(values):.{digits}f}"
    if len(values) > 1:
        text += " (" + ", ".join(f"{v:.{digits}f}" for v in values) + ")"
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="per measured wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="discarded seconds before each")
    parser.add_argument("--clients", type=int, nargs="+", default=[32, 128])
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers, both apps")
    parser.add_argument("--no-nginx", action="store_true", help="skip the rows through nginx")
    parser.add_argument("--rounds", type=int, default=1, help="repeat; report medians")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    use_nginx = not args.no_nginx and Path(NGINX).exists()

    env = environment()
    print("  ".join(f"{k}={v}" for k, v in env.items()))
    print(
        f"wrk -t1 -c{{{','.join(map(str, args.clients))}}} -d{args.seconds:g}s --latency "
        f"(warm-up {args.warmup:g}s), uvicorn --workers {args.workers}, body {NETWORK}"
        + ("" if use_nginx else ", no nginx")
    )
    body = request_body(NETWORK)
    results: Rounds = []
    with tempfile.TemporaryDirectory() as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        (tmp / "body.json").write_bytes(body)
        post = lua_post(tmp / "post.lua", tmp / "body.json", {})
        ceiling, ceiling_pid = stack.enter_context(
            serve("ceiling_app:app", HERE, args.workers, "/", tmp / "ceiling.log")
        )
        ours, ours_pid = stack.enter_context(
            serve("app.main:app", ROOT, args.workers, "/healthz", tmp / "app.log")
        )
        check_trace(ours, body)
        # (name, URL, pids whose CPU counts, Lua script, the processes that share the work)
        targets = [
            ("ceiling", ceiling + "/", [ceiling_pid], None, workers(ceiling_pid)),
            ("trace", ours + "/api/v1/trace", [ours_pid], post, workers(ours_pid)),
        ]
        if use_nginx:
            replicas = [
                stack.enter_context(
                    serve("app.main:app", ROOT, 1, "/healthz", tmp / f"replica{i}.log")
                )
                for i in range(2)
            ]
            for name, backends, pids, split in (
                ("nginx→same", [ours], [ours_pid], workers(ours_pid)),
                ("nginx→2×1", [b for b, _ in replicas], [p for _, p in replicas], None),
            ):
                (tmp / name).mkdir()
                proxy = stack.enter_context(running_nginx(backends, tmp / name))
                check_trace(proxy.base, body)
                url = proxy.base + "/api/v1/trace"
                targets.append((name, url, [*pids, proxy.process.pid], post, split or pids))
        print(f"app workers: {workers(ours_pid)}, ceiling workers: {workers(ceiling_pid)}")
        for i in range(args.rounds):
            results.append({})
            for clients in args.clients:
                results[i][clients] = {}
                for name, url, pids, script, split in targets:
                    r = run_wrk(url, clients, args.seconds, pids, script, args.warmup, 1, split)
                    results[i][clients][name] = r
                    if r["errors"]:
                        print(f"{name} at {clients} clients: {r['errors']} errors\n{r['stdout']}")
                    r.pop("stdout")
        stack.close()
        log = (tmp / "app.log").read_text(errors="replace")
        tracebacks = log.count("Traceback")
        if tracebacks:
            print(
                f"note: the app logged {tracebacks} tracebacks (wrk closes its connections "
                "mid-request when a run ends; bench_http.py notes the same)"
            )

    names = [name for name, *_ in targets]
    keys = ["rps", "p50_ms", "p90_ms", "p99_ms", "cpu_us_per_request", "cores", "other_load_cores"]
    median = {
        c: {n: {k: statistics.median(r[c][n][k] for r in results) for k in keys} for n in names}
        for c in args.clients
    }
    errors = {c: {n: sum(r[c][n]["errors"] for r in results) for n in names} for c in args.clients}
    print()
    header = ["endpoint", "clients", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors",
              "CPU µs/req", "cores", "split %", "other load"]  # fmt: skip
    rows = [[n, c, *(f"{m[k]:.{d}f}" for k, d in zip(keys[:4], (0, 2, 2, 2), strict=True)),
             errors[c][n], f"{m['cpu_us_per_request']:.0f}", f"{m['cores']:.2f}",
             "/".join(splits(results, c, n)), f"{m['other_load_cores']:.2f}"]
            for c in args.clients for n, m in median[c].items()]  # fmt: skip
    print(table(header, rows, [13, 8, 9, 9, 9, 9, 8, 12, 7, 9, 12]))
    if args.rounds > 1:
        print(f"(medians of {args.rounds} rounds; errors summed)")
    print()
    for c in args.clients:
        rps = ratios(results, c, "trace", "ceiling", "rps")
        p99 = ratios(results, c, "trace", "ceiling", "p99_ms")
        cpu = ratios(results, c, "ceiling", "trace", "cpu_us_per_request")
        line = f"{c:>4} clients: trace/ceiling req/s {show(rps, 3)}, p99 {show(p99, 2)}×"
        if c == 32:
            line += (
                f"  (floors ≥ {FLOOR_RPS_RATIO:.1f}: {verdict(median_of(rps) >= FLOOR_RPS_RATIO)}"
                f"; ≤ {FLOOR_P99_RATIO:.0f}×: {verdict(median_of(p99) <= FLOOR_P99_RATIO)})"
            )
        print(line)
        print(f"{'':>14}CPU per request, ceiling/trace {show(cpu, 3)} (req/s ratio if CPU-bound)")
        for name in ("nginx→same", "nginx→2×1"):
            if name in names:
                via_rps = ratios(results, c, name, "trace", "rps")
                via_p99 = ratios(results, c, name, "trace", "p99_ms")
                print(f"{'':>14}{name} / direct: req/s {show(via_rps, 3)}, p99 {show(via_p99, 2)}×")
    if 128 in errors:
        at_128 = sum(errors[128].values())
        print(f"errors at 128 clients: {at_128}  (floor 0: {verdict(at_128 == 0)})")
    print(f"errors in all runs: {sum(sum(e.values()) for e in errors.values())}")
    busy = max(r[c][n]["other_load_cores"] for r in results for c in r for n in r[c])
    if busy > 0.2:
        print(f"warning: other processes used up to {busy:.2f} cores; req/s and p99 are skewed")
    if args.json:
        print(json.dumps({"environment": env, "rounds": results, "median": median}, indent=1))


if __name__ == "__main__":
    main()
