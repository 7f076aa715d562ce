"""The spiral training run over HTTP, against PyTorch running the same loop, in the same run.

    python benchmarks/bench_train.py [--rounds 3] [--gzip] [--no-fused] [--json]

The run (issue 7, "Speed"): POST /api/v1/train/stream with a 2-8-8-1 network (tanh, tanh,
sigmoid; binary cross-entropy; θ⁰ drawn with seed 0) on the spiral (500 points, no noise,
half of them for the test), Adam with η = 0.01, mini-batches of 10, 1000 epochs, a report
every 10 epochs with a 50 × 50 boundary: 250 training points, 25 mini-batches an epoch,
25 000 Adam steps, 101 reports (epoch 0, 10, …, 1000).

Starts app.main:app under uvicorn (uvloop, httptools, no access log; the command line of
bench_http.py) on a free 127.0.0.1 port, then, round after round (--rounds, the rows take
turns within each round so that they share whatever else the machine is doing):

- http:        the stream, timed from sending the request to its last byte (httpx,
               Accept-Encoding: identity, raw bytes kept and parsed after the clock
               stops); its snapshots are counted and its final test accuracy read.
- http+gzip:   (with --gzip) the same with Accept-Encoding: gzip, as browsers send it.
- engine:      the same run in this process without HTTP or JSON: network and data set
               from the same specs, app.engine.train.Training(...).events() consumed.
- engine+json: the same, each event encoded as the stream encodes it (orjson, NDJSON).
- torch 1 thr / torch N thr: PyTorch 2.13 on the same loop, torch.set_num_threads(1)
               and the default (N = cores): the same points and split (POST
               /api/v1/dataset), the same θ⁰ (POST /api/v1/network; checked against the
               stream's first snapshot), float64, torch.nn.Linear layers with Tanh between
               them, binary_cross_entropy_with_logits on the output z (mean over the
               batch: the engine's binary cross-entropy of σ(z)), torch.optim.Adam(lr=0.01),
               mini-batches of 10 in the server's order for each epoch (the same seeded
               numpy shuffle; --shuffle randperm for torch.randperm instead), 1000 epochs,
               and the same 101 reports under torch.no_grad(): full-train and full-test
               loss and accuracy (.item()) and σ(z) on the 50 × 50 grid over the data set's
               extent (rounded as the stream rounds it), plus a copy of the weights. Timed
               from the JSON-parsed lists to the last report. The peer is the better
               (lower median) of the two.
- torch fused: (unless --no-fused) the same as the 1-thread run with
               Adam(fused=True): a faster Adam than the default; context, not the peer.

With the server's order the two runs follow the same trajectory: the script checks that
torch's epoch-0 losses, accuracies and boundary equal the stream's, and prints up to which
epoch the train losses agree (to 1e-9; after a few hundred epochs rounding differences grow
and the trajectories part, which is expected).

Prints seconds (best and median of the rounds), steps/s and epochs/s (median), torch / ours
(above 1: we are faster), the server's CPU seconds per HTTP run, the CPU other processes
took during each row (in cores: above ~0.2 the numbers are skewed), bytes streamed, both
final accuracies, the issue's target (HTTP ≥ 5× faster than torch) and the Playground's
pace for comparison (at most 60 epochs/s: one epoch per animation frame).

A round takes ~45 s on a quiet 2-core machine, most of it torch's. With two threads and
another process on the cores, torch's run can take many times longer (its thread pool
waits for a thread that was preempted): compare only numbers from the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import orjson  # noqa: E402
from bench_http import busy_jiffies, cpu_seconds, serve  # noqa: E402

from app.engine import (  # noqa: E402
    TrainConfig,
    Training,
    dataset_from_spec,
)
from app.engine import train as engine_train  # noqa: E402
from app.engine.network import network_from_spec  # noqa: E402
from app.settings import Settings  # noqa: E402

try:
    import torch
    import torch.nn.functional as F  # noqa: N812
except ImportError:  # the comparison is optional
    torch = None

NETWORK: dict[str, Any] = {
    "layers": [2, 8, 8, 1],
    "activations": ["tanh", "tanh", "sigmoid"],
    "loss": "binary_cross_entropy",
    "seed": 0,
}
DATASET: dict[str, Any] = {
    "name": "spiral",
    "samples": 500,
    "noise": 0,
    "seed": 0,
    "test_ratio": 0.5,
}
RUN: dict[str, Any] = {
    "learning_rate": 0.01,
    "batch_size": 10,
    "epochs": 1000,
    "optimizer": "adam",
    "report_every": 10,
    "grid": 50,
}
SEED = 0  # the stream's default `seed` (the mini-batch shuffle)
TARGET_RATIO = 5.0
PLAYGROUND_EPOCHS_PER_S = 60.0
AGREE = 1e-9
# The stream rounds the boundary's values to this many decimals (None: exact); torch's
# report does the same.
DECIMALS: int | None = getattr(engine_train, "LATTICE_DECIMALS", None)


def body(epochs: int = RUN["epochs"]) -> dict[str, Any]:
    return {"network": NETWORK, "dataset": DATASET, **RUN, "epochs": epochs}


def steps_of(train_size: int, epochs: int) -> int:
    return epochs * -(-train_size // RUN["batch_size"])


# --- measuring one row ------------------------------------------------------------------


class Meter:
    """Wall time of one run, the server's CPU seconds during it and the cores that other
    processes (not this one, not the server) used meanwhile."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid

    @contextlib.contextmanager
    def __call__(self, out: dict[str, float]) -> Iterator[None]:
        ticks = os.sysconf("SC_CLK_TCK")
        server0, (busy0, total0), own0 = cpu_seconds(self.server_pid), busy_jiffies(), os.times()
        t0 = time.perf_counter()
        yield
        out["seconds"] = time.perf_counter() - t0
        server1, (busy1, total1), own1 = cpu_seconds(self.server_pid), busy_jiffies(), os.times()
        server = server1 - server0
        own = (own1.user - own0.user) + (own1.system - own0.system)
        other = (busy1 - busy0) / ticks - server - own
        out["server_cpu"] = server
        out["client_cpu"] = own
        out["other_load_cores"] = max(0.0, other / ((total1 - total0) / ticks) * os.cpu_count())


