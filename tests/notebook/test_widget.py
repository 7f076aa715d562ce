"""app.notebook.Visualizer and its engine in the kernel (app/notebook/kernel.py): the
in-process app answers as the HTTP server does (status, media type, body and events, errors
included: tests/server.py's real uvicorn is the oracle); the widget's messages carry those
answers to the page chunk by chunk; step() and train() without a page give the published
worked example's numbers and the server's; the state goes both ways."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest

from app.notebook import ApiError, Visualizer
from app.notebook.kernel import engine

WORKED = "worked-example-2-2-2"
TRAIN_BODY: dict[str, Any] = {
    "network": {
        "layers": [2, 3, 1],
        "activations": ["tanh", "sigmoid"],
        "loss": "binary_cross_entropy",
    },
    "dataset": {"name": "xor", "samples": 80, "seed": 3, "test_ratio": 0.25},
    "learning_rate": 0.1,
    "batch_size": 8,
    "epochs": 6,
    "optimizer": "adam",
    "report_every": 2,
    "grid": 4,
    "seed": 0,
}


def published(*values: str) -> list[Any]:
    """The tutorial's numbers, each to within half a unit of its last printed digit."""
    return [pytest.approx(float(v), abs=0.5 * 10.0 ** -len(v.split(".")[1])) for v in values]


@pytest.fixture(scope="module")
def http(base_url: str) -> httpx.Client:
    with httpx.Client(base_url=base_url, timeout=60) as client:
        yield client


def worked_request(http: httpx.Client) -> dict[str, Any]:
    return http.get(f"/api/v1/presets/{WORKED}").json()  # type: ignore[no-any-return]


# Each: method, path, body (JSON, raw text or None), headers. Errors too: a missing preset,
# a refused field, a body that is not JSON, a route that is not there.
CASES: list[tuple[str, str, Any, dict[str, str]]] = [
    ("GET", "/api/v1/capabilities", None, {}),
    ("GET", "/api/v1/presets", None, {}),
    ("GET", "/api/v1/presets/xor", None, {}),
    ("GET", "/api/v1/presets/no-such-preset", None, {}),
    ("POST", "/api/v1/trace", "WORKED", {}),
    ("POST", "/api/v1/trace", {"network": {"layers": [2, 2]}, "input": [1, 2]}, {}),
    ("POST", "/api/v1/trace", "{not json", {"content-type": "application/json"}),
    (
        "POST",
        "/api/v1/network",
        {
            "layers": [2, 3, 1],
            "activations": ["relu", "sigmoid"],
            "loss": "squared_error",
            "init": "xavier",
            "seed": 4,
        },
        {},
    ),
    ("POST", "/api/v1/trace/stream", "WORKED", {"accept": "application/x-ndjson"}),
    ("POST", "/api/v1/train/stream", TRAIN_BODY, {"accept": "application/x-ndjson"}),
    ("POST", "/api/v1/train/stream", {**TRAIN_BODY, "optimizer": "rmsprop"}, {}),
    ("POST", "/api/v1/export/pytorch", "WORKED", {"accept": "text/x-python"}),
    ("GET", "/api/v1/nothing-here", None, {}),
]


@pytest.mark.parametrize(("method", "path", "body", "headers"), CASES)
def test_the_kernel_answers_as_the_server_does(
    http: httpx.Client, method: str, path: str, body: Any, headers: dict[str, str]
) -> None:
    if body == "WORKED":
        body = worked_request(http)
    raw = body if isinstance(body, str) else None if body is None else json.dumps(body)
    sent = {"content-type": "application/json", **headers} if raw is not None else headers
    over_http = http.request(method, path, content=raw, headers=sent)
    in_kernel = engine().request(method, path, raw, sent)
    assert in_kernel.status == over_http.status_code
    assert in_kernel.headers["content-type"] == over_http.headers["content-type"]
    if "ndjson" in over_http.headers["content-type"]:
        # Event by event; a run's events carry no clock, so they are equal whole.
        http_events = [json.loads(line) for line in over_http.text.splitlines() if line]
        assert in_kernel.events() == http_events
        assert len(http_events) > 2
    else:
        assert in_kernel.body == over_http.content


