"""The browser suite's page and API client fixtures, for the JavaScript examples, with this
package's own Chromium (tests/server.py's chromium(): one at a time)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import api, page, page_log
from tests.server import chromium

__all__ = ["api", "browser", "page", "page_log"]


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b
