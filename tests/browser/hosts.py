"""Host pages on a second origin: a tiny static server on another loopback port (and another
host name: localhost, while the app is at 127.0.0.1), serving pages generated per test that
load the app's /static/embed.js by absolute URL, as a course page on another site would."""

from __future__ import annotations

import contextlib
import functools
import html
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path

from tests.server import free_port

# In <head>, before any frame can load: every message this window receives, with its origin
# and the id of the iframe (or of the element holding it) whose window sent it.
RECORDER = """<script>
window.messages = [];
addEventListener("message", (e) => {
  const frame = [...document.querySelectorAll("iframe")].find((f) => f.contentWindow === e.source);
  const data = JSON.parse(JSON.stringify(e.data === undefined ? null : e.data));
  messages.push({origin: e.origin, frame: frame ? frame.id || frame.parentElement.id : null, data});
});
</script>"""

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>{title}</title>
{recorder}
</head>
<body>
{body}
<script src="{app}/static/embed.js"></script>
{script}
</body>
</html>
"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class HostSite:
    """A directory served on its own origin; page() writes a host page and returns its URL."""

    root: Path
    origin: str
    app: str  # the backprop-viz server's base URL
    _names: Iterator[int] = field(default_factory=count, init=False, repr=False)

    def page(self, body: str, script: str = "", title: str = "a course page") -> str:
        name = f"host-{next(self._names)}.html"
        text = TEMPLATE.format(
            title=html.escape(title), recorder=RECORDER, body=body, app=self.app, script=script
        )
        (self.root / name).write_text(text, encoding="utf-8")
        return f"{self.origin}/{name}"


@contextlib.contextmanager
def host_site(root: Path, app: str) -> Iterator[HostSite]:
    port = free_port()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HostSite(root, f"http://localhost:{port}", app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
