"""Debian's nginx as an ordinary process, running deploy/nginx.conf in front of app processes
started by the test."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.server import ROOT, free_port, stop, wait_until_serving

NGINX = "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx.conf"
# The only names the template's envsubst fills in (deploy/compose.yaml passes the same list).
PLACEHOLDERS = ("BACKPROP_VIZ_UPSTREAM", "NGINX_PORT")


def render(template: str, values: dict[str, str]) -> str:
    """`envsubst '$BACKPROP_VIZ_UPSTREAM $NGINX_PORT'`: those names in either spelling,
    ${NAME} or $NAME, and nothing else, so nginx's own $host etc. stay."""
    assert set(values) == set(PLACEHOLDERS), values
    names = "|".join(PLACEHOLDERS)
    return re.sub(
        rf"\$\{{({names})\}}|\$({names})\b",
        lambda m: values[m.group(1) or m.group(2)],
        template,
    )


@dataclass
class Nginx:
    base: str  # http://127.0.0.1:<port>
    prefix: Path
    process: subprocess.Popen
    output: Path  # access log (stdout) and error log (stderr)

    def log(self) -> str:
        return self.output.read_text(errors="replace")


@contextlib.contextmanager
def running_nginx(backends: list[str], prefix: Path, timeout: float = 15.0) -> Iterator[Nginx]:
    """nginx with deploy/nginx.conf in front of `backends` (base URLs), on a free loopback
    port, everything it writes under `prefix`; stopped after."""
    upstream = " ".join(f"server {b.removeprefix('http://')};" for b in backends)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text(
        render(
            TEMPLATE.read_text(),
            {"BACKPROP_VIZ_UPSTREAM": upstream, "NGINX_PORT": f"127.0.0.1:{port}"},
        )
    )
    directives = "daemon off;"
    if os.geteuid() == 0:
        # As root, nginx would run its workers as www-data, who cannot enter pytest's
        # private temporary directory to write buffered answers.
        directives += " user root;"
    output = prefix / "nginx.log"
    # Append mode: the access log (nginx reopens /dev/stdout with O_APPEND) and the error
    # log (stderr, this descriptor) share the file; written at a private offset, an error line
    # would overwrite access lines.
    with output.open("ab") as out:
        process = subprocess.Popen(
            [NGINX, "-e", "stderr", "-p", f"{prefix}/", "-c", str(conf), "-g", directives],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    nginx = Nginx(f"http://127.0.0.1:{port}", prefix, process, output)
    try:
        wait_until_serving(nginx.base + "/healthz", process, timeout, nginx.log)
        yield nginx
    finally:
        stop(process)
