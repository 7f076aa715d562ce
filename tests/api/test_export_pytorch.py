"""POST /api/v1/export/pytorch: the exported scripts, run by the test venv's python with
torch (an oracle written by others: torch.autograd and torch.optim), give the server's
numbers: every preset's and many random networks' step (every activation and loss) to
1e-9, and training runs' reported losses to 1e-6 (sgd, momentum, adam; l1, l2; mean and
sum). Bad requests are 4xx naming the field; the route is in the OpenAPI document.

Scripts are run a batch at a time in one process (torch takes a second or two to import):
each one exec'd as __main__ in a fresh namespace, its stdout captured."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from tests.api.helpers import post_json, preset, strict_loads

EXPORT = "/api/v1/export/pytorch"
TRACE = "/api/v1/trace"
TRAIN = "/api/v1/train/stream"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
RANDOM_NETWORKS = 60

RUNNER = textwrap.dedent(
    """
    import contextlib, io, json, sys
    outputs = []
    for source in json.load(sys.stdin):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(source, "exported.py", "exec"), {"__name__": "__main__"})
        outputs.append(out.getvalue())
    json.dump(outputs, sys.stdout)
    """
)


def run_scripts(scripts: list[str]) -> list[list[Any]]:
    """Each script's printed JSON lines, every script run in one python process."""
    done = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(scripts),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [[strict_loads(line) for line in out.splitlines()] for out in json.loads(done.stdout)]


def export(client: httpx.Client, body: dict[str, Any]) -> str:
    r = post_json(client, EXPORT, body)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"] == "text/x-python; charset=utf-8"
    assert r.headers["content-disposition"].startswith("attachment; filename=")
    return r.text


def close(got: Any, want: Any, tol: float) -> float:
    """The largest |got − want| / max(1, |want|), after checking the shapes agree."""
    g, w = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert g.shape == w.shape, (g.shape, w.shape)
    worst = float(np.max(np.abs(g - w) / np.maximum(1.0, np.abs(w)), initial=0.0))
    assert worst <= tol, (worst, got, want)
    return worst


def compare_step(printed: list[Any], answer: dict[str, Any]) -> float:
    """One exported step against the server's /trace answer, layer by layer."""
    assert len(printed) == 1
    out = printed[0]
    assert set(out) == {"loss", "dl_dw", "dl_db", "weights_next", "biases_next"}
    layers = answer["layers"][1:]
    worst = close(out["loss"], answer["loss"], 1e-9)
    assert len(out["dl_dw"]) == len(layers)
    for l, layer in enumerate(layers):
        worst = max(
            worst,
            close(out["dl_dw"][l], layer["dl_dw"], 1e-9),
            close(out["dl_db"][l], layer["dl_db"], 1e-9),
            close(out["weights_next"][l], answer["network"]["weights"][l], 1e-9),
            close(out["biases_next"][l], answer["network"]["biases"][l], 1e-9),
        )
    return worst


@pytest.fixture(scope="module")
def capabilities(client: httpx.Client) -> dict[str, Any]:
    return strict_loads(client.get("/api/v1/capabilities").text)


def random_requests(capabilities: dict[str, Any]) -> list[dict[str, Any]]:
    """Trace requests over every loss × output activation it takes × hidden activation,
    with random shapes, θ, inputs, targets, η and freeze_biases (seeded)."""
    rng = np.random.default_rng(17)
    hidden = [a["name"] for a in capabilities["activations"] if not a["output_only"]]
    combos = [
        (loss["name"], out, act, loss["targets_in_unit_interval"])
        for loss in capabilities["losses"]
        for out in loss["output_activations"]
        for act in hidden
    ]
    requests = []
    for i in range(max(RANDOM_NETWORKS, len(combos))):
        loss, out, act, unit = combos[i % len(combos)]
        depth = int(rng.integers(1, 4))  # hidden layers
        layers = [int(n) for n in rng.integers(1, 5, size=depth + 2)]
        if out == "softmax" and layers[-1] == 1:
            layers[-1] = 3
        weights = [
            rng.uniform(-1.5, 1.5, size=(layers[l + 1], layers[l])).tolist()
            for l in range(len(layers) - 1)
        ]
        biases = [rng.uniform(-1, 1, size=n).tolist() for n in layers[1:]]
        target = rng.uniform(0, 1, size=layers[-1]) if unit else rng.normal(size=layers[-1])
        requests.append(
            {
                "network": {
                    "layers": layers,
                    "activations": [act] * depth + [out],
                    "loss": loss,
                    "weights": weights,
                    "biases": biases,
                },
                "input": rng.normal(size=layers[0]).tolist(),
                "target": target.tolist(),
                "learning_rate": float(rng.choice([0.01, 0.5, 3.0])),
                "freeze_biases": bool(rng.random() < 0.25),
            }
        )
    return requests


