"""The OpenAPI document tells the truth: every answer of every operation, from a real server,
validates against the schema it declares for that status and media type (jsonschema,
Draft 2020-12, $refs resolved in the document), stream events one by one; nothing is
declared that the server never sends; and the limits in the schema are the ones enforced."""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.api.helpers import NDJSON, SSE, link_state, strict_loads
from tests.server import running_server

API = "/api/v1"
DOC_URI = "urn:backprop-viz:openapi"
WORKED = "worked-example-2-2-2"
SOFTMAX = "softmax-classifier"


def pointer(*parts: str) -> str:
    """A JSON pointer (RFC 6901) into the document."""
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


class Contract:
    """The OpenAPI document, and validators of its schemas with its $refs resolved."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        resource = Resource.from_contents(doc, default_specification=DRAFT202012)
        self.registry = Registry().with_resource(DOC_URI, resource)

    def validator(self, *parts: str) -> Draft202012Validator:
        return Draft202012Validator(
            {"$ref": f"{DOC_URI}#{pointer(*parts)}"}, registry=self.registry
        )

    def media(self, method: str, path: str, status: int, media_type: str) -> tuple[str, ...]:
        """Where the schema of this answer is: a KeyError if it is not documented."""
        parts = ("paths", path, method, "responses", str(status), "content", media_type)
        node = self.doc
        for p in parts:
            node = node[p]
        return parts


@pytest.fixture(scope="module")
def contract(client: httpx.Client) -> Contract:
    r = client.get("/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    Draft202012Validator.check_schema({"$defs": doc["components"]["schemas"]})
    return Contract(doc)


# --- The answers: one real request per case -----------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str  # as documented, e.g. /api/v1/presets/{name}
    url: str = ""  # what is requested, when it differs from path
    body: Any = None  # JSON, or bytes as they are
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200
    media_type: str = "application/json"
    events: frozenset[str] = frozenset()  # types a stream must send

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.method, self.path, str(self.status), self.media_type)


def _network(layers: list[int], activations: list[str], loss: str) -> dict[str, Any]:
    return {"layers": layers, "activations": activations, "loss": loss}


def _data(run: dict[str, Any]) -> dict[str, Any]:
    """A training run's POST /dataset body."""
    return {"network": run["network"], "dataset": run["dataset"]}