def test_a_stream_reaches_the_page_chunk_by_chunk_as_the_app_writes_it() -> None:
    """The widget's messages for one page request: the head first, then each chunk as its
    own message (the events of a run arrive while it runs), then the end."""
    viz = Visualizer(WORKED)
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    finished = threading.Event()

    def send(content: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        sent.append((content, list(buffers or [])))
        if content["kind"] in ("end", "failed"):
            finished.set()

    viz.send = send  # type: ignore[method-assign]
    body = json.dumps({**TRAIN_BODY, "epochs": 20, "report_every": 1})
    viz._on_page(
        viz,
        {
            "kind": "request",
            "id": "r1",
            "method": "POST",
            "path": "/api/v1/train/stream",
            "headers": {"content-type": "application/json"},
            "body": body,
        },
        [],
    )
    assert finished.wait(60)
    kinds = [c["kind"] for c, _ in sent]
    assert kinds[0] == "response" and kinds[-1] == "end"
    assert set(kinds[1:-1]) == {"chunk"} and len(kinds) > 10  # not one buffered body
    assert sent[0][0]["status"] == 200 and all(c["id"] == "r1" for c, _ in sent)
    events = [json.loads(line) for line in b"".join(b for _, bs in sent for b in bs).splitlines()]
    assert (
        events
        == engine()
        .request("POST", "/api/v1/train/stream", body, {"content-type": "application/json"})
        .events()
    )


def test_the_page_asks_for_the_api_only() -> None:
    viz = Visualizer(WORKED)
    sent: list[dict[str, Any]] = []
    viz.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    viz._on_page(viz, {"kind": "request", "id": "r9", "method": "GET", "path": "/metrics"}, [])
    assert [(c["kind"], c.get("status")) for c in sent] == [("response", 404), ("end", None)]


def test_an_aborted_stream_stops_in_the_kernel() -> None:
    viz = Visualizer(WORKED)
    sent: list[dict[str, Any]] = []
    first_chunk, finished = threading.Event(), threading.Event()

    def send(content: dict[str, Any], buffers: list[bytes] | None = None) -> None:
        sent.append(content)
        if content["kind"] == "chunk":
            first_chunk.set()
        if content["kind"] in ("end", "failed"):
            finished.set()

    viz.send = send  # type: ignore[method-assign]
    # pace: at most 2 epochs a second, so the run is still going when the page leaves.
    body = json.dumps({**TRAIN_BODY, "epochs": 500, "report_every": 1, "pace": 2})
    viz._on_page(
        viz,
        {
            "kind": "request",
            "id": "r2",
            "method": "POST",
            "path": "/api/v1/train/stream",
            "headers": {"content-type": "application/json"},
            "body": body,
        },
        [],
    )
    assert first_chunk.wait(60)
    viz._on_page(viz, {"kind": "abort", "id": "r2"}, [])
    assert finished.wait(60)
    epochs = [c for c in sent if c["kind"] == "chunk"]
    assert len(epochs) < 100  # it stopped long before its 500 epochs


def test_step_without_a_page_is_the_worked_example() -> None:
    viz = Visualizer(preset=WORKED)  # no front end: nothing renders it here
    trace = viz.step()
    hidden, out = trace["layers"][1], trace["layers"][2]
    assert trace["loss"] == pytest.approx(0.298371109, abs=1e-9)
    assert out["a"] == pytest.approx([0.75136507, 0.772928465], abs=1e-9)
    assert out["dl_dw"][0][0] == pytest.approx(0.082167041, abs=1e-9)
    assert hidden["dl_dw"][0][0] == pytest.approx(0.000438568, abs=1e-9)
    w2 = trace["network"]["weights"][1]
    assert [w for row in w2 for w in row] == published(
        "0.35891648", "0.408666186", "0.511301270", "0.561370121"
    )
    assert viz.state == Visualizer(WORKED).state  # a step shows; it does not change the state


def test_step_and_train_give_what_the_server_gives(http: httpx.Client) -> None:
    viz = Visualizer(request=worked_request(http))
    assert viz.step() == http.post("/api/v1/trace", json=viz.state).json()
    lines = http.post("/api/v1/train/stream", json=TRAIN_BODY).text.splitlines()
    epochs = [e for e in map(json.loads, lines) if e["type"] == "epoch"]
    last = viz.train(TRAIN_BODY)
    assert last == epochs[-1] and last["epoch"] == TRAIN_BODY["epochs"]


def test_a_refused_request_raises_the_apis_error(http: httpx.Client) -> None:
    viz = Visualizer(WORKED)
    bad = {**viz.state, "learning_rate": -1}
    over_http = http.post("/api/v1/trace", json=bad)
    with pytest.raises(ApiError) as refused:
        viz.load(bad)
    assert refused.value.status == over_http.status_code == 422
    assert refused.value.detail == over_http.json()["detail"]
    assert "learning_rate" in str(refused.value)
    assert viz.state["learning_rate"] == 0.5  # refused: nothing changed
    with pytest.raises(ApiError) as missing:
        Visualizer("no-such-preset")
    assert missing.value.status == 404
    with pytest.raises(ApiError):
        viz.train({**TRAIN_BODY, "batch_size": 0})


def test_state_round_trip(http: httpx.Client) -> None:
    # A request without θ: the API fills it (POST /network), as the page's load does.
    spec = {
        "layers": [2, 3, 1],
        "activations": ["tanh", "sigmoid"],
        "loss": "squared_error",
        "init": "xavier",
        "seed": 9,
    }
    request = {"network": spec, "input": [0.5, -1.0], "target": [1.0], "learning_rate": 0.1}
    viz = Visualizer(request=request)
    assert viz.state["network"] == http.post("/api/v1/network", json=spec).json()
    assert viz.state["input"] == [0.5, -1.0]
    # The page's edit comes back as the widget's state (ipywidgets' update message).
    edited = json.loads(json.dumps(viz.state))
    edited["network"]["weights"][0][1][0] = -0.75
    viz.set_state({"state": edited})
    assert viz.state["network"]["weights"][0][1][0] == -0.75
    assert viz.step() == http.post("/api/v1/trace", json=edited).json()
    # load() sends the page what to show and gives the new state.
    sent: list[dict[str, Any]] = []
    viz.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    assert viz.load("xor") == viz.state == http.get("/api/v1/presets/xor").json()
    assert sent == [{"kind": "load", "preset": "xor"}]
    script = viz.to_pytorch()
    assert script == http.post("/api/v1/export/pytorch", json=viz.state).text


def test_the_pages_events_reach_python() -> None:
    viz = Visualizer(WORKED)
    heard: list[dict[str, Any]] = []
    stop = viz.on("stepped", heard.append)
    viz._on_page(
        viz, {"kind": "event", "type": "stepped", "detail": {"done": {"type": "done"}}}, []
    )
    viz._on_page(viz, {"kind": "event", "type": "ready", "detail": {}}, [])
    stop()
    viz._on_page(viz, {"kind": "event", "type": "stepped", "detail": {}}, [])
    assert heard == [{"done": {"type": "done"}}]


def test_without_anywidget_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    import app.notebook

    monkeypatch.setitem(sys.modules, "anywidget", None)  # the import fails
    monkeypatch.delitem(sys.modules, "app.notebook.widget")
    monkeypatch.delattr(app.notebook, "widget", raising=False)
    with pytest.raises(ImportError, match=r"backprop-viz\[notebook\]"):
        app.notebook.Visualizer  # noqa: B018
    assert app.notebook.embed_url("xor").endswith("/embed?preset=xor")  # show() needs no widget
