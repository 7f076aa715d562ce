"""Operations (docs/operations.md), against real uvicorn servers (uvloop, httptools):
/metrics, the stream cap's 503, streams that stop when their client leaves, and the final
events of open streams when the server is told to stop (SIGTERM)."""

from __future__ import annotations

import contextlib
import itertools
import json
import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.helpers import NDJSON, SSE, strict_loads
from tests.api.training_helpers import cpu_seconds
from tests.server import running_uvicorn

TRAIN = "/api/v1/train/stream"
TRACE = "/api/v1/trace"
TRACE_STREAM = "/api/v1/trace/stream"
HTTPTOOLS = ("--loop", "uvloop", "--http", "httptools")

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: httpx.Client) -> Samples:
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    out: Samples = {}
    for family in text_string_to_metric_families(r.text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests_of(samples: Samples, method: str, route: str, status: int) -> float:
    return value(
        samples,
        "backprop_viz_http_requests_total",
        method=method,
        route=route,
        status=str(status),
    )


def long_training(epochs: int = 6000) -> dict[str, Any]:
    """Minutes of training if nothing stops it: full-batch epochs on 8,000 spiral points,
    tens of milliseconds each, reported every 1,000 epochs, so that after the first events
    the server has nothing to send for seconds (and the client sends nothing either)."""
    return {
        "network": {
            "layers": [2, 32, 32, 1],
            "activations": ["tanh", "tanh", "sigmoid"],
            "loss": "binary_cross_entropy",
            "seed": 1,
        },
        "dataset": {"name": "spiral", "samples": 10_000, "seed": 1, "test_ratio": 0.2},
        "learning_rate": 0.1,
        "batch_size": 8000,
        "epochs": epochs,
        "report_every": 1000,
        "grid": 10,
    }


def open_stream(
    client: httpx.Client, body: dict[str, Any], fmt: str
) -> contextlib.AbstractContextManager[httpx.Response]:
    headers = {"accept-encoding": "identity"}
    if fmt == "sse":
        headers["accept"] = SSE
    return client.stream("POST", TRAIN, content=json.dumps(body).encode(), headers=headers)


def first_chunk(r: httpx.Response, fmt: str) -> Iterator[bytes]:
    """Reads up to the first event; returns the raw iterator, to be held: dropping it
    would close the connection at once."""
    assert r.status_code == 200
    chunks = r.iter_raw()
    first = next(chunks)
    expected = b'{"type":"start"' if fmt == "ndjson" else b"id: 0\nevent: start\n"
    assert first.startswith(expected), first[:80]
    return chunks


def poll(check: Any, bound: float, what: str, every: float = 0.1) -> float:
    """Seconds until check() holds, polled up to `bound` (generous: the machine is shared);
    fails past it."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > bound:
            with open("/proc/loadavg") as f:
                load = f.read().split()[0]
            pytest.fail(f"{what}: not within {bound} s (load {load})")
        time.sleep(every)
    return time.monotonic() - started


def cpu_rate(pid: int, seconds: float) -> float:
    c0, t0 = cpu_seconds(pid), time.monotonic()
    time.sleep(seconds)
    return (cpu_seconds(pid) - c0) / (time.monotonic() - t0)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, int]]:
    """This module's own server (so that its numbers move only with these tests)."""
    with running_uvicorn(extra_args=HTTPTOOLS) as (base, proc):
        yield base, proc.pid


@pytest.fixture
def client(server: tuple[str, int]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=20.0) as c:
        yield c


@pytest.fixture(scope="module")
def trace_body(server: tuple[str, int]) -> dict[str, Any]:
    with httpx.Client(base_url=server[0], timeout=20.0) as c:
        name = c.get("/api/v1/presets").json()[0]["name"]
        return c.get(f"/api/v1/presets/{name}").json()


# /metrics


def test_requests_are_counted_by_route_template_and_status(
    client: httpx.Client, trace_body: dict[str, Any]
) -> None:
    names = [p["name"] for p in client.get("/api/v1/presets").json()][:2]
    before = scrape(client)
    for name in names:
        assert client.get(f"/api/v1/presets/{name}").status_code == 200
    assert client.get("/api/v1/presets/no-such-preset").status_code == 404
    for _ in range(3):
        assert client.post(TRACE, json=trace_body).status_code == 200
    assert client.post(TRACE, content=b"{").status_code == 422
    assert client.get("/no/such/page").status_code == 404
    assert client.request("PUT", "/healthz").status_code == 405
    assert client.request("PROPFIND", "/healthz").status_code == 405  # a WebDAV method
    after = scrape(client)

    def moved(method: str, route: str, status: int) -> float:
        return requests_of(after, method, route, status) - requests_of(
            before, method, route, status
        )

    assert moved("GET", "/api/v1/presets/{name}", 200) == len(names)
    assert moved("GET", "/api/v1/presets/{name}", 404) == 1
    assert moved("POST", TRACE, 200) == 3
    assert moved("POST", TRACE, 422) == 1
    assert moved("GET", "unmatched", 404) == 1
    assert moved("PUT", "/healthz", 405) == 1
    assert moved("other", "/healthz", 405) == 1  # methods are a closed set of labels too
    # No label made of a URL: every route label is a template or "unmatched".
    routes = {dict(labels).get("route") for (_, labels) in after} - {None}
    assert not any("no-such" in r or "no/such" in r or names[0] in r for r in routes), routes


def test_the_latency_histogram_has_every_request(
    client: httpx.Client, trace_body: dict[str, Any]
) -> None:
    before = scrape(client)
    for _ in range(5):
        assert client.post(TRACE, json=trace_body).status_code == 200
    after = scrape(client)
    name = "backprop_viz_http_request_duration_seconds"
    labels = {"method": "POST", "route": TRACE}
    count = value(after, f"{name}_count", **labels) - value(before, f"{name}_count", **labels)
    assert count == 5
    buckets = sorted(
        (float(dict(k)["le"]), v)
        for (n, k), v in after.items()
        if n == f"{name}_bucket" and dict(k)["method"] == "POST" and dict(k)["route"] == TRACE
    )
    assert buckets[-1][0] == float("inf")
    assert buckets[-1][1] == value(after, f"{name}_count", **labels)
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(buckets))
    assert value(after, f"{name}_sum", **labels) > value(before, f"{name}_sum", **labels)


