"""This package's own Chromium (tests/server.py's chromium(): one at a time)."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.server import chromium


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b
