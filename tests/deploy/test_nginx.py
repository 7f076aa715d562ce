"""deploy/nginx.conf in front of two app processes, with Debian's nginx: answers equal the
app's own, streams arrive event by event, SSE passes, a client that stops reading holds its
run back, the body cap matches the app's, links name nginx's address, and with one process
gone or full every request, POSTs included, still succeeds (retried on the other).
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.helpers import NDJSON, SSE, STREAM, TRACE, preset, read_sse, strict_loads
from tests.deploy.helpers import Nginx, running_nginx
from tests.server import running_uvicorn

TRAIN = "/api/v1/train/stream"
MAX_BODY_BYTES = 1024 * 1024  # the app's default BACKPROP_VIZ_MAX_BODY_BYTES
Event = dict[str, Any]


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[list[str], Nginx]]:
    """Two app processes and nginx in front of them."""
    with running_uvicorn() as (a, _), running_uvicorn() as (b, _):
        with running_nginx([a, b], tmp_path_factory.mktemp("nginx")) as nginx:
            yield [a, b], nginx


def upstreams(nginx: Nginx, request: str, count: int = 0) -> list[list[str]]:
    """For each access-log line of `request` ("POST /api/v1/trace"), the app processes nginx
    tried, in order ("upstream=a, b" when a failed and b answered); once there are `count`
    lines at least, since nginx writes a line just after its answer has gone out."""
    pattern = rf'"{re.escape(request)} HTTP/1\.1" \d+ \d+ upstream=(.+?) upstream_status='
    deadline = time.monotonic() + 10
    while True:
        found = [m.group(1).split(", ") for m in re.finditer(pattern, nginx.log())]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def long_training(pace: float | None) -> dict[str, Any]:
    """The spiral with 2-8-8-1, 1000 epochs, an epoch event every 10: at `pace` 500 epochs a
    second, a stream of two seconds whatever the machine."""
    return {
        "network": {
            "layers": [2, 8, 8, 1],
            "activations": ["tanh", "tanh", "sigmoid"],
            "loss": "binary_cross_entropy",
            "seed": 1,
        },
        "dataset": {"name": "spiral", "samples": 200, "seed": 1},
        "epochs": 1000,
        "report_every": 10,
        "grid": 10,
        "learning_rate": 0.03,
        "batch_size": 10,
        "pace": pace,
    }


def events_by_read(response: httpx.Response, sse: bool) -> list[tuple[int, Event]]:
    """Each event with the number of the network read that completed it, reading the raw
    body as it arrives (identity encoding: one read is what the socket had)."""
    separator = b"\n\n" if sse else b"\n"
    out: list[tuple[int, Event]] = []
    pending = b""
    for read, chunk in enumerate(response.iter_raw()):
        pending += chunk
        *complete, pending = pending.split(separator)
        for block in complete:
            if not sse:
                out.append((read, strict_loads(block)))
                continue
            data = [line[5:].strip() for line in block.split(b"\n") if line.startswith(b"data:")]
            names = [line[6:].strip() for line in block.split(b"\n") if line.startswith(b"event:")]
            event = strict_loads(b"\n".join(data))
            assert names == [event["type"].encode()], block  # an SSE frame, named by its type
            out.append((read, event))
    assert not pending.strip(), pending
    return out


def test_healthz_through_nginx_from_both_processes(stack: tuple[list[str], Nginx]) -> None:
    backends, nginx = stack
    seen = len(upstreams(nginx, "GET /healthz"))
    with httpx.Client(base_url=nginx.base, timeout=30) as c:
        for _ in range(4):
            r = c.get("/healthz")
            assert r.status_code == 200 and r.json() == {"status": "ok"}
    answered = {tried[-1] for tried in upstreams(nginx, "GET /healthz", seen + 4)[seen:]}
    assert answered == {b.removeprefix("http://") for b in backends}  # round robin


def test_metrics_stay_inside(stack: tuple[list[str], Nginx]) -> None:
    (direct, _), nginx = stack
    with httpx.Client(timeout=30) as c:
        assert c.get(direct + "/metrics").status_code == 200  # scraped replica by replica
        assert c.get(nginx.base + "/metrics").status_code == 403
    assert upstreams(nginx, "GET /metrics", 1) == [["-"]]


@pytest.mark.parametrize("name", ["worked-example-2-2-2", "xor", "softmax-classifier"])
@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_trace_through_nginx_equals_the_direct_answer(
    stack: tuple[list[str], Nginx], name: str, encoding: str
) -> None:
    (direct, _), nginx = stack
    with httpx.Client(timeout=30) as c:
        body = json.dumps(preset(httpx.Client(base_url=direct), name)).encode()
        headers = {"content-type": "application/json", "accept-encoding": encoding}
        want = c.post(direct + TRACE, content=body, headers=headers)
        got = c.post(nginx.base + TRACE, content=body, headers=headers)
    assert (got.status_code, want.status_code) == (200, 200), got.text
    assert got.headers["server"] == "nginx"
    # The app's own compression passes through: the same encoding, the same bytes once decoded.
    assert got.headers.get("content-encoding") == want.headers.get("content-encoding")
    assert got.content == want.content
    assert strict_loads(got.content)["loss"] == strict_loads(want.content)["loss"]


def test_links_the_app_writes_name_nginxs_address(stack: tuple[list[str], Nginx]) -> None:
    """oEmbed answers carry absolute URLs built from the request's Host: nginx must pass the
    client's, port included."""
    _, nginx = stack
    page = f"{nginx.base}/?preset=xor"
    with httpx.Client(timeout=30) as c:
        r = c.get(nginx.base + "/oembed", params={"url": page, "format": "json"})
        assert r.status_code == 200, r.text
        assert r.json()["provider_url"] == nginx.base + "/"
        assert f'src="{nginx.base}/embed?preset=xor"' in r.json()["html"]
        html = c.get(page).text
    assert f'href="{nginx.base}/oembed?url=' in html


