"""plain_trace (app/api/body.py): a POST /trace body read straight into the engine's arrays,
without pydantic's model, when it is plainly valid. Its oracle is the way every other body
goes: TraceRequest (pydantic) and then example_of. Whatever plain_trace takes, pydantic
must take too, with the same numbers bit for bit and the same flags; what it declines goes
that way anyway (the lane's answers against the route's: test_trace_lane.py). Bodies with
a string, a boolean, a null or a nested list where a number goes, unknown or repeated
fields, escaped names, and numbers written every way JSON allows are the cases."""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from app.api.body import example_of, plain_trace
from app.api.errors import APIError
from app.api.schemas import TraceRequest
from app.engine import PRESETS, Limits

LIMITS = Limits()
MARK = 987.125  # a number no request below holds, replaced by the token under test


def through_pydantic(body: bytes) -> Any:
    """What the route reads: (x, t, η, θ⁰ as bits, the flags), or None for an error."""
    try:
        req = TraceRequest.model_validate_json(body)
        example = example_of(req, LIMITS)
    except (ValidationError, APIError):
        return None
    return view(example, req.freeze_biases, req.include_events)


def view(example: Any, freeze_biases: bool, include_events: bool) -> Any:
    net = example.network
    arrays = [*net.weights, *net.biases, example.input, example.target]
    return (
        net.layers,
        net.activations,
        net.loss,
        [(a.dtype, a.shape, a.tobytes()) for a in arrays],
        float(example.learning_rate).hex(),
        freeze_biases,
        include_events,
    )


def through_plain(body: bytes) -> Any:
    plain = plain_trace(body, LIMITS)
    if plain is None:
        return None
    return view(plain.example, plain.freeze_biases, plain.include_events)


def check(body: bytes) -> bool:
    """plain_trace takes only what pydantic takes, as pydantic reads it; True if it took it."""
    plain = through_plain(body)
    if plain is not None:
        assert through_pydantic(body) == plain, body[:300]
    return plain is not None


def small() -> dict[str, Any]:
    return {
        "network": {
            "layers": [2, 3, 1],
            "activations": ["tanh", "sigmoid"],
            "loss": "binary_cross_entropy",
            "weights": [[[0.5, -0.25], [0.125, 1.0], [-1.5, 0.75]], [[0.3, -0.2, 0.1]]],
            "biases": [[0.1, -0.1, 0.0], [0.2]],
        },
        "input": [0.5, -1.0],
        "target": [1.0],
        "learning_rate": 0.5,
    }


