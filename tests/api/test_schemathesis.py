"""schemathesis against the app's own OpenAPI document, on the real server: for every
operation, requests generated from the schema (valid ones, and ones that break it) must never
get a 5xx, and every answer must have a documented status, a documented content type and a
body that validates against the declared schema (the SSE events by schemathesis, the NDJSON
lines by a check of ours). Bounded to about a minute in all.

Few generated "valid" bodies pass the checks JSON Schema cannot state (one weight row per
neuron, one activation per layer), so a second test sends one request per operation that
the server accepts, the streams in both of their media types, through the same checks."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import jsonschema
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from app.engine import PRESETS
from app.main import create_app
from tests.api.helpers import strict_loads

NDJSON = "application/x-ndjson"


def ndjson_events_conform(ctx: Any, response: Any, case: schemathesis.Case) -> None:
    """Each line of an NDJSON answer is one event valid against the operation's itemSchema,
    in strict JSON (no NaN). schemathesis validates SSE events by itemSchema itself, not
    NDJSON lines."""
    media = response.headers.get("content-type", [""])[0].split(";")[0].strip()
    if media != NDJSON:
        return
    documented = OPENAPI["paths"][case.path][case.method.lower()]["responses"]
    item = documented[str(response.status_code)]["content"][NDJSON]["itemSchema"]
    validator = jsonschema.Draft202012Validator({**item, "components": OPENAPI["components"]})
    lines = response.text.splitlines()
    assert lines, "an empty NDJSON stream"
    for n, line in enumerate(lines):
        errors = [e.message for e in validator.iter_errors(strict_loads(line))]
        assert not errors, f"NDJSON line {n}: {errors[:3]}: {line[:300]}"


def no_undocumented_server_error(ctx: Any, response: Any, case: schemathesis.Case) -> Any:
    """A 5xx is a failure, except one the operation documents on purpose: /oembed's 501 for
    a format other than json, which the oEmbed spec asks for (schemathesis's own coverage
    phase sends values outside the documented enum)."""
    if response.status_code == 501 and "501" in case.operation.definition.raw["responses"]:
        return None
    return checks.not_a_server_error(ctx, response, case)


CHECKS = [
    no_undocumented_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    ndjson_events_conform,
]

# The document is built in-process so that pytest can list one test per operation when it
# collects (schemathesis's lazy fixture loader breaks on pytest 9); the first test checks
# that the server serves this very document, and every request goes to that server.
OPENAPI = create_app().openapi()
schema = schemathesis.openapi.from_dict(OPENAPI)


def test_the_server_serves_the_fuzzed_document(base_url: str) -> None:
    assert httpx.get(base_url + "/openapi.json").json() == OPENAPI


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case: schemathesis.Case, base_url: str) -> None:
    # A timeout on every call: a hang is a failure too.
    case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=20)


XOR: dict[str, Any] = PRESETS["xor"].trace_request()
TRAIN = {"network": XOR["network"], "dataset": {"name": "xor", "samples": 40}, "epochs": 3}
ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("/api/v1/trace", XOR),
    ("/api/v1/trace/stream", XOR),
    ("/api/v1/gradcheck", XOR),
    ("/api/v1/cost", XOR),
    ("/api/v1/network", XOR["network"]),
    ("/api/v1/dataset", {"network": XOR["network"], "dataset": TRAIN["dataset"]}),
    ("/api/v1/train/stream", TRAIN),
    (
        "/api/v1/trace/batch",
        {"network": XOR["network"], "inputs": [[0, 0], [1, 0]], "targets": [[0], [1]]},
    ),
    ("/api/v1/export/pytorch", XOR),
    ("/api/v1/exercises/{exercise_id}", {"seed": 7}),
    ("/api/v1/exercises/{exercise_id}/check", {"seed": 7, "answers": {"q1": 0.5, "q3": "-"}}),
]
# The exercise the path parameter names (its q1 is a number, q3 a sign).
PATH_PARAMETERS = {"exercise_id": "forward-2-2-1"}
POSTS = sorted(p for p, item in OPENAPI["paths"].items() if "post" in item)
STREAM_TYPES = ["application/x-ndjson", "text/event-stream"]


def test_every_post_operation_has_an_accepted_request() -> None:
    assert sorted(p for p, _ in ACCEPTED) == POSTS


@pytest.mark.parametrize(("path", "body"), ACCEPTED, ids=[p for p, _ in ACCEPTED])
def test_an_accepted_request_keeps_the_contract(
    base_url: str, path: str, body: dict[str, Any]
) -> None:
    ok = OPENAPI["paths"][path]["post"]["responses"]["200"]["content"]
    accepts = STREAM_TYPES if set(ok) == set(STREAM_TYPES) else [None]
    for accept in accepts:
        headers = {"accept": accept} if accept else {}
        params = PATH_PARAMETERS if "{" in path else None
        case = schema[path]["POST"].Case(
            body=copy.deepcopy(body), headers=headers, path_parameters=params
        )
        response = case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=20)
        assert response.status_code == 200, response.text
        sent = response.headers["content-type"][0].split(";")[0]
        assert sent == (accept or next(iter(ok)))


def _request_schema(path: str) -> dict[str, Any]:
    body = OPENAPI["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    return {**body["schema"], "components": OPENAPI["components"]}


@pytest.mark.parametrize(
    ("field", "where"),
    [("layers[1]", ("network", "layers", 1)), ("seed", ("network", "seed"))],
)
def test_an_integer_with_a_zero_fraction_is_an_integer(
    base_url: str, field: str, where: tuple[Any, ...]
) -> None:
    """What schemathesis's valid bodies meet first: JSON Schema 2020-12 (OpenAPI 3.1's)
    counts 3.0 as an integer, so every validator and generated client passes it, and a
    Python client that computed the value sends it so. The server must read it as 3."""
    plain = copy.deepcopy(XOR)
    plain["network"]["seed"] = 3
    written = copy.deepcopy(plain)
    node = written
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = float(node[where[-1]])
    validator = jsonschema.Draft202012Validator(_request_schema("/api/v1/trace"))
    assert validator.is_valid(written)
    expected = httpx.post(base_url + "/api/v1/trace", json=plain)
    got = httpx.post(base_url + "/api/v1/trace", json=written)
    assert expected.status_code == 200
    assert got.status_code == 200, f"{field} = 3.0: {got.text}"
    assert got.json() == expected.json()
