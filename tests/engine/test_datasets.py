"""Data sets: shapes and ranges for every set, reproducibility from the seed, and each set's
geometry at noise 0 checked against its defining formula (the Playground's dataset.ts)."""

import numpy as np
import pytest

from app.engine import DATASETS, EXTENT, MAX_NOISE, generate

NAMES = list(DATASETS)
CLASSIFICATION = [n for n, d in DATASETS.items() if d.kind == "classification"]
# Sets built from equal parts (halves, or thirds for three_class), balanced to within one point.
BALANCED = ["circle", "gauss", "spiral", "moons", "three_class"]


def test_the_table_lists_every_set_once():
    assert NAMES == [
        "circle",
        "xor",
        "gauss",
        "spiral",
        "moons",
        "three_class",
        "plane",
        "multi_gauss",
    ]
    for name, kind in DATASETS.items():
        assert kind.name == name
        assert kind.kind in ("classification", "regression")
        assert kind.classes == ({"three_class": 3}.get(name, 2) if name in CLASSIFICATION else None)
        assert kind.description and "\n" not in kind.description
    assert EXTENT == ((-6.0, 6.0), (-6.0, 6.0)) and MAX_NOISE == 0.5


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("noise", [0.0, 0.25, MAX_NOISE])
@pytest.mark.parametrize("samples", [1, 2, 7, 501])
def test_shapes_dtype_and_label_range(name, noise, samples):
    x, labels = generate(name, samples, noise, seed=3)
    assert x.shape == (samples, 2) and labels.shape == (samples,)
    assert x.dtype == np.float64 and labels.dtype == np.float64
    assert np.isfinite(x).all() and np.isfinite(labels).all()
    classes = DATASETS[name].classes
    if classes is None:
        assert (np.abs(labels) <= 1.0).all()
    else:
        assert set(np.unique(labels)) <= set(map(float, range(classes)))


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_every_class_is_present(name):
    _, labels = generate(name, 500, 0.0, seed=1)
    assert np.unique(labels).tolist() == list(map(float, range(DATASETS[name].classes)))


@pytest.mark.parametrize("name", BALANCED)
@pytest.mark.parametrize("samples", [300, 301, 302])
def test_parts_are_balanced_within_one(name, samples):
    _, labels = generate(name, samples, 0.0, seed=2)
    counts = np.bincount(labels.astype(int))
    assert counts.sum() == samples and counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_is_bit_identical_and_another_seed_differs(name):
    x, labels = generate(name, 200, 0.3, seed=11)
    x_again, labels_again = generate(name, 200, 0.3, seed=11)
    assert x.tobytes() == x_again.tobytes() and labels.tobytes() == labels_again.tobytes()
    x_other, _ = generate(name, 200, 0.3, seed=12)
    assert not np.array_equal(x, x_other)


@pytest.mark.parametrize("name", NAMES)
def test_points_are_shuffled(name):
    _, labels = generate(name, 400, 0.0, seed=4)
    # Ordered halves would have one label change; interleaved labels change often.
    if DATASETS[name].kind == "classification":
        assert np.count_nonzero(np.diff(labels)) > 50


@pytest.mark.parametrize("name", NAMES)
def test_points_stay_near_the_plane_at_noise_0(name):
    x, _ = generate(name, 2000, 0.0, seed=5)
    assert (np.abs(x) <= 6.5).all()


def radius(x):
    return np.hypot(x[:, 0], x[:, 1])


def test_circle_is_a_disc_inside_a_ring():
    x, labels = generate("circle", 1000, 0.0, seed=0)
    r = radius(x)
    assert (r[labels == 1] < 2.5).all()
    assert (r[labels == 0] >= 3.5).all() and (r <= 5.0).all()


def test_circle_noise_mislabels_but_does_not_move_points():
    x, clean = generate("circle", 1000, 0.0, seed=0)
    x_noisy, noisy = generate("circle", 1000, MAX_NOISE, seed=0)
    assert np.array_equal(x, x_noisy)  # the same seed draws the same points at any noise
    assert 0 < np.count_nonzero(clean != noisy) < 500


def test_xor_labels_by_quadrant_away_from_the_axes():
    x, labels = generate("xor", 1000, 0.0, seed=0)
    assert np.array_equal(labels, (x[:, 0] * x[:, 1] >= 0).astype(float))
    assert (np.abs(x) >= 0.3).all() and (np.abs(x) <= 5.3).all()


def test_xor_noise_flips_some_labels():
    x, labels = generate("xor", 1000, MAX_NOISE, seed=0)
    assert np.count_nonzero(labels != (x[:, 0] * x[:, 1] >= 0)) > 0


@pytest.mark.parametrize(("noise", "std"), [(0.0, np.sqrt(0.5)), (MAX_NOISE, 2.0)])
def test_gauss_blobs_sit_at_plus_and_minus_two(noise, std):
    x, labels = generate("gauss", 2000, noise, seed=0)
    for label, centre in ((1.0, 2.0), (0.0, -2.0)):
        blob = x[labels == label]
        assert np.abs(blob.mean(axis=0) - centre).max() < 0.3
        assert blob.std(axis=0) == pytest.approx([std, std], rel=0.1)


