"""POST /api/v1/cost and GET /api/v1/cost/sweep on a real server: counts against P counted
here from the layers, the estimate's arithmetic, the cache, the limits, the errors (4xx
naming the field), and docs/api.md's example."""

from __future__ import annotations

import json
import math
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.helpers import nulls, post_json, preset, strict_loads
from tests.server import running_server

COST = "/api/v1/cost"
SWEEP = "/api/v1/cost/sweep"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
EXAMPLE = re.compile(
    r"<!-- example: cost -->\n```bash\n(.*?)\n```\n```json\n(.*?)\n```", flags=re.S
)
TIMES = ("seconds", "measured_seconds", "ratio")


def count_parameters(layers: list[int]) -> int:
    return sum(layers[l - 1] * layers[l] + layers[l] for l in range(1, len(layers)))


def shape(layers: list[int], activation: str = "sigmoid", **network: Any) -> dict[str, Any]:
    return {
        "layers": layers,
        "activations": [activation] * (len(layers) - 1),
        "loss": "squared_error",
        **network,
    }


def cost_ok(client: httpx.Client, body: Any) -> dict[str, Any]:
    r = post_json(client, COST, body)
    assert r.status_code == 200, r.text
    answer = strict_loads(r.text)  # NaN or Infinity would fail here…
    assert not nulls(answer), r.text  # …and a null where a number belongs here
    return answer


def assert_consistent(answer: dict[str, Any], sample: int) -> None:
    """The counts from the layers, and the arithmetic of the estimate."""
    p = count_parameters(answer["layers"])
    fd, bp = answer["finite_differences"], answer["backprop"]
    k = min(p, sample)
    assert answer["parameters"] == p
    assert (bp["forward_passes"], bp["backward_passes"]) == (1, 1)
    assert fd["forward_passes"] == 2 * p
    assert (fd["measured_parameters"], fd["measured_passes"]) == (k, 2 * k)
    assert fd["estimated"] is (k < p)
    assert fd["seconds"] == pytest.approx(fd["measured_seconds"] / (2 * k) * (2 * p), rel=1e-9)
    assert bp["seconds"] > 0 and fd["measured_seconds"] > 0
    assert answer["ratio"] == pytest.approx(fd["seconds"] / bp["seconds"], rel=1e-9)
    assert 0 <= answer["max_abs_difference"] < 1e-7  # both ways, the same gradient
    assert answer["repeats"] >= 1


def test_the_worked_example(client: httpx.Client, limits: dict[str, Any]) -> None:
    body = preset(client, "worked-example-2-2-2")
    answer = cost_ok(client, body)
    assert answer["layers"] == [2, 2, 2] and answer["parameters"] == 12
    assert answer["finite_differences"]["forward_passes"] == 24
    assert answer["finite_differences"]["estimated"] is False
    assert answer["epsilon"] == 1e-6
    assert_consistent(answer, limits["max_cost_sample"])


def test_a_shape_only_the_largest_network(client: httpx.Client, limits: dict[str, Any]) -> None:
    layers = [limits["max_neurons"]] * limits["max_layers"]
    answer = cost_ok(client, {"network": shape(layers, seed=4)})
    assert answer["parameters"] == count_parameters(layers) == 37_440
    assert answer["finite_differences"]["forward_passes"] == 74_880
    assert answer["finite_differences"]["estimated"] is True
    assert answer["finite_differences"]["measured_parameters"] == limits["max_cost_sample"]
    assert_consistent(answer, limits["max_cost_sample"])


def test_a_smaller_sample(client: httpx.Client) -> None:
    layers = [2, 8, 8, 8, 8, 8, 8, 1]
    answer = cost_ok(client, {"network": shape(layers, "tanh"), "sample": 10, "epsilon": 1e-5})
    assert answer["finite_differences"]["measured_parameters"] == 10
    assert answer["epsilon"] == 1e-5
    assert_consistent(answer, 10)


