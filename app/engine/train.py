"""Gradient descent over a data set: the lecture's loop θ⁰ → θ¹ → θ² → … on L(θ).

Each step takes a mini-batch, runs passes.py's forward and backward passes on it, forms
∂L/∂w = reduction over the batch of aⁿ × ∂lⁿ/∂z (one matrix product per layer), adds
the regularisation's gradient, and lets the optimizer move θ. Every w and b lives in one
flat vector, the network's arrays are views into it, so an optimizer step is a few numpy
operations on that one vector. `Training.events()` yields the run as the stream sends it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.engine.limits import Limits
from app.engine.network import Network
from app.engine.optimizers import optimizer_from, regularization_gradient
from app.engine.passes import backward, forward, row_losses, summed_dl_dw
from app.engine.resume import data_fingerprint
from app.engine.training_data import DataSet, Split

Array = np.ndarray
LATTICE_DECIMALS = 4  # the boundary and the neurons' pictures
HEARTBEAT_STEPS = 256  # yield to the caller at least this often (to stop, or to check time)


@dataclass(frozen=True)
class TrainConfig:
    learning_rate: float
    batch_size: int = 10
    epochs: int = 100  # epochs run by this request, from start_epoch
    optimizer: str = "sgd"
    regularization: tuple[str, float] | None = None  # ("l1" | "l2", rate)
    reduction: str = "mean"
    report_every: int = 10
    grid: int = 50  # 0: no boundary
    neuron_grids: bool = False
    neuron_grid: int | None = None  # the neurons' pictures' lattice; None: `grid`
    seed: int = 0
    target_loss: float | None = None
    max_steps: int | None = None
    start_epoch: int = 0
    start_step: int = 0  # mini-batches already taken in start_epoch
    state_in_snapshots: bool = False
    # θ past this is one the API refuses (Limits.max_abs_value): the run has diverged.
    max_abs_value: float = Limits.max_abs_value


def _flat(network: Network) -> tuple[Array, list[Array], list[Array], Array]:
    """θ as one vector (W⁰ row by row, b⁰, W¹, b¹, …), views of it, and a weight mask."""
    sizes = [
        n for w, b in zip(network.weights, network.biases, strict=True) for n in (w.size, b.size)
    ]
    theta = np.empty(sum(sizes))
    mask = np.zeros(sum(sizes))
    weights, biases, at = [], [], 0
    for w, b in zip(network.weights, network.biases, strict=True):
        weights.append(theta[at : at + w.size].reshape(w.shape))
        weights[-1][...] = w
        mask[at : at + w.size] = 1.0
        at += w.size
        biases.append(theta[at : at + b.size])
        biases[-1][...] = b
        at += b.size
    return theta, weights, biases, mask


class Training:
    """One training run: θ, the optimizer's state, and where in the epochs it is."""

    def __init__(
        self,
        network: Network,
        data: DataSet,
        config: TrainConfig,
        optimizer_state: Mapping[str, Any] | None = None,
        state_loc: tuple[str, ...] = ("optimizer_state",),
    ) -> None:
        self.data, self.config = data, config
        self.theta, weights, biases, self.mask = _flat(network)
        # The network whose arrays are views of θ: a step on θ moves it.
        self.network = Network(
            network.layers, network.activations, network.loss, tuple(weights), tuple(biases)
        )
        self.grad, self.grad_w, self.grad_b, _ = _flat(network)
        self.optimizer = optimizer_from(
            config.optimizer, config.learning_rate, optimizer_state, self.theta.size, state_loc
        )
        n = len(data.train)
        self.batch_size = min(config.batch_size, n)
        self.steps_per_epoch = -(-n // self.batch_size)
        self.epoch = config.start_epoch
        self.step_in_epoch = min(config.start_step, self.steps_per_epoch - 1)
        self.steps_taken = 0
        # Where the run goes back to when it diverges: θ⁰, then each reported θ (its losses
        # finite, every w and b within max_abs_value), with its position and optimizer state.
        self.last_good = self._position()
        self.last_report: dict[str, Any] | None = None
        self.data_fingerprint = data_fingerprint(data)
        self.lattice = _lattice(data, config.grid)
        self.neuron_lattice = (
            _lattice(data, config.neuron_grid)
            if config.neuron_grids and config.neuron_grid not in (None, config.grid)
            else self.lattice
        )

    @property
    def step(self) -> int:
        """Mini-batch steps since epoch 0 (restarts continue the count)."""
        return self.epoch * self.steps_per_epoch + self.step_in_epoch

    def events(self) -> Iterator[dict[str, Any] | None]:
        """start, epoch/snapshot reports, diverged, done; None now and then as a heartbeat."""
        cfg = self.config
        end = cfg.start_epoch + cfg.epochs
        yield {
            "type": "start",
            "epoch": self.epoch,
            "step": self.step,
            "train_size": len(self.data.train),
            "test_size": len(self.data.test),
            "batch_size": self.batch_size,
            "steps_per_epoch": self.steps_per_epoch,
            "kind": self.data.kind,
            "classes": self.data.classes,
            "parameters": self.theta.size,
        }
        first = self.report()
        if first[0]["type"] == "diverged":  # θ⁰ itself overflows
            yield from self._diverged(first[0]["reason"], first[0]["code"])
            return
        self.last_report = first[0]
        yield from first
        while self.epoch < end:
            yield from self._epoch()
            stopped = cfg.max_steps is not None and self.steps_taken >= cfg.max_steps
            # One reduction, False for NaN and ∞ too: a θ the API would refuse ends the run.
            if not np.abs(self.theta).max(initial=0.0) <= cfg.max_abs_value:
                if np.isfinite(self.theta).all():
                    grew = f"a weight or bias grew past {cfg.max_abs_value:g} in absolute value"
                    yield from self._diverged(grew, "parameter_too_large")
                else:
                    lost = "a weight or bias stopped being a finite number"
                    yield from self._diverged(lost, "parameter_not_finite")
                return
            due = (self.epoch - cfg.start_epoch) % cfg.report_every == 0 or self.epoch == end
            if stopped or due:
                reports = self.report()
                if reports[0]["type"] == "diverged":
                    yield from self._diverged(reports[0]["reason"], reports[0]["code"])
                    return
                self.last_good = self._position()  # finite and within the limits: a safe θ
                self.last_report = reports[0]
                yield from reports
                if stopped:
                    yield self.finish("max_steps", reports[0])
                    return
                if cfg.target_loss is not None and reports[0]["train_loss"] <= cfg.target_loss:
                    yield self.finish("target_loss", reports[0])
                    return
            yield None
        yield self.finish("epochs")

    def _epoch(self) -> Iterator[None]:
        """The mini-batches of one epoch, in the order (seed, epoch) shuffles them; None
        every HEARTBEAT_STEPS steps, when the caller may stop or check the time."""
        cfg, net = self.config, self.network
        x, t = self.data.train.inputs, self.data.train.targets
        order = np.random.default_rng((cfg.seed, self.epoch)).permutation(len(x))
        x, t = x[order], t[order]  # shuffled once: each mini-batch is then a slice
        b = self.batch_size
        reg = cfg.regularization
        mean = cfg.reduction == "mean"
        grad_w, grad_b = self.grad_w, self.grad_b
        stop = False
        while not stop and self.step_in_epoch < self.steps_per_epoch:
            # Overflow is caught by value, after the epoch. The errstate is left before
            # each yield: the caller may resume the generator in another context (thread).
            with np.errstate(all="ignore"):
                for _ in range(HEARTBEAT_STEPS):
                    start = self.step_in_epoch * b
                    xb, tb = x[start : start + b], t[start : start + b]
                    zs, activations = forward(net, xb)
                    dl_dz, _, _ = backward(net, tb, zs, activations)
                    a_in = xb
                    for l, dz in enumerate(dl_dz):
                        # ∂L/∂w = Σₙ aⁿ × ∂lⁿ/∂z for the whole batch: one matrix product.
                        summed_dl_dw(a_in, dz, out=grad_w[l])
                        dz.sum(axis=0, out=grad_b[l])
                        a_in = activations[l]
                    if mean:
                        self.grad *= 1.0 / len(xb)
                    if reg is not None:
                        self.grad += regularization_gradient(reg[0], reg[1], self.theta, self.mask)
                    self.optimizer.step(self.theta, self.grad)
                    self.step_in_epoch += 1
                    self.steps_taken += 1
                    if cfg.max_steps is not None and self.steps_taken >= cfg.max_steps:
                        stop = True
                    if stop or self.step_in_epoch == self.steps_per_epoch:
                        break
            if not stop and self.step_in_epoch < self.steps_per_epoch:
                yield None
        if self.step_in_epoch >= self.steps_per_epoch:
            self.epoch += 1
            self.step_in_epoch = 0

    def metrics(self) -> dict[str, float | None]:
        """Mean lⁿ over each set (without the regularisation term), and accuracies."""
        out: dict[str, float | None] = {}
        classification = self.data.kind == "classification"
        for name, split in (("train", self.data.train), ("test", self.data.test)):
            if len(split) == 0:
                out[f"{name}_loss"] = None
                if classification:
                    out[f"{name}_accuracy"] = None
                continue
            per_example, a = row_losses(self.network, split.inputs, split.targets)
            out[f"{name}_loss"] = float(per_example.mean())
            if classification:
                out[f"{name}_accuracy"] = _accuracy(a, split)
        return out

    def report(self) -> list[dict[str, Any]]:
        """The epoch event and the snapshot, or a diverged event if a loss is not finite."""
        where = {"epoch": self.epoch, "step": self.step}
        metrics = self.metrics()
        if any(v is not None and not np.isfinite(v) for v in metrics.values()):
            reason = {"reason": "the loss stopped being finite", "code": "loss_not_finite"}
            return [{"type": "diverged", **where, **reason}]
        snapshot: dict[str, Any] = {
            "type": "snapshot",
            **where,
            "network": self._network_copy().to_spec(),
            "next_batch": self.next_batch(),
        }
        if self.lattice is not None:
            snapshot["boundary"], neurons = self._pictures(self.lattice)
            if self.config.neuron_grids:
                if self.neuron_lattice is not self.lattice:
                    _, neurons = self._pictures(self.neuron_lattice)
                snapshot["neurons"] = neurons
        if self.config.state_in_snapshots:
            snapshot["optimizer_state"] = self.optimizer.state()
        snapshot["resume"] = self.resume()
        return [{"type": "epoch", **where, **metrics}, snapshot]

    def finish(self, reason: str, last: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The done event: where the run stopped, its losses, θ and the optimizer's state."""
        metrics = dict(last) if last is not None else {"epoch": self.epoch, **self.metrics()}
        metrics.pop("type", None)
        for key, value in metrics.items():  # only when θ⁰ itself overflowed
            if isinstance(value, float) and not np.isfinite(value):
                metrics[key] = None
        return {
            "type": "done",
            **metrics,
            "epoch": self.epoch,
            "step": self.step,
            "reason": reason,
            "network": self._network_copy().to_spec(),
            "optimizer_state": self.optimizer.state(),
            "next_batch": self.next_batch(),
            "resume": self.resume(),
        }

    def resume(self) -> dict[str, Any]:
        """Where the run stands, as the object a request sends back as `resume` to continue
        from here (app/engine/resume.py): θ, the optimizer's state, the position, and what
        orders the mini-batches from here."""
        return {
            "network": self._network_copy().to_spec(),
            "optimizer_state": self.optimizer.state(),
            "epoch": self.epoch,
            "step": self.step,
            "batch_size": self.batch_size,
            "seed": self.config.seed,
            "data": self.data_fingerprint,
        }

    def next_batch(self) -> list[int]:
        """The training points (indices into the training set) of the next mini-batch a
        run from here takes: the one a client can inspect before the step."""
        order = np.random.default_rng((self.config.seed, self.epoch)).permutation(
            len(self.data.train)
        )
        start = self.step_in_epoch * self.batch_size
        return [int(i) for i in order[start : start + self.batch_size]]

    def _position(self) -> tuple[Array, int, int, dict[str, Any]]:
        """θ, the epoch, the steps into it and the optimizer's state: what a run resumes."""
        return self.theta.copy(), self.epoch, self.step_in_epoch, self.optimizer.state()

    def _diverged(self, reason: str, code: str) -> Iterator[dict[str, Any]]:
        """Back to the last reported θ (every number finite and one the API accepts), so
        that the done event is a point a client can continue from with a smaller η: its
        epoch, step, network, optimizer state and next mini-batch all that snapshot's."""
        theta, epoch, step_in_epoch, state = self.last_good
        diverged_at = {"epoch": self.epoch, "step": self.step}
        self.theta[...] = theta
        self.epoch, self.step_in_epoch = epoch, step_in_epoch
        self.optimizer.t, self.optimizer.m, self.optimizer.v = state["t"], state["m"], state["v"]
        yield {
            "type": "diverged",
            **diverged_at,
            "reason": reason,
            "code": code,
            "restored_epoch": self.epoch,
            "restored_step": self.step,
            "resume": self.resume(),
        }
        yield self.finish("diverged", self.last_report)

    def _network_copy(self) -> Network:
        net = self.network
        return Network(
            net.layers,
            net.activations,
            net.loss,
            tuple(w.copy() for w in net.weights),
            tuple(b.copy() for b in net.biases),
        )

    def _pictures(
        self, lattice: tuple[Array, Array, Array] | None
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The output (the boundary) and each hidden neuron's a over a lattice."""
        assert lattice is not None
        xs, ys, inputs = lattice
        g = len(xs)
        with np.errstate(all="ignore"):
            _, activations = forward(self.network, inputs)
        out = activations[-1]
        boundary: dict[str, Any] = {"x": xs, "y": ys}
        if out.shape[1] == 1:
            boundary["values"] = _picture(out[:, 0], g)
        else:  # the winning class and its output
            boundary["classes"] = out.argmax(axis=1).reshape(g, g)
            boundary["values"] = _picture(out.max(axis=1), g)
        neurons = (
            [
                {"layer": l, "node": j, "values": _picture(a[:, j], g)}
                for l, a in enumerate(activations[:-1], start=1)
                for j in range(a.shape[1])
            ]
            if self.config.neuron_grids
            else []
        )
        return boundary, neurons


def _picture(values: Array, g: int) -> Array:
    """A lattice's values as a g × g picture, to LATTICE_DECIMALS places: a heatmap needs
    no more, and the stream then carries a third of the bytes (the losses, the network and
    every trace stay exact)."""
    return np.round(values.reshape(g, g), LATTICE_DECIMALS)


def _accuracy(a: Array, split: Split) -> float:
    if a.shape[1] == 1:
        predicted = (a[:, 0] >= 0.5).astype(np.float64)
    else:
        predicted = a.argmax(axis=1).astype(np.float64)
    return float((predicted == split.labels).mean())


def _lattice(data: DataSet, grid: int) -> tuple[Array, Array, Array] | None:
    """The boundary's grid × grid points over the plane: xs, ys and the network's inputs."""
    if grid < 2 or data.extent is None:
        return None
    (x0, x1), (y0, y1) = data.extent
    xs, ys = np.linspace(x0, x1, grid), np.linspace(y0, y1, grid)
    gx, gy = np.meshgrid(xs, ys)  # row i is y[i], column j is x[j]
    points = np.column_stack((gx.ravel(), gy.ravel()))
    return xs, ys, data.inputs_of(points)
