"""Every error item carries a `type` from one registry (ERROR_TYPES, app/engine/errors.py)
and its parameters in a JSON-safe `ctx`; the registry, docs/api.md and the OpenAPI enum list
the same types; and each type is one a real request gets (tests/api/error_requests.py) or one
the code raises where no request reaches it."""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.engine.errors import ERROR_TYPES
from tests.api.error_requests import REQUESTS, UNREACHABLE, answer, special_server
from tests.api.helpers import strict_loads

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def special() -> Iterator[httpx.Client]:
    with special_server() as base, httpx.Client(base_url=base, timeout=30.0) as c:
        yield c


def json_safe(value: Any) -> bool:
    """A number (finite), a short string, a boolean, or a short list of them."""
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    if isinstance(value, str):
        return len(value) <= 100
    if isinstance(value, list):
        return len(value) <= 50 and all(json_safe(v) and not isinstance(v, list) for v in value)
    return False


def check_item(item: dict[str, Any]) -> None:
    assert set(item) == {"loc", "field", "msg", "type", "ctx"}, item
    assert item["type"] in ERROR_TYPES, item
    assert isinstance(item["ctx"], dict), item
    documented = ERROR_TYPES[item["type"]].ctx
    assert set(item["ctx"]) <= set(documented), (item, documented)
    for key, value in item["ctx"].items():
        assert json_safe(value), (key, value, item)


@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_a_real_bad_request_gets_its_type_with_json_safe_ctx(
    kind: str, client: httpx.Client, special: httpx.Client
) -> None:
    r = answer(REQUESTS[kind], client, special)
    assert r.status_code >= 400, (r.status_code, r.text[:300])
    detail = strict_loads(r.content)["detail"]  # strict: no NaN or Infinity anywhere
    assert detail and detail[0]["type"] == kind, detail
    for item in detail:
        check_item(item)


def test_huge_and_non_finite_inputs_stay_out_of_ctx(client: httpx.Client) -> None:
    net = {"layers": [2, 1], "activations": ["sigmoid"], "loss": "squared_error"}
    huge = "x" * 100_000
    r = client.get("/api/v1/presets/" + "y" * 2000)
    item = strict_loads(r.content)["detail"][0]
    assert item["type"] == "not_found" and len(item["ctx"]["given"]) == 100, item
    r = client.post(
        "/api/v1/trace",
        json={"network": {**net, "loss": huge}, "input": [1e300, 1.0], "target": [0.5]},
    )
    for item in strict_loads(r.content)["detail"]:
        check_item(item)
        assert huge not in r.text


def test_every_type_is_reached_by_a_request_or_listed_with_why_not() -> None:
    assert set(REQUESTS) | set(UNREACHABLE) == set(ERROR_TYPES)
    assert not set(REQUESTS) & set(UNREACHABLE)


def kinds_in_code() -> set[str]:
    """The kinds app/ names where it raises: the third argument of SpecError(...),
    error_item(...), _query_error(...) and HTTP_TYPES' values, as string literals."""
    found: set[str] = set()
    for path in (ROOT / "app").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                index = {"SpecError": 2, "error_item": 2, "_query_error": 3}.get(name)
                if index is not None and len(node.args) > index:
                    arg = node.args[index]
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.add(arg.value)
                    elif isinstance(arg, ast.IfExp):  # "wrong_length" if listed else "not_a_list"
                        pair = (arg.body, arg.orelse)
                        found |= {a.value for a in pair if isinstance(a, ast.Constant)}
    from app.api.errors import HTTP_TYPES

    return found | set(HTTP_TYPES.values()) | {"http_error", "invalid"}


def test_the_code_raises_only_registered_types_and_every_unreachable_one() -> None:
    raised = kinds_in_code()
    assert raised <= set(ERROR_TYPES), raised - set(ERROR_TYPES)
    # A type no request reaches is one the code still raises (not a dead entry).
    assert set(UNREACHABLE) <= raised, set(UNREACHABLE) - raised


def documented_types() -> dict[str, str]:
    """docs/api.md's table of types: `type` → its ctx column."""
    text = (ROOT / "docs" / "api.md").read_text()
    section = text[text.index("### Error types") :]
    section = section[: section.index("\n## ", 1) if "\n## " in section else len(section)]
    rows = re.findall(r"^\| `([a-z_0-9]+)` \|[^|]*\|[^|]*\|([^|]*)\|", section, flags=re.M)
    return dict(rows)


def test_docs_list_every_type_and_its_ctx() -> None:
    docs = documented_types()
    assert set(docs) == set(ERROR_TYPES)
    for kind, ctx in docs.items():
        listed = set(re.findall(r"`([a-z_]+)`", ctx))
        assert listed == set(ERROR_TYPES[kind].ctx), (kind, listed)


def test_openapi_enumerates_the_types_and_documents_ctx(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    item = doc["components"]["schemas"]["ErrorItem"]
    assert set(item["properties"]["type"]["enum"]) == set(ERROR_TYPES)
    assert item["properties"]["ctx"]["type"] == "object"
    assert "ctx" not in item.get("required", [])
