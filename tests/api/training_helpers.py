"""Shared by the training API tests: stream and data set readers, an independent numpy
oracle of the forward pass, the features and the losses (written here from the lecture's
formulas, not imported from app/), and a server process's CPU time."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import httpx
import numpy as np

from tests.api.helpers import NDJSON, SSE, post_json, read_ndjson, read_sse, strict_loads

TRAIN = "/api/v1/train/stream"
DATASET = "/api/v1/dataset"
BATCH = "/api/v1/trace/batch"

Array = np.ndarray
Event = dict[str, Any]


def train_events(client: httpx.Client, body: dict[str, Any], fmt: str = "ndjson") -> list[Event]:
    """The events of one training stream, read as they arrive (NDJSON or SSE)."""
    headers = {"accept": SSE} if fmt == "sse" else {}
    with client.stream("POST", TRAIN, content=json.dumps(body).encode(), headers=headers) as r:
        assert r.status_code == 200, r.read()
        assert r.headers["content-type"].split(";")[0].strip() == (SSE if fmt == "sse" else NDJSON)
        return read_sse(r) if fmt == "sse" else read_ndjson(r)


def dataset_of(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """POST /dataset with a training body's network and data set: the run's split."""
    r = post_json(client, DATASET, {"network": body["network"], "dataset": body["dataset"]})
    assert r.status_code == 200, r.text
    return strict_loads(r.text)


def only(events: list[Event], kind: str) -> list[Event]:
    return [e for e in events if e["type"] == kind]


def flat(network: dict[str, Any]) -> Array:
    """Every w and b of a network spec in one vector, to compare two networks."""
    parts = [np.ravel(w) for w in network["weights"]] + [np.ravel(b) for b in network["biases"]]
    return np.concatenate(parts)


def non_finite(node: Any) -> list[Any]:
    """Numbers that are not finite, or nulls, anywhere in a JSON value."""
    if node is None:
        return [None]
    if isinstance(node, dict):
        return [v for x in node.values() for v in non_finite(x)]
    if isinstance(node, list):
        return [v for x in node for v in non_finite(x)]
    if isinstance(node, float) and not np.isfinite(node):
        return [node]
    return []


# The oracle: the lecture's formulas in plain numpy, one row per example.


def _softmax(z: Array) -> Array:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ACTIVATION: dict[str, Callable[[Array], Array]] = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "linear": lambda z: z,
    "softmax": _softmax,
}

FEATURE: dict[str, Callable[[Array], Array]] = {
    "x1": lambda p: p[:, 0],
    "x2": lambda p: p[:, 1],
    "x1^2": lambda p: p[:, 0] * p[:, 0],
    "x2^2": lambda p: p[:, 1] * p[:, 1],
    "x1x2": lambda p: p[:, 0] * p[:, 1],
    "sin(x1)": lambda p: np.sin(p[:, 0]),
    "sin(x2)": lambda p: np.sin(p[:, 1]),
}


def features_of(points: Array, names: list[str]) -> Array:
    return np.column_stack([FEATURE[f](points) for f in names])


def forward(network: dict[str, Any], x: Array) -> tuple[Array, list[Array]]:
    """The output layer's z, and the a of every layer (input first), for rows x."""
    a = np.asarray(x, dtype=np.float64)
    activations = [a]
    z = a
    for w, b, name in zip(
        network["weights"], network["biases"], network["activations"], strict=True
    ):
        z = a @ np.asarray(w).T + np.asarray(b)
        a = ACTIVATION[name](z)
        activations.append(a)
    return z, activations


def example_losses(network: dict[str, Any], x: Array, t: Array) -> Array:
    """lⁿ of every row: BCE through ln σ(z) = −ln(1 + e^−z), CE through ln softmax."""
    z, activations = forward(network, x)
    a, t = activations[-1], np.asarray(t, dtype=np.float64)
    loss = network["loss"]
    if loss == "binary_cross_entropy":
        log_a, log_1_a = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
        return -np.mean(t * log_a + (1.0 - t) * log_1_a, axis=1)
    if loss == "cross_entropy":
        log_softmax = z - np.logaddexp.reduce(z, axis=1, keepdims=True)
        return -np.sum(t * log_softmax, axis=1)
    if loss == "squared_error":
        return 0.5 * np.sum((a - t) ** 2, axis=1)
    if loss == "mse":
        return np.mean((a - t) ** 2, axis=1)
    raise AssertionError(f"no oracle for {loss}")


def accuracy(network: dict[str, Any], x: Array, labels: Array) -> float:
    _, activations = forward(network, x)
    a = activations[-1]
    predicted = (a[:, 0] >= 0.5) if a.shape[1] == 1 else a.argmax(axis=1)
    return float(np.mean(predicted == np.asarray(labels)))


# A server's CPU time, from the kernel's accounting (all of its threads).

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, in seconds (/proc/<pid>/stat fields 14 and 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS
