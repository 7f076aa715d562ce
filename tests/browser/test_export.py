"""static/js/panel/export.js in the page: the drawing as a standalone SVG and a PNG, the step
as CSV, and a download. The module is imported into the running visualizer after a full step."""

from __future__ import annotations

import base64
import itertools
import math
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route

from tests.browser.conftest import PageLog
from tests.browser.helpers import load, run

NEURON_HEADER = "layer,neuron,z,a,da_dz,dl_da,dl_dz,b,dl_db,b_new"
WEIGHT_HEADER = "layer,from,to,w,a_from,dl_dw,w_new"

# Exports the drawing and reports what the SVG and the PNG contain.
EXPORT_JS = """async (scale) => {
  const ex = await import('/static/js/panel/export.js');
  const svg = document.querySelector('svg.network');
  const markup = ex.svgMarkup(svg);
  const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
  const root = doc.documentElement;
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).display !== 'none';
  const first = root.firstElementChild;
  const width = +root.getAttribute('width');
  const height = +root.getAttribute('height');
  const out = {
    markupLength: markup.length,
    parserErrors: doc.getElementsByTagName('parsererror').length,
    rootName: root.localName,
    xmlns: root.getAttribute('xmlns'),
    xlink: root.getAttribute('xmlns:xlink'),
    width, height, viewBox: root.getAttribute('viewBox'),
    page: {
      width: svg.getAttribute('width'), height: svg.getAttribute('height'),
      viewBox: svg.getAttribute('viewBox'),
      links: svg.querySelectorAll('g.link').length,
      labels: [...svg.querySelectorAll('.wlabel')].filter(shown).map((g) => g.textContent),
      titles: svg.querySelectorAll('title').length,
      bg: getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
    },
    first: {name: first.localName, cls: first.getAttribute('class'),
            fill: first.getAttribute('fill'),
            width: first.getAttribute('width'), height: first.getAttribute('height')},
    linkPaths: root.querySelectorAll('g.link > path').length,
    strokes: root.querySelectorAll('g.link > path.stroke').length,
    strokeStyles: [...root.querySelectorAll('g.link > path.stroke')]
      .map((p) => p.getAttribute('style')),
    labels: [...root.querySelectorAll('.wlabel')].map((g) => g.textContent),
    titles: root.querySelectorAll('title').length,
    probes: root.querySelectorAll('.probe').length,
    hits: root.querySelectorAll('path.hit').length,
    effects: root.querySelectorAll('.effects').length,
    markers: [...root.querySelectorAll('defs marker')].map((m) => m.id),
    markerPathFill: root.querySelector('marker path')?.getAttribute('style') ?? '',
    textStyle: root.querySelector('.neuron text.inner')?.getAttribute('style') ?? '',
    rootStyle: root.getAttribute('style') ?? '',
  };
  const blob = await ex.pngBlob(markup, width, height, scale);
  out.pngType = blob.type;
  const bitmap = await createImageBitmap(blob);
  out.pngWidth = bitmap.width;
  out.pngHeight = bitmap.height;
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  for (let k = 0; k < data.length; k += 4 * 7) colours.add(data.slice(k, k + 4).join(','));
  out.colours = colours.size;
  out.corner = [...data.slice(0, 4)];
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let k = 0; k < bytes.length; k += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(k, k + 0x8000));
  }
  out.png = btoa(bin);
  return out;
}"""

# Fetches the trace of the page's request inside the page and turns it into CSV.
CSV_JS = """async () => {
  const ex = await import('/static/js/panel/export.js');
  const request = window.backpropViz.state();
  const response = await fetch(document.body.dataset.api + 'trace', {
    method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(request),
  });
  const trace = await response.json();
  return {request, trace, csv: ex.traceCsv(trace, request), json: ex.traceJson(trace)};
}"""


# Only what an export does (no DOMParser): the SVG, then the PNG, decoded.
PNG_ONLY_JS = """async () => {
  const ex = await import('/static/js/panel/export.js');
  const svg = document.querySelector('svg.network');
  const [width, height] = [+svg.getAttribute('width'), +svg.getAttribute('height')];
  const blob = await ex.pngBlob(ex.svgMarkup(svg), width, height);
  const bitmap = await createImageBitmap(blob);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  for (let k = 0; k < data.length; k += 4 * 7) colours.add(data.slice(k, k + 4).join(','));
  return {type: blob.type, width: bitmap.width, height: bitmap.height, colours: colours.size};
}"""


