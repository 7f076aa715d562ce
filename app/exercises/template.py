"""An exercise as the package holds it: its network's shape, how its values are drawn from a
seed, and its questions (read from a template's JSON by reading.py)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import orjson

from app.engine import Limits
from app.exercises.targets import Target

MOVES = (
    "forward",
    "loss",
    "backward-output",
    "backward-hidden",
    "gradient",
    "update",
    "whole-step",
)
KINDS = ("number", "sign", "choice")
SIGNS = ("+", "-", "0")

Array = np.ndarray
NUMBER = re.compile(rb"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def numbers_in(text: bytes) -> list[float]:
    """Every number written in a JSON text, without its sign (the digits of "q1" too)."""
    return [float(m) for m in NUMBER.findall(text)]


@dataclass(frozen=True)
class Tolerance:
    """A number answer is right when |given − expected| ≤ max(abs, rel·|expected|)."""

    abs: float = 5e-4
    rel: float = 0.005

    def of(self, expected: float) -> float:
        return max(self.abs, self.rel * abs(expected))

    def to_json(self) -> dict[str, float]:
        return {"abs": self.abs, "rel": self.rel}


DEFAULT_TOLERANCE = Tolerance()


@dataclass(frozen=True)
class Draw:
    """How one layer's values (or the input, target, η) come from the seed: whole multiples
    of 10^−digits from min to max (0 left out unless `zero`), fixed values, or a one-hot
    target."""

    low: int = 0  # min · 10^digits
    high: int = 0
    digits: int = 0
    zero: bool = False
    fixed: Any = None
    one_hot: bool = False

    def sample(self, rng: np.random.Generator, shape: tuple[int, ...]) -> Array:
        if self.fixed is not None:
            return np.asarray(self.fixed, dtype=np.float64)
        if self.one_hot:
            out = np.zeros(shape)
            out[int(rng.integers(0, shape[0]))] = 1.0
            return out
        skip = not self.zero and self.low <= 0 <= self.high  # 0 is on the grid, left out
        k = self.low + rng.integers(0, self.high - self.low + 1 - int(skip), size=shape)
        if skip:
            k = np.where(k >= 0, k + 1, k)
        return np.round(k / 10**self.digits, self.digits)

    @property
    def largest(self) -> float:
        if self.fixed is not None:
            return float(np.max(np.abs(np.asarray(self.fixed, dtype=np.float64)), initial=0.0))
        if self.one_hot:
            return 1.0
        return max(abs(self.low), abs(self.high)) / 10**self.digits


@dataclass(frozen=True)
class Question:
    id: str
    kind: str  # number | sign | choice
    target: Target  # a choice's: the quantity compared (and its layer, when shared)
    prompt: dict[str, str]
    tolerance: Tolerance | None = None  # number only
    options: tuple[Target, ...] = ()  # choice only; their values are "1", "2", …

    @property
    def option_values(self) -> list[str]:
        return [str(k) for k in range(1, len(self.options) + 1)]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "target": self.target.to_json(),
            "prompt": self.prompt,
        }
        if self.tolerance is not None:
            out["tolerance"] = self.tolerance.to_json()
        if self.options:
            out["options"] = [
                {"value": value, "target": option.to_json(), "label": option.name()}
                for value, option in zip(self.option_values, self.options, strict=True)
            ]
        return out


@dataclass(frozen=True)
class Exercise:
    id: str
    move: str
    title: dict[str, str]
    layers: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str
    weights: tuple[Draw, ...]  # one per layer l = 1 … L
    biases: tuple[Draw, ...]
    input: Draw
    target: Draw
    learning_rate: Draw
    questions: tuple[Question, ...]
    source: str  # the file it was read from, for messages

    @cached_property
    def questions_json(self) -> list[dict[str, Any]]:
        return [q.to_json() for q in self.questions]

    @cached_property
    def shown_numbers(self) -> frozenset[float]:
        """The numbers every variant shows besides its drawn values and seed: digits in the
        id and title, the questions' tolerances, layers, neurons, ids (variant.py's rule)."""
        static = {"id": self.id, "title": self.title, "questions": self.questions_json}
        return frozenset(numbers_in(orjson.dumps(static)))

    @property
    def salt(self) -> int:
        """Mixed into the seed: the same seed gives other numbers in another exercise."""
        return zlib.crc32(self.id.encode())

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "move": self.move}

    def draw(self, rng: np.random.Generator) -> dict[str, Any]:
        """One trace request (the body of POST /api/v1/trace) with values from `rng`."""
        shapes = list(zip(self.layers[1:], self.layers[:-1], strict=True))
        weights = [d.sample(rng, s).tolist() for d, s in zip(self.weights, shapes, strict=True)]
        biases = [d.sample(rng, (s[0],)).tolist() for d, s in zip(self.biases, shapes, strict=True)]
        x = self.input.sample(rng, (self.layers[0],)).tolist()
        t = self.target.sample(rng, (self.layers[-1],)).tolist()
        eta = float(self.learning_rate.sample(rng, ()))
        return {
            "network": {
                "layers": list(self.layers),
                "activations": list(self.activations),
                "loss": self.loss,
                "weights": weights,
                "biases": biases,
            },
            "input": x,
            "target": t,
            "learning_rate": eta,
            "freeze_biases": False,
        }

    def fits(self, limits: Limits) -> str | None:
        """Why the server's limits refuse this exercise's networks, or None."""
        if len(self.layers) > limits.max_layers or max(self.layers) > limits.max_neurons:
            return "its network is larger than the server's limits"
        draws = (*self.weights, *self.biases, self.input, self.target)
        if max(d.largest for d in draws) > limits.max_abs_value:
            return "its values may exceed BACKPROP_VIZ_MAX_ABS_VALUE"
        if self.learning_rate.largest > limits.max_learning_rate:
            return "its η may exceed BACKPROP_VIZ_MAX_LEARNING_RATE"
        return None
