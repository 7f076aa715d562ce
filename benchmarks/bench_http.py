"""POST /api/v1/trace (2-8×6-1) under load, against the stack's ceiling, in the same run.

    python benchmarks/bench_http.py [--workers 1] [--duration 10] [--rounds 1] [--gzip]

Starts app.main:app and benchmarks/ceiling_app.py (a bare FastAPI app whose async GET
returns a small JSON object) with the same uvicorn command line (uvloop, httptools,
--workers N, no access log) on free 127.0.0.1 ports, then runs wrk (-t1 -c32 -d10s
--latency, after a 2 s warm-up that is thrown away) against:

- ceiling:  GET / of the ceiling app;
- trace:    POST /api/v1/trace with the 2-8×6-1 body of bench_engine.py (a wrk Lua
            script sets the method, body and content-type);
- healthz:  GET /healthz of our app (for reference: what our middleware stack costs
            on a trivial route);
- floor:    POST /floor of the ceiling app with the same body: it reads the body and
            answers a fixed document as large as the trace response, i.e. the cost of
            moving the bytes through uvicorn + FastAPI with no work at all (reference);
- trace+gzip (with --gzip): the same POST with Accept-Encoding: gzip, as browsers send.

Both servers stay up for the whole run and the endpoints take turns, round after round
(--rounds). Prints requests/s, p50 and p99 of each (medians over the rounds), the
server's CPU time per request (utime + stime of the uvicorn process tree over the
measured run, from /proc: barely affected by other load, and with one saturated worker
rps ≈ 1 / CPU per request), the CPU used by other processes during the run (in cores:
anything above ~0.2 skews rps and p99), and the issue's ratios, as medians of the
per-round ratios: trace rps / ceiling rps (target ≥ 0.30) and trace p99 / ceiling p99
(target ≤ 4). wrk shares the machine's cores with the server: compare only numbers from
the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_engine import request_body  # noqa: E402

from app.api.body import example_of  # noqa: E402
from app.api.schemas import TraceRequest  # noqa: E402
from app.engine import trace  # noqa: E402
from app.http.responses import dumps  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.server import running_uvicorn  # noqa: E402

NETWORK = "2-8x6-1"
TARGET_RPS_RATIO = 0.30
TARGET_P99_RATIO = 4.0


@contextlib.contextmanager
def serve(
    app: str,
    app_dir: Path,
    workers: int,
    ready_path: str,
    log: Path,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[str, int]]:
    """Run uvicorn (uvloop, httptools, no access log) with its output to `log`; yield
    (base URL, pid) once ready_path answers 200."""
    flags = ("--app-dir", str(app_dir), "--workers", str(workers), "--loop", "uvloop",
             "--http", "httptools", "--no-access-log")  # fmt: skip
    with (
        log.open("ab") as out,
        running_uvicorn(app, extra_args=flags, env=env, ready_path=ready_path, output=out) as (
            base,
            proc,
        ),
    ):
        if workers > 1:  # every worker should be up before the load starts
            time.sleep(1.0 + 0.5 * workers)
        yield base, proc.pid


def _descendants(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
    return pids


def cpu_seconds(pid: int) -> float:
    """utime + stime of pid and its descendants (uvicorn's workers), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _descendants(pid):
        with contextlib.suppress(OSError):
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(out: str) -> dict[str, Any]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    # wrk pads a latency in seconds ("1.59s "): \s* before the line's end.
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "requests": requests,
        "p50_ms": _ms(pct["50"]),
        "p90_ms": _ms(pct["90"]),
        "p99_ms": _ms(pct["99"]),
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": errors.group(1).strip() if errors else None,
    }


