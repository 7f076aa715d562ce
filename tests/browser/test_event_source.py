"""The browser's own EventSource reads both streams by GET (issue 20), as docs/api.md
shows: each event by its type, the done event last; a stream cut after a snapshot is taken
up again by EventSource itself with Last-Event-ID, and after done the server's 204 stops it.
The oracle is the POST stream of the same request."""

from __future__ import annotations

import json
from typing import Any

import httpx
from playwright.sync_api import Page, Route

from tests.api.helpers import link_state

TRACE_TYPES = ["forward", "loss", "backward", "gradient", "update", "done"]
TRAIN_TYPES = ["start", "epoch", "snapshot", "diverged", "error", "done"]
TRAINING = {
    "network": {
        "layers": [2, 3, 1],
        "activations": ["tanh", "sigmoid"],
        "loss": "binary_cross_entropy",
    },
    "dataset": {"name": "xor", "samples": 40, "seed": 2},
    "learning_rate": 0.3,
    "epochs": 9,
    "report_every": 3,
    "grid": 4,
}

# Listen to every type; resolve with [{id, type, data}] at done, closing (as the docs say)
# unless keepOpen; then report readyState changes.
LISTEN = """([url, types, keepOpen]) => new Promise((resolve) => {
  const es = new EventSource(url);
  window.heard = [];
  for (const type of types) {
    es.addEventListener(type, (e) => {
      window.heard.push({ id: e.lastEventId, type, data: JSON.parse(e.data) });
      if (type === "done") { if (!keepOpen) es.close(); resolve(window.heard); }
    });
  }
  window.source = es;
})"""


def posted(api: httpx.Client, path: str, request: dict[str, Any]) -> list[dict[str, Any]]:
    r = api.post(path, json=request)
    return [json.loads(line) for line in r.text.splitlines()]


def test_event_source_reads_the_trace_and_stops_after_done(
    page: Page, api: httpx.Client, base_url: str
) -> None:
    request = api.get("/api/v1/presets/worked-example-2-2-2").json()
    url = f"{base_url}/api/v1/trace/stream?v=1&state={link_state(request, packed=True)}"
    asked: list[str] = []
    page.on("request", lambda r: "trace/stream" in r.url and asked.append(r.url))
    heard = page.evaluate(LISTEN, [url, TRACE_TYPES, True])
    assert [h["data"] for h in heard] == posted(api, "/api/v1/trace/stream", request)
    assert [h["id"] for h in heard] == [str(i) for i in range(len(heard) - 1)] + ["done"]
    # Left open, EventSource reconnects once, naming done (Last-Event-ID, which Playwright
    # does not show); the 204 closes it for good, and nothing was heard twice.
    page.wait_for_function("() => window.source.readyState === EventSource.CLOSED", timeout=20000)
    assert len(asked) == 2
    assert page.evaluate("() => window.heard.length") == len(heard)


def test_a_training_stream_cut_after_a_snapshot_goes_on_from_there(
    page: Page, api: httpx.Client, base_url: str
) -> None:
    url = f"{base_url}/api/v1/train/stream?v=1&state={link_state(TRAINING, packed=True)}"
    whole = posted(api, "/api/v1/train/stream", TRAINING)
    cut_after = [i for i, e in enumerate(whole) if e["type"] == "snapshot"][1]  # epoch 3's
    asked: list[str] = []

    def cut_once(route: Route) -> None:
        asked.append(route.request.url)
        if len(asked) > 1:
            route.continue_()
            return
        frames = route.fetch().text().split("\n\n")[: cut_after + 1]
        body = "".join(frame + "\n\n" for frame in frames)
        route.fulfill(status=200, headers={"content-type": "text/event-stream"}, body=body)

    page.route("**/api/v1/train/stream?**", cut_once)
    heard = page.evaluate(LISTEN, [url, TRAIN_TYPES, False])
    # EventSource's own reconnect: its Last-Event-ID (the snapshot's id) made the server go
    # on after it, so every event was heard once, in order.
    assert len(asked) == 2
    assert [h["data"] for h in heard] == whole
    assert [h["id"] for h in heard][: cut_after + 2] == [str(i) for i in range(cut_after + 2)]
