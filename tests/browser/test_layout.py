"""The drawing's layout, measured in the browser: no visible label touches another label or a
neuron, and the page fits its window without scrolling, for networks from 2-2-2 to 2-8×6-1,
at 1280×800 (equation panel closed and open) and inside an 800×600 iframe, at every phase.

The check reads getBoundingClientRect() of what is actually painted, so it does not trust
the layout code's own arithmetic: every visible SVG text of the drawing, every weight
number's box, every neuron (its circle or amplifier triangle, and its bias square), the
targets, the loss box, plus the HTML around the drawing that could collide with it (the
legend, the layer headers). Two boxes may not overlap by more than 1 px in both directions.
Allowed by design: a neuron's own number inside its own circle, its bias square touching
its own circle, the loss value inside the loss box. The moving dots and values of the
overlay (svg.effects) are transient and not checked; seeking stops them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Frame

from tests.browser.conftest import FAST, PageLog

NET_2_4_4_2 = {
    "network": {
        "layers": [2, 4, 4, 2],
        "activations": ["tanh", "tanh", "sigmoid"],
        "loss": "squared_error",
        "init": "xavier",
        "seed": 3,
    },
    "input": [0.5, -0.3],
    "target": [0.2, 0.9],
    "learning_rate": 0.5,
}

# Everything painted that a reader must be able to tell apart, with its owner (elements of
# one owner may touch where the design says so) and its kind.
BOXES_JS = """() => {
  const boxes = [];
  const add = (el, owner, kind) => {
    if (!el || !el.checkVisibility({opacityProperty: true, visibilityProperty: true})) return;
    if (el.tagName === 'text' && !el.textContent.trim()) return;
    const b = el.getBoundingClientRect();
    if (b.width <= 0 || b.height <= 0) return;
    const name = el.tagName === 'text'
      ? `"${el.textContent}"` : el.getAttribute('class') || el.tagName;
    boxes.push({owner, kind, name, l: b.left, r: b.right, t: b.top, b: b.bottom});
  };
  const svg = document.querySelector('svg.network');
  for (const n of svg.querySelectorAll('.neuron')) {
    const owner = `neuron ${n.dataset.layer}:${n.dataset.node}`;
    add(n.querySelector('circle.body'), owner, 'body');
    add(n.querySelector('path.amp'), owner, 'body');
    add(n.querySelector('rect.bias'), owner, 'bias');
    add(n.querySelector('text.inner'), owner, 'inner');
    add(n.querySelector('text.above'), owner, 'label');
    add(n.querySelector('text.below'), owner, 'label');
  }
  for (const w of svg.querySelectorAll('.wlabel')) {
    add(w.querySelector('rect'), `w ${w.dataset.layer}:${w.dataset.from}:${w.dataset.to}`, 'label');
  }
  for (const t of svg.querySelectorAll('.target')) add(t, `target ${t.dataset.node}`, 'label');
  const loss = svg.querySelector('.loss-node');
  add(loss.querySelector('rect'), 'loss', 'body');
  add(loss.querySelector('text.loss-value'), 'loss', 'inner');
  add(loss.querySelector('text.loss-name'), 'loss', 'label');
  document.querySelectorAll('.legend > *').forEach((el, k) => add(el, `legend ${k}`, 'html'));
  document.querySelectorAll('.layer-header').forEach((h) => {
    for (const el of h.querySelectorAll('.title, select, button, output')) {
      add(el, `header ${h.dataset.layer}`, 'html');
    }
  });
  return boxes;
}"""

# Overlaps beyond 1 px, and boxes outside the window or (for the drawing) outside the SVG.
CHECK_JS = (
    """() => {
  const boxes = ("""
    + BOXES_JS
    + """)();
  // A neuron's own number lies in its body, its bias square touches it; the loss value is
  // in the loss box. Nothing else of one owner may touch.
  const designed = (p, q) => {
    if (p.owner !== q.owner) return false;
    const kinds = new Set([p.kind, q.kind]);
    return kinds.has('body') && (kinds.has('inner') || kinds.has('bias'));
  };
  const within = (p, q) => p.l >= q.l - 1 && p.r <= q.r + 1 && p.t >= q.t - 1 && p.b <= q.b + 1;
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const p = boxes[i], q = boxes[j];
    if (designed(p, q)) continue;
    const dx = Math.min(p.r, q.r) - Math.max(p.l, q.l);
    const dy = Math.min(p.b, q.b) - Math.max(p.t, q.t);
    if (dx > 1 && dy > 1) {
      const size = `${dx.toFixed(1)}×${dy.toFixed(1)} px`;
      overlaps.push(`${p.owner} ${p.name} × ${q.owner} ${q.name} (${size})`);
    }
  }
  // ... and a number inside a neuron stays inside it.
  for (const p of boxes.filter((b) => b.kind === 'inner')) {
    const body = boxes.find((b) => b.owner === p.owner && b.kind === 'body');
    if (!body || !within(p, body)) overlaps.push(`${p.owner} ${p.name} spills out of its body`);
  }
  const s = document.querySelector('svg.network').getBoundingClientRect();
  const drawing = {l: s.left, r: s.right, t: s.top, b: s.bottom};
  const view = {l: 0, r: innerWidth, t: 0, b: innerHeight};
  const outside = boxes.filter((p) => !within(p, p.kind === 'html' ? view : drawing))
    .map((p) => `${p.owner} ${p.name}`);
  const se = document.scrollingElement;
  return {
    count: boxes.length,
    overlaps,
    outside,
    scroll: [se.scrollWidth, se.scrollHeight, innerWidth, innerHeight],
    labels: boxes.filter((p) => p.kind === 'label').length,
  };
}"""
)

# Where to look: before anything, after the forward pass and the loss, in the middle of the
# backward pass, at its end (before the update), in the middle of the update, at the end.
POINTS_JS = """() => {
  const events = window.backpropViz.player.events;
  const first = (type) => events.findIndex((e) => e.type === type);
  const backward = first('backward'), update = first('update');
  return {idle: 0, forward: backward, 'mid-backward': Math.floor((backward + update) / 2),
          backward: update, 'mid-update': Math.floor((update + events.length) / 2),
          done: events.length};
}"""

MODES = {
    "1280x800": {"size": (1280, 800), "iframe": False, "panel": False},
    "1280x800+panel": {"size": (1280, 800), "iframe": False, "panel": True},
    "iframe-800x600": {"size": (800, 600), "iframe": True, "panel": False},
    "iframe-800x600+panel": {"size": (800, 600), "iframe": True, "panel": True},
}


@pytest.fixture(scope="module", params=list(MODES))
def stage(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[Frame]:
    """The page in one window size, reused by the networks of this module (one load each)."""
    mode = MODES[request.param]
    width, height = mode["size"]
    log = PageLog()
    # The host page of an iframe is a little larger than the iframe.
    margin = 40 if mode["iframe"] else 0
    context = browser.new_context(viewport={"width": width + margin, "height": height + margin})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    if mode["iframe"]:
        # A course site's page embedding the visualizer in an 800×600 iframe.
        page.set_content(
            f'<body style="margin:0;padding:20px"><iframe src="{base_url}/" width="{width}" '
            f'height="{height}" style="border:0;display:block"></iframe></body>'
        )
        frame = page.wait_for_selector("iframe").content_frame()
        assert frame is not None
    else:
        page.goto(base_url + "/")
        frame = page.main_frame
    frame.wait_for_function("() => document.body.dataset.ready === 'true'")
    if mode["panel"]:
        frame.click('[data-action="equations"]')
        frame.wait_for_selector('[data-bind="panel"]:not([hidden])')
    yield frame
    assert log.console_errors == [] and log.page_errors == []
    context.close()


PRESETS = {
    "2-2-2": "worked-example-2-2-2",
    "2-2-2-2": "lecture-2-input",
    "2-4-3-softmax": "softmax-classifier",
    "2-8x6-1": "deep-2-8x6-1",
}


def _network(api: httpx.Client, name: str) -> dict[str, Any]:
    if name == "2-4-4-2":
        return NET_2_4_4_2
    return api.get(f"/api/v1/presets/{PRESETS[name]}").json()


@pytest.mark.parametrize("network", ["2-2-2", "2-2-2-2", "2-4-3-softmax", "2-4-4-2", "2-8x6-1"])
def test_no_label_overlaps_and_the_page_fits(stage: Frame, api: httpx.Client, network: str) -> None:
    stage.evaluate("r => window.backpropViz.load(r)", _network(api, network))
    if stage.evaluate("() => !document.querySelector('[data-bind=panel]').hidden"):
        pick = "{kind: 'weight', layer: 1, from: 0, to: 1}"
        stage.evaluate(f"() => window.backpropViz.explain({pick})")
    stage.evaluate("s => window.backpropViz.run(s)", FAST)
    problems = {}
    for point, cursor in stage.evaluate(POINTS_JS).items():
        stage.evaluate("n => window.backpropViz.player.seek(n)", cursor)
        result = stage.evaluate(CHECK_JS)
        assert result["count"] > 0
        width, height, inner_w, inner_h = result["scroll"]
        if width > inner_w or height > inner_h:
            problems[f"{point}: scrolls"] = result["scroll"]
        if result["overlaps"]:
            overlaps = result["overlaps"]
            problems[f"{point}: overlaps"] = [*overlaps[:12], f"… {len(overlaps)} in all"]
        if result["outside"]:
            problems[f"{point}: outside"] = result["outside"][:12]
    assert problems == {}


def test_small_networks_show_their_numbers(stage: Frame, api: httpx.Client) -> None:
    """Keeping labels apart must not mean hiding them: 2-2-2 shows every number it has."""
    stage.evaluate("r => window.backpropViz.load(r)", _network(api, "2-2-2"))
    stage.evaluate("s => window.backpropViz.run(s)", FAST)
    shown = stage.evaluate(
        """() => [...document.querySelectorAll('svg.network .wlabel, svg.network .neuron text')]
        .filter((el) => el.checkVisibility() && el.textContent.trim()).length"""
    )
    # 8 weight numbers, 6 neurons' inner numbers, 6 names/biases above, 4 ∂l/∂z below.
    assert shown == 8 + 6 + 6 + 4
