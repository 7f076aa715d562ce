"""Classes follow the data: a CSV or clicked points with k classes make the output layer fit
(two classes: one sigmoid neuron with binary cross-entropy; three or more: k softmax neurons
with cross-entropy; values: one linear neuron with squared error), the hidden layers keep
their weights, a note says what changed, and training runs. A CSV's errors name its line and
column, never the API's field path, in both languages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import DATA_READY, TRAINING, PageLog, open_page

NETWORK = "() => window.backpropViz.state().network"


def no_errors(log: PageLog) -> None:
    assert log.console_errors == [] and log.page_errors == [] and log.failed() == []


def network(page: Page) -> dict[str, Any]:
    return page.evaluate(NETWORK)


def hidden(net: dict[str, Any]) -> tuple[Any, Any]:
    """The hidden layers' incoming weights and biases (every layer but the output's)."""
    return net["weights"][:-1], net["biases"][:-1]


def upload(page: Page, tmp_path: Path, name: str, text: str) -> None:
    csv = tmp_path / name
    csv.write_text(text)
    page.set_input_files('[data-control="csv"]', str(csv))


def wait_for_output(page: Page, size: int, activation: str) -> None:
    page.wait_for_function(
        """([size, act]) => {
          const n = window.backpropViz.state().network;
          const t = window.backpropViz.store.state.training;
          return n.layers.at(-1) === size && n.activations.at(-1) === act && !!t.data &&
            t.data.train.targets[0].length === size;
        }""",
        arg=[size, activation],
        timeout=10000,
    )


def csv_text(rows: list[tuple[float, float, float]]) -> str:
    return "x1,x2,label\n" + "\n".join(f"{x},{y},{k}" for x, y, k in rows) + "\n"


# Three clusters, labels 0, 1, 2; then the same points with two classes; then values.
THREE = [(-4 + (k % 5) * 0.3, -3 + (k // 5) * 0.3, 0) for k in range(10)]
THREE += [(3 + (k % 5) * 0.3, -3 + (k // 5) * 0.3, 1) for k in range(10)]
THREE += [(0 + (k % 5) * 0.3, 3 + (k // 5) * 0.3, 2) for k in range(10)]
TWO = [(x, y, int(k == 2)) for x, y, k in THREE]
VALUES = [(x, y, round(0.25 * x - 0.5 * y + 0.125, 4)) for x, y, _ in THREE]


def train_one_epoch(page: Page) -> None:
    page.click('[data-action="train-epoch"]')
    page.wait_for_function(
        "() => { const r = window.backpropViz.training(); return !r.running && r.epoch >= 1; }"
    )
    assert page.text_content('[data-bind="train-error"]') == ""


def test_three_classes_by_csv_then_two_then_values(
    tpage: Page, page_log: PageLog, tmp_path: Path
) -> None:
    before = network(tpage)
    assert before["layers"][-1] == 1 and before["activations"][-1] == "sigmoid"

    upload(tpage, tmp_path, "three.csv", csv_text(THREE))
    wait_for_output(tpage, 3, "softmax")
    net = network(tpage)
    assert net["layers"] == [*before["layers"][:-1], 3]
    assert net["loss"] == "cross_entropy"
    assert hidden(net) == hidden(before), "the hidden layers keep their weights"
    data = tpage.evaluate(TRAINING)["data"]
    assert data["classes"] == 3 and data["kind"] == "classification"
    note = tpage.text_content('[data-bind="train-note"]')
    assert note == (
        "The output layer now has 3 softmax neurons with cross entropy, one per class; "
        "the hidden layers kept their weights."
    )
    assert tpage.text_content('[data-bind="train-error"]') == ""
    train_one_epoch(tpage)

    # Back to two classes: one sigmoid neuron with binary cross-entropy; the hidden layers
    # keep the weights they have now (after that epoch).
    trained = network(tpage)
    upload(tpage, tmp_path, "two.csv", csv_text(TWO))
    wait_for_output(tpage, 1, "sigmoid")
    net = network(tpage)
    assert net["loss"] == "binary_cross_entropy"
    assert hidden(net) == hidden(trained)
    assert "one sigmoid neuron with binary cross entropy" in tpage.text_content(
        '[data-bind="train-note"]'
    )
    train_one_epoch(tpage)

    # Values: one linear neuron with squared error.
    trained = network(tpage)
    upload(tpage, tmp_path, "values.csv", csv_text(VALUES))
    wait_for_output(tpage, 1, "linear")
    net = network(tpage)
    assert net["loss"] == "squared_error"
    assert hidden(net) == hidden(trained)
    assert tpage.evaluate(TRAINING)["data"]["kind"] == "regression"
    assert "one linear neuron with squared error" in tpage.text_content('[data-bind="train-note"]')
    train_one_epoch(tpage)
    no_errors(page_log)


def test_a_two_class_csv_on_the_three_class_network(
    tpage: Page, page_log: PageLog, tmp_path: Path
) -> None:
    tpage.click('[data-dataset="three_class"]')
    wait_for_output(tpage, 3, "softmax")
    before = network(tpage)
    upload(tpage, tmp_path, "two.csv", csv_text(TWO))
    wait_for_output(tpage, 1, "sigmoid")
    assert hidden(network(tpage)) == hidden(before)
    assert tpage.text_content('[data-bind="train-error"]') == ""
    train_one_epoch(tpage)
    no_errors(page_log)


def empty_spot(page: Page) -> tuple[float, float]:
    """A place on the plane (screen coordinates) far from every point: a click there adds one."""
    return tuple(
        page.evaluate(
            """() => {
              const t = window.backpropViz.store.state.training;
              const pts = [...t.data.train.x, ...t.data.test.x];
              const [[x0, x1], [y0, y1]] = t.data.extent;
              let best = null, bestD = -1;
              for (let i = 1; i < 40; i++) for (let j = 1; j < 40; j++) {
                const p = [x0 + (i / 40) * (x1 - x0), y0 + (j / 40) * (y1 - y0)];
                const d = Math.min(...pts.map((q) => Math.hypot(q[0] - p[0], q[1] - p[1])));
                if (d > bestD) { best = p; bestD = d; }
              }
              const r = document.querySelector('canvas[data-boundary]').getBoundingClientRect();
              return [r.left + (best[0] - x0) / (x1 - x0) * r.width,
                      r.top + r.height - (best[1] - y0) / (y1 - y0) * r.height];
            }"""
        )
    )


def test_a_new_class_by_clicks(tpage: Page, page_log: PageLog, artifacts: Path) -> None:
    before = network(tpage)
    points = len(tpage.evaluate(TRAINING)["data"]["train"]["x"]) + len(
        tpage.evaluate(TRAINING)["data"]["test"]["x"]
    )
    assert tpage.locator('[data-control="add-class"] option[value="2"]').text_content() == (
        "new class 2"
    )
    tpage.select_option('[data-control="add-class"]', "2")
    x, y = empty_spot(tpage)
    tpage.mouse.click(x, y)
    wait_for_output(tpage, 3, "softmax")
    t = tpage.evaluate(TRAINING)
    assert len(t["data"]["train"]["x"]) + len(t["data"]["test"]["x"]) == points + 1
    assert t["data"]["classes"] == 3
    assert 2 in t["data"]["train"]["labels"] + t["data"]["test"]["labels"]
    net = network(tpage)
    assert net["loss"] == "cross_entropy"
    assert hidden(net) == hidden(before)
    assert "3 softmax neurons" in tpage.text_content('[data-bind="train-note"]')
    assert tpage.text_content('[data-bind="train-error"]') == ""
    tpage.wait_for_timeout(300)
    tpage.screenshot(path=str(artifacts / "training-third-class.png"))
    # The next class can be added too, and a second point of class 2 keeps the network.
    assert tpage.locator('[data-control="add-class"] option[value="3"]').count() == 1
    x, y = empty_spot(tpage)
    tpage.mouse.click(x, y)
    tpage.wait_for_function(
        "n => { const d = window.backpropViz.store.state.training.data;"
        " return d.train.x.length + d.test.x.length === n; }",
        arg=points + 2,
    )
    assert network(tpage)["layers"][-1] == 3
    assert tpage.text_content('[data-bind="train-note"]') == "", "the note was the last change's"
    train_one_epoch(tpage)
    tpage.wait_for_timeout(300)
    tpage.screenshot(path=str(artifacts / "training-third-class-trained.png"))
    no_errors(page_log)


@pytest.mark.parametrize(
    ("lang", "where"),
    [
        ("en", "Line 5, column 2 (x2)"),
        ("zh-TW", "第 5 行第 2 欄（x2）"),
    ],
)
def test_a_csv_value_the_api_refuses_names_its_line_and_column(
    browser: Browser, base_url: str, tmp_path: Path, lang: str, where: str
) -> None:
    log = PageLog()
    page = open_page(browser, f"{base_url}/?view=training&lang={lang}", log)
    page.wait_for_function(DATA_READY)
    # Blank lines count: the refused value is on line 5 of the file, point 3.
    upload(page, tmp_path, "big.csv", "x1,x2,label\n1,2,0\n\n3,4,1\n5,2e7,1\n6,1,0\n")
    error = page.locator('[data-bind="train-error"]')
    error.wait_for(state="visible")
    text = error.text_content()
    assert where in text
    assert "dataset" not in text and "[" not in text
    t = page.evaluate(TRAINING)
    assert t["settings"]["dataset"] == "xor" and t["points"] is None, (
        "a refused file changes nothing"
    )
    # The label column has its own name.
    upload(page, tmp_path, "label.csv", "x1,x2,label\n1,2,0.5\n3,4,3e7\n")
    page.wait_for_function(
        "w => document.querySelector('[data-bind=\"train-error\"]').textContent.includes(w)",
        arg="3 (label)" if lang == "en" else "3 欄（label）",
    )
    text = error.text_content()
    assert ("Line 3, column 3 (label)" if lang == "en" else "第 3 行第 3 欄（label）") in text
    assert "dataset" not in text
    # A value the page's own parser refuses is named the same way.
    upload(page, tmp_path, "word.csv", "x1,x2,label\n1,2,0\n1,x,1\n")
    page.wait_for_function(
        "w => document.querySelector('[data-bind=\"train-error\"]').textContent.includes(w)",
        arg="Line 3, column 2 (x2)" if lang == "en" else "第 3 行第 2 欄（x2）",
    )
    page.context.close()


def test_a_clicked_point_the_api_refuses_is_named_by_its_number(
    tpage: Page, page_log: PageLog, tmp_path: Path
) -> None:
    # Points up to ±990 000: the plane reaches past 1e6, the largest |x| the API takes.
    rows = [(-990000, 0, 0), (990000, 1, 1), (0, -1, 0), (1, 2, 1)]
    upload(tpage, tmp_path, "wide.csv", csv_text(rows))
    tpage.wait_for_function(
        "() => { const d = window.backpropViz.store.state.training.data;"
        " return d.train.x.length + d.test.x.length === 4; }"
    )
    before = tpage.evaluate(TRAINING)
    tpage.select_option('[data-control="add-class"]', "0")
    box = tpage.locator("canvas[data-boundary]").bounding_box()
    assert box is not None
    # Near the right edge, low: x₁ ≈ 1.07e6, far from every point.
    tpage.mouse.click(box["x"] + 0.99 * box["width"], box["y"] + 0.9 * box["height"])
    error = tpage.locator('[data-bind="train-error"]')
    error.wait_for(state="visible")
    text = error.text_content()
    assert text.startswith("Point 5 (x1): ") and "at most 1000000 in absolute value" in text, text
    assert "dataset" not in text and "CSV" not in text
    after = tpage.evaluate(TRAINING)
    assert after["points"] == before["points"] and after["data"] == before["data"]
    assert tpage.locator('[data-dataset="user"]').get_attribute("aria-checked") == "true"
    assert page_log.page_errors == []
    assert [s for s, _ in page_log.failed()] == [422], "the refused point's one request"


def test_opening_training_on_your_own_network_keeps_its_hidden_weights(
    browser: Browser, base_url: str, page_log: PageLog
) -> None:
    page = open_page(browser, base_url + "/", page_log)
    request = {
        "network": {
            "layers": [2, 3, 3],
            "activations": ["relu", "softmax"],
            "loss": "cross_entropy",
            "init": "he",
            "seed": 4,
        },
        "input": [0.5, -1.0],
        "target": [0, 1, 0],
        "learning_rate": 0.1,
    }
    page.evaluate("r => window.backpropViz.load(r)", request)
    before = network(page)
    page.click('[data-action="training"]')
    page.wait_for_function(DATA_READY)
    wait_for_output(page, 1, "sigmoid")
    net = network(page)
    assert net["layers"] == [2, 3, 1] and net["loss"] == "binary_cross_entropy"
    assert hidden(net) == hidden(before)
    assert page.text_content('[data-bind="train-note"]') == (
        "The output layer now has one sigmoid neuron with binary cross entropy; "
        "the hidden layers kept their weights."
    )
    train_one_epoch(page)
    no_errors(page_log)
    page.context.close()
