"""app.engine is the engine's whole face: the rest of the app imports from it alone, never
from one of its rooms, and everything it lists in __all__ is there."""

from __future__ import annotations

import ast
from pathlib import Path

import app.engine

APP = Path(app.engine.__file__).resolve().parents[1]


def test_the_app_imports_the_engine_from_app_engine_only() -> None:
    rooms = []
    for path in sorted(APP.rglob("*.py")):
        if path.is_relative_to(APP / "engine"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            rooms += [f"{path.relative_to(APP)}: {n}" for n in names if n.startswith("app.engine.")]
    assert rooms == []


def test_everything_the_face_lists_is_there() -> None:
    assert all(hasattr(app.engine, name) for name in app.engine.__all__)
    # A function of the face must not hide a room of the same name (import app.engine.x).
    for name in ("losses", "activations", "batch", "checks", "passes", "network"):
        assert not callable(getattr(app.engine, name, None)), name