def test_the_body_cap_is_the_apps_on_both_sides_of_it(stack: tuple[list[str], Nginx]) -> None:
    (direct, _), nginx = stack
    seen = len(upstreams(nginx, "POST /api/v1/trace"))
    with httpx.Client(timeout=30) as c:
        request = json.dumps(preset(httpx.Client(base_url=direct), "xor")).encode()
        at_cap = request + b" " * (MAX_BODY_BYTES - len(request))  # still valid JSON
        over = at_cap + b" "
        headers = {"content-type": "application/json", "accept-encoding": "identity"}
        for body, status in ((at_cap, 200), (over, 413)):
            want = c.post(direct + TRACE, content=body, headers=headers)
            got = c.post(nginx.base + TRACE, content=body, headers=headers)
            assert (got.status_code, want.status_code) == (status, status), got.text
            assert got.headers["content-type"] == want.headers["content-type"]
            assert strict_loads(got.content) == strict_loads(want.content)
    # Over the cap, nginx answered by itself, in the app's words: no app process saw it.
    at_cap_tried, over_tried = upstreams(nginx, "POST /api/v1/trace", seen + 2)[seen:]
    assert at_cap_tried != ["-"] and over_tried == ["-"]


@pytest.mark.parametrize("fmt", ["ndjson", "sse"])
def test_a_training_streams_first_events_arrive_long_before_its_end(
    stack: tuple[list[str], Nginx], fmt: str
) -> None:
    (direct, _), nginx = stack
    sse = fmt == "sse"
    headers = {"accept": SSE if sse else NDJSON, "accept-encoding": "identity"}
    with httpx.Client(timeout=60) as c:
        with c.stream("POST", nginx.base + TRAIN, json=long_training(500), headers=headers) as r:
            assert r.status_code == 200, r.read()
            assert r.headers["content-type"].split(";")[0] == headers["accept"]
            arrived = events_by_read(r, sse)
        with c.stream("POST", direct + TRAIN, json=long_training(None)) as r:
            want = [strict_loads(line) for line in r.iter_lines() if line.strip()]
    events = [e for _, e in arrived]
    assert events == want  # the same run, event for event
    assert events[0]["type"] == "start" and events[-1]["type"] == "done"
    # Unbuffered: when the first event reached the client, more than half of the run's events
    # were still to come, and the events came in many separate reads.
    first_read = arrived[0][0]
    with_the_first = sum(1 for read, _ in arrived if read == first_read)
    assert with_the_first < len(events) / 2, (with_the_first, len(events))
    assert len({read for read, _ in arrived}) > len(events) / 4


def metric(backends: list[str], name: str) -> float:
    """A sample summed over the app processes' own /metrics."""
    total = 0.0
    for base in backends:
        text = httpx.get(base + "/metrics", timeout=10).text
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == name:
                    total += sample.value
    return total


def settled(
    read: Callable[[], float], polls: int = 4, every: float = 0.5, deadline: float = 60.0
) -> float:
    """read()'s value once it has stopped changing for `polls` polls in a row: a wait, not
    an assertion on time (the deadline only keeps a broken run from hanging the suite)."""
    last, same = read(), 0
    end = time.monotonic() + deadline
    while same < polls:
        assert time.monotonic() < end, f"still changing after {deadline} s: {last}"
        time.sleep(every)
        value = read()
        same = same + 1 if value == last else 0
        last = value
    return last


