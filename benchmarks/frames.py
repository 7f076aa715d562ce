"""What the page benchmarks share: a fresh 1280 × 800 page, ready, with its errors kept;
the nearest-rank percentile of frame intervals, input delays and paint times
(bench_page, bench_training_page, bench_large_page)."""

from __future__ import annotations

from playwright.sync_api import Browser, Page


def ready_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    """`url` in a fresh browser context at 1280 × 800, once the page says it is ready; the
    list fills with the page's uncaught errors (close with page.context.close())."""
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    return page, errors


def percentile(values: list[float], q: float) -> float:
    """The value at rank q (0…1) of the sorted values (nearest rank); nan when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
