"""deploy/compose.yaml: replicas built from the Dockerfile, and nginx started by the compose
file's own command (envsubst on deploy/nginx.conf), run here with Debian's envsubst and nginx,
the container's paths moved into a temporary directory."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.helpers import NGINX, PLACEHOLDERS, TEMPLATE, render
from tests.server import ROOT, free_port, running_uvicorn

COMPOSE = ROOT / "deploy" / "compose.yaml"


def services() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_the_replicas_are_built_from_the_dockerfile_and_checked_by_its_health_check() -> None:
    app = services()["app"]
    assert (COMPOSE.parent / app["build"]["context"]).resolve() == ROOT
    assert app["build"]["dockerfile"] == "Dockerfile"
    assert app["deploy"]["replicas"] >= 2
    assert int(app["environment"]["BACKPROP_VIZ_WORKERS"]) >= 1
    assert "healthcheck" not in app  # the image's HEALTHCHECK, not a second one
    assert services()["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"


def test_nginx_fills_in_exactly_the_templates_names() -> None:
    nginx = services()["nginx"]
    assert set(nginx["environment"]) == set(PLACEHOLDERS)
    (mount,) = nginx["volumes"]
    source, target, _ = mount.split(":")
    assert (COMPOSE.parent / source).resolve() == TEMPLATE
    command = nginx["command"][-1].replace("$$", "$")  # compose's escape
    names = re.search(r"envsubst '([^']*)'", command)
    assert names is not None and names.group(1).split() == [f"${n}" for n in PLACEHOLDERS]
    assert f"< {target} " in command


def test_the_compose_command_starts_nginx_in_front_of_the_app(tmp_path: Path) -> None:
    nginx = services()["nginx"]
    (mount,) = nginx["volumes"]
    template_in_container = mount.split(":")[1]
    command = nginx["command"][-1].replace("$$", "$")
    # The container's paths, moved here; nothing else changed.
    command = (
        command.replace(template_in_container, str(TEMPLATE))
        .replace("/tmp/backprop-viz.conf", str(tmp_path / "backprop-viz.conf"))
        .replace("/var/cache/nginx/", f"{tmp_path}/")
        .replace("exec nginx ", f"exec {NGINX} ")
    )
    port = free_port()
    with running_uvicorn() as (app, _):
        env = {
            "PATH": "/usr/bin:/bin",
            "BACKPROP_VIZ_UPSTREAM": f"server {app.removeprefix('http://')};",
            "NGINX_PORT": f"127.0.0.1:{port}",
            "host": "envsubst must leave nginx's $host alone",
        }
        log = (tmp_path / "nginx.log").open("ab")
        process = subprocess.Popen(["sh", "-c", command], env=env, stdout=log, stderr=log)
        try:
            deadline = time.monotonic() + 15
            while True:
                assert process.poll() is None, (tmp_path / "nginx.log").read_text()
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as r:
                        assert r.status == 200 and r.headers["server"] == "nginx"
                        break
                except OSError:
                    assert time.monotonic() < deadline, (tmp_path / "nginx.log").read_text()
                    time.sleep(0.1)
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.close()
        # envsubst wrote what the tests' own renderer writes (tests/deploy/helpers.py).
        values = {n: env[n] for n in PLACEHOLDERS}
        rendered = (tmp_path / "backprop-viz.conf").read_text()
        assert rendered == render(TEMPLATE.read_text(), values)
        assert "proxy_set_header Host $http_host;" in rendered
