"""Engine trace time, from request object to JSON bytes, against PyTorch autograd.

    python benchmarks/bench_engine.py [--min-time 1.0] [--json]

For each network (2-2-2 sigmoid; 2-8×6-1 and 16-64-64-64-10 tanh; squared error;
float64; explicit weights from a seeded numpy rng) it times, per call, with warm-up:

- obj→bytes: the issue's measure. Start from a parsed TraceRequest (built once, outside
  the timing, with model_validate_json) and run app.api.body.example_of → app.engine.trace
  → app.http.responses.dumps(step.to_json()), exactly what POST /api/v1/trace does after
  reading the body.
- its pieces: `validate` (example_of: spec → Network, input/target/η checks), `math`
  (trace: forward, loss, backward, gradients, update, finiteness check), `to_json`
  (building the response dict) and `orjson` (dumps of that dict).
- bytes→bytes: the same plus TraceRequest.model_validate_json of the request body.
- torch: PyTorch autograd's bare forward + backward of the same network on the same
  example (leaf tensors with requires_grad built once; per iteration: zero the grads,
  forward, loss, loss.backward()), when torch is importable. Its gradients are checked
  against ours before timing. This is the issue's yardstick.
- torch+tensors: the same, building the tensors from the request's lists on every call
  (what our obj→bytes path does with its arrays); context only.

Times are in µs: the median and p90 of the per-call times. Ratios are torch / ours
(above 1: we are faster).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from app.api.body import example_of  # noqa: E402
from app.api.schemas import TraceRequest  # noqa: E402
from app.engine import trace  # noqa: E402
from app.http.responses import dumps  # noqa: E402
from app.settings import Settings  # noqa: E402

try:
    import torch
except ImportError:  # the comparison is optional
    torch = None

# name → (layers, hidden activation); the output layer uses the same activation.
NETWORKS: dict[str, tuple[list[int], str]] = {
    "2-2-2": ([2, 2, 2], "sigmoid"),
    "2-8x6-1": ([2, 8, 8, 8, 8, 8, 8, 1], "tanh"),
    "16-64-64-64-10": ([16, 64, 64, 64, 10], "tanh"),
}
SEED = 2024


def request_dict(name: str, seed: int = SEED) -> dict[str, Any]:
    """A TraceRequest body with explicit weights, biases, input and target from a seeded rng."""
    layers, activation = NETWORKS[name]
    rng = np.random.default_rng(seed)
    weights = [
        rng.uniform(-1.0, 1.0, (fan_out, fan_in)) / np.sqrt(fan_in)
        for fan_in, fan_out in itertools.pairwise(layers)
    ]
    biases = [rng.uniform(-0.5, 0.5, fan_out) for fan_out in layers[1:]]
    x = rng.uniform(-1.0, 1.0, layers[0])
    # Targets inside the output activation's range: (0, 1) for sigmoid, (−1, 1) for tanh.
    low = 0.05 if activation == "sigmoid" else -0.9
    t = rng.uniform(low, 0.95, layers[-1])
    return {
        "network": {
            "layers": layers,
            "activations": [activation] * (len(layers) - 1),
            "loss": "squared_error",
            "weights": [w.tolist() for w in weights],
            "biases": [b.tolist() for b in biases],
        },
        "input": x.tolist(),
        "target": t.tolist(),
        "learning_rate": 0.5,
    }


def request_body(name: str, seed: int = SEED) -> bytes:
    return json.dumps(request_dict(name, seed)).encode()


def measure(fn: Callable[[], object], min_time: float, min_repeats: int = 300) -> list[float]:
    """Per-call times in µs: warm-up first, then at least min_repeats calls and min_time s."""
    warm_end = time.perf_counter() + min(0.2, min_time / 5)
    for _ in range(20):
        fn()
    while time.perf_counter() < warm_end:
        fn()
    gc.collect()
    samples: list[float] = []
    clock = time.perf_counter_ns
    end = time.perf_counter() + min_time
    while len(samples) < min_repeats or time.perf_counter() < end:
        for _ in range(50):
            t0 = clock()
            fn()
            samples.append((clock() - t0) / 1e3)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    q = statistics.quantiles(samples, n=10, method="inclusive")
    return {"median": statistics.median(samples), "p90": q[8], "n": len(samples)}


def torch_steps(req: dict[str, Any]) -> tuple[Callable[[], object], Callable[[], object]]:
    """Bare autograd forward + backward of the same network, float64, one example; and the
    same with its tensors built from the request's lists on every call."""
    assert torch is not None
    net = req["network"]
    act = {"sigmoid": torch.sigmoid, "tanh": torch.tanh}
    acts = [act[a] for a in net["activations"]]
    ws = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in net["weights"]]
    bs = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net["biases"]]
    x = torch.tensor(req["input"], dtype=torch.float64)
    t = torch.tensor(req["target"], dtype=torch.float64)
    params = ws + bs

    def step() -> object:
        for p in params:
            p.grad = None  # what optimizer.zero_grad() does by default
        a = x
        for w, b, f in zip(ws, bs, acts, strict=True):
            a = f(w @ a + b)
        loss = 0.5 * ((a - t) ** 2).sum()
        loss.backward()
        return loss

    def step_from_request() -> object:
        # The same, but building the leaf tensors from the request's lists each time, as
        # our obj→bytes path builds its arrays (context only; the target uses `step`).
        w_ = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in net["weights"]]
        b_ = [torch.tensor(b, dtype=torch.float64, requires_grad=True) for b in net["biases"]]
        a = torch.tensor(req["input"], dtype=torch.float64)
        t_ = torch.tensor(req["target"], dtype=torch.float64)
        for w, b, f in zip(w_, b_, acts, strict=True):
            a = f(w @ a + b)
        loss = 0.5 * ((a - t_) ** 2).sum()
        loss.backward()
        return loss

    # Same work as ours: the gradients must agree before the timing means anything.
    step()
    ours = trace_step(TraceRequest.model_validate(req))
    for l, (w, b) in enumerate(zip(ws, bs, strict=True)):
        assert w.grad is not None and b.grad is not None
        np.testing.assert_allclose(w.grad.numpy(), ours.layers[l].dl_dw, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(b.grad.numpy(), ours.layers[l].dl_db, rtol=1e-10, atol=1e-14)
    return step, step_from_request


LIMITS = Settings().limits


def trace_step(req: TraceRequest) -> Any:
    ex = example_of(req, LIMITS)
    return trace(ex.network, ex.input, ex.target, ex.learning_rate, req.freeze_biases)


def bench_network(name: str, min_time: float) -> dict[str, Any]:
    body = request_body(name)
    req = TraceRequest.model_validate_json(body)  # built once, outside the timing
    ex = example_of(req, LIMITS)
    step = trace(ex.network, ex.input, ex.target, ex.learning_rate, req.freeze_biases)
    doc = step.to_json()
    out = dumps(doc)

    def obj_to_bytes() -> bytes:
        e = example_of(req, LIMITS)
        s = trace(e.network, e.input, e.target, e.learning_rate, req.freeze_biases)
        return dumps(s.to_json())

    def bytes_to_bytes() -> bytes:
        r = TraceRequest.model_validate_json(body)
        e = example_of(r, LIMITS)
        s = trace(e.network, e.input, e.target, e.learning_rate, r.freeze_biases)
        return dumps(s.to_json())

    assert obj_to_bytes() == out == bytes_to_bytes()
    cases: dict[str, Callable[[], object]] = {
        "obj→bytes": obj_to_bytes,
        "bytes→bytes": bytes_to_bytes,
        "parse": lambda: TraceRequest.model_validate_json(body),
        "validate": lambda: example_of(req, LIMITS),
        "math": lambda: trace(ex.network, ex.input, ex.target, ex.learning_rate, req.freeze_biases),
        "to_json": step.to_json,
        "orjson": lambda: dumps(doc),
        "to_json+orjson": lambda: dumps(step.to_json()),
    }
    if torch is not None:
        cases["torch"], cases["torch+tensors"] = torch_steps(request_dict(name))
    result: dict[str, Any] = {
        "network": name,
        "layers": NETWORKS[name][0],
        "parameters": ex.network.parameter_count,
        "request_bytes": len(body),
        "response_bytes": len(out),
        "times_us": {k: summary(measure(fn, min_time)) for k, fn in cases.items()},
    }
    times = result["times_us"]
    if "torch" in times:
        tm = times["torch"]["median"]
        result["ratio_torch_over_ours"] = {
            k: tm / times[k]["median"] for k in ("obj→bytes", "bytes→bytes", "math")
        }
    return result


def environment() -> dict[str, Any]:
    import fastapi
    import orjson
    import pydantic

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    env = {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "orjson": orjson.__version__,
        "pydantic": pydantic.VERSION,
        "fastapi": fastapi.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "torch_threads": torch.get_num_threads() if torch is not None else None,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }
    with contextlib.suppress(OSError):  # other work on the machine skews every number
        env["loadavg"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--min-time", type=float, default=1.0, help="seconds per measurement")
    parser.add_argument("--networks", nargs="*", default=list(NETWORKS), choices=list(NETWORKS))
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)

    env = environment()
    print("  ".join(f"{k}={v}" for k, v in env.items()))
    if torch is None:
        print("torch is not importable: no comparison (pip install torch==2.13.0)")
    results = [bench_network(name, args.min_time) for name in args.networks]

    cols = ["obj→bytes", "bytes→bytes", "parse", "validate", "math", "to_json", "orjson"]
    if torch is not None:
        cols += ["torch", "torch+tensors"]
    print()
    print("µs per call, median (p90)")
    head = f"{'network':<16}" + "".join(f"{c:>17}" for c in cols)
    print(head)
    for r in results:
        t = r["times_us"]
        cells = "".join(f"{t[c]['median']:>9.1f} ({t[c]['p90']:>5.0f})" for c in cols)
        print(f"{r['network']:<16}{cells}")
    print()
    print(f"{'network':<16}{'params':>8}{'req B':>8}{'resp B':>8}", end="")
    if torch is not None:
        print(f"{'torch/obj→bytes':>17}{'torch/bytes→bytes':>19}{'torch/math':>12}", end="")
    print()
    for r in results:
        line = f"{r['network']:<16}{r['parameters']:>8}{r['request_bytes']:>8}"
        line += f"{r['response_bytes']:>8}"
        if "ratio_torch_over_ours" in r:
            q = r["ratio_torch_over_ours"]
            line += f"{q['obj→bytes']:>16.2f}×{q['bytes→bytes']:>18.2f}×{q['math']:>11.2f}×"
        print(line)
    if torch is not None:
        q = {r["network"]: r["ratio_torch_over_ours"]["obj→bytes"] for r in results}
        print()
        if "2-8x6-1" in q:
            ok = "met" if q["2-8x6-1"] >= 3 else "NOT met"
            print(f"target 2-8x6-1: obj→bytes ≥ 3× faster than torch: {q['2-8x6-1']:.2f}× ({ok})")
        if "16-64-64-64-10" in q:
            v = q["16-64-64-64-10"]
            ok = "met" if v >= 1 else "NOT met"
            print(f"target 16-64-64-64-10: no slower than torch: {v:.2f}× ({ok})")
    if args.json:
        print(json.dumps({"environment": env, "results": results}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