PLAIN: dict[str, Any] = {
    **{f"preset-{name}": p.request for name, p in PRESETS.items()},
    "small": small(),
    "events": {**small(), "include_events": True},
    "frozen": {**small(), "freeze_biases": True, "include_events": False},
    "drawn": {**small(), "network": {**small()["network"], "weights": None, "seed": 7}},
    "init": {**small(), "network": {**small()["network"], "init": "he", "biases": None}},
    "no-eta": {k: v for k, v in small().items() if k != "learning_rate"},
    "ints": {**small(), "input": [1, -2], "learning_rate": 2},
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_a_plainly_valid_body_is_read_plainly_and_as_pydantic_reads_it(name: str) -> None:
    for text in (json.dumps(PLAIN[name]), json.dumps(PLAIN[name], indent=2)):
        assert check(text.encode())


# Leaves where a number goes, as JSON text; each replaces MARK somewhere.
TOKENS = [
    "true",
    "false",
    "null",
    '"1.5"',
    '"x"',
    '""',
    "[1.5]",
    "[]",
    "{}",
    "1",
    "-0",
    "-0.0",
    "0",
    "1e400",
    "-1e400",
    "1e-400",
    "1000000",
    "1000000.0000000001",
    "1E+2",
    "123456789012345678901234567890",
    "0.1000000000000000055511151231257827021181583404541015625",
    "2.4703282292062328e-324",
]
PLACES = ["w", "b", "x", "t", "eta", "layer", "seed", "init", "loss", "act", "flag", "net"]


def body_with(place: str, token: str, base: dict[str, Any] | None = None) -> bytes:
    req = json.loads(json.dumps(base or small()))
    net = req["network"]
    if place == "w":
        net["weights"][1][0][2] = MARK
    elif place == "b":
        net["biases"][0][1] = MARK
    elif place == "x":
        req["input"][0] = MARK
    elif place == "t":
        req["target"][0] = MARK
    elif place == "eta":
        req["learning_rate"] = MARK
    elif place == "layer":
        net["layers"][1] = MARK
    elif place == "seed":
        net["weights"] = None
        net["seed"] = MARK
    elif place == "init":
        net["init"] = MARK
    elif place == "loss":
        net["loss"] = MARK
    elif place == "act":
        net["activations"][0] = MARK
    elif place == "flag":
        req["include_events"] = MARK
    else:
        req["network"] = MARK
    text = json.dumps(req)
    assert text.count(repr(MARK)) == 1
    return text.replace(repr(MARK), token).encode()


@pytest.mark.parametrize("place", PLACES)
def test_any_token_in_any_place(place: str) -> None:
    taken = [token for token in TOKENS if check(body_with(place, token))]
    if place in ("w", "b", "x", "t", "eta"):
        assert "1" in taken  # a number is still read plainly there
    assert not {"true", "false", "null", '"1.5"', "[1.5]"} & set(taken) or place == "flag"


STRING_TOKENS = ['"tanh"', '"he"', '"sigmoid"', '"\\u0074anh"', '"t\\u0061nh"']


@pytest.mark.parametrize("token", [*STRING_TOKENS, "true", "false"])
def test_a_name_or_a_flag_where_a_number_goes_is_never_read_plainly(token: str) -> None:
    for place in ("w", "b", "x", "t", "eta"):
        assert not check(body_with(place, token))


@pytest.mark.parametrize(
    "text",
    [
        # escaped names: the same fields to both parsers
        json.dumps(small()).replace('"input"', '"\\u0069nput"'),
        json.dumps(small()).replace('"tanh"', '"\\u0074anh"'),
        # a repeated field, both values good or one bad
        json.dumps(small())[:-1] + ', "learning_rate": 0.25}',
        json.dumps(small())[:-1] + ', "learning_rate": -0.25}',
        json.dumps(small())[:-1] + ', "include_events": true, "include_events": false}',
        # unknown fields, at the top and in the network
        json.dumps({**small(), "colour": "red"}),
        json.dumps({**small(), "network": {**small()["network"], "colour": 1}}),
        # a required field missing
        json.dumps({k: v for k, v in small().items() if k != "target"}),
        # the defaults written out as null: pydantic refuses, the engine would not
        json.dumps({**small(), "network": {**small()["network"], "init": None}}),
        json.dumps({**small(), "network": {**small()["network"], "seed": None}}),
        json.dumps({**small(), "learning_rate": None}),
        json.dumps({**small(), "freeze_biases": None}),
        json.dumps({**small(), "freeze_biases": 0}),
        json.dumps({**small(), "freeze_biases": "false"}),
        json.dumps({**small(), "network": {**small()["network"], "seed": 3.0}}),
        json.dumps({**small(), "network": {**small()["network"], "layers": [2.0, 3, 1]}}),
        json.dumps({**small(), "network": {**small()["network"], "layers": [True, 3, 1]}}),
        # not JSON, or not an object
        "{",
        "",
        "[1, 2]",
        "null",
        json.dumps(small()) + " x",
        "\ufeff" + json.dumps(small()),
        json.dumps(small()).replace("0.5", "NaN", 1),
        json.dumps(small()).replace("0.5", "Infinity", 1),
    ],
)
def test_odd_bodies(text: str) -> None:
    check(text.encode())


FLOATS = TypeAdapter(list[float])


@settings(max_examples=400, deadline=None)
@given(
    value=st.floats(allow_nan=False, allow_infinity=False),
    digits=st.integers(1, 40),
    extra=st.integers(0, 10**12),
)
def test_both_parsers_read_a_decimal_as_the_same_float(
    value: float, digits: int, extra: int
) -> None:

    texts = [repr(value), f"{value:.{digits}e}", f"{value:.{digits}g}"]
    if math.isfinite(value) and value != 0:  # digits past the shortest repr, to round
        mantissa, exp = f"{value:.17e}".split("e")
        texts.append(f"{mantissa}{extra}e{exp}")
    for text in texts:
        try:
            ours = orjson.loads(f"[{text}]")[0]
        except orjson.JSONDecodeError:
            continue  # a token orjson refuses (an overflow): that body is not plain
        theirs = FLOATS.validate_json(f"[{text}]")[0]
        assert float(ours).hex() == theirs.hex(), text


@settings(max_examples=200, deadline=None)
@given(
    preset=st.sampled_from(sorted(PRESETS)),
    place=st.sampled_from(["w", "b", "x", "t", "eta"]),
    token=st.one_of(
        st.sampled_from(TOKENS + STRING_TOKENS),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.integers(-(10**20), 10**20).map(str),
    ),
)
def test_random_tokens_in_the_presets(preset: str, place: str, token: str) -> None:
    base = json.loads(json.dumps(PRESETS[preset].request))
    net = base["network"]
    if place in ("w", "b") and (net.get("weights") is None or net.get("biases") is None):
        place = "x"
    if place == "w":
        net["weights"][-1][0][-1] = MARK
    elif place == "b":
        net["biases"][-1][0] = MARK
    elif place == "x":
        base["input"][-1] = MARK
    elif place == "t":
        base["target"][-1] = MARK
    else:
        base["learning_rate"] = MARK
    text = json.dumps(base)
    check(text.replace(repr(MARK), token).encode())


def test_the_arrays_are_float64_whatever_the_numbers_were_written_as() -> None:
    plain = plain_trace(json.dumps(PLAIN["ints"]).encode(), LIMITS)
    assert plain is not None
    assert plain.example.input.dtype == np.float64
    assert plain.example.input.tolist() == [1.0, -2.0]
