"""The bad-input battery: every invalid request gets a 4xx whose JSON body names the field
and the reason; never a 500, never NaN in the JSON."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.api.helpers import STREAM, TRACE, assert_error, post_json, preset, strict_loads

NAN, INF = float("nan"), float("inf")
ENDPOINTS = [TRACE, STREAM, "/api/v1/gradcheck", "/api/v1/cost"]


class Verbatim:
    """A number written verbatim into the JSON text (1e400 has no Python float)."""

    def __init__(self, text: str) -> None:
        self.text = text


def to_bytes(body: Any) -> bytes:
    literals: list[str] = []

    def default(obj: Any) -> str:
        assert isinstance(obj, Verbatim)
        literals.append(obj.text)
        return f"@@literal{len(literals) - 1}@@"

    text = json.dumps(body, default=default)  # NaN, ±Infinity come out as JS literals
    for i, literal in enumerate(literals):
        text = text.replace(f'"@@literal{i}@@"', literal)
    return text.encode()


Body = dict[str, Any]
Limits = dict[str, Any]


@dataclass(frozen=True)
class Case:
    id: str
    base: str  # the preset the bad body starts from
    edit: Callable[[Body, Limits], Any]  # changes the body in place, or returns raw bytes
    loc: tuple[str | int, ...]  # where the error must point, inside the body
    msg_has: str = ""

    def request(self, client: httpx.Client, limits: Limits) -> Body | bytes:
        """The bad body: a dict still to be serialised, or raw bytes."""
        body = preset(client, self.base)
        raw = self.edit(body, limits)
        return raw if isinstance(raw, bytes) else body


def setter(path: tuple[str | int, ...], value: Any) -> Callable[[Body, Limits], None]:
    def edit(body: Body, limits: Limits) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value(limits) if callable(value) else copy.deepcopy(value)

    return edit


def deleter(path: tuple[str | int, ...]) -> Callable[[Body, Limits], None]:
    def edit(body: Body, limits: Limits) -> None:
        target = body
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return edit


def network(**changes: Any) -> Callable[[Body, Limits], None]:
    """Replace network fields (None drops one); a callable value gets the limits."""

    def edit(body: Body, limits: Limits) -> None:
        for key, value in changes.items():
            if value is None:
                body["network"].pop(key, None)
            else:
                body["network"][key] = value(limits) if callable(value) else value

    return edit


def raw(data: bytes) -> Callable[[Body, Limits], bytes]:
    return lambda body, limits: data


def huge(limits: Limits) -> float:
    return limits["max_abs_value"] * 10


W222 = "worked-example-2-2-2"
NET = "network"
CASES = [
    # Not a JSON object at all.
    Case("invalid-json", W222, raw(b'{"network": {"layers": [2, 2'), (), "json"),
    Case("not-json", W222, raw(b"layers=2,2,2"), (), "json"),
    Case("empty-body", W222, raw(b""), ()),
    Case("blank-body", W222, raw(b" \n\t "), ()),
    Case("json-array", W222, raw(b"[]"), ()),
    Case("json-null", W222, raw(b"null"), ()),
    Case("json-string", W222, raw(b'"trace"'), ()),
    Case("trailing-garbage", W222, raw(b'{"network": {}} x'), (), "json"),
    Case("deeply-nested", W222, raw(b'{"input": ' + b"[" * 5000 + b"]" * 5000 + b"}"), (), "json"),
    Case("invalid-utf8", W222, raw(b'{"network": "\xff\xfe"}'), ()),
    # Missing or wrongly typed fields.
    Case("missing-network", W222, deleter(("network",)), (NET,), "required"),
    Case("missing-input", W222, deleter(("input",)), ("input",), "required"),
    Case("missing-target", W222, deleter(("target",)), ("target",), "required"),
    Case("missing-layers", W222, deleter((NET, "layers")), (NET, "layers"), "required"),
    Case("missing-loss", W222, deleter((NET, "loss")), (NET, "loss"), "required"),
    Case("network-null", W222, setter((NET,), None), (NET,)),
    Case(
        "string-weight",
        W222,
        setter((NET, "weights", 0, 0, 0), "0.15"),
        (NET, "weights", 0, 0, 0),
        "number",
    ),
    Case("string-weights", W222, setter((NET, "weights"), "0.15 0.2"), (NET, "weights")),
    Case("bool-layer", W222, setter((NET, "layers", 0), True), (NET, "layers", 0), "integer"),
    Case("float-layer", W222, setter((NET, "layers", 1), 2.5), (NET, "layers", 1), "integer"),
    Case("string-layers", W222, setter((NET, "layers"), "2,2,2"), (NET, "layers")),
    Case("bool-layers", W222, setter((NET, "layers"), True), (NET, "layers")),
    Case("string-input", W222, setter(("input",), "0.05, 0.10"), ("input",)),
    Case("bool-input", W222, setter(("input", 0), False), ("input", 0)),
    Case("null-target", W222, setter(("target", 1), None), ("target", 1)),
    Case("string-learning-rate", W222, setter(("learning_rate",), "0.5"), ("learning_rate",)),
    Case("bool-learning-rate", W222, setter(("learning_rate",), True), ("learning_rate",)),
    Case("string-freeze-biases", W222, setter(("freeze_biases",), "yes"), ("freeze_biases",)),
    Case(
        "object-activation",
        W222,
        setter((NET, "activations", 0), {"name": "tanh"}),
        (NET, "activations", 0),
    ),
    # Unknown names and misfits.
    Case(
        "unknown-activation",
        W222,
        setter((NET, "activations", 1), "swish"),
        (NET, "activations", 1),
        "sigmoid",
    ),
    Case("unknown-loss", W222, setter((NET, "loss"), "hinge"), (NET, "loss"), "squared_error"),
    Case("unknown-init", W222, network(init="glorot", weights=None), (NET, "init"), "xavier"),
    Case(
        "softmax-hidden",
        W222,
        network(activations=["softmax", "sigmoid"]),
        (NET, "activations", 0),
        "output",
    ),
    Case(
        "bce-on-tanh",
        W222,
        network(loss="binary_cross_entropy", activations=["sigmoid", "tanh"]),
        (NET, "loss"),
        "sigmoid",
    ),
    Case(
        "bce-on-softmax",
        "softmax-classifier",
        network(loss="binary_cross_entropy"),
        (NET, "loss"),
        "sigmoid",
    ),
    Case("cross-entropy-on-sigmoid", W222, network(loss="cross_entropy"), (NET, "loss"), "softmax"),
    Case(
        "cross-entropy-on-linear",
        W222,
        network(loss="cross_entropy", activations=["sigmoid", "linear"]),
        (NET, "loss"),
        "softmax",
    ),
    Case("too-few-activations", W222, network(activations=["sigmoid"]), (NET, "activations")),
    Case("too-many-activations", W222, network(activations=["sigmoid"] * 3), (NET, "activations")),
    # Shapes.
    Case("weights-one-layer-short", W222, lambda b, _: b[NET]["weights"].pop(), (NET, "weights")),
    Case(
        "weights-one-layer-extra",
        W222,
        lambda b, _: b[NET]["weights"].append([[1.0, 2.0]]),
        (NET, "weights"),
    ),
    Case("weights-row-missing", W222, lambda b, _: b[NET]["weights"][1].pop(), (NET, "weights", 1)),
    Case(
        "weights-row-extra",
        W222,
        lambda b, _: b[NET]["weights"][0].append([0.1, 0.2]),
        (NET, "weights", 0),
    ),
    Case(
        "weights-column-missing",
        W222,
        lambda b, _: b[NET]["weights"][1][0].pop(),
        (NET, "weights", 1, 0),
    ),
    Case(
        "weights-column-extra",
        W222,
        lambda b, _: b[NET]["weights"][0][1].append(0.3),
        (NET, "weights", 0, 1),
    ),
    Case(
        "weights-too-deep",
        W222,
        setter((NET, "weights", 0, 0, 0), [0.15]),
        (NET, "weights", 0, 0, 0),
    ),
    Case("biases-short", W222, setter((NET, "biases", 0), [0.35]), (NET, "biases", 0)),
    Case("biases-long", W222, setter((NET, "biases", 1), [0.6, 0.6, 0.6]), (NET, "biases", 1)),
    Case("biases-one-layer-short", W222, lambda b, _: b[NET]["biases"].pop(), (NET, "biases")),
    Case("input-short", W222, setter(("input",), [0.05]), ("input",)),
    Case("input-long", W222, setter(("input",), [0.05, 0.1, 0.2]), ("input",)),
    Case("input-empty", W222, setter(("input",), []), ("input",)),
    Case("target-long", W222, setter(("target",), [0.01, 0.99, 0.5]), ("target",)),
    Case("target-short", W222, setter(("target",), [0.01]), ("target",)),
    # Non-finite and huge numbers.
    Case("nan-input", W222, setter(("input", 0), NAN), ("input", 0), "finite"),
    Case("infinity-input", W222, setter(("input", 1), INF), ("input", 1), "finite"),
    Case("minus-infinity-input", W222, setter(("input", 0), -INF), ("input", 0), "finite"),
    Case(
        "nan-weight",
        W222,
        setter((NET, "weights", 1, 0, 1), NAN),
        (NET, "weights", 1, 0, 1),
        "finite",
    ),
    Case(
        "infinity-weight",
        W222,
        setter((NET, "weights", 0, 1, 0), INF),
        (NET, "weights", 0, 1, 0),
        "finite",
    ),
    Case(
        "minus-infinity-weight",
        W222,
        setter((NET, "weights", 0, 0, 1), -INF),
        (NET, "weights", 0, 0, 1),
        "finite",
    ),
    Case("nan-bias", W222, setter((NET, "biases", 1, 1), NAN), (NET, "biases", 1, 1), "finite"),
    Case("nan-target", W222, setter(("target", 0), NAN), ("target", 0), "finite"),
    Case("nan-learning-rate", W222, setter(("learning_rate",), NAN), ("learning_rate",)),
    Case("infinite-learning-rate", W222, setter(("learning_rate",), INF), ("learning_rate",)),
    Case("1e400-input", W222, setter(("input", 1), Verbatim("1e400")), ("input", 1), "finite"),
    Case(
        "minus-1e400-weight",
        W222,
        setter((NET, "weights", 1, 1, 1), Verbatim("-1e400")),
        (NET, "weights", 1, 1, 1),
        "finite",
    ),
    Case("400-digit-input", W222, setter(("input", 0), Verbatim("9" * 400)), ("input", 0)),
    Case("huge-input", W222, setter(("input", 1), huge), ("input", 1), "at most"),
    Case(
        "huge-negative-input",
        W222,
        setter(("input", 0), lambda lim: -huge(lim)),
        ("input", 0),
        "at most",
    ),
    Case(
        "huge-weight",
        W222,
        setter((NET, "weights", 1, 0, 1), huge),
        (NET, "weights", 1, 0, 1),
        "at most",
    ),
    Case(
        "huge-bias",
        W222,
        setter((NET, "biases", 0, 1), lambda lim: -huge(lim)),
        (NET, "biases", 0, 1),
        "at most",
    ),
    Case("huge-target", W222, setter(("target", 1), huge), ("target", 1), "at most"),
    Case(
        "just-above-max-weight",
        W222,
        setter((NET, "weights", 0, 0, 0), lambda lim: lim["max_abs_value"] * (1 + 1e-12)),
        (NET, "weights", 0, 0, 0),
        "at most",
    ),
    # Learning rate.
    Case("learning-rate-zero", W222, setter(("learning_rate",), 0), ("learning_rate",)),
    Case("learning-rate-minus-zero", W222, setter(("learning_rate",), -0.0), ("learning_rate",)),
    Case("learning-rate-negative", W222, setter(("learning_rate",), -0.5), ("learning_rate",)),
    Case(
        "learning-rate-above-max",
        W222,
        setter(("learning_rate",), lambda lim: lim["max_learning_rate"] * 2),
        ("learning_rate",),
    ),
    # Targets for the cross-entropies.
    Case("bce-target-above-1", "xor", setter(("target", 0), 1.5), ("target", 0), "[0, 1]"),
    Case("bce-target-negative", "xor", setter(("target", 0), -0.1), ("target", 0), "[0, 1]"),
    Case(
        "ce-target-above-1",
        "softmax-classifier",
        setter(("target", 1), 1.2),
        ("target", 1),
        "[0, 1]",
    ),
    Case(
        "ce-target-negative",
        "softmax-classifier",
        setter(("target",), [0.5, 1.0, -0.5]),
        ("target", 2),
        "[0, 1]",
    ),
    # Sizes against the limits.
    Case(
        "too-many-layers",
        W222,
        network(
            layers=lambda lim: [2] * (lim["max_layers"] + 1),
            activations=lambda lim: ["sigmoid"] * lim["max_layers"],
            weights=None,
            biases=None,
        ),
        (NET, "layers"),
        "layers",
    ),
    Case(
        "too-many-neurons",
        W222,
        network(layers=lambda lim: [2, lim["max_neurons"] + 1, 2], weights=None, biases=None),
        (NET, "layers", 1),
        "neurons",
    ),
    Case(
        "too-many-inputs",
        W222,
        network(layers=lambda lim: [lim["max_neurons"] + 1, 2, 2], weights=None, biases=None),
        (NET, "layers", 0),
        "neurons",
    ),
    Case(
        "zero-neurons",
        W222,
        network(layers=[2, 0, 2], weights=None, biases=None),
        (NET, "layers", 1),
        "neurons",
    ),
    Case(
        "negative-neurons",
        W222,
        network(layers=[2, 2, -1], weights=None, biases=None),
        (NET, "layers", 2),
        "neurons",
    ),
    Case(
        "one-layer",
        W222,
        network(layers=[2], activations=[], weights=None, biases=None),
        (NET, "layers"),
        "layers",
    ),
    Case(
        "no-layers",
        W222,
        network(layers=[], activations=[], weights=None, biases=None),
        (NET, "layers"),
        "layers",
    ),
    Case("seed-negative", W222, network(seed=-1, weights=None), (NET, "seed")),
    Case("seed-too-big", W222, network(seed=2**32, weights=None), (NET, "seed")),
    Case("seed-float", W222, network(seed=1.5, weights=None), (NET, "seed")),
    # Unknown fields.
    Case("extra-field", W222, setter(("surprise",), 1), ("surprise",), "not permitted"),
    Case(
        "extra-network-field",
        W222,
        setter((NET, "dropout"), 0.5),
        (NET, "dropout"),
        "not permitted",
    ),
]


@pytest.fixture(scope="module")
def requests(client: httpx.Client, limits: Limits) -> dict[str, Body | bytes]:
    return {case.id: case.request(client, limits) for case in CASES}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=["trace", "stream", "gradcheck", "cost"])
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_request_names_the_field(
    client: httpx.Client, requests: dict[str, Body | bytes], case: Case, endpoint: str
) -> None:
    body = requests[case.id]
    r = client.post(endpoint, content=body if isinstance(body, bytes) else to_bytes(body))
    assert_error(r, 422, case.loc, case.msg_has)


def network_cases() -> Iterator[Case]:
    for case in CASES:
        if case.loc[:1] == (NET,) and len(case.loc) > 1 and case.base == W222:
            yield case


@pytest.mark.parametrize("case", list(network_cases()), ids=lambda c: c.id)
def test_bad_network_spec_names_the_field(
    client: httpx.Client, requests: dict[str, Body | bytes], case: Case
) -> None:
    """POST /network reads the spec alone, so the path starts one level up."""
    body = requests[case.id]
    assert isinstance(body, dict)
    r = client.post("/api/v1/network", content=to_bytes(body["network"]))
    assert_error(r, 422, case.loc[1:], case.msg_has)


def test_the_limits_themselves_are_accepted(client: httpx.Client, limits: Limits) -> None:
    """Exactly at each cap is allowed: the caps are inclusive, as documented."""
    m, n, L = limits["max_abs_value"], limits["max_neurons"], limits["max_layers"]
    body = preset(client, W222)
    body["network"]["weights"][0][0][0] = m
    body["network"]["biases"][1][0] = -m
    body["input"] = [m, -m]
    body["target"] = [m, 0.5]
    body["learning_rate"] = limits["max_learning_rate"]
    r = post_json(client, TRACE, body)
    assert r.status_code == 200, r.text
    strict_loads(r.text)
    body = {
        "network": {"layers": [n] * L, "activations": ["tanh"] * (L - 1), "loss": "mse"},
        "input": [0.1] * n,
        "target": [0.0] * n,
    }
    r = post_json(client, TRACE, body)
    assert r.status_code == 200, r.text
    assert len(strict_loads(r.text)["layers"]) == L


def test_unknown_preset_is_404(client: httpx.Client) -> None:
    r = client.get("/api/v1/presets/no-such-network")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    body = strict_loads(r.text)
    item = body["detail"][0]
    assert item["loc"][-1] == "name"
    assert item["field"].endswith("name")
    assert "no-such-network" in item["msg"]
    assert "worked-example-2-2-2" in item["msg"]  # and says what there is


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/no-such-thing", 404),
        ("GET", TRACE, 405),
        ("PUT", TRACE, 405),
        ("DELETE", "/api/v1/presets/xor", 405),
    ],
)
def test_unknown_routes_and_methods_answer_json(
    client: httpx.Client, method: str, path: str, status: int
) -> None:
    r = client.request(method, path)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/json")
    assert strict_loads(r.text)["detail"][0]["msg"]


def _padded(client: httpx.Client, size: int) -> bytes:
    """A valid trace request padded with whitespace to `size` bytes."""
    body = to_bytes(preset(client, W222))
    return body[:-1] + b" " * (size - len(body)) + b"}"


@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "/api/v1/network"])
def test_oversized_body_is_413(client: httpx.Client, limits: Limits, endpoint: str) -> None:
    data = _padded(client, limits["max_body_bytes"] + 1)
    r = client.post(endpoint, content=data)
    assert_error(r, 413, (), "larger")


def _chunks(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_oversized_chunked_body_is_413(client: httpx.Client, limits: Limits, endpoint: str) -> None:
    """No content-length: the cap must count the bytes as they come."""
    data = _padded(client, limits["max_body_bytes"] + 100_000)
    r = client.post(endpoint, content=_chunks(data))
    assert r.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in r.request.headers
    assert_error(r, 413, (), "larger")


def test_body_just_under_the_cap_is_served(client: httpx.Client, limits: Limits) -> None:
    data = _padded(client, limits["max_body_bytes"])
    assert client.post(TRACE, content=data).status_code == 200
    assert client.post(TRACE, content=_chunks(data)).status_code == 200
