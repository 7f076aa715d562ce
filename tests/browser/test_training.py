"""The training view, driven through the page: train XOR and watch the loss fall and the
boundary drawn; CSV in (and a clear error for a bad one); a click on a point opens its
trace with the current weights; the mini-batch view's sum against an independent oracle
(POST /api/v1/trace per example); save and load give back exactly the same state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DATA_READY, IDLE, TRAINING, PageLog, open_page
from tests.browser.hosts import HostSite, host_site
from tests.browser.pages import bits
from tests.server import running_server


@pytest.fixture(scope="module")
def site(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSite]:
    """Host pages on a second origin (for the sandboxed frame)."""
    with host_site(tmp_path_factory.mktemp("hosts"), base_url) as s:
        yield s


# A short run with every lattice: 20 epochs of a small circle, a boundary every 5.
SHORT_RUN: dict[str, Any] = {
    "network": {
        "layers": [2, 4, 1],
        "activations": ["tanh", "sigmoid"],
        "loss": "binary_cross_entropy",
        "init": "xavier",
        "seed": 1,
    },
    "dataset": {"name": "circle", "samples": 100, "noise": 0, "seed": 2, "test_ratio": 0.3},
    "learning_rate": 0.03,
    "batch_size": 10,
    "epochs": 20,
    "optimizer": "adam",
    "report_every": 5,
    "grid": 20,
    "neuron_grids": True,
    "neuron_grid": 8,
}

# The latest snapshot's lattices as plain lists (typed-array rows when the worker read them).
SNAPSHOT_LATTICES = """() => {
  const s = window.backpropViz.store.state.training.run.snapshot;
  const plain = (rows) => Array.from(rows, (r) => Array.from(r));
  return {epoch: s.epoch, boundary: plain(s.boundary.values),
          neurons: s.neurons.map((n) => plain(n.values))};
}"""


def training(page: Page) -> dict[str, Any]:
    return page.evaluate(TRAINING)


def no_errors(log: PageLog) -> None:
    assert log.console_errors == [] and log.page_errors == [] and log.failed() == []


def boundary_colours(page: Page) -> int:
    """How many different colours the boundary's canvas shows (a blank canvas has one)."""
    return page.evaluate(
        """() => {
          const c = document.querySelector('canvas[data-boundary]');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          const seen = new Set();
          for (let i = 0; i < d.length; i += 4 * 37) {
            seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
          }
          return seen.size;
        }"""
    )


def point_on_screen(page: Page, split: str, k: int) -> tuple[float, float]:
    """Where point k of a split is drawn, from the data's extent and the canvas's box."""
    xy = page.evaluate(
        """([split, k]) => {
          const t = window.backpropViz.store.state.training;
          const [[x0, x1], [y0, y1]] = t.data.extent;
          const p = t.data[split].x[k];
          const r = document.querySelector('canvas[data-boundary]').getBoundingClientRect();
          return [r.left + (p[0] - x0) / (x1 - x0) * r.width,
                  r.top + r.height - (p[1] - y0) / (y1 - y0) * r.height];
        }""",
        [split, k],
    )
    return xy[0], xy[1]


def loneliest_train_point(data: dict[str, Any]) -> int:
    """The training point farthest from every other point (a click cannot hit a neighbour)."""
    everything = data["train"]["x"] + data["test"]["x"]
    best, best_d = 0, -1.0
    for k, (x, y) in enumerate(data["train"]["x"]):
        d = min((x - u) ** 2 + (y - v) ** 2 for j, (u, v) in enumerate(everything) if j != k)
        if d > best_d:
            best, best_d = k, d
    return best


