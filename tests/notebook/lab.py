"""JupyterLab 4 on a loopback port for the widget's tests (and benchmarks/bench_widget.py):
no token, no browser, nothing fetched from the internet, a temporary root holding the example
notebook, and kernels that import this checkout's `app` (PYTHONPATH)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from tests.server import ROOT, free_port, stop, wait_until_serving

NOTEBOOK = ROOT / "examples" / "notebook.ipynb"


@contextlib.contextmanager
def running_lab(timeout: float = 90.0) -> Iterator[tuple[str, Path]]:
    """Yield (base URL, root dir) once JupyterLab answers; the root holds notebook.ipynb."""
    root = Path(tempfile.mkdtemp(prefix="bv-lab-"))
    shutil.copy(NOTEBOOK, root / "notebook.ipynb")
    # No news toast ("get notified about official Jupyter news?"): it would sit over the widget.
    settings = root / ".settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}'
    )
    port = free_port()
    log = root.parent / f"{root.name}.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        ),
        "JUPYTER_CONFIG_DIR": str(root / ".jupyter"),
        "JUPYTER_RUNTIME_DIR": str(root / ".runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(root / ".settings"),
    }
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterlab",
                "--no-browser",
                "--allow-root",  # CI runs as root
                "--expose-app-in-browser",  # window.jupyterapp: tests run cells by its commands
                "--ip=127.0.0.1",
                f"--port={port}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.token=",
                "--ServerApp.password=",
                "--ServerApp.disable_check_xsrf=True",
                "--LabApp.news_url=",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                "--LabServerApp.extension_manager=readonly",
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(base + "/api", proc, timeout, log=log.read_text)
            yield base, root
        finally:
            stop(proc)
            shutil.rmtree(root, ignore_errors=True)
            log.unlink(missing_ok=True)
