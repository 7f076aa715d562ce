"""What the load, soak and class benchmarks share: a wrk run that counts its errors instead
of stopping at the first, the resident memory and CPU time of a uvicorn server's workers,
and a table printer.

The servers are started as bench_http.py starts them (bench_http.serve: uvloop, httptools,
no access log, a free 127.0.0.1 port) and their CPU time is read as it reads it.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench_http import _descendants, busy_jiffies, cpu_seconds, parse_wrk, versions


def environment() -> dict[str, str]:
    """Versions, cores and the load average at the start: the line every script prints."""
    env = versions()
    env["loadavg"] = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    env["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return env


# --- the server's processes -------------------------------------------------------------


def workers(pid: int) -> list[int]:
    """The processes that serve: uvicorn's workers when it has any (not the supervisor, which
    only watches them, nor multiprocessing's resource tracker), else the process itself."""
    below = [
        p
        for p in _descendants(pid)[1:]
        if "--multiprocessing-fork" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")
    ]
    return below or [pid]


def rss_mib(pids: Sequence[int]) -> list[float]:
    """VmRSS of each process, MiB (/proc/<pid>/status)."""
    out = []
    for p in pids:
        status = Path(f"/proc/{p}/status").read_text()
        kib = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE).group(1))
        out.append(kib / 1024)
    return out


def cpu_of(pids: Sequence[int]) -> list[float]:
    """utime + stime of each process (and its descendants), seconds."""
    return [cpu_seconds(p) for p in pids]


class OtherLoad:
    """The server processes' CPU time between start and stop(), and the cores that
    everything else (not the server, not this script and its children such as wrk) used
    meanwhile: above ~0.2 cores the numbers are skewed."""

    def __init__(self, server_pids: Sequence[int]) -> None:
        self.pids = server_pids
        self.server0 = sum(cpu_of(server_pids))
        self.jiffies0 = busy_jiffies()
        self.own0 = os.times()

    def stop(self) -> dict[str, float]:
        ticks = os.sysconf("SC_CLK_TCK")
        server = sum(cpu_of(self.pids)) - self.server0
        (busy1, total1), own1 = busy_jiffies(), os.times()
        busy0, total0 = self.jiffies0
        own = sum(own1[:4]) - sum(self.own0[:4])  # user, system, children's user and system
        other = (busy1 - busy0) / ticks - server - own
        wall = (total1 - total0) / ticks / os.cpu_count()
        return {
            "server_cpu": server,
            "client_cpu": own,
            "other_load_cores": max(0.0, other / wall) if wall > 0 else 0.0,
        }


# --- wrk ----------------------------------------------------------------------------------


def wrk_errors(result: dict[str, Any]) -> int:
    """Failed requests of a parsed wrk run: non-2xx/3xx answers plus socket errors
    (connect, read, write, timeout)."""
    socket = sum(int(n) for n in re.findall(r"\d+", result["socket_errors"] or ""))
    return result["non2xx"] + socket


def run_wrk(
    url: str,
    connections: int,
    seconds: int,
    server_pids: Sequence[int],
    script: Path | None = None,
    warmup: int = 2,
    threads: int = 1,
    split_pids: Sequence[int] = (),
) -> dict[str, Any]:
    """wrk -t1 -c<connections> --latency for `seconds` after a discarded warm-up; its
    req/s, p50/p90/p99 (ms), errors counted (never raised), the CPU per request of the
    server_pids (and their workers), the other load, and each of split_pids' CPU seconds
    (e.g. uvicorn's workers: how the connections shared them)."""
    base = ["wrk", f"-t{threads}", f"-c{connections}", "--latency", "--timeout", "5s"]
    if script is not None:
        base += ["-s", str(script)]
    if warmup > 0:
        subprocess.run([*base, f"-d{warmup:g}s", url], check=True, capture_output=True)
    meter, split0 = OtherLoad(server_pids), cpu_of(split_pids)
    run = subprocess.run(
        [*base, f"-d{seconds:g}s", url], check=True, capture_output=True, text=True
    )
    load = meter.stop()
    split = [c1 - c0 for c0, c1 in zip(split0, cpu_of(split_pids), strict=True)]
    try:
        result = parse_wrk(run.stdout)
    except (AttributeError, KeyError, ValueError) as exc:
        raise RuntimeError(f"unexpected wrk output for {url}:\n{run.stdout}{run.stderr}") from exc
    result["errors"] = wrk_errors(result)
    result["cpu_us_per_request"] = load["server_cpu"] / max(result["requests"], 1) * 1e6
    result["other_load_cores"] = load["other_load_cores"]
    result["cores"] = load["server_cpu"] / seconds
    result["split_cpu"] = split
    result["stdout"] = run.stdout
    return result


# --- numbers ------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), linear between the two nearest ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> str:
    """Rows under a header, the first column left-aligned and the others right-aligned."""

    def line(cells: Sequence[Any]) -> str:
        first, *rest = (str(c) for c in cells)
        return f"{first:<{widths[0]}}" + "".join(
            f"{c:>{w}}" for c, w in zip(rest, widths[1:], strict=True)
        )

    return "\n".join([line(header), *(line(r) for r in rows)])
