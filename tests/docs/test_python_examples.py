"""Every Python example of README.md and docs/ runs (after the same document's shell
examples, in the same directory: the generated client, step.json) against a real server,
and its last expression is what the comment under it shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.examples import ROOT, PythonExample, matches, python_examples, runnable
from tests.docs.test_shell_examples import BY_DOCUMENT, here, run_shell_examples

EXAMPLES = python_examples()


def test_the_python_examples_are_found() -> None:
    documents = {e.document for e in EXAMPLES}
    assert {"README.md", "docs/api.md", "docs/exercises.md"} <= documents
    assert sum(e.expected is not None for e in EXAMPLES) >= 1


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_a_python_example_runs_and_shows_what_the_doc_shows(
    example: PythonExample, base_url: str, tmp_path: Path
) -> None:
    if example.document in BY_DOCUMENT:  # what the document's shell examples made
        assert run_shell_examples(example.document, base_url, tmp_path) == []
    env = {
        **os.environ,
        "B": base_url,
        "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}",
    }
    code = here(runnable(example.code), base_url)
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    if example.expected is not None:
        # The shown value as the example computes it: its addresses are not the server's.
        why = matches(example.expected, done.stdout.strip().splitlines()[-1])
        assert why is None, why