def test_a_training_run_counts_its_epochs(client: httpx.Client) -> None:
    body = {**long_training(epochs=37), "dataset": {"name": "xor", "samples": 100, "seed": 2}}
    body.update(batch_size=10, report_every=10)
    before = scrape(client)
    r = client.post(TRAIN, json=body)
    events = [strict_loads(line) for line in r.text.splitlines()]
    assert events[-1]["type"] == "done" and events[-1]["reason"] == "epochs"
    after = scrape(client)
    epochs = "backprop_viz_training_epochs_total"
    assert value(after, epochs) - value(before, epochs) == 37
    ended = "backprop_viz_training_streams_ended_total"
    assert value(after, ended, reason="epochs") - value(before, ended, reason="epochs") == 1
    # The last byte reaches the client a moment before the server's books close.
    poll(lambda: value(scrape(client), "backprop_viz_streams_active") == 0, 10, "books closed")


# Streams stop when their client leaves


@pytest.mark.parametrize("fmt", ["ndjson", "sse"])
def test_a_dropped_stream_stops_computing(server: tuple[str, int], fmt: str) -> None:
    """The client reads the first event, then closes the connection, sending nothing: the
    server notices, the stream ends (the gauge), and the process stops computing (its CPU
    time)."""
    base, pid = server
    with httpx.Client(base_url=base, timeout=20.0) as c, httpx.Client(base_url=base) as probe:
        ended = "backprop_viz_training_streams_ended_total"
        epochs = "backprop_viz_training_epochs_total"
        before = scrape(probe)
        with open_stream(c, long_training(), fmt) as r:
            held = first_chunk(r, fmt)
            assert value(scrape(probe), "backprop_viz_streams_active") == 1
            # Computing: epochs count up, while nothing is sent (the next report is 1,000
            # epochs away) and nothing received.
            poll(lambda: value(scrape(probe), epochs) > value(before, epochs), 30, "an epoch")
            assert held
        # Leaving the block closed the connection, the stream half read.
        poll(lambda: value(scrape(probe), "backprop_viz_streams_active") == 0, 30, "stream end")
        stopped_at = value(scrape(probe), epochs)
        idle = cpu_rate(pid, 1.0)
        after = scrape(probe)
    assert value(after, ended, reason="disconnect") == value(before, ended, reason="disconnect") + 1
    assert value(after, epochs) == stopped_at, "epochs still computed after the stream ended"
    assert idle < 0.2, f"still computing after the client left: {idle:.2f} s of CPU a second"


# The stream cap


@pytest.fixture(scope="module")
def capped() -> Iterator[str]:
    env = {"BACKPROP_VIZ_MAX_STREAMS": "2", "BACKPROP_VIZ_STREAM_RETRY_AFTER": "3"}
    with running_uvicorn(extra_args=HTTPTOOLS, env=env) as (base, _):
        yield base


def assert_too_many_streams(r: httpx.Response) -> None:
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "3"
    assert r.headers["content-type"] == "application/json"
    assert r.headers["access-control-allow-origin"] == "*"
    (item,) = strict_loads(r.content)["detail"]
    assert item["type"] == "too_many_streams"
    assert item["loc"] == ["server", "streams"] and item["field"] == "server.streams"
    assert "2 streams" in item["msg"] and "3 s" in item["msg"]


