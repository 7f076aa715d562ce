"""The page reads every cap from GET /capabilities: no static/js module checks input against
a literal equal to a cap the server publishes (issue 16: the training form once took a test
ratio of 0.95 where the server's cap was 0.9).

A scan, not a parser: in each module (comments dropped), every number literal in a place
that checks or bounds input — a `max` attribute or key (`max="0.9"`, `{ max: 0.5 }`), an
operand of a comparison (`v < 64`), an argument of Math.min (a clamp to a largest value) — is
compared with the values of the `max_*` fields /capabilities publishes (their defaults). A
floor (`min`, Math.max) is no cap and is not scanned; nor is min_layers' 2, which is every
pair, half and binary choice in the drawing code. The few uses that equal a cap by chance
are listed below, each reviewed, by module and the text around the literal; an entry that no
longer matches fails too, so the list stays as short as the code needs.
"""

from __future__ import annotations

import re
from pathlib import Path

from app.api.capabilities import capabilities_of
from app.settings import Settings
from tests.server import ROOT

JS = ROOT / "static" / "js"
_NUM = r"(\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+)"
# The places that check input: each pattern's group 1 is the literal.
_CHECKS = [
    re.compile(r"\bmax(?:length)?\s*[:=]\s*[\"']?" + _NUM + r"(?![\w.])"),
    re.compile(r"(?<![=>])(?:[<>]=?|[!=]==?)\s*-?" + _NUM + r"(?![\w.])"),
    re.compile(r"(?<![\w.])" + _NUM + r"\s*(?:[<>]=?|[!=]==?)(?![>=])"),
    re.compile(r"Math\.min\(\s*" + _NUM + r"\s*,"),
    re.compile(r"Math\.min\([^()]*,\s*" + _NUM + r"\s*\)"),
]
# (module, text around the literal): reviewed uses that only equal a cap's value.
ALLOWED = {
    # a preset's name, not a request's cap
    ("page/host.js", "m.preset.length <= 100"),
    # 0.5: the middle of a probability, where a class's colour changes
    ("training/colors.js", "(t >= 0.5 ? 1 : 0)"),
    ("training/colors.js", "s >= 0.5 ? CLASS_RGB[1]"),
    # 1e6, 1e4: where a number's text turns to exponent form
    ("text/messages.js", "abs < 1e6"),
    ("text/format.js", "abs < 1e4"),
    ("text/format.js", "Math.abs(x) < 1e4"),
    # pixels
    ("panel/popover.js", "pick.y - h - 10 < 4"),
    # 10: the font size the amplifier's label was measured at
    ("drawing/layout.js", "(innerAt10 * f) / 10 <= room"),
}


def published_caps() -> dict[float, list[str]]:
    """Each value of a max_* field /capabilities publishes, and the fields that have it."""
    caps: dict[float, list[str]] = {}
    for name, value in capabilities_of(Settings()).model_dump()["limits"].items():
        if name.startswith("max_"):
            caps.setdefault(float(value), []).append(name)
    return caps


def _code(path: Path) -> str:
    """The module with its comments blanked (line numbers kept); strings stay: markup's
    attributes are in template strings."""
    blank = lambda m: re.sub(r"[^\n]", " ", m.group())  # noqa: E731
    text = re.sub(r"/\*.*?\*/", blank, path.read_text(), flags=re.S)
    return re.sub(r"(?<![:\"'`\\])//[^\n]*", "", text)


def _modules() -> list[Path]:
    # the bundle is built from these modules; vendor code is not the page's
    return sorted(p for p in JS.rglob("*.js") if "bundle" not in p.relative_to(JS).parts)


def literal_caps() -> tuple[list[str], set[tuple[str, str]]]:
    """Each literal in a checking place that equals a cap, and the allow-list entries seen."""
    caps = published_caps()
    found: list[str] = []
    seen: set[tuple[str, str]] = set()
    for path in _modules():
        module = path.relative_to(JS).as_posix()
        code = _code(path)
        for pattern in _CHECKS:
            for m in pattern.finditer(code):
                value = float(m.group(1).replace("_", ""))
                if value not in caps:
                    continue
                line = code.count("\n", 0, m.start()) + 1
                text = code.splitlines()[line - 1]
                allowed = {e for e in ALLOWED if e[0] == module and e[1] in text}
                if allowed:
                    seen |= allowed
                    continue
                found.append(f"{module}:{line}: {m.group().strip()!r} is {caps[value]}")
    return found, seen


def test_no_module_checks_input_against_a_literal_cap() -> None:
    found, _ = literal_caps()
    assert not found, "read these from the store's capabilities.limits:\n" + "\n".join(found)


def test_every_allowed_use_is_still_there() -> None:
    _, seen = literal_caps()
    assert seen == ALLOWED


def test_the_scan_finds_what_it_is_for(tmp_path: Path) -> None:
    """The scan itself, on the shapes a hard-coded cap took before issue 16."""
    caps = published_caps()
    samples = {
        'number("test-ratio", "test_ratio", { min: 0, max: 0.9 }, "data");': 0.9,
        '<input type="number" data-control="noise" min="0" max="0.5">': 0.5,
        "labels.every((v) => v >= 0 && v < 64)": 64,
        "const grid = Math.min(settings.grid, 100);": 100,
        "if (layers.length >= 10) return; // max_layers": 10,
    }
    for line, value in samples.items():
        assert value in caps
        hits = [m for p in _CHECKS for m in p.finditer(line) if float(m.group(1)) == value]
        assert hits, line
    for harmless in ("Math.max(120, box.width)", "{ min: 10 }", "x * 64", "// v < 64"):
        code = re.sub(r"(?<![:\"'`\\])//[^\n]*", "", harmless)
        assert not [m for p in _CHECKS for m in p.finditer(code) if float(m.group(1)) in caps]
