"""The JavaScript examples that call the API (`${B}`: reading a stream with fetch and with
EventSource, in docs/api.md and docs/training.md) run in Chromium on a page of the real
server, with `B`, `step` (the worked example) and `run` (training.md's xor.json) defined;
what they log is the stream the server sends for the same request over POST, the events of
the types they listen to. (docs/embedding.md's host-page example is run by
tests/browser/test_embed_host.py's host pages.)"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.docs.examples import DOCUMENTS, ROOT, blocks

JS = [
    (path.relative_to(ROOT).as_posix(), line, "\n".join(body))
    for path in DOCUMENTS
    for language, line, body in blocks(path.read_text(encoding="utf-8"))
    if language in ("js", "javascript") and "${B}" in "\n".join(body)
]

# The example in an async function, console.log captured; resolves once the stream's done
# event has been logged (an EventSource example returns before its events arrive).
RUN = """async ([code, B, step, run]) => {
  const logged = [];
  const log = (...args) => logged.push(args);
  const done = new Promise((resolve) => { window.__done = resolve; });
  const console = { log: (...args) => { log(...args);
    if (args.some((a) => a && a.type === "done")) window.__done(); } };
  await (new Function("B", "step", "run", "console",
    `return (async () => {\\n${code}\\n})();`))(B, step, run, console);
  await Promise.race([done, new Promise((r) => setTimeout(r, 20000))]);
  return logged;
}"""


def training_run() -> dict[str, Any]:
    """The body docs/training.md's first example writes to xor.json."""
    text = (ROOT / "docs" / "training.md").read_text(encoding="utf-8")
    return json.loads(text.split("cat > xor.json <<'JSON'\n", 1)[1].split("\nJSON\n", 1)[0])


def test_the_js_examples_are_found() -> None:
    assert len(JS) >= 3 and {doc for doc, _, _ in JS} == {"docs/api.md", "docs/training.md"}


@pytest.mark.parametrize(("document", "line", "code"), JS, ids=[f"{d}:{n}" for d, n, _ in JS])
def test_a_js_example_logs_the_servers_stream(
    page: Page, api: httpx.Client, base_url: str, document: str, line: int, code: str
) -> None:
    step = api.get("/api/v1/presets/worked-example-2-2-2").json()
    run = training_run()
    path, body = ("train/stream", run) if "train/stream" in code else ("trace/stream", step)
    answer = api.post(f"/api/v1/{path}", json=body).text.splitlines()
    posted = [json.loads(x) for x in answer]
    logged: list[list[Any]] = page.evaluate(RUN, [code, base_url.rstrip("/"), step, run])
    events = [args[-1] for args in logged]  # console.log(event) or console.log(type, event)
    listened = {e["type"] for e in events}
    assert "done" in listened
    assert events == [e for e in posted if e["type"] in listened]
    for args in logged:
        if len(args) == 2:  # the EventSource example names each event by its type
            assert args[0] == args[1]["type"]
