"""Embedding, from the host's side: host pages on a second origin (tests/browser/hosts.py)
load the app's /static/embed.js by absolute URL and talk to /embed frames over postMessage,
as docs/embedding.md describes. A real server, a real Chromium, real messages."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Frame, Page

from tests.browser.conftest import FAST, PageLog
from tests.browser.hosts import HostSite, host_site

MIN_HEIGHT, MAX_HEIGHT = 240, 4000  # embed.js clamps the iframe's height to these

# A network no preset has: 3-4-2, tanh then sigmoid, squared error, every number chosen here.
CUSTOM: dict[str, Any] = {
    "network": {
        "layers": [3, 4, 2],
        "activations": ["tanh", "sigmoid"],
        "loss": "squared_error",
        "weights": [
            [[0.21, -0.43, 0.17], [0.72, 0.31, -0.55], [-0.64, 0.83, 0.29], [0.05, -0.15, 0.91]],
            [[0.52, -0.37, 0.81, -0.12], [-0.73, 0.44, 0.26, 0.61]],
        ],
        "biases": [[0.1, 0.0, -0.2, 0.05], [0.3, -0.1]],
    },
    "input": [0.5, -1.0, 0.25],
    "target": [0.0, 1.0],
    "learning_rate": 0.35,
}

CONNECT = "<script>window.viz = BackpropViz.connect(document.getElementById('viz'));</script>"


@pytest.fixture(scope="session")
def site(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSite]:
    with host_site(tmp_path_factory.mktemp("hosts"), base_url) as s:
        yield s


@pytest.fixture
def open_host(browser: Browser, page_log: PageLog) -> Iterator[Callable[[str], Page]]:
    """Open a host page in a fresh context that records errors (the frames' too)."""
    pages: list[Page] = []

    def open_(url: str) -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and page_log.console_errors.append(m.text))
        page.on("pageerror", lambda e: page_log.page_errors.append(str(e)))
        page.on("response", lambda r: page_log.responses.append((r.status, r.url)))
        pages.append(page)
        page.goto(url)
        return page

    yield open_
    for page in pages:
        page.context.close()


def iframe(frame_id: str, src: str, extra: str = "") -> str:
    return (
        f'<iframe id="{frame_id}" src="{src}" title="backprop-viz" {extra} '
        'style="width:1000px;height:640px;border:0"></iframe>'
    )


def wait_message(
    page: Page, frame_id: str, predicate: str, arg: Any = None, after: int = 0
) -> dict[str, Any]:
    """The first recorded message {origin, frame, data} from that iframe, at or after index
    `after`, whose data `d` satisfies the JS expression `predicate` (which may use `arg`)."""
    js = (
        "([id, after, arg]) => messages.slice(after).find((m) => m.frame === id && "
        f"((d, arg) => !!d && typeof d === 'object' && ({predicate}))(m.data, arg)) || null"
    )
    return page.wait_for_function(js, arg=[frame_id, after, arg]).json_value()


def messages_from(page: Page, frame_id: str, after: int = 0) -> list[dict[str, Any]]:
    return page.evaluate(
        "([id, after]) => messages.slice(after).filter((m) => m.frame === id)", [frame_id, after]
    )


def count(page: Page) -> int:
    return page.evaluate("() => messages.length")


def embed_frame(page: Page, index: int = 0) -> Frame:
    frames = [f for f in page.frames if urlsplit(f.url).path == "/embed"]
    return frames[index]


def assert_clean(log: PageLog, *, allowed_console: tuple[str, ...] = ()) -> None:
    assert log.page_errors == []
    assert [m for m in log.console_errors if not any(a in m for a in allowed_console)] == []


def stream_events(api: httpx.Client, request: dict[str, Any]) -> list[dict[str, Any]]:
    r = api.post("/api/v1/trace/stream", json=request)
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines() if line.strip()]


def clamped(height: float) -> str:
    return f"{math.ceil(min(MAX_HEIGHT, max(MIN_HEIGHT, height)))}px"


# ---- BackpropViz.connect from another origin ------------------------------------------------


