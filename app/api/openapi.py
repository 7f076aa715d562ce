"""The OpenAPI document, made to say exactly what the server sends and accepts.

FastAPI documents the routes from their models; `install_openapi` then
- adds the stream events (each NDJSON line, each SSE frame's `data:`) as schemas, a `oneOf`
  on `type`, under OpenAPI 3.2's `itemSchema` as FastAPI itself does for its streams;
- drops what the app never sends: the `application/json` 200 FastAPI gives a stream route,
  and FastAPI's default 422 (HTTPValidationError): every 4xx here is an ErrorResponse;
- writes the limits the server enforces (from the app's settings) into the request schemas
  as minItems, maximum and so on. The pydantic models keep their own validation, so the
  engine's checks still give the clear messages; this is description only.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel

from app.api.schemas import ErrorResponse
from app.engine import MIN_LAYERS, PRESETS, Limits
from app.exercises import EXERCISES
from app.http.events import NDJSON, SSE

_REF = "#/components/schemas/{model}"
_EVENTS: dict[str, type[BaseModel]] = {}  # stream_responses' event unions

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "Request body too large"},
    422: {"model": ErrorResponse, "description": "Invalid request: which field, and why"},
}


def stream_responses(events: type[BaseModel], description: str) -> dict[int | str, dict[str, Any]]:
    """`responses` of a stream route whose every event is an `events` (a RootModel union):
    NDJSON, one event a line, or SSE, one event in each frame's `data:`."""
    _EVENTS[events.__name__] = events
    event = {"$ref": _REF.format(model=events.__name__)}
    frame = {
        "type": "object",
        "required": ["id", "event", "data"],
        "properties": {
            "id": {"type": "string", "description": "The event's number, from 0."},
            "event": {"type": "string", "description": "The event's `type`."},
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": event,
                "description": "One event, as JSON.",
            },
        },
    }
    return {
        200: {
            "description": description + " Each NDJSON line is one event, a JSON object; each "
            "SSE frame is `id:` (its number), `event:` (its type) and `data:` (one event, "
            "as JSON). The `type` field says which event it is.",
            "content": {NDJSON: {"itemSchema": event}, SSE: {"itemSchema": frame}},
        },
        **ERROR_RESPONSES,
        503: {
            "model": ErrorResponse,
            "description": "As many streams are open as this server runs at once "
            "(BACKPROP_VIZ_MAX_STREAMS); try again after Retry-After seconds",
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer", "minimum": 0},
                }
            },
        },
    }


def install_openapi(app: FastAPI, limits: Limits | None = None) -> None:
    """app.openapi() answers the truthful document; `limits` default to the settings' that
    the app enforces (app.state.settings.limits)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                # One schema per model: the same TraceRequest is a body and /presets/{name}.
                separate_input_output_schemas=False,
            )
            components = doc.setdefault("components", {}).setdefault("schemas", {})
            for name, model in _EVENTS.items():
                _add_model(components, name, model)
            _drop_unsent(doc)
            constrain(components, limits or app.state.settings.limits)
            _add_examples(components)
            _name_the_presets(doc)
            _name_the_exercises(doc)
            _name_or_points(components["DatasetSpec"])
            _method_not_allowed(doc)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _method_not_allowed(doc: dict[str, Any]) -> None:
    """A method a path does not answer is no operation, so no operation lists its 405: the
    answer is described once, as a reusable response, and in the API's description."""
    doc["components"].setdefault("responses", {})["MethodNotAllowed"] = {
        "description": "A method this path does not answer: the error shape, type "
        "`method_not_allowed`, with an `Allow` header naming the methods it does.",
        "headers": {"Allow": {"schema": {"type": "string"}, "description": "e.g. POST"}},
        "content": {"application/json": {"schema": {"$ref": _REF.format(model="ErrorResponse")}}},
    }
    doc["info"]["description"] += (
        " Every 4xx and 5xx is an ErrorResponse; a method a path does not answer gets 405 "
        "(components/responses/MethodNotAllowed)."
    )


def _add_model(components: dict[str, Any], name: str, model: type[BaseModel]) -> None:
    schema = model.model_json_schema(ref_template=_REF)
    for sub, sub_schema in schema.pop("$defs", {}).items():
        components.setdefault(sub, sub_schema)
    components[name] = schema


def _drop_unsent(doc: dict[str, Any]) -> None:
    """Remove the answers FastAPI documents by default and the app never sends."""
    for operations in doc["paths"].values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            ok = responses.get("200", {}).get("content", {})
            if NDJSON in ok:  # a stream: its own media types only
                ok.pop("application/json", None)
            for status, response in list(responses.items()):
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if schema == {"$ref": _REF.format(model="HTTPValidationError")}:
                    del responses[status]
    schemas = doc["components"]["schemas"]
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)


def _name_or_points(dataset: dict[str, Any]) -> None:
    """A data set is a generated one's name, or the user's points x and y, not both: the
    rule the server checks, for fuzzers and validators. In dependentRequired and
    dependentSchemas, which client generators leave alone (a oneOf of the two stops
    openapi-python-client generating the training routes). That neither is given is still
    the server's to say."""
    dataset["dependentRequired"] = {"x": ["y"], "y": ["x"]}
    dataset["dependentSchemas"] = {
        "name": {
            "anyOf": [
                {"properties": {"name": {"type": "null"}}},
                {"properties": {"x": {"type": "null"}, "y": {"type": "null"}}},
            ]
        }
    }


