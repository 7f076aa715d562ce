"""What the page benchmarks share: the nearest-rank percentile of frame intervals, input
delays and paint times (bench_page, bench_training_page, bench_large_page)."""

from __future__ import annotations


def percentile(values: list[float], q: float) -> float:
    """The value at rank q (0…1) of the sorted values (nearest rank); nan when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
