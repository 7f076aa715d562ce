"""Network specs: every check names its field; init is deterministic; caps come first."""

import numpy as np
import pytest

from app.engine import Limits, Network, SpecError, initial_weights

BASE = {"layers": [2, 3, 2], "activations": ["tanh", "sigmoid"], "loss": "squared_error"}


def spec(**changes):
    return {**BASE, **changes}


@pytest.mark.parametrize(
    ("changes", "loc", "words"),
    [
        ({"layers": [2]}, ("network", "layers"), "from 2 to 10 layers"),
        ({"layers": [2] * 11}, ("network", "layers"), "from 2 to 10 layers"),
        ({"layers": [2, 65, 2]}, ("network", "layers", 1), "from 1 to 64"),
        ({"layers": [2, 0, 2]}, ("network", "layers", 1), "from 1 to 64"),
        ({"layers": [2, 2.5, 2]}, ("network", "layers", 1), "whole number"),
        ({"activations": ["tanh"]}, ("network", "activations"), "one activation per"),
        ({"activations": ["tanh", "swish"]}, ("network", "activations", 1), "unknown"),
        ({"activations": ["softmax", "sigmoid"]}, ("network", "activations", 0), "output layer"),
        ({"loss": "hinge"}, ("network", "loss"), "unknown loss"),
        ({"loss": "cross_entropy"}, ("network", "loss"), "softmax"),
        (
            {"loss": "binary_cross_entropy", "activations": ["tanh", "relu"]},
            ("network", "loss"),
            "sigmoid",
        ),
        ({"init": "orthogonal"}, ("network", "init"), "unknown init"),
        ({"seed": -1}, ("network", "seed"), "integer"),
        ({"weights": [[[0.1, 0.2]] * 3]}, ("network", "weights"), "one entry per"),
        ({"weights": [[[0.1, 0.2]] * 2, [[0.1] * 3] * 2]}, ("network", "weights", 0), "needs 3"),
        (
            {"weights": [[[0.1, 0.2]] * 3, [[0.1] * 2] * 2]},
            ("network", "weights", 1, 0),
            "needs 3 weights",
        ),
        (
            {"weights": [[[0.1, float("nan")]] * 3, [[0.1] * 3] * 2]},
            ("network", "weights", 0, 0, 1),
            "finite",
        ),
        (
            {"weights": [[[0.1, 2e6]] * 3, [[0.1] * 3] * 2]},
            ("network", "weights", 0, 0, 1),
            "at most",
        ),
        ({"biases": [[0.0] * 3, [0.0] * 3]}, ("network", "biases", 1), "needs 2 numbers"),
    ],
)
def test_bad_specs_name_the_field(changes, loc, words):
    with pytest.raises(SpecError) as err:
        Network.from_spec(spec(**changes))
    assert err.value.loc == loc
    assert words in err.value.msg


def test_caps_come_from_limits():
    with pytest.raises(SpecError, match="from 1 to 2 neurons"):
        Network.from_spec(spec(), Limits(max_neurons=2))
    with pytest.raises(SpecError, match="from 2 to 2 layers"):
        Network.from_spec(spec(), Limits(max_layers=2))
    Network.from_spec(spec(layers=[2, 4, 2]), Limits(max_neurons=4))


def test_init_is_deterministic_and_shaped():
    a = Network.from_spec(spec(seed=3))
    b = Network.from_spec(spec(seed=3))
    c = Network.from_spec(spec(seed=4))
    assert [w.shape for w in a.weights] == [(3, 2), (2, 3)]
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights, strict=True))
    assert not np.array_equal(a.weights[0], c.weights[0])
    assert all((b == 0).all() for b in a.biases)


@pytest.mark.parametrize("init", ["xavier", "he", "uniform"])
def test_init_scales(init):
    w = initial_weights([64, 64, 64], init, seed=1)[0]
    bound = {"xavier": np.sqrt(6 / 128), "uniform": 1.0}.get(init)
    if bound is not None:
        assert np.abs(w).max() <= bound
        assert w.std() == pytest.approx(bound / np.sqrt(3), rel=0.1)  # uniform: b/√3
    else:
        assert w.std() == pytest.approx(np.sqrt(2 / 64), rel=0.1)


def test_zeros_init():
    net = Network.from_spec(spec(init="zeros"))
    assert all((w == 0).all() for w in net.weights)


def test_round_trip_through_to_spec():
    net = Network.from_spec(spec(seed=9))
    again = Network.from_spec({k: v for k, v in net.to_spec().items()})
    assert all(np.array_equal(x, y) for x, y in zip(net.weights, again.weights, strict=True))
