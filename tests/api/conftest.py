"""One real uvicorn server for the whole API suite, and an httpx client that talks to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest


@pytest.fixture(scope="session")
def client(base_url: str) -> Iterator[httpx.Client]:
    # A timeout on every request: "never a hang" is part of the contract.
    with httpx.Client(base_url=base_url, timeout=20.0) as c:
        yield c


@pytest.fixture(scope="session")
def capabilities(client: httpx.Client) -> dict[str, Any]:
    r = client.get("/api/v1/capabilities")
    assert r.status_code == 200
    return r.json()


@pytest.fixture(scope="session")
def limits(capabilities: dict[str, Any]) -> dict[str, Any]:
    return capabilities["limits"]


@pytest.fixture(scope="session")
def preset_names(client: httpx.Client) -> list[str]:
    r = client.get("/api/v1/presets")
    assert r.status_code == 200
    return [p["name"] for p in r.json()]
