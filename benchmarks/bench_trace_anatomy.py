"""Where a POST /api/v1/trace request's server CPU goes over HTTP, stage by stage, against
the ceiling, in the same run (issue 16 item 4's floor: trace ≥ 0.3 × the ceiling's rps).

    python benchmarks/bench_trace_anatomy.py [--rounds 3] [--duration 8] [--busy-us 200]

Serves benchmarks/anatomy_app.py once per variant (the app with the trace's work cut away
in stages: full, engine, parse, canned, busy, compact; see that file) and the ceiling app,
all with bench_http.py's uvicorn command line, and runs wrk (-t1 -c32, 2-8×6-1 body)
against each in turn, round after round. Prints each variant's req/s and server CPU per
request (medians over the rounds) and what each stage adds; with one worker saturated,
req/s ≈ 1 / CPU per request, so the floor is a CPU budget: the ceiling's CPU ÷ 0.3.

The in-process cost of each stage (bench_engine.py, docs/benchmarks.md) is smaller than
what it adds here: "busy" shows what the same time spent without the work costs.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_engine import request_body  # noqa: E402
from bench_http import NETWORK, TARGET_RPS_RATIO, Target, check_trace, lua_post, serve, wrk  # noqa: E402

STAGES = ("canned", "busy", "parse", "engine", "full", "compact")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of discarded warm-up")
    parser.add_argument("--rounds", type=int, default=1, help="repeat; report medians")
    parser.add_argument("--busy-us", type=float, default=200.0, help="the busy variant's wait")
    args = parser.parse_args(argv)
    args.threads, args.connections = 1, 32  # bench_http's wrk settings
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    body = request_body(NETWORK)
    rounds: list[dict[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as tmp_name, contextlib.ExitStack() as stack:
        tmp = Path(tmp_name)
        (tmp / "body.json").write_bytes(body)
        post = lua_post(tmp / "post.lua", tmp / "body.json", {})
        base, pid = stack.enter_context(serve("ceiling_app:app", HERE, 1, "/", tmp / "ceiling.log"))
        targets = [Target("ceiling", base + "/", pid, None)]
        for stage in STAGES:
            env = {"BENCH_ANATOMY": stage, "BENCH_BUSY_US": str(args.busy_us)}
            base, pid = stack.enter_context(
                serve("anatomy_app:app", HERE, 1, "/healthz", tmp / f"{stage}.log", env)
            )
            check_trace(base, body)
            targets.append(Target(stage, base + "/api/v1/trace", pid, post))
        for i in range(args.rounds):
            r = {t.name: wrk(t.url, args, t.script, t.pid) for t in targets}
            rounds.append(r)
            print(
                f"round {i + 1}: "
                + "  ".join(f"{n} {v['server_cpu_us_per_request']:.0f}" for n, v in r.items())
                + " µs/req"
            )
    cpu = {
        t.name: statistics.median(r[t.name]["server_cpu_us_per_request"] for r in rounds)
        for t in targets
    }
    rps = {t.name: statistics.median(r[t.name]["rps"] for r in rounds) for t in targets}
    other = max(r[t.name]["other_load_cores"] for r in rounds for t in targets)
    adds = {
        "canned": "the stack, reading 8.8 KB and sending 22.6 KB",
        "busy": f"canned + {args.busy_us:.0f} µs of busy waiting",
        "parse": "+ the body into arrays (plain_trace)",
        "engine": "+ the engine's step (trace)",
        "full": "+ the answer's JSON (orjson): the app as served",
        "compact": "full without dl_db and network (a contract change)",
    }
    print()
    print(f"{'variant':<10}{'req/s':>9}{'CPU µs/req':>12}{'adds':>8}  what")
    print(f"{'ceiling':<10}{rps['ceiling']:>9.0f}{cpu['ceiling']:>12.0f}{'':>8}  bare FastAPI GET")
    previous = None
    for stage in STAGES:
        step = (
            ""
            if previous is None or stage in ("busy", "compact")
            else f"{cpu[stage] - cpu[previous]:+.0f}"
        )
        print(f"{stage:<10}{rps[stage]:>9.0f}{cpu[stage]:>12.0f}{step:>8}  {adds[stage]}")
        if stage not in ("busy",):
            previous = stage if stage != "compact" else previous
    budget = cpu["ceiling"] / TARGET_RPS_RATIO
    print()
    print(
        f"budget at this ceiling: {budget:.0f} µs a request (ceiling {cpu['ceiling']:.0f} ÷ "
        f"{TARGET_RPS_RATIO}); full uses {cpu['full']:.0f} (rps ratio "
        f"{rps['full'] / rps['ceiling']:.3f}); the work costs {cpu['full'] - cpu['canned']:.0f} "
        f"against {args.busy_us:.0f} µs of waiting's {cpu['busy'] - cpu['canned']:.0f}"
    )
    print(f"other load (max over the runs): {other:.2f} cores")


if __name__ == "__main__":
    main()
