"""docs/exercises.md's examples are the server's: each request marked `<!-- example: … -->`
is sent to the real server, and its answer is the JSON the docs show after it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import httpx
import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "exercises.md"
EXAMPLE = re.compile(
    r"<!-- example: (\w+) -->\n```bash\n(.*?)\n```\n```json\n(.*?)\n```", flags=re.S
)


def examples() -> list[tuple[str, str, str, str]]:
    """(name, path, body, answer) of each marked example."""
    out = []
    for name, command, answer in EXAMPLE.findall(DOCS.read_text(encoding="utf-8")):
        words = shlex.split(command.replace("\\\n", " "))
        assert words[:4] == ["curl", "-s", "-X", "POST"], words
        path = words[4].removeprefix("$B")
        body = words[words.index("-d") + 1]
        out.append((name, path, body, answer))
    return out


def test_the_docs_have_both_examples() -> None:
    assert [name for name, *_ in examples()] == ["variant", "check"]


@pytest.mark.parametrize(("name", "path", "body", "answer"), examples(), ids=lambda x: str(x)[:20])
def test_an_example_is_what_the_server_answers(
    client: httpx.Client, name: str, path: str, body: str, answer: str
) -> None:
    r = client.post(path, content=body)
    assert r.status_code == 200, r.text
    assert r.json() == json.loads(answer), name
