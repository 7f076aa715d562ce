"""Where a training run stands, as one object a client sends back to continue it (`resume`).

Every snapshot, diverged and done event carries one: θ (the network), the optimizer's state
and the position (epoch, and step: mini-batch steps since epoch 0), with what fixes the
order of the mini-batches from there (the batch size and the seed) and a fingerprint of the
data set it trained on. A request with `resume` (and the same data set) continues from that
point and takes exactly the steps the run would have taken without stopping: the golden
test in tests/api/test_resume.py resumes from every event of a run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.errors import SpecError
from app.engine.training_data import DataSet

LOC = ("resume",)


def data_fingerprint(data: DataSet) -> str:
    """The data set a run trains and tests on, as 16 hex digits of SHA-256 over its arrays."""
    digest = hashlib.sha256()
    for split in (data.train, data.test):
        for array in (split.inputs, split.targets):
            digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
            digest.update(repr(array.shape).encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Position:
    """What a run continues from: the start epoch, the steps into it, the optimizer's state
    and the batch size and seed that order its mini-batches."""

    start_epoch: int
    start_step: int
    optimizer: str
    optimizer_state: Mapping[str, Any] | None  # None: another optimizer, started afresh
    batch_size: int
    seed: int


def position_of(
    resume: Mapping[str, Any],
    data: DataSet,
    *,
    batch_size: int | None,
    seed: int | None,
    optimizer: str | None,
) -> Position:
    """Check `resume` against the data set and the settings the request gives beside it
    (None: not given, the resumed run's own), and read its position.

    A batch size or a seed may change only at an epoch's start (mid-epoch the rest of the
    epoch is the shuffled order of the run's own); another optimizer starts afresh."""
    fingerprint = data_fingerprint(data)
    if resume["data"] != fingerprint:
        raise SpecError(
            (*LOC, "data"),
            "this run trained on another data set: send the dataset the run was given "
            "(the same name, samples, noise, seed and test_ratio, or the same points)",
            "resume_mismatch",
            given=resume["data"],
            expected=fingerprint,
        )
    own_batch = int(resume["batch_size"])
    n = len(data.train)
    steps_per_epoch = -(-n // min(own_batch, n))
    epoch, step = int(resume["epoch"]), int(resume["step"])
    into = step - epoch * steps_per_epoch
    if not 0 <= into < steps_per_epoch:
        raise SpecError(
            (*LOC, "step"),
            f"step {step} is not within epoch {epoch} ({steps_per_epoch} steps an epoch "
            f"at batch size {own_batch}): send the resume object as an event carried it",
            "resume_mismatch",
            given=step,
        )
    for name, given, own in (("batch_size", batch_size, own_batch), ("seed", seed, resume["seed"])):
        if into and given is not None and given != own:
            raise SpecError(
                (name,),
                f"the run stopped {into} steps into epoch {epoch}, where only its own "
                f"{name} ({own}) takes the rest of the epoch; change it from an event at "
                "an epoch's start (a snapshot)",
                "resume_mismatch",
                given=given,
                expected=own,
            )
    state = resume["optimizer_state"]
    own_optimizer = state["kind"]
    chosen = own_optimizer if optimizer is None else optimizer
    return Position(
        start_epoch=epoch,
        start_step=into,
        optimizer=chosen,
        optimizer_state=state if chosen == own_optimizer else None,
        batch_size=own_batch if batch_size is None else batch_size,
        seed=int(resume["seed"]) if seed is None else seed,
    )