def busy_jiffies() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def wrk(url: str, args: argparse.Namespace, script: Path | None, pid: int) -> dict[str, Any]:
    base = ["wrk", f"-t{args.threads}", f"-c{args.connections}", "--latency"]
    if script is not None:
        base += ["-s", str(script)]
    if args.warmup > 0:
        subprocess.run([*base, f"-d{args.warmup}s", url], check=True, capture_output=True)
    ticks = os.sysconf("SC_CLK_TCK")
    cpu0, (busy0, total0) = cpu_seconds(pid), busy_jiffies()
    wrk0 = os.times()
    run = subprocess.run(
        [*base, f"-d{args.duration}s", url], check=True, capture_output=True, text=True
    )
    wrk1 = os.times()
    cpu, (busy1, total1) = cpu_seconds(pid) - cpu0, busy_jiffies()
    wrk_cpu = (wrk1.children_user - wrk0.children_user) + (
        wrk1.children_system - wrk0.children_system
    )
    result = parse_wrk(run.stdout)
    result["server_cpu_us_per_request"] = cpu / result["requests"] * 1e6
    # CPU used by anything but this server and wrk during the run, in cores: other work on
    # the machine competes for the same cores and skews rps and, above all, p99.
    other = (busy1 - busy0) / ticks - cpu - wrk_cpu
    result["other_load_cores"] = max(0.0, other / ((total1 - total0) / ticks) * os.cpu_count())
    if result["non2xx"] or result["socket_errors"]:
        print(run.stdout, file=sys.stderr)
        raise RuntimeError(f"{url}: failed responses under load")
    return result