def test_the_view_is_behind_its_toggle_and_can_be_hidden(
    page: Page, browser: Browser, base_url: str, page_log: PageLog
) -> None:
    view = page.locator('[data-bind="training"]')
    assert view.is_hidden()
    page.click('[data-action="training"]')
    page.wait_for_function(DATA_READY)
    assert view.is_visible()
    assert page.get_attribute('[data-action="training"]', "aria-pressed") == "true"
    hidden = open_page(browser, base_url + "/?view=training&hide=training", PageLog())
    assert hidden.locator('[data-bind="training"], [data-action="training"]').count() == 0
    hidden.context.close()
    embed = open_page(browser, base_url + "/embed", PageLog())
    assert embed.locator('[data-bind="training"]').count() == 0
    embed.context.close()
    no_errors(page_log)


def test_train_xor_from_the_page(tpage: Page, page_log: PageLog, artifacts: Path) -> None:
    t = training(tpage)
    assert t["settings"]["dataset"] == "xor"
    assert len(t["data"]["train"]["x"]) + len(t["data"]["test"]["x"]) == 200
    tpage.fill('[data-control="max-epochs"]', "300")
    tpage.dispatch_event('[data-control="max-epochs"]', "change")
    tpage.click('[data-action="train"]')
    tpage.wait_for_function("() => window.backpropViz.training().epoch > 0")
    tpage.screenshot(path=str(artifacts / "training-xor-running.png"))
    tpage.wait_for_function(IDLE, timeout=30000)
    status = tpage.evaluate("() => window.backpropViz.training()")
    history = training(tpage)["run"]["history"]
    assert status["epoch"] == 300
    assert history[0]["epoch"] == 0 and history[-1]["epoch"] == 300
    assert history[-1]["train_loss"] < 0.5 * history[0]["train_loss"]
    assert status["train_loss"] == history[-1]["train_loss"]
    assert status["test_accuracy"] >= 0.9
    assert status["snapshots_drawn"] >= 2
    epoch = tpage.get_attribute("canvas[data-boundary]", "data-epoch")
    assert epoch is not None and int(epoch) == 300
    assert boundary_colours(tpage) > 20
    # The drawing follows the weights: its links carry the trained network's.
    net = tpage.evaluate("() => window.backpropViz.state().network")
    assert net == training(tpage)["run"]["network"]
    w = tpage.get_attribute(
        'svg.network .link[data-layer="0"][data-from="0"][data-to="0"]', "data-w"
    )
    assert w is not None and float(w) == net["weights"][0][0][0]
    # The shown numbers are the server's.
    assert tpage.text_content('[data-bind="train-epoch"]') == "300"
    # Hidden neurons' pictures: one for each of the 4 + 4 hidden neurons.
    assert tpage.locator(".thumbs canvas.thumb").count() == 8
    tpage.screenshot(path=str(artifacts / "training-xor.png"))
    no_errors(page_log)


def test_hook_train_resolves_with_the_drawn_done_event(tpage: Page, page_log: PageLog) -> None:
    body = {
        "network": {
            "layers": [2, 4, 1],
            "activations": ["tanh", "sigmoid"],
            "loss": "binary_cross_entropy",
            "init": "xavier",
            "seed": 1,
        },
        "dataset": {"name": "circle", "samples": 100, "noise": 0, "seed": 2, "test_ratio": 0.3},
        "learning_rate": 0.03,
        "batch_size": 10,
        "epochs": 20,
        "optimizer": "adam",
        "report_every": 5,
        "grid": 20,
    }
    done = tpage.evaluate("b => window.backpropViz.train(b)", body)
    assert done["type"] == "done" and done["reason"] == "epochs" and done["epoch"] == 20
    assert tpage.get_attribute("canvas[data-boundary]", "data-epoch") == "20"
    status = tpage.evaluate("() => window.backpropViz.training()")
    assert status["running"] is False and status["epoch"] == 20
    assert status["train_loss"] == done["train_loss"]
    assert training(tpage)["settings"]["dataset"] == "circle"
    assert tpage.evaluate("() => window.backpropViz.state().network") == done["network"]
    no_errors(page_log)


