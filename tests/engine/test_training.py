"""The batch engine, the optimizers, regularisation and the training loop.

Oracles: today's single-example trace (a batch of one must equal it bit for bit, and a
batch's ∂L/∂w must be the reduction of the single traces), central differences of L,
hand-computed optimizer steps, and learning floors with fixed seeds that fail if the
learning is broken.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.engine import (
    Limits,
    Network,
    Optimizer,
    SpecError,
    TrainConfig,
    Training,
    batch_trace,
    check_batch,
    check_config,
    dataset_from_spec,
    optimizer_from,
    trace,
)
from app.engine import row_losses as losses
from tests.strategies import examples

LIMITS = Limits()
XOR_NET = {"layers": [2, 4, 1], "activations": ["tanh", "sigmoid"], "loss": "binary_cross_entropy"}


def run(network: Network, dataset: dict, **config) -> tuple[Training, list[dict]]:
    data = dataset_from_spec(dataset, network, LIMITS)
    training = Training(network, data, TrainConfig(**config))
    return training, [e for e in training.events() if e is not None]


# ---- the batch: l and L ---------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(examples())
def test_a_batch_of_one_is_todays_trace_bit_for_bit(example):
    spec, x, t = example
    net = Network.from_spec(spec)
    single = trace(net, x, t, 0.5)
    batch = batch_trace(net, np.array([x]), np.array([t]), 0.5)
    assert batch.loss == single.loss
    assert batch.losses.tolist() == [single.loss]
    for lb, ls in zip(batch.layers, single.layers, strict=True):
        for name in ("z", "a", "dl_da", "dl_dz", "dl_dw", "dl_db"):
            assert np.array_equal(getattr(lb, name)[0], getattr(ls, name)), name
        if ls.da_dz is not None:
            assert np.array_equal(lb.da_dz[0], ls.da_dz)
    for wb, ws in zip(batch.updated.weights, single.updated.weights, strict=True):
        assert np.array_equal(wb, ws)
    for bb, bs in zip(batch.updated.biases, single.updated.biases, strict=True):
        assert np.array_equal(bb, bs)


@settings(max_examples=80, deadline=None)
@given(examples(), st.integers(2, 6), st.sampled_from(["mean", "sum"]), st.integers(0, 2**16))
def test_dl_dw_of_the_batch_is_the_reduction_of_each_examples_dl_dw(example, n, reduction, seed):
    spec, _, _ = example
    net = Network.from_spec(spec)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, (n, net.layers[0]))
    if "entropy" in net.loss:
        t = (
            rng.dirichlet(np.ones(net.layers[-1]), n)
            if net.loss == "cross_entropy"
            else rng.uniform(0, 1, (n, net.layers[-1]))
        )
    else:
        t = rng.uniform(-2, 2, (n, net.layers[-1]))
    batch = batch_trace(net, x, t, 0.1, reduction)
    singles = [trace(net, x[i], t[i], 0.1) for i in range(n)]
    scale = 1 / n if reduction == "mean" else 1.0
    assert batch.loss == pytest.approx(scale * sum(s.loss for s in singles), rel=1e-12, abs=1e-12)
    for i, s in enumerate(singles):
        assert batch.losses[i] == pytest.approx(s.loss, rel=1e-12, abs=1e-14)
    for l in range(len(net.weights)):
        expected = scale * sum(s.layers[l].dl_dw for s in singles)
        np.testing.assert_allclose(batch.gradients[0][l], expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(
            batch.updated.weights[l], net.weights[l] - 0.1 * expected, rtol=1e-12, atol=1e-12
        )


def test_gradient_of_the_batch_loss_against_central_differences():
    rng = np.random.default_rng(3)
    net = Network.from_spec(
        {
            "layers": [3, 5, 4, 3],
            "activations": ["tanh", "sigmoid", "softmax"],
            "loss": "cross_entropy",
            "seed": 7,
        }
    )
    x = rng.normal(size=(7, 3))
    t = np.eye(3)[rng.integers(0, 3, 7)]
    batch = batch_trace(net, x, t, 0.1)

    def big_l(weights):
        moved = Network(net.layers, net.activations, net.loss, weights, net.biases)
        return losses(moved, x, t)[0].mean()

    eps = 1e-6
    for l, w in enumerate(net.weights):
        for idx in np.ndindex(w.shape):
            plus = [v.copy() for v in net.weights]
            minus = [v.copy() for v in net.weights]
            plus[l][idx] += eps
            minus[l][idx] -= eps
            numeric = (big_l(tuple(plus)) - big_l(tuple(minus))) / (2 * eps)
            assert batch.gradients[0][l][idx] == pytest.approx(numeric, abs=1e-8)


def test_bad_batches_name_the_field():
    net = Network.from_spec(XOR_NET)
    with pytest.raises(SpecError) as e:
        check_batch(net, [[1, 2], [3]], [[1], [0]], LIMITS, 10)
    assert e.value.loc == ("inputs", 1)
    with pytest.raises(SpecError) as e:
        check_batch(net, [[1, 2]], [[1], [0]], LIMITS, 10)
    assert e.value.loc == ("targets",)
    with pytest.raises(SpecError) as e:
        check_batch(net, [[1, 2]], [[2]], LIMITS, 10)
    assert e.value.loc == ("targets", 0, 0)
    with pytest.raises(SpecError) as e:
        check_batch(net, [[1, float("nan")]], [[1]], LIMITS, 10)
    assert e.value.loc == ("inputs", 0, 1)


# ---- optimizers and regularisation: one step by hand -----------------------------------------


def test_sgd_step_by_hand():
    theta, g = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    Optimizer("sgd", 0.1).step(theta, g)
    assert theta.tolist() == [1.0 - 0.05, -2.0 - 0.025]


def test_momentum_steps_by_hand():
    # PyTorch: v₁ = g₁; v₂ = 0.9 v₁ + g₂; θ −= η v.
    theta = np.array([1.0])
    opt = Optimizer("momentum", 0.1)
    opt.step(theta, np.array([2.0]))
    assert theta[0] == pytest.approx(1.0 - 0.1 * 2.0, abs=1e-15)
    opt.step(theta, np.array([1.0]))
    assert theta[0] == pytest.approx(0.8 - 0.1 * (0.9 * 2.0 + 1.0), abs=1e-15)


def test_adam_steps_by_hand():
    theta = np.array([1.0, 1.0])
    opt = Optimizer("adam", 0.01)
    g1 = np.array([0.5, -3.0])
    opt.step(theta, g1)
    # Step 1: m̂ = g, v̂ = g², so θ moves by η g/(|g| + ε·…) ≈ η sign(g).
    m, v = 0.1 * g1, 0.001 * g1**2
    expected = 1.0 - (0.01 / 0.1) * m / (np.sqrt(v) / math.sqrt(0.001) + 1e-8)
    np.testing.assert_allclose(theta, expected, rtol=0, atol=1e-15)
    g2 = np.array([1.0, 1.0])
    opt.step(theta, g2)
    m = 0.9 * m + 0.1 * g2
    v = 0.999 * v + 0.001 * g2**2
    expected = expected - (0.01 / (1 - 0.9**2)) * m / (np.sqrt(v) / math.sqrt(1 - 0.999**2) + 1e-8)
    np.testing.assert_allclose(theta, expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("kind", ["l1", "l2"])
def test_regularisation_adds_its_gradient_to_the_weights_only(kind):
    net = Network.from_spec({**XOR_NET, "seed": 4})
    data = dataset_from_spec({"name": "xor", "samples": 20, "test_ratio": 0}, net, LIMITS)
    cfg = dict(learning_rate=0.1, batch_size=5, epochs=1, max_steps=1, grid=0)
    _, plain = run(net, {"name": "xor", "samples": 20, "test_ratio": 0}, **cfg)
    _, reg = run(
        net, {"name": "xor", "samples": 20, "test_ratio": 0}, **cfg, regularization=(kind, 0.3)
    )
    before, w_plain, w_reg = (
        net.weights,
        plain[-1]["network"]["weights"],
        reg[-1]["network"]["weights"],
    )
    for w0, wp, wr in zip(before, w_plain, w_reg, strict=True):
        extra = 0.3 * (w0 if kind == "l2" else np.sign(w0))
        np.testing.assert_allclose(wr, wp - 0.1 * extra, rtol=0, atol=1e-15)
    assert [b.tolist() for b in plain[-1]["network"]["biases"]] == [
        b.tolist() for b in reg[-1]["network"]["biases"]
    ]
    assert len(data.train) == 20


def test_one_training_step_is_theta_minus_eta_gradient_on_the_seeded_mini_batch():
    net = Network.from_spec({**XOR_NET, "seed": 1})
    ds = {"name": "xor", "samples": 30, "test_ratio": 0.2}
    data = dataset_from_spec(ds, net, LIMITS)
    _, events = run(net, ds, learning_rate=0.3, batch_size=8, epochs=1, max_steps=1, seed=5)
    rows = np.random.default_rng((5, 0)).permutation(len(data.train))[:8]
    oracle = batch_trace(net, data.train.inputs[rows], data.train.targets[rows], 0.3)
    done = events[-1]
    assert done["type"] == "done" and done["reason"] == "max_steps" and done["step"] == 1
    for w, expected in zip(done["network"]["weights"], oracle.updated.weights, strict=True):
        np.testing.assert_allclose(w, expected, rtol=0, atol=1e-14)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
def test_a_run_split_in_two_is_the_same_run(optimizer):
    net = Network.from_spec({**XOR_NET, "seed": 2})
    ds = {"name": "xor", "samples": 40, "test_ratio": 0.25}
    cfg = dict(learning_rate=0.05, batch_size=7, optimizer=optimizer, report_every=1, grid=0)
    _, whole = run(net, ds, epochs=6, **cfg)
    _, first = run(net, ds, epochs=3, **cfg)
    half = Network.from_spec({**XOR_NET, **first[-1]["network"]})
    data = dataset_from_spec(ds, half, LIMITS)
    second = Training(
        half, data, TrainConfig(epochs=3, start_epoch=3, **cfg), first[-1]["optimizer_state"]
    )
    done = [e for e in second.events() if e is not None][-1]
    for a, b in zip(done["network"]["weights"], whole[-1]["network"]["weights"], strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    assert done["epoch"] == whole[-1]["epoch"] == 6
    assert done["step"] == whole[-1]["step"]


def test_optimizer_state_is_checked():
    with pytest.raises(SpecError) as e:
        optimizer_from("adam", 0.1, {"kind": "adam", "t": 1, "m": [0.0], "v": [0.0]}, 3)
    assert e.value.loc == ("optimizer_state", "m")
    with pytest.raises(SpecError) as e:
        optimizer_from("adam", 0.1, {"kind": "sgd", "t": 1}, 3)
    assert e.value.loc == ("optimizer_state", "kind")


# ---- the run's events ------------------------------------------------------------------------


def test_events_order_and_report_times():
    net = Network.from_spec(XOR_NET)
    _, events = run(
        net,
        {"name": "xor", "samples": 50},
        learning_rate=0.1,
        epochs=25,
        report_every=10,
        grid=8,
        neuron_grids=True,
    )
    kinds = [e["type"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "done" and kinds.count("done") == 1
    reports = [e["epoch"] for e in events if e["type"] == "epoch"]
    assert reports == [0, 10, 20, 25]
    assert [e["epoch"] for e in events if e["type"] == "snapshot"] == reports
    snap = events[-2]
    assert np.asarray(snap["boundary"]["values"]).shape == (8, 8)
    assert len(snap["neurons"]) == 4 and np.asarray(snap["neurons"][0]["values"]).shape == (8, 8)
    # The boundary is the network's output on the lattice (values[i][j] at y[i], x[j]).
    last = Network.from_spec({**XOR_NET, **snap["network"]})
    i, j = 2, 5
    point = np.array([[snap["boundary"]["x"][j], snap["boundary"]["y"][i]]])
    out = losses(last, point, np.zeros((1, 1)))[1]
    assert snap["boundary"]["values"][i][j] == round(out[0, 0], 4)


def test_divergence_ends_cleanly_with_the_last_finite_network():
    net = Network.from_spec(
        {
            "layers": [2, 8, 1],
            "activations": ["relu", "linear"],
            "loss": "squared_error",
            "init": "uniform",
            "seed": 3,
        }
    )
    _, events = run(
        net,
        {"name": "plane", "samples": 100},
        learning_rate=50.0,
        epochs=50,
        report_every=1,
        grid=4,
    )
    kinds = [e["type"] for e in events]
    assert "diverged" in kinds and kinds[-1] == "done" and events[-1]["reason"] == "diverged"
    flat = np.concatenate([np.ravel(w) for w in events[-1]["network"]["weights"]])
    assert np.isfinite(flat).all()


PLANE_NET = {
    "layers": [2, 4, 1],
    "activations": ["tanh", "linear"],
    "loss": "squared_error",
    "init": "xavier",
    "seed": 0,
}


@pytest.mark.parametrize(
    ("optimizer", "eta", "report_every"),
    [("sgd", 5.0, 1), ("sgd", 1.2, 2), ("momentum", 1.2, 1), ("momentum", 1.0, 3)],
)
def test_divergence_goes_back_to_the_last_snapshot_the_api_accepts(optimizer, eta, report_every):
    """The done event after `diverged` is the last reported snapshot: its epoch, step,
    network, optimizer state and next mini-batch; every w and b within max_abs_value (the
    API accepts it back), and a run from it with a smaller η trains."""
    net = Network.from_spec(PLANE_NET, LIMITS)
    dataset = {"name": "plane", "samples": 200, "seed": 0}
    config = dict(
        optimizer=optimizer, epochs=100, report_every=report_every, grid=0, state_in_snapshots=True
    )
    _, events = run(net, dataset, learning_rate=eta, **config)
    diverged, done = events[-2], events[-1]
    assert diverged["type"] == "diverged" and done["reason"] == "diverged", events[-3:]
    snapshots = [e for e in events if e["type"] == "snapshot"]
    last = snapshots[-1]
    where = (last["epoch"], last["step"])
    assert (diverged["restored_epoch"], diverged["restored_step"]) == where
    assert (done["epoch"], done["step"]) == where
    assert diverged["epoch"] > last["epoch"]
    assert done["next_batch"] == last["next_batch"]
    assert done["train_loss"] == [e for e in events if e["type"] == "epoch"][-1]["train_loss"]
    for a, b in zip(done["network"]["weights"], last["network"]["weights"], strict=True):
        assert np.array_equal(a, b)
    for a, b in zip(done["network"]["biases"], last["network"]["biases"], strict=True):
        assert np.array_equal(a, b)
    state, snap_state = done["optimizer_state"], last["optimizer_state"]
    assert state["t"] == snap_state["t"]
    for name in ("m", "v"):
        assert (state[name] is None) == (snap_state[name] is None)
        if state[name] is not None:
            assert np.array_equal(state[name], snap_state[name])
    # Every event's numbers are ones the API accepts back (the limits' check raises if not).
    for e in [*snapshots, done]:
        Network.from_spec(e["network"], LIMITS)
    # Continue from it with a smaller η: accepted, and it trains without diverging.
    restored = Network.from_spec(done["network"], LIMITS)
    data = dataset_from_spec(dataset, restored, LIMITS)
    step_in_epoch = done["step"] - done["epoch"] * events[0]["steps_per_epoch"]
    cont = TrainConfig(
        learning_rate=0.01,
        **{**config, "epochs": 20},
        start_epoch=done["epoch"],
        start_step=step_in_epoch,
    )
    check_config(cont, data, restored, LIMITS)
    later = [e for e in Training(restored, data, cont, state).events() if e is not None]
    assert later[-1]["reason"] == "epochs", later[-2:]
    assert later[0]["epoch"] == done["epoch"] and later[0]["step"] == done["step"]
    losses_after = [e["train_loss"] for e in later if e["type"] == "epoch"]
    assert losses_after[-1] < losses_after[0]


def test_caps_name_the_field():
    net = Network.from_spec(XOR_NET)
    data = dataset_from_spec({"name": "xor", "samples": 1000, "test_ratio": 0}, net, LIMITS)
    for cfg, field in [
        (dict(epochs=LIMITS.max_epochs + 1), "epochs"),
        (dict(epochs=60_000), "epochs"),  # 60,000 × 1,000 points is over 50,000,000
        (dict(grid=1), "grid"),
        (dict(grid=LIMITS.max_grid + 1), "grid"),
        (dict(epochs=10_000, report_every=1, grid=100), "report_every"),
    ]:
        with pytest.raises(SpecError) as e:
            check_config(TrainConfig(learning_rate=0.1, **cfg), data, net, LIMITS)
        assert e.value.loc[0] == field, cfg


# ---- the floors: each fails if the learning is broken --------------------------------------


def test_floor_xor():
    net = Network.from_spec(XOR_NET)
    _, events = run(
        net,
        {"name": "xor", "samples": 200, "noise": 0, "test_ratio": 0},
        learning_rate=0.05,
        optimizer="adam",
        batch_size=10,
        epochs=1000,
        report_every=100,
        grid=0,
    )
    assert events[-1]["train_loss"] < 0.05


def test_floor_spiral_on_two_of_three_seeds():
    learned = []
    for seed in (0, 1, 2):
        net = Network.from_spec(
            {
                "layers": [2, 8, 8, 1],
                "activations": ["tanh", "tanh", "sigmoid"],
                "loss": "binary_cross_entropy",
                "seed": seed,
            }
        )
        _, events = run(
            net,
            {"name": "spiral", "samples": 500, "noise": 0, "test_ratio": 0.5, "seed": seed},
            learning_rate=0.01,
            optimizer="adam",
            batch_size=10,
            epochs=1000,
            report_every=100,
            grid=0,
            seed=seed,
        )
        learned.append(events[-1]["test_accuracy"] >= 0.9)
    assert sum(learned) >= 2, learned


def test_floor_three_classes_with_softmax():
    net = Network.from_spec(
        {"layers": [2, 8, 3], "activations": ["tanh", "softmax"], "loss": "cross_entropy"}
    )
    _, events = run(
        net,
        {"name": "three_class", "samples": 300, "test_ratio": 0.5},
        learning_rate=0.01,
        optimizer="adam",
        epochs=100,
        report_every=50,
        grid=0,
    )
    assert events[-1]["test_accuracy"] >= 0.95


def test_features_are_extra_inputs():
    net = Network.from_spec(
        {"layers": [3, 4, 1], "activations": ["tanh", "sigmoid"], "loss": "binary_cross_entropy"}
    )
    data = dataset_from_spec(
        {"name": "circle", "samples": 50, "features": ["x1^2", "x2^2", "x1x2"]}, net, LIMITS
    )
    x = data.train.x
    np.testing.assert_array_equal(
        data.train.inputs, np.column_stack((x[:, 0] ** 2, x[:, 1] ** 2, x[:, 0] * x[:, 1]))
    )
    with pytest.raises(SpecError) as e:
        dataset_from_spec({"name": "circle", "features": ["x1", "x2"]}, net, LIMITS)
    assert e.value.loc == ("network", "layers", 0)


def test_next_batch_is_the_mini_batch_the_next_step_takes():
    net = Network.from_spec({**XOR_NET, "seed": 6})
    ds = {"name": "xor", "samples": 40, "test_ratio": 0.25}
    cfg = dict(learning_rate=0.2, batch_size=6, grid=0, seed=9)
    _, first = run(net, ds, epochs=2, max_steps=7, **cfg)  # stops inside epoch 1
    done = first[-1]
    assert (done["epoch"], done["step"]) == (1, 7)
    here = Network.from_spec({**XOR_NET, **done["network"]})
    data = dataset_from_spec(ds, here, LIMITS)
    rows = done["next_batch"]
    assert len(rows) == 6 and len(set(rows)) == 6
    oracle = batch_trace(here, data.train.inputs[rows], data.train.targets[rows], 0.2)
    second = Training(
        here, data, TrainConfig(epochs=1, start_epoch=1, start_step=2, max_steps=1, **cfg)
    )
    after = [e for e in second.events() if e is not None][-1]
    for w, expected in zip(after["network"]["weights"], oracle.updated.weights, strict=True):
        np.testing.assert_allclose(w, expected, rtol=0, atol=1e-14)


def test_zero_epochs_reports_theta_as_it_is():
    net = Network.from_spec(XOR_NET)
    _, events = run(
        net,
        {"name": "xor", "samples": 30},
        learning_rate=0.1,
        epochs=0,
        grid=6,
        neuron_grids=True,
        neuron_grid=3,
    )
    assert [e["type"] for e in events] == ["start", "epoch", "snapshot", "done"]
    assert events[-1]["network"]["weights"][0].tolist() == net.weights[0].tolist()
    snap = events[2]
    assert np.asarray(snap["boundary"]["values"]).shape == (6, 6)
    assert {np.asarray(n["values"]).shape for n in snap["neurons"]} == {(3, 3)}


def test_report_every_past_the_epochs_reports_the_start_and_the_end():
    net = Network.from_spec(XOR_NET)
    for epochs in (0, 7):
        _, events = run(
            net,
            {"name": "xor", "samples": 20},
            learning_rate=0.1,
            epochs=epochs,
            report_every=10,
            grid=0,
        )
        assert [e["epoch"] for e in events if e["type"] == "epoch"] == ([0, 7] if epochs else [0])
