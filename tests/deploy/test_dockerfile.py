"""The image's recipe, read the way Docker reads it (no Docker engine here): a slim base, the
wheel alone in the final stage, a non-root user, a health check on /healthz that works, and
host, port and workers from the environment; .dockerignore keeping the checkout's clutter
out; and the wheel built from exactly the files the Dockerfile copies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.dockerfile import (
    DockerIgnore,
    Instruction,
    Stage,
    build_context,
    parse_dockerfile,
)
from tests.server import ROOT, free_port, stop, wait_until_serving

STAGES = parse_dockerfile((ROOT / "Dockerfile").read_text())
BUILDER, FINAL = STAGES[0], STAGES[-1]
IGNORE = DockerIgnore((ROOT / ".dockerignore").read_text())
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_every_stage_is_python_slim() -> None:
    assert len(STAGES) == 2 and BUILDER.name
    assert {s.base for s in STAGES} == {"python:3.11-slim"}


def test_the_final_stage_installs_the_wheels_and_nothing_else() -> None:
    (build,) = BUILDER.all("RUN")
    assert "pip wheel" in build.arguments and "--wheel-dir /wheels ." in build.arguments
    # No source tree in the image: nothing copied in, the wheels only mounted for the install.
    assert not FINAL.all("COPY") and not FINAL.all("ADD")
    install = next(r for r in FINAL.all("RUN") if "pip install" in r.arguments)
    assert f"from={BUILDER.name},source=/wheels" in install.arguments
    for flag in ("--no-index", "--find-links /wheels", "--no-cache-dir", PROJECT["name"]):
        assert flag in install.arguments


def test_it_runs_as_a_user_made_for_it_by_number_not_root() -> None:
    user = FINAL.last("USER")
    assert user is not None and user.arguments.isdigit() and int(user.arguments) > 0
    assert any(f"useradd --system --uid {user.arguments}" in r.arguments for r in FINAL.all("RUN"))
    assert FINAL.instructions.index(user) > FINAL.instructions.index(FINAL.all("RUN")[-1])


def _health_check(stage: Stage) -> list[str]:
    check = stage.last("HEALTHCHECK")
    assert check is not None
    options, _, command = check.arguments.partition(" CMD ")
    assert "--timeout=" in options and "--interval=" in options
    argv = command.strip()
    assert argv.startswith("[")  # exec form: python in the image, no shell, no curl
    exec_form = Instruction("CMD", argv).exec_form()
    assert exec_form is not None and exec_form[0] == "python"
    return [sys.executable, *exec_form[1:]]


def _workers(pid: int) -> list[int]:
    """uvicorn's worker processes under `pid` (multiprocessing's spawned children)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in cmdline:
                found.append(int(child))
    return found


@pytest.fixture(scope="module")
def container_command() -> Iterator[tuple[int, subprocess.Popen]]:
    """The image's CMD, run as the image would run it: its ENV, a free port, two workers."""
    env = FINAL.env()
    assert set(env) >= {"BACKPROP_VIZ_PORT", "BACKPROP_VIZ_WORKERS", "BACKPROP_VIZ_LOG_LEVEL"}
    port = free_port()
    env |= {"BACKPROP_VIZ_PORT": str(port), "BACKPROP_VIZ_WORKERS": "2"}
    cmd = FINAL.last("CMD")
    assert cmd is not None
    argv = cmd.exec_form()
    assert argv is not None and argv[0] in PROJECT["scripts"]
    script = Path(sys.executable).parent / argv[0]
    process = subprocess.Popen([str(script), *argv[1:]], env={**os.environ, **env})
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", process, 60)
        yield port, process
    finally:
        stop(process, 20)


def test_the_command_takes_port_and_workers_from_the_environment(
    container_command: tuple[int, subprocess.Popen],
) -> None:
    cmd = FINAL.last("CMD")
    assert cmd is not None and cmd.exec_form() == ["backprop-viz", "--host", "0.0.0.0"]
    expose = FINAL.last("EXPOSE")
    assert expose is not None and expose.arguments == FINAL.env()["BACKPROP_VIZ_PORT"]
    assert int(FINAL.env()["BACKPROP_VIZ_WORKERS"]) >= 1
    _, process = container_command
    assert len(_workers(process.pid)) == 2  # BACKPROP_VIZ_WORKERS=2


def test_the_health_check_passes_on_a_serving_app_and_fails_without_one(
    container_command: tuple[int, subprocess.Popen],
) -> None:
    port, _ = container_command
    check = _health_check(FINAL)
    ok = subprocess.run(check, env={**os.environ, "BACKPROP_VIZ_PORT": str(port)}, timeout=30)
    assert ok.returncode == 0
    nobody = {**os.environ, "BACKPROP_VIZ_PORT": str(free_port())}
    down = subprocess.run(check, env=nobody, capture_output=True, timeout=30)
    assert down.returncode != 0 and b"Connection refused" in down.stderr


def test_dockerignore_keeps_the_checkouts_clutter_out() -> None:
    for path in (
        ".git/HEAD",
        ".venv-test/bin/python",
        ".venv/bin/python",
        "node_modules/d3/package.json",
        "app/__pycache__/main.cpython-311.pyc",
        "app/engine/__pycache__/trace.cpython-311.pyc",
        "tests/artifacts/export.png",
        ".pytest_cache/README.md",
        ".hypothesis/examples/x",
    ):
        assert IGNORE.excludes(path), path
    for path in ("pyproject.toml", "README.md", "LICENSE", "app/main.py", "static/favicon.svg"):
        assert not IGNORE.excludes(path), path


def _copied_sources(context: list[str]) -> list[str]:
    """The context files the builder stage's COPY lines take."""
    taken: list[str] = []
    for copy in BUILDER.all("COPY"):
        *sources, _ = copy.arguments.split()
        for source in sources:
            under = [f for f in context if f == source or f.startswith(source + "/")]
            assert under, f"COPY {source}: nothing in the build context"
            taken += under
    return taken


def test_the_wheel_built_from_what_the_dockerfile_copies_holds_the_whole_app(
    tmp_path: Path,
) -> None:
    context = build_context(ROOT, IGNORE)
    assert not [f for f in context if f.startswith((".git/", ".venv"))]
    src = tmp_path / "src"
    for rel in _copied_sources(context):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, src / rel)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(tmp_path)],
        cwd=src,
        check=True,
    )
    (wheel,) = tmp_path.glob("backprop_viz-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    # Every page asset and every module of the checkout, where app/paths.py looks for them.
    wanted = {f"app/{f}" for f in context if f.startswith(("static/", "templates/"))}
    wanted |= {f for f in context if f.startswith("app/") and f.endswith(".py")}
    assert "app/templates/index.html" in wanted and "app/static/favicon.svg" in wanted
    assert wanted <= names, sorted(wanted - names)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