def _bomb() -> str:
    """A deflated state that inflates past the body cap."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = deflate.compress(b" " * (2 * 1024 * 1024)) + deflate.flush()
    return "z" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


CLASSES_RUN = {  # softmax over three blobs: the boundary's classes, every neuron's picture
    "network": _network([2, 3, 3], ["tanh", "softmax"], "cross_entropy"),
    "dataset": {"name": "three_class", "samples": 40},
    "learning_rate": 0.1,
    "epochs": 2,
    "report_every": 1,
    "grid": 4,
    "neuron_grids": True,
    "neuron_grid": 3,
    "optimizer": "adam",
    "regularization": {"kind": "l2", "rate": 0.001},
    "state_in_snapshots": True,
}
REGRESSION_RUN = {  # a sigmoid-free regression: no accuracies, no classes
    "network": _network([2, 3, 1], ["tanh", "linear"], "mse"),
    "dataset": {"name": "plane", "samples": 30, "test_ratio": 0.0},
    "epochs": 3,
    "grid": 3,
    "target_loss": 1e9,  # met at once: done with reason target_loss
}
DIVERGING_RUN = {  # η = 1000 on linear neurons: the loss overflows within a few steps
    "network": _network([2, 4, 1], ["linear", "linear"], "squared_error"),
    "dataset": {"name": "plane", "samples": 30},
    "learning_rate": 1000.0,
    "epochs": 50,
    "grid": 0,
}
OWN_POINTS = {  # the user's 3-D points: no plane, so no extent and no features
    "network": _network([3, 2, 1], ["tanh", "sigmoid"], "binary_cross_entropy"),
    "dataset": {
        "x": [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 1, 1]],
        "y": [[0], [1], [1], [0]],
        "test_ratio": 0.25,
    },
}
BATCH_BODY = {
    "network": {
        **_network([2, 2, 3], ["sigmoid", "softmax"], "cross_entropy"),
        "weights": [[[0.1, -0.2], [0.3, 0.4]], [[0.5, -0.6], [0.7, 0.8], [-0.9, 1.0]]],
        "biases": [[0.0, 0.1], [0.2, -0.1, 0.0]],
    },
    "inputs": [[0.5, -1.0], [1.0, 2.0], [0.0, 0.0]],
    "targets": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
}
SATURATED = {  # a sigmoid output at z = 50 under BCE: ∂l/∂a is the clamp ≈ 4.5e307
    "network": {
        **_network([1, 1], ["sigmoid"], "binary_cross_entropy"),
        "weights": [[[1.0]]],
        "biases": [[0.0]],
    },
    "input": [50.0],
    "target": [0.0],
    "include_events": True,
}
BAD_BODY = {"network": {"layers": [2, 2], "activations": ["softmax"], "loss": "mse"}}
TOO_BIG = b"[" + b"0," * (1024 * 1024) + b"0]"  # over the default 1 MiB

EXERCISE = API + "/exercises/{exercise_id}"
CHECK = EXERCISE + "/check"
WHOLE = "whole-step-2-2-2"


def at(path: str, exercise_id: str) -> str:
    return path.replace("{exercise_id}", exercise_id)


PYTHON = "text/x-python"  # POST /export/pytorch: a script
TRACE_EVENTS = frozenset({"forward", "loss", "backward", "gradient", "update", "done"})

# Bodies filled in from the server's presets at run time: ("preset", name[, changes]).
CASES = [
    Case("capabilities", "get", f"{API}/capabilities"),
    Case("presets", "get", f"{API}/presets"),
    *(
        Case(f"preset-{name}", "get", f"{API}/presets/{{name}}", url=f"{API}/presets/{name}")
        for name in (WORKED, "lecture-2-input", "xor", SOFTMAX, "deep-2-8x6-1")
    ),
    Case("preset-404", "get", f"{API}/presets/{{name}}", url=f"{API}/presets/none", status=404),
    Case("trace-worked", "post", f"{API}/trace", body=("preset", WORKED)),
    Case("trace-softmax", "post", f"{API}/trace", body=("preset", SOFTMAX)),
    Case("trace-events", "post", f"{API}/trace", body=("preset", "xor", {"include_events": True})),
    Case("trace-saturated", "post", f"{API}/trace", body=SATURATED),
    Case("trace-422", "post", f"{API}/trace", body=BAD_BODY, status=422),
    Case("trace-413", "post", f"{API}/trace", body=TOO_BIG, status=413),
    Case(
        "stream-ndjson",
        "post",
        f"{API}/trace/stream",
        body=("preset", WORKED),
        media_type=NDJSON,
        events=TRACE_EVENTS,
    ),
    Case(
        "stream-sse",
        "post",
        f"{API}/trace/stream",
        body=("preset", SOFTMAX),
        headers={"accept": SSE},
        media_type=SSE,
        events=TRACE_EVENTS,
    ),
    Case("stream-422", "post", f"{API}/trace/stream", body=BAD_BODY, status=422),
    Case("stream-413", "post", f"{API}/trace/stream", body=TOO_BIG, status=413),
    Case("gradcheck", "post", f"{API}/gradcheck", body=("preset", "lecture-2-input")),
    Case("gradcheck-softmax", "post", f"{API}/gradcheck", body=("preset", SOFTMAX)),
    Case("gradcheck-422", "post", f"{API}/gradcheck", body=BAD_BODY, status=422),
    Case("gradcheck-413", "post", f"{API}/gradcheck", body=TOO_BIG, status=413),
    Case("cost", "post", f"{API}/cost", body=("preset", "lecture-2-input")),
    Case(
        "cost-shape",
        "post",
        f"{API}/cost",
        body={"network": _network([3, 4, 2], ["tanh", "softmax"], "cross_entropy")},
    ),
    Case("cost-422", "post", f"{API}/cost", body={**BAD_BODY, "input": [1, 2]}, status=422),
    Case("cost-413", "post", f"{API}/cost", body=TOO_BIG, status=413),
    Case("cost-sweep", "get", f"{API}/cost/sweep"),
    Case("network", "post", f"{API}/network", body=_network([2, 3, 1], ["relu", "sigmoid"], "mse")),
    Case("network-422", "post", f"{API}/network", body={"layers": [2]}, status=422),
    Case("network-413", "post", f"{API}/network", body=TOO_BIG, status=413),
    Case("dataset-classes", "post", f"{API}/dataset", body=_data(CLASSES_RUN)),
    Case("dataset-regression", "post", f"{API}/dataset", body=_data(REGRESSION_RUN)),
    Case("dataset-own-points", "post", f"{API}/dataset", body=_data(OWN_POINTS)),
    Case("dataset-422", "post", f"{API}/dataset", body=BAD_BODY, status=422),
    Case("dataset-413", "post", f"{API}/dataset", body=TOO_BIG, status=413),
    Case(
        "train-ndjson",
        "post",
        f"{API}/train/stream",
        body=CLASSES_RUN,
        media_type=NDJSON,
        events=frozenset({"start", "epoch", "snapshot", "done"}),
    ),
    Case(
        "train-sse",
        "post",
        f"{API}/train/stream",
        body=REGRESSION_RUN,
        headers={"accept": SSE},
        media_type=SSE,
        events=frozenset({"start", "epoch", "snapshot", "done"}),
    ),
    Case(
        "train-diverged",
        "post",
        f"{API}/train/stream",
        body=DIVERGING_RUN,
        media_type=NDJSON,
        events=frozenset({"start", "diverged", "done"}),
    ),
    Case("train-own-points", "post", f"{API}/train/stream", body=OWN_POINTS, media_type=NDJSON),
    # The oEmbed provider (docs/embedding.md): a page of this server, relative to it.
    Case("oembed", "get", "/oembed", url="/oembed?url=%2Fembed%3Fpreset%3Dxor"),
    Case("oembed-404", "get", "/oembed", url="/oembed?url=https://elsewhere.example/", status=404),
    Case("oembed-422", "get", "/oembed", url="/oembed", status=422),
    Case("oembed-501", "get", "/oembed", url="/oembed?url=%2F&format=xml", status=501),
    # The GET streams (EventSource): the same requests as a share link's state.
    Case(
        "get-stream-ndjson",
        "get",
        f"{API}/trace/stream",
        url=f"{API}/trace/stream?v=1&state={link_state(SATURATED)}",
        media_type=NDJSON,
        events=TRACE_EVENTS,
    ),
    Case(
        "get-stream-sse",
        "get",
        f"{API}/trace/stream",
        url=f"{API}/trace/stream?v=1&state={link_state(SATURATED)}",
        headers={"accept": SSE},
        media_type=SSE,
        events=TRACE_EVENTS,
    ),
    Case(
        "get-stream-422",
        "get",
        f"{API}/trace/stream",
        url=f"{API}/trace/stream?state=jnot!",
        status=422,
    ),
    Case(
        "get-stream-413",
        "get",
        f"{API}/trace/stream",
        url=f"{API}/trace/stream?state={_bomb()}",
        status=413,
    ),
    Case(
        "get-train-ndjson",
        "get",
        f"{API}/train/stream",
        url=f"{API}/train/stream?v=1&state={link_state(CLASSES_RUN)}",
        media_type=NDJSON,
        events=frozenset({"start", "epoch", "snapshot", "done"}),
    ),
    Case(
        "get-train-sse",
        "get",
        f"{API}/train/stream",
        url=f"{API}/train/stream?v=1&state={link_state(REGRESSION_RUN)}",
        headers={"accept": SSE},
        media_type=SSE,
        events=frozenset({"start", "epoch", "snapshot", "done"}),
    ),
    Case(
        "get-train-422",
        "get",
        f"{API}/train/stream",
        url=f"{API}/train/stream?state={link_state({'dataset': {'name': 'xor'}})}",
        status=422,
    ),
    Case(
        "get-train-413",
        "get",
        f"{API}/train/stream",
        url=f"{API}/train/stream?state={_bomb()}",
        status=413,
    ),
    Case("train-422", "post", f"{API}/train/stream", body=BAD_BODY, status=422),
    Case("train-413", "post", f"{API}/train/stream", body=TOO_BIG, status=413),
    Case("batch", "post", f"{API}/trace/batch", body=BATCH_BODY),
    Case(
        "export-step",
        "post",
        f"{API}/export/pytorch",
        body=("preset", WORKED),
        media_type=PYTHON,
    ),
    Case(
        "export-training",
        "post",
        f"{API}/export/pytorch",
        body={**REGRESSION_RUN, "epochs": 2},
        media_type=PYTHON,
    ),
    Case("export-422", "post", f"{API}/export/pytorch", body=BAD_BODY, status=422),
    Case("export-413", "post", f"{API}/export/pytorch", body=TOO_BIG, status=413),
    Case(
        "batch-sigmoid",
        "post",
        f"{API}/trace/batch",
        body={
            "network": OWN_POINTS["network"],
            "inputs": OWN_POINTS["dataset"]["x"],
            "targets": OWN_POINTS["dataset"]["y"],
        },
    ),
    Case("batch-422", "post", f"{API}/trace/batch", body=BAD_BODY, status=422),
    Case("batch-413", "post", f"{API}/trace/batch", body=TOO_BIG, status=413),
    Case("exercises", "get", f"{API}/exercises"),
    *(
        Case(f"exercise-{name}", "post", EXERCISE, url=at(EXERCISE, name), body={"seed": 7})
        for name in ("whole-step-2-2-2", "backward-output-2-2-2", "loss-softmax-2-3")
    ),
    Case("exercise-404", "post", EXERCISE, url=at(EXERCISE, "none"), body={"seed": 7}, status=404),
    Case("exercise-422", "post", EXERCISE, url=at(EXERCISE, WHOLE), body={"seed": -1}, status=422),
    Case("exercise-413", "post", EXERCISE, url=at(EXERCISE, WHOLE), body=TOO_BIG, status=413),
    Case(
        "check",
        "post",
        CHECK,
        url=at(CHECK, "backward-output-2-2-2"),
        body={"seed": 7, "answers": {"q1": 0.5, "q5": "+", "q6": "1"}},
    ),
    Case(
        "check-404",
        "post",
        CHECK,
        url=at(CHECK, "none"),
        body={"seed": 7, "answers": {}},
        status=404,
    ),
    Case(
        "check-422",
        "post",
        CHECK,
        url=at(CHECK, WHOLE),
        body={"seed": 7, "answers": {"q99": 1}},
        status=422,
    ),
    Case("check-413", "post", CHECK, url=at(CHECK, WHOLE), body=TOO_BIG, status=413),
    Case("healthz", "get", "/healthz"),
]


def _content(client: httpx.Client, body: Any) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        return body
    if isinstance(body, tuple):
        _, name, *changes = body
        r = client.get(f"{API}/presets/{name}")
        assert r.status_code == 200, r.text
        return json.dumps({**r.json(), **(changes[0] if changes else {})}).encode()
    return json.dumps(body).encode()


def sse_frames(text: str) -> Iterator[dict[str, str]]:
    """Each Server-Sent Events frame as {field: value}."""
    for block in text.split("\n\n"):
        if block.strip():
            frame: dict[str, str] = {}
            for line in block.split("\n"):
                name, _, value = line.partition(":")
                frame[name] = value.removeprefix(" ")
            yield frame


def validated_events(contract: Contract, case: Case, r: httpx.Response) -> list[dict[str, Any]]:
    """Each event of a stream, checked against the documented itemSchema."""
    where = contract.media(case.method, case.path, case.status, case.media_type)
    items = contract.validator(*where, "itemSchema")
    if case.media_type == NDJSON:
        events = [strict_loads(line) for line in r.text.splitlines() if line.strip()]
        for event in events:
            items.validate(event)
        return events
    # SSE: the frame against itemSchema, its data against the frame's contentSchema
    data = contract.validator(*where, "itemSchema", "properties", "data", "contentSchema")
    events = []
    for frame in sse_frames(r.text):
        items.validate(frame)
        event = strict_loads(frame["data"])
        data.validate(event)
        assert frame["event"] == event["type"], frame
        events.append(event)
    return events


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_answer_matches_its_documented_schema(
    client: httpx.Client, contract: Contract, case: Case
) -> None:
    content = _content(client, case.body)
    headers = {"content-type": "application/json", **case.headers}
    r = client.request(case.method, case.url or case.path, content=content, headers=headers)
    assert r.status_code == case.status, r.text[:500]
    media_type = r.headers["content-type"].split(";")[0].strip()
    assert media_type == case.media_type
    if case.media_type == "application/json":
        where = contract.media(case.method, case.path, case.status, case.media_type)
        contract.validator(*where, "schema").validate(strict_loads(r.text))
        return
    if case.media_type == PYTHON:
        where = contract.media(case.method, case.path, case.status, case.media_type)
        contract.validator(*where, "schema").validate(r.text)
        compile(r.text, "exported.py", "exec")  # a script Python reads
        return
    events = validated_events(contract, case, r)
    assert events, r.text
    types = {e["type"] for e in events}
    assert case.events <= types, types
    assert events[-1]["type"] == "done"


def test_every_documented_answer_is_tried(contract: Contract) -> None:
    """Each operation × status × media type in the document is one of CASES above, so no
    documented answer goes unchecked, and each kind of stream event is sent by one."""
    documented = {
        (method, path, status, media_type)
        for path, operations in contract.doc["paths"].items()
        for method, operation in operations.items()
        for status, response in operation["responses"].items()
        for media_type in response.get("content", {})
    }
    assert documented == {case.key for case in CASES} | STREAM_CAP  # 503s: test_stream_cap
    schemas = contract.doc["components"]["schemas"]
    for union, path in (("TraceEvent", "trace/stream"), ("TrainEvent", "train/stream")):
        kinds = set(schemas[union]["discriminator"]["mapping"])
        sent = {kind for c in CASES if c.path == f"{API}/{path}" for kind in c.events}
        assert kinds - {"error"} <= sent, kinds - sent  # error: test_time_limit_events


def test_layers_union_parses_by_shape(client: httpx.Client, contract: Contract) -> None:
    """layers[0] matches only the input layer's schema and every other layer only
    LayerOut's, so no client can read a hidden layer as the input layer."""
    r = client.post(f"{API}/trace", content=_content(client, ("preset", "lecture-2-input")))
    layers = r.json()["layers"]
    for name in ("TraceResponse", "BatchTraceResponse"):
        union = contract.doc["components"]["schemas"][name]["properties"]["layers"]["items"]
        assert "$ref" in union["anyOf"][0] and union["anyOf"][0]["$ref"].endswith("LayerOut")
    input_layer = contract.validator("components", "schemas", "InputLayerOut")
    layer = contract.validator("components", "schemas", "LayerOut")
    assert input_layer.is_valid(layers[0]) and not layer.is_valid(layers[0])
    for hidden in layers[1:]:
        assert layer.is_valid(hidden) and not input_layer.is_valid(hidden)


