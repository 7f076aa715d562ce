"""Settings: every limit in force, read once from the environment (BACKPROP_VIZ_*).

The API enforces these, GET /api/v1/capabilities publishes them, and the page reads them
from there: no limit is hard-coded anywhere else.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from app.engine.limits import Limits


@dataclass(frozen=True)
class Settings:
    max_layers: int = 10  # input layer included
    max_neurons: int = 64  # in any one layer
    max_abs_value: float = 1e6  # weights, biases, inputs and targets
    max_learning_rate: float = 1e3
    max_gradcheck_parameters: int = 10_000
    max_body_bytes: int = 1024 * 1024
    # Training (docs/training.md)
    max_samples: int = 10_000
    max_epochs: int = 100_000
    max_epoch_samples: int = 50_000_000
    max_grid: int = 100
    max_report_cells: int = 20_000_000
    max_train_seconds: float = 120.0
    max_batch_gradients: int = 1_000_000
    gzip_minimum_bytes: int = 1024
    # Level 1 for API answers (a 22 KB trace: 111 µs, vs 750 µs at Starlette's default 9,
    # for 4% more bytes); static files, fetched once and cached, keep level 9.
    gzip_level: int = 1
    gzip_level_static: int = 9
    # Embedding (docs/embedding.md). CSP frame-ancestors sources, space-separated.
    frame_ancestors: str = "*"
    # Origins allowed to call /api/ and load /static/ cross-origin, comma-separated; "*" is
    # any origin (including a sandboxed iframe's "null"). Never with credentials.
    cors_origins: str = "*"
    # Origins the embedded page takes postMessage commands from and posts to,
    # comma-separated; empty is any.
    embed_host_origins: str = ""

    @property
    def limits(self) -> Limits:
        return Limits(
            max_layers=self.max_layers,
            max_neurons=self.max_neurons,
            max_abs_value=self.max_abs_value,
            max_learning_rate=self.max_learning_rate,
            max_gradcheck_parameters=self.max_gradcheck_parameters,
            max_samples=self.max_samples,
            max_epochs=self.max_epochs,
            max_epoch_samples=self.max_epoch_samples,
            max_grid=self.max_grid,
            max_report_cells=self.max_report_cells,
            max_train_seconds=self.max_train_seconds,
            max_batch_gradients=self.max_batch_gradients,
        )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Override any field with BACKPROP_VIZ_<FIELD>, e.g. BACKPROP_VIZ_MAX_NEURONS=32."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"BACKPROP_VIZ_{f.name.upper()}")
            if raw is not None:
                values[f.name] = _PARSERS[f.type](raw)
        return cls(**values)


# Field annotations are strings here (from __future__ import annotations).
_PARSERS = {"int": int, "float": float, "str": str.strip}