def test_csv_upload_shows_the_points(tpage: Page, page_log: PageLog, tmp_path: Path) -> None:
    rows = [(-4.5, -4.0, 0), (-3.0, 3.5, 1), (2.5, -2.0, 1), (4.0, 4.5, 0), (0.5, 0.25, 1)]
    rows += [(x / 2 - 5, 5 - x / 3, x % 2) for x in range(15)]
    csv = tmp_path / "points.csv"
    csv.write_text("x1,x2,label\n" + "\n".join(f"{x},{y},{k}" for x, y, k in rows) + "\n")
    tpage.set_input_files('[data-control="csv"]', str(csv))
    tpage.wait_for_function(
        "() => window.backpropViz.store.state.training.settings.dataset === 'user' && "
        "window.backpropViz.store.state.training.data.train.x.length + "
        "window.backpropViz.store.state.training.data.test.x.length === 20"
    )
    data = training(tpage)["data"]
    got = sorted(
        (tuple(p), k)
        for s in ("train", "test")
        for p, k in zip(data[s]["x"], data[s]["labels"], strict=True)
    )
    assert got == sorted(((x, y), k) for x, y, k in rows)
    assert tpage.text_content('[data-bind="train-error"]') == ""
    assert tpage.locator('[data-dataset="user"]').get_attribute("aria-checked") == "true"
    # The points are drawn where they are: the pixel under point 0 is its class's colour.
    x, y = point_on_screen(tpage, "train", 0)
    assert boundary_colours(tpage) >= 3
    assert tpage.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).matches('canvas[data-boundary]')", [x, y]
    )
    no_errors(page_log)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a,b,c\n1,2,0\n", "Line 1: the header must be x1,x2,label"),
        ("x1,x2,label\n1,2,0\n3,4\n", "Line 3: 2 values, but the header has 3 columns"),
        ("x1,x2,label\n1,2,0\n1,x,1\n", 'Line 3, column 2 (x2): "x" is not a number'),
        ("", "the file is empty"),
    ],
)
def test_a_bad_csv_says_what_is_wrong(
    tpage: Page, page_log: PageLog, tmp_path: Path, text: str, message: str
) -> None:
    before = training(tpage)["data"]
    csv = tmp_path / "bad.csv"
    csv.write_text(text)
    tpage.set_input_files('[data-control="csv"]', str(csv))
    error = tpage.locator('[data-bind="train-error"]')
    error.wait_for(state="visible")
    assert message in error.text_content()
    assert error.get_attribute("role") == "alert"
    assert training(tpage)["data"] == before
    no_errors(page_log)


def test_click_a_point_opens_its_trace_with_the_current_weights(
    tpage: Page, page_log: PageLog
) -> None:
    tpage.click('[data-action="train-epoch"]')
    tpage.wait_for_function("() => window.backpropViz.training().epoch === 1")
    tpage.wait_for_function(IDLE)
    t = training(tpage)
    k = loneliest_train_point(t["data"])
    x, y = point_on_screen(tpage, "train", k)
    tpage.mouse.click(x, y)
    tpage.wait_for_function(
        "want => JSON.stringify(window.backpropViz.state().input) === JSON.stringify(want)",
        arg=t["data"]["train"]["inputs"][k],
    )
    request = tpage.evaluate("() => window.backpropViz.state()")
    assert bits(request["input"]) == bits(t["data"]["train"]["inputs"][k])
    assert bits(request["target"]) == bits(t["data"]["train"]["targets"][k])
    assert bits(request["network"]["weights"]) == bits(t["run"]["network"]["weights"])
    assert request["learning_rate"] == t["settings"]["learning_rate"]
    # ... and the step-through animation plays it.
    tpage.wait_for_function("() => window.backpropViz.player.cursor > 0")
    no_errors(page_log)


