"""`backprop-viz` (app/cli.py): its defaults from BACKPROP_VIZ_*, flags over them; with two
workers /metrics sums both (prometheus_client's multiprocess mode), and SIGTERM ends open
streams with their final events before the server exits."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import cli
from tests.api.test_operations import long_training, parse_events
from tests.server import ROOT, free_port

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@contextlib.contextmanager
def cli_server(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    full = {**os.environ, **env, "BACKPROP_VIZ_PORT": str(port)}
    full.pop(MULTIPROC_ENV, None)
    cmd = [sys.executable, "-m", "app.cli", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=full)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, "the server exited"
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1):
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.1)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)


def fresh_get(url: str) -> httpx.Response:
    """On a new connection each time, so that the kernel may hand it to either worker."""
    return httpx.get(url, headers={"connection": "close"}, timeout=20.0)


def counted(text: str, route: str) -> float:
    prefix = f'backprop_viz_http_requests_total{{method="GET",route="{route}",status="200"}} '
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    return float(lines[0][len(prefix) :]) if lines else 0.0


def test_two_workers_one_sum_then_a_graceful_shutdown(tmp_path: Path) -> None:
    env = {"BACKPROP_VIZ_WORKERS": "2", "TMPDIR": str(tmp_path)}
    with cli_server(env) as (base, proc):
        (shared,) = tmp_path.glob("backprop-viz-metrics-*")
        for _ in range(30):
            assert fresh_get(base + "/api/v1/capabilities").status_code == 200
        scrapes = [fresh_get(base + "/metrics").text for _ in range(6)]
        pids = {p.stem.rsplit("_", 1)[1] for p in shared.glob("counter_*.db")}
        with httpx.Client(base_url=base, timeout=20.0) as c:
            body = json.dumps(long_training()).encode()
            with c.stream("POST", "/api/v1/train/stream", content=body) as r:
                assert r.status_code == 200
                lines = r.iter_lines()
                first = next(lines)
                proc.send_signal(signal.SIGTERM)
                rest = [first, *lines]
        code = proc.wait(timeout=30)
    # Every scrape, whichever worker answered it, counts all 30.
    assert [counted(text, "/api/v1/capabilities") for text in scrapes] == [30.0] * 6
    assert len(pids) == 2, pids  # two workers wrote there
    events = parse_events(rest, "ndjson")
    assert [e["type"] for e in events[-2:]] == ["error", "done"]
    assert events[-1]["reason"] == "shutdown"
    assert code in (0, -signal.SIGTERM), code
    assert not shared.exists()  # the cli's directory goes with it


@pytest.mark.parametrize(
    ("env", "argv", "expected"),
    [
        pytest.param(
            {},
            [],
            {"host": "127.0.0.1", "port": 8000, "workers": 1, "log_level": "info"},
            id="defaults",
        ),
        pytest.param(
            {"BACKPROP_VIZ_HOST": "0.0.0.0", "BACKPROP_VIZ_PORT": "9000"},
            [],
            {"host": "0.0.0.0", "port": 9000},
            id="environment",
        ),
        pytest.param(
            {"BACKPROP_VIZ_PORT": "9000", "BACKPROP_VIZ_LOG_LEVEL": "debug"},
            ["--port", "9100", "--log-level", "warning", "--timeout-graceful-shutdown", "3"],
            {"port": 9100, "log_level": "warning", "timeout_graceful_shutdown": 3},
            id="flags-over-environment",
        ),
    ],
)
def test_cli_settings(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], argv: list[str], expected: dict[str, Any]
) -> None:
    for name in list(os.environ):
        if name.startswith("BACKPROP_VIZ_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv(MULTIPROC_ENV, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    seen: dict[str, Any] = {}
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **kwargs: seen.update(kwargs, app=app))
    cli.main(argv)
    assert seen["app"] == "app.main:app"
    assert seen["access_log"] is False  # the app's own log replaces uvicorn's
    assert seen["timeout_graceful_shutdown"] > 0
    assert {k: seen[k] for k in expected} == expected


def test_cli_workers_from_the_environment_share_a_metrics_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BACKPROP_VIZ_WORKERS", "3")
    monkeypatch.delenv(MULTIPROC_ENV, raising=False)
    monkeypatch.setattr(cli.tempfile, "tempdir", str(tmp_path))
    seen: dict[str, Any] = {}

    def run(app: str, **kwargs: Any) -> None:
        seen.update(kwargs, shared=os.environ[MULTIPROC_ENV])
        assert Path(seen["shared"]).is_dir()

    monkeypatch.setattr(cli.uvicorn, "run", run)
    cli.main([])
    assert seen["workers"] == 3
    assert Path(seen["shared"]).parent == tmp_path
    assert not Path(seen["shared"]).exists()
    # Nor left in the environment, where the next server started from it would look for it.
    assert MULTIPROC_ENV not in os.environ
