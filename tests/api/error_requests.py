"""One real bad request for every error type the API can answer (ERROR_TYPES), shared by the
API test (tests/api/test_error_types.py) and the page's (tests/browser/test_messages.py).

Most come from the default server; a few need a server set up for them (`special_app`:
one stream at a time, a CORS allow-list, a route that fails as a bug would). The rest are
in UNREACHABLE, each with why no request can produce it over HTTP.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from app.engine.limits import Limits
from app.main import create_app
from app.settings import Settings
from tests.server import running_uvicorn

NET = {"layers": [2, 2, 1], "activations": ["sigmoid", "sigmoid"], "loss": "squared_error"}
TRACE = {"network": NET, "input": [1.0, 2.0], "target": [0.5]}
XOR = {"name": "xor", "samples": 20}
TRAIN = {"network": NET, "dataset": XOR, "epochs": 2, "grid": 0}
BCE = {**NET, "loss": "binary_cross_entropy"}
SOFTMAX = {"layers": [2, 2, 2], "activations": ["sigmoid", "softmax"], "loss": "cross_entropy"}
# An exercise whose q1 is a number question and q3 a sign question, and one whose q6 is a
# choice (app/exercises/templates).
CHECK = "exercises/forward-2-2-1/check"
CHOICE_CHECK = "exercises/backward-output-2-2-2/check"


@dataclass(frozen=True)
class BadRequest:
    method: str
    path: str
    body: Any = None  # JSON
    content: str | bytes | None = None  # raw, when the body is not JSON at all
    headers: dict[str, str] = field(default_factory=dict)
    special: bool = False  # sent to special_app's server

    def send(self, client: httpx.Client) -> httpx.Response:
        kwargs: dict[str, Any] = {"headers": self.headers}
        if self.content is not None:
            kwargs["content"] = self.content
            kwargs["headers"] = {"content-type": "application/json", **self.headers}
        elif self.body is not None:
            kwargs["json"] = self.body
        return client.request(self.method, self.path, **kwargs)


def post(path: str, body: Any, **kw: Any) -> BadRequest:
    return BadRequest("POST", "/api/v1/" + path, body, **kw)


def trace(**changes: Any) -> BadRequest:
    return post("trace", {**TRACE, **changes})


def train(**changes: Any) -> BadRequest:
    return post("train/stream", {**TRAIN, **changes})


def answers(**given: Any) -> BadRequest:
    return post(CHECK, {"seed": 1, "answers": given})


def dataset(spec: dict[str, Any], network: dict[str, Any] = NET) -> BadRequest:
    return post("dataset", {"network": network, "dataset": spec})


# A resume object as an event carries it, but of no data set (its fingerprint is made up).
RESUME = {
    "network": NET,
    "optimizer_state": {"kind": "sgd", "t": 0},
    "epoch": 0,
    "step": 0,
    "batch_size": 10,
    "seed": 0,
    "data": "0123456789abcdef",
}

# type → a request that gets that type as the first item of its 4xx/5xx answer.
REQUESTS: dict[str, BadRequest] = {
    # The engine's checks.
    "abs_too_large": trace(network={**NET, "weights": [[[3e6, 0.0], [0.0, 0.0]], [[0.0, 0.0]]]}),
    "out_of_range": trace(learning_rate=5000),
    "wrong_length": trace(input=[1.0, 2.0, 3.0]),
    "output_layer_only": post(
        "network",
        {"layers": [2, 2, 2], "activations": ["softmax", "softmax"], "loss": "cross_entropy"},
    ),
    "loss_needs_output": post("network", {**NET, "loss": "cross_entropy"}),
    "target_outside_unit_interval": post("trace", {**TRACE, "network": BCE, "target": [2.5]}),
    "regression_loss": dataset({"name": "plane", "samples": 20}, BCE),
    "regression_outputs": dataset({"name": "plane", "samples": 20}, SOFTMAX),
    "class_outputs": dataset({"name": "three_class", "samples": 30}, SOFTMAX),
    "input_neurons": dataset(XOR, {**NET, "layers": [3, 2, 1]}),
    "features_need_2d": dataset(
        {"x": [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]], "y": [[0.0], [1.0]], "features": ["x1"]},
        {**NET, "layers": [3, 2, 1]},
    ),
    "duplicate": dataset({**XOR, "features": ["x1", "x1"]}),
    "no_training_points": dataset({"x": [[0.0, 0.0]], "y": [[1.0]], "test_ratio": 0.9}),
    "dataset_both": dataset({**XOR, "x": [[0.0, 0.0]], "y": [[1.0]]}),
    "dataset_neither": dataset({"samples": 20}),
    "optimizer_mismatch": train(optimizer="adam", optimizer_state={"kind": "sgd", "t": 0}),
    "resume_both": train(resume=RESUME),  # TRAIN has its network: resume brings one too
    "resume_mismatch": post(
        "train/stream", {k: v for k, v in TRAIN.items() if k != "network"} | {"resume": RESUME}
    ),  # RESUME's data fingerprint is no data set's
    "not_exported": post("export/pytorch", {**TRAIN, "max_steps": 3}),
    "adam_state": train(optimizer="adam", optimizer_state={"kind": "adam", "t": 1, "m": [0.0] * 9}),
    "too_many_epoch_samples": train(epochs=100_000, dataset={"name": "xor", "samples": 10_000}),
    "too_many_report_values": train(epochs=10_000, report_every=1, grid=100),
    "too_many_gradients": post(
        "trace/batch",
        {
            "network": {
                "layers": [64, 64, 64],
                "activations": ["sigmoid", "sigmoid"],
                "loss": "squared_error",
            },
            "inputs": [[0.0] * 64] * 400,
            "targets": [[0.0] * 64] * 400,
        },
    ),
    "too_many_parameters": post(
        "gradcheck",
        {
            "network": {
                "layers": [64, 64, 64, 64],
                "activations": ["sigmoid"] * 3,
                "loss": "squared_error",
            },
            "input": [0.0] * 64,
            "target": [0.0] * 64,
        },
    ),
    "non_finite": post(  # z = 10²⁰⁰ · 10²⁰⁰ under the special server's cap of 10²⁰⁰
        "trace",
        {
            "network": {
                "layers": [1, 1],
                "activations": ["linear"],
                "loss": "squared_error",
                "weights": [[[1e200]]],
            },
            "input": [1e200],
            "target": [0.0],
        },
        special=True,
    ),
    # An exercise's answers.
    "unknown_question": answers(q99=0.5),
    "not_a_sign": answers(q3="up"),
    "not_an_option": post(CHOICE_CHECK, {"seed": 1, "answers": {"q6": "3"}}),
    "too_many_answers": post(CHECK, {"seed": 1, "answers": {f"q{k}": None for k in range(100)}}),
    "not_a_number": answers(q1="0.5"),
    "not_finite": post(CHECK, None, content='{"seed": 1, "answers": {"q1": NaN}}'),
    # The request as a whole, and the server.
    "too_large": post("trace", None, content=b'{"pad": "' + b"x" * (1024 * 1024 + 10) + b'"}'),
    "not_found": BadRequest("GET", "/api/v1/presets/no-such-example"),
    "method_not_allowed": BadRequest("DELETE", "/api/v1/trace"),
    "state_invalid": BadRequest("GET", "/api/v1/trace/stream?v=1&state=jnot-base64!"),
    "format_not_offered": BadRequest("GET", "/oembed?url=/&format=xml"),
    "http_error": BadRequest("GET", "/api/v1/trace", headers={"range": "bytes=0-1"}, special=True),
    "cors_origin": BadRequest(
        "OPTIONS",
        "/api/v1/trace",
        headers={"origin": "https://elsewhere.example", "access-control-request-method": "POST"},
        special=True,
    ),
    "too_many_streams": post("train/stream", TRAIN, special=True),
    "internal_error": post("fail", {}, special=True),
    # Pydantic's.
    "json_invalid": post("trace", None, content='{"network": '),
    "missing": post("trace", {"network": NET, "input": [1.0, 2.0]}),
    "extra_forbidden": trace(epsilon_typo=1),
    "model_type": trace(network=[2, 2, 1]),
    "dict_type": post(CHECK, {"seed": 1, "answers": ["+"]}),
    "list_type": trace(input="1, 2"),
    "int_type": trace(network={**NET, "seed": "3"}),
    "float_type": trace(input=["abc", 2.0]),
    "finite_number": post(
        "trace", None, content=json.dumps(TRACE).replace("[1.0, 2.0]", "[NaN, 2.0]")
    ),
    "bool_type": trace(freeze_biases="yes"),
    "literal_error": trace(network={**NET, "loss": "hinge"}),
    "greater_than": post("gradcheck", {**TRACE, "epsilon": 0}),
    "greater_than_equal": trace(network={**NET, "seed": -1}),
    "less_than_equal": post("gradcheck", {**TRACE, "epsilon": 1}),
}

# Types no request can produce over HTTP, and why (the page still words each one).
UNREACHABLE: dict[str, str] = {
    "disconnected": "the answer to a client that left before its body arrived: nobody reads it",
    "invalid": "a pydantic kind ERROR_TYPES does not list: none of the strict models makes one",
    "unknown_choice": "every name is an enum of the schema: literal_error comes first",
    "not_a_whole_number": "the schema's integer types refuse it first",
    "not_an_object": "the schema's object types refuse it first",
    "not_a_list": "the schema's array types refuse it first",
    "wrong_shape": "only a numpy array has a shape; JSON sends lists (wrong_length)",
}


def special_app() -> FastAPI:
    """The app with one stream at a time, a CORS allow-list, numbers up to 10²⁰⁰ (so that a
    step can overflow), a route that fails as a bug would, and one that raises an HTTP error
    whose status has no type of its own (uvicorn --factory)."""
    from starlette.exceptions import HTTPException

    settings = Settings(
        max_streams=1, cors_origins="https://course.example", limits=Limits(max_abs_value=1e200)
    )
    app = create_app(settings)

    @app.post("/api/v1/fail")
    async def fail() -> None:
        raise RuntimeError("deliberate failure for the test")

    @app.get("/api/v1/trace")
    async def range_not_satisfiable() -> None:
        raise HTTPException(416, "Range Not Satisfiable")

    return app


@contextmanager
def special_server() -> Iterator[str]:
    with running_uvicorn("tests.api.error_requests:special_app", extra_args=("--factory",)) as (
        base,
        _,
    ):
        yield base


def answer(request: BadRequest, client: httpx.Client, special: httpx.Client) -> httpx.Response:
    """The server's answer to `request`; too_many_streams while another stream holds the one
    place the special server has."""
    if request.path.endswith("train/stream") and request.special:
        body = {**TRAIN, "epochs": 10_000, "pace": 1.0}  # one epoch a second: open for minutes
        # Its own client (connection): the stream holds its place while the other asks.
        with (
            httpx.Client(base_url=special.base_url, timeout=30.0) as holder,
            holder.stream("POST", "/api/v1/train/stream", json=body) as held,
        ):
            lines = held.iter_lines()
            next(lines)  # the start event
            return request.send(special)
    return request.send(special if request.special else client)
