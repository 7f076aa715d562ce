"""One request per edit (issue 16): an edit of η, the input or the target is checked with
POST /trace, whose answer brings the step's events; Play then plays those events without
asking the server again, and they are the server's: the drawing ends at the numbers an
independent POST /trace/stream gives for the same request."""

from __future__ import annotations

import json
from typing import Any

import httpx
from playwright.sync_api import Page, Request

from tests.browser.helpers import close, links, neurons, run, state


class ApiCalls:
    """Every API request the page sends, as (method, path)."""

    def __init__(self, page: Page) -> None:
        self.calls: list[tuple[str, str]] = []
        page.on("request", self.heard)

    def heard(self, request: Request) -> None:
        path = request.url.split("://", 1)[1].split("/", 1)[1].split("?")[0]
        if path.startswith("api/v1/"):
            self.calls.append((request.method, path.removeprefix("api/v1/")))

    def take(self) -> list[tuple[str, str]]:
        calls, self.calls = self.calls, []
        return calls


def streamed(api: httpx.Client, request: dict[str, Any]) -> list[dict[str, Any]]:
    lines = api.post("/api/v1/trace/stream", json=request).text.strip().splitlines()
    return [json.loads(line) for line in lines]


def assert_drawn(page: Page, events: list[dict[str, Any]]) -> None:
    """The drawing after the step holds the streamed events' z, a, ∂l/∂z and ∂l/∂w."""
    forward = {(e["layer"], e["node"]): e for e in events if e["type"] == "forward"}
    backward = {(e["layer"], e["node"]): e for e in events if e["type"] == "backward"}
    gradient = {(e["layer"], e["node"]): e for e in events if e["type"] == "gradient"}
    for n in neurons(page):
        if n["layer"] == 0:
            continue
        key = (n["layer"], n["node"])
        assert close(n["z"], forward[key]["z"]) and close(n["a"], forward[key]["a"]), n
        assert close(n["dl_dz"], backward[key]["dl_dz"]), n
    for link in links(page):
        dl_dw = gradient[(link["layer"] + 1, link["to"])]["dl_dw"][link["from"]]
        assert close(link["dl_dw"], dl_dw), link


def test_an_eta_edit_is_one_request_and_play_plays_its_events(
    page: Page, api: httpx.Client
) -> None:
    calls = ApiCalls(page)
    page.fill('[data-control="learning-rate"]', "0.25")
    page.press('[data-control="learning-rate"]', "Enter")
    page.wait_for_function("() => window.backpropViz.state().learning_rate === 0.25")
    assert calls.take() == [("POST", "trace")]
    done = run(page)
    assert calls.take() == []  # the step's events came with the check
    events = streamed(api, state(page))
    assert done == events[-1]
    assert_drawn(page, events)


def test_an_input_edit_is_one_request_and_a_second_step_asks_again(
    page: Page, api: httpx.Client
) -> None:
    calls = ApiCalls(page)
    edited = state(page)
    edited["input"] = [0.75, -0.25]
    page.evaluate("r => window.backpropViz.load(r)", edited)
    assert calls.take() == [("POST", "trace")]
    run(page)
    assert calls.take() == []
    assert_drawn(page, streamed(api, edited))
    # Step after a finished step continues from θ¹: a new network, checked by POST /network,
    # and its step streamed (nothing was computed for it yet).
    before = page.evaluate("() => JSON.stringify(window.backpropViz.state().network)")
    page.click('[data-action="step"]')
    page.wait_for_function(
        """b => JSON.stringify(window.backpropViz.state().network) !== b
                && window.backpropViz.store.state.playback.finished""",
        arg=before,
    )
    assert calls.take() == [("POST", "network"), ("POST", "trace/stream")]
    assert_drawn(page, streamed(api, state(page)))


def test_a_refused_edit_keeps_nothing(page: Page, api: httpx.Client) -> None:
    before = state(page)
    calls = ApiCalls(page)
    page.fill('[data-control="learning-rate"]', "-1")
    page.press('[data-control="learning-rate"]', "Enter")
    page.wait_for_selector('[data-bind="status"].error')
    assert state(page) == before
    run(page)
    # The shown request's step, streamed as before: the refused check brought no events.
    assert ("POST", "trace/stream") in calls.take()
    assert_drawn(page, streamed(api, before))