def test_streams_past_the_cap_get_a_503(capped: str) -> None:
    with (
        httpx.Client(base_url=capped, timeout=20.0) as a,
        httpx.Client(base_url=capped, timeout=20.0) as b,
        httpx.Client(base_url=capped, timeout=20.0, headers={"origin": "http://x"}) as c,
    ):
        name = c.get("/api/v1/presets").json()[0]["name"]
        trace_body = c.get(f"/api/v1/presets/{name}").json()
        before = scrape(c)
        with open_stream(a, long_training(), "ndjson") as ra:
            held = first_chunk(ra, "ndjson")
            with open_stream(b, long_training(), "sse") as rb:
                held_too = first_chunk(rb, "sse")
                assert value(scrape(c), "backprop_viz_streams_active") == 2
                assert_too_many_streams(c.post(TRAIN, json=long_training()))
                assert_too_many_streams(c.post(TRACE_STREAM, json=trace_body))
                # Decided on the path alone, before the body is read: even a broken one.
                assert_too_many_streams(c.post(TRAIN, content=b"{"))
                # Everything else is served as usual.
                assert c.post(TRACE, json=trace_body).status_code == 200
                assert held and held_too
            # One slot free again (once the server has seen b leave).
            poll(lambda: value(scrape(c), "backprop_viz_streams_active") == 1, 30, "b gone")
            r = c.post(TRACE_STREAM, json=trace_body)
            assert r.status_code == 200
            assert r.headers["content-type"].startswith(NDJSON)
            assert strict_loads(r.text.splitlines()[-1])["type"] == "done"
        after = scrape(c)
    rejected = "backprop_viz_streams_rejected_total"
    assert value(after, rejected) - value(before, rejected) == 3
    assert requests_of(after, "POST", TRAIN, 503) - requests_of(before, "POST", TRAIN, 503) == 2


@pytest.mark.parametrize("accept", [NDJSON, "text/event-stream"])
@pytest.mark.parametrize("path", [TRACE_STREAM, TRAIN])
def test_streams_tell_any_nginx_in_front_not_to_buffer(capped: str, path: str, accept: str) -> None:
    """X-Accel-Buffering: no turns buffering off in nginx and ingress-nginx whatever their
    configuration (deploy/nginx.conf also does it by location); JSON answers keep it on."""
    with httpx.Client(base_url=capped, timeout=20.0) as c:
        name = c.get("/api/v1/presets").json()[0]["name"]
        step = c.get(f"/api/v1/presets/{name}").json()
        body = step if path == TRACE_STREAM else long_training(epochs=2)
        r = c.post(path, json=body, headers={"accept": accept})
        assert r.status_code == 200, r.text
        assert r.headers["x-accel-buffering"] == "no"
        assert "x-accel-buffering" not in c.post(TRACE, json=step).headers


def test_a_finished_stream_frees_its_slot_before_its_client_sees_the_end(capped: str) -> None:
    """One slot held by a long run, the other used by back-to-back streams that each read
    to the end and at once ask for the next: none is refused for the one before it."""
    with (
        httpx.Client(base_url=capped, timeout=20.0) as holder,
        httpx.Client(base_url=capped, timeout=20.0) as c,
    ):
        name = c.get("/api/v1/presets").json()[0]["name"]
        trace_body = c.get(f"/api/v1/presets/{name}").json()
        with open_stream(holder, long_training(), "ndjson") as held:
            assert first_chunk(held, "ndjson")
            statuses = [c.post(TRACE_STREAM, json=trace_body).status_code for _ in range(60)]
    assert statuses == [200] * 60, statuses


# Graceful shutdown


@pytest.mark.parametrize(
    ("fmt", "pace"),
    [
        pytest.param("ndjson", None, id="ndjson"),
        pytest.param("sse", None, id="sse"),
        # Asleep until its next epoch, 100 s away: the notice wakes it.
        pytest.param("ndjson", 0.01, id="ndjson-paced"),
    ],
)
def test_sigterm_ends_open_streams_with_a_final_event(fmt: str, pace: float | None) -> None:
    body = long_training() if pace is None else {**long_training(), "pace": pace}
    with running_uvicorn(extra_args=HTTPTOOLS) as (base, proc):
        with httpx.Client(base_url=base, timeout=20.0) as c:
            with open_stream(c, body, fmt) as r:
                assert r.status_code == 200
                lines = r.iter_lines()
                first = next(lines)
                proc.send_signal(signal.SIGTERM)
                rest = [first, *lines]
        code = proc.wait(timeout=20)
    events = parse_events(rest, fmt)
    assert events[0]["type"] == "start"
    assert [e["type"] for e in events[-2:]] == ["error", "done"], events[-2:]
    error, done = events[-2:]
    assert "shutting down" in error["reason"]
    assert done["reason"] == "shutdown"
    assert (done["epoch"], done["step"]) == (error["epoch"], error["step"])
    assert done["network"]["weights"], done
    # uvicorn re-raises the signal it caught once it has shut down (uvicorn ≥ 0.29).
    assert code in (0, -signal.SIGTERM), code


def parse_events(lines: list[str], fmt: str) -> list[dict[str, Any]]:
    if fmt == "ndjson":
        return [strict_loads(line) for line in lines if line.strip()]
    return [strict_loads(line[len("data: ") :]) for line in lines if line.startswith("data: ")]
