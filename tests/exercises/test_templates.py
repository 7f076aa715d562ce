"""A template a teacher writes is checked when it is read: a broken one is a TemplateError
naming the file and the field (at import, so the server does not start), never a 500 at a
student's request. And the names the questions use are the page's (static/js's notation)."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from app.engine.limits import Limits
from app.exercises import (
    EXERCISES,
    TEMPLATES_DIR,
    TemplateError,
    UnfairTemplateError,
    load,
    read_template,
    read_templates,
)
from app.exercises.notation import a_name, bias_name, weight_name, z_name
from app.main import create_app
from app.settings import Settings
from tests.server import ROOT

GOOD: dict[str, Any] = json.loads((TEMPLATES_DIR / "update-2-2-1.json").read_text())


def broken(path: str, value: Any) -> dict[str, Any]:
    """GOOD with the field at `path` ("draw.input.max", "questions[0].target") set to
    `value`, or removed when value is ...."""
    t = copy.deepcopy(GOOD)
    parts = [
        int(p) if p.isdigit() else p for p in path.replace("[", ".").replace("]", "").split(".")
    ]
    node = t
    for p in parts[:-1]:
        node = node[p]
    if value is ...:
        del node[parts[-1]]
    else:
        node[parts[-1]] = value
    return t


Q = {"quantity": "z", "layer": 1, "neuron": 1}
CASES = [
    ("move", "backprop", "move", "must be one of"),
    ("title.zh-TW", "", "title.zh-TW", "non-empty"),
    ("draw.input", ..., "draw", "needs 'input'"),
    ("draw.input.max", "1", "draw.input.max", "finite number"),
    ("draw.input.digits", 7, "draw.input.digits", "from 0 to 4"),
    ("draw.input", {"min": 0, "max": 0.1, "digits": 1}, "draw.input", "fewer than 2"),
    ("draw.weights", [{"min": -1, "max": 1, "digits": 1}], "draw.weights", "one entry per layer"),
    ("draw.input", {"fixed": [1, 2, 3]}, "draw.input.fixed", "shape [2]"),
    (
        "draw.learning_rate",
        {"min": -1, "max": 1, "digits": 1, "zero": True},
        "draw.learning_rate",
        "greater than 0",
    ),
    ("draw.target", {"one_hot": True}, "draw.target", "two or more outputs"),
    ("network.activations", ["sigmoid", "softmax"], "network.loss", "cross_entropy"),
    ("network.layers", [2, 0, 1], "network.layers[1]", "from 1 to"),
    ("network", {"preset": "nope"}, "network.preset", "no preset"),
    ("questions", [], "questions", "1 to 32"),
    ("questions[0].kind", "essay", "questions[0].kind", "must be one of"),
    ("questions[0].target.quantity", "dl_dx", "questions[0].target.quantity", "must be one of"),
    ("questions[0].target.layer", 3, "questions[0].target.layer", "from 1 to 2"),
    ("questions[0].target.neuron", 3, "questions[0].target.neuron", "from 1 to 1"),
    ("questions[0].target.from", ..., "questions[0].target", "needs from"),
    ("questions[0].target", {**Q, "from": 1}, "questions[0].target.from", "only a weight"),
    ("questions[0].target", {"quantity": "loss", "layer": 1}, "questions[0].target", "no layer"),
    ("questions[1].id", "q1", "questions[1].id", "used twice"),
    ("questions[1].id", "q 2", "questions[1].id", "letters, digits"),
    ("questions[1].tolerance", {"abs": 0, "rel": 0.1}, "questions[1].tolerance", "abs > 0"),
    ("questions[3].tolerance", {"abs": 1e-3, "rel": 0}, "questions[3].tolerance", "only a number"),
    ("questions[3].target", {"quantity": "loss"}, "questions[3].target", "never negative"),
    ("questions[4].options", [Q], "questions[4].options", "2 to 8"),
    ("questions[4].options", [Q, {**Q, "quantity": "a"}], "questions[4].options", "one quantity"),
    ("questions[4].options", [Q, Q], "questions[4].options", "same value twice"),
    ("questions[4].target", Q, "questions[4].target", "a choice has options"),
    ("questions[0].answer", 1, "questions[0]", "no field 'answer'"),
]


@pytest.mark.parametrize(("path", "value", "where", "says"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_template_names_its_file_and_field(
    path: str, value: Any, where: str, says: str
) -> None:
    with pytest.raises(TemplateError) as caught:
        read_template(broken(path, value), "templates/update-2-2-1.json")
    assert caught.value.source == "templates/update-2-2-1.json"
    assert caught.value.where == where, str(caught.value)
    assert says in caught.value.msg, str(caught.value)


def test_the_good_template_reads() -> None:
    assert read_template(GOOD, "x").questions == EXERCISES["update-2-2-1"].questions


def write(folder: Path, name: str, template: Any) -> None:
    (folder / name).write_text(json.dumps(template) if not isinstance(template, str) else template)


def test_a_broken_file_stops_the_loading(tmp_path: Path) -> None:
    write(tmp_path, "update-2-2-1.json", GOOD)
    assert list(load(tmp_path)) == ["update-2-2-1"]
    write(tmp_path, "other.json", GOOD)  # its id is not its file's name
    with pytest.raises(TemplateError, match=r"other\.json: id: must be the file's name"):
        read_templates(tmp_path)
    write(tmp_path, "other.json", "{not json")
    with pytest.raises(TemplateError, match=r"other\.json: is not valid JSON"):
        read_templates(tmp_path)


def test_a_template_whose_questions_are_always_degenerate_fails_at_load(tmp_path: Path) -> None:
    """Fixed values whose ∂l/∂z is 0 (the target is the output): no fair draw exists."""
    t = broken(
        "questions",
        [{"id": "q1", "kind": "number", "target": {"quantity": "dl_dz", "layer": 1, "neuron": 1}}],
    )
    t["id"] = "stuck"
    t["network"] = {"layers": [1, 1], "activations": ["linear"], "loss": "squared_error"}
    t["draw"] = {
        "weights": {"fixed": [[[1.0]]]},
        "biases": {"fixed": [[0.0]]},
        "input": {"fixed": [0.5]},
        "target": {"fixed": [0.5]},
        "learning_rate": {"fixed": 0.5},
    }
    write(tmp_path, "stuck.json", t)
    with pytest.raises(UnfairTemplateError, match=r"stuck\.json"):
        load(tmp_path)


def test_the_server_does_not_start_below_what_an_exercise_needs() -> None:
    most = max(len(e.questions) for e in EXERCISES.values())
    with pytest.raises(ValueError, match="BACKPROP_VIZ_MAX_EXERCISE_ANSWERS"):
        create_app(Settings(limits=Limits(max_exercise_answers=most - 1)))
    with pytest.raises(ValueError, match="BACKPROP_VIZ_MAX_ABS_VALUE"):
        create_app(Settings(limits=Limits(max_abs_value=0.5)))
    create_app(Settings(limits=Limits(max_exercise_answers=most)))


NOTATION_JS = """
const [file] = process.argv.slice(2);
const m = await import(file);
const out = [];
for (let l = 1; l <= 3; l++) for (let j = 0; j < 12; j++) {
  out.push([l, j + 1, m.zName(l, j), m.aName(l, j), m.biasName(l, j)]);
  for (let i = 0; i < 12; i++) out.push([l, j + 1, i + 1, m.weightName(l, j, i)]);
}
out.push([0, 2, m.aName(0, 1)]);
console.log(JSON.stringify(out));
"""


def test_names_are_written_as_the_page_writes_them(tmp_path: Path) -> None:
    """The page's notation module (wherever static/js keeps it) and ours give the same names,
    the two-digit case (w¹₁₀,₂) included."""
    (module,) = [
        p
        for p in (ROOT / "static" / "js").rglob("*.js")
        if "export function weightName" in p.read_text()
    ]
    script = tmp_path / "names.mjs"
    script.write_text(NOTATION_JS)
    out = subprocess.run(
        ["node", str(script), module.as_uri()], capture_output=True, text=True, check=True
    )
    for row in json.loads(out.stdout):
        if len(row) == 5:
            l, j, z, a, b = row
            assert (z, a, b) == (z_name(l, j), a_name(l, j), bias_name(l, j))
        elif len(row) == 4:
            l, j, i, w = row
            assert w == weight_name(l, j, i)
        else:
            assert row[2] == a_name(0, 2) == "x₂"
