"""The one error the engine raises for bad input: which field, and why; and the registry of
every kind of problem the API names in an error item's `type` (docs/api.md, "Errors")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ErrorType:
    """One kind of problem: what it means, the parameters its `ctx` may carry, the status."""

    doc: str
    ctx: dict[str, str] = field(default_factory=dict)
    status: int = 422


_RANGE_CTX = {
    "min": "the lowest value allowed (absent: no lower bound)",
    "max": "the highest value allowed (absent: no upper bound)",
    "given": "the value sent, when it is a number",
    "whole": "true when only whole numbers are allowed",
    "min_exclusive": "true when min itself is not allowed (η > 0)",
    "zero_allowed": "true when 0 is allowed besides the range (grid: 0 draws no boundary)",
}
_LENGTH_CTX = {
    "expected": "how many are needed",
    "min": "the fewest allowed",
    "max": "the most allowed",
    "got": "how many were sent",
    "per": "what each entry stands for: input_neuron, output_neuron, layer, point, "
    "coordinate, parameter, previous_layer_neuron, next_layer_neuron, input_row",
}
_PYDANTIC = "(pydantic) "

# Every `type` an error item can carry, and its `ctx`. The errors below, the OpenAPI enum of
# ErrorItem.type and docs/api.md all read this table; tests check that they agree.
ERROR_TYPES: dict[str, ErrorType] = {
    # The engine's checks (SpecError).
    "not_a_number": ErrorType("must be a number (or hold numbers only)"),
    "not_a_whole_number": ErrorType("must be a whole number"),
    "not_finite": ErrorType("NaN or Infinity where a finite number is needed"),
    "abs_too_large": ErrorType(
        "a number whose absolute value is above the cap (BACKPROP_VIZ_MAX_ABS_VALUE)",
        {"limit": "the largest absolute value allowed", "given": "the value sent"},
    ),
    "out_of_range": ErrorType("a number outside the range allowed", _RANGE_CTX),
    "not_an_object": ErrorType("must be a JSON object"),
    "not_a_list": ErrorType(
        "must be a list", {"expected": "how many entries it needs, when that is known"}
    ),
    "wrong_length": ErrorType("a list with too many or too few entries", _LENGTH_CTX),
    "wrong_shape": ErrorType(
        "an array of the wrong shape", {"expected": "the shape needed", "got": "the shape sent"}
    ),
    "unknown_choice": ErrorType(
        "a name that is not one of the choices",
        {"given": "the name sent, when it is a string", "choices": "the names allowed"},
    ),
    "output_layer_only": ErrorType(
        "an activation allowed on the output layer only", {"activation": "its name"}
    ),
    "loss_needs_output": ErrorType(
        "the loss does not fit the output layer's activation",
        {"loss": "the loss", "choices": "the activations it takes", "given": "the one sent"},
    ),
    "target_outside_unit_interval": ErrorType(
        "a target outside [0, 1] for a cross-entropy loss",
        {"loss": "the loss", "given": "the target sent"},
    ),
    "regression_loss": ErrorType(
        "a regression set's values lie in [-1, 1], which the loss does not take",
        {"loss": "the loss", "choices": "the losses that fit"},
    ),
    "regression_outputs": ErrorType(
        "a regression set needs one output neuron", {"got": "the output neurons there are"}
    ),
    "class_outputs": ErrorType(
        "the output layer does not fit the set's classes",
        {"classes": "the set's classes", "expected": "output neurons needed", "got": "there are"},
    ),
    "input_neurons": ErrorType(
        "the input layer does not fit the data",
        {"expected": "input neurons needed", "features": "the features, when they decide it"},
    ),
    "features_need_2d": ErrorType("features need 2-D points", {"columns": "the columns of x"}),
    "duplicate": ErrorType("a list names something twice"),
    "no_training_points": ErrorType(
        "test_ratio leaves no training point", {"points": "the points there are"}
    ),
    "dataset_both": ErrorType("a data set with both a name and x, y"),
    "dataset_neither": ErrorType("a data set with neither a name nor x and y"),
    "optimizer_mismatch": ErrorType(
        "optimizer_state is another optimizer's",
        {"given": "its kind", "expected": "the run's optimizer"},
    ),
    "adam_state": ErrorType("adam's state needs both m and v, or neither"),
    "resume_both": ErrorType(
        "a field that `resume` sets (network, start_epoch, start_step, optimizer_state) "
        "given beside it"
    ),
    "resume_mismatch": ErrorType(
        "a resume object that does not fit the request: another data set, a step outside its "
        "epoch, or a batch size or seed changed mid-epoch",
        {"given": "the value sent", "expected": "the value that fits, when there is one"},
    ),
    "too_many_epoch_samples": ErrorType(
        "epochs × training points above the cap",
        {"epochs": "", "points": "", "total": "their product", "limit": "the cap"},
    ),
    "too_many_report_values": ErrorType(
        "the snapshots' pictures would hold more values than the cap",
        {
            "reports": "snapshots",
            "grid": "the grid's side",
            "hidden": "hidden neurons pictured",
            "total": "values",
            "limit": "the cap",
        },
    ),
    "too_many_gradients": ErrorType(
        "examples × parameters above the cap",
        {"examples": "", "parameters": "", "total": "their product", "limit": "the cap"},
    ),
    "too_many_parameters": ErrorType(
        "a gradient check on more parameters than the cap",
        {"parameters": "the network's", "limit": "the cap"},
    ),
    "non_finite": ErrorType("the numbers overflowed in the computation (msg says where)"),
    "not_exported": ErrorType(
        "a training field the PyTorch export does not reproduce (max_steps, optimizer_state, "
        "resume)"
    ),
    # An exercise's answers (POST /exercises/{id}/check): loc ["body", "answers", question].
    "unknown_question": ErrorType(
        "an answer to a question the exercise does not have",
        {"given": "the question id sent", "choices": "the exercise's question ids"},
    ),
    "not_a_sign": ErrorType(
        'a sign question\'s answer that is not "+", "-" or "0"',
        {"given": "the answer sent, when it is a string", "choices": "+, -, 0"},
    ),
    "not_an_option": ErrorType(
        "a choice question's answer that is not one of its options' values",
        {"given": "the answer sent, when it is a string", "choices": "the options' values"},
    ),
    "too_many_answers": ErrorType(
        "more answers than the cap (BACKPROP_VIZ_MAX_EXERCISE_ANSWERS)",
        {"limit": "the most answers a check takes", "got": "how many were sent"},
    ),
    # The request as a whole, and the server.
    "state_invalid": ErrorType(
        "a GET stream's `state` that is not a share link's state",
        {"reason": "empty, base64url, deflate, encoding, json or request: what is wrong"},
    ),
    "too_large": ErrorType("the body is over the cap", {"limit": "the cap in bytes"}, 413),
    "not_found": ErrorType(
        "no such path, preset, exercise or page",
        {"given": "the name sent, if any", "choices": "the names there are, if few"},
        404,
    ),
    "method_not_allowed": ErrorType("the path does not take this method", status=405),
    "format_not_offered": ErrorType(
        "oEmbed in a format other than json", {"given": "the format", "choices": "json"}, 501
    ),
    "http_error": ErrorType("any other HTTP error", {"status": "its status"}, 0),
    "disconnected": ErrorType("the client left before its body arrived", status=400),
    "cors_origin": ErrorType("this origin may not call the API cross-origin", status=403),
    "too_many_streams": ErrorType(
        "the server runs the most streams it may at once; Retry-After says when to retry",
        {"limit": "streams at once", "retry_after": "seconds"},
        503,
    ),
    "internal_error": ErrorType("a failure inside the server (logged)", status=500),
    # Pydantic's own, checking the body's types (its ctx passed through, JSON-safe): the kinds
    # the strict request models make; any other would be "invalid".
    "json_invalid": ErrorType(_PYDANTIC + "the body is not valid JSON", {"error": "where"}),
    "missing": ErrorType(_PYDANTIC + "a required field is missing (or the body is empty)"),
    "extra_forbidden": ErrorType(_PYDANTIC + "a field the request does not have"),
    "model_type": ErrorType(_PYDANTIC + "must be an object", {"class_name": "the model's name"}),
    "dict_type": ErrorType(_PYDANTIC + "must be an object (an exercise's answers)"),
    "list_type": ErrorType(_PYDANTIC + "must be a list"),
    "int_type": ErrorType(_PYDANTIC + "must be an integer"),
    "float_type": ErrorType(_PYDANTIC + "must be a number"),
    "finite_number": ErrorType(_PYDANTIC + "NaN or Infinity where a finite number is needed"),
    "bool_type": ErrorType(_PYDANTIC + "must be true or false"),
    "literal_error": ErrorType(
        _PYDANTIC + "a name that is not one of the choices",
        {"expected": "pydantic's text of the choices", "choices": "the names allowed"},
    ),
    "greater_than": ErrorType(_PYDANTIC + "must be greater than gt", {"gt": "the bound"}),
    "greater_than_equal": ErrorType(_PYDANTIC + "must be at least ge", {"ge": "the bound"}),
    "less_than_equal": ErrorType(_PYDANTIC + "must be at most le", {"le": "the bound"}),
    "invalid": ErrorType(_PYDANTIC + "any other problem pydantic finds; msg says what"),
}


class SpecError(ValueError):
    """An invalid network spec or trace request.

    `loc` is the path to the offending field, e.g. ("network", "weights", 0, 1, 0);
    `msg` says what is wrong in words a student can act on; `kind` is its ERROR_TYPES
    entry and `ctx` its parameters, from which a client words the message its own way.
    """

    def __init__(self, loc: tuple[str | int, ...], msg: str, kind: str, **ctx: Any) -> None:
        if kind not in ERROR_TYPES:
            raise KeyError(f"{kind!r} is not in ERROR_TYPES")
        super().__init__(f"{format_loc(loc)}: {msg}")
        self.loc = loc
        self.msg = msg
        self.kind = kind
        self.ctx = ctx


class NonFiniteError(ArithmeticError):
    """The computation overflowed: some z, a or gradient is not a finite number."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


def format_loc(loc: tuple[str | int, ...]) -> str:
    """("network", "weights", 0, 1) -> "network.weights[0][1]"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out