def test_host_on_another_origin_loads_a_network_and_steps_it(
    open_host: Callable[[str], Page],
    site: HostSite,
    base_url: str,
    api: httpx.Client,
    page_log: PageLog,
) -> None:
    page = open_host(site.page(iframe("viz", f"{base_url}/embed?preset=xor"), CONNECT))
    ready = page.evaluate("() => viz.ready")
    assert ready["type"] == "ready"
    assert ready["source"] == "backprop-viz"
    assert ready.get("version")
    assert wait_message(page, "viz", "d.type === 'ready'")["origin"] == base_url

    # getState is the frame's own backpropViz.state(): here the xor preset, as the API has it.
    frame = embed_frame(page)
    xor = api.get("/api/v1/presets/xor").json()
    assert page.evaluate("() => viz.getState()") == xor
    assert frame.evaluate("() => window.backpropViz.state()") == xor

    # load a network no preset has: a "state" message carries exactly its numbers.
    n = count(page)
    loaded = page.evaluate("r => viz.load(r)", CUSTOM)
    weights = CUSTOM["network"]["weights"]
    message = wait_message(
        page,
        "viz",
        "d.type === 'state' && d.state && d.state.network && "
        "JSON.stringify(d.state.network.weights) === JSON.stringify(arg)",
        arg=weights,
        after=n,
    )
    state = message["data"]["state"]
    assert message["data"]["source"] == "backprop-viz"
    assert message["data"]["isUserInitiated"] is False
    assert state["network"]["weights"] == weights
    assert state["network"]["biases"] == CUSTOM["network"]["biases"]
    for key in ("layers", "activations", "loss"):
        assert state["network"][key] == CUSTOM["network"][key]
    for key in ("input", "target", "learning_rate"):
        assert state[key] == CUSTOM[key]
    assert loaded == state
    assert page.evaluate("() => viz.getState()") == state
    assert frame.evaluate("() => window.backpropViz.state()") == state

    # One step at test speed: every stream event, animated and posted in order, then the
    # step's answer is the "done" event.
    assert page.evaluate("s => viz.setSpeed(s)", FAST) is None
    n = count(page)
    done = page.evaluate("() => viz.step()")
    wait_message(page, "viz", "d.type === 'event' && d.event && d.event.type === 'done'", after=n)
    posted = [m["data"] for m in messages_from(page, "viz", n) if m["data"].get("type") == "event"]
    assert all(d["source"] == "backprop-viz" for d in posted)
    events = [d["event"] for d in posted]
    expected = stream_events(api, CUSTOM)
    assert events[0]["type"] == "forward"
    assert events[-1]["type"] == "done"
    assert [e["type"] for e in events] == [e["type"] for e in expected]
    assert events == expected
    assert done == events[-1] == expected[-1]

    # Its preferred height, in the protocol's own form and in Canvas's.
    resize = wait_message(page, "viz", "d.type === 'resize'")["data"]
    assert resize["source"] == "backprop-viz"
    assert isinstance(resize["height"], int | float) and resize["height"] > 0
    canvas = wait_message(page, "viz", "d.subject === 'lti.frameResize'")["data"]
    assert isinstance(canvas["height"], int | float) and canvas["height"] > 0

    # Every protocol message from the frame is marked as the frame's.
    typed = [m["data"] for m in messages_from(page, "viz") if "type" in m["data"]]
    assert {d["type"] for d in typed} >= {"ready", "state", "event", "resize", "response"}
    assert all(d["source"] == "backprop-viz" for d in typed)
    assert_clean(page_log)
    assert page_log.failed() == []


def test_sandboxed_frame_with_an_opaque_origin_works(
    open_host: Callable[[str], Page],
    site: HostSite,
    base_url: str,
    api: httpx.Client,
    page_log: PageLog,
) -> None:
    # sandbox="allow-scripts" without allow-same-origin (as WordPress frames embeds): the
    # frame's origin is "null", so its modules and API calls need CORS.
    src = f"{base_url}/embed?preset=xor"
    page = open_host(site.page(iframe("viz", src, 'sandbox="allow-scripts"'), CONNECT))
    ready = page.evaluate("() => viz.ready")
    assert ready["type"] == "ready"
    assert wait_message(page, "viz", "d.type === 'ready'")["origin"] == "null"
    assert page.evaluate("() => viz.getState()") == api.get("/api/v1/presets/xor").json()
    assert_clean(page_log)
    assert page_log.failed() == []


def test_connect_after_the_frame_is_ready_probes_with_getstate(
    open_host: Callable[[str], Page],
    site: HostSite,
    base_url: str,
    api: httpx.Client,
    page_log: PageLog,
) -> None:
    page = open_host(site.page(iframe("viz", f"{base_url}/embed?preset=xor")))
    wait_message(page, "viz", "d.type === 'ready'")
    answer = page.evaluate(
        "() => { window.late = BackpropViz.connect(document.getElementById('viz'));"
        " return late.ready; }"
    )
    assert answer["type"] == "response"
    assert answer["source"] == "backprop-viz"
    assert answer["result"] == api.get("/api/v1/presets/xor").json()
    assert (
        page.evaluate("() => late.load('worked-example-2-2-2')")
        == api.get("/api/v1/presets/worked-example-2-2-2").json()
    )
    assert_clean(page_log)


