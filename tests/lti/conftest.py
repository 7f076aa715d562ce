"""The LTI tests' stack: the test platform (tests/lti/platform.py) and the tool (the app with
LTI on: a registration of that platform and a key of its own, written to a temporary
directory), and Chromium for the flows a browser walks."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser

from tests.lti.platform import Platform, rsa_pem, running_platform
from tests.server import chromium, free_port, running_uvicorn


def unreachable() -> dict[str, Any]:
    """A second registered platform whose key set no one serves (a port just closed)."""
    base = f"http://127.0.0.1:{free_port()}"
    return {
        "issuer": "https://unreachable.example",
        "client_id": "client-of-unreachable",
        "deployment_ids": ["deployment-1"],
        "auth_login_url": base + "/auth",
        "auth_token_url": base + "/token",
        "key_set_url": base + "/jwks",
    }


UNREACHABLE = unreachable()


@dataclass
class Stack:
    platform: Platform
    tool: str  # the tool's base URL, as the platform knows it
    tool_pem: str  # the tool's private key (the test's oracle for its kid and public key)
    env: dict[str, str]  # what turned LTI on: for another process of the same tool


def lti_env(
    platform: Platform,
    directory: Path,
    tool_pem: str | None = None,
    others: tuple[dict[str, Any], ...] = (),
) -> dict[str, str]:
    """The settings that register `platform` (and `others`) with the tool:
    BACKPROP_VIZ_LTI_PLATFORMS (a JSON list of registrations) and
    BACKPROP_VIZ_LTI_PRIVATE_KEY (a PEM), as files in `directory`."""
    registrations = directory / "platforms.json"
    registrations.write_text(json.dumps([platform.registration(), *others], indent=2))
    key = directory / "tool.pem"
    key.write_text(tool_pem or rsa_pem())
    key.chmod(0o600)
    return {
        "BACKPROP_VIZ_LTI_PLATFORMS": str(registrations),
        "BACKPROP_VIZ_LTI_PRIVATE_KEY": str(key),
    }


@pytest.fixture(scope="package")
def lti(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The platform (on localhost) and one tool process (on 127.0.0.1) that trusts it. One
    worker: a tool that waited for the platform inside its event loop would hang here (the
    platform fetches the tool's key set while the tool waits for its token)."""
    with running_platform() as platform:
        directory = tmp_path_factory.mktemp("lti")
        pem = rsa_pem()
        env = lti_env(platform, directory, pem, (UNREACHABLE,))
        with running_uvicorn(env=env) as (tool, _):
            platform.tool = tool
            yield Stack(platform, tool, pem, env)


@pytest.fixture
def clean(lti: Stack) -> Iterator[Platform]:
    """The platform, with a check after the test that it refused nothing it was sent."""
    before = len(lti.platform.problems)
    yield lti.platform
    assert lti.platform.problems[before:] == []


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def tool_client(lti: Stack) -> Iterator[httpx.Client]:
    """httpx on the tool; no redirects followed, cookies kept by hand (the state cookie is
    Secure, which httpx's jar holds back from http://)."""
    with httpx.Client(base_url=lti.tool, timeout=30, follow_redirects=False) as c:
        yield c
