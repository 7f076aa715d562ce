"""The shell examples of README.md and docs/*.md, found, run and compared with the output
the docs show (tests/docs/test_shell_examples.py).

An example is a ```bash block that calls the API: `$B` (docs/api.md's base URL), or the
README's http://127.0.0.1:8000, or the oEmbed example's https://viz.example.edu, all pointed
at the test server. A document's examples run in order in one directory (api.md's first
makes step.json, the next ones read it). A block is cut into steps, each a command (lines
joined by a trailing backslash or an open quote) with its expected output: a comment after
it on its own lines, or at the end of its last line, when that comment reads as output (a
number, JSON, a quoted string); a ```json block right after the example is the output of
its last step. Prose comments ("# one event a line") are left alone.

The comparison reads the docs as people write them: `...` stands for anything (`[...]` a
list, `, ...` the rest of a list or object, `...` at the end the rest of the text), and a
number written with few digits (8.0e-11, 0.71) matches to those digits.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
HOSTS = ("$B", "http://127.0.0.1:8000", "https://viz.example.edu")
FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass
class Step:
    command: str
    expected: str | None = None  # None: nothing shown to compare with


@dataclass
class Example:
    document: str
    line: int
    steps: list[Step] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.document}:{self.line}"


def blocks(text: str) -> list[tuple[str, int, list[str]]]:
    """(language, first line number, lines) of each fenced block."""
    out: list[tuple[str, int, list[str]]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, body = i + 1, []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        out.append((m.group(1), start + 1, body))
        i += 1
    return out


def looks_like_output(text: str) -> bool:
    text = text.strip()
    return bool(re.match(r"""^(\{|\[|"|'|-?\d|true\b|false\b|null\b)""", text))


def _open_quote(text: str) -> bool:
    """A single-quoted shell string still open at the end of `text`."""
    return text.count("'") % 2 == 1


def steps_of(lines: list[str]) -> list[Step]:
    steps: list[Step] = []
    command: list[str] = []
    heredoc: str | None = None  # the word that ends a here-document the command holds
    for line in lines:
        if heredoc is not None:
            command.append(line)
            if line.strip() == heredoc:
                heredoc = None
                steps.append(_step("\n".join(command)))
                command = []
            continue
        if command and (command[-1].endswith("\\") or _open_quote("\n".join(command))):
            command.append(line)
            continue
        opened = re.search(r"<<-?\s*'?(\w+)'?", line)
        if opened and not line.lstrip().startswith("#"):
            if command:
                steps.append(_step("\n".join(command)))
            command, heredoc = [line], opened.group(1)
            continue
        stripped = line.strip()
        if stripped.startswith("#") and command:  # the command before it is complete
            steps.append(_step("\n".join(command)))
            command = []
        if stripped.startswith("#"):
            shown = stripped[1:].strip()
            if (steps and looks_like_output(shown)) or (steps and steps[-1].expected is not None):
                last = steps[-1]
                if last.expected is None:
                    last.expected = shown
                else:
                    last.expected += "\n" + shown
            continue
        if not stripped:
            continue
        if command:
            steps.append(_step("\n".join(command)))
        command = [line]
        if not (line.endswith("\\") or _open_quote(line)):
            steps.append(_step(line))
            command = []
    if command:
        steps.append(_step("\n".join(command)))
    return steps


def _step(command: str) -> Step:
    """A command, and the output its last line's comment shows, if that reads as output."""
    last = command.splitlines()[-1]
    m = re.search(r"\s#\s(.*)$", last)
    if m and "'" not in last[m.start() :] and looks_like_output(m.group(1)):
        return Step(command[: len(command) - len(last) + m.start()].rstrip(), m.group(1).strip())
    if m and "'" not in last[m.start() :]:  # prose
        return Step(command[: len(command) - len(last) + m.start()].rstrip())
    return Step(command)


def examples() -> list[Example]:
    found: list[Example] = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        fenced = blocks(text)
        for k, (language, line, body) in enumerate(fenced):
            code = "\n".join(line.split(" #")[0] for line in body if not line.startswith("#"))
            if language != "bash" or not any(host in code for host in HOSTS):
                continue
            example = Example(path.relative_to(ROOT).as_posix(), line, steps_of(body))
            after = fenced[k + 1] if k + 1 < len(fenced) else None
            if after and after[0] == "json" and _adjacent(text, line, body, after[1]):
                example.steps[-1].expected = "\n".join(after[2])
            found.append(example)
    return found


def _adjacent(text: str, line: int, body: list[str], next_line: int) -> bool:
    """The json block follows the example with at most one blank line between."""
    return next_line - (line + len(body)) <= 3


# ---- the comparison -------------------------------------------------------------------------

# This machine's own numbers, which an example can only show as an instance (the cost
# example's times: "the times as positive numbers, since they are this machine's").
MACHINES = {"seconds", "measured_seconds", "ratio", "cached"}


def _wild(text: str) -> str:
    """The docs' ellipses as JSON the parser reads: [...] and `...` values become a marker
    string, `, ...` before a closing bracket the rest-marker."""
    text = re.sub(r"\[\s*\.\.\.\s*\]", '"__ANY__"', text)
    text = re.sub(r",\s*\.\.\.\s*(?=[\]}])", ', "__REST__"', text)
    text = re.sub(r"(?<=[\[:,])\s*\.\.\.\s*(?=[,\]}])", ' "__ANY__"', text)
    text = re.sub(r'(?<=[{,])\s*"__REST__"\s*(?=})', ' "__REST__": "__REST__"', text)
    return text


def _digits(text: str) -> dict[float, float]:
    """Each number as the docs write it → how near the answer must be (half its last digit,
    for a number written with fewer than 12 significant digits; else exact)."""
    near: dict[float, float] = {}
    for token in re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", text):
        mantissa = re.sub(r"[eE].*", "", token).lstrip("-").replace(".", "").lstrip("0")
        value = float(token)
        if len(mantissa) < 12:
            exponent = re.search(r"[eE]([-+]?\d+)", token)
            decimals = len(token.split(".")[1].split("e")[0].split("E")[0]) if "." in token else 0
            unit = 10.0 ** (-decimals + (int(exponent.group(1)) if exponent else 0))
            near[value] = unit / 2 * 1.0000001
    return near


def matches(expected: str, actual: str) -> str | None:
    """None if `actual` is what `expected` shows, else why not."""
    near = _digits(expected)
    try:
        want = json.loads(_wild(expected))
    except json.JSONDecodeError:
        return _text_matches(expected, actual)
    try:
        got = json.loads(actual)
    except json.JSONDecodeError:
        lines = [json.loads(x) for x in actual.splitlines() if x.strip()] if actual else []
        got = lines[-1] if len(lines) == 1 else lines
    return _same(want, got, near, "$")


def _same(want: Any, got: Any, near: dict[float, float], where: str) -> str | None:
    if want == "__ANY__":
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{where}: an object was shown, got {str(got)[:80]}"
        rest = want.get("__REST__") == "__REST__"
        keys = [k for k in want if k != "__REST__"]
        if not rest and set(keys) != set(got):
            return f"{where}: keys {sorted(got)} instead of {sorted(keys)}"
        for k in keys:
            if k not in got:
                return f"{where}: no {k!r}"
            if k in MACHINES and type(got[k]) is type(want[k]):
                if isinstance(got[k], bool) or got[k] > 0:
                    continue
            why = _same(want[k], got[k], near, f"{where}.{k}")
            if why:
                return why
        return None
    if isinstance(want, list):
        if not isinstance(got, list):
            return f"{where}: a list was shown, got {str(got)[:80]}"
        rest = bool(want) and want[-1] == "__REST__"
        items = want[:-1] if rest else want
        if len(got) < len(items) or (not rest and len(got) != len(items)):
            return f"{where}: {len(got)} items, {len(items)} shown"
        for i, w in enumerate(items):
            why = _same(w, got[i], near, f"{where}[{i}]")
            if why:
                return why
        return None
    if isinstance(want, bool) or want is None or isinstance(want, str):
        return None if want == got else f"{where}: {got!r}, shown {want!r}"
    if isinstance(want, (int, float)) and isinstance(got, (int, float)):
        tol = near.get(float(want), 0.0)
        ok = got == want or (tol and math.isclose(got, want, abs_tol=tol, rel_tol=0))
        return None if ok else f"{where}: {got!r}, shown {want!r}"
    return f"{where}: {got!r}, shown {want!r}"


def _text_matches(expected: str, actual: str) -> str | None:
    """A shown text with `...` for what is left out: its pieces appear in order (JSON's
    spacing ignored)."""
    squash = re.compile(r"\s+")
    got = squash.sub("", actual)
    at = 0
    for piece in expected.split("..."):
        piece = squash.sub("", piece)
        if not piece:
            continue
        found = got.find(piece, at)
        if found < 0:
            return f"{piece[:60]!r} is not in the output (from {at}): {actual[:200]!r}"
        at = found + len(piece)
    return None


# ---- Python examples ------------------------------------------------------------------------

# What a document's Python examples may take as given: the server's address `B`, and
# docs/api.md's `step` (the worked example its first shell example saved as step.json).
PYTHON_PREAMBLE = """\
import json, os
from pathlib import Path
B = os.environ["B"]
if Path("step.json").exists():
    step = json.loads(Path("step.json").read_text())
"""


@dataclass
class PythonExample:
    document: str
    line: int
    code: str
    expected: str | None  # what the last expression shows, from the comment after it

    @property
    def id(self) -> str:
        return f"{self.document}:{self.line}"


def python_examples() -> list[PythonExample]:
    found: list[PythonExample] = []
    for path in DOCUMENTS:
        for language, line, body in blocks(path.read_text(encoding="utf-8")):
            if language != "python":
                continue
            code = list(body)
            shown: list[str] = []
            while code and code[-1].lstrip().startswith("# "):
                shown.insert(0, code.pop().lstrip()[2:])
            expected = "\n".join(shown) if shown and looks_like_output(shown[0]) else None
            found.append(
                PythonExample(path.relative_to(ROOT).as_posix(), line, "\n".join(code), expected)
            )
    return found


def runnable(code: str) -> str:
    """The example as a script that prints its last expression's repr (as a notebook or the
    REPL shows it), after the preamble."""
    import ast

    tree = ast.parse(code)
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body[-1]
        tree.body[-1] = ast.Expr(
            ast.Call(
                ast.Name("print", ast.Load()),
                [ast.Call(ast.Name("repr", ast.Load()), [last.value], [])],
                [],
            )
        )
        ast.fix_missing_locations(tree)
    return PYTHON_PREAMBLE + ast.unparse(tree)