# ---- junk ------------------------------------------------------------------------------------

JUNK_JS = """(id) => {
  const w = document.getElementById(id).contentWindow;
  const many = (n, x) => new Array(n).fill(x);
  const junk = [
    "load", "", "x".repeat(2000000), 42, null, true, [], ["load", "xor"], {},
    {type: "load"}, {type: "load", id: "j1"}, {type: "load", request: 42, id: "j2"},
    {type: "load", request: "worked-example-2-2-2", id: "j3"}, {type: "load", preset: 42, id: "j4"},
    {type: "load", request: null, id: "j5"}, {type: "load", request: {}, id: "j6"},
    {type: "load", request: {network: "x"}, id: "j7"},
    {type: "load", request: {network: {layers: [3, 4, 2]}}, id: "j8"},
    {type: "load", request: [1, 2], preset: {}, id: "j9"},
    {type: "rm -rf", id: "j10"}, {type: "rm -rf"}, {type: "__proto__", id: "j11"},
    {type: "constructor", id: "j12"}, {type: "toString"}, {type: "hasOwnProperty", id: "j13"},
    {type: 42, id: "j14"}, {type: null}, {type: ["load"], preset: "worked-example-2-2-2"},
    {type: {}, id: "j15"}, {type: "setSpeed", speed: "fast", id: "j16"},
    {type: "setSpeed", id: "j17"},
    {type: "state", source: "backprop-viz", isUserInitiated: true,
     state: {network: {layers: [1, 1], activations: ["sigmoid"], loss: "squared_error"}}},
    {type: "response", id: "j1", result: {}}, {type: "ready", version: "9"},
    {message: "ready", secret: "nope"}, {subject: "lti.frameResize", height: 9},
    {type: "load", payload: "y".repeat(3000000), id: "j18"},
    // Well-formed but refused, each with an id: each must be answered with an error.
    {type: "load", preset: "no-such-preset", id: "bad-preset"},
    {type: "load", id: "too-many-layers", request: {
      network: {layers: many(100000, 3), activations: many(99999, "tanh"), loss: "squared_error"},
      input: [0, 0, 0], target: [0, 0, 0], learning_rate: 0.1}},
    {type: "load", id: "too-big", request: {
      network: {layers: [3, 1], activations: ["sigmoid"], loss: "squared_error"},
      input: many(400000, 0.5), target: [1], learning_rate: 0.1}},
  ];
  for (const m of junk) w.postMessage(m, "*");
  return junk.length;
}"""

REFUSED = ["bad-preset", "too-many-layers", "too-big"]


def test_junk_messages_change_nothing(
    open_host: Callable[[str], Page], site: HostSite, base_url: str, page_log: PageLog
) -> None:
    page = open_host(site.page(iframe("viz", f"{base_url}/embed?preset=xor"), CONNECT))
    page.evaluate("() => viz.ready")
    frame = embed_frame(page)
    before = page.evaluate("() => viz.getState()")
    assert before == frame.evaluate("() => window.backpropViz.state()")
    n = count(page)
    assert page.evaluate(JUNK_JS, "viz") >= 40

    # The refused loads come last; wait for their errors, then ask for the state once more.
    for rid in REFUSED:
        answer = wait_message(
            page, "viz", "d.type === 'response' && d.id === arg", arg=rid, after=n
        )
        assert isinstance(answer["data"].get("error"), str) and answer["data"]["error"], answer
        assert "result" not in answer["data"], answer
    after = page.evaluate("() => viz.getState()")
    assert after == before
    assert frame.evaluate("() => window.backpropViz.state()") == before

    received = [m["data"] for m in messages_from(page, "viz", n)]
    # No state change was announced, and a malformed command got an error or nothing.
    assert [d for d in received if d.get("type") == "state"] == []
    ours = ("j", "bad-", "too-")  # the junk's ids (the client's own are "bv1-…")
    answers = [
        d for d in received if d.get("type") == "response" and str(d.get("id")).startswith(ours)
    ]
    for d in answers:
        assert isinstance(d.get("error"), str) and d["error"] and "result" not in d, d
    # The frame still works.
    assert page.evaluate("() => viz.load('worked-example-2-2-2')")["network"]["layers"] == [2, 2, 2]
    # The refused loads reach the API, whose 4xx the browser reports on the console.
    assert_clean(page_log, allowed_console=("Failed to load resource",))


