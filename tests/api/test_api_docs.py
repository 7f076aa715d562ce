"""docs/api.md describes every answer: each object the OpenAPI document declares in a
response has a section listing exactly its fields, and the numbers the docs quote (the
default η, a saturated ∂l/∂a, a stream's last event) are the server's."""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from scripts.request_tables import reachable
from tests.api.helpers import STREAM, TRACE, strict_loads

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
SCHEMAS = "#/components/schemas/"


@pytest.fixture(scope="module")
def doc(client: httpx.Client) -> dict[str, Any]:
    return client.get("/openapi.json").json()


@pytest.fixture(scope="module")
def text() -> str:
    return DOCS.read_text(encoding="utf-8")


def answer_models(doc: dict[str, Any]) -> list[str]:
    """Every schema reachable from a response (stream events included), in order found."""
    return reachable(doc, "responses")


def documented_fields(text: str) -> dict[str, list[str]]:
    """{model: the first column of its section's table}, from "### `Model`" sections."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        heading = re.fullmatch(r"### `(\w+)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), [])
        elif line.startswith("#"):
            current = None
        elif current is not None:
            cell = re.match(r"\| `([\w-]+)` \|", line)  # zh-TW too
            if cell:
                current.append(cell.group(1))
    return sections


def test_every_answer_field_is_documented(doc: dict[str, Any], text: str) -> None:
    sections = documented_fields(text)
    models = answer_models(doc)
    assert {"TraceResponse", "TraceDoneEvent", "TrainDoneEvent", "Capabilities"} <= set(models)
    for name in models:
        schema = doc["components"]["schemas"][name]
        if "properties" not in schema:  # a union of events: its members have sections
            assert f"`{name}`" in text, name
            continue
        assert name in sections, f"docs/api.md has no section ### `{name}`"
        assert sorted(sections[name]) == sorted(schema["properties"]), name


def test_defaults_quoted_are_the_schemas(doc: dict[str, Any], text: str) -> None:
    schemas = doc["components"]["schemas"]
    trace_eta = schemas["TraceRequest"]["properties"]["learning_rate"]["default"]
    train_eta = schemas["TrainRequest"]["properties"]["learning_rate"]["default"]
    assert (trace_eta, train_eta) == (0.5, 0.03)
    assert f"defaults to **{trace_eta:g}**" in text
    assert f"defaults to **{train_eta:g}**" in text
    assert "`abs_diff`" in text and "`loss_after`" in text


def test_stream_example_ends_as_the_server_does(client: httpx.Client, text: str) -> None:
    body = client.get("/api/v1/presets/worked-example-2-2-2").content
    last = client.post(STREAM, content=body).text.splitlines()[-1]
    assert "loss_after" in last
    assert last in text


def test_saturated_value_is_as_documented(client: httpx.Client, text: str) -> None:
    """A sigmoid output at z = 50 with target 0 under binary cross-entropy: a = 1.0, and
    ∂l/∂a is the clamp 1/(smallest normal float64), finite, as docs/api.md quotes it."""
    network = {
        "layers": [1, 1],
        "activations": ["sigmoid"],
        "loss": "binary_cross_entropy",
        "weights": [[[1.0]]],
        "biases": [[0.0]],
    }
    r = client.post(TRACE, content=json.dumps({"network": network, "input": [50], "target": [0]}))
    assert r.status_code == 200, r.text
    out = strict_loads(r.text)["layers"][1]
    assert out["a"] == [1.0] and out["da_dz"] == [0.0] and out["dl_dz"] == [1.0]
    clamp = 1 / sys.float_info.min
    assert out["dl_da"] == [clamp]
    assert f'"dl_da": [{clamp!r}]' in text
    assert f"{clamp:.1e}".replace("e+307", "·10³⁰⁷") in text  # 4.5·10³⁰⁷
    assert math.isinf(clamp * 4) and not math.isinf(clamp * 3.99)  # "times 4 or more it is ∞"


def test_every_request_field_has_its_row_written_from_the_models(text: str) -> None:
    """docs/api.md's request tables are what scripts/request_tables.py writes from the
    OpenAPI document (type, default, limit, meaning), and every field says what it means."""
    from app.main import create_app
    from app.settings import Settings
    from scripts.request_tables import block, request_models

    doc = create_app(Settings()).openapi()
    written = block(doc)
    assert written in text, "stale: run python -m scripts.request_tables"
    models = request_models(doc)
    for name in ("TrainRequest", "DatasetSpec", "BatchTraceRequest", "GradcheckRequest"):
        assert name in models
    for name in ("OptimizerState", "Regularization", "Resume", "NetworkSpec"):
        assert name in models
    rows = [line for line in written.splitlines() if line.startswith("| `")]
    assert len(rows) == sum(len(doc["components"]["schemas"][n]["properties"]) for n in models)
    assert not [row for row in rows if row.endswith("|  |")]  # a meaning in every row
    train = doc["components"]["schemas"]["TrainRequest"]["properties"]
    assert "| `epochs` | integer | 100 | ≥ 0, ≤ 100000 |" in written
    assert train["epochs"]["default"] == 100 and train["epochs"]["maximum"] == 100000
