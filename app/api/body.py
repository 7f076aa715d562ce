"""Read a request body into a schema and the engine's types, or raise APIError.

The body is validated from raw bytes by pydantic-core (JSON parsed and checked in one
pass, in Rust), which is several times cheaper than FastAPI's json.loads-then-validate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import orjson
from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect

from app.api.errors import APIError, from_pydantic, from_spec_error
from app.api.schemas import NetworkSpec, TraceRequest
from app.engine import Limits, Network, SpecError, example_from_spec
from app.http.errors import error_item

Model = TypeVar("Model", bound=BaseModel)


async def parse(request: Request, model: type[Model]) -> Model:
    try:
        body = await request.body()
    except ClientDisconnect:
        # The client is gone; nobody will read the answer, and it is not a server error.
        raise APIError(
            400, [error_item(("body",), "client disconnected", "disconnected")]
        ) from None
    if not body.strip():
        raise APIError(422, [error_item(("body",), "a JSON object is required", "missing")])
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise from_pydantic(exc.errors()) from None


def network_of(spec: BaseModel, limits: Limits, loc: tuple[str, ...] = ("network",)) -> Network:
    try:
        # vars(): the fields as they are (dict(model) copies them)
        return Network.from_spec(vars(spec), limits, loc)
    except SpecError as exc:
        raise from_spec_error(exc) from None


@dataclass(frozen=True)
class Example:
    network: Network
    input: np.ndarray
    target: np.ndarray
    learning_rate: float


def example_of(req: TraceRequest, limits: Limits) -> Example:
    """The engine's view of a trace request, every field checked against the limits."""
    try:
        network, x, t, eta = example_from_spec(
            vars(req.network), req.input, req.target, req.learning_rate, limits
        )
    except SpecError as exc:
        raise from_spec_error(exc) from None
    return Example(network, x, t, eta)


def _fields(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    fields = model.model_fields
    return frozenset(fields), frozenset(k for k, f in fields.items() if f.is_required())


_TRACE_FIELDS, _TRACE_REQUIRED = _fields(TraceRequest)
_NETWORK_FIELDS, _NETWORK_REQUIRED = _fields(NetworkSpec)
_FLAGS = ("freeze_biases", "include_events")
_LEARNING_RATE: float = TraceRequest.model_fields["learning_rate"].default
_NUMBERS_AND_PUNCTUATION = b"0123456789+-.,:[]{} \t\r\n"


@dataclass(frozen=True)
class PlainTrace:
    example: Example
    freeze_biases: bool
    include_events: bool


def plain_trace(body: bytes, limits: Limits) -> PlainTrace | None:
    """A POST /trace body read straight into the engine's arrays, without pydantic's model
    (orjson's parse, then example_from_spec's checks: ~12 µs less a request in the app,
    docs/benchmarks.md), if it is plainly valid; None for anything else, which TraceRequest
    then reads as ever (and whose errors are the route's).

    Plainly valid: TraceRequest would take it as it is, with the same values. Each of its
    checks is made here, or follows from the engine's (which are stricter: a whole number
    of neurons must be an int, a seed too): only the fields it has, the required ones
    present, names that are strings, flags that are booleans, η a number; every number
    finite (orjson reads no NaN, example_from_spec takes no ∞).

    What numpy would turn into a number and pydantic refuses, a string or a boolean inside
    a list, is ruled out on the bytes. Every string in a plain body is a field's name or a
    choice (`"tanh"`): two quotes each, none inside. Its only `true` or `false` are its
    flags' (no name or choice contains either word, nor a digit). So one quote more, or
    one `true` or `false` more, means it is not plain. Deleting the digits and the
    punctuation first (for speed) joins no new word: a literal's neighbours are at most an
    exponent's e, and a string's letters stay between its quotes.

    Both parsers round a decimal to the nearest float64, so they agree bit for bit; both
    keep the last of a repeated field (which fails the count anyway); an int becomes the
    float pydantic makes of it (exactly, below the cap)."""
    try:
        req = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if type(req) is not dict or not _TRACE_REQUIRED <= req.keys() <= _TRACE_FIELDS:
        return None
    network = req["network"]
    if type(network) is not dict or not _NETWORK_REQUIRED <= network.keys() <= _NETWORK_FIELDS:
        return None
    activations = network["activations"]
    if (
        type(network["layers"]) is not list
        or any(type(n) is not int for n in network["layers"])
        or type(activations) is not list
        or any(type(name) is not str for name in activations)
        or type(network["loss"]) is not str
        or type(network.get("init", "")) is not str
        or type(network.get("seed", 0)) is not int
    ):
        return None
    flags = [req.get(name, False) for name in _FLAGS]
    learning_rate: Any = req.get("learning_rate", _LEARNING_RATE)
    if any(type(f) is not bool for f in flags) or type(learning_rate) not in (int, float):
        return None
    # The bytes less the numbers' digits, signs and points and JSON's punctuation: what is
    # left is the strings, the literals (true, false, null) and exponents' e (a few hundred
    # bytes, where a count is quick).
    words = body.translate(None, _NUMBERS_AND_PUNCTUATION)
    strings = len(req) + len(network) + len(activations) + 1 + ("init" in network)
    booleans = sum(name in req for name in _FLAGS)
    if words.count(b'"') != 2 * strings or words.count(b"true") + words.count(b"false") != booleans:
        return None
    try:
        net, x, t, eta = example_from_spec(
            network, req["input"], req["target"], learning_rate, limits
        )
    except SpecError:
        return None
    return PlainTrace(Example(net, x, t, eta), flags[0], flags[1])