# ---- embed.js auto-mount -----------------------------------------------------------------------

MOUNT_BODY = """
<div id="plain" data-backprop-viz data-preset="xor"></div>
<div id="tuned" data-backprop-viz data-preset="worked-example-2-2-2" data-hide="editor,panel"
     data-theme="dark" data-lang="en" data-speed="2" data-step="backward"
     data-title="The worked example" data-height="300"></div>
"""

# After embed.js: its DOMContentLoaded listener (the mount, which connects each client) runs
# before this one, so this page's message listener, added here, runs after the clients' and
# records, for each resize message, the reported height and the iframe's height right after
# embed.js handled it.
MOUNT_SCRIPT = """<script>
window.heights = [];
document.addEventListener("DOMContentLoaded", () => {
  window.initial = [...document.querySelectorAll("[data-backprop-viz]")]
    .map((d) => ({id: d.id, height: d.firstElementChild.style.height}));
  addEventListener("message", (e) => {
    const f = [...document.querySelectorAll("[data-backprop-viz] > iframe")]
      .find((i) => i.contentWindow === e.source);
    if (f && e.data && e.data.type === "resize")
      heights.push({id: f.parentElement.id, reported: e.data.height, style: f.style.height});
  });
});
</script>"""

IFRAMES_JS = """() => [...document.querySelectorAll("[data-backprop-viz]")].map((d) => {
  const f = d.querySelector("iframe");
  return {id: d.id, children: d.children.length, src: f.src, title: f.title,
          loading: f.getAttribute("loading"), allowfullscreen: f.hasAttribute("allowfullscreen"),
          width: f.style.width, border: f.style.borderStyle || f.style.border,
          display: f.style.display,
          client: !!d.backpropViz && typeof d.backpropViz.step === "function"};
})"""


def test_embed_js_mounts_divs_into_frames_that_follow_their_height(
    open_host: Callable[[str], Page], site: HostSite, base_url: str, page_log: PageLog
) -> None:
    page = open_host(site.page(MOUNT_BODY, MOUNT_SCRIPT))
    assert page.evaluate("() => initial") == [
        {"id": "plain", "height": "520px"},
        {"id": "tuned", "height": "300px"},
    ]
    # Titled by the preset's title once the server (then the frame) has said it.
    page.wait_for_function("() => document.querySelector('#plain iframe').title !== 'backprop-viz'")
    plain, tuned = page.evaluate(IFRAMES_JS)
    for f in (plain, tuned):
        assert f["children"] == 1
        assert f["loading"] == "lazy"
        assert f["allowfullscreen"] is True
        assert (f["width"], f["display"]) == ("100%", "block")
        assert f["border"] in ("none", "0px", "0")
        assert f["client"] is True
        assert f["src"].startswith(f"{base_url}/embed?")
    assert plain["title"] == "backprop-viz: XOR, one sample"  # the preset's title, as oEmbed's
    assert tuned["title"] == "The worked example"
    assert parse_qs(urlsplit(plain["src"]).query) == {"preset": ["xor"]}
    assert parse_qs(urlsplit(tuned["src"]).query) == {
        "preset": ["worked-example-2-2-2"],
        "hide": ["editor,panel"],
        "theme": ["dark"],
        "lang": ["en"],
        "speed": ["2"],
        "step": ["backward"],
    }
    readies = page.evaluate(
        "() => Promise.all([...document.querySelectorAll('[data-backprop-viz]')]"
        ".map((d) => d.backpropViz.ready))"
    )
    assert [r["type"] for r in readies] == ["ready", "ready"]

    # Each frame reports its height; its iframe takes it (clamped), message by message.
    for div in ("plain", "tuned"):
        page.wait_for_function("id => heights.some((h) => h.id === id)", arg=div)
    records = page.evaluate("() => heights")
    assert all(r["reported"] > 0 for r in records), records
    assert all(r["style"] == clamped(r["reported"]) for r in records), records
    for div in ("plain", "tuned"):
        # The iframe's height now is the clamp of the last height its frame reported.
        page.wait_for_function(
            """id => {
              const last = heights.filter((h) => h.id === id).pop();
              const box = document.getElementById(id).firstElementChild.getBoundingClientRect();
              const want = Math.ceil(Math.min(4000, Math.max(240, last.reported)));
              return box.height === want;
            }""",
            arg=div,
        )

    # The clamp, with heights posted by the frame's own window.
    frame = page.query_selector("#plain > iframe").content_frame()
    assert frame is not None
    synthetic = [10, 10000, 777.25]
    n = page.evaluate("() => heights.length")
    frame.evaluate(
        """(hs) => { for (const height of hs)
             parent.postMessage({type: "resize", height, source: "backprop-viz"}, "*"); }""",
        synthetic,
    )
    clamps = page.wait_for_function(
        """([n, hs]) => {
          const mine = heights.slice(n).filter((h) => hs.includes(h.reported));
          return mine.length === hs.length && mine;
        }""",
        arg=[n, synthetic],
    ).json_value()
    assert [(c["id"], c["reported"], c["style"]) for c in clamps] == [
        ("plain", 10, "240px"),
        ("plain", 10000, "4000px"),
        ("plain", 777.25, "778px"),
    ]
    assert_clean(page_log)
    assert page_log.failed() == []


