"""The cost of the gradient (issue 15, the tour's "why backpropagation"): central
differences, two forward passes per parameter, against backpropagation's one forward and
one backward pass, in-process, with the functions POST /api/v1/cost runs.

    python benchmarks/bench_cost.py [--repeats 5] [--budget 60] [--json]

For 2-2-2, 2-8×6-1 (layers [2, 8, 8, 8, 8, 8, 8, 1]) and the largest network the API
accepts (max_layers layers of max_neurons: 10 × 64), σ on every layer, squared error,
Xavier weights and an example drawn from seed 0 (as GET /api/v1/cost/sweep does), it prints
P, 2P, the backprop time (app.engine.trace: forward, backward and the step θ¹; median of
`--repeats` runs), the finite-difference time over all P parameters (median of `--repeats`
runs; skipped, and said so, when the estimate says they would take over `--budget`
seconds), the ratio, the largest |backprop − central difference| over all P, and the
estimate POST /cost answers (max_cost_sample parameters timed, per pass × 2P) beside the
full time; then how long GET /api/v1/cost/sweep's one measurement takes (what the first
request after a server starts waits for). The machine's load is printed with the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from load import OtherLoad  # noqa: E402

from app.api.cost import measure_sweep  # noqa: E402
from app.engine import Limits  # noqa: E402
from app.engine.cost import drawn_example, gradient_cost, sweep_network  # noqa: E402


def environment() -> dict[str, str]:
    """Versions, the commit, cores and the load average at the start."""
    import numpy

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit or "?",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "cores": str(os.cpu_count()),
        "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def networks(limits: Limits) -> dict[str, tuple[int, ...]]:
    largest = (limits.max_neurons,) * limits.max_layers
    return {
        "2-2-2": (2, 2, 2),
        "2-8×6-1": (2, 8, 8, 8, 8, 8, 8, 1),
        f"{limits.max_layers}×{limits.max_neurons}": largest,
    }


def measure(layers: tuple[int, ...], limits: Limits, repeats: int, budget: float) -> dict[str, Any]:
    network = sweep_network(layers, limits)
    x, t = drawn_example(network, 0)
    estimate = gradient_cost(network, x, t, limits.max_cost_sample, repeats=repeats)
    row: dict[str, Any] = {
        "layers": list(layers),
        "P": estimate.parameters,
        "2P": estimate.finite_difference_passes,
        "estimate_seconds": estimate.finite_difference_seconds,
        "estimate_measured_parameters": estimate.measured_parameters,
    }
    if estimate.finite_difference_seconds * repeats > budget:
        row.update(
            full=None,
            backprop_seconds=estimate.backprop_seconds,
            max_abs_difference=estimate.max_abs_difference,
            note=f"full differences skipped: ~{estimate.finite_difference_seconds * repeats:.0f}"
            f" s > --budget {budget:g} s",
        )
        return row
    full = gradient_cost(network, x, t, network.parameter_count, repeats=repeats)
    assert not full.estimated and full.measured_passes == 2 * full.parameters
    row.update(
        full=True,
        backprop_seconds=full.backprop_seconds,
        fd_seconds=full.finite_difference_seconds,
        ratio=full.finite_difference_seconds / full.backprop_seconds,
        max_abs_difference=full.max_abs_difference,
        estimate_over_full=estimate.finite_difference_seconds / full.finite_difference_seconds,
    )
    return row


def _time(seconds: float) -> str:
    return f"{seconds * 1e6:,.0f} µs" if seconds < 0.01 else f"{seconds:,.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="runs per time (median)")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of full differences")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    limits = Limits()
    env = environment()
    other = OtherLoad([])
    rows = {
        name: measure(s, limits, args.repeats, args.budget) for name, s in networks(limits).items()
    }
    start = time.perf_counter()
    sweep = measure_sweep(limits)
    sweep_seconds = time.perf_counter() - start
    load = other.stop()
    env["loadavg_after"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    if args.json:
        out = {"env": env, "other_load": load, "rows": rows, "sweep_seconds": sweep_seconds}
        print(json.dumps(out, indent=2))
        return
    print(" ".join(f"{k}={v}" for k, v in env.items()))
    print(f"repeats {args.repeats} (medians); max_cost_sample {limits.max_cost_sample}")
    header = (
        "network",
        "P",
        "2P",
        "backprop",
        "finite diff.",
        "ratio",
        "max |Δ|",
        "/cost estimate",
    )
    print(f"{header[0]:<9}{header[1]:>8}{header[2]:>9}{header[3]:>11}{header[4]:>14}"
          f"{header[5]:>9}{header[6]:>10}{header[7]:>24}")  # fmt: skip
    for name, r in rows.items():
        fd = _time(r["fd_seconds"]) if r["full"] else "skipped"
        ratio = f"{r['ratio']:,.0f}×" if r["full"] else "—"
        est = _time(r["estimate_seconds"])
        if r["full"]:
            est += f" ({r['estimate_over_full']:.2f}×)"
        print(
            f"{name:<9}{r['P']:>8,}{r['2P']:>9,}{_time(r['backprop_seconds']):>11}{fd:>14}"
            f"{ratio:>9}{r['max_abs_difference']:>10.1e}{est:>24}"
        )
        if not r["full"]:
            print(f"  {r['note']}")
    print(
        f"GET /cost/sweep's measurement ({len(sweep)} networks, once per process): "
        f"{sweep_seconds:.3f} s"
    )
    print(f"other load during the run: {load['other_load_cores']:.2f} cores")


if __name__ == "__main__":
    main()