def test_minibatch_sum_is_the_step(tpage: Page, page_log: PageLog, api: httpx.Client) -> None:
    tpage.click('[data-bind="minibatch"] summary')
    tpage.click('[data-action="batch-next"]')
    tpage.wait_for_selector("table.batch-table tfoot tr[data-role='sum']")
    t = training(tpage)
    request = tpage.evaluate("() => window.backpropViz.state()")
    network, eta = request["network"], t["settings"]["learning_rate"]
    layer, frm, to = (int(v) for v in tpage.input_value('[data-control="batch-link"]').split(":"))
    rows = tpage.evaluate(
        """() => [...document.querySelectorAll('table.batch-table tbody tr')]
          .map((r) => ({index: +r.dataset.index, dl_dw: +r.dataset.dlDw, loss: +r.dataset.loss}))"""
    )
    # The batch the run's next step takes: the server's next_batch for θ as it is (epochs 0).
    settings = t["settings"]
    first = api.post(
        "/api/v1/train/stream",
        json={
            "network": network,
            "dataset": {
                "name": settings["dataset"],
                "samples": settings["samples"],
                "noise": settings["noise"],
                "seed": settings["seed"],
                "test_ratio": settings["test_ratio"],
                "features": settings["features"],
            },
            "batch_size": settings["batch_size"],
            "seed": settings["seed"],
            "epochs": 0,
            "report_every": 1,
            "grid": 0,
        },
    )
    snapshot = next(
        json.loads(line) for line in first.text.splitlines() if '"snapshot"' in line[:20]
    )
    assert [r["index"] for r in rows] == snapshot["next_batch"]
    assert len(rows) == settings["batch_size"]
    oracle = []
    for r in rows:
        k = r["index"]
        trace = api.post(
            "/api/v1/trace",
            json={
                "network": network,
                "input": t["data"]["train"]["inputs"][k],
                "target": t["data"]["train"]["targets"][k],
                "learning_rate": eta,
            },
        ).json()
        oracle.append(trace["layers"][layer + 1]["dl_dw"][to][frm])
        assert r["dl_dw"] == pytest.approx(oracle[-1], rel=1e-9, abs=1e-15)
        assert r["loss"] == pytest.approx(trace["loss"], rel=1e-9)
    shown = tpage.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('table.batch-table tfoot tr')]
          .map((r) => [r.dataset.role, +r.dataset.value]))"""
    )
    total = sum(oracle)
    assert shown["sum"] == pytest.approx(total, rel=1e-9, abs=1e-15)
    assert shown["mean"] == pytest.approx(total / len(oracle), rel=1e-9, abs=1e-15)
    weight = tpage.locator('.batch-summary [data-role="weight"]')
    w0 = float(weight.get_attribute("data-w-before"))
    w1 = float(weight.get_attribute("data-w-after"))
    assert w0 == network["weights"][layer][to][frm]
    assert w1 == pytest.approx(w0 - eta * total / len(oracle), rel=1e-9, abs=1e-15)
    no_errors(page_log)


def test_save_and_load_give_back_exactly_the_same_state(
    tpage: Page, page_log: PageLog, tmp_path: Path
) -> None:
    tpage.select_option('[data-control="optimizer"]', "adam")
    tpage.fill('[data-control="train-eta"]', "0.01")
    tpage.dispatch_event('[data-control="train-eta"]', "change")
    tpage.click('[data-action="train-epoch"]')
    tpage.wait_for_function("() => window.backpropViz.training().epoch === 1")
    tpage.wait_for_function(IDLE)
    tpage.click('[data-action="train-batch"]')
    tpage.wait_for_function("() => window.backpropViz.training().step === 11")
    tpage.wait_for_function(IDLE)
    with tpage.expect_download() as download:
        tpage.click('[data-action="train-save"]')
    path = tmp_path / "training.json"
    download.value.save_as(path)
    saved = json.loads(path.read_text())
    before = training(tpage)
    network = tpage.evaluate("() => window.backpropViz.state().network")
    assert bits(saved["network"]) == bits(network)
    assert saved["run"]["optimizer_state"]["kind"] == "adam"

    # Change everything, then load.
    tpage.click('[data-action="train-epoch"]')
    tpage.wait_for_function("() => window.backpropViz.training().epoch === 2")
    tpage.wait_for_function(IDLE)
    tpage.fill('[data-control="train-eta"]', "0.5")
    tpage.dispatch_event('[data-control="train-eta"]', "change")
    tpage.select_option('[data-control="optimizer"]', "sgd")
    tpage.set_input_files('[data-control="train-load"]', str(path))
    tpage.wait_for_function("() => window.backpropViz.training().step === 11")
    tpage.wait_for_function(
        "() => window.backpropViz.store.state.training.settings.optimizer === 'adam'"
    )
    after = training(tpage)
    assert bits(tpage.evaluate("() => window.backpropViz.state().network")) == bits(network)
    assert after["settings"] == before["settings"]
    assert after["run"]["epoch"] == before["run"]["epoch"]
    assert bits(after["run"]["optimizer_state"]) == bits(before["run"]["optimizer_state"])
    assert after["run"]["history"] == before["run"]["history"]
    assert after["data"] == before["data"]
    assert tpage.input_value('[data-control="train-eta"]') == "0.01"
    assert tpage.input_value('[data-control="optimizer"]') == "adam"
    # Saving what was loaded writes the same file.
    with tpage.expect_download() as again:
        tpage.click('[data-action="train-save"]')
    again_path = tmp_path / "again.json"
    again.value.save_as(again_path)
    assert json.loads(again_path.read_text()) == saved
    no_errors(page_log)


def test_a_run_continues_across_requests_and_pauses(tpage: Page, page_log: PageLog) -> None:
    """Pause keeps the weights; Train continues from them at the same epoch."""
    # A watchable pace (20 epochs a second), so that there is time to pause.
    tpage.evaluate(
        """() => { const s = document.querySelector('[data-control="train-speed"]');
                   s.value = '1'; s.dispatchEvent(new Event('change')); }"""
    )
    tpage.click('[data-action="train"]')
    tpage.wait_for_function("() => window.backpropViz.training().epoch >= 20")
    tpage.click('[data-action="train-pause"]')
    tpage.wait_for_function(IDLE)
    paused = tpage.evaluate("() => window.backpropViz.training()")
    tpage.wait_for_timeout(300)
    assert tpage.evaluate("() => window.backpropViz.training()")["epoch"] == paused["epoch"]
    tpage.click('[data-action="train"]')
    tpage.wait_for_function(f"() => window.backpropViz.training().epoch > {paused['epoch']}")
    history = training(tpage)["run"]["history"]
    epochs = [p["epoch"] for p in history]
    assert epochs == sorted(set(epochs)), "one point an epoch, in order"
    tpage.click('[data-action="train-pause"]')
    tpage.wait_for_function(IDLE)
    no_errors(page_log)


def test_the_stream_is_read_in_a_worker_and_the_fallback_reads_the_same(
    browser: Browser, base_url: str, page_log: PageLog, api: httpx.Client
) -> None:
    """The same run read by the stream worker and by the page's own thread (the fallback,
    forced with window.backpropVizNoWorker): the same events, drawn the same."""
    seen = {}
    for reader in ("worker", "main"):
        p = open_page(browser, base_url + "/?view=training", page_log)
        if reader == "main":
            p.evaluate("() => { window.backpropVizNoWorker = true; }")
        done = p.evaluate("b => window.backpropViz.train(b)", SHORT_RUN)
        status = p.evaluate("() => window.backpropViz.training()")
        assert status["reader"] == reader
        assert done["epoch"] == 20 and status["snapshots_drawn"] >= 1
        assert p.get_attribute("canvas[data-boundary]", "data-epoch") == "20"
        assert p.locator(".thumbs canvas.thumb").count() == 4
        assert p.evaluate("() => document.querySelector('.thumbs canvas.thumb').width") == 8
        seen[reader] = (done, p.evaluate(SNAPSHOT_LATTICES), training(p)["run"]["history"])
        p.context.close()
    (done_w, lattices_w, history_w), (done_m, lattices_m, history_m) = seen["worker"], seen["main"]
    assert bits(done_w) == bits(done_m)
    assert history_w == history_m
    # The worker hands the pictures over as Float32Arrays: equal to float32 precision.
    assert lattices_w["epoch"] == lattices_m["epoch"] == 20
    for a, b in zip(
        [lattices_w["boundary"], *lattices_w["neurons"]],
        [lattices_m["boundary"], *lattices_m["neurons"]],
        strict=True,
    ):
        assert len(a) == len(b) and len(a[0]) == len(b[0])
        assert all(
            x == pytest.approx(y, abs=1e-6)
            for ra, rb in zip(a, b, strict=True)
            for x, y in zip(ra, rb, strict=True)
        )
    no_errors(page_log)


def test_a_sandboxed_frame_reads_the_stream_on_its_own_thread(
    browser: Browser, base_url: str, site: HostSite, page_log: PageLog
) -> None:
    """sandbox="allow-scripts" without allow-same-origin (WordPress): the frame's origin is
    "null", it may not start a worker from the app's origin, and trains all the same."""
    src = f"{base_url}/embed?view=training"
    host = site.page(
        f'<iframe id="viz" src="{src}" sandbox="allow-scripts" title="backprop-viz" '
        'style="width:1100px;height:760px;border:0"></iframe>'
    )
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and page_log.console_errors.append(m.text))
    page.on("pageerror", lambda e: page_log.page_errors.append(str(e)))
    page.on("response", lambda r: page_log.responses.append((r.status, r.url)))
    page.goto(host)
    page.wait_for_function("() => document.getElementById('viz').contentWindow !== null")
    frame = next(f for f in page.frames if "/embed" in f.url)
    frame.wait_for_function("() => document.body.dataset.ready === 'true'")
    assert frame.evaluate("() => self.origin") == "null"
    done = frame.evaluate("b => window.backpropViz.train(b)", SHORT_RUN)
    status = frame.evaluate("() => window.backpropViz.training()")
    assert status["reader"] == "main"
    assert done["epoch"] == 20 and status["epoch"] == 20 and status["snapshots_drawn"] >= 1
    assert frame.get_attribute("canvas[data-boundary]", "data-epoch") == "20"
    context.close()
    no_errors(page_log)