# --- ours: over HTTP, and the engine in-process -------------------------------------------


def http_run(
    client: httpx.Client, meter: Meter, epochs: int, gzip: bool = False
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The stream read to its last byte (timed); then its events, parsed."""
    result: dict[str, Any] = {}
    chunks: list[bytes] = []
    wire = 0
    headers = {"Accept-Encoding": "gzip" if gzip else "identity"}
    with meter(result):
        with client.stream("POST", "/api/v1/train/stream", json=body(epochs), headers=headers) as r:
            if r.status_code != 200:
                r.read()
                raise RuntimeError(f"train/stream answered {r.status_code}: {r.text[:500]}")
            for chunk in r.iter_bytes():  # decoded; num_bytes_downloaded counts the wire
                chunks.append(chunk)
            wire = r.num_bytes_downloaded
            encoding = r.headers.get("content-encoding", "identity")
    raw = b"".join(chunks)
    events = [orjson.loads(line) for line in raw.splitlines() if line]
    done = events[-1]
    if done["type"] != "done" or done["reason"] != "epochs":
        raise RuntimeError(f"the stream did not end with done/epochs: {str(done)[:300]}")
    snapshots = [e for e in events if e["type"] == "snapshot"]
    grid = RUN["grid"]
    for s in snapshots:
        values = s["boundary"]["values"]
        if len(values) != grid or any(len(row) != grid for row in values):
            raise RuntimeError("a snapshot's boundary is not grid × grid")
    result.update(
        bytes=len(raw),
        wire_bytes=wire,
        encoding=encoding,
        events=len(events),
        snapshots=len(snapshots),
        test_accuracy=done["test_accuracy"],
        train_accuracy=done["train_accuracy"],
        train_loss=done["train_loss"],
        test_loss=done["test_loss"],
        steps=done["step"],
        epochs=done["epoch"],
    )
    return result, events


def engine_run(epochs: int, encode: bool = False) -> dict[str, Any]:
    """The same run in-process: specs → Network, DataSet, Training; events consumed (and,
    with encode, each one encoded as the NDJSON stream does)."""
    limits = Settings().limits
    out: dict[str, Any] = {}
    option = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_APPEND_NEWLINE
    t0 = time.perf_counter()
    network = network_from_spec(NETWORK, limits)
    data = dataset_from_spec(dict(DATASET), network, limits)
    config = TrainConfig(**{**RUN, "epochs": epochs}, seed=SEED)
    snapshots, size, last = 0, 0, None
    for event in Training(network, data, config).events():
        if event is None:
            continue
        if encode:
            size += len(orjson.dumps(event, option=option))
        if event["type"] == "snapshot":
            snapshots += 1
        last = event
    out["seconds"] = time.perf_counter() - t0
    assert last is not None and last["type"] == "done"
    out.update(
        snapshots=snapshots,
        test_accuracy=last["test_accuracy"],
        steps=last["step"],
        bytes=size if encode else None,
    )
    return out


# --- PyTorch on the same loop -------------------------------------------------------------


def torch_run(
    inputs: dict[str, Any],
    epochs: int,
    threads: int,
    fused: bool = False,
    shuffle: str = "server",
) -> dict[str, Any]:
    """The same loop in PyTorch, float64, from the JSON-parsed lists to the last report."""
    assert torch is not None
    torch.set_num_threads(threads)
    result: dict[str, Any] = {}
    dt = torch.float64
    t0 = time.perf_counter()
    linears = []
    for w, b in zip(inputs["weights"], inputs["biases"], strict=True):
        linear = torch.nn.Linear(len(w[0]), len(w), dtype=dt)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(w, dtype=dt))
            linear.bias.copy_(torch.tensor(b, dtype=dt))
        linears.append(linear)
    model = torch.nn.Sequential(
        linears[0], torch.nn.Tanh(), linears[1], torch.nn.Tanh(), linears[2]
    )  # the output's σ is in the loss (binary_cross_entropy_with_logits)
    params = list(model.parameters())
    optimizer = torch.optim.Adam(params, lr=RUN["learning_rate"], fused=fused or None)
    train, test = inputs["train"], inputs["test"]
    x_train = torch.tensor(train["inputs"], dtype=dt)
    t_train = torch.tensor(train["targets"], dtype=dt)
    x_test = torch.tensor(test["inputs"], dtype=dt)
    t_test = torch.tensor(test["targets"], dtype=dt)
    (x0, x1), (y0, y1) = inputs["extent"]
    g = RUN["grid"]
    gy, gx = torch.meshgrid(
        torch.linspace(y0, y1, g, dtype=dt), torch.linspace(x0, x1, g, dtype=dt), indexing="ij"
    )  # row i is y[i], column j is x[j], as the stream's boundary
    lattice = torch.stack((gx.reshape(-1), gy.reshape(-1)), dim=1)
    n, b = len(x_train), RUN["batch_size"]
    generator = torch.Generator().manual_seed(SEED)
    reports: list[dict[str, Any]] = []

    def report(epoch: int) -> None:
        with torch.no_grad():
            r: dict[str, Any] = {"epoch": epoch}
            for name, x, t in (("train", x_train, t_train), ("test", x_test, t_test)):
                z = model(x)
                r[f"{name}_loss"] = F.binary_cross_entropy_with_logits(z, t).item()
                r[f"{name}_accuracy"] = ((z >= 0).to(dt) == t).to(dt).mean().item()
            picture = torch.sigmoid(model(lattice)).reshape(g, g)
            r["boundary"] = picture if DECIMALS is None else picture.round(decimals=DECIMALS)
            r["network"] = [p.detach().clone() for p in params]
            reports.append(r)

    report(0)
    for epoch in range(epochs):
        if shuffle == "server":  # the stream's order: a shuffle seeded by (seed, epoch)
            order = torch.from_numpy(np.random.default_rng((SEED, epoch)).permutation(n))
        else:
            order = torch.randperm(n, generator=generator)
        for start in range(0, n, b):
            rows = order[start : start + b]
            optimizer.zero_grad()
            loss = F.binary_cross_entropy_with_logits(model(x_train[rows]), t_train[rows])
            loss.backward()
            optimizer.step()
        if (epoch + 1) % RUN["report_every"] == 0 or epoch + 1 == epochs:
            report(epoch + 1)
    result["seconds"] = time.perf_counter() - t0
    last = reports[-1]
    result.update(
        threads=torch.get_num_threads(),
        reports=len(reports),
        steps=epochs * -(-n // b),
        test_accuracy=last["test_accuracy"],
        train_accuracy=last["train_accuracy"],
        train_loss=last["train_loss"],
        test_loss=last["test_loss"],
        _reports=reports,
    )
    return result


def torch_inputs(client: httpx.Client) -> dict[str, Any]:
    """The stream's θ⁰, points and split, from the API itself."""
    net = client.post("/api/v1/network", json=NETWORK)
    net.raise_for_status()
    data = client.post("/api/v1/dataset", json={"network": NETWORK, "dataset": DATASET})
    data.raise_for_status()
    n, d = net.json(), data.json()
    return {
        "weights": n["weights"],
        "biases": n["biases"],
        "train": d["train"],
        "test": d["test"],
        "extent": d["extent"],
    }


def check_same_start(inputs: dict[str, Any], events: list[dict[str, Any]]) -> None:
    """θ⁰ from /network is the stream's first snapshot's."""
    first = next(e for e in events if e["type"] == "snapshot")
    assert first["epoch"] == 0
    for ours, theirs in zip(
        first["network"]["weights"] + first["network"]["biases"],
        inputs["weights"] + inputs["biases"],
        strict=True,
    ):
        np.testing.assert_array_equal(np.asarray(ours), np.asarray(theirs))


def agreement(torch_result: dict[str, Any], events: list[dict[str, Any]]) -> dict[str, Any]:
    """Epoch-0 reports equal (losses, accuracies, boundary), and the last epoch up to which
    the two runs' train losses agree to AGREE (relative)."""
    ours_epochs = [e for e in events if e["type"] == "epoch"]
    ours_snaps = [e for e in events if e["type"] == "snapshot"]
    theirs = torch_result["_reports"]
    first_o, first_t = ours_epochs[0], theirs[0]
    for k in ("train_loss", "test_loss", "train_accuracy", "test_accuracy"):
        if not np.isclose(first_o[k], first_t[k], rtol=1e-12, atol=1e-15):
            raise RuntimeError(f"epoch 0 {k}: ours {first_o[k]!r}, torch {first_t[k]!r}")
    boundary = np.asarray(ours_snaps[0]["boundary"]["values"])
    # Rounded on both sides: a value within 1e-15 of a rounding midpoint may round apart.
    atol = 1e-15 if DECIMALS is None else 1.0001 * 10.0**-DECIMALS
    np.testing.assert_allclose(
        boundary, first_t["boundary"].numpy(), rtol=1e-12, atol=atol, err_msg="epoch-0 boundary"
    )
    through = 0
    for o, t in zip(ours_epochs, theirs, strict=True):
        if abs(o["train_loss"] - t["train_loss"]) > AGREE * abs(o["train_loss"]):
            break
        through = o["epoch"]
    return {"agree_through_epoch": through, "epochs": ours_epochs[-1]["epoch"]}


# --- the report -----------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    import fastapi
    import uvicorn

    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    env: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "orjson": orjson.__version__,
        "fastapi": fastapi.__version__,
        "uvicorn": uvicorn.__version__,
        "httpx": httpx.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "torch_default_threads": torch.get_num_threads() if torch is not None else None,
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }
    with contextlib.suppress(OSError):
        env["loadavg"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs of each row (3-5)")
    parser.add_argument(
        "--epochs", type=int, default=RUN["epochs"], help="1000: the issue's (fewer: a quick look)"
    )
    parser.add_argument("--gzip", action="store_true", help="also stream with gzip")
    parser.add_argument("--no-torch", action="store_true", help="skip the PyTorch rows")
    parser.add_argument("--no-fused", action="store_true", help="skip torch with fused Adam")
    parser.add_argument(
        "--shuffle",
        choices=("server", "randperm"),
        default="server",
        help="torch's mini-batch order: the stream's (same trajectory) or torch.randperm",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    use_torch = torch is not None and not args.no_torch

    env = environment()
    print("  ".join(f"{k}={v}" for k, v in env.items()))
    if torch is None:
        print("torch is not importable: no comparison (pip install -e '.[bench]')")
    default_threads = env["torch_default_threads"]
    epochs = args.epochs
    print(
        f"spiral run: {NETWORK['layers']} {'/'.join(NETWORK['activations'])}, adam η=0.01, "
        f"batch 10, {epochs} epochs, report every 10, grid 50; {args.rounds} round(s)"
    )

    rows: dict[str, list[dict[str, Any]]] = {}
    checks: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp_name, contextlib.ExitStack() as stack:
        log = Path(tmp_name) / "app.log"
        base, pid = stack.enter_context(serve("app.main:app", ROOT, 1, "/healthz", log))
        meter = Meter(pid)
        client = stack.enter_context(httpx.Client(base_url=base, timeout=300.0))
        inputs = torch_inputs(client)
        # Warm-up (imports, the thread pool, torch's first calls): a 10-epoch run each.
        _, warm_events = http_run(client, meter, 10)
        check_same_start(inputs, warm_events)
        engine_run(10)
        if use_torch:
            warm = torch_run(inputs, 10, 1, shuffle=args.shuffle)
            if args.shuffle == "server":
                agreement(warm, warm_events)  # epoch 0 equal, or it raises

        plan: list[tuple[str, Callable[[], dict[str, Any]]]] = []
        last_events: list[dict[str, Any]] = []

        def http(gzip: bool) -> dict[str, Any]:
            result, events = http_run(client, meter, epochs, gzip)
            last_events[:] = events
            return result

        plan.append(("http", lambda: http(False)))
        if args.gzip:
            plan.append(("http+gzip", lambda: http(True)))
        plan.append(("engine", lambda: engine_run(epochs)))
        plan.append(("engine+json", lambda: engine_run(epochs, encode=True)))
        if use_torch:
            plan.append(("torch 1 thr", lambda: torch_run(inputs, epochs, 1, shuffle=args.shuffle)))
            plan.append(
                (
                    f"torch {default_threads} thr",
                    lambda: torch_run(inputs, epochs, default_threads, shuffle=args.shuffle),
                )
            )
            if not args.no_fused:
                plan.append(
                    (
                        "torch fused",
                        lambda: torch_run(inputs, epochs, 1, fused=True, shuffle=args.shuffle),
                    )
                )
        for i in range(args.rounds):
            line = []
            for name, fn in plan:
                if name.startswith(("engine", "torch")):
                    measured: dict[str, Any] = {}
                    with meter(measured):
                        r = fn()
                    r["other_load_cores"] = measured["other_load_cores"]
                else:
                    r = fn()
                if name == "torch 1 thr" and args.shuffle == "server" and last_events:
                    checks.setdefault("agreement", []).append(agreement(r, last_events))
                r.pop("_reports", None)
                rows.setdefault(name, []).append(r)
                line.append(f"{name} {r['seconds']:.2f} s")
            print(f"round {i + 1}: " + "  ".join(line))
        stack.close()
        text = log.read_text(errors="replace").strip()
        if text:
            print(f"server log:\n{text[-2000:]}")
    if torch is not None:
        torch.set_num_threads(default_threads)

    train_size = len(inputs["train"]["inputs"])
    steps = steps_of(train_size, epochs)
    table: dict[str, dict[str, Any]] = {}
    for name, runs in rows.items():
        secs = [r["seconds"] for r in runs]
        table[name] = {
            "best_s": min(secs),
            "median_s": statistics.median(secs),
            "other_load_cores": statistics.median(r["other_load_cores"] for r in runs),
            "server_cpu_s": (
                statistics.median(r["server_cpu"] for r in runs)
                if "server_cpu" in runs[0]
                else None
            ),
        }
    torch_names = [n for n in table if n.startswith("torch") and n != "torch fused"]
    peer = min(torch_names, key=lambda n: table[n]["median_s"]) if torch_names else None

    print()
    if peer is not None:
        print(
            f"peer: {peer} (the lower median of torch's two thread settings); torch/ours = "
            "peer's median / the row's median"
        )
    print(
        f"{'row':<14}{'best s':>9}{'median s':>10}{'steps/s':>10}{'epochs/s':>10}"
        f"{'torch/ours':>12}{'server CPU s':>14}{'other load':>12}"
    )
    for name, v in table.items():
        ratio = ""
        if peer is not None:  # torch rows: against the peer (below 1: slower than the peer)
            ratio = f"{table[peer]['median_s'] / v['median_s']:.2f}×"
        cpu = f"{v['server_cpu_s']:.2f}" if v["server_cpu_s"] is not None else ""
        print(
            f"{name:<14}{v['best_s']:>9.2f}{v['median_s']:>10.2f}{steps / v['median_s']:>10.0f}"
            f"{epochs / v['median_s']:>10.1f}{ratio:>12}{cpu:>14}{v['other_load_cores']:>10.2f} c"
        )
    print()
    h = rows["http"][-1]
    print(
        f"stream: {h['events']} events, {h['snapshots']} snapshots, {h['steps']} steps, "
        f"{h['bytes']:,} bytes (identity)"
        + (
            f"; with gzip {rows['http+gzip'][-1]['wire_bytes']:,} bytes on the wire"
            if "http+gzip" in rows
            else ""
        )
    )
    e = rows["engine+json"][-1]
    print(f"engine+json: {e['bytes']:,} bytes of NDJSON, {e['snapshots']} snapshots")
    accuracy = sorted({r["test_accuracy"] for r in rows["http"]})
    print(
        f"final test accuracy: ours (http) {', '.join(f'{a:.3f}' for a in accuracy)}"
        f" (≥ 0.9 expected: {'yes' if min(accuracy) >= 0.9 else 'NO'}); "
        f"train {h['train_accuracy']:.3f}, train loss {h['train_loss']:.4f}"
    )
    if use_torch:
        for name in table:
            if name.startswith("torch"):
                r = rows[name][-1]
                print(
                    f"final test accuracy: {name} {r['test_accuracy']:.3f}; "
                    f"train {r['train_accuracy']:.3f}, train loss {r['train_loss']:.4f}"
                )
        if "agreement" in checks:
            a = checks["agreement"][-1]
            print(
                f"same loop: epoch 0 equal (losses, accuracies, boundary); train losses agree "
                f"to {AGREE:g} through epoch {a['agree_through_epoch']} of {a['epochs']} "
                "(then rounding differences part the trajectories)"
            )
    expected = -(-epochs // RUN["report_every"]) + 1  # epoch 0, every 10th, the last
    ok_counts = all(r["snapshots"] == expected for r in rows["http"])
    print(
        f"snapshots per stream: {h['snapshots']} ({'as expected' if ok_counts else 'UNEXPECTED'})"
    )
    if peer is not None:
        ratio = table[peer]["median_s"] / table["http"]["median_s"]
        ratio_best = table[peer]["best_s"] / table["http"]["best_s"]
        print()
        print(
            f"target: the HTTP run ≥ {TARGET_RATIO:g}× faster than torch ({peer}): "
            f"{ratio:.2f}× on medians, {ratio_best:.2f}× on bests "
            f"({'met' if ratio >= TARGET_RATIO else 'NOT met'})"
        )
        r_engine = table[peer]["median_s"] / table["engine"]["median_s"]
        print(f"engine alone vs torch: {r_engine:.2f}× (the issue's plain numpy loop: ~6×)")
        if "torch fused" in table:
            fused = table["torch fused"]["median_s"]
            print(
                f"context: torch with Adam(fused=True) takes {fused:.2f} s "
                f"({table[peer]['median_s'] / fused:.2f}× faster than {peer}); "
                f"the HTTP run is {fused / table['http']['median_s']:.2f}× faster than that"
            )
    http_eps = epochs / table["http"]["median_s"]
    print(
        f"Playground: at most {PLAYGROUND_EPOCHS_PER_S:g} epochs/s (one per animation frame); "
        f"the HTTP run: {http_eps:.0f} epochs/s ({http_eps / PLAYGROUND_EPOCHS_PER_S:.1f}×)"
    )
    busy = max(v["other_load_cores"] for v in table.values())
    if busy > 0.2:
        print(
            f"warning: other processes used up to {busy:.2f} cores during the runs; the times "
            "are skewed (the torch/ours ratio less so: the rows take turns)"
        )
    if args.json:
        doc = {"environment": env, "rows": rows, "table": table, "peer": peer, "checks": checks}
        print(json.dumps(doc, indent=1, default=str))


if __name__ == "__main__":
    main()
