"""The layers' arrows point down: app/http (the wire room) imports nothing from app/api,
app/ops or app/web, and app/ops nothing from app/api (issue 16: ops and api imported each
other for the error item and dumps)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import app

APP = Path(app.__file__).resolve().parent


def imported(path: Path) -> list[str]:
    """Every module a file imports, at its top or inside a function."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            names.append(node.module or "")
        elif isinstance(node, ast.Import):
            names += [a.name for a in node.names]
    return names


def arrows(room: str, forbidden: tuple[str, ...]) -> list[str]:
    files = sorted((APP / room).rglob("*.py"))
    assert files, room  # the room is there: an empty walk would pass whatever happened
    return [
        f"{path.relative_to(APP)}: {name}"
        for path in files
        for name in imported(path)
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


@pytest.mark.parametrize(
    ("room", "forbidden"),
    [
        ("http", ("app.api", "app.ops", "app.web", "app.main")),
        ("ops", ("app.api", "app.main")),
    ],
)
def test_a_room_imports_nothing_from_the_rooms_above_it(
    room: str, forbidden: tuple[str, ...]
) -> None:
    assert arrows(room, forbidden) == []


def test_the_check_sees_an_arrow_up() -> None:
    # The same walk over app/api finds its imports of app/http: the check can fail.
    assert any(": app.http." in a for a in arrows("api", ("app.http",)))