def test_mount_puts_options_and_the_state_into_the_frame_url(
    open_host: Callable[[str], Page], site: HostSite, base_url: str
) -> None:
    page = open_host(site.page("<p>no frames here</p>"))
    assert page.evaluate("() => BackpropViz.server") == base_url
    assert page.evaluate("() => typeof BackpropViz.version") == "string"
    # A detached element: the iframe is built but never loads.
    src, title, height = page.evaluate(
        """() => {
          const el = document.createElement("div");
          el.dataset.theme = "light";
          const client = BackpropViz.mount(el, {state: "a b+c/=&x", theme: "projector",
                                                autoplay: true, speed: 0.5, height: 400});
          const f = el.firstElementChild;
          client.destroy();
          return [f.src, f.title, f.style.height];
        }"""
    )
    assert src.startswith(f"{base_url}/embed?")
    assert parse_qs(urlsplit(src).query) == {
        "v": ["1"],
        "state": ["a b+c/=&x"],
        "theme": ["projector"],
        "autoplay": ["true"],
        "speed": ["0.5"],
    }
    assert (title, height) == ("backprop-viz: a network", "400px")
    errors = page.evaluate(
        """() => { const out = [];
          try { BackpropViz.connect(document.body); } catch (e) { out.push(e.name); }
          const f = document.createElement("iframe"); f.src = "about:blank";
          const c = BackpropViz.connect(f);
          try { c.on("nonsense", () => {}); } catch (e) { out.push(e.name); }
          c.destroy();
          return c.ready.then(() => out, (e) => [...out, e.message]); }"""
    )
    assert errors == ["TypeError", "TypeError", "backprop-viz: client destroyed"]


def test_data_state_from_the_frames_link_brings_back_the_network(
    open_host: Callable[[str], Page], site: HostSite, base_url: str, page_log: PageLog
) -> None:
    page = open_host(site.page(iframe("viz", f"{base_url}/embed?preset=xor"), CONNECT))
    loaded = page.evaluate("r => viz.load(r)", CUSTOM)
    # The link the frame offers (its window.backpropViz.link, as its share button uses).
    link = embed_frame(page).evaluate("() => window.backpropViz.link({embed: true})")
    query = parse_qs(urlsplit(link).query)
    assert query["v"] == ["1"]
    (encoded,) = query["state"]
    restored = page.evaluate(
        """(encoded) => {
          const div = document.createElement("div");
          div.id = "restored";
          div.dataset.backpropViz = "";
          div.dataset.state = encoded;
          document.body.append(div);
          const client = BackpropViz.mount(div);
          return client.ready.then(() => client.getState());
        }""",
        encoded,
    )
    src = page.evaluate("() => document.querySelector('#restored > iframe').src")
    assert parse_qs(urlsplit(src).query) == {"v": ["1"], "state": [encoded]}
    assert restored == loaded
    assert restored["network"]["weights"] == CUSTOM["network"]["weights"]
    assert_clean(page_log)
    assert page_log.failed() == []


# ---- WordPress ---------------------------------------------------------------------------------


