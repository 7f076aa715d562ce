"""`pip install .` must give a working server: the wheel carries static/ and templates/, and
the exercise templates (app/exercises/templates/*.json).
Both distributions carry the MIT LICENSE, and their metadata names it."""

import os
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

from tests.server import ROOT, running_server


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(out)],
        cwd=ROOT,
        check=True,
    )
    (built,) = out.glob("backprop_viz-*.whl")
    return built


def test_wheel_serves_the_page_and_its_assets(wheel: Path, tmp_path: Path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "app/templates/index.html" in names
    assert "app/static/favicon.svg" in names
    assert any(n.startswith("app/static/vendor/") for n in names)
    shipped = {n for n in names if n.startswith("app/exercises/templates/")}
    on_disk = {
        f"app/exercises/templates/{p.name}"
        for p in (ROOT / "app" / "exercises" / "templates").glob("*.json")
    }
    assert on_disk and shipped == on_disk
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # Run from the unpacked wheel alone: no checkout on the path, as after `pip install .`.
    env = {"PYTHONPATH": str(site)}
    with running_server(env=env, cwd=site) as base:
        for path in (
            "/",
            "/static/favicon.svg",
            "/favicon.ico",
            "/api/v1/capabilities",
            "/api/v1/exercises",
            "/docs",
            "/redoc",
            "/static/vendor/swagger-ui/swagger-ui-bundle.js",
            "/static/vendor/redoc/redoc.standalone.js",
            "/static/js/apidocs/swagger-init.js",
        ):
            with urllib.request.urlopen(base + path, timeout=10) as r:
                assert r.status == 200, path
        body = b'{"seed": 1}'
        ask = urllib.request.Request(base + "/api/v1/exercises/forward-2-2-1", data=body)
        with urllib.request.urlopen(ask, timeout=10) as r:
            assert r.status == 200
        out = subprocess.run(
            [sys.executable, "-c", "import app.paths as p; print(p.STATIC_DIR)"],
            cwd=site,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == str(site / "app" / "static")


MIT_GRANT = "Permission is hereby granted, free of charge, to any person obtaining a copy"


def test_license_is_mit_as_pyproject_says():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the backprop-viz authors" in text
    assert MIT_GRANT in text
    assert 'license = { text = "MIT" }' in (ROOT / "pyproject.toml").read_text()


def test_wheel_carries_the_license_and_names_it(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        (meta,) = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(z.read(meta).decode())
        dist_info = meta.rsplit("/", 1)[0]
        shipped = z.read(f"{dist_info}/licenses/LICENSE")
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert "MIT" in (metadata.get("License-Expression") or metadata.get("License") or "")
    assert shipped == (ROOT / "LICENSE").read_bytes()


def test_sdist_carries_the_license_and_names_it(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "-o", str(tmp_path), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (sdist,) = tmp_path.glob("backprop_viz-*.tar.gz")
    with tarfile.open(sdist) as t:
        top = t.getnames()[0].split("/")[0]
        shipped = t.extractfile(f"{top}/LICENSE").read()
        metadata = Parser().parsestr(t.extractfile(f"{top}/PKG-INFO").read().decode())
    assert shipped == (ROOT / "LICENSE").read_bytes()
    assert metadata.get_all("License-File") == ["LICENSE"]


def test_wheel_carries_the_notebook_widget(wheel: Path, tmp_path: Path):
    """The widget's one ESM and one CSS ship in the wheel, and a Visualizer built from the
    unpacked wheel alone (no checkout, no server) loads them and answers in the kernel."""
    names = zipfile.ZipFile(wheel).namelist()
    assert {"app/static/js/bundle/widget.js", "app/static/js/bundle/widget.css"} <= set(names)
    assert "app/notebook/widget.py" in names and "app/notebook/kernel.py" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    check = (
        "import app.notebook as nb, app.paths as p\n"
        "viz = nb.Visualizer('worked-example-2-2-2')\n"
        "esm = (p.STATIC_DIR / 'js/bundle/widget.js').read_text()\n"
        "assert viz._esm == esm and 'export' in esm and viz._css.startswith('@font-face')\n"
        "print(nb.__file__, viz.step()['loss'])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", check],
        cwd=site,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    where, loss = out.stdout.split()
    assert where == str(site / "app" / "notebook" / "__init__.py")
    assert float(loss) == pytest.approx(0.298371109, abs=1e-9)  # the worked example's