def test_the_drawing_follows_the_weights_while_a_run_streams(
    tpage: Page, page_log: PageLog
) -> None:
    """While the stream runs, the weights change in place (links, numbers, biases): every
    link carries the weight of the network the store holds, read in one go."""
    tpage.evaluate(
        """() => { const s = document.querySelector('[data-control="train-speed"]');
                   s.value = '1'; s.dispatchEvent(new Event('change')); }"""
    )
    first = tpage.evaluate("() => window.backpropViz.state().network")
    tpage.click('[data-action="train"]')
    tpage.wait_for_function("() => window.backpropViz.training().epoch >= 10")
    tpage.wait_for_function(
        "w => window.backpropViz.state().network.weights[0][0][0] !== w",
        arg=first["weights"][0][0][0],
    )
    drawn = tpage.evaluate(
        """() => ({
          running: window.backpropViz.training().running,
          network: window.backpropViz.state().network,
          links: [...document.querySelectorAll('svg.network .link')].map((l) =>
            [+l.dataset.layer, +l.dataset.to, +l.dataset.from, l.dataset.w]),
        })"""
    )
    assert drawn["running"] is True
    weights = drawn["network"]["weights"]
    assert drawn["links"] and all(
        float(w) == weights[layer][to][frm] for layer, to, frm, w in drawn["links"]
    )
    tpage.click('[data-action="train-pause"]')
    tpage.wait_for_function(IDLE)
    no_errors(page_log)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_the_next_batch_is_the_runs_next_step(
    tpage: Page, page_log: PageLog, api: httpx.Client, optimizer: str
) -> None:
    """The mini-batch view's Next batch shows the step the run takes next: with SGD, w¹ in the
    view is the weight after a one-mini-batch run (1 batch), and after it, the view moves on
    to the batch the following step takes."""
    tpage.select_option('[data-control="optimizer"]', optimizer)
    tpage.click('[data-action="train-epoch"]')  # somewhere inside the shuffled order
    tpage.wait_for_function("() => window.backpropViz.training().epoch === 1")
    tpage.wait_for_function(IDLE)
    tpage.click('[data-bind="minibatch"] summary')
    tpage.click('[data-action="batch-next"]')
    tpage.wait_for_selector(".batch-summary [data-role='next']")
    t = training(tpage)
    indices = [
        int(i)
        for i in tpage.evaluate(
            "() => [...document.querySelectorAll('table.batch-table tbody tr')]"
            ".map((r) => r.dataset.index)"
        )
    ]
    assert indices == t["run"]["next_batch"]
    note = tpage.text_content(".batch-summary [data-role='next']")
    assert "epoch 1" in note
    weight = tpage.locator('.batch-summary [data-role="weight"]')
    w1 = float(weight.get_attribute("data-w-after"))
    step = float(tpage.get_attribute('.batch-summary [data-role="step"]', "data-value"))
    layer, frm, to = (int(v) for v in tpage.input_value('[data-control="batch-link"]').split(":"))
    before = tpage.evaluate("() => window.backpropViz.state().network")

    tpage.click('[data-action="train-batch"]')
    tpage.wait_for_function(f"() => window.backpropViz.training().step === {t['run']['step'] + 1}")
    tpage.wait_for_function(IDLE)
    after = tpage.evaluate("() => window.backpropViz.state().network")
    w0 = before["weights"][layer][to][frm]
    if optimizer == "sgd":
        assert "makes exactly this step" in note
        assert after["weights"][layer][to][frm] == pytest.approx(w1, rel=1e-9, abs=1e-15)
        eta = t["settings"]["learning_rate"]
        assert after["weights"][layer][to][frm] == pytest.approx(w0 - eta * step, rel=1e-9)
        # Every weight: the server's one step on exactly these points (POST /trace/batch).
        oracle = api.post(
            "/api/v1/trace/batch",
            json={
                "network": before,
                "inputs": [t["data"]["train"]["inputs"][k] for k in indices],
                "targets": [t["data"]["train"]["targets"][k] for k in indices],
                "learning_rate": eta,
                "reduction": "mean",
            },
        ).json()["network"]
        for got, want in zip(after["weights"], oracle["weights"], strict=True):
            assert np.allclose(got, want, rtol=1e-9, atol=1e-15)
    else:
        assert "adam" in note and "exactly this step" not in note
        assert after["weights"][layer][to][frm] != w0
    # The view moves on to the batch the following step takes.
    tpage.wait_for_function(
        "old => { const r = document.querySelector('table.batch-table tbody tr');"
        " return r && JSON.stringify(window.backpropViz.store.state.training.run.next_batch)"
        " !== JSON.stringify(old); }",
        arg=indices,
    )
    tpage.wait_for_function(
        """() => { const want = window.backpropViz.store.state.training.run.next_batch;
             const got = [...document.querySelectorAll('table.batch-table tbody tr')]
               .map((r) => +r.dataset.index);
             return JSON.stringify(got) === JSON.stringify(want); }"""
    )
    no_errors(page_log)