def test_a_client_that_stops_reading_holds_the_run_back(stack: tuple[list[str], Nginx]) -> None:
    """Unbuffered, the client's pace reaches the app: a client that reads the first event and
    then nothing leaves the run waiting, not computed to the end for nobody into nginx's
    temporary files; and a client that leaves ends the run."""
    backends, nginx = stack
    # 1001 reports of a 100 × 100 boundary: ~73 MB, far more than the sockets between hold.
    body = {**long_training(None), "report_every": 1, "grid": 100}

    def epochs() -> float:
        return metric(backends, "backprop_viz_training_epochs_total")

    before = epochs()
    payload = json.dumps(body).encode()
    host, port = nginx.base.removeprefix("http://").split(":")
    client = socket.socket()
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
    client.connect((host, int(port)))
    try:
        head = (
            f"POST {TRAIN} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Accept-Encoding: identity\r\nContent-Length: {len(payload)}\r\n\r\n"
        )
        client.sendall(head.encode() + payload)
        received = b""
        while b'"type":"start"' not in received:
            chunk = client.recv(65536)
            assert chunk, received
            received += chunk
        assert received.startswith(b"HTTP/1.1 200 "), received[:200]
        # Now read nothing: the run goes on until the sockets are full, then waits.
        held = settled(epochs) - before
        assert 0 < held < body["epochs"], held
        assert metric(backends, "backprop_viz_streams_active") == 1
    finally:
        client.close()
    assert settled(lambda: metric(backends, "backprop_viz_streams_active")) == 0
    assert epochs() - before < body["epochs"]  # never finished


def test_a_trace_stream_as_server_sent_events(stack: tuple[list[str], Nginx]) -> None:
    (direct, _), nginx = stack
    with httpx.Client(timeout=30) as c:
        body = preset(httpx.Client(base_url=direct), "xor")
        with c.stream("POST", nginx.base + STREAM, json=body, headers={"accept": SSE}) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].split(";")[0] == SSE
            got = read_sse(r)
        with c.stream("POST", direct + STREAM, json=body) as r:
            want = [strict_loads(line) for line in r.iter_lines() if line.strip()]
    assert got == want and got[-1]["type"] == "done"


def test_with_one_process_gone_every_request_still_succeeds(tmp_path: Path) -> None:
    with running_uvicorn() as (a, doomed), running_uvicorn() as (b, _):
        with running_nginx([a, b], tmp_path) as nginx, httpx.Client(timeout=60) as c:
            trace = preset(httpx.Client(base_url=b), "xor")
            want = c.post(b + TRACE, json=trace).json()
            short = {**long_training(None), "epochs": 20}
            c.get(nginx.base + "/healthz")  # a kept-alive connection to each process
            c.get(nginx.base + "/healthz")
            doomed.terminate()
            doomed.wait(timeout=10)
            for _ in range(10):
                r = c.post(nginx.base + TRACE, json=trace)
                assert r.status_code == 200, r.text
                assert r.json() == want
                with c.stream("POST", nginx.base + TRAIN, json=short) as r:
                    assert r.status_code == 200
                    lines = [strict_loads(line) for line in r.iter_lines() if line.strip()]
                    assert lines[-1]["type"] == "done"
                assert c.get(nginx.base + "/healthz").status_code == 200
            tried = upstreams(nginx, f"POST {TRACE}", 10) + upstreams(nginx, f"POST {TRAIN}", 10)
    gone, alive = a.removeprefix("http://"), b.removeprefix("http://")
    # A POST did reach the gone process first, and was answered by the other one.
    assert [gone, alive] in tried, tried
    assert all(t[-1] == alive for t in tried), tried


def test_a_stream_refused_by_a_full_process_is_answered_by_another(tmp_path: Path) -> None:
    """A process at its stream cap answers 503 after the POST has reached it; nginx sends the
    POST to another (non_idempotent: safe, since the request is the whole state)."""
    # a runs one stream at most; b has room (its default cap).
    one_stream = {"BACKPROP_VIZ_MAX_STREAMS": "1"}
    with running_uvicorn(env=one_stream) as (a, _), running_uvicorn() as (b, _):
        with running_nginx([a, b], tmp_path) as nginx, httpx.Client(timeout=60) as c:
            short = {**long_training(None), "epochs": 20}
            # The process a's one stream, held open for the whole test.
            with c.stream("POST", a + TRAIN, json={**long_training(1), "epochs": 60}) as held:
                assert held.status_code == 200
                assert c.post(a + TRAIN, json=short).status_code == 503  # a is full
                for _ in range(4):
                    with c.stream("POST", nginx.base + TRAIN, json=short) as r:
                        assert r.status_code == 200, r.read()
                        events = [strict_loads(line) for line in r.iter_lines() if line.strip()]
                        assert events[-1]["type"] == "done"
            assert len(upstreams(nginx, f"POST {TRAIN}", 4)) == 4
            log = nginx.log()
    a, b = a.removeprefix("http://"), b.removeprefix("http://")
    assert f"upstream={a}, {b} upstream_status=503, 200" in log, log