def hex_rgb(colour: str) -> list[int]:
    colour = colour.lstrip("#")
    return [int(colour[k : k + 2], 16) for k in (0, 2, 4)]


def export(page: Page, scale: float = 2) -> dict[str, Any]:
    return page.evaluate(EXPORT_JS, scale)


def check_export(out: dict[str, Any], arrow: str = 'marker-end: url("#bv-arrow-fwd")') -> None:
    page = out["page"]
    assert out["parserErrors"] == 0
    assert out["rootName"] == "svg"
    assert out["xmlns"] == "http://www.w3.org/2000/svg"
    assert out["xlink"] == "http://www.w3.org/1999/xlink"
    assert (str(out["width"]), str(out["height"])) == (page["width"], page["height"])
    assert out["viewBox"] == page["viewBox"]
    # One drawn path per weight (the hit areas are gone), each with its arrow head.
    assert out["linkPaths"] == out["strokes"] == page["links"] > 0
    assert out["hits"] == 0
    assert all(arrow in s for s in out["strokeStyles"]), out["strokeStyles"][:2]
    assert all("stroke: rgb(" in s and "stroke-width:" in s for s in out["strokeStyles"])
    assert set(out["markers"]) == {"bv-arrow-fwd", "bv-arrow-back"}
    assert "fill: rgb(138, 138, 138)" in out["markerPathFill"]
    # The weights' numbers: the same text as the page's visible labels.
    assert out["labels"] == page["labels"]
    assert out["titles"] == page["titles"]
    assert out["probes"] == 0 and out["effects"] == 0
    # The page's background first, the page's fonts inlined.
    assert out["first"] == {
        "name": "rect",
        "cls": "export-background",
        "fill": page["bg"],
        "width": str(out["width"]),
        "height": str(out["height"]),
    }
    assert "font-family:" in out["rootStyle"] and "font-size:" in out["rootStyle"]
    assert "font-weight: 600" in out["textStyle"]
    # The PNG: twice the size, the background in the corner, more than one colour.
    assert out["pngType"] == "image/png"
    # (the canvas has whole pixels: round as Math.round does)
    size = (math.floor(2 * out["width"] + 0.5), math.floor(2 * out["height"] + 0.5))
    assert (out["pngWidth"], out["pngHeight"]) == size
    assert out["corner"] == [*hex_rgb(page["bg"]), 255]
    assert out["colours"] >= 2