def test_features_are_named_on_the_input_neurons(tpage: Page, page_log: PageLog) -> None:
    """Features are extra input neurons, and each one says which feature it is."""
    body = {
        **SHORT_RUN,
        "network": {**SHORT_RUN["network"], "layers": [3, 4, 1]},
        "dataset": {**SHORT_RUN["dataset"], "features": ["x1^2", "x2^2", "sin(x1)"]},
    }
    tpage.evaluate("(b) => window.backpropViz.train(b)", body)
    names = tpage.evaluate(
        """() => [...document.querySelectorAll('[data-bind="canvas"] .neuron')]
              .filter((n) => n.__data__ && n.__data__.layer === 0)
              .map((n) => n.querySelector('text.above').textContent)"""
    )
    assert names == ["x₁²", "x₂²", "sin x₁"]
    # Back to the plain point: x₁, x₂ again.
    tpage.evaluate("(b) => window.backpropViz.train(b)", SHORT_RUN)
    names = tpage.evaluate(
        """() => [...document.querySelectorAll('[data-bind="canvas"] .neuron')]
              .filter((n) => n.__data__ && n.__data__.layer === 0)
              .map((n) => n.querySelector('text.above').textContent)"""
    )
    assert names == ["x₁", "x₂"]
    assert not page_log.page_errors and not page_log.console_errors