def test_an_identical_request_is_answered_from_the_cache(client: httpx.Client) -> None:
    body = {"network": shape([3, 5, 2], seed=77), "input": [0.1, -0.2, 0.3], "target": [0, 1]}
    first = cost_ok(client, body)
    second = cost_ok(client, body)
    assert first["cached"] is False and second["cached"] is True
    assert {**first, "cached": True} == second
    other = cost_ok(client, {**body, "target": [1, 0]})
    assert other["cached"] is False


def test_the_sweep(client: httpx.Client, limits: dict[str, Any]) -> None:
    r = client.get(SWEEP)
    assert r.status_code == 200, r.text
    sweep = strict_loads(r.text)
    assert not nulls(sweep)
    assert (sweep["activation"], sweep["loss"]) == ("sigmoid", "squared_error")
    assert sweep["sample"] == limits["max_cost_sample"]
    layers = [n["layers"] for n in sweep["networks"]]
    assert layers[0] == [2, 2, 2]
    assert layers[-1] == [limits["max_neurons"]] * limits["max_layers"]
    assert [2, 8, 8, 8, 8, 8, 8, 1] in layers
    counts = [count_parameters(x) for x in layers]
    assert counts == sorted(counts) and len(set(counts)) == len(counts) >= 4
    for network in sweep["networks"]:
        assert_consistent(network, sweep["sample"])
    again = strict_loads(client.get(SWEEP).text)
    assert again["cached"] is True
    assert [n["backprop"]["seconds"] for n in again["networks"]] == [
        n["backprop"]["seconds"] for n in sweep["networks"]
    ]


def _error(client: httpx.Client, body: Any) -> dict[str, Any]:
    r = post_json(client, COST, body)
    assert r.status_code == 422, r.text
    items = strict_loads(r.text)["detail"]
    assert len(items) >= 1
    return items[0]


