"""Reading exercise templates: JSON files a teacher writes (docs/exercises.md), checked when
the package is imported, so that a broken template stops the server at startup with a
message naming the file and the field, never a 500 at request time."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from app.engine import LOSSES, PRESETS, Limits, Network, SpecError
from app.exercises.prompts import choice_prompt, number_prompt, sign_prompt
from app.exercises.targets import QUANTITIES, WEIGHTED, Target
from app.exercises.template import (
    DEFAULT_TOLERANCE,
    KINDS,
    MOVES,
    Draw,
    Exercise,
    Question,
    Tolerance,
)

FIELDS = ("weights", "biases", "input", "target", "learning_rate")
LANGUAGES = ("en", "zh-TW")
MAX_DIGITS = 4  # a value drawn with more decimals is no longer one a student works with
MAX_QUESTIONS = 32
MAX_OPTIONS = 8
EXERCISE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
QUESTION_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


class TemplateError(ValueError):
    """A template that cannot be used: which file, which field, what is wrong."""

    def __init__(self, source: str, where: str, msg: str) -> None:
        super().__init__(f"{source}: {where}: {msg}" if where else f"{source}: {msg}")
        self.source = source
        self.where = where
        self.msg = msg


class _Reader:
    """Checks one template's JSON, field by field, naming the first problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, msg: str) -> TemplateError:
        return TemplateError(self.source, where, msg)

    def obj(
        self, raw: Any, where: str, required: Sequence[str], optional: Sequence[str] = ()
    ) -> Mapping[str, Any]:
        if not isinstance(raw, Mapping):
            raise self.fail(where, "must be an object")
        for key in required:
            if key not in raw:
                raise self.fail(where, f"needs {key!r}")
        unknown = set(raw) - set(required) - set(optional)
        if unknown:
            raise self.fail(where, f"has no field {sorted(unknown)[0]!r}")
        return raw

    def whole(self, raw: Any, where: str, low: int, high: int) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise self.fail(where, f"must be a whole number from {low} to {high}")
        return raw

    def real(self, raw: Any, where: str) -> float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise self.fail(where, "must be a finite number")
        return float(raw)

    def text(self, raw: Any, where: str) -> dict[str, str]:
        self.obj(raw, where, LANGUAGES)
        for lang in LANGUAGES:
            if not isinstance(raw[lang], str) or not raw[lang].strip():
                raise self.fail(f"{where}.{lang}", "must be a non-empty text")
        return {lang: raw[lang] for lang in LANGUAGES}


def read_template(raw: Any, source: str, expected_id: str | None = None) -> Exercise:
    """An Exercise from a template's JSON, or a TemplateError naming the problem."""
    r = _Reader(source)
    r.obj(raw, "", ("id", "move", "title", "network", "draw", "questions"))
    ex_id = raw["id"]
    if not isinstance(ex_id, str) or not EXERCISE_ID.fullmatch(ex_id) or len(ex_id) > 64:
        raise r.fail("id", "must be lower-case words joined by '-', e.g. forward-2-2-1")
    if expected_id is not None and ex_id != expected_id:
        raise r.fail("id", f"must be the file's name, {expected_id!r}")
    if raw["move"] not in MOVES:
        raise r.fail("move", f"must be one of {', '.join(MOVES)}")
    title = r.text(raw["title"], "title")
    layers, activations, loss = _read_network(r, raw["network"])
    L = len(layers) - 1
    draw = r.obj(raw["draw"], "draw", FIELDS)
    shapes = [(layers[l], layers[l - 1]) for l in range(1, L + 1)]
    weights = _read_layers(r, draw["weights"], "draw.weights", shapes)
    biases = _read_layers(r, draw["biases"], "draw.biases", [(s[0],) for s in shapes])
    x = _read_draw(r, draw["input"], "draw.input", (layers[0],))
    t = _read_draw(r, draw["target"], "draw.target", (layers[-1],), one_hot=True)
    eta = _read_draw(r, draw["learning_rate"], "draw.learning_rate", ())
    _check_targets(r, t, loss, layers[-1])
    if not _lowest(eta) > 0:
        raise r.fail("draw.learning_rate", "η must be greater than 0")
    questions = _read_questions(r, raw["questions"], layers)
    return Exercise(
        ex_id,
        raw["move"],
        title,
        tuple(layers),
        tuple(activations),
        loss,
        tuple(weights),
        tuple(biases),
        x,
        t,
        eta,
        questions,
        source,
    )


def _read_network(r: _Reader, raw: Any) -> tuple[list[int], list[str], str]:
    if isinstance(raw, Mapping) and "preset" in raw:
        r.obj(raw, "network", ("preset",))
        preset = PRESETS.get(raw["preset"])
        if preset is None:
            raise r.fail("network.preset", f"no preset named {raw['preset']!r}")
        raw = {k: preset.request["network"][k] for k in ("layers", "activations", "loss")}
    r.obj(raw, "network", ("layers", "activations", "loss"))
    try:
        network = Network.from_spec({**raw, "init": "zeros"}, Limits())
    except SpecError as exc:
        raise r.fail(str(exc).split(":")[0], exc.msg) from None
    if "softmax" in network.activations and network.loss != "cross_entropy":
        raise r.fail("network.loss", "a softmax output is explained with cross_entropy only")
    return list(network.layers), list(network.activations), network.loss


