"""Large and dense networks in the page (issue 8, item 4).

- The largest network the API accepts (GET /api/v1/capabilities) loads and finishes a step,
  drawn by the matrix view (how fast: benchmarks/bench_large_page.py, not asserted here).
- The matrix view's readout shows the server's numbers: a weight's w, ∂l/∂w and w|θ¹ and a
  neuron's z, a, σ'(z), ∂l/∂z, reached with the keyboard, are those of POST /api/v1/trace
  bit for bit; Enter picks the cell like a click on a link does; a tap shows it too.
- The deep preset (2-8×6-1) and ten layers of 8, at 1280 × 800 and 800 × 600: no text of
  the drawing lies over a link (the weights' own numbers excepted: they sit on their links),
  and the neuron the latest event is about shows its numbers in the readout.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import FAST, PageLog, open_page
from tests.browser.helpers import wide_request


def readout(page: Page, **expect: str) -> dict[str, str]:
    """The matrix view's readout: its data-* hooks, once it is on screen and says `expect`
    (it is painted with the next animation frame after a key or a tap)."""
    page.wait_for_function(
        """(expect) => { const r = document.querySelector('.matrix-view .matrix-readout');
          return r && !r.hidden &&
            Object.entries(expect).every(([k, v]) => r.dataset[k] === v); }""",
        arg=expect,
    )
    return page.evaluate(
        "() => ({...document.querySelector('.matrix-view .matrix-readout').dataset})"
    )


def press(page: Page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


@pytest.fixture
def page_for(browser: Browser, base_url: str) -> Iterator[Any]:
    """A fresh page at a given size; asserts no page or console errors at the end."""
    opened: list[tuple[Page, PageLog]] = []

    def make(width: int = 1280, height: int = 800, **options: Any) -> Page:
        log = PageLog()
        page = open_page(
            browser, base_url + "/", log, viewport={"width": width, "height": height}, **options
        )
        opened.append((page, log))
        return page

    yield make
    for page, log in opened:
        page.context.close()
        assert log.page_errors == [] and log.console_errors == []


def test_the_largest_network_loads_and_finishes_a_step(page_for: Any, api: httpx.Client) -> None:
    limits = api.get("/api/v1/capabilities").json()["limits"]
    layers = [limits["max_neurons"]] * limits["max_layers"]
    page = page_for()
    page.evaluate("r => window.backpropViz.load(r)", wide_request(layers))
    assert page.get_attribute('[data-bind="canvas"]', "data-renderer") == "matrix"
    done = page.evaluate("s => window.backpropViz.run(s)", FAST)
    assert done["type"] == "done" and done["loss_after"] is not None
    # Every event of the step was shown, and the canvas painted the last of them.
    playback = page.evaluate(
        "() => { const p = window.backpropViz.store.state.playback;"
        " return {cursor: p.cursor, total: p.total, finished: p.finished}; }"
    )
    neurons = sum(layers[1:])
    assert playback == {"cursor": 4 * neurons + 2, "total": 4 * neurons + 2, "finished": True}
    page.wait_for_function("() => document.querySelector('canvas.matrix').dataset.phase === 'done'")
    host = page.locator(".matrix-view")
    assert float(host.get_attribute("data-loss-after")) == done["loss_after"]
    # No SVG link was made for it.
    assert page.locator("svg.network .link").count() == 0


def test_the_matrix_readout_shows_the_servers_numbers(page_for: Any, api: httpx.Client) -> None:
    request = wide_request([3, 20, 2])
    page = page_for()
    page.evaluate("r => window.backpropViz.load(r)", request)
    assert page.get_attribute('[data-bind="canvas"]', "data-renderer") == "matrix"
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    state = page.evaluate("() => window.backpropViz.state()")
    trace = api.post("/api/v1/trace", json=state).json()
    w0 = state["network"]["weights"]
    w1 = trace["network"]["weights"]

    page.focus("canvas.matrix")
    # From the first input neuron: right into w¹ (row 0, column 0), down to row 5, right to
    # column 2 (the last input), then right again onto neuron 5 of layer 1.
    press(page, "ArrowRight", *["ArrowDown"] * 5, "ArrowRight", "ArrowRight")
    got = readout(page, kind="weight", layer="0", **{"from": "2", "to": "5"})
    assert float(got["w"]) == w0[0][5][2]
    assert float(got["dlDw"]) == trace["layers"][1]["dl_dw"][5][2]
    assert float(got["wNew"]) == w1[0][5][2]
    assert w1[0][5][2] != w0[0][5][2]  # the update changed it: the readout shows both

    press(page, "ArrowRight")
    got = readout(page, kind="neuron", layer="1", node="5")
    layer = trace["layers"][1]
    for key, field in (("z", "z"), ("a", "a"), ("daDz", "da_dz"), ("dlDz", "dl_dz")):
        assert float(got[key]) == layer[field][5], key
    assert float(got["bNew"]) == trace["network"]["biases"][0][5]

    # Enter picks the cell for the equation panel and the editor, as a click on the SVG does.
    press(page, "Enter")
    selection = page.evaluate("() => window.backpropViz.store.state.selection")
    assert selection == {"kind": "bias", "layer": 1, "node": 5}

    # The arrow keys moved the cursor, not the player.
    cursor = page.evaluate("() => window.backpropViz.player.cursor")
    assert cursor == page.evaluate("() => window.backpropViz.player.events.length")


def test_a_tap_on_the_matrix_shows_its_numbers(page_for: Any, api: httpx.Client) -> None:
    """On a phone, nothing only hover reveals: a tap on a cell shows its numbers."""
    page = page_for(390, 844, has_touch=True, is_mobile=True)
    page.evaluate("r => window.backpropViz.load(r)", wide_request([3, 20, 2]))
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    state = page.evaluate("() => window.backpropViz.state()")
    trace = api.post("/api/v1/trace", json=state).json()
    # Where weight w¹ (row 7, column 1) is: the layout the drawing used, for its size.
    x, y = page.evaluate(
        """async () => {
          const { computeMatrixLayout } = await import('/static/js/drawing/layout.js');
          const canvas = document.querySelector('canvas.matrix');
          const box = document.querySelector('[data-bind="canvas"]').getBoundingClientRect();
          const lay = computeMatrixLayout([3, 20, 2], box.width, box.height);
          const m = lay.mats[0];
          const c = canvas.getBoundingClientRect();
          return [c.left + m.x + 1.5 * m.cw, c.top + m.y0 + 7.5 * m.ch];
        }"""
    )
    page.touchscreen.tap(x, y)
    got = readout(page, kind="weight")
    assert (got["layer"], got["from"], got["to"]) == ("0", "1", "7")
    assert float(got["dlDw"]) == trace["layers"][1]["dl_dw"][7][1]
    # The tap picked it, as a click does (the editor opens on a weight).
    selection = page.evaluate("() => window.backpropViz.store.state.selection")
    assert selection == {"kind": "weight", "layer": 1, "from": 1, "to": 7}


# Every visible text of the drawing against every link: a text's box may not be crossed by a
# link's line. The weights' own numbers are left out (each sits on its link, on a box of its
# own, by design) and so are the numbers inside neurons (within their circle, where links
# end) and the loss box's value (inside its box).
TEXT_OVER_LINKS_JS = """() => {
  const svg = document.querySelector('svg.network');
  const origin = svg.getBoundingClientRect();
  const segments = [...svg.querySelectorAll('.link path.stroke')].map((p) => {
    const [x0, y0, x1, y1] = p.getAttribute('d').match(/-?[\\d.]+(e-?\\d+)?/g).map(Number);
    return {x0, y0, x1, y1, owner: p.parentNode.dataset};
  });
  const texts = [...svg.querySelectorAll('text')].filter((t) =>
    t.textContent.trim() && t.checkVisibility({opacityProperty: true, visibilityProperty: true}) &&
    !t.closest('.wlabel') && !t.classList.contains('inner') && !t.classList.contains('probe') &&
    !t.classList.contains('loss-value') && !t.classList.contains('loss-after'));
  // Liang–Barsky: does the segment enter the box?
  const crosses = (s, b) => {
    let t0 = 0, t1 = 1;
    const dx = s.x1 - s.x0, dy = s.y1 - s.y0;
    const sides = [[-dx, s.x0 - b.l], [dx, b.r - s.x0], [-dy, s.y0 - b.t], [dy, b.b - s.y0]];
    for (const [p, q] of sides) {
      if (p === 0) { if (q < 0) return false; continue; }
      const r = q / p;
      if (p < 0) { if (r > t1) return false; if (r > t0) t0 = r; }
      else { if (r < t0) return false; if (r < t1) t1 = r; }
    }
    return true;
  };
  const hits = [];
  for (const t of texts) {
    const r = t.getBoundingClientRect();
    const b = {l: r.left - origin.left + 1, r: r.right - origin.left - 1,
               t: r.top - origin.top + 1, b: r.bottom - origin.top - 1};
    if (b.r <= b.l || b.b <= b.t) continue;
    const over = segments.filter((s) => crosses(s, b));
    const kind = t.getAttribute('class') || 'text';
    if (over.length) hits.push(`"${t.textContent}" (${kind}) × ${over.length} links`);
  }
  return {texts: texts.length, hits, dense: svg.hasAttribute('data-dense')};
}"""

SEEK_POINTS_JS = """() => {
  const events = window.backpropViz.player.events;
  const first = (type) => events.findIndex((e) => e.type === type);
  const backward = first('backward'), update = first('update');
  return {forward: Math.floor(backward / 2), loss: backward,
          'mid-backward': Math.floor((backward + update) / 2),
          'mid-update': Math.floor((update + events.length) / 2), done: events.length};
}"""


@pytest.mark.parametrize("size", [(1280, 800), (800, 600)], ids=["1280x800", "800x600"])
@pytest.mark.parametrize("network", ["2-8x6-1", "10x8"])
def test_dense_networks_put_no_text_over_links(
    page_for: Any, api: httpx.Client, network: str, size: tuple[int, int]
) -> None:
    if network == "2-8x6-1":
        request = api.get("/api/v1/presets/deep-2-8x6-1").json()
    else:
        request = wide_request([8] * 10)
    page = page_for(*size)
    page.evaluate("r => window.backpropViz.load(r)", request)
    assert page.get_attribute('[data-bind="canvas"]', "data-renderer") == "links"
    page.evaluate("s => window.backpropViz.run(s)", FAST)
    problems = {}
    for point, cursor in page.evaluate(SEEK_POINTS_JS).items():
        page.evaluate("n => window.backpropViz.player.seek(n)", cursor)
        result = page.evaluate(TEXT_OVER_LINKS_JS)
        assert result["dense"], point
        assert result["texts"] > 0, point  # the names, the targets, the loss box's name
        if result["hits"]:
            problems[point] = result["hits"][:10]
        if point == "mid-backward":
            # The neuron the latest event is about shows its numbers beside it, as sent.
            last = page.evaluate("() => window.backpropViz.store.state.playback.frame.last")
            got = page.evaluate(
                """() => {
                  const r = document.querySelector('[data-bind="canvas"] > .matrix-readout');
                  return r && !r.hidden ? {...r.dataset} : null; }"""
            )
            assert got is not None
            assert (got["layer"], got["node"]) == (str(last["layer"]), str(last["node"]))
            where = f'[data-layer="{last["layer"]}"][data-node="{last["node"]}"]'
            selector = f"svg.network .neuron{where}"
            assert got["dlDz"] == page.get_attribute(selector, "data-dl-dz")
            # ... and the links that do not touch it fade.
            faded = page.evaluate(
                """() => [...document.querySelectorAll('svg.network .link')].map((l) =>
                     [l.classList.contains('near'), getComputedStyle(l).opacity])"""
            )
            assert {o for near, o in faded if not near} == {"0.18"}
            assert {o for near, o in faded if near} == {"1"}
    assert problems == {}