def _name_the_presets(doc: dict[str, Any]) -> None:
    """The preset names as the path parameter's enum: clients and fuzzers can reach the
    200 (any other name is the documented 404)."""
    for parameter in doc["paths"]["/api/v1/presets/{name}"]["get"]["parameters"]:
        if parameter["name"] == "name":
            parameter["schema"]["enum"] = list(PRESETS)


def _name_the_exercises(doc: dict[str, Any]) -> None:
    """The exercise ids as the path parameter's enum, as for the presets."""
    for path in ("/api/v1/exercises/{exercise_id}", "/api/v1/exercises/{exercise_id}/check"):
        for parameter in doc["paths"][path]["post"]["parameters"]:
            if parameter["name"] == "exercise_id":
                parameter["schema"]["enum"] = list(EXERCISES)


def _add_examples(components: dict[str, Any]) -> None:
    """The worked example as the example body: /docs's "Try it out" starts from a request
    that works, and so do clients and fuzzers that read examples."""
    worked = PRESETS["worked-example-2-2-2"].trace_request()
    for name, example in (
        ("TraceRequest", worked),
        ("GradcheckRequest", worked),
        ("CostRequest", worked),
        ("NetworkSpec", worked["network"]),
    ):
        components[name]["examples"] = [example]


# The limits as schema keywords: {model: {field path: keywords}}. A path is a field name
# with one "[]" per level of list items; a nullable field's keywords go on its non-null
# branch.
def limit_keywords(limits: Limits) -> dict[str, dict[str, dict[str, Any]]]:
    layers, neurons, value = limits.max_layers, limits.max_neurons, limits.max_abs_value
    number = {"minimum": -value, "maximum": value}
    per_layer = {"minItems": 1, "maxItems": layers - 1}
    per_neuron = {"minItems": 1, "maxItems": neurons}
    rows = {"minItems": 1, "maxItems": limits.max_samples}
    eta = {"exclusiveMinimum": 0, "maximum": limits.max_learning_rate}
    seed = {"minimum": 0, "maximum": limits.max_seed}
    exercise_seed = {"minimum": 0, "maximum": limits.max_exercise_seed}
    example: dict[str, dict[str, Any]] = {
        "input": per_neuron,
        "input[]": number,
        "target": per_neuron,
        "target[]": number,
        "learning_rate": eta,
    }
    return {
        "NetworkSpec": {
            "layers": {"minItems": MIN_LAYERS, "maxItems": layers},
            "layers[]": {"minimum": 1, "maximum": neurons},
            "activations": per_layer,
            "weights": per_layer,
            "weights[]": per_neuron,
            "weights[][]": per_neuron,
            "weights[][][]": number,
            "biases": per_layer,
            "biases[]": per_neuron,
            "biases[][]": number,
            "seed": seed,
        },
        "TraceRequest": example,
        "GradcheckRequest": example,
        "CostRequest": {**example, "sample": {"minimum": 1, "maximum": limits.max_cost_sample}},
        "BatchTraceRequest": {
            "inputs": rows,
            "inputs[]": per_neuron,
            "inputs[][]": number,
            "targets": rows,
            "targets[]": per_neuron,
            "targets[][]": number,
            "learning_rate": eta,
        },
        "DatasetSpec": {
            "samples": {"maximum": limits.max_samples},
            "noise": {"maximum": limits.max_noise},
            "seed": seed,
            "test_ratio": {"maximum": limits.max_test_ratio},
            "x": rows,
            "x[]": per_neuron,
            "x[][]": number,
            "y": rows,
            "y[]": per_neuron,
            "y[][]": number,
        },
        "TrainRequest": {
            "learning_rate": eta,
            "batch_size": {"maximum": limits.max_samples},
            "epochs": {"maximum": limits.max_epochs},
            # 0 (no boundary) or 2 … max_grid
            "grid": {"maximum": limits.max_grid, "not": {"const": 1}},
            "neuron_grid": {"maximum": limits.max_grid},
            "seed": seed,
        },
        "Regularization": {"rate": {"maximum": limits.max_learning_rate}},
        "VariantRequest": {"seed": exercise_seed},
        "CheckRequest": {
            "seed": exercise_seed,
            "answers": {"maxProperties": limits.max_exercise_answers},
        },
    }


def constrain(components: dict[str, Any], limits: Limits) -> None:
    """Write `limits` into the request schemas in `components` (see limit_keywords)."""
    for model, fields in limit_keywords(limits).items():
        for path, keywords in fields.items():
            schema = components[model]["properties"][path.split("[")[0]]
            for _ in range(path.count("[]")):
                schema = _non_null(schema)["items"]
            _non_null(schema).update(keywords)


def _non_null(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema itself, or the one non-null branch of an `anyOf` with null."""
    branches: list[dict[str, Any]] = [s for s in schema.get("anyOf", ()) if s.get("type") != "null"]
    return branches[0] if len(branches) == 1 else schema
