"""Shared by the API and browser suites: one real uvicorn server for the session."""

from collections.abc import Iterator

import pytest

from tests.server import running_server


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with running_server() as url:
        yield url