def test_wordpress_frame_answers_ready_with_its_height(
    open_host: Callable[[str], Page], site: HostSite, base_url: str, page_log: PageLog
) -> None:
    # What WordPress's wp-embed does: a sandboxed frame with a secret in its hash; on
    # {message: "ready", secret} the frame answers {secret, message: "height", value}.
    src = f"{base_url}/embed?preset=xor#?secret=abc123"
    page = open_host(site.page(iframe("wp", src, 'sandbox="allow-scripts"')))
    wait_message(page, "wp", "d.type === 'ready'")
    resize = wait_message(page, "wp", "d.type === 'resize'")["data"]

    def wordpress(after: int = 0) -> list[dict[str, Any]]:
        return [m for m in messages_from(page, "wp", after) if m["data"].get("secret") is not None]

    n = count(page)
    page.evaluate(
        """() => document.getElementById("wp").contentWindow.postMessage(
             {message: "ready", secret: "abc123"}, "*")"""
    )
    answer = wait_message(page, "wp", "d.message === 'height'", after=n)
    assert answer["origin"] == "null"
    data = answer["data"]
    assert data["secret"] == "abc123"
    assert data["message"] == "height"
    assert isinstance(data["value"], int | float) and data["value"] > 0
    # The frame's latest height, in either form.
    latest = [m["data"] for m in messages_from(page, "wp") if m["data"].get("type") == "resize"]
    assert abs(data["value"] - (latest[-1] if latest else resize)["height"]) <= 1
    assert all(m["data"]["secret"] == "abc123" for m in wordpress())
    assert_clean(page_log)
    assert page_log.failed() == []


# ---- the example host page ---------------------------------------------------------------------


def test_example_host_page_drives_its_frame(
    open_host: Callable[[str], Page], base_url: str, page_log: PageLog
) -> None:
    page = open_host(f"{base_url}/static/examples/host.html")
    page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('The frame is ready')"
    )
    mounted = page.evaluate("() => document.querySelector('[data-backprop-viz]').backpropViz.ready")
    assert mounted["type"] == "ready"
    page.click('[data-do="load-custom"]')
    page.wait_for_function(
        "() => document.getElementById('status').textContent.startsWith('load the network: ')"
    )
    assert not page.evaluate("() => document.getElementById('status').classList.contains('error')")
    logged = page.evaluate(
        "() => [...document.querySelectorAll('#log li')].map((li) => li.textContent)"
    )
    assert any('"type":"state"' in line for line in logged)
    state = page.evaluate(
        "() => document.querySelector('#driven').contentWindow.backpropViz.state()"
    )
    assert state["network"]["layers"] == [3, 4, 2]
    assert_clean(page_log)
    assert page_log.failed() == []


def test_a_host_trains_in_a_sandboxed_frame_and_reads_its_numbers(
    open_host: Callable[[str], Page],
    site: HostSite,
    base_url: str,
    api: httpx.Client,
    page_log: PageLog,
) -> None:
    """train and getTraining over postMessage, in a frame at origin "null" (WordPress):
    the done event is the API's own for the same body, and a frame without the training
    view says so instead of training."""
    body = {
        "network": {
            "layers": [2, 4, 1],
            "activations": ["tanh", "sigmoid"],
            "loss": "binary_cross_entropy",
            "seed": 3,
        },
        "dataset": {"name": "xor", "samples": 60, "seed": 1, "test_ratio": 0.25},
        "learning_rate": 0.05,
        "optimizer": "adam",
        "batch_size": 10,
        "epochs": 30,
        "report_every": 10,
        "grid": 12,
    }
    frames = iframe("viz", f"{base_url}/embed?view=training", 'sandbox="allow-scripts"') + iframe(
        "plain", f"{base_url}/embed?preset=xor"
    )
    script = (
        CONNECT
        + "<script>window.plain = BackpropViz.connect(document.getElementById('plain'));</script>"
    )
    page = open_host(site.page(frames, script))
    page.evaluate("() => viz.ready")
    done = page.evaluate("(b) => viz.train(b)", body)
    lines = api.post("/api/v1/train/stream", json=body).text.splitlines()
    expected = json.loads(lines[-1])
    assert done["type"] == "done" and done["epoch"] == 30
    assert done["train_loss"] == expected["train_loss"]
    assert done["network"]["weights"] == expected["network"]["weights"]
    numbers = page.evaluate("() => viz.getTraining()")
    assert numbers["running"] is False and numbers["epoch"] == 30
    assert numbers["test_accuracy"] == expected["test_accuracy"]
    assert numbers["snapshots_drawn"] >= 1
    page.evaluate("() => plain.ready")
    refused = page.evaluate("(b) => plain.train(b).then(() => 'trained', (e) => e.message)", body)
    assert "no training view" in refused
    assert_clean(page_log)
