"""Real servers and a real browser for the API and browser tests and the benchmarks: uvicorn
on a free loopback port, and Debian's Chromium launched the way this machine needs."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying to reach the internet,
# which this machine refuses (see ../shared/TESTING.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(
    url: str, proc: subprocess.Popen, timeout: float, log: Callable[[], str] = str
) -> None:
    """Poll `url` until it answers 200; fail, with `log()`, if `proc` exits first or
    `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}\n{log()}")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer in {timeout} s\n{log()}")
        time.sleep(0.1)


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it is still there after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def running_uvicorn(
    app: str = "app.main:app",
    *,
    extra_args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    ready_path: str = "/healthz",
    output: IO[bytes] | None = None,
    timeout: float = 30.0,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Start `python -m uvicorn app` in a subprocess; yield (base URL, process) once
    ready_path answers 200; stop it after."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            *extra_args,
        ],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + ready_path, proc, timeout)
        yield base, proc
    finally:
        stop(proc)


@contextlib.contextmanager
def running_server(
    env: dict[str, str] | None = None, timeout: float = 30.0, cwd: Path = ROOT
) -> Iterator[str]:
    """The app on a free loopback port; yields its base URL."""
    with running_uvicorn(env=env, timeout=timeout, cwd=cwd) as (base, _):
        yield base


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright's sync API. One at a time: the sync API runs an
    asyncio loop on this thread while it lives, so a second one, or asyncio.run() in a
    test, fails meanwhile. Hence the browser fixtures are scoped to their package (or
    module), not to the session."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