# The caps a server is started with, none of them the default.
SMALL_CAPS = {
    "BACKPROP_VIZ_MAX_TEST_RATIO": "0.6",
    "BACKPROP_VIZ_MAX_NOISE": "0.2",
    "BACKPROP_VIZ_MAX_SAMPLES": "300",
    "BACKPROP_VIZ_MAX_SEED": "1000",
    "BACKPROP_VIZ_MAX_GRID": "30",
}


def test_the_form_takes_its_caps_from_the_capabilities(browser: Browser) -> None:
    """A server started with other caps: the form's fields stop at those (their `max` and
    the values it takes), and a run's lattice is within max_grid (the page's grid is 50)."""
    log = PageLog()
    with running_server(env=SMALL_CAPS) as url:
        page = open_page(browser, url + "/?view=training", log)
        page.wait_for_function(DATA_READY)
        with page.expect_request(lambda r: r.url.endswith("/train/stream")) as sent:
            page.click('[data-action="train-epoch"]')
        page.wait_for_function(
            "() => { const r = window.backpropViz.training(); return !r.running && (r.epoch >= 1"
            " || document.querySelector('[data-bind=\"train-error\"]').textContent !== ''); }"
        )
        assert page.text_content('[data-bind="train-error"]') == ""
        assert json.loads(sent.value.post_data or "")["grid"] == 30
        boundary = training(page)["run"]["snapshot"]["boundary"]["values"]
        assert len(boundary) == 30, "the boundary at the server's max_grid, not the page's 50"
        field_max = {
            name: page.get_attribute(f'[data-control="{name}"]', "max")
            for name in ("test-ratio", "noise", "samples", "data-seed", "batch-size")
        }
        assert field_max == {
            "test-ratio": "0.6",
            "noise": "0.2",
            "samples": "300",
            "data-seed": "1000",
            "batch-size": "300",
        }

        def typed(name: str, value: str) -> Any:
            page.fill(f'[data-control="{name}"]', value)
            page.dispatch_event(f'[data-control="{name}"]', "change")
            page.wait_for_function(DATA_READY)
            return training(page)["settings"]

        # Past the cap the field puts the value back; at the cap it is taken.
        assert typed("samples", "301")["samples"] == 200
        assert typed("noise", "0.3")["noise"] == 0
        assert page.input_value('[data-control="noise"]') == "0"
        assert typed("noise", "0.2")["noise"] == 0.2
        assert typed("test-ratio", "0.7")["test_ratio"] == 0.5
        assert typed("test-ratio", "0.6")["test_ratio"] == 0.6
        page.wait_for_function(  # the data the server split at 0.6: 120 of the 200 points
            "() => window.backpropViz.store.state.training.data.test.x.length === 120"
        )
        page.context.close()
    assert log.console_errors == [] and log.page_errors == [] and log.failed() == []