def lua_post(path: Path, body_file: Path, extra_headers: dict[str, str]) -> Path:
    lines = [
        'wrk.method = "POST"',
        'wrk.headers["Content-Type"] = "application/json"',
        *(f'wrk.headers["{k}"] = "{v}"' for k, v in extra_headers.items()),
        f"local f = assert(io.open([==[{body_file}]==], 'rb'))",
        'wrk.body = f:read("*a")',
        "f:close()",
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def check_trace(base: str, body: bytes) -> int:
    req = urllib.request.Request(
        base + "/api/v1/trace", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        out = r.read()
        assert r.status == 200 and "loss" in json.loads(out), out[:200]
    return len(out)


def versions() -> dict[str, str]:
    import fastapi
    import httptools
    import starlette
    import uvicorn
    import uvloop

    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout
    return {
        "python": sys.version.split()[0],
        "uvicorn": uvicorn.__version__,
        "uvloop": uvloop.__version__,
        "httptools": httptools.__version__,
        "fastapi": fastapi.__version__,
        "starlette": starlette.__version__,
        "wrk": wrk_version.split("[")[0].strip(),
        "nproc": str(os.cpu_count()),
    }


@dataclass
class Target:
    name: str
    url: str
    pid: int
    script: Path | None


def one_round(args: argparse.Namespace, targets: list[Target]) -> dict[str, dict[str, Any]]:
    return {t.name: wrk(t.url, args, t.script, t.pid) for t in targets}


def trace_response(body: bytes) -> bytes:
    """The trace response computed in-process (its size sets the floor's response size)."""
    req = TraceRequest.model_validate_json(body)
    ex = example_of(req, Settings().limits)
    step = trace(ex.network, ex.input, ex.target, ex.learning_rate, req.freeze_biases)
    return dumps(step.to_json())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of discarded warm-up")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--rounds", type=int, default=1, help="repeat; report medians")
    parser.add_argument("--no-healthz", action="store_true", help="skip GET /healthz")
    parser.add_argument("--no-floor", action="store_true", help="skip the ceiling's POST /floor")
    parser.add_argument("--gzip", action="store_true", help="also POST with Accept-Encoding")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")

    env = versions()
    env["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE", "")
    env["loadavg"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print("  ".join(f"{k}={v}" for k, v in env.items()))
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency "
        f"(warm-up {args.warmup}s), uvicorn --workers {args.workers}, "
        f"body: {NETWORK}, {args.rounds} round(s)"
    )
    body = request_body(NETWORK)
    size = len(trace_response(body))
    rounds = []
    with tempfile.TemporaryDirectory() as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        (tmp / "body.json").write_bytes(body)
        post = lua_post(tmp / "post.lua", tmp / "body.json", {})
        post_gzip = lua_post(tmp / "post_gzip.lua", tmp / "body.json", {"Accept-Encoding": "gzip"})
        # Both servers stay up for the whole run (an idle one costs nothing) and the
        # endpoints take turns, so that a ratio compares runs minutes apart at most.
        floor_env = {"BENCH_FLOOR_BYTES": str(size)}
        ceiling, ceiling_pid = stack.enter_context(
            serve("ceiling_app:app", HERE, args.workers, "/", tmp / "ceiling.log", floor_env)
        )
        ours, ours_pid = stack.enter_context(
            serve("app.main:app", ROOT, args.workers, "/healthz", tmp / "app.log")
        )
        if check_trace(ours, body) != size:
            raise RuntimeError("the server's trace response differs from the in-process one")
        targets = [
            Target("ceiling", ceiling + "/", ceiling_pid, None),
            Target("trace", ours + "/api/v1/trace", ours_pid, post),
        ]
        if not args.no_floor:
            targets.append(Target("floor", ceiling + "/floor", ceiling_pid, post))
        if not args.no_healthz:
            targets.append(Target("healthz", ours + "/healthz", ours_pid, None))
        if args.gzip:
            targets.append(Target("trace+gzip", ours + "/api/v1/trace", ours_pid, post_gzip))
        for i in range(args.rounds):
            r = one_round(args, targets)
            r["ratios"] = {
                "rps": r["trace"]["rps"] / r["ceiling"]["rps"],
                "p99": r["trace"]["p99_ms"] / r["ceiling"]["p99_ms"],
            }
            rounds.append(r)
            if args.rounds > 1:
                print(
                    f"round {i + 1}: "
                    + "  ".join(
                        f"{t.name} {r[t.name]['rps']:.0f} rps p99 {r[t.name]['p99_ms']:.2f} ms"
                        for t in targets
                    )
                    + f"  (ratios {r['ratios']['rps']:.3f}, {r['ratios']['p99']:.2f})"
                )
        stack.close()
        for name in ("ceiling", "app"):
            log = (tmp / f"{name}.log").read_text(errors="replace")
            n = log.count("Exception in ASGI application")
            if n:
                last = log.strip().splitlines()[-1]
                print(
                    f"note: the {name} server logged {n} tracebacks (last line: {last}); "
                    "wrk closes its connections mid-request when a run ends"
                )
            elif log.strip():
                print(f"{name} server log:\n{log.strip()[-2000:]}")
    keys = ["rps", "p50_ms", "p99_ms", "server_cpu_us_per_request", "other_load_cores"]
    names = [t.name for t in targets]
    table = {
        name: {k: statistics.median(r[name][k] for r in rounds) for k in keys} for name in names
    }
    print()
    print(
        f"{'endpoint':<12}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'CPU µs/req':>12}"
        f"{'other load':>12}"
    )
    for name, v in table.items():
        print(
            f"{name:<12}{v['rps']:>10.0f}{v['p50_ms']:>10.2f}{v['p99_ms']:>10.2f}"
            f"{v['server_cpu_us_per_request']:>12.0f}{v['other_load_cores']:>10.2f} c"
        )
    # Medians of the per-round ratios (each from runs a minute apart), not ratios of medians.
    rps_ratio = statistics.median(r["ratios"]["rps"] for r in rounds)
    p99_ratio = statistics.median(r["ratios"]["p99"] for r in rounds)
    print()
    print(
        f"trace rps / ceiling rps = {rps_ratio:.3f}  (target ≥ {TARGET_RPS_RATIO:.2f}: "
        f"{'met' if rps_ratio >= TARGET_RPS_RATIO else 'NOT met'})"
    )
    print(
        f"trace p99 / ceiling p99 = {p99_ratio:.2f}   (target ≤ {TARGET_P99_RATIO:.0f}: "
        f"{'met' if p99_ratio <= TARGET_P99_RATIO else 'NOT met'})"
    )
    for name in ("floor", "healthz", "trace+gzip"):
        if name in table:
            ratio = statistics.median(r[name]["rps"] / r["ceiling"]["rps"] for r in rounds)
            print(f"{name} rps / ceiling rps = {ratio:.3f}")
    busy = max(v["other_load_cores"] for v in table.values())
    if busy > 0.2:
        print(
            f"warning: other processes used up to {busy:.2f} cores during the runs; "
            "rps and p99 are skewed (CPU µs/req much less so)"
        )
    if args.json:
        print(json.dumps({"environment": env, "rounds": rounds, "median": table}, indent=1))


if __name__ == "__main__":
    main()