def test_only_what_is_sent_is_declared(contract: Contract) -> None:
    doc = contract.doc
    text = json.dumps(doc)
    assert "HTTPValidationError" not in text  # FastAPI's default 422: never sent here
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            ok = operation["responses"]["200"]["content"]
            if path.endswith("/stream"):
                assert set(ok) == {NDJSON, SSE}, (method, path)
                if method == "post":
                    assert set(operation["requestBody"]["content"]) == {"application/json"}
                else:  # the request in the query: a share link's state
                    assert "requestBody" not in operation
                    assert {p["name"] for p in operation["parameters"]} >= {"state", "v"}
                continue
            if path.endswith("/export/pytorch"):  # a script: text, and nothing else
                assert ok == {PYTHON: {"schema": {"type": "string"}}}, (method, path)
                assert set(operation["requestBody"]["content"]) == {"application/json"}
            else:
                schema = ok["application/json"]["schema"]
                # {"$ref": ..., "type": "string"} (FastAPI's for a non-JSONResponse class)
                # is satisfied by no object under 3.1: a 200 is its model and nothing else.
                assert schema.get("type") != "string", (method, path, schema)
            for status, response in operation["responses"].items():
                if status != "200":
                    assert response["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorResponse"
                    }


def test_examples_are_valid_and_work(client: httpx.Client, contract: Contract) -> None:
    """The example bodies in the document satisfy their own schemas and the server."""
    schemas = contract.doc["components"]["schemas"]
    with_examples = [name for name, schema in schemas.items() if "examples" in schema]
    assert {"TraceRequest", "GradcheckRequest", "CostRequest", "NetworkSpec"} <= set(with_examples)
    for name in with_examples:
        for example in schemas[name]["examples"]:
            contract.validator("components", "schemas", name).validate(example)
    for path, name in (
        ("trace", "TraceRequest"),
        ("gradcheck", "GradcheckRequest"),
        ("cost", "CostRequest"),
    ):
        r = client.post(f"{API}/{path}", content=json.dumps(schemas[name]["examples"][0]))
        assert r.status_code == 200, r.text
    r = client.post(f"{API}/network", content=json.dumps(schemas["NetworkSpec"]["examples"][0]))
    assert r.status_code == 200, r.text


