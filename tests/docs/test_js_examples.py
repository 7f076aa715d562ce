"""The JavaScript examples that call the API (`${B}`: docs/api.md's reading a stream with
fetch and with EventSource) run in Chromium on a page of the real server, with `B` and
`step` (the worked example) defined; what they log is the stream the server sends for the
same request over POST. (docs/embedding.md's host-page example is run by
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
RUN = """async ([code, B, step]) => {
  const logged = [];
  const log = (...args) => logged.push(args);
  const done = new Promise((resolve) => { window.__done = resolve; });
  const console = { log: (...args) => { log(...args);
    if (args.some((a) => a && a.type === "done")) window.__done(); } };
  await (new Function("B", "step", "console",
    `return (async () => {\\n${code}\\n})();`))(B, step, console);
  await Promise.race([done, new Promise((r) => setTimeout(r, 20000))]);
  return logged;
}"""


def test_the_js_examples_are_found() -> None:
    assert len(JS) >= 2 and {doc for doc, _, _ in JS} == {"docs/api.md"}


@pytest.mark.parametrize(("document", "line", "code"), JS, ids=[f"{d}:{n}" for d, n, _ in JS])
def test_a_js_example_logs_the_servers_stream(
    page: Page, api: httpx.Client, base_url: str, document: str, line: int, code: str
) -> None:
    step = api.get("/api/v1/presets/worked-example-2-2-2").json()
    posted = [json.loads(x) for x in api.post("/api/v1/trace/stream", json=step).text.splitlines()]
    logged: list[list[Any]] = page.evaluate(RUN, [code, base_url.rstrip("/"), step])
    events = [args[-1] for args in logged]  # console.log(event) or console.log(type, event)
    assert events == posted
    for args in logged:
        if len(args) == 2:  # the EventSource example names each event by its type
            assert args[0] == args[1]["type"]
