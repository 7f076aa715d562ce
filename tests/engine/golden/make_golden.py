"""Golden files: the engine's outputs as they were before issue 16's restructure, to be kept
bit for bit. `python -m tests.engine.golden.make_golden` writes them; test_golden.py
recomputes every output with the same functions (`compute`) and compares.

Format: one gzip'd JSON file per area (mtime 0, so the bytes depend on the content only),
written by Python's json module. Its floats are repr(): the shortest decimal that reads
back as the same float64, so every float read back is the float written, bit for bit,
−0.0 included; NaN and ∞ never occur (allow_nan=False). Arrays are nested lists. The API's
bytes are pinned by their sha256 besides (the response as JSONBytes renders it).

What is pinned, and its inputs (fixed here, drawn from a seeded numpy RNG, not hypothesis):
- trace.json.gz: `trace()` on every preset and on GENERATED networks (every activation,
  every loss, frozen biases, 2 to 10 layers, up to 64 wide, saturated σ, relu at z = 0,
  the largest network at the largest values) and the overflow errors' messages: its
  to_json(), with the events for networks of at most EVENT_PARAMETERS parameters,
  `loss_after`, and the sha256 of the API's answer with and without events.
- batch.json.gz: batch_trace() over a few batches (mean and sum).
- train.json.gz: training runs' events (every optimizer, with and without l1/l2, mean
  and sum, mini-batches, full batch and batches of one, features, softmax, regression,
  a stop by max_steps and by target_loss, a divergence) and 20-epoch runs for each
  optimizer (the test checks that 10 + 10 resumed gives the same).
- gradcheck.json.gz: gradcheck(trace).to_json() of the presets and small generated nets.
- cost.json.gz: gradient_cost's deterministic fields on the sweep (times left out).
- data.json.gz: the generated data sets, and a run's data (split, features, encoding).

Outputs are this machine's numpy and OpenBLAS: another BLAS kernel may add in another
order and change last bits; regenerate there from the commit before the restructure.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from app.engine import (
    DATASETS,
    PRESETS,
    Limits,
    Network,
    NonFiniteError,
    TrainConfig,
    Training,
    batch_trace,
    dataset_from_spec,
    drawn_example,
    generate,
    gradcheck,
    gradient_cost,
    sampled_parameters,
    sweep_network,
    sweep_shapes,
    trace,
)
from app.http.responses import dumps

HERE = Path(__file__).parent
SEED = 20261204
EVENT_PARAMETERS = 2_000
GRADCHECK_PARAMETERS = 2_000
HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
LIMITS = Limits()


def plain(value: Any) -> Any:
    """JSON-ready Python values: arrays to lists, tuples to lists, numpy scalars to Python."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def sha256(body: Any) -> str:
    return hashlib.sha256(dumps(body)).hexdigest()


# ---- the networks ------------------------------------------------------------------------


def _targets(rng: np.random.Generator, loss: str, k: int, n: int | None = None) -> Any:
    shape = (k,) if n is None else (n, k)
    if loss == "binary_cross_entropy":
        return rng.uniform(0.0, 1.0, shape)
    if loss == "cross_entropy":
        if n is None:
            return rng.dirichlet(np.ones(k)) if rng.uniform() < 0.5 else np.eye(k)[rng.integers(k)]
        return rng.dirichlet(np.ones(k), n)
    return rng.uniform(-1.0, 1.0, shape)


