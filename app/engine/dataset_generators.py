"""The data-set generators: the 2-D sets of TensorFlow Playground (the geometry of its
dataset.ts), plus moons and three_class, drawn with numpy from a seed. What a run makes of
them (features, targets, the split) is training_data.py's.

Playground's labels +1/−1 become our classes 1/0. Every generator draws its noise even
when noise is 0, so one seed gives the same underlying points at every noise level: moving
the noise slider perturbs the same picture rather than drawing a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray

EXTENT = ((-6.0, 6.0), (-6.0, 6.0))  # the plane the page and the boundary grid show
MAX_NOISE = 0.5  # Playground's noise slider, 0..50, divided by 100


@dataclass(frozen=True)
class DatasetKind:
    name: str
    kind: str  # "classification" | "regression"
    classes: int | None  # 2 or 3 for classification, None for regression
    description: str  # one line, for the capabilities list


def _halves(samples: int) -> tuple[int, int]:
    # Playground loops `i < numSamples / 2` for each half; with an odd count the first half
    # takes the extra point so the total is exactly `samples`.
    first = (samples + 1) // 2
    return first, samples - first


def _circle(rng: np.random.Generator, samples: int, noise: float) -> tuple[Array, Array]:
    # classifyCircleData: class 1 inside r < 2.5, class 0 in the ring 3.5 ≤ r < 5, labelled
    # at the point displaced by noise, so noise mislabels points near the gap.
    radius = 5.0
    inner, outer = _halves(samples)
    low = np.repeat([0.0, 0.7 * radius], (inner, outer))
    high = np.repeat([0.5 * radius, radius], (inner, outer))
    r = rng.uniform(low, high)
    angle = rng.uniform(0.0, 2 * np.pi, samples)
    x = np.column_stack((r * np.sin(angle), r * np.cos(angle)))
    displaced = x + rng.uniform(-radius, radius, (samples, 2)) * noise
    labels = (np.hypot(displaced[:, 0], displaced[:, 1]) < 0.5 * radius).astype(np.float64)
    return x, labels


def _xor(rng: np.random.Generator, samples: int, noise: float) -> tuple[Array, Array]:
    # classifyXORData: the padding keeps points off the axes, where the label flips.
    padding = 0.3
    x = rng.uniform(-5.0, 5.0, (samples, 2))
    x += np.where(x > 0, padding, -padding)
    displaced = x + rng.uniform(-5.0, 5.0, (samples, 2)) * noise
    labels = (displaced[:, 0] * displaced[:, 1] >= 0).astype(np.float64)
    return x, labels


def _gauss(rng: np.random.Generator, samples: int, noise: float) -> tuple[Array, Array]:
    # classifyTwoGaussData: noise widens both blobs, variance 0.5 → 4 as noise goes 0 → 0.5.
    variance = 0.5 + (4.0 - 0.5) * noise / MAX_NOISE
    positive, negative = _halves(samples)
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], (positive, negative), axis=0)
    x = centres + np.sqrt(variance) * rng.standard_normal((samples, 2))
    labels = np.repeat([1.0, 0.0], (positive, negative))
    return x, labels


def _spiral(rng: np.random.Generator, samples: int, noise: float) -> tuple[Array, Array]:
    # classifySpiralData: two arms r = 5·i/n, t = 1.75·2π·i/n + deltaT, noise jitters the
    # positions (labels stay with their arm).
    arms = []
    for n, delta_t in zip(_halves(samples), (0.0, np.pi), strict=True):
        fraction = np.arange(n) / n
        r = fraction * 5.0
        t = 1.75 * fraction * 2 * np.pi + delta_t
        arms.append(np.column_stack((r * np.sin(t), r * np.cos(t))))
    x = np.concatenate(arms) + rng.uniform(-1.0, 1.0, (samples, 2)) * noise
    labels = np.repeat([1.0, 0.0], _halves(samples))
    return x, labels


def _moons(rng: np.random.Generator, samples: int, noise: float) -> tuple[Array, Array]:
    # sklearn's make_moons geometry (outer moon class 0, inner class 1), but with t drawn
    # uniformly; x ∈ [−1, 2], y ∈ [−0.5, 1] is mapped by ×4 onto about [−6, 6] × [−3, 3].
    # Noise moves positions by U(−1, 1)·5·noise per coordinate (at most ±2.5), uniform like
    # the Playground's spiral noise, so points stay bounded.
    outer, _ = _halves(samples)
    t = rng.uniform(0.0, np.pi, samples)
    is_inner = np.arange(samples) >= outer
    x = np.column_stack(
        (
            np.where(is_inner, 1.0 - np.cos(t), np.cos(t)),
            np.where(is_inner, 1.0 - np.sin(t) - 0.5, np.sin(t)),
        )
    )
    x = (x - [0.5, 0.25]) * 4.0
    x += rng.uniform(-1.0, 1.0, (samples, 2)) * 5.0 * noise
    return x, is_inner.astype(np.float64)


def _three_class(rng: np.random.Generator, samples: int, noise: float) -> tuple[Array, Array]:
    # Three blobs at 120° on a circle of radius 3.5, about 6.1 apart: at std 0.5 (noise 0)
    # the classes are separated by over 6σ, for softmax and cross-entropy.
    counts = [samples // 3 + (k < samples % 3) for k in range(3)]
    angles = np.pi / 2 + 2 * np.pi / 3 * np.arange(3)
    centres = 3.5 * np.column_stack((np.cos(angles), np.sin(angles)))
    labels = np.repeat([0.0, 1.0, 2.0], counts)
    x = centres[labels.astype(int)] + (0.5 + 2.0 * noise) * rng.standard_normal((samples, 2))
    return x, labels


def _plane(rng: np.random.Generator, samples: int, noise: float) -> tuple[Array, Array]:
    # regressPlane: labelScale maps x + y from [−10, 10] to [−1, 1]; x + y reaches ±12 (more
    # with noise), so we clip where the Playground lets the label run past ±1.
    radius = 6.0
    x = rng.uniform(-radius, radius, (samples, 2))
    displaced = x + rng.uniform(-radius, radius, (samples, 2)) * noise
    labels = np.clip(displaced.sum(axis=1) / 10.0, -1.0, 1.0)
    return x, labels


# regressGaussian's six bumps (cx, cy, sign), alternating like a checkerboard.
_GAUSSIANS = np.array(
    [
        [-4.0, 2.5, 1.0],
        [0.0, 2.5, -1.0],
        [4.0, 2.5, 1.0],
        [-4.0, -2.5, -1.0],
        [0.0, -2.5, 1.0],
        [4.0, -2.5, -1.0],
    ]
)


def _multi_gauss(rng: np.random.Generator, samples: int, noise: float) -> tuple[Array, Array]:
    # regressGaussian: each bump is sign·(1 − distance/2) clamped to [0, 1]; the label is the
    # bump largest in absolute value (the first on ties, as its loop keeps only a strictly
    # larger one; the bumps' supports do not overlap anyway).
    radius = 6.0
    x = rng.uniform(-radius, radius, (samples, 2))
    displaced = x + rng.uniform(-radius, radius, (samples, 2)) * noise
    dist = np.hypot(
        displaced[:, 0, None] - _GAUSSIANS[:, 0], displaced[:, 1, None] - _GAUSSIANS[:, 1]
    )
    bumps = _GAUSSIANS[:, 2] * np.clip(1.0 - dist / 2.0, 0.0, 1.0)  # (samples, 6)
    labels = bumps[np.arange(samples), np.argmax(np.abs(bumps), axis=1)]
    return x, labels


DrawSet = Callable[[np.random.Generator, int, float], tuple[Array, Array]]

# One row per set: its public record beside the function that draws it.
_TABLE: tuple[tuple[DatasetKind, DrawSet], ...] = (
    (DatasetKind("circle", "classification", 2, "A disc inside a ring."), _circle),
    (DatasetKind("xor", "classification", 2, "Four quadrants, opposite ones alike."), _xor),
    (DatasetKind("gauss", "classification", 2, "Two Gaussian blobs."), _gauss),
    (DatasetKind("spiral", "classification", 2, "Two interleaved spiral arms."), _spiral),
    (DatasetKind("moons", "classification", 2, "Two interleaving half circles."), _moons),
    (
        DatasetKind("three_class", "classification", 3, "Three Gaussian blobs, one per class."),
        _three_class,
    ),
    (
        DatasetKind("plane", "regression", None, "A tilted plane: the target grows with x + y."),
        _plane,
    ),
    (
        DatasetKind("multi_gauss", "regression", None, "Six bumps of alternating sign."),
        _multi_gauss,
    ),
)

DATASETS: dict[str, DatasetKind] = {kind.name: kind for kind, _ in _TABLE}
_GENERATORS: dict[str, DrawSet] = {kind.name: draw for kind, draw in _TABLE}


def generate(name: str, samples: int, noise: float, seed: int) -> tuple[Array, Array]:
    """x: (samples, 2) float64 points in about [-6, 6]²; labels: (samples,) float64:
    class index 0..classes-1 (as floats 0.0/1.0/2.0) for classification, a real in [-1, 1]
    for regression.

    Inputs are assumed valid (name in DATASETS, 1 ≤ samples ≤ 10000, 0 ≤ noise ≤ MAX_NOISE,
    seed ≥ 0). The same arguments give bit-identical output. Points come shuffled by a seeded
    permutation so the classes are interleaved.
    """
    rng = np.random.default_rng(seed)
    x, labels = _GENERATORS[name](rng, samples, noise)
    order = rng.permutation(samples)
    return x[order], labels[order]
