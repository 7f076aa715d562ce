"""The GET streams (issue 20): the request as a share link's `state`, so that the browser's
EventSource can read them; Last-Event-ID goes on after the last event heard, and after the
done event a 204 stops EventSource. The oracle is the POST stream of the same request,
from the same server: the same events, numbered the same, byte for byte."""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import httpx
import pytest

from tests.api.helpers import link_state, post_json

SSE = {"accept": "text/event-stream"}
TRACE = "/api/v1/trace/stream"
TRAIN = "/api/v1/train/stream"
TRAINING = {
    "network": {
        "layers": [2, 4, 1],
        "activations": ["tanh", "sigmoid"],
        "loss": "binary_cross_entropy",
    },
    "dataset": {"name": "xor", "samples": 40, "seed": 2},
    "learning_rate": 0.3,
    "epochs": 12,
    "report_every": 3,
    "grid": 5,
}


def frames(text: str) -> list[tuple[str, str]]:
    """(id, data) of each SSE frame."""
    out = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        out.append((fields["id"], fields["data"]))
    return out


def preset(client: httpx.Client) -> dict[str, Any]:
    request = client.get("/api/v1/presets/worked-example-2-2-2").json()
    request["network"]["biases"][0][1] = -0.0  # a −0 goes through the link and back
    return request


@pytest.mark.parametrize("packed", [False, True], ids=["json", "deflate"])
def test_the_trace_stream_by_get_is_the_post_streams(client: httpx.Client, packed: bool) -> None:
    request = preset(client)
    posted = frames(post_json(client, TRACE, request, headers=SSE).text)
    r = client.get(TRACE, params={"v": "1", "state": link_state(request, packed)}, headers=SSE)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    got = frames(r.text)
    # The same events, the same numbers; only the done event's id is the word "done".
    assert [d for _, d in got] == [d for _, d in posted]
    assert [i for i, _ in got] == [i for i, _ in posted[:-1]] + ["done"]
    ndjson = client.get(TRACE, params={"state": link_state(request, packed)})
    assert ndjson.headers["content-type"].startswith("application/x-ndjson")
    assert [json.loads(x) for x in ndjson.text.splitlines()] == [json.loads(d) for _, d in posted]


def test_last_event_id_goes_on_after_it_and_done_is_the_end(client: httpx.Client) -> None:
    request = preset(client)
    params = {"v": "1", "state": link_state(request, True)}
    whole = frames(client.get(TRACE, params=params, headers=SSE).text)
    rest = frames(client.get(TRACE, params=params, headers={**SSE, "Last-Event-ID": "6"}).text)
    assert rest == whole[7:]
    end = client.get(TRACE, params=params, headers={**SSE, "Last-Event-ID": "done"})
    assert end.status_code == 204 and end.content == b""


def test_a_training_run_by_get_goes_on_from_the_snapshot_it_was_cut_at(
    client: httpx.Client,
) -> None:
    state = link_state(TRAINING, True)
    posted = frames(post_json(client, TRAIN, TRAINING, headers=SSE).text)
    got = frames(client.get(TRAIN, params={"state": state}, headers=SSE).text)
    assert [d for _, d in got] == [d for _, d in posted]
    snapshots = [i for i, d in got if json.loads(d)["type"] == "snapshot"]
    for cut in snapshots[1:3]:  # reconnect after epoch 3's and epoch 6's snapshot
        rest = client.get(TRAIN, params={"state": state}, headers={**SSE, "Last-Event-ID": cut})
        assert rest.status_code == 200
        assert frames(rest.text) == got[int(cut) + 1 :]
    done = client.get(TRAIN, params={"state": state}, headers={**SSE, "Last-Event-ID": "done"})
    assert done.status_code == 204


def refusal(r: httpx.Response, status: int = 422) -> dict[str, Any]:
    assert r.status_code == status, r.text
    (item,) = r.json()["detail"]
    return item


def encoded(raw: bytes, kind: str = "j") -> str:
    return kind + base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    ("state", "reason"),
    [
        ("j", "empty"),
        ("j%%%", "base64url"),
        (encoded(b"not deflate", "z"), "deflate"),
        (encoded(b"{}", "x"), "encoding"),
        (encoded(b"{not json"), "json"),
        (encoded(b'{"view": {}}'), "request"),
        (encoded(b"[1, 2]"), "request"),
    ],
)
def test_a_state_that_is_not_a_links_is_refused_saying_why(
    client: httpx.Client, state: str, reason: str
) -> None:
    for path in (TRACE, TRAIN):
        item = refusal(client.get(path, params={"state": state}))
        assert (item["field"], item["type"], item["ctx"]) == (
            "state",
            "state_invalid",
            {"reason": reason},
        )


def test_a_states_request_is_checked_as_a_post_body_is(
    client: httpx.Client, limits: dict[str, Any]
) -> None:
    request = preset(client)
    request["learning_rate"] = 5000
    posted = refusal(post_json(client, "/api/v1/trace", request))
    got = refusal(client.get(TRACE, params={"state": link_state(request, False)}))
    assert got["field"] == "state.request." + posted["field"] == "state.request.learning_rate"
    assert got["loc"] == ["query", "state", "request", "learning_rate"]
    assert (got["msg"], got["type"], got["ctx"]) == (posted["msg"], posted["type"], posted["ctx"])
    request = preset(client)
    request["input"] = [1.0, "x"]
    item = refusal(client.get(TRACE, params={"state": link_state(request, True)}))
    assert (item["field"], item["type"]) == ("state.request.input[1]", "float_type")
    no_network = {k: v for k, v in TRAINING.items() if k != "network"}
    item = refusal(client.get(TRAIN, params={"state": link_state(no_network, False)}))
    assert (item["field"], item["type"]) == ("state.request.network", "missing")


def test_a_state_that_inflates_past_the_body_cap_is_a_413(client: httpx.Client) -> None:
    cap = 1024 * 1024  # the server's max_body_bytes (tests/server.py leaves the default)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = deflate.compress(b'{"request": {' + b" " * (cap * 4) + b"}}") + deflate.flush()
    assert len(bomb) < 8000  # it fits in a URL
    item = refusal(client.get(TRACE, params={"state": encoded(bomb, "z")}), 413)
    assert (item["field"], item["type"], item["ctx"]) == ("state", "too_large", {"limit": cap})


def test_the_version_and_last_event_id_are_checked(client: httpx.Client) -> None:
    state = link_state(preset(client), False)
    item = refusal(client.get(TRACE, params={"v": "2", "state": state}))
    assert (item["field"], item["type"]) == ("v", "literal_error")
    item = refusal(client.get(TRACE, params={"state": state}, headers={"Last-Event-ID": "x1"}))
    assert (item["field"], item["type"]) == ("Last-Event-ID", "not_a_whole_number")
    item = refusal(client.get(TRACE))
    assert (item["field"], item["type"]) == ("state", "missing")