def test_every_preset_and_random_networks_step_as_torch_does(
    client: httpx.Client, capabilities: dict[str, Any], preset_names: list[str]
) -> None:
    bodies = [preset(client, name) for name in preset_names] + random_requests(capabilities)
    covered = {(b["network"]["loss"], *b["network"]["activations"]) for b in bodies}
    for loss in capabilities["losses"]:
        assert any(c[0] == loss["name"] for c in covered), loss["name"]
    for act in capabilities["activations"]:
        assert any(act["name"] in c[1:] for c in covered), act["name"]
    answers = []
    for body in bodies:
        r = post_json(client, TRACE, body)
        assert r.status_code == 200, r.text
        answers.append(strict_loads(r.text))
    printed = run_scripts([export(client, body) for body in bodies])
    worst = max(compare_step(p, a) for p, a in zip(printed, answers, strict=True))
    print(f"\n{len(bodies)} steps; the largest relative difference from the engine: {worst:.1e}")


def train_losses(client: httpx.Client, body: dict[str, Any]) -> list[tuple[int, float]]:
    r = post_json(client, TRAIN, body)
    assert r.status_code == 200, r.text
    events = [strict_loads(line) for line in r.text.splitlines()]
    assert events[-1]["type"] == "done" and events[-1]["reason"] in ("epochs", "target_loss")
    return [(e["epoch"], e["train_loss"]) for e in events if e["type"] == "epoch"]


def _net(layers: list[int], activations: list[str], loss: str, seed: int = 3) -> dict[str, Any]:
    return {"layers": layers, "activations": activations, "loss": loss, "seed": seed}