@pytest.mark.parametrize(
    ("body", "field", "kind"),
    [
        ({"network": shape([2, 65, 1])}, "network.layers[1]", "out_of_range"),
        ({"network": shape([8] * 11)}, "network.layers", "wrong_length"),
        ({"network": shape([2])}, "network.layers", "wrong_length"),
        ({"network": shape([2, 2], "foo")}, "network.activations[0]", "literal_error"),
        (
            {"network": shape([2, 2], "softmax") | {"activations": ["softmax", "sigmoid"]}},
            "network.activations",
            "wrong_length",
        ),
        (
            {"network": shape([2, 3, 1], weights=[[[1, 2]], [[1, 2, 3]]])},
            "network.weights[0]",
            "wrong_length",
        ),
        ({"network": shape([2, 2]), "input": [0.5]}, "target", "missing"),
        ({"network": shape([2, 2]), "target": [0.5, 0.5]}, "input", "missing"),
        ({"network": shape([2, 2]), "input": [1], "target": [0, 1]}, "input", "wrong_length"),
        ({"network": shape([2, 2]), "sample": 0}, "sample", "greater_than_equal"),
        ({"network": shape([2, 2]), "sample": 2.5}, "sample", "int_type"),
        ({"network": shape([2, 2]), "epsilon": 0.5}, "epsilon", "less_than_equal"),
        ({"network": shape([2, 2]), "learning_rate": 0}, "learning_rate", "out_of_range"),
        ({"network": shape([2, 2]), "repeats": 1000}, "repeats", "extra_forbidden"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_bad_input_is_a_422_naming_the_field(
    client: httpx.Client, body: dict[str, Any], field: str, kind: str
) -> None:
    item = _error(client, body)
    assert (item["field"], item["type"]) == (field, kind), item


def test_a_sample_over_the_cap(client: httpx.Client, limits: dict[str, Any]) -> None:
    cap = limits["max_cost_sample"]
    item = _error(client, {"network": shape([2, 2]), "sample": cap + 1})
    assert (item["field"], item["type"]) == ("sample", "out_of_range")
    assert item["ctx"] == {"min": 1, "max": cap, "whole": True, "given": cap + 1}


def test_nan_in_the_body_is_a_422(client: httpx.Client) -> None:
    body = {"network": shape([2, 2]), "input": [float("nan"), 0], "target": [0, 1]}
    item = _error(client, body)
    assert item["field"].startswith("input")


def test_openapi_lists_the_routes_and_the_limit(
    client: httpx.Client, limits: dict[str, Any]
) -> None:
    doc = client.get("/openapi.json").json()
    assert "post" in doc["paths"][COST] and "get" in doc["paths"][SWEEP]
    ok = doc["paths"][COST]["post"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {"$ref": "#/components/schemas/CostResponse"}
    assert "422" in doc["paths"][COST]["post"]["responses"]
    request = doc["components"]["schemas"]["CostRequest"]["properties"]
    sample = next(s for s in request["sample"]["anyOf"] if s.get("type") == "integer")
    assert (sample["minimum"], sample["maximum"]) == (1, limits["max_cost_sample"])
    assert request["input"]["anyOf"][0]["maxItems"] == limits["max_neurons"]


def _docs_example() -> tuple[str, dict[str, Any], dict[str, Any]]:
    found = EXAMPLE.findall(DOCS.read_text(encoding="utf-8"))
    assert len(found) == 1
    command, answer = found[0]
    words = shlex.split(command.replace("\\\n", " "))
    assert words[:4] == ["curl", "-s", "-X", "POST"], words
    return words[4].removeprefix("$B"), json.loads(words[words.index("-d") + 1]), json.loads(answer)


def _without_times(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: _without_times(v)
            for k, v in node.items()
            if k not in (*TIMES, "max_abs_difference", "cached")
        }
    return node


def test_the_docs_example_is_what_the_server_answers(client: httpx.Client) -> None:
    path, body, documented = _docs_example()
    assert path == COST
    answer = cost_ok(client, body)
    # The times are this machine's: everything else is the server's, field for field.
    assert _without_times(answer) == _without_times(documented)
    assert answer.keys() == documented.keys()
    assert answer["finite_differences"].keys() == documented["finite_differences"].keys()
    assert_consistent(answer, body["sample"])
    fd = documented["finite_differences"]  # the docs' own numbers add up, to their rounding
    assert fd["seconds"] == pytest.approx(
        fd["measured_seconds"] / fd["measured_passes"] * fd["forward_passes"], rel=1e-2
    )
    assert math.isclose(
        documented["ratio"],
        fd["seconds"] / documented["backprop"]["seconds"],
        rel_tol=2e-2,
    )


@pytest.fixture(scope="module")
def small_server() -> Iterator[httpx.Client]:
    env = {
        "BACKPROP_VIZ_MAX_COST_SAMPLE": "3",
        "BACKPROP_VIZ_MAX_NEURONS": "8",
        "BACKPROP_VIZ_MAX_LAYERS": "4",
    }
    with running_server(env=env) as url, httpx.Client(base_url=url, timeout=20.0) as c:
        yield c


def test_a_configured_server_keeps_its_own_limits(small_server: httpx.Client) -> None:
    limits = small_server.get("/api/v1/capabilities").json()["limits"]
    assert limits["max_cost_sample"] == 3
    doc = small_server.get("/openapi.json").json()
    sample = doc["components"]["schemas"]["CostRequest"]["properties"]["sample"]["anyOf"][0]
    assert sample["maximum"] == 3
    answer = cost_ok(small_server, {"network": shape([2, 2, 2])})
    assert answer["finite_differences"]["measured_parameters"] == 3
    assert_consistent(answer, 3)
    sweep = small_server.get(SWEEP).json()
    assert [n["layers"] for n in sweep["networks"]][-1] == [8, 8, 8, 8]
    assert all(len(n["layers"]) <= 4 and max(n["layers"]) <= 8 for n in sweep["networks"])
    for network in sweep["networks"]:
        assert_consistent(network, 3)
    item = _error(small_server, {"network": shape([2, 2]), "sample": 4})
    assert item["field"] == "sample" and item["ctx"]["max"] == 3
