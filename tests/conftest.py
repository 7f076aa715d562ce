"""Shared by every suite: one real uvicorn server for the session, and one Chromium.

One Chromium (one Playwright) for the whole session: Playwright's sync API runs its own
event loop, and a second one started while the first is alive (a suite's own browser
beside the browser suite's) fails with "using Playwright Sync API inside the asyncio loop".
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.server import CHROMIUM, CHROMIUM_ARGS, running_server


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with running_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
