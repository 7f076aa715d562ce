"""examples/notebook.ipynb, run headless in a fresh kernel by nbclient (as CI or papermill
would: no front end, so no widget renders and every number comes from the kernel): it is
committed without outputs, every cell runs, and its numbers are the worked example's and
PyTorch's."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.notebook.lab import NOTEBOOK
from tests.server import ROOT

# Appended to the notebook in memory: what its cells computed, for the checks below.
REPORT = """import json
print(json.dumps({"trace": trace, "engine_step": engine_step, "torch_step": torch_step,
                  "last": last, "torch_last": torch_last, "state": viz.state}))"""


def test_the_example_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 8
    assert all(c.outputs == [] and c.execution_count is None for c in code)


def test_the_example_runs_headless_and_matches_the_lecture_and_torch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The kernel (this venv's ipykernel) imports this checkout's app.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(REPORT))
    client = NotebookClient(
        nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on any cell's error
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", out
    report = json.loads(nb.cells[-1].outputs[0]["text"])

    # The worked example, to its published digits (tests/engine/test_worked_example.py).
    trace = report["trace"]
    assert trace["loss"] == pytest.approx(0.298371109, abs=1e-9)
    assert trace["layers"][2]["dl_dw"][0][0] == pytest.approx(0.082167041, abs=1e-9)
    assert report["state"]["network"]["weights"][1] == [[0.4, 0.45], [0.5, 0.55]]
    # The exported script run by torch: the engine's numbers.
    engine, torch = report["engine_step"], report["torch_step"]
    assert torch["loss"] == pytest.approx(engine["loss"], abs=1e-12)
    for l in (1, 2):
        assert torch["dl_dw"][l - 1] == [
            pytest.approx(row, abs=1e-12) for row in engine["layers"][l]["dl_dw"]
        ]
    assert report["torch_last"]["epoch"] == report["last"]["epoch"] == 50
    assert report["torch_last"]["train_loss"] == pytest.approx(
        report["last"]["train_loss"], abs=1e-9
    )
    # The text the student reads: the side-by-side table of the export cell.
    table = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "engine" in table and "torch" in table and "∂l/∂w²11" in table