def _read_layers(r: _Reader, raw: Any, where: str, shapes: Sequence[tuple[int, ...]]) -> list[Draw]:
    """One Draw per layer: one spec for every layer, or a list of one per layer."""
    if isinstance(raw, list):
        if len(raw) != len(shapes):
            raise r.fail(where, f"needs one entry per layer l = 1 … {len(shapes)}")
        return [
            _read_draw(r, d, f"{where}[{l}]", s)
            for l, (d, s) in enumerate(zip(raw, shapes, strict=True))
        ]
    if isinstance(raw, Mapping) and "fixed" in raw:
        r.obj(raw, where, ("fixed",))
        fixed = raw["fixed"]
        if not isinstance(fixed, list) or len(fixed) != len(shapes):
            raise r.fail(f"{where}.fixed", f"needs one entry per layer l = 1 … {len(shapes)}")
        return [
            _read_draw(r, {"fixed": f}, f"{where}.fixed[{l}]", s)
            for l, (f, s) in enumerate(zip(fixed, shapes, strict=True))
        ]
    return [_read_draw(r, raw, where, s) for s in shapes]


def _read_draw(
    r: _Reader, raw: Any, where: str, shape: tuple[int, ...], one_hot: bool = False
) -> Draw:
    if isinstance(raw, Mapping) and "fixed" in raw:
        r.obj(raw, where, ("fixed",))
        try:
            fixed = np.asarray(raw["fixed"], dtype=np.float64)
        except (TypeError, ValueError):
            raise r.fail(f"{where}.fixed", "must hold numbers only") from None
        if fixed.shape != shape:
            raise r.fail(
                f"{where}.fixed", f"must have shape {list(shape)}, got {list(fixed.shape)}"
            )
        if not np.isfinite(fixed).all():
            raise r.fail(f"{where}.fixed", "must hold finite numbers")
        return Draw(fixed=raw["fixed"])
    if one_hot and isinstance(raw, Mapping) and "one_hot" in raw:
        r.obj(raw, where, ("one_hot",))
        if raw["one_hot"] is not True:
            raise r.fail(f"{where}.one_hot", "must be true")
        return Draw(one_hot=True)
    r.obj(raw, where, ("min", "max", "digits"), ("zero",))
    digits = r.whole(raw["digits"], f"{where}.digits", 0, MAX_DIGITS)
    low_value, high_value = r.real(raw["min"], f"{where}.min"), r.real(raw["max"], f"{where}.max")
    scale = 10**digits
    low, high = math.ceil(round(low_value * scale, 6)), math.floor(round(high_value * scale, 6))
    zero = raw.get("zero", False)
    if not isinstance(zero, bool):
        raise r.fail(f"{where}.zero", "must be true or false")
    count = high - low + 1 - (0 if zero or not low <= 0 <= high else 1)
    if count < 2:
        raise r.fail(where, f"gives fewer than 2 values with {digits} digits")
    return Draw(low, high, digits, zero)


def _lowest(d: Draw) -> float:
    if d.fixed is not None:
        return float(np.min(np.asarray(d.fixed, dtype=np.float64)))
    if d.one_hot:
        return 0.0
    low = d.low if d.zero or d.low != 0 else 1
    return low / 10**d.digits


def _check_targets(r: _Reader, t: Draw, loss: str, outputs: int) -> None:
    if LOSSES[loss].targets_in_unit_interval and not (_lowest(t) >= 0 and _highest(t) <= 1):
        raise r.fail("draw.target", f"{loss} needs targets in [0, 1]")
    if loss == "cross_entropy":
        fixed_sum = t.fixed is not None and math.isclose(float(np.sum(t.fixed)), 1.0)
        if not (t.one_hot or fixed_sum):
            raise r.fail(
                "draw.target", "cross_entropy takes a one-hot target (or fixed ones summing to 1)"
            )
    if t.one_hot and outputs < 2:
        raise r.fail("draw.target", "a one-hot target needs two or more outputs")


def _highest(d: Draw) -> float:
    if d.fixed is not None:
        return float(np.max(np.asarray(d.fixed, dtype=np.float64)))
    if d.one_hot:
        return 1.0
    return d.high / 10**d.digits


