"""The exercise routes over the real server: the list, a variant (a valid trace request and
questions, no answer in it, the same bytes for the same seed), the check against the oracle's
answers (tests/exercises/oracle.py), every refusal in the API's error shape naming the
question, the limits published and enforced, and the OpenAPI document of the three routes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.api.helpers import assert_error, strict_loads
from tests.exercises.oracle import answers, tolerance, work_out
from tests.server import running_server

API = "/api/v1"
MOVES = {
    "forward",
    "loss",
    "backward-output",
    "backward-hidden",
    "gradient",
    "update",
    "whole-step",
}


@pytest.fixture(scope="module")
def listed(client: httpx.Client) -> list[dict[str, Any]]:
    r = client.get(f"{API}/exercises")
    assert r.status_code == 200
    return strict_loads(r.text)


def get_variant(client: httpx.Client, exercise_id: str, seed: int) -> httpx.Response:
    return client.post(f"{API}/exercises/{exercise_id}", json={"seed": seed})


def variant_of(client: httpx.Client, exercise_id: str, seed: int) -> dict[str, Any]:
    r = get_variant(client, exercise_id, seed)
    assert r.status_code == 200, r.text
    return strict_loads(r.text)


def check(client: httpx.Client, exercise_id: str, body: Any) -> httpx.Response:
    return client.post(f"{API}/exercises/{exercise_id}/check", content=json.dumps(body))


def test_the_list_has_every_move_in_both_languages(
    listed: list[dict[str, Any]], client: httpx.Client
) -> None:
    assert {e["move"] for e in listed} == MOVES
    for e in listed:
        assert set(e) == {"id", "title", "move"}
        assert set(e["title"]) == {"en", "zh-TW"} and all(e["title"].values())
    # A whole step on the worked example's shape (the preset's layers, activations, loss).
    worked = client.get(f"{API}/presets/worked-example-2-2-2").json()["network"]
    shapes = [(e["move"], variant_of(client, e["id"], 0)["request"]["network"]) for e in listed]
    assert any(
        move == "whole-step" and all(net[k] == worked[k] for k in ("layers", "activations", "loss"))
        for move, net in shapes
    )


def test_a_variant_is_a_trace_request_and_questions(
    listed: list[dict[str, Any]], client: httpx.Client
) -> None:
    for e in listed:
        v = variant_of(client, e["id"], 11)
        assert (v["exercise"], v["seed"], v["move"], v["title"]) == (
            e["id"],
            11,
            e["move"],
            e["title"],
        )
        # Exactly a POST /api/v1/trace body: the page draws the network from it.
        assert client.post(f"{API}/trace", json=v["request"]).status_code == 200
        for q in v["questions"]:
            assert set(q["prompt"]) == {"en", "zh-TW"}
            assert ("tolerance" in q) is (q["kind"] == "number")
            assert ("options" in q) is (q["kind"] == "choice")


VARIANT_KEYS = {
    *("exercise", "seed", "move", "title", "en", "zh-TW", "request", "questions"),
    *("network", "layers", "activations", "loss", "weights", "biases"),
    *("input", "target", "learning_rate", "freeze_biases"),
    *("id", "kind", "quantity", "layer", "neuron", "from", "prompt"),
    *("tolerance", "abs", "rel", "options", "value", "label"),
}


def keys(node: Any) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in keys(v)}
    return set()


def test_no_answer_and_nothing_of_the_step_is_in_a_variant(
    listed: list[dict[str, Any]], client: httpx.Client
) -> None:
    for e in listed:
        for seed in range(0, 400, 40):
            r = get_variant(client, e["id"], seed)
            text, v = r.text, strict_loads(r.text)
            step = client.post(f"{API}/trace", json=v["request"]).json()
            assert step["loss"] > 0
            # Only the request and the questions: no field of a trace, no expected value.
            assert keys(v) <= VARIANT_KEYS, keys(v) - VARIANT_KEYS
            right = answers(v)
            for q in v["questions"]:
                if q["kind"] == "number":
                    for digits in (3, 4, 17):
                        written = f"{abs(right[q['id']]):.{digits}g}"
                        assert written not in text, (e["id"], seed, q["id"], written)
            assert f"{abs(step['loss']):.4g}" not in text


def test_same_seed_same_bytes_other_seed_other_numbers(
    listed: list[dict[str, Any]], client: httpx.Client
) -> None:
    for e in listed:
        first = get_variant(client, e["id"], 2024).content
        assert get_variant(client, e["id"], 2024).content == first
        other = variant_of(client, e["id"], 2025)["request"]
        assert other != strict_loads(first)["request"]


def test_the_oracles_answers_score_full_marks(
    listed: list[dict[str, Any]], client: httpx.Client
) -> None:
    for e in listed:
        for seed in (0, 1, 99, 123456, 2**32 - 1):
            v = variant_of(client, e["id"], seed)
            right = answers(v)
            r = check(client, e["id"], {"seed": seed, "answers": right})
            assert r.status_code == 200, r.text
            result = strict_loads(r.text)
            assert result["score"] == result["max"] == len(v["questions"]), result
            assert [x["id"] for x in result["results"]] == [q["id"] for q in v["questions"]]
            for x in result["results"]:
                assert set(x) == {"id", "correct", "expected", "given", "explanation"}
                assert x["correct"] and x["given"] == right[x["id"]]
                assert x["explanation"].startswith(("z", "a", "l", "∂", "w", "b", "Δ", "|"))


def test_wrong_and_unanswered_answers_are_wrong(client: httpx.Client) -> None:
    v = variant_of(client, "update-2-2-1", 5)
    worked = work_out(v["request"])
    right = answers(v)
    given: dict[str, Any] = {}
    for q in v["questions"]:
        if q["kind"] == "number":
            expected = worked.value(q["target"])
            given[q["id"]] = expected + 1.01 * tolerance(q, expected)
        elif q["kind"] == "sign":
            given[q["id"]] = "0" if right[q["id"]] != "0" else "+"
    r = check(client, "update-2-2-1", {"seed": 5, "answers": given})
    result = strict_loads(r.text)
    assert result["score"] == 0 and result["max"] == len(v["questions"])
    choice = next(x for x in result["results"] if x["id"] not in given)
    assert choice["given"] is None and choice["correct"] is False
    assert choice["expected"] == right[choice["id"]]


def test_an_unknown_exercise_is_a_404(client: httpx.Client, listed: list[dict[str, Any]]) -> None:
    for r in (
        get_variant(client, "no-such-exercise", 1),
        check(client, "no-such-exercise", {"seed": 1, "answers": {}}),
    ):
        assert r.status_code == 404, r.text
        (item,) = strict_loads(r.text)["detail"]
        assert item["loc"] == ["path", "exercise_id"] and item["type"] == "not_found"
        assert item["ctx"] == {"given": "no-such-exercise", "choices": [e["id"] for e in listed]}


# forward-2-2-1: q1, q2, q4, q5 numbers, q3 a sign; backward-output-2-2-2: q6 a choice of 2.
BAD_ANSWERS = [
    ("q9", 0.5, "unknown_question", {"given": "q9", "choices": ["q1", "q2", "q3", "q4", "q5"]}),
    ("q1", "0.5", "not_a_number", {}),
    ("q1", True, "not_a_number", {}),
    ("q1", [0.5], "not_a_number", {}),
    ("q3", "up", "not_a_sign", {"given": "up", "choices": ["+", "-", "0"]}),
    ("q3", "−", "not_a_sign", {"given": "−", "choices": ["+", "-", "0"]}),
    ("q3", 1, "not_a_sign", {"choices": ["+", "-", "0"]}),
]


@pytest.mark.parametrize(("question", "given", "kind", "ctx"), BAD_ANSWERS)
def test_a_malformed_answer_is_a_422_naming_its_question(
    client: httpx.Client, question: str, given: Any, kind: str, ctx: dict[str, Any]
) -> None:
    body = {"seed": 3, "answers": {"q1": 0.1, question: given}}
    item = assert_error(check(client, "forward-2-2-1", body), 422, ("answers", question))
    assert (item["type"], item["ctx"]) == (kind, ctx)


def test_every_malformed_answer_is_named(client: httpx.Client) -> None:
    body = {"seed": 3, "answers": {"q1": "x", "q2": 0.5, "q3": "?", "q8": None}}
    r = check(client, "forward-2-2-1", body)
    assert r.status_code == 422
    detail = strict_loads(r.text)["detail"]
    assert [(d["loc"], d["type"]) for d in detail] == [
        (["body", "answers", "q1"], "not_a_number"),
        (["body", "answers", "q3"], "not_a_sign"),
        (["body", "answers", "q8"], "unknown_question"),
    ]


def test_a_choice_not_among_the_options_is_a_422(client: httpx.Client) -> None:
    for given in ("3", "0", 1, "∂l/∂z²₁"):
        body = {"seed": 3, "answers": {"q6": given}}
        item = assert_error(check(client, "backward-output-2-2-2", body), 422, ("answers", "q6"))
        assert item["type"] == "not_an_option" and item["ctx"]["choices"] == ["1", "2"]
    ok = check(client, "backward-output-2-2-2", {"seed": 3, "answers": {"q6": "2"}})
    assert ok.status_code == 200


def test_a_non_finite_number_is_a_422(client: httpx.Client) -> None:
    for literal in ("NaN", "Infinity", "-Infinity", "1e999"):
        body = '{"seed": 3, "answers": {"q2": ' + literal + "}}"
        r = client.post(f"{API}/exercises/forward-2-2-1/check", content=body)
        item = assert_error(r, 422, ("answers", "q2"))
        assert item["type"] == "not_finite"


def test_seeds_out_of_range_and_malformed_bodies(
    client: httpx.Client, limits: dict[str, Any]
) -> None:
    top = limits["max_exercise_seed"]
    assert get_variant(client, "forward-2-2-1", top).status_code == 200
    for seed in (-1, top + 1):
        for r in (
            get_variant(client, "forward-2-2-1", seed),
            check(client, "forward-2-2-1", {"seed": seed, "answers": {}}),
        ):
            item = assert_error(r, 422, ("seed",))
            assert item["type"] == "out_of_range"
            assert item["ctx"] == {"min": 0, "max": top, "whole": True, "given": seed}
    assert (
        assert_error(get_variant(client, "forward-2-2-1", 1.5), 422, ("seed",))["type"]
        == "int_type"
    )
    r = client.post(f"{API}/exercises/forward-2-2-1", json={})
    assert assert_error(r, 422, ("seed",))["type"] == "missing"
    r = check(client, "forward-2-2-1", {"seed": 1})
    assert assert_error(r, 422, ("answers",))["type"] == "missing"
    r = check(client, "forward-2-2-1", {"seed": 1, "answers": [1, 2]})
    assert assert_error(r, 422, ("answers",))["type"] == "dict_type"
    r = client.post(f"{API}/exercises/forward-2-2-1", json={"seed": 1, "answers": {}})
    assert assert_error(r, 422, ("answers",))["type"] == "extra_forbidden"


def test_too_many_answers(client: httpx.Client, limits: dict[str, Any]) -> None:
    most = limits["max_exercise_answers"]
    body = {"seed": 1, "answers": {f"x{k}": None for k in range(most + 1)}}
    item = assert_error(check(client, "forward-2-2-1", body), 422, ("answers",))
    assert item["type"] == "too_many_answers"
    assert item["ctx"] == {"limit": most, "got": most + 1}


# --- The OpenAPI document and the limits ----------------------------------------------------


@pytest.fixture(scope="module")
def doc(client: httpx.Client) -> dict[str, Any]:
    return client.get("/openapi.json").json()


def validator(doc: dict[str, Any], ref: dict[str, Any]) -> Draft202012Validator:
    registry = Registry().with_resource(
        "urn:doc", Resource.from_contents(doc, default_specification=DRAFT202012)
    )
    pointer = ref["$ref"].replace("#", "urn:doc#")
    return Draft202012Validator({"$ref": pointer}, registry=registry)


def operation(doc: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    return doc["paths"][f"{API}{path}"][method]


def test_the_openapi_documents_the_three_routes(
    doc: dict[str, Any], client: httpx.Client, listed: list[dict[str, Any]]
) -> None:
    schemas = doc["components"]["schemas"]
    listing = operation(doc, "/exercises", "get")["responses"]["200"]["content"]["application/json"]
    assert listing["schema"]["items"] == {"$ref": "#/components/schemas/ExerciseSummary"}
    ids = [e["id"] for e in listed]
    for path, body, answer in (
        ("/exercises/{exercise_id}", "VariantRequest", "ExerciseVariant"),
        ("/exercises/{exercise_id}/check", "CheckRequest", "CheckResponse"),
    ):
        op = operation(doc, path, "post")
        request = op["requestBody"]["content"]["application/json"]["schema"]
        assert request == {"$ref": f"#/components/schemas/{body}"}
        responses = op["responses"]
        assert responses["200"]["content"]["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{answer}"
        }
        assert set(responses) == {"200", "404", "413", "422"}
        (param,) = op["parameters"]
        assert param["name"] == "exercise_id" and param["schema"]["enum"] == ids
    # The answers the server sends validate against them.
    v = variant_of(client, "whole-step-2-2-2", 8)
    validator(doc, {"$ref": "#/components/schemas/ExerciseVariant"}).validate(v)
    validator(doc, {"$ref": "#/components/schemas/ExerciseSummary"}).validate(listed[0])
    result = check(client, "whole-step-2-2-2", {"seed": 8, "answers": answers(v)}).json()
    validator(doc, {"$ref": "#/components/schemas/CheckResponse"}).validate(result)
    # A variant's request is a TraceRequest of the same document.
    assert (
        schemas["ExerciseVariant"]["properties"]["request"]
        == {
            "$ref": "#/components/schemas/TraceRequest",
            "description": schemas["ExerciseVariant"]["properties"]["request"]["description"],
        }
        or "$ref" in schemas["ExerciseVariant"]["properties"]["request"]
    )
    check_body = validator(doc, {"$ref": "#/components/schemas/CheckRequest"})
    assert check_body.is_valid({"seed": 1, "answers": {"q1": 0.5, "q2": "+", "q3": None}})
    assert not check_body.is_valid({"seed": 1, "answers": {"q1": [1]}})


def exercise_limits(doc: dict[str, Any]) -> dict[str, Any]:
    schemas = doc["components"]["schemas"]
    seeds = [schemas[m]["properties"]["seed"] for m in ("VariantRequest", "CheckRequest")]
    assert seeds[0] == seeds[1] | {"description": seeds[0]["description"]}
    return {
        "min_seed": seeds[0]["minimum"],
        "max_exercise_seed": seeds[0]["maximum"],
        "max_exercise_answers": schemas["CheckRequest"]["properties"]["answers"]["maxProperties"],
    }


def test_the_limits_documented_are_the_capabilities(
    doc: dict[str, Any], limits: dict[str, Any]
) -> None:
    assert exercise_limits(doc) == {
        "min_seed": 0,
        "max_exercise_seed": limits["max_exercise_seed"],
        "max_exercise_answers": limits["max_exercise_answers"],
    }
    assert limits["max_exercise_seed"] == 2**32 - 1


@pytest.fixture(scope="module")
def configured() -> Iterator[httpx.Client]:
    env = {"BACKPROP_VIZ_MAX_EXERCISE_SEED": "1000", "BACKPROP_VIZ_MAX_EXERCISE_ANSWERS": "12"}
    with running_server(env=env) as url, httpx.Client(base_url=url, timeout=20.0) as c:
        yield c


def test_a_configured_server_publishes_and_enforces_its_own_limits(
    configured: httpx.Client,
) -> None:
    limits = configured.get(f"{API}/capabilities").json()["limits"]
    assert (limits["max_exercise_seed"], limits["max_exercise_answers"]) == (1000, 12)
    documented = exercise_limits(configured.get("/openapi.json").json())
    assert documented == {"min_seed": 0, "max_exercise_seed": 1000, "max_exercise_answers": 12}
    assert get_variant(configured, "forward-2-2-1", 1000).status_code == 200
    item = assert_error(get_variant(configured, "forward-2-2-1", 1001), 422, ("seed",))
    assert item["ctx"]["max"] == 1000
    body = {"seed": 1, "answers": {f"x{k}": None for k in range(13)}}
    item = assert_error(check(configured, "forward-2-2-1", body), 422, ("answers",))
    assert item["ctx"] == {"limit": 12, "got": 13}
