"""The README's first command, scripts/serve.sh, from a copy of the checkout: the first start
installs and says so, a second start with nothing changed installs nothing and says so, and
after a change it installs again; each time the app it serves answers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.server import ROOT, free_port, wait_until_serving

COPIED = ["pyproject.toml", "README.md", "LICENSE", "app", "static", "templates", "scripts"]


def said(proc: subprocess.Popen) -> str:
    """What an exited serve.sh wrote on stderr (a running one's would block the read)."""
    return proc.stderr.read() if proc.poll() is not None and proc.stderr else ""


def _serve_once(checkout: Path) -> str:
    """Start serve.sh, wait for /healthz, stop it; return what it said on stderr."""
    port = free_port()
    proc = subprocess.Popen(
        ["./scripts/serve.sh", "--port", str(port), "--log-level", "warning"],
        cwd=checkout,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", proc, 300, lambda: said(proc))
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    return err


def test_serve_installs_only_when_the_checkout_changed(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.exists():
            shutil.copy2(src, checkout / name)

    first = _serve_once(checkout)
    assert "creating .venv" in first and "installing backprop-viz" in first, first
    second = _serve_once(checkout)
    assert "installing" not in second and "current" in second, second
    (checkout / "app" / "cli.py").write_text(
        (checkout / "app" / "cli.py").read_text() + "\n# changed\n"
    )
    third = _serve_once(checkout)
    assert "installing backprop-viz" in third, third
    installed = subprocess.run(
        [
            str(checkout / ".venv/bin/python"),
            "-c",
            "import app.cli, inspect;"
            "print(inspect.getsource(app.cli).rstrip().endswith('# changed'))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,  # not the checkout: `import app` must find the installed package
    )
    assert installed.stdout.strip() == "True", "the change did not reach the installed package"
