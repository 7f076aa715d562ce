"""Browser tests: a real uvicorn server (session-wide) and Debian's Chromium via Playwright.

Chromium comes from apt (/usr/bin/chromium); `playwright install` cannot download browsers
here. Each test gets a fresh page at 1280×800 that records console errors, page errors and
failed responses, so a test can assert there were none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.server import chromium

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FAST = 1000  # playback speed multiplier for run(): the whole step animates in a blink


@dataclass
class PageLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    responses: list[tuple[int, str]] = field(default_factory=list)

    def failed(self) -> list[tuple[int, str]]:
        return [(s, u) for s, u in self.responses if s >= 400]


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=20.0) as client:
        yield client


def open_page(browser: Browser, url: str, log: PageLog, **context_options: Any) -> Page:
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **context_options})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    page.on("response", lambda r: log.responses.append((r.status, r.url)))
    page.goto(url)
    page.wait_for_function("() => document.body.dataset.ready === 'true'")
    return page


@pytest.fixture
def open_path(browser: Browser, base_url: str, page_log: PageLog) -> Iterator[Callable[..., Page]]:
    """open_page on a path of the test server, each page's context closed at the test's end."""
    pages: list[Page] = []

    def open_(path: str, **context: Any) -> Page:
        p = open_page(browser, base_url + path, page_log, **context)
        pages.append(p)
        return p

    yield open_
    for p in pages:
        p.context.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Browser, base_url: str, page_log: PageLog) -> Iterator[Page]:
    p = open_page(browser, base_url + "/", page_log)
    yield p
    p.context.close()


@pytest.fixture
def pages() -> Iterator[list[Page]]:
    """Pages a test opens in contexts of their own; closed after it."""
    opened: list[Page] = []
    yield opened
    for p in opened:
        p.context.close()


# The training view's state, as the tests of it wait on and read it.
TRAINING = "() => window.backpropViz.store.state.training"
DATA_READY = "() => { const t = window.backpropViz.store.state.training; return !!(t && t.data); }"
IDLE = "() => !window.backpropViz.training().running"


@pytest.fixture
def tpage(browser: Browser, base_url: str, page_log: PageLog) -> Iterator[Page]:
    """The page with the training view open and its data loaded (its default network and XOR)."""
    p = open_page(browser, base_url + "/?view=training", page_log)
    p.wait_for_function(DATA_READY)
    yield p
    p.context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
