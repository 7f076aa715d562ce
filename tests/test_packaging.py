"""`pip install .` must give a working server: the wheel carries static/ and templates/."""

import os
import subprocess
import sys
import urllib.request
import zipfile
from pathlib import Path

from tests.server import ROOT, running_server


def test_wheel_serves_the_page_and_its_assets(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(tmp_path)],
        cwd=ROOT,
        check=True,
    )
    (wheel,) = tmp_path.glob("backprop_viz-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "app/templates/index.html" in names
    assert "app/static/favicon.svg" in names
    assert any(n.startswith("app/static/vendor/") for n in names)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # Run from the unpacked wheel alone: no checkout on the path, as after `pip install .`.
    env = {"PYTHONPATH": str(site)}
    with running_server(env=env, cwd=site) as base:
        for path in ("/", "/static/favicon.svg", "/favicon.ico", "/api/v1/capabilities"):
            with urllib.request.urlopen(base + path, timeout=10) as r:
                assert r.status == 200, path
        out = subprocess.run(
            [sys.executable, "-c", "import app.paths as p; print(p.STATIC_DIR)"],
            cwd=site,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == str(site / "app" / "static")