def _read_target(r: _Reader, raw: Any, where: str, layers: list[int]) -> Target:
    r.obj(raw, where, ("quantity",), ("layer", "neuron", "from"))
    q = raw["quantity"]
    if q not in QUANTITIES:
        raise r.fail(f"{where}.quantity", f"must be one of {', '.join(QUANTITIES)}")
    if q == "loss":
        if set(raw) != {"quantity"}:
            raise r.fail(where, "the loss has no layer, neuron or from")
        return Target("loss")
    L = len(layers) - 1
    if "layer" not in raw or "neuron" not in raw:
        raise r.fail(where, f"{q} needs a layer and a neuron")
    l = r.whole(raw["layer"], f"{where}.layer", 1, L)
    j = r.whole(raw["neuron"], f"{where}.neuron", 1, layers[l])
    if q in WEIGHTED:
        if "from" not in raw:
            raise r.fail(where, f"{q} needs from: the neuron of layer {l - 1} the weight starts at")
        return Target(q, l, j, r.whole(raw["from"], f"{where}.from", 1, layers[l - 1]))
    if "from" in raw:
        raise r.fail(f"{where}.from", f"only a weight's quantity (dl_dw, w_next) has from, not {q}")
    return Target(q, l, j)


def _read_questions(r: _Reader, raw: Any, layers: list[int]) -> tuple[Question, ...]:
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_QUESTIONS:
        raise r.fail("questions", f"must be a list of 1 to {MAX_QUESTIONS} questions")
    out: list[Question] = []
    for n, q in enumerate(raw):
        where = f"questions[{n}]"
        r.obj(q, where, ("id", "kind"), ("target", "options", "tolerance", "prompt"))
        if not isinstance(q["id"], str) or not QUESTION_ID.fullmatch(q["id"]):
            raise r.fail(f"{where}.id", "must be 1 to 32 letters, digits, '_' or '-'")
        if any(q["id"] == other.id for other in out):
            raise r.fail(f"{where}.id", f"{q['id']!r} is used twice")
        kind = q["kind"]
        if kind not in KINDS:
            raise r.fail(f"{where}.kind", f"must be one of {', '.join(KINDS)}")
        prompt = r.text(q["prompt"], f"{where}.prompt") if "prompt" in q else None
        if kind == "choice":
            out.append(_read_choice(r, q, where, layers, prompt))
            continue
        if "options" in q:
            raise r.fail(f"{where}.options", "only a choice has options")
        if "target" not in q:
            raise r.fail(where, "needs 'target'")
        target = _read_target(r, q["target"], f"{where}.target", layers)
        if kind == "sign":
            if target.quantity == "loss":
                raise r.fail(f"{where}.target", "the loss is never negative: ask its value")
            if "tolerance" in q:
                raise r.fail(f"{where}.tolerance", "only a number has a tolerance")
            out.append(Question(q["id"], kind, target, prompt or sign_prompt(target)))
            continue
        tolerance = DEFAULT_TOLERANCE
        if "tolerance" in q:
            tol = r.obj(q["tolerance"], f"{where}.tolerance", ("abs", "rel"))
            t_abs = r.real(tol["abs"], f"{where}.tolerance.abs")
            t_rel = r.real(tol["rel"], f"{where}.tolerance.rel")
            if t_abs <= 0 or not 0 <= t_rel < 0.5:
                raise r.fail(f"{where}.tolerance", "needs abs > 0 and 0 ≤ rel < 0.5")
            tolerance = Tolerance(t_abs, t_rel)
        out.append(Question(q["id"], kind, target, prompt or number_prompt(target), tolerance))
    return tuple(out)


def _read_choice(
    r: _Reader, q: Mapping[str, Any], where: str, layers: list[int], prompt: dict[str, str] | None
) -> Question:
    for key in ("target", "tolerance"):
        if key in q:
            raise r.fail(f"{where}.{key}", f"a choice has options, not a {key}")
    raw = q.get("options")
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_OPTIONS:
        raise r.fail(f"{where}.options", f"must be a list of 2 to {MAX_OPTIONS} targets")
    options = [_read_target(r, o, f"{where}.options[{k}]", layers) for k, o in enumerate(raw)]
    quantities = {o.quantity for o in options}
    if len(quantities) != 1 or "loss" in quantities:
        raise r.fail(f"{where}.options", "must be targets of one quantity, not the loss")
    if len(set(options)) != len(options):
        raise r.fail(f"{where}.options", "names the same value twice")
    layer = {o.layer for o in options}
    shared = Target(options[0].quantity, layer.pop() if len(layer) == 1 else None)
    return Question(
        q["id"], "choice", shared, prompt or choice_prompt(options), options=tuple(options)
    )


def read_templates(folder: Path) -> dict[str, Exercise]:
    """Every *.json template in `folder`, by id, in the order of the lecture's moves."""
    found: list[Exercise] = []
    for path in sorted(folder.glob("*.json")):
        source = f"{folder.name}/{path.name}"
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise TemplateError(source, "", f"is not valid JSON: {exc}") from None
        found.append(read_template(raw, source, expected_id=path.stem))
    if not found:
        raise TemplateError(folder.name, "", "holds no template")
    found.sort(key=lambda e: MOVES.index(e.move))  # stable: by name within a move
    return {e.id: e for e in found}
