"""`backprop-viz` (app/cli.py): its defaults from BACKPROP_VIZ_*, flags over them; with two
workers /metrics sums both (prometheus_client's multiprocess mode), the connections are
shared evenly (app/dispatch.py), and SIGTERM ends open streams with their final events
before the server exits."""

from __future__ import annotations

import asyncio
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
from tests.server import ROOT, free_port, running_uvicorn

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


def worker_pids(supervisor: int) -> list[int]:
    """The supervisor's worker processes (multiprocessing's spawned children; not its
    resource tracker)."""
    children = Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split()
    return [
        int(c)
        for c in children
        if "--multiprocessing-fork" in Path(f"/proc/{c}/cmdline").read_text(errors="replace")
    ]


def established(port: int) -> set[int]:
    """Socket inodes of the TCP connections open to `port` on this machine (/proc/net/tcp:
    state 01 is ESTABLISHED; the local address is the second column). Three reads: the
    table comes a page at a time, and a row may be missed while other sockets come and go."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6") * 3:
        with contextlib.suppress(FileNotFoundError):
            for row in Path(table).read_text().splitlines()[1:]:
                cols = row.split()
                if cols[3] == "01" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(int(cols[9]))
    return inodes


def holding(pid: int, inodes: set[int]) -> int:
    """How many of those connections the process holds open (its descriptors)."""
    held = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:[") and int(target[8:-1]) in inodes:
                held += 1
    return held


def paced_run() -> dict[str, Any]:
    """A stream that stays open for minutes at almost no CPU: one epoch a second."""
    return {
        "network": {"layers": [2, 4, 1], "activations": ["tanh", "sigmoid"],
                    "loss": "binary_cross_entropy", "seed": 0},
        "dataset": {"name": "spiral", "samples": 100, "seed": 0, "test_ratio": 0.5},
        "learning_rate": 0.01, "batch_size": 10, "epochs": 1000, "pace": 1,
    }  # fmt: skip


async def hold_streams(base: str, n: int, then: Any) -> Any:
    """Open n training streams at once, each on its own connection, read each one's first
    line, and return then() while all n are still open."""
    body = json.dumps(paced_run()).encode()
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    readers: list[Any] = []  # held: a reader collected mid-stream closes its connection
    async with (
        httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as c,
        contextlib.AsyncExitStack() as stack,
    ):

        async def first_line() -> None:
            r = await stack.enter_async_context(
                c.stream("POST", "/api/v1/train/stream", content=body)
            )
            assert r.status_code == 200
            readers.append(lines := r.aiter_lines())
            assert (await anext(lines)).startswith('{"type":"start"')

        await asyncio.gather(*(first_line() for _ in range(n)))
        return then()


def linked(hubs: Path) -> int:
    """Workers linked to the dispatcher: the hub's connected sockets (/proc/net/unix,
    state 03; an accepted socket shows the path it was accepted on)."""
    rows = Path("/proc/net/unix").read_text().splitlines()[1:]
    return sum(1 for r in rows if r.split()[5] == "03" and str(hubs) in r)


STREAMS = 32


def test_two_workers_take_an_equal_share_of_the_connections(tmp_path: Path) -> None:
    # What the kernel shows: which process holds each connection's socket. Under uvicorn's
    # own --workers the split of 32 connections arriving at once is up to chance (and to
    # which worker's loop wakes first: 32/0 happens); the dispatcher hands each one to the
    # worker with fewer open, so the split is 16/16, give or take a connection whose close
    # (an earlier health check) the dispatcher had not yet read.
    env = {"BACKPROP_VIZ_WORKERS": "2", "TMPDIR": str(tmp_path)}
    with cli_server(env) as (base, proc):
        port = int(base.rsplit(":", 1)[1])
        pids = worker_pids(proc.pid)
        assert len(pids) == 2, pids
        deadline = time.monotonic() + 30  # the first linked worker answered; the other?
        while linked(tmp_path) < 2:
            assert time.monotonic() < deadline, "a worker did not link to the dispatcher"
            time.sleep(0.05)

        def count() -> list[int]:
            inodes = established(port)
            return [holding(p, inodes) for p in [proc.pid, *pids]]

        deadline = time.monotonic() + 10  # the health checks' connections closed first
        while sum(count()) and time.monotonic() < deadline:
            time.sleep(0.05)
        supervisor, *workers = asyncio.run(hold_streams(base, STREAMS, count))
    assert supervisor == 0  # it hands each connection on and keeps no copy
    assert sum(workers) == STREAMS, workers
    assert max(workers) - min(workers) <= 2, workers


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
    monkeypatch.setattr(cli, "serve", lambda app, **kwargs: seen.update(kwargs, app=app))
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

    monkeypatch.setattr(cli, "serve", run)
    cli.main([])
    assert seen["workers"] == 3
    assert Path(seen["shared"]).parent == tmp_path
    assert not Path(seen["shared"]).exists()
    # Nor left in the environment, where the next server started from it would look for it.
    assert MULTIPROC_ENV not in os.environ


def test_an_empty_metrics_directory_is_no_directory(tmp_path: Path) -> None:
    """PROMETHEUS_MULTIPROC_DIR set but empty reads as unset (one process, its own
    registry): nothing is written to the working directory, and /metrics counts."""
    env = {**os.environ, MULTIPROC_ENV: ""}
    with running_uvicorn(env=env, cwd=tmp_path, extra_args=("--app-dir", str(ROOT))) as (
        base,
        _,
    ):
        before = counted(httpx.get(base + "/metrics", timeout=20.0).text, "/healthz")
        for _ in range(3):
            assert httpx.get(base + "/healthz", timeout=20.0).status_code == 200
        metrics = httpx.get(base + "/metrics", timeout=20.0).text
    assert counted(metrics, "/healthz") == before + 3
    assert "process_resident_memory_bytes" in metrics  # the process's own registry
    assert sorted(p.name for p in tmp_path.iterdir()) == []