@pytest.mark.parametrize("samples", [400, 401])
def test_spiral_points_lie_on_their_arm(samples):
    x, labels = generate("spiral", samples, 0.0, seed=0)
    r = radius(x)
    assert (r <= 5.0).all()
    delta_t = np.where(labels == 1, 0.0, np.pi)
    t = 1.75 * 2 * np.pi * r / 5.0 + delta_t
    assert np.abs(x[:, 0] - r * np.sin(t)).max() < 1e-9
    assert np.abs(x[:, 1] - r * np.cos(t)).max() < 1e-9
    # Radii step by 5/n along each arm: r = 5·i/n for i = 0..n−1.
    for label, n in ((1.0, (samples + 1) // 2), (0.0, samples // 2)):
        assert np.sort(r[labels == label]) == pytest.approx(5.0 * np.arange(n) / n, abs=1e-12)


def test_spiral_noise_jitters_positions_by_at_most_noise():
    x, _ = generate("spiral", 400, 0.0, seed=0)
    x_noisy, _ = generate("spiral", 400, MAX_NOISE, seed=0)
    shift = np.abs(x_noisy - x)
    assert shift.max() <= MAX_NOISE and shift.max() > 0.4


def test_moons_lie_on_two_half_circles():
    x, labels = generate("moons", 1000, 0.0, seed=0)
    # Undo the map onto the plane: back to make_moons' coordinates.
    u, v = x[:, 0] / 4.0 + 0.5, x[:, 1] / 4.0 + 0.25
    outer, inner = labels == 0, labels == 1
    assert np.hypot(u[outer], v[outer]) == pytest.approx(1.0, abs=1e-12)
    assert (v[outer] >= 0).all()
    assert np.hypot(u[inner] - 1.0, v[inner] - 0.5) == pytest.approx(1.0, abs=1e-12)
    assert (v[inner] <= 0.5).all()
    assert (np.abs(x[:, 0]) <= 6.0).all() and (np.abs(x[:, 1]) <= 3.0).all()


def test_moons_noise_moves_points_by_at_most_five_times_noise():
    x, _ = generate("moons", 1000, 0.0, seed=0)
    x_noisy, _ = generate("moons", 1000, 0.2, seed=0)
    shift = np.abs(x_noisy - x)
    assert shift.max() <= 1.0 and shift.max() > 0.9


def test_three_class_blobs_sit_at_120_degrees_and_separate():
    x, labels = generate("three_class", 3000, 0.0, seed=0)
    angles = np.radians(90.0 + 120.0 * np.arange(3))
    centres = 3.5 * np.column_stack((np.cos(angles), np.sin(angles)))
    for k in range(3):
        blob = x[labels == k]
        assert np.abs(blob.mean(axis=0) - centres[k]).max() < 0.1
        assert blob.std(axis=0) == pytest.approx([0.5, 0.5], rel=0.1)
    # The nearest centre (the best linear rule here) classifies almost every point.
    nearest = np.argmin(np.linalg.norm(x[:, None, :] - centres, axis=2), axis=1)
    assert np.mean(nearest == labels) > 0.99


def test_plane_label_is_x_plus_y_over_ten():
    x, labels = generate("plane", 1000, 0.0, seed=0)
    assert np.array_equal(labels, np.clip((x[:, 0] + x[:, 1]) / 10.0, -1.0, 1.0))
    assert (np.abs(x) <= 6.0).all() and labels.min() == -1.0 and labels.max() == 1.0


def test_plane_noise_changes_labels_not_points():
    x, clean = generate("plane", 1000, 0.0, seed=0)
    x_noisy, noisy = generate("plane", 1000, MAX_NOISE, seed=0)
    assert np.array_equal(x, x_noisy) and not np.allclose(clean, noisy)


GAUSSIANS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]],
    dtype=float,
)


def test_multi_gauss_label_is_the_nearest_bump():
    x, labels = generate("multi_gauss", 4000, 0.0, seed=0)
    dist = np.linalg.norm(x[:, None, :] - GAUSSIANS[:, :2], axis=2)
    nearest = np.argmin(dist, axis=1)
    expected = GAUSSIANS[nearest, 2] * np.clip(1.0 - dist.min(axis=1) / 2.0, 0.0, 1.0)
    assert labels == pytest.approx(expected, abs=1e-12)
    # Near a centre the label approaches that bump's sign; far from all of them it is 0.
    close = dist.min(axis=1) < 0.1
    assert close.any()
    assert np.abs(labels[close] - GAUSSIANS[nearest[close], 2]).max() < 0.05
    assert (labels[dist.min(axis=1) >= 2.0] == 0.0).all()


def test_multi_gauss_noise_changes_labels_not_points():
    x, clean = generate("multi_gauss", 1000, 0.0, seed=0)
    x_noisy, noisy = generate("multi_gauss", 1000, MAX_NOISE, seed=0)
    assert np.array_equal(x, x_noisy) and not np.allclose(clean, noisy)


@pytest.mark.parametrize("name", NAMES)
def test_ten_thousand_points_are_quick_to_draw(name):
    x, labels = generate(name, 10_000, MAX_NOISE, seed=0)
    assert len(x) == len(labels) == 10_000
