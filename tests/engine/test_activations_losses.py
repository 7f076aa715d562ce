"""Activations and losses: derivatives against central differences, and stability at the
edges (σ at z = ±1000, ln 0, softmax of large z)."""

import math

import numpy as np
import pytest

from app.engine import ACTIVATIONS, LOSSES, Network, trace

Z = np.array([-3.0, -0.7, -0.01, 0.02, 0.5, 2.5])


@pytest.mark.parametrize("name", [n for n, a in ACTIVATIONS.items() if a.derivative])
def test_derivative_matches_central_difference(name):
    act = ACTIVATIONS[name]
    h = 1e-6
    numeric = (act.forward(Z + h) - act.forward(Z - h)) / (2 * h)
    assert act.derivative(Z, act.forward(Z)) == pytest.approx(numeric, rel=1e-7, abs=1e-9)


def test_sigmoid_is_exact_at_the_extremes():
    with np.errstate(over="ignore"):
        a = ACTIVATIONS["sigmoid"].forward(np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]))
    assert a[0] == 0.0 and a[-1] == 1.0 and a[2] == 0.5
    assert a[1] == pytest.approx(math.exp(-40), rel=1e-12)  # no cancellation at −40
    assert np.isfinite(a).all()


def test_relu_derivative_at_zero_is_zero():
    z = np.array([0.0])
    assert ACTIVATIONS["relu"].derivative(z, z)[0] == 0.0
    assert ACTIVATIONS["leaky_relu"].derivative(z, z)[0] == 0.01


def test_softmax_of_large_z_is_finite_and_exact():
    z = np.array([1000.0, 999.0, -1000.0])
    a = ACTIVATIONS["softmax"].forward(z)
    e = math.exp(-1)
    assert a.tolist() == pytest.approx([1 / (1 + e), e / (1 + e), 0.0], rel=1e-12)


def test_softmax_backward_is_the_jacobian_product():
    z = np.array([0.3, -1.2, 2.0])
    a = ACTIVATIONS["softmax"].forward(z)
    jacobian = np.diag(a) - np.outer(a, a)
    g = np.array([0.5, -2.0, 1.5])
    dl_dz, amplifier = ACTIVATIONS["softmax"].backward(z[None], a[None], g[None])
    assert dl_dz[0] == pytest.approx(jacobian.T @ g, rel=1e-14)
    assert amplifier is None  # no per-neuron σ'(z)


@pytest.mark.parametrize("name", [n for n, a in ACTIVATIONS.items() if a.derivative])
def test_each_backward_step_is_the_amplifier_times_dl_da(name):
    # Rows are examples: two of them, each its own σ'(z) ⊙ ∂l/∂a.
    act = ACTIVATIONS[name]
    z = np.array([Z, -Z])
    a = act.forward(z)
    dl_da = np.array([[0.5, -2.0, 1.5, 0.25, -1.0, 3.0], [1.0, 1.0, -1.0, 2.0, 0.0, -0.5]])
    dl_dz, amplifier = act.backward(z, a, dl_da)
    for row in range(2):
        numeric = (act.forward(z[row] + 1e-6) - act.forward(z[row] - 1e-6)) / 2e-6
        assert dl_dz[row] == pytest.approx(numeric * dl_da[row], rel=1e-7, abs=1e-9)
    assert np.array_equal(amplifier, act.derivative(z, a))


@pytest.mark.parametrize(
    ("loss", "z", "t", "expected"),
    [
        # −(1/K)Σ[t ln σ(z) + (1−t) ln(1−σ(z))] with σ(1000) = 1, t = 0: ln(1−σ) = −1000
        ("binary_cross_entropy", [1000.0], [0.0], 1000.0),
        ("binary_cross_entropy", [-1000.0], [1.0], 1000.0),
        ("binary_cross_entropy", [1000.0], [1.0], 0.0),
        # −ln softmax(z)_k with the other logit 1000 above: 1000 + ln(1 + e^−1000)
        ("cross_entropy", [0.0, 1000.0], [1.0, 0.0], 1000.0),
        ("cross_entropy", [1000.0, 0.0], [1.0, 0.0], 0.0),
    ],
)
def test_cross_entropies_are_finite_where_ln_0_lurks(loss, z, t, expected):
    act = "sigmoid" if loss == "binary_cross_entropy" else "softmax"
    z, t = np.array(z), np.array(t)
    with np.errstate(over="ignore"):
        a = ACTIVATIONS[act].forward(z)
    value = LOSSES[loss].value(z[None], a[None], t[None])
    assert value.tolist() == pytest.approx([expected], abs=1e-9)
    assert np.isfinite(LOSSES[loss].dl_da(a, t)).all()
    assert np.isfinite(LOSSES[loss].dl_dz(z, a, t)).all()


def test_saturated_sigmoid_output_still_gets_its_gradient():
    # z = 1000 at the output: σ'(z) = 0 exactly, yet BCE's ∂l/∂z = a − t = 1 (no ∞ · 0).
    net = Network.from_spec(
        {
            "layers": [1, 1],
            "activations": ["sigmoid"],
            "loss": "binary_cross_entropy",
            "weights": [[[1000.0]]],
            "biases": [[0.0]],
        }
    )
    step = trace(net, [1.0], [0.0], 0.1)
    assert step.layers[0].dl_dz.tolist() == [1.0]
    assert step.layers[0].dl_dw.tolist() == [[1.0]]
    assert step.loss == pytest.approx(1000.0)


@pytest.mark.parametrize(
    ("loss", "a", "t", "expected"),
    [
        ("squared_error", [0.75, 0.25], [1.0, 0.0], 0.5 * (0.0625 + 0.0625)),
        ("mse", [0.75, 0.25], [1.0, 0.0], (0.0625 + 0.0625) / 2),
    ],
)
def test_squared_losses_by_hand(loss, a, t, expected):
    a, t = np.array(a), np.array(t)
    assert LOSSES[loss].value(a[None], a[None], t[None]).tolist() == pytest.approx(
        [expected], rel=1e-15
    )