# (layers, activations, loss, weight scale or None for a seeded init, freeze, η)
SHAPES: tuple[tuple[list[int], list[str], str, float | str, bool, float], ...] = (
    ([1, 1], ["linear"], "squared_error", 1.0, False, 0.5),
    ([1, 1], ["sigmoid"], "binary_cross_entropy", 2.0, True, 0.3),
    ([2, 3, 1], ["sigmoid", "sigmoid"], "binary_cross_entropy", 1.0, False, 0.5),
    ([2, 3, 1], ["tanh", "sigmoid"], "squared_error", 1.0, True, 0.5),
    ([3, 5, 4], ["tanh", "softmax"], "cross_entropy", 1.0, False, 0.1),
    ([3, 5, 4], ["relu", "softmax"], "cross_entropy", 1.0, True, 0.1),
    ([4, 6, 6, 3], ["relu", "leaky_relu", "softmax"], "squared_error", 1.0, False, 0.2),
    ([5, 4, 4, 4, 2], ["leaky_relu", "linear", "tanh", "softmax"], "mse", 1.0, True, 0.2),
    ([7, 9, 2], ["linear", "sigmoid"], "mse", 1.0, False, 1.0),
    ([7, 9, 2], ["sigmoid", "tanh"], "squared_error", 2.0, False, 0.05),
    ([6, 5, 3], ["tanh", "relu"], "mse", 1.0, False, 0.7),
    ([6, 5, 3], ["linear", "leaky_relu"], "squared_error", 1.0, True, 0.7),
    ([4, 4, 3], ["sigmoid", "linear"], "mse", 1.0, False, 0.4),
    ([2, 8, 8, 8, 8, 8, 8, 1], ["tanh"] * 6 + ["sigmoid"], "binary_cross_entropy", 1.0, False, 0.1),
    (
        [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        [*HIDDEN, *HIDDEN[:3], "tanh"],
        "squared_error",
        0.6,
        False,
        0.05,
    ),
    ([10, 64, 1], ["tanh", "linear"], "squared_error", 0.3, True, 0.01),
    ([64, 64, 64], ["relu", "softmax"], "cross_entropy", 0.3, False, 0.1),
    ([16, 64, 64, 64, 10], ["relu", "relu", "relu", "softmax"], "cross_entropy", "he", False, 0.05),
    (
        [64, 33, 17, 1],
        ["leaky_relu", "sigmoid", "sigmoid"],
        "binary_cross_entropy",
        "xavier",
        True,
        0.5,
    ),
    (
        [64] * 10,
        [*HIDDEN, "tanh", "sigmoid", "leaky_relu", "sigmoid"],
        "binary_cross_entropy",
        "xavier",
        False,
        0.2,
    ),
    # σ saturated (|z| in the hundreds): BCE's closed form and the clipped ∂l/∂a
    ([3, 4, 2], ["tanh", "sigmoid"], "binary_cross_entropy", 300.0, False, 0.1),
    ([3, 4, 3], ["sigmoid", "softmax"], "cross_entropy", 300.0, False, 0.1),
    ([3, 4, 3], ["linear", "softmax"], "mse", 300.0, True, 0.1),
)


def generated() -> list[dict[str, Any]]:
    """The trace cases: a name, a network spec, input, target, η and freeze_biases."""
    rng = np.random.default_rng(SEED)
    cases = []
    for i, (layers, acts, loss, scale, freeze, eta) in enumerate(SHAPES):
        spec: dict[str, Any] = {"layers": layers, "activations": acts, "loss": loss}
        if isinstance(scale, str):  # weights drawn by the engine's own init, biases here
            spec.update(init=scale, seed=i)
        else:
            spec["weights"] = [
                rng.uniform(-scale, scale, (n_out, n_in)).tolist()
                for n_in, n_out in itertools.pairwise(layers)
            ]
        spec["biases"] = [rng.uniform(-0.5, 0.5, n).tolist() for n in layers[1:]]
        x = rng.uniform(-2.0, 2.0, layers[0]).tolist()
        t = np.asarray(_targets(rng, loss, layers[-1])).tolist()
        name = f"g{i:02d}-{'-'.join(map(str, layers))}-{acts[-1]}-{loss}"
        cases.append(
            {
                "name": name,
                "network": spec,
                "input": x,
                "target": t,
                "learning_rate": eta,
                "freeze_biases": freeze,
            }
        )
    # relu at z = 0 exactly (zero weights and biases): relu'(0) = 0 and the signs of zeros
    cases.append(
        {
            "name": "relu-at-zero",
            "network": {
                "layers": [2, 3, 2],
                "activations": ["relu", "sigmoid"],
                "loss": "squared_error",
                "init": "zeros",
            },
            "input": [0.5, -0.5],
            "target": [0.25, 0.75],
            "learning_rate": 0.5,
            "freeze_biases": False,
        }
    )
    # The largest relu network at the largest values (test_numerics: |z| ≈ 10⁷⁶, finite).
    M, n, L = LIMITS.max_abs_value, LIMITS.max_neurons, LIMITS.max_layers - 1
    cases.append(
        {
            "name": "largest-relu-at-max-values",
            "network": {
                "layers": [n] * (L + 1),
                "activations": ["relu"] * L,
                "loss": "squared_error",
                "weights": [[[M] * n] * n] * L,
                "biases": [[M] * n] * L,
            },
            "input": [M] * n,
            "target": [0.0] * n,
            "learning_rate": LIMITS.max_learning_rate,
            "freeze_biases": False,
        }
    )
    return cases


def preset_cases() -> list[dict[str, Any]]:
    return [{"name": f"preset-{name}", **p.trace_request()} for name, p in PRESETS.items()]


# Overflows, under raised limits, and the message that names the first quantity.
OVERFLOWS: tuple[dict[str, Any], ...] = (
    {
        "name": "z-overflows",
        "network": {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "squared_error",
            "weights": [[[1e200]]],
            "biases": [[0.0]],
        },
        "input": [1e200],
        "target": [0.0],
        "learning_rate": 0.1,
        "freeze_biases": False,
    },
    {
        "name": "loss-overflows",
        "network": {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "squared_error",
            "weights": [[[1e100]]],
            "biases": [[0.0]],
        },
        "input": [1e100],
        "target": [0.0],
        "learning_rate": 0.1,
        "freeze_biases": False,
    },
    {
        "name": "dl-dw-overflows",
        "network": {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "squared_error",
            "weights": [[[1e-150]]],
            "biases": [[0.0]],
        },
        "input": [1e250],
        "target": [0.0],
        "learning_rate": 0.1,
        "freeze_biases": False,
    },
    {
        "name": "step-overflows",
        "network": {
            "layers": [1, 1],
            "activations": ["linear"],
            "loss": "squared_error",
            "weights": [[[1e150]]],
            "biases": [[0.0]],
        },
        "input": [1.0],
        "target": [0.0],
        "learning_rate": 1e200,
        "freeze_biases": True,
    },
)
OVERFLOW_LIMITS = Limits(max_abs_value=1e300, max_learning_rate=1e300)


def example_of(case: dict[str, Any], limits: Limits = LIMITS) -> tuple[Network, Any, Any]:
    net = Network.from_spec(case["network"], limits)
    return net, np.asarray(case["input"], float), np.asarray(case["target"], float)


# ---- the areas ---------------------------------------------------------------------------


def compute_trace(case: dict[str, Any]) -> dict[str, Any]:
    net, x, t = example_of(case)
    step = trace(
        net, x, t, learning_rate=case["learning_rate"], freeze_biases=case["freeze_biases"]
    )
    small = net.parameter_count <= EVENT_PARAMETERS
    return {
        "json": plain(step.to_json(include_events=small)),
        "loss_after": step.loss_after,
        "api_sha256": sha256(step.to_json()),
        "api_sha256_with_events": sha256(step.to_json(include_events=True)),
    }


def compute_overflow(case: dict[str, Any]) -> dict[str, Any]:
    net, x, t = example_of(case, OVERFLOW_LIMITS)
    try:
        trace(net, x, t, learning_rate=case["learning_rate"], freeze_biases=case["freeze_biases"])
    except NonFiniteError as exc:
        return {"error": str(exc)}
    return {"error": None}


BATCHES: tuple[tuple[list[int], list[str], str, int, str], ...] = (
    ([2, 3, 1], ["sigmoid", "sigmoid"], "squared_error", 1, "mean"),
    ([2, 3, 1], ["tanh", "sigmoid"], "binary_cross_entropy", 5, "mean"),
    ([3, 5, 4], ["relu", "softmax"], "cross_entropy", 7, "sum"),
    ([4, 6, 6, 3], ["leaky_relu", "linear", "softmax"], "mse", 4, "mean"),
    ([2, 8, 8, 8, 1], ["tanh", "tanh", "tanh", "linear"], "squared_error", 30, "sum"),
    ([16, 32, 32, 10], ["relu", "tanh", "softmax"], "squared_error", 3, "mean"),
    ([3, 4, 2], ["sigmoid", "sigmoid"], "binary_cross_entropy", 6, "mean"),  # saturated
)


def batch_cases() -> list[dict[str, Any]]:
    rng = np.random.default_rng(SEED + 1)
    cases = []
    for i, (layers, acts, loss, n, reduction) in enumerate(BATCHES):
        scale = 300.0 if i == 6 else 1.0
        spec = {
            "layers": layers,
            "activations": acts,
            "loss": loss,
            "weights": [
                rng.uniform(-scale, scale, (o, k)).tolist() for k, o in itertools.pairwise(layers)
            ],
            "biases": [rng.uniform(-0.5, 0.5, o).tolist() for o in layers[1:]],
        }
        cases.append(
            {
                "name": f"b{i}-{'-'.join(map(str, layers))}-{loss}-n{n}-{reduction}",
                "network": spec,
                "inputs": rng.uniform(-2, 2, (n, layers[0])).tolist(),
                "targets": np.asarray(_targets(rng, loss, layers[-1], n)).tolist(),
                "learning_rate": 0.1 * (i + 1),
                "reduction": reduction,
            }
        )
    return cases


def compute_batch(case: dict[str, Any]) -> dict[str, Any]:
    net = Network.from_spec(case["network"])
    x, t = np.asarray(case["inputs"], float), np.asarray(case["targets"], float)
    out = batch_trace(net, x, t, case["learning_rate"], case["reduction"])
    return {"json": plain(out.to_json()), "api_sha256": sha256(out.to_json())}


XOR_NET = {
    "layers": [2, 4, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "binary_cross_entropy",
    "seed": 2,
}
RUNS: tuple[dict[str, Any], ...] = (
    {
        "name": "sgd",
        "network": XOR_NET,
        "dataset": {"name": "xor", "samples": 40, "test_ratio": 0.25},
        "config": {
            "learning_rate": 0.3,
            "batch_size": 7,
            "epochs": 20,
            "optimizer": "sgd",
            "report_every": 5,
            "grid": 0,
        },
    },
    {
        "name": "sgd-l2-sum-batch-of-one",
        "network": XOR_NET,
        "dataset": {"name": "circle", "samples": 30, "noise": 0.1, "seed": 3},
        "config": {
            "learning_rate": 0.05,
            "batch_size": 1,
            "epochs": 8,
            "optimizer": "sgd",
            "regularization": ("l2", 0.01),
            "reduction": "sum",
            "report_every": 4,
            "grid": 4,
        },
    },
    {
        "name": "momentum-l1-full-batch",
        "network": XOR_NET,
        "dataset": {"name": "gauss", "samples": 50, "seed": 1},
        "config": {
            "learning_rate": 0.1,
            "batch_size": 10_000,
            "epochs": 20,
            "optimizer": "momentum",
            "regularization": ("l1", 0.001),
            "report_every": 10,
            "grid": 3,
            "neuron_grids": True,
            "neuron_grid": 2,
        },
    },
    {
        "name": "momentum",
        "network": XOR_NET,
        "dataset": {"name": "moons", "samples": 60},
        "config": {
            "learning_rate": 0.1,
            "batch_size": 10,
            "epochs": 15,
            "optimizer": "momentum",
            "report_every": 3,
            "grid": 0,
            "seed": 4,
            "state_in_snapshots": True,
        },
    },
    {
        "name": "adam-softmax-three-class",
        "network": {
            "layers": [2, 6, 3],
            "activations": ["relu", "softmax"],
            "loss": "cross_entropy",
            "seed": 5,
            "init": "he",
        },
        "dataset": {"name": "three_class", "samples": 60, "noise": 0.2},
        "config": {
            "learning_rate": 0.01,
            "batch_size": 8,
            "epochs": 20,
            "optimizer": "adam",
            "report_every": 5,
            "grid": 3,
        },
    },
    {
        "name": "adam-l2-features-spiral",
        "network": {
            "layers": [5, 8, 8, 1],
            "activations": ["tanh", "tanh", "sigmoid"],
            "loss": "binary_cross_entropy",
            "seed": 6,
        },
        "dataset": {
            "name": "spiral",
            "samples": 80,
            "noise": 0.1,
            "features": ["x1", "x2", "x1^2", "x1x2", "sin(x2)"],
        },
        "config": {
            "learning_rate": 0.02,
            "batch_size": 10,
            "epochs": 20,
            "optimizer": "adam",
            "regularization": ("l2", 0.001),
            "report_every": 10,
            "grid": 0,
        },
    },
    {
        "name": "adam-l1-sum-regression",
        "network": {
            "layers": [2, 5, 1],
            "activations": ["tanh", "linear"],
            "loss": "mse",
            "seed": 7,
        },
        "dataset": {"name": "plane", "samples": 40, "noise": 0.2},
        "config": {
            "learning_rate": 0.01,
            "batch_size": 4,
            "epochs": 10,
            "optimizer": "adam",
            "regularization": ("l1", 0.01),
            "reduction": "sum",
            "report_every": 5,
            "grid": 0,
        },
    },
    {
        "name": "sgd-own-points-max-steps",
        "network": {
            "layers": [3, 4, 2],
            "activations": ["sigmoid", "linear"],
            "loss": "squared_error",
            "seed": 8,
        },
        "dataset": {
            "x": [[0.1, 0.2, 0.3], [1, 0, -1], [0.5, 0.5, 0.5], [-1, 2, 0], [0, 0, 0], [2, -2, 1]],
            "y": [[1, 0], [0, 1], [0.5, 0.5], [1, 1], [0, 0], [-1, 2]],
            "test_ratio": 0.0,
        },
        "config": {
            "learning_rate": 0.1,
            "batch_size": 4,
            "epochs": 50,
            "optimizer": "sgd",
            "report_every": 10,
            "grid": 0,
            "max_steps": 23,
        },
    },
    {
        "name": "sgd-target-loss",
        "network": XOR_NET,
        "dataset": {"name": "gauss", "samples": 40},
        "config": {
            "learning_rate": 0.5,
            "batch_size": 5,
            "epochs": 200,
            "optimizer": "sgd",
            "report_every": 1,
            "grid": 0,
            "target_loss": 0.1,
        },
    },
    {
        "name": "sgd-diverges",
        "network": {
            "layers": [2, 4, 1],
            "activations": ["relu", "linear"],
            "loss": "squared_error",
            "seed": 9,
            "init": "uniform",
        },
        "dataset": {"name": "multi_gauss", "samples": 40},
        "config": {
            "learning_rate": 900.0,
            "batch_size": 5,
            "epochs": 20,
            "optimizer": "sgd",
            "report_every": 2,
            "grid": 0,
        },
    },
)
SPLIT_RUN = {
    "network": XOR_NET,
    "dataset": {"name": "spiral", "samples": 50, "test_ratio": 0.2, "noise": 0.05},
    "config": {"learning_rate": 0.05, "batch_size": 7, "report_every": 5, "grid": 0, "seed": 11},
}


def run_events(
    network: dict[str, Any],
    dataset: dict[str, Any],
    config: dict[str, Any],
    state: Any = None,
) -> list[dict[str, Any]]:
    net = Network.from_spec(network)
    data = dataset_from_spec(dataset, net, LIMITS)
    cfg = dict(config)
    if cfg.get("regularization") is not None:
        cfg["regularization"] = tuple(cfg["regularization"])
    training = Training(net, data, TrainConfig(**cfg), state)
    # `resume` (issue 20) came after these files were taken: each event's resume repeats its
    # own numbers (tests/api/test_resume.py checks that it does), so it is left out here.
    return [plain(_without_resume(e)) for e in training.events() if e is not None]


def _without_resume(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k != "resume"}


def compute_run(case: dict[str, Any]) -> dict[str, Any]:
    return {"events": run_events(case["network"], case["dataset"], case["config"])}


def compute_split_run(optimizer: str) -> dict[str, Any]:
    """A 20-epoch run's events (the test checks that 10 + 10 resumed gives the same)."""
    cfg = {**SPLIT_RUN["config"], "optimizer": optimizer, "epochs": 20}
    return {"events": run_events(SPLIT_RUN["network"], SPLIT_RUN["dataset"], cfg)}


def resumed_run(optimizer: str) -> list[dict[str, Any]]:
    """10 epochs, then 10 more from the first run's done event, as a client resumes: the
    done event's network and optimizer state through JSON, start_epoch = 10."""
    cfg = {**SPLIT_RUN["config"], "optimizer": optimizer, "epochs": 10}
    first = run_events(SPLIT_RUN["network"], SPLIT_RUN["dataset"], cfg)
    done = json.loads(json.dumps(first[-1]))
    network = {**SPLIT_RUN["network"], **done["network"]}
    return first + run_events(
        network, SPLIT_RUN["dataset"], {**cfg, "start_epoch": 10}, done["optimizer_state"]
    )


def compute_gradcheck(case: dict[str, Any]) -> dict[str, Any]:
    net, x, t = example_of(case)
    step = trace(
        net, x, t, learning_rate=case["learning_rate"], freeze_biases=case["freeze_biases"]
    )
    return {"json": plain(gradcheck(step).to_json())}


COST_SEEDS = (0, 3)


def compute_cost(layers: list[int]) -> dict[str, Any]:
    out = {}
    for seed in COST_SEEDS:
        net = sweep_network(layers, LIMITS, seed)
        x, t = drawn_example(net, seed)
        cost = gradient_cost(net, x, t, LIMITS.max_cost_sample, repeats=1)
        answer = cost.to_json()
        fd = answer["finite_differences"]
        out[str(seed)] = {
            "input": x.tolist(),
            "target": t.tolist(),
            "sampled": sampled_parameters(net.parameter_count, LIMITS.max_cost_sample).tolist(),
            "layers": answer["layers"],
            "parameters": answer["parameters"],
            "backprop_passes": [
                answer["backprop"]["forward_passes"],
                answer["backprop"]["backward_passes"],
            ],
            "forward_passes": fd["forward_passes"],
            "measured_parameters": fd["measured_parameters"],
            "measured_passes": fd["measured_passes"],
            "estimated": fd["estimated"],
            "max_abs_difference": answer["max_abs_difference"],
            "epsilon": answer["epsilon"],
            "repeats": answer["repeats"],
        }
    return out


DATA_SPECS: tuple[tuple[str, dict[str, Any], dict[str, Any]], ...] = (
    ("xor-default", XOR_NET, {"name": "xor"}),
    (
        "three-class-onehot",
        {"layers": [2, 3, 3], "activations": ["tanh", "softmax"], "loss": "cross_entropy"},
        {"name": "three_class", "samples": 31, "seed": 4, "test_ratio": 0.3, "noise": 0.25},
    ),
    (
        "plane-features",
        {"layers": [4, 3, 1], "activations": ["tanh", "linear"], "loss": "mse"},
        {
            "name": "plane",
            "samples": 25,
            "features": ["x1^2", "x2^2", "sin(x1)", "x1x2"],
            "seed": 2,
        },
    ),
    (
        "own-points-classes",
        {"layers": [2, 3, 2], "activations": ["tanh", "softmax"], "loss": "cross_entropy"},
        {
            "x": [[0, 0], [1, 1], [2, 0], [0, 3]],
            "y": [[1, 0], [0, 1], [0, 1], [1, 0]],
            "test_ratio": 0.25,
        },
    ),
    (
        "own-points-3d",
        {"layers": [3, 2, 1], "activations": ["tanh", "linear"], "loss": "squared_error"},
        {"x": [[0, 0, 1], [1, 1, 0.5], [2, 0, -1]], "y": [[0.1], [0.2], [-0.3]]},
    ),
)


def compute_data() -> dict[str, Any]:
    sets = {
        f"{name}-{samples}-{noise}-{seed}": plain(generate(name, samples, noise, seed))
        for name in DATASETS
        for samples, noise, seed in ((1, 0.0, 0), (17, 0.3, 5), (40, 0.5, 2**32 - 1))
    }
    runs = {
        name: plain(dataset_from_spec(ds, Network.from_spec(net), LIMITS).to_json())
        for name, net, ds in DATA_SPECS
    }
    return {"generated": sets, "run_data": runs}


# ---- the files ---------------------------------------------------------------------------


def areas() -> dict[str, Callable[[], dict[str, Any]]]:
    """Each golden file's name and the function that computes its whole content."""
    return {
        "trace": lambda: {
            **{c["name"]: compute_trace(c) for c in preset_cases() + generated()},
            **{c["name"]: compute_overflow(c) for c in OVERFLOWS},
        },
        "batch": lambda: {c["name"]: compute_batch(c) for c in batch_cases()},
        "train": lambda: {
            **{c["name"]: compute_run(c) for c in RUNS},
            **{f"split-{o}": compute_split_run(o) for o in ("sgd", "momentum", "adam")},
        },
        "gradcheck": lambda: {
            c["name"]: compute_gradcheck(c)
            for c in preset_cases() + generated()
            if example_of(c)[0].parameter_count <= GRADCHECK_PARAMETERS
        },
        "cost": lambda: {
            "-".join(map(str, s)): compute_cost(list(s)) for s in sweep_shapes(LIMITS)
        },
        "data": compute_data,
    }


def path_of(area: str) -> Path:
    return HERE / f"{area}.json.gz"


def read(area: str) -> Any:
    with gzip.open(path_of(area), "rt", encoding="utf-8") as f:
        return json.load(f)


def write(area: str, content: Any) -> None:
    text = json.dumps(content, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    with (
        open(path_of(area), "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f,
    ):
        f.write(text.encode())


def main() -> None:
    for area, compute in areas().items():
        write(area, compute())
        print(f"{path_of(area).name}: {path_of(area).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
