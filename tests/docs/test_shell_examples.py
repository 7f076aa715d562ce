"""Every shell example of README.md and docs/ that calls the API runs against a real server
and prints what the docs show (tests/docs/examples.py says how examples and their shown
output are found and compared). A document's examples run in order in one directory, with
the test venv's python and tools (jq, curl, openapi-python-client) on PATH."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.docs.examples import HOSTS, Example, examples, matches

BY_DOCUMENT: dict[str, list[Example]] = defaultdict(list)
for _example in examples():
    BY_DOCUMENT[_example.document].append(_example)


def test_the_examples_are_found() -> None:
    """The examples the docs are known to hold: a parser that finds none tests nothing."""
    assert {"README.md", "docs/api.md", "docs/exercises.md", "docs/embedding.md"} <= set(
        BY_DOCUMENT
    )
    steps = [s for group in BY_DOCUMENT.values() for e in group for s in e.steps]
    assert len(steps) >= 25
    assert sum(s.expected is not None for s in steps) >= 10


def here(text: str, base_url: str) -> str:
    """The docs' server addresses (as written, and URL-encoded in a query) as the test's."""
    for host in HOSTS[1:]:
        text = text.replace(host, base_url.rstrip("/"))
        text = text.replace(quote(host, safe=""), quote(base_url.rstrip("/"), safe=""))
    return text


@pytest.mark.parametrize("document", sorted(BY_DOCUMENT))
def test_a_documents_shell_examples_print_what_it_shows(
    document: str, base_url: str, tmp_path: Path
) -> None:
    failures = run_shell_examples(document, base_url, tmp_path)
    assert not failures, "\n".join(failures)


def run_shell_examples(document: str, base_url: str, where_to: Path) -> list[str]:
    """Run a document's shell examples in order in `where_to`; what went wrong, if anything."""
    tmp_path = where_to
    env = {
        **os.environ,
        "B": base_url,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    failures: list[str] = []
    for example in BY_DOCUMENT[document]:
        for step in example.steps:
            command, expected = here(step.command, base_url), step.expected
            expected = None if expected is None else here(expected, base_url)
            done = subprocess.run(
                ["bash", "-c", "set -eo pipefail\n" + command],
                cwd=tmp_path,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            where = f"{example.id}: {command.splitlines()[0][:90]}"
            if done.returncode != 0:
                failures.append(f"{where}\n  exit {done.returncode}: {done.stderr[-500:]}")
                continue
            quiet = "> " in command or re.match(r"^\w+=\S+$", command)  # a file, a variable
            if not done.stdout.strip() and not quiet:
                failures.append(f"{where}\n  printed nothing")
                continue
            if expected is not None:
                why = matches(expected, done.stdout)
                if why:
                    failures.append(f"{where}\n  {why}")
    return failures
