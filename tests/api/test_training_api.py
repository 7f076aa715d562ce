"""Issue 7's endpoints over the real server: POST /train/stream (NDJSON and SSE), /dataset
and /trace/batch. Losses, boundaries and gradients are checked against an independent
numpy oracle (training_helpers.py), restarts against uninterrupted runs, caps and bad
bodies against the documented error shape, and the stream's wall-time cap and
cancellation against a server of the test's own."""

from __future__ import annotations

import copy
import itertools
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np
import pytest

from tests.api.helpers import assert_error, nulls, post_json, strict_loads, trace_ok
from tests.api.training_helpers import (
    BATCH,
    DATASET,
    TRAIN,
    accuracy,
    dataset_of,
    example_losses,
    features_of,
    flat,
    forward,
    non_finite,
    only,
    train_events,
)
from tests.server import running_uvicorn

Body = dict[str, Any]

SIGMOID_NET = {
    "layers": [2, 4, 1],
    "activations": ["tanh", "sigmoid"],
    "loss": "binary_cross_entropy",
    "seed": 3,
}
SOFTMAX_NET = {
    "layers": [3, 5, 3],
    "activations": ["tanh", "softmax"],
    "loss": "cross_entropy",
    "seed": 3,
}
LINEAR_NET = {
    "layers": [2, 4, 1],
    "activations": ["tanh", "linear"],
    "loss": "squared_error",
    "seed": 3,
}
TANH_NET = {
    "layers": [2, 3, 3, 1],
    "activations": ["relu", "tanh", "tanh"],
    "loss": "squared_error",
    "seed": 3,
}


# The boundary's and the neurons' pictures are sent to 4 decimals (a heatmap needs no
# more); everything else in the stream is exact.
PICTURE_DECIMALS = 4
PICTURE_ATOL = 0.5 * 10**-PICTURE_DECIMALS + 1e-12


def run(network: dict[str, Any], dataset: dict[str, Any], **settings: Any) -> Body:
    """A training body: small and quick unless the test says otherwise."""
    body: Body = {
        "network": copy.deepcopy(network),
        "dataset": dataset,
        "learning_rate": 0.1,
        "batch_size": 8,
        "epochs": 7,
        "report_every": 3,
        "grid": 6,
    }
    body.update(settings)
    return body


# name: (network, data set, classification classes or None)
SETUPS: dict[str, tuple[dict[str, Any], dict[str, Any], int | None]] = {
    "sigmoid-xor": (SIGMOID_NET, {"name": "xor", "samples": 60, "seed": 1, "test_ratio": 0.3}, 2),
    "softmax-three_class-features": (
        SOFTMAX_NET,
        {
            "name": "three_class",
            "samples": 60,
            "seed": 2,
            "noise": 0.1,
            "test_ratio": 0.3,
            "features": ["x1", "x2", "x1x2"],
        },
        3,
    ),
    "linear-plane": (
        LINEAR_NET,
        {"name": "plane", "samples": 50, "seed": 4, "test_ratio": 0.2},
        None,
    ),
    "tanh-multi_gauss": (
        TANH_NET,
        {"name": "multi_gauss", "samples": 50, "seed": 5, "test_ratio": 0.4},
        None,
    ),
}


def setup_body(name: str, **settings: Any) -> Body:
    network, dataset, _ = SETUPS[name]
    return run(network, dict(dataset), **settings)


def numbers_of(event: dict[str, Any]) -> dict[str, Any]:
    """An event without the fields that are null by design: the optimizer state (sgd has
    no m or v), in the event and in its resume, and the start event's classes (null for
    regression)."""
    out = {k: v for k, v in event.items() if k not in ("optimizer_state", "classes")}
    if "resume" in out:
        out["resume"] = {k: v for k, v in out["resume"].items() if k != "optimizer_state"}
    return out


def assert_event_order(events: list[dict[str, Any]], report_epochs: list[int]) -> None:
    """start; an epoch + snapshot pair at each report; done, last and only once."""
    assert events[0]["type"] == "start"
    assert events[-1]["type"] == "done"
    assert len(only(events, "done")) == 1 and len(only(events, "start")) == 1
    middle = events[1:-1]
    assert [e["type"] for e in middle] == ["epoch", "snapshot"] * len(report_epochs)
    spe = events[0]["steps_per_epoch"]
    for i, epoch in enumerate(report_epochs):
        report, snapshot = middle[2 * i], middle[2 * i + 1]
        assert report["epoch"] == snapshot["epoch"] == epoch
        assert report["step"] == snapshot["step"] == epoch * spe


# 1. The stream: order, shapes, and every number against the oracle.