XOR = {"name": "xor", "samples": 60, "noise": 0.1, "seed": 2}
RUNS = [
    {
        "network": _net([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy"),
        "dataset": XOR,
        "optimizer": "sgd",
        "learning_rate": 0.3,
        "batch_size": 7,
        "epochs": 12,
        "report_every": 3,
        "regularization": {"kind": "l2", "rate": 0.01},
    },
    {
        "network": _net([2, 5, 3], ["relu", "softmax"], "cross_entropy"),
        "dataset": {"name": "three_class", "samples": 45, "seed": 1},
        "optimizer": "momentum",
        "learning_rate": 0.05,
        "batch_size": 8,
        "epochs": 10,
        "report_every": 4,
        "regularization": {"kind": "l2", "rate": 0.003},
    },
    {
        "network": _net([2, 6, 4, 1], ["leaky_relu", "tanh", "linear"], "mse"),
        "dataset": {"name": "plane", "samples": 40, "test_ratio": 0.25},
        "optimizer": "adam",
        "learning_rate": 0.02,
        "batch_size": 5,
        "epochs": 9,
        "report_every": 2,
        "regularization": {"kind": "l2", "rate": 0.001},
    },
    {  # features, sum reduction, l1, resuming at epoch 3, step 2 of it
        "network": _net([3, 3, 1], ["sigmoid", "sigmoid"], "squared_error"),
        "dataset": {**XOR, "features": ["x1", "x2", "x1x2"]},
        "optimizer": "adam",
        "learning_rate": 0.01,
        "batch_size": 16,
        "epochs": 5,
        "reduction": "sum",
        "regularization": {"kind": "l1", "rate": 0.002},
        "start_epoch": 3,
        "start_step": 2,
    },
    {  # the user's own points, a batch larger than the set, a target loss that stops it
        "network": _net([3, 2, 1], ["tanh", "sigmoid"], "binary_cross_entropy"),
        "dataset": {
            "x": [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 1, 1], [0.5, 0.2, 0.1]],
            "y": [[0], [1], [1], [0], [1]],
            "test_ratio": 0.0,
        },
        "optimizer": "momentum",
        "learning_rate": 0.5,
        "batch_size": 50,
        "epochs": 40,
        "report_every": 1,
        "target_loss": 0.62,
    },
]


def test_training_exports_report_the_runs_losses(client: httpx.Client) -> None:
    runs = [{**run, "grid": 0} for run in RUNS]
    assert {r["optimizer"] for r in runs} == {"sgd", "momentum", "adam"}
    expected = [train_losses(client, run) for run in runs]
    assert expected[-1][-1][0] < 40  # the target loss stopped that run early
    printed = run_scripts([export(client, run) for run in runs])
    worst = 0.0
    for lines, want in zip(printed, expected, strict=True):
        assert [line["epoch"] for line in lines] == [epoch for epoch, _ in want]
        assert all(set(line) == {"epoch", "train_loss"} for line in lines)
        for line, (_, loss) in zip(lines, want, strict=True):
            worst = max(worst, close(line["train_loss"], loss, 1e-6))
    print(f"\n{len(runs)} runs; the largest relative difference in train_loss: {worst:.1e}")


def test_the_script_imports_torch_and_the_standard_library_only(client: httpx.Client) -> None:
    for body in (preset(client, "softmax-classifier"), {**RUNS[0], "grid": 0}):
        tree = ast.parse(export(client, body))
        modules = {
            name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for name in (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            )
            if name
        }
        assert "torch" in modules
        assert modules - {"torch"} <= set(sys.stdlib_module_names), modules


def test_the_script_reads_as_the_lecture(client: httpx.Client) -> None:
    script = export(client, preset(client, "worked-example-2-2-2"))
    for words in (
        "nn.Sequential(",
        "nn.Sigmoid()",
        "loss.backward()",
        "torch.optim.SGD(",
        "torch.float64",
        "∂l/∂w²₁₁",
        "θ¹ = θ⁰ − η∇L(θ⁰)",
    ):
        assert words in script, words
    train = export(client, {**RUNS[2], "grid": 0})
    assert "torch.optim.Adam(" in train and "BATCH_ORDERS = [" in train


def _errors(r: httpx.Response) -> list[tuple[str, str]]:
    assert 400 <= r.status_code < 500, r.text
    return [(e["field"], e["type"]) for e in strict_loads(r.text)["detail"]]


def test_bad_requests_name_the_field(client: httpx.Client) -> None:
    step = preset(client, "xor")
    run = {**RUNS[0], "grid": 0}
    cases: list[tuple[Any, tuple[str, str]]] = [
        ({k: v for k, v in step.items() if k != "input"}, ("input", "missing")),
        ({**step, "learning_rate": 0}, ("learning_rate", "out_of_range")),
        ({**step, "input": [1.0]}, ("input", "wrong_length")),
        ({**run, "dataset": {"name": "nope"}}, ("dataset.name", "literal_error")),
        ({**run, "max_steps": 4}, ("max_steps", "not_exported")),
        ({**run, "optimizer_state": {"kind": "sgd", "t": 0}}, ("optimizer_state", "not_exported")),
        ({**run, "epochs": 100_000}, ("epochs", "too_many_epoch_samples")),
        ({**run, "batch_size": 0}, ("batch_size", "greater_than_equal")),
    ]
    for body, error in cases:
        assert error in _errors(post_json(client, EXPORT, body)), (body, error)
    assert _errors(client.post(EXPORT, content=b"[1, 2")) == [("body", "json_invalid")]
    assert _errors(client.get(EXPORT)) == [("path", "method_not_allowed")]


def test_the_route_is_in_the_openapi_document(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    operation = doc["paths"][EXPORT]["post"]
    assert operation["operationId"] == "post_export_pytorch"
    assert operation["responses"]["200"]["content"] == {
        "text/x-python": {"schema": {"type": "string"}}
    }
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    refs = json.dumps(doc["components"]["schemas"][body["$ref"].split("/")[-1]])
    assert "TraceRequest" in refs and "TrainRequest" in refs


def test_the_docs_example_runs_as_documented(client: httpx.Client, tmp_path: Path) -> None:
    """docs/api.md's example: the preset exported, `python step.py`, the line it prints."""
    text = DOCS.read_text(encoding="utf-8")
    block = text.split("<!-- example: export-pytorch -->", 1)[1]
    command, printed = block.split("```bash\n", 1)[1].split("\n```\n```json\n", 1)
    documented = json.loads(printed.split("\n```", 1)[0])
    assert "curl -s $B/api/v1/presets/worked-example-2-2-2" in command
    assert "$B/api/v1/export/pytorch" in command and "python step.py" in command
    script = tmp_path / "step.py"
    script.write_text(export(client, preset(client, "worked-example-2-2-2")), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert strict_loads(done.stdout) == documented