def test_export_after_a_step(page: Page, page_log: PageLog, artifacts: Path) -> None:
    run(page)
    out = export(page)
    check_export(out)
    png = base64.b64decode(out["png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    (artifacts / "export.png").write_bytes(png)
    assert not page_log.page_errors and not page_log.console_errors


SETTLED_JS = """async () => {
  const ex = await import('/static/js/panel/export.js');
  const svg = document.querySelector('svg.network');
  const running = svg.getAnimations({subtree: true}).length;
  // Exported at once, while the last repaint's transitions may still run...
  const doc = new DOMParser().parseFromString(ex.svgMarkup(svg), 'image/svg+xml');
  const fills = (root) => [...root.querySelectorAll('.neuron circle.body')];
  const strokes = (root) => [...root.querySelectorAll('.link path.stroke')];
  const exported = {fills: fills(doc).map((c) => c.style.fill),
                    strokes: strokes(doc).map((p) => p.style.stroke)};
  // ...and the page once they have ended.
  await Promise.all(svg.getAnimations({subtree: true}).map((a) => a.finished.catch(() => null)));
  await new Promise(requestAnimationFrame);
  const settled = {fills: fills(svg).map((c) => getComputedStyle(c).fill),
                   strokes: strokes(svg).map((p) => getComputedStyle(p).stroke)};
  return {running, exported, settled};
}"""


def test_export_shows_the_settled_drawing(page: Page) -> None:
    """Transitions still running (a neuron's fill, a link's colour) are exported at their end."""
    run(page)
    got = page.evaluate(SETTLED_JS)
    assert got["exported"] == got["settled"], got["running"]
    assert len(got["exported"]["fills"]) == 6 and len(got["exported"]["strokes"]) == 8


def test_export_in_the_backward_look(page: Page, artifacts: Path) -> None:
    """Stopped after the backward pass: amplifiers instead of circles, arrows reversed."""
    page.evaluate("() => window.backpropViz.setSpeed(1000)")
    page.click('[data-action="backward"]')  # forward and backward, stopping before the update
    # Locator waits, not wait_for_function: no eval, whatever the page's CSP.
    page.locator("svg.network.backward-look").wait_for(state="attached")
    page.locator('[data-action="pause"][disabled]').wait_for(state="attached")
    page.locator("svg.network .link:not([data-dl-dw])").first.wait_for(state="detached")
    out = export(page)
    check_export(out, arrow='marker-start: url("#bv-arrow-back")')
    shapes = page.evaluate(
        """async () => {
          const ex = await import('/static/js/panel/export.js');
          const doc = new DOMParser().parseFromString(
            ex.svgMarkup(document.querySelector('svg.network')), 'image/svg+xml');
          const count = (sel) => doc.querySelectorAll(sel).length;
          return {amps: count('.neuron:not(.input) path.amp'),
                  bodies: count('.neuron:not(.input) circle.body'),
                  inputBodies: count('.neuron.input circle.body'),
                  inputAmps: count('.neuron.input path.amp'),
                  neurons: document.querySelectorAll('svg.network .neuron:not(.input)').length};
        }"""
    )
    assert shapes["amps"] == shapes["neurons"] > 0
    assert shapes["bodies"] == 0
    assert shapes["inputBodies"] == 2 and shapes["inputAmps"] == 0
    (artifacts / "export-backward.png").write_bytes(base64.b64decode(out["png"]))


@pytest.mark.parametrize("preset", ["deep-2-8x6-1", "softmax-classifier"])
def test_export_other_networks(page: Page, api: httpx.Client, artifacts: Path, preset: str) -> None:
    load(page, api.get(f"/api/v1/presets/{preset}").json())
    run(page)
    out = export(page)
    check_export(out)
    (artifacts / f"export-{preset}.png").write_bytes(base64.b64decode(out["png"]))


def csv_tables(csv: str) -> tuple[list[list[str]], list[list[str]]]:
    assert csv.endswith("\r\n")
    lines = csv[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in lines)
    blank = lines.index("")
    return [r.split(",") for r in lines[:blank]], [r.split(",") for r in lines[blank + 1 :]]


@pytest.mark.parametrize("preset", [None, "deep-2-8x6-1", "softmax-classifier"])
def test_trace_csv_in_the_page(page: Page, api: httpx.Client, preset: str | None) -> None:
    if preset:
        load(page, api.get(f"/api/v1/presets/{preset}").json())
    got = page.evaluate(CSV_JS)
    sizes = got["request"]["network"]["layers"]
    neurons, weights = csv_tables(got["csv"])
    assert ",".join(neurons[0]) == NEURON_HEADER
    assert ",".join(weights[0]) == WEIGHT_HEADER
    assert len(neurons) - 1 == sum(sizes)
    assert len(weights) - 1 == sum(a * b for a, b in itertools.pairwise(sizes))
    trace = got["trace"]
    for row in neurons[1:]:
        layer, j = int(row[0]), int(row[1]) - 1
        assert float(row[3]) == trace["layers"][layer]["a"][j]
        if layer:
            assert float(row[6]) == trace["layers"][layer]["dl_dz"][j]
            da_dz = trace["layers"][layer]["da_dz"]
            assert row[4] == ("" if da_dz is None or da_dz[j] is None else row[4])
    for row in weights[1:]:
        layer, i, j = int(row[0]), int(row[1]) - 1, int(row[2]) - 1
        assert float(row[5]) == trace["layers"][layer]["dl_dw"][j][i]
        assert float(row[6]) == trace["network"]["weights"][layer - 1][j][i]
    assert got["json"].startswith('{\n  "loss": ')


def test_download_offers_the_csv(page: Page) -> None:
    with page.expect_download() as info:
        result = page.evaluate(
            """async () => {
              const ex = await import('/static/js/panel/export.js');
              return ex.download('step.csv', 'a,b\\r\\n1,2\\r\\n', 'text/csv');
            }"""
        )
    assert result is True
    download = info.value
    assert download.suggested_filename == "step.csv"
    assert Path(download.path()).read_bytes() == b"a,b\r\n1,2\r\n"


CSP_HEADER = "content-security-policy"
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'"
)


def test_png_under_a_strict_csp(browser: Browser, base_url: str, page_log: PageLog) -> None:
    """pngBlob needs nothing beyond img-src blob:, even with style-src 'self' (no inline
    styles: the clone's styles are set through the CSSOM)."""

    def with_csp(route: Route) -> None:
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k.lower() != CSP_HEADER}
        route.fulfill(response=response, headers={**headers, CSP_HEADER: CSP})

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route(base_url + "/", with_csp)
    try:
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and page_log.console_errors.append(m.text))
        page.on("pageerror", lambda e: page_log.page_errors.append(str(e)))
        page.goto(base_url + "/")
        # No wait_for_function: its string predicate is an eval, which script-src 'self' refuses.
        page.locator("body[data-ready='true']").wait_for(state="attached")
        run(page)
        assert not page_log.page_errors and not page_log.console_errors, page_log
        size = page.evaluate(PNG_ONLY_JS)
        assert size["type"] == "image/png" and size["colours"] >= 2
        assert not page_log.page_errors and not page_log.console_errors, page_log
        # The structural checks parse the markup with DOMParser, whose document inherits the
        # page's CSP and reports (harmless) refused style attributes: not checked for errors.
        check_export(export(page))
    finally:
        context.close()


