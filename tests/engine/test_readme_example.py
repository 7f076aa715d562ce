"""The README's Python example runs as it reads, and says what the engine says."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from app.engine import Network, trace

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readmes_python_example_works_as_it_reads() -> None:
    text = README.read_text()
    after = text[text.index("**From Python**") :]
    code = re.search(r"```python\n(.*?)```", after, re.S)
    assert code is not None
    source = code.group(1)
    for name in ("Network.from_spec", "trace(net,", "learning_rate=", "step.layers[-1].dl_dz"):
        assert name in source
    scope: dict[str, object] = {}
    exec(compile(source, str(README), "exec"), scope)
    step = scope["step"]
    net = Network.from_spec(
        {"layers": [2, 2, 2], "activations": ["sigmoid", "sigmoid"], "loss": "squared_error"}
    )
    again = trace(net, [0.05, 0.10], [0.01, 0.99], learning_rate=0.5)
    assert step.layers[-1].dl_dz.shape == (2,)  # type: ignore[attr-defined]
    assert np.array_equal(step.layers[-1].dl_dz, again.layers[-1].dl_dz)  # type: ignore[attr-defined]
    # ∂l/∂w = a × ∂l/∂z, laid out like the weights (out × in)
    dl_dw = step.layers[-1].dl_dw  # type: ignore[attr-defined]
    assert dl_dw.shape == (2, 2)
    assert np.allclose(dl_dw, np.outer(again.layers[-1].dl_dz, again.layers[0].a), rtol=1e-15)