def test_sse_description_says_data_is_one_event(contract: Contract) -> None:
    for path in ("trace/stream", "train/stream"):
        ok = contract.doc["paths"][f"{API}/{path}"]["post"]["responses"]["200"]
        assert "`data:`" in ok["description"] and "one event" in ok["description"]


PYDANTIC_ONLY = {"ge", "gt", "le", "lt", "multiple_of", "min_length", "max_length"}


def test_every_keyword_is_json_schemas(contract: Contract) -> None:
    """pydantic writes a bound it cannot place (e.g. on an optional field with a validator)
    as its own "ge", which JSON Schema ignores: a constraint documented to nobody."""

    def walk(node: Any, where: str) -> Iterator[str]:
        if isinstance(node, dict):
            if "type" in node:
                yield from (f"{where}.{k}" for k in PYDANTIC_ONLY & set(node))
            for k, v in node.items():
                if k not in ("properties", "examples", "example", "default"):
                    yield from walk(v, f"{where}.{k}")
                elif k == "properties":
                    for name, sub in v.items():
                        yield from walk(sub, f"{where}.{name}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield from walk(v, f"{where}[{i}]")

    assert list(walk(contract.doc, "")) == []


def test_a_data_set_is_a_name_or_points_not_both(contract: Contract) -> None:
    validator = Draft202012Validator(
        {"$ref": "#/components/schemas/DatasetSpec", "components": contract.doc["components"]}
    )
    points = {"x": [[0.0, 1.0]], "y": [[1.0]]}
    assert validator.is_valid({"name": "xor"})
    assert validator.is_valid(points)
    assert not validator.is_valid({"name": "xor", **points})
    assert validator.is_valid({"name": None, **points})
    assert not validator.is_valid({"x": [[0.0, 1.0]]})


def test_the_preset_names_are_the_parameters_enum(client: httpx.Client, contract: Contract) -> None:
    (name,) = contract.doc["paths"][f"{API}/presets/{{name}}"]["get"]["parameters"]
    listed = [p["name"] for p in client.get(f"{API}/presets").json()]
    assert name["schema"]["enum"] == listed
    assert client.get(f"{API}/presets/not-one-of-them").status_code == 404


# --- Limits: documented from the settings, and the ones enforced --------------------------


def _schemas(contract: Contract) -> dict[str, Any]:
    return contract.doc["components"]["schemas"]


def _non_null(schema: dict[str, Any]) -> dict[str, Any]:
    branches = [s for s in schema.get("anyOf", ()) if s.get("type") != "null"]
    return branches[0] if branches else schema


def documented_limits(contract: Contract) -> dict[str, Any]:
    s = _schemas(contract)
    net, trace = s["NetworkSpec"]["properties"], s["TraceRequest"]["properties"]
    weights = _non_null(net["weights"])
    return {
        "min_layers": net["layers"]["minItems"],
        "max_layers": net["layers"]["maxItems"],
        "max_neurons": net["layers"]["items"]["maximum"],
        "min_neurons": net["layers"]["items"]["minimum"],
        "max_abs_value": trace["input"]["items"]["maximum"],
        "min_value": trace["input"]["items"]["minimum"],
        "weight_max": weights["items"]["items"]["items"]["maximum"],
        "eta_exclusive_min": trace["learning_rate"]["exclusiveMinimum"],
        "max_learning_rate": trace["learning_rate"]["maximum"],
        "max_samples": _non_null(s["DatasetSpec"]["properties"]["samples"])["maximum"],
        "max_epochs": s["TrainRequest"]["properties"]["epochs"]["maximum"],
        "max_grid": s["TrainRequest"]["properties"]["grid"]["maximum"],
        "batch_rows": s["BatchTraceRequest"]["properties"]["inputs"]["maxItems"],
        "max_cost_sample": _non_null(s["CostRequest"]["properties"]["sample"])["maximum"],
        "min_cost_sample": _non_null(s["CostRequest"]["properties"]["sample"])["minimum"],
    }


def test_limits_documented_are_the_capabilities(
    contract: Contract, capabilities: dict[str, Any]
) -> None:
    limits = training = capabilities["limits"]
    assert documented_limits(contract) == {
        "min_layers": limits["min_layers"],
        "max_layers": limits["max_layers"],
        "max_neurons": limits["max_neurons"],
        "min_neurons": 1,
        "max_abs_value": limits["max_abs_value"],
        "min_value": -limits["max_abs_value"],
        "weight_max": limits["max_abs_value"],
        "eta_exclusive_min": 0,
        "max_learning_rate": limits["max_learning_rate"],
        "max_samples": training["max_samples"],
        "max_epochs": training["max_epochs"],
        "max_grid": training["max_grid"],
        "batch_rows": training["max_samples"],
        "max_cost_sample": limits["max_cost_sample"],
        "min_cost_sample": 1,
    }


def _trace_status(client: httpx.Client, body: dict[str, Any]) -> int:
    return client.post(f"{API}/trace", content=json.dumps(body).encode()).status_code


def _layered(sizes: list[int]) -> dict[str, Any]:
    return {
        "network": _network(sizes, ["tanh"] * (len(sizes) - 2) + ["sigmoid"], "squared_error"),
        "input": [0.5] * sizes[0],
        "target": [0.5] * sizes[-1],
    }


def assert_enforced(client: httpx.Client, contract: Contract) -> None:
    """At each documented bound the server accepts; one past it, it refuses with a 422."""
    limits = documented_limits(contract)
    n, most = limits["max_neurons"], limits["max_layers"]
    assert _trace_status(client, _layered([2, n, 1])) == 200
    assert _trace_status(client, _layered([2, n + 1, 1])) == 422
    assert _trace_status(client, _layered([1] * most)) == 200
    assert _trace_status(client, _layered([1] * (most + 1))) == 422
    assert _trace_status(client, _layered([1])) == 422  # minItems 2
    assert _trace_status(client, _layered([1, 0, 1])) == 422  # minimum 1
    big = limits["max_abs_value"]
    for value, status in ((big, 200), (-big, 200), (big * 1.5, 422), (-big * 1.5, 422)):
        body = _layered([1, 1])
        body["network"]["weights"] = [[[0.0]]]
        body["input"] = [value]
        assert _trace_status(client, body) == status, value
    eta = limits["max_learning_rate"]
    for value, status in ((eta, 200), (eta * 1.5, 422), (0.0, 422), (-1.0, 422)):
        assert _trace_status(client, {**_layered([1, 1]), "learning_rate": value}) == status
    most_sampled = limits["max_cost_sample"]
    for sample, status in ((most_sampled, 200), (most_sampled + 1, 422), (0, 422)):
        body = {"network": _layered([1, 1])["network"], "sample": sample}
        r = client.post(f"{API}/cost", content=json.dumps(body).encode())
        assert r.status_code == status, (sample, r.text)


def test_documented_limits_are_enforced(client: httpx.Client, contract: Contract) -> None:
    assert_enforced(client, contract)


MAX_NEURONS = 4
TRAIN_SECONDS = 0.4
STREAMS = {f"{API}/trace/stream", f"{API}/train/stream"}
STREAM_CAP = {
    (method, path, "503", "application/json") for path in STREAMS for method in ("post", "get")
}


@pytest.fixture(scope="module")
def configured() -> Iterator[tuple[httpx.Client, Contract]]:
    env = {
        "BACKPROP_VIZ_MAX_NEURONS": str(MAX_NEURONS),
        "BACKPROP_VIZ_MAX_TRAIN_SECONDS": str(TRAIN_SECONDS),
        "BACKPROP_VIZ_MAX_STREAMS": "1",
    }
    with running_server(env=env) as url, httpx.Client(base_url=url, timeout=20.0) as c:
        yield c, Contract(c.get("/openapi.json").json())


def test_configured_server_documents_its_own_limits(
    configured: tuple[httpx.Client, Contract],
) -> None:
    client, contract = configured
    limits = documented_limits(contract)
    assert limits["max_neurons"] == MAX_NEURONS
    assert client.get(f"{API}/capabilities").json()["limits"]["max_neurons"] == MAX_NEURONS
    net = _schemas(contract)["NetworkSpec"]["properties"]
    weights = _non_null(net["weights"])
    assert weights["items"]["maxItems"] == weights["items"]["items"]["maxItems"] == MAX_NEURONS
    assert _schemas(contract)["TraceRequest"]["properties"]["target"]["maxItems"] == MAX_NEURONS
    assert_enforced(client, contract)


def test_time_limit_events(configured: tuple[httpx.Client, Contract]) -> None:
    """A run past the server's wall time: an error event, then done (reason time_limit)."""
    client, contract = configured
    body = {**REGRESSION_RUN, "target_loss": None, "epochs": 100, "pace": 4}
    case = Case("time-limit", "post", f"{API}/train/stream", body=body, media_type=NDJSON)
    r = client.post(case.path, content=json.dumps(body).encode())
    assert r.status_code == 200, r.text
    events = validated_events(contract, case, r)
    assert [e["type"] for e in events[-2:]] == ["error", "done"]
    assert events[-1]["reason"] == "time_limit"


def test_stream_cap(configured: tuple[httpx.Client, Contract]) -> None:
    """With its one stream open, the server refuses the next with the documented 503."""
    client, contract = configured
    body = json.dumps({**REGRESSION_RUN, "target_loss": None, "epochs": 100, "pace": 4})
    with client.stream("POST", f"{API}/train/stream", content=body) as open_stream:
        assert open_stream.status_code == 200
        lines = open_stream.iter_lines()  # kept: a dropped iterator closes the stream
        assert json.loads(next(lines))["type"] == "start"  # the stream is open
        state = link_state(json.loads(body))
        for path, method in sorted((p, m) for p in STREAMS for m in ("post", "get")):
            if method == "post":
                r = client.post(path, content=body)
            else:  # EventSource's GET counts as a stream too
                r = client.get(path, params={"v": "1", "state": state})
            assert r.status_code == 503, r.text
            where = contract.media(method, path, 503, "application/json")
            contract.validator(*where, "schema").validate(strict_loads(r.text))
            header = contract.doc["paths"][path][method]["responses"]["503"]["headers"]
            assert int(r.headers["retry-after"]) >= header["Retry-After"]["schema"]["minimum"]


def test_a_method_a_path_does_not_answer_is_the_documented_405(
    client: httpx.Client, contract: Contract
) -> None:
    response = contract.doc["components"]["responses"]["MethodNotAllowed"]
    assert "405" in contract.doc["info"]["description"]
    schema = response["content"]["application/json"]["schema"]
    for method, path in (("GET", f"{API}/trace"), ("DELETE", f"{API}/train/stream")):
        r = client.request(method, path)
        assert r.status_code == 405, r.text
        assert r.headers["allow"]  # the methods it does answer
        contract.validator(
            "components", "responses", "MethodNotAllowed", "content", "application/json", "schema"
        ).validate(r.json())
        assert r.json()["detail"][0]["type"] == "method_not_allowed"
    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}
