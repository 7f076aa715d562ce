"""The page's pure modules (store, timeline, link encoding, export) under node's built-in
test runner: no bundler, no browser. Each tests/js/*.test.mjs file is one node test file."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

JS_TESTS = Path(__file__).resolve().parent / "js"
FILES = sorted(JS_TESTS.glob("*.test.mjs"))


def test_node_is_installed() -> None:
    assert shutil.which("node"), "node is needed for the page's unit tests (apt install nodejs)"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_js_units(path: Path) -> None:
    node = shutil.which("node")
    assert node, "node is needed for the page's unit tests (apt install nodejs)"
    done = subprocess.run(
        [node, "--test", "--test-reporter=spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=JS_TESTS.parent.parent,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