@pytest.mark.parametrize("fmt", ["ndjson", "sse"])
@pytest.mark.parametrize("name", list(SETUPS))
def test_stream_order_and_shapes(client: httpx.Client, name: str, fmt: str) -> None:
    body = setup_body(name, neuron_grids=True)
    network, dataset, classes = SETUPS[name]
    events = train_events(client, body, fmt)
    assert_event_order(events, [0, 3, 6, 7])
    for e in events:
        assert not nulls(numbers_of(e)), e  # test_ratio > 0: every loss and accuracy is a number

    data = dataset_of(client, body)
    start = events[0]
    n = dataset["samples"]
    n_test = round(dataset["test_ratio"] * n)
    assert (start["epoch"], start["step"]) == (0, 0)
    assert (start["train_size"], start["test_size"]) == (n - n_test, n_test)
    assert start["batch_size"] == body["batch_size"]
    assert start["steps_per_epoch"] == -(-(n - n_test) // body["batch_size"])
    assert start["kind"] == ("classification" if classes else "regression")
    assert start["classes"] == classes

    for e in only(events, "epoch") + only(events, "done"):
        if classes:
            for key in ("train_accuracy", "test_accuracy"):
                assert 0 <= e[key] <= 1, e
        else:
            assert "train_accuracy" not in e and "test_accuracy" not in e, e

    grid = body["grid"]
    (x0, x1), (y0, y1) = data["extent"]
    hidden = [
        (l, j) for l in range(1, len(network["layers"]) - 1) for j in range(network["layers"][l])
    ]
    for snap in only(events, "snapshot"):
        b = snap["boundary"]
        np.testing.assert_allclose(b["x"], np.linspace(x0, x1, grid), rtol=0, atol=1e-12)
        np.testing.assert_allclose(b["y"], np.linspace(y0, y1, grid), rtol=0, atol=1e-12)
        values = np.asarray(b["values"])
        assert values.shape == (grid, grid) and np.isfinite(values).all()
        # values[i][j] is the output at (x[j], y[i]): recomputed by the oracle.
        gx, gy = np.meshgrid(b["x"], b["y"])
        points = np.column_stack((gx.ravel(), gy.ravel()))
        inputs = features_of(points, data["features"])
        _, activations = forward(snap["network"], inputs)
        out = activations[-1]
        if classes == 3:
            cls = np.asarray(b["classes"])
            assert cls.shape == (grid, grid) and cls.dtype.kind == "i"
            assert set(np.unique(cls)) <= {0, 1, 2}
            assert (values >= round(1 / 3, PICTURE_DECIMALS)).all() and (values <= 1).all()
            np.testing.assert_array_equal(cls.ravel(), out.argmax(axis=1))
            np.testing.assert_allclose(values.ravel(), out.max(axis=1), rtol=0, atol=PICTURE_ATOL)
        else:
            assert "classes" not in b
            if network["activations"][-1] == "sigmoid":
                assert (values >= 0).all() and (values <= 1).all()
            np.testing.assert_allclose(values.ravel(), out[:, 0], rtol=0, atol=PICTURE_ATOL)
        neurons = snap["neurons"]
        assert [(g["layer"], g["node"]) for g in neurons] == hidden
        for g in neurons:
            v = np.asarray(g["values"])
            assert v.shape == (grid, grid) and np.isfinite(v).all()
            np.testing.assert_allclose(
                v.ravel(), activations[g["layer"]][:, g["node"]], rtol=0, atol=PICTURE_ATOL
            )


def test_sse_carries_the_same_events_as_ndjson(client: httpx.Client) -> None:
    body = setup_body("softmax-three_class-features", neuron_grids=True)
    assert train_events(client, body, "sse") == train_events(client, body, "ndjson")


@pytest.mark.parametrize("name", list(SETUPS))
def test_reported_losses_equal_the_oracle(client: httpx.Client, name: str) -> None:
    """Every epoch event's losses (and accuracies) recomputed in numpy from the snapshot's
    network and /dataset's split of the same body."""
    body = setup_body(name, grid=0, epochs=9, report_every=2)
    events = train_events(client, body)
    data = dataset_of(client, body)
    reports = only(events, "epoch")
    snapshots = only(events, "snapshot")
    assert len(reports) == len(snapshots) == 6
    classification = SETUPS[name][2] is not None
    for report, snap in zip(reports, snapshots, strict=True):
        assert "boundary" not in snap  # grid 0: no boundary
        for split in ("train", "test"):
            s = data[split]
            expected = example_losses(snap["network"], s["inputs"], s["targets"]).mean()
            assert report[f"{split}_loss"] == pytest.approx(expected, rel=1e-9, abs=1e-12)
            if classification:
                acc = accuracy(snap["network"], s["inputs"], s["labels"])
                assert report[f"{split}_accuracy"] == pytest.approx(acc, abs=1e-12)
    done = events[-1]
    assert done["reason"] == "epochs"
    assert done["network"] == snapshots[-1]["network"]
    for key in ("epoch", "step", "train_loss", "test_loss"):
        assert done[key] == reports[-1][key], key


def test_test_metrics_are_null_without_a_test_set(client: httpx.Client) -> None:
    body = setup_body("sigmoid-xor")
    body["dataset"]["test_ratio"] = 0
    events = train_events(client, body)
    assert events[0]["test_size"] == 0
    assert events[0]["train_size"] == body["dataset"]["samples"]
    for e in only(events, "epoch") + only(events, "done"):
        assert e["test_loss"] is None and e["test_accuracy"] is None, e
        assert isinstance(e["train_loss"], float) and isinstance(e["train_accuracy"], float)


def test_target_loss_stops_at_the_first_report_at_or_below_it(client: httpx.Client) -> None:
    body = setup_body("sigmoid-xor", grid=0, epochs=30, report_every=5, learning_rate=0.3)
    full = only(train_events(client, body), "epoch")
    losses = [e["train_loss"] for e in full]
    target = losses[3]
    first = next(i for i, loss in enumerate(losses) if loss <= target)
    events = train_events(client, {**body, "target_loss": target})
    done = events[-1]
    assert done["reason"] == "target_loss"
    assert done["epoch"] == full[first]["epoch"]
    assert done["train_loss"] == losses[first]
    assert done["network"] == only(events, "snapshot")[-1]["network"]


def test_max_steps_one_is_one_mini_batch(client: httpx.Client) -> None:
    body = setup_body("sigmoid-xor", max_steps=1)
    events = train_events(client, body)
    done = events[-1]
    assert done["reason"] == "max_steps"
    assert (done["epoch"], done["step"]) == (0, 1)
    assert [e["step"] for e in only(events, "epoch")] == [0, 1]
    assert done["network"] == only(events, "snapshot")[-1]["network"]


# 2. Determinism and restarts.


@pytest.mark.parametrize("accept", [None, "text/event-stream"])
def test_same_body_same_bytes(client: httpx.Client, accept: str | None) -> None:
    body = setup_body("sigmoid-xor", epochs=30, report_every=4, grid=8, neuron_grids=True)
    headers = {"accept": accept} if accept else {}
    first = post_json(client, TRAIN, body, headers=headers)
    second = post_json(client, TRAIN, body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(first.content) > 1000


CONTINUATIONS = [
    ("sgd", None, "mean"),
    ("momentum", {"kind": "l1", "rate": 1e-3}, "sum"),
    ("adam", {"kind": "l2", "rate": 1e-3}, "mean"),
]


def continuing(body: Body, done: dict[str, Any], **settings: Any) -> Body:
    """The same run, picked up from a done event's network and optimizer state."""
    return {
        **body,
        "network": done["network"],
        "optimizer_state": done["optimizer_state"],
        **settings,
    }


@pytest.mark.parametrize(("optimizer", "regularization", "reduction"), CONTINUATIONS)
def test_restart_at_an_epoch_continues_the_same_run(
    client: httpx.Client, optimizer: str, regularization: Any, reduction: str
) -> None:
    body = setup_body(
        "sigmoid-xor",
        grid=0,
        report_every=5,
        batch_size=7,  # the last mini-batch of an epoch is short
        optimizer=optimizer,
        regularization=regularization,
        reduction=reduction,
        learning_rate=0.02,
    )
    whole = train_events(client, {**body, "epochs": 20})[-1]
    half = train_events(client, {**body, "epochs": 10})[-1]
    assert half["reason"] == "epochs" and half["epoch"] == 10
    assert half["optimizer_state"]["kind"] == optimizer
    rest = train_events(client, continuing(body, half, epochs=10, start_epoch=10))
    start, done = rest[0], rest[-1]
    assert (start["epoch"], start["step"]) == (10, 10 * start["steps_per_epoch"])
    assert (done["epoch"], done["step"]) == (whole["epoch"], whole["step"])
    np.testing.assert_allclose(flat(done["network"]), flat(whole["network"]), rtol=0, atol=1e-12)
    assert done["optimizer_state"]["t"] == whole["optimizer_state"]["t"]
    for key in ("m", "v"):
        expected, got = whole["optimizer_state"][key], done["optimizer_state"][key]
        if expected is None:
            assert got is None
        else:
            np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert done["train_loss"] == pytest.approx(whole["train_loss"], rel=1e-9)


@pytest.mark.parametrize(("optimizer", "regularization", "reduction"), CONTINUATIONS)
def test_restart_after_one_mini_batch_continues_the_same_run(
    client: httpx.Client, optimizer: str, regularization: Any, reduction: str
) -> None:
    body = setup_body(
        "sigmoid-xor",
        grid=0,
        epochs=4,
        report_every=2,
        optimizer=optimizer,
        regularization=regularization,
        reduction=reduction,
        learning_rate=0.02,
    )
    whole = train_events(client, body)[-1]
    one = train_events(client, {**body, "max_steps": 1})[-1]
    assert (one["reason"], one["epoch"], one["step"]) == ("max_steps", 0, 1)
    assert one["optimizer_state"]["t"] == 1
    rest = train_events(client, continuing(body, one, start_step=1))
    assert (rest[0]["epoch"], rest[0]["step"]) == (0, 1)
    done = rest[-1]
    assert (done["epoch"], done["step"], done["reason"]) == (4, whole["step"], "epochs")
    np.testing.assert_allclose(flat(done["network"]), flat(whole["network"]), rtol=0, atol=1e-12)


# 3. /trace/batch against /trace, example by example.


def with_weights(network: dict[str, Any], seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    layers = network["layers"]
    spec = {k: v for k, v in network.items() if k not in ("seed", "init")}
    spec["weights"] = [rng.uniform(-1, 1, (o, i)).tolist() for i, o in itertools.pairwise(layers)]
    spec["biases"] = [rng.uniform(-0.5, 0.5, o).tolist() for o in layers[1:]]
    return spec


def batch_examples(network: dict[str, Any], n: int, seed: int) -> tuple[list, list]:
    rng = np.random.default_rng(seed)
    d, k = network["layers"][0], network["layers"][-1]
    inputs = rng.uniform(-2, 2, (n, d)).tolist()
    if network["loss"] == "binary_cross_entropy":
        targets = rng.integers(0, 2, (n, k)).astype(float).tolist()
    elif network["loss"] == "cross_entropy":
        targets = np.eye(k)[rng.integers(0, k, n)].tolist()
    else:
        targets = rng.uniform(-1, 1, (n, k)).tolist()
    return inputs, targets


BATCH_NETS = {
    "sigmoid-bce": SIGMOID_NET,
    "softmax-ce": SOFTMAX_NET,
    "deep-squared": TANH_NET,
    "mse": {"layers": [2, 3, 2], "activations": ["leaky_relu", "linear"], "loss": "mse"},
}
LAYER_KEYS = ("z", "a", "da_dz", "dl_da", "dl_dz", "dl_dw", "dl_db")


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("net", list(BATCH_NETS))
def test_batch_is_the_reduction_of_single_traces(
    client: httpx.Client, net: str, reduction: str
) -> None:
    network = with_weights(BATCH_NETS[net], seed=11)
    inputs, targets = batch_examples(network, 6, seed=12)
    eta = 0.3
    r = post_json(
        client,
        BATCH,
        {
            "network": network,
            "inputs": inputs,
            "targets": targets,
            "learning_rate": eta,
            "reduction": reduction,
        },
    )
    assert r.status_code == 200, r.text
    answer = strict_loads(r.text)
    singles = [
        trace_ok(client, {"network": network, "input": x, "target": t, "learning_rate": eta})
        for x, t in zip(inputs, targets, strict=True)
    ]
    reduce = np.mean if reduction == "mean" else np.sum
    assert answer["reduction"] == reduction
    np.testing.assert_allclose(answer["losses"], [s["loss"] for s in singles], rtol=1e-12, atol=0)
    assert answer["loss"] == pytest.approx(reduce(answer["losses"]), rel=1e-12)
    assert answer["layers"][0]["a"] == inputs
    for l in range(1, len(network["layers"])):
        layer = answer["layers"][l]
        for key in LAYER_KEYS:
            for n, s in enumerate(singles):
                if s["layers"][l][key] is None:  # σ'(z) of a softmax layer
                    assert layer[key] is None
                else:
                    np.testing.assert_allclose(
                        layer[key][n], s["layers"][l][key], rtol=1e-12, atol=1e-15
                    )
        dl_dw = reduce([s["layers"][l]["dl_dw"] for s in singles], axis=0)
        dl_db = reduce([s["layers"][l]["dl_db"] for s in singles], axis=0)
        grad_w = np.asarray(answer["gradients"]["weights"][l - 1])
        grad_b = np.asarray(answer["gradients"]["biases"][l - 1])
        np.testing.assert_allclose(grad_w, dl_dw, rtol=0, atol=1e-12)
        np.testing.assert_allclose(grad_b, dl_db, rtol=0, atol=1e-12)
        # θ¹ = θ⁰ − η ∂L/∂θ
        w0, b0 = np.asarray(network["weights"][l - 1]), np.asarray(network["biases"][l - 1])
        updated = answer["network"]
        np.testing.assert_allclose(updated["weights"][l - 1], w0 - eta * grad_w, rtol=0, atol=1e-12)
        np.testing.assert_allclose(updated["biases"][l - 1], b0 - eta * grad_b, rtol=0, atol=1e-12)
    assert not non_finite({k: v for k, v in answer.items() if k != "layers"})


@pytest.mark.parametrize("net", list(BATCH_NETS))
def test_batch_of_one_is_the_trace_exactly(client: httpx.Client, net: str) -> None:
    network = with_weights(BATCH_NETS[net], seed=21)
    for x, t in zip(*batch_examples(network, 3, seed=22), strict=True):
        single = trace_ok(client, {"network": network, "input": x, "target": t})
        for reduction in ("mean", "sum"):
            r = post_json(
                client,
                BATCH,
                {"network": network, "inputs": [x], "targets": [t], "reduction": reduction},
            )
            assert r.status_code == 200, r.text
            answer = strict_loads(r.text)
            assert answer["losses"] == [single["loss"]]
            assert answer["loss"] == single["loss"]
            assert answer["network"] == single["network"]
            for l in range(1, len(network["layers"])):
                for key in LAYER_KEYS:
                    got = answer["layers"][l][key]
                    assert (got if single["layers"][l][key] is None else got[0]) == single[
                        "layers"
                    ][l][key], (l, key)
                assert answer["gradients"]["weights"][l - 1] == single["layers"][l]["dl_dw"]
                assert answer["gradients"]["biases"][l - 1] == single["layers"][l]["dl_db"]


# 4. /dataset.


@pytest.mark.parametrize(
    ("samples", "test_ratio"), [(200, 0.5), (37, 0.3), (101, 0.0), (7, 0.9), (250, 0.2)]
)
def test_dataset_split_sizes(client: httpx.Client, samples: int, test_ratio: float) -> None:
    body = {
        "network": SIGMOID_NET,
        "dataset": {"name": "circle", "samples": samples, "test_ratio": test_ratio, "seed": 9},
    }
    data = dataset_of(client, body)
    n_test = round(test_ratio * samples)
    assert data["kind"] == "classification" and data["classes"] == 2
    assert data["features"] == ["x1", "x2"]
    assert data["extent"] == [[-6, 6], [-6, 6]]
    for split, size in (("train", samples - n_test), ("test", n_test)):
        s = data[split]
        assert len(s["x"]) == len(s["inputs"]) == len(s["targets"]) == len(s["labels"]) == size
        if size:
            assert np.asarray(s["x"]).shape == (size, 2)
            assert np.asarray(s["targets"]).shape == (size, 1)
            # one sigmoid output: the target is the 0/1 label itself
            assert set(s["labels"]) <= {0, 1}
            assert [t[0] for t in s["targets"]] == s["labels"]
            assert s["inputs"] == s["x"]


def test_dataset_features_are_the_features_of_x(client: httpx.Client) -> None:
    names = ["x1", "x2", "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"]
    network = {**SIGMOID_NET, "layers": [7, 3, 1]}
    body = {"network": network, "dataset": {"name": "spiral", "samples": 80, "features": names}}
    data = dataset_of(client, body)
    assert data["features"] == names
    for split in ("train", "test"):
        x = np.asarray(data[split]["x"])
        inputs = np.asarray(data[split]["inputs"])
        assert inputs.shape == (len(x), 7)
        for k, f in enumerate(names):
            np.testing.assert_allclose(inputs[:, k], features_of(x, [f])[:, 0], rtol=1e-15, atol=0)


def test_dataset_one_hot_targets_for_softmax(client: httpx.Client) -> None:
    network = {**SOFTMAX_NET, "layers": [2, 5, 3]}
    body = {"network": network, "dataset": {"name": "three_class", "samples": 90, "seed": 3}}
    data = dataset_of(client, body)
    assert (data["kind"], data["classes"]) == ("classification", 3)
    labels = data["train"]["labels"] + data["test"]["labels"]
    assert set(labels) == {0, 1, 2}
    for split in ("train", "test"):
        s = data[split]
        expected = np.eye(3)[np.asarray(s["labels"], dtype=int)]
        np.testing.assert_array_equal(s["targets"], expected)


def test_dataset_regression_targets_are_the_values(client: httpx.Client) -> None:
    for name in ("plane", "multi_gauss"):
        body = {"network": LINEAR_NET, "dataset": {"name": name, "samples": 40}}
        data = dataset_of(client, body)
        assert (data["kind"], data["classes"]) == ("regression", None)
        for split in ("train", "test"):
            assert [t[0] for t in data[split]["targets"]] == data[split]["labels"]


def test_dataset_is_determined_by_its_seed(client: httpx.Client) -> None:
    def of(seed: int) -> dict[str, Any]:
        ds = {"name": "moons", "samples": 50, "noise": 0.2, "seed": seed}
        return dataset_of(client, {"network": SIGMOID_NET, "dataset": ds})

    assert of(4) == of(4)
    assert of(4)["train"]["x"] != of(5)["train"]["x"]


def test_dataset_user_points_are_split_not_changed(client: httpx.Client) -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 4, (50, 2)).round(3).tolist()
    y = rng.integers(0, 2, (50, 1)).astype(float).tolist()
    body = {"network": SIGMOID_NET, "dataset": {"x": x, "y": y, "test_ratio": 0.2, "seed": 1}}
    data = dataset_of(client, body)
    assert (len(data["train"]["x"]), len(data["test"]["x"])) == (40, 10)
    rows = data["train"]["x"] + data["test"]["x"]
    targets = data["train"]["targets"] + data["test"]["targets"]
    assert sorted(zip(map(tuple, rows), map(tuple, targets), strict=True)) == sorted(
        zip(map(tuple, x), map(tuple, y), strict=True)
    )
    (x0, x1), (y0, y1) = data["extent"]
    pts = np.asarray(x)
    assert x0 < pts[:, 0].min() and pts[:, 0].max() < x1
    assert y0 < pts[:, 1].min() and pts[:, 1].max() < y1
    assert data == dataset_of(client, body)
    other = dataset_of(client, {**body, "dataset": {**body["dataset"], "seed": 2}})
    assert other["test"]["x"] != data["test"]["x"]
    # A boundary over the user's plane, not the generated sets' [−6, 6]².
    events = train_events(
        client, {**run(SIGMOID_NET, body["dataset"]), "epochs": 1, "report_every": 1}
    )
    b = only(events, "snapshot")[0]["boundary"]
    assert b["x"][0] == pytest.approx(x0) and b["x"][-1] == pytest.approx(x1)
    assert b["y"][0] == pytest.approx(y0) and b["y"][-1] == pytest.approx(y1)


# 5. Caps and bad bodies: a 422 before any byte, naming the field.


Limits = dict[str, Any]


@pytest.fixture(scope="module")
def training_limits(capabilities: dict[str, Any]) -> Limits:
    return capabilities["limits"]


@dataclass(frozen=True)
class Bad:
    id: str
    edit: Callable[[Body, Limits], Any]  # changes the body in place, or returns raw bytes
    loc: tuple[str | int, ...]
    msg_has: Callable[[Limits], str] | str = ""
    paths: tuple[str, ...] = (TRAIN,)


def base_body() -> Body:
    return run(SIGMOID_NET, {"name": "xor", "samples": 40, "seed": 1}, epochs=5, report_every=1)


POINTS = [[0, 0], [1, 1], [0, 1], [1, 0]]
LABELS = [[0], [1], [1], [0]]


def points(x: Any = POINTS, y: Any = LABELS, **more: Any) -> Callable[[Body, Limits], None]:
    def edit(body: Body, limits: Limits) -> None:
        body["dataset"] = {"x": copy.deepcopy(x), "y": copy.deepcopy(y), **more}

    return edit


def sets(**changes: Any) -> Callable[[Body, Limits], None]:
    """Set top-level fields; a callable value gets (body, limits)."""

    def edit(body: Body, limits: Limits) -> None:
        for key, value in changes.items():
            body[key] = value(body, limits) if callable(value) else copy.deepcopy(value)

    return edit


def in_dataset(**changes: Any) -> Callable[[Body, Limits], None]:
    def edit(body: Body, limits: Limits) -> None:
        for key, value in changes.items():
            body["dataset"][key] = value(limits) if callable(value) else value

    return edit


def raw_points(x_text: str, y_text: str) -> Callable[[Body, Limits], bytes]:
    """The body as JSON text with the points spliced in verbatim (NaN is no Python JSON)."""

    def edit(body: Body, limits: Limits) -> bytes:
        body["dataset"] = {"x": "@X@", "y": "@Y@"}
        text = json.dumps(body).replace('"@X@"', x_text).replace('"@Y@"', y_text)
        return text.encode()

    return edit


def many_points(body: Body, limits: Limits) -> None:
    n = limits["max_samples"] + 1
    body["dataset"] = {"x": [[0.5, -0.5]] * n, "y": [[1]] * n}


def over_epoch_samples(body: Body, limits: Limits) -> None:
    n = limits["max_samples"]
    epochs = limits["max_epoch_samples"] // n + 1
    assert epochs <= limits["max_epochs"]
    body["dataset"] = {"name": "gauss", "samples": n, "test_ratio": 0}
    body.update(epochs=epochs, report_every=epochs, grid=0)


def over_report_cells(body: Body, limits: Limits) -> None:
    grid = limits["max_grid"]
    epochs = limits["max_report_cells"] // grid**2  # + the report at epoch 0: one too many
    body.update(epochs=epochs, report_every=1, grid=grid)


def over_report_cells_with_neurons(body: Body, limits: Limits) -> None:
    grid = limits["max_grid"]
    epochs = limits["max_report_cells"] // (2 * grid**2)  # fine for the output alone
    body.update(epochs=epochs, report_every=1, grid=grid, neuron_grids=True)


SOFTMAX_2 = {"layers": [2, 3, 2], "activations": ["tanh", "softmax"], "loss": "cross_entropy"}
BOTH = (TRAIN, DATASET)

BAD = [
    # Caps, read from /capabilities.
    Bad(
        "epochs-over-max",
        sets(epochs=lambda b, lim: lim["max_epochs"] + 1),
        ("epochs",),
        lambda lim: str(lim["max_epochs"]),
    ),
    Bad(
        "epochs-times-points",
        over_epoch_samples,
        ("epochs",),
        lambda lim: str(lim["max_epoch_samples"]),
    ),
    Bad(
        "samples-over-max",
        in_dataset(samples=lambda lim: lim["max_samples"] + 1),
        ("dataset", "samples"),
        lambda lim: str(lim["max_samples"]),
        BOTH,
    ),
    Bad(
        "grid-over-max",
        sets(grid=lambda b, lim: lim["max_grid"] + 1),
        ("grid",),
        lambda lim: str(lim["max_grid"]),
    ),
    Bad("grid-one", sets(grid=1), ("grid",), "from 2"),
    Bad(
        "report-cells",
        over_report_cells,
        ("report_every",),
        lambda lim: str(lim["max_report_cells"]),
    ),
    Bad("report-cells-neuron-grids", over_report_cells_with_neurons, ("report_every",), "hidden"),
    Bad(
        "batch-size-over-max",
        sets(batch_size=lambda b, lim: lim["max_samples"] + 1),
        ("batch_size",),
        lambda lim: str(lim["max_samples"]),
    ),
    # The user's points, CSV-like.
    Bad(
        "ragged-x", points(x=[[0, 0], [1], [0, 1], [1, 0]]), ("dataset", "x", 1), "2 numbers", BOTH
    ),
    Bad(
        "x-not-a-number",
        points(x=[[0, 0], [1, "one"], [0, 1], [1, 0]]),
        ("dataset", "x", 1, 1),
        "number",
        BOTH,
    ),
    Bad(
        "x-nan",
        raw_points("[[0, 0], [1, NaN], [0, 1], [1, 0]]", "[[0], [1], [1], [0]]"),
        ("dataset", "x", 1, 1),
        "finite",
        BOTH,
    ),
    Bad(
        "x-minus-infinity",
        raw_points("[[0, 0], [1, 1], [-Infinity, 1], [1, 0]]", "[[0], [1], [1], [0]]"),
        ("dataset", "x", 2, 0),
        "finite",
        BOTH,
    ),
    Bad(
        "y-infinity",
        raw_points("[[0, 0], [1, 1], [0, 1], [1, 0]]", "[[0], [Infinity], [1], [0]]"),
        ("dataset", "y", 1, 0),
        "finite",
        BOTH,
    ),
    Bad(
        "x-too-big",
        lambda b, lim: points(x=[[0, 0], [lim["max_abs_value"] * 10, 1], [0, 1], [1, 0]])(b, lim),
        ("dataset", "x", 1, 0),
        "",
        BOTH,
    ),
    Bad("bce-label-2", points(y=[[0], [2], [1], [0]]), ("dataset", "y", 1, 0), "[0, 1]", BOTH),
    Bad(
        "softmax-y-one-column",
        sets(network=SOFTMAX_2, dataset={"x": [[0, 0], [1, 1]], "y": [[0], [1]]}),
        ("dataset", "y", 0),
        "2",
        BOTH,
    ),
    Bad("y-rows-count", points(y=LABELS[:3]), ("dataset", "y"), "one row per point", BOTH),
    Bad(
        "too-many-points", many_points, ("dataset", "x"), lambda lim: str(lim["max_samples"]), BOTH
    ),
    Bad(
        "features-with-3-columns",
        sets(
            network={**SIGMOID_NET, "layers": [3, 4, 1]},
            dataset={
                "x": [[0, 0, 0], [1, 1, 1]],
                "y": [[0], [1]],
                "features": ["x1", "x2", "x1^2"],
            },
        ),
        ("dataset", "features"),
        "2-D",
        BOTH,
    ),
    Bad(
        "features-count-not-inputs",
        in_dataset(features=["x1", "x2", "x1^2"]),
        ("network", "layers", 0),
        "3",
        BOTH,
    ),
    Bad(
        "unknown-feature",
        in_dataset(features=["x1", "x3"]),
        ("dataset", "features", 1),
        "x1^2",
        BOTH,
    ),
    Bad("name-and-x", in_dataset(x=POINTS, y=LABELS), ("dataset",), "not both", BOTH),
    Bad("neither-name-nor-x", sets(dataset={"seed": 1}), ("dataset",), "name", BOTH),
    Bad("unknown-name", in_dataset(name="swirl"), ("dataset", "name"), "spiral", BOTH),
    Bad(
        "three-classes-one-output",
        in_dataset(name="three_class"),
        ("network", "layers", 2),
        "3",
        BOTH,
    ),
    Bad(
        "no-training-points",
        points(x=[[0, 0]], y=[[1]], test_ratio=0.9),
        ("dataset", "test_ratio"),
        "no training",
        BOTH,
    ),
    Bad("test-ratio-over-max", in_dataset(test_ratio=0.95), ("dataset", "test_ratio"), "0.9", BOTH),
    # Gradient descent's settings.
    Bad(
        "optimizer-state-length",
        sets(
            optimizer="adam",
            optimizer_state={"kind": "adam", "t": 3, "m": [0.0] * 3, "v": [0.0] * 3},
        ),
        ("optimizer_state", "m"),
        "17",
    ),
    Bad(
        "optimizer-state-kind",
        sets(optimizer="momentum", optimizer_state={"kind": "adam", "t": 1}),
        ("optimizer_state", "kind"),
        "momentum",
    ),
    Bad(
        "regularization-kind",
        sets(regularization={"kind": "l3", "rate": 0.01}),
        ("regularization", "kind"),
        "l2",
    ),
    Bad("learning-rate-zero", sets(learning_rate=0), ("learning_rate",), "greater than 0"),
    Bad(
        "learning-rate-over-max",
        sets(learning_rate=lambda b, lim: 10.0**9),
        ("learning_rate",),
        "at most",
    ),
    Bad("unknown-field", sets(epoch=5), ("epoch",), "extra"),
]


@pytest.mark.parametrize(
    ("case", "path"), [(c, p) for c in BAD for p in c.paths], ids=lambda v: getattr(v, "id", v)
)
def test_bad_training_body_is_a_422_naming_the_field(
    client: httpx.Client,
    training_limits: Limits,
    capabilities: dict[str, Any],
    case: Bad,
    path: str,
) -> None:
    limits = training_limits
    body = base_body()
    edited = case.edit(body, limits)
    if path == DATASET and not isinstance(edited, bytes):
        body = {"network": body["network"], "dataset": body["dataset"]}
    content = edited if isinstance(edited, bytes) else json.dumps(body).encode()
    if path == DATASET and isinstance(edited, bytes):
        parsed = json.loads(edited)  # Python's json reads NaN back; write it out again
        content = json.dumps({"network": parsed["network"], "dataset": parsed["dataset"]}).encode()
    r = client.post(path, content=content)
    msg = case.msg_has(limits) if callable(case.msg_has) else case.msg_has
    assert_error(r, 422, case.loc, msg)


def test_a_generated_regression_set_under_bce_names_a_real_field(client: httpx.Client) -> None:
    """plane's values are outside [0, 1]: the error must point at a field of the body."""
    body = {"network": SIGMOID_NET, "dataset": {"name": "plane", "samples": 40}}
    for path in (DATASET, TRAIN):
        r = post_json(client, path, body if path == DATASET else run(**body))
        assert r.status_code == 422, r.text
        item = strict_loads(r.text)["detail"][0]
        assert item["field"] in ("dataset.name", "network.loss", "network.activations[1]"), item


def wide_network() -> dict[str, Any]:
    return {
        "layers": [64, 64, 64, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "loss": "binary_cross_entropy",
    }


def too_many_gradients(body: Body, limits: Limits) -> None:
    net = wide_network()
    layers = net["layers"]
    parameters = sum(o * i + o for i, o in itertools.pairwise(layers))
    n = limits["max_batch_gradients"] // parameters + 1
    assert n <= limits["max_samples"]
    body.update(network=net, inputs=[[0.1] * 64] * n, targets=[[1.0]] * n)


def batch_body() -> Body:
    return {"network": SIGMOID_NET, "inputs": [[1, 2], [3, 4], [5, 6]], "targets": [[1], [0], [1]]}


BAD_BATCH = [
    Bad("ragged-inputs", sets(inputs=[[1, 2], [3], [5, 6]]), ("inputs", 1), "2 numbers"),
    Bad("inputs-not-numbers", sets(inputs=[[1, 2], [3, None], [5, 6]]), ("inputs", 1, 1), "number"),
    Bad("targets-count", sets(targets=[[1], [0]]), ("targets",), "one row per input"),
    Bad("targets-width", sets(targets=[[1, 0], [0, 1], [1, 0]]), ("targets", 0), "1"),
    Bad("bce-target-2", sets(targets=[[1], [2], [1]]), ("targets", 1, 0), "[0, 1]"),
    Bad("empty", sets(inputs=[], targets=[]), ("inputs",), "non-empty"),
    Bad(
        "nan-input",
        lambda b, lim: json.dumps(b).replace("[3, 4]", "[3, NaN]").encode(),
        ("inputs", 1, 1),
        "finite",
    ),
    Bad(
        "too-many-gradients",
        too_many_gradients,
        ("inputs",),
        lambda lim: str(lim["max_batch_gradients"]),
    ),
    Bad(
        "too-many-rows",
        lambda b, lim: b.update(
            inputs=[[0, 0]] * (lim["max_samples"] + 1), targets=[[0]] * (lim["max_samples"] + 1)
        ),
        ("inputs",),
        lambda lim: str(lim["max_samples"]),
    ),
    Bad("learning-rate-zero", sets(learning_rate=0), ("learning_rate",), "greater than 0"),
    Bad("unknown-reduction", sets(reduction="median"), ("reduction",), "mean"),
]


@pytest.mark.parametrize("case", BAD_BATCH, ids=lambda c: c.id)
def test_bad_batch_body_is_a_422_naming_the_field(
    client: httpx.Client, training_limits: Limits, capabilities: dict[str, Any], case: Bad
) -> None:
    limits = training_limits
    body = batch_body()
    edited = case.edit(body, limits)
    content = edited if isinstance(edited, bytes) else json.dumps(body).encode()
    r = client.post(BATCH, content=content)
    msg = case.msg_has(limits) if callable(case.msg_has) else case.msg_has
    assert_error(r, 422, case.loc, msg)


def test_the_limits_are_published(training_limits: Limits) -> None:
    for key in (
        "max_samples",
        "max_epochs",
        "max_epoch_samples",
        "max_grid",
        "max_report_cells",
        "max_train_seconds",
        "max_batch_gradients",
    ):
        assert isinstance(training_limits[key], (int, float)) and training_limits[key] > 0, key


# 6-8. The run's end: wall time, divergence, a client that goes away.


def test_a_run_paused_mid_epoch_streams_to_the_end(client: httpx.Client) -> None:
    """10,000 mini-batches an epoch: the server stops a slice between two of them (at a
    heartbeat) and resumes the epoch in its next slice; the stream must still end in done."""
    body = run(
        SIGMOID_NET,
        {"name": "xor", "samples": 10_000, "seed": 1, "test_ratio": 0},
        batch_size=1,
        epochs=2,
        report_every=2,
        grid=0,
    )
    try:
        events = train_events(client, body)
    except httpx.RemoteProtocolError as exc:
        pytest.fail(f"the server cut the stream short: {exc}")
    types = ["start", "epoch", "snapshot", "epoch", "snapshot", "done"]
    assert [e["type"] for e in events] == types
    assert events[-1]["step"] == 20_000


@pytest.fixture(scope="module")
def capped_server() -> Iterator[str]:
    """A server whose streams may run for 1 s."""
    with running_uvicorn(env={"BACKPROP_VIZ_MAX_TRAIN_SECONDS": "1"}) as (base, _):
        yield base


def long_run(name: str = "spiral") -> Body:
    """Minutes of training if nothing stops it: full-batch steps on 8,000 points, tens of
    milliseconds an epoch. Full batches keep the run off the mid-epoch pause that
    test_a_run_paused_mid_epoch_streams_to_the_end is about (a heartbeat comes only every
    256 steps, seconds away here), so these tests see the cap and the cancellation alone."""
    net = {
        "layers": [2, 32, 32, 1],
        "activations": ["tanh", "tanh", "sigmoid"],
        "loss": "binary_cross_entropy",
        "seed": 1,
    }
    return run(
        net,
        {"name": name, "samples": 10_000, "seed": 1, "test_ratio": 0.2},
        epochs=6000,
        report_every=1000,
        grid=10,
        batch_size=8000,
    )


@pytest.mark.parametrize("fmt", ["ndjson", "sse"])
def test_wall_time_cap_ends_the_stream_cleanly(capped_server: str, fmt: str) -> None:
    with httpx.Client(base_url=capped_server, timeout=20.0) as c:
        caps = c.get("/api/v1/capabilities").json()
        assert caps["limits"]["max_train_seconds"] == 1
        body = long_run()
        assert body["epochs"] * 8000 <= caps["limits"]["max_epoch_samples"]
        started = time.monotonic()
        events = train_events(c, body, fmt)
        elapsed = time.monotonic() - started
    assert elapsed < 4, elapsed
    assert [e["type"] for e in events[-2:]] == ["error", "done"]
    error, done = events[-2], events[-1]
    assert len(only(events, "error")) == 1 and len(only(events, "done")) == 1
    assert "1 s" in error["reason"]
    assert error["code"] == "time_limit" and error["ctx"] == {"limit": 1}  # for the page's words
    assert done["reason"] == "time_limit"
    assert (done["epoch"], done["step"]) == (error["epoch"], error["step"])
    assert 0 < done["epoch"] < body["epochs"]
    assert not non_finite(numbers_of(done)), done  # test_ratio 0.5: every number is there


def diverging(batch_size: int) -> Body:
    return run(
        LINEAR_NET,
        {"name": "plane", "samples": 200, "seed": 1, "test_ratio": 0.5},
        optimizer="sgd",
        learning_rate=1000,
        batch_size=batch_size,
        epochs=200,
        report_every=1,
        grid=4,
    )


@pytest.mark.parametrize(
    "batch_size",
    [
        pytest.param(10, id="weights-overflow"),  # θ stops being finite within an epoch
        pytest.param(100, id="full-batch"),  # θ grows past max_abs_value, still finite
    ],
)
def test_divergence_is_reported_and_every_number_stays_finite(
    client: httpx.Client, batch_size: int
) -> None:
    body = diverging(batch_size)
    r = post_json(client, TRAIN, body)
    assert r.status_code == 200
    events = [strict_loads(line) for line in r.text.splitlines()]
    assert [e["type"] for e in events[-2:]] == ["diverged", "done"]
    diverged, done = events[-2], events[-1]
    assert len(only(events, "diverged")) == 1
    assert diverged["reason"]
    assert diverged["code"] in ("loss_not_finite", "parameter_not_finite", "parameter_too_large")
    assert done["reason"] == "diverged"
    # done is the last snapshot, the θ the run went back to, and says so consistently.
    last = only(events, "snapshot")[-1]
    where = (last["epoch"], last["step"])
    assert (diverged["restored_epoch"], diverged["restored_step"]) == where
    assert (done["epoch"], done["step"]) == where
    assert done["network"] == last["network"] and done["next_batch"] == last["next_batch"]
    assert diverged["epoch"] > done["epoch"]
    for e in events:
        assert not non_finite(numbers_of(e)), e
    for key in ("train_loss", "test_loss"):
        assert isinstance(done[key], float), done


def test_divergence_on_the_last_step_of_max_steps_is_still_divergence(
    client: httpx.Client,
) -> None:
    """Stopped by max_steps on the very step whose loss overflows: diverged, then a done
    that says so and carries its losses."""
    body = diverging(100)
    events = train_events(client, body)
    diverged = only(events, "diverged")
    assert diverged and diverged[0]["reason"]
    events = train_events(client, {**body, "max_steps": diverged[0]["step"]})
    assert [e["type"] for e in events[-2:]] == ["diverged", "done"]
    done = events[-1]
    assert done["reason"] == "diverged", done
    assert "train_loss" in done and "test_loss" in done, done