def test_a_wide_network_exports_its_matrices_as_a_png(page: Page) -> None:
    """Past 16 neurons a layer the drawing is a canvas of matrices (matrix.js): Export →
    PNG saves that canvas; SVG says there is none, in words."""
    request = {
        "network": {
            "layers": [2, 20, 1],
            "activations": ["tanh", "sigmoid"],
            "loss": "squared_error",
        },
        "input": [0.5, -1.0],
        "target": [1.0],
        "learning_rate": 0.1,
    }
    load(page, request)
    page.wait_for_selector("canvas.matrix")
    run(page)
    page.click('[data-action="export"]')
    with page.expect_download() as info:
        page.click('[data-export="png"]')
    png = Path(info.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    size = page.eval_on_selector("canvas.matrix", "c => [c.width, c.height]")
    assert [width, height] == size and width > 100 and height > 100
    page.click('[data-export="svg"]')
    note = page.locator('[data-bind="export-note"]')
    note.wait_for(state="visible")
    assert "PNG" in note.text_content()


def test_the_pytorch_item_downloads_the_servers_script(page: Page, api: httpx.Client) -> None:
    """Export → PyTorch script saves what POST /api/v1/export/pytorch answers for the
    network on the page, byte for byte (the page writes none of it)."""
    request = {
        "network": {
            "layers": [2, 3, 2],
            "activations": ["leaky_relu", "softmax"],
            "loss": "cross_entropy",
            "weights": [
                [[0.3, -1.2], [0.7, 0.05], [-0.4, 0.9]],
                [[1.1, -0.6, 0.2], [-0.3, 0.8, 0.5]],
            ],
            "biases": [[0.1, -0.2, 0.0], [0.05, -0.05]],
        },
        "input": [0.25, -1.5],
        "target": [0.0, 1.0],
        "learning_rate": 0.2,
    }
    load(page, request)
    page.click('[data-action="export"]')
    item = page.locator('[data-export="pytorch"]')
    assert item.text_content() == "PyTorch script"
    with page.expect_download() as info:
        item.click()
    download = info.value
    assert download.suggested_filename.endswith(".py")
    state = page.evaluate("() => window.backpropViz.state()")
    assert state["network"]["weights"] == request["network"]["weights"]
    answer = api.post("/api/v1/export/pytorch", json=state)
    assert answer.status_code == 200, answer.text
    assert Path(download.path()).read_bytes() == answer.content
    assert b"nn.Softmax(dim=1)" in answer.content and b"[0.25, -1.5]" in answer.content
    note = page.locator('[data-bind="export-note"]')
    assert note.text_content() == "Saved."
