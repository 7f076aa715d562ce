"""Property tests over random architectures, activations and losses.

Oracles: central finite differences, and a scalar autograd (reference.py) that shares no
code with the engine. Also: the event stream says exactly what the trace says, in order.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.engine import Network, events, numeric_gradient, trace
from tests.engine.reference import reference_step
from tests.strategies import examples, expected_order

KINKED = {"relu", "leaky_relu"}


def _away_from_kinks(spec, step, margin: float = 1e-3) -> bool:
    # A finite difference across relu's kink measures neither side's slope; and at z ≈ 0
    # two summation orders may disagree on the sign of z.
    return all(
        name not in KINKED or np.abs(lt.z).min() > margin
        for name, lt in zip(spec["activations"], step.layers, strict=True)
    )


@settings(max_examples=150, deadline=None)
@given(examples())
def test_backward_pass_matches_an_independent_autograd(example):
    spec, x, t = example
    step = trace(Network.from_spec(spec), x, t, learning_rate=0.1)
    assume(_away_from_kinks(spec, step, margin=1e-9))
    ref = reference_step(spec, x, t)
    close = {"rtol": 1e-9, "atol": 1e-12}
    assert np.isclose(step.loss, ref["loss"], **close)
    for l, lt in enumerate(step.layers):
        np.testing.assert_allclose(lt.z, ref["z"][l], **close)
        np.testing.assert_allclose(lt.a, ref["a"][l], **close)
        np.testing.assert_allclose(lt.dl_dz, ref["dl_dz"][l], **close)
        np.testing.assert_allclose(lt.dl_dw, ref["dl_dw"][l], **close)
        np.testing.assert_allclose(lt.dl_db, ref["dl_db"][l], **close)
        if lt.da_dz is not None:  # the amplifier: ∂l/∂z = σ'(z) ∂l/∂a (case 1 and 2)
            np.testing.assert_allclose(lt.dl_dz, lt.da_dz * lt.dl_da, rtol=1e-12, atol=1e-15)


@settings(max_examples=150, deadline=None)
@given(examples())
def test_gradients_match_central_differences(example):
    spec, x, t = example
    net = Network.from_spec(spec)
    step = trace(net, x, t, learning_rate=0.1)
    assume(_away_from_kinks(spec, step))
    numeric_w, numeric_b = numeric_gradient(net, np.array(x), np.array(t), epsilon=1e-6)
    analytic = np.concatenate([g.ravel() for lt in step.layers for g in (lt.dl_dw, lt.dl_db)])
    numeric = np.concatenate(
        [g.ravel() for w, b in zip(numeric_w, numeric_b, strict=True) for g in (w, b)]
    )
    # rel. 1e-6, plus the float64 rounding floor of a difference quotient with ε = 1e-6
    bound = 1e-6 * np.maximum(np.abs(analytic), np.abs(numeric)) + 1e-8 * max(1.0, step.loss)
    assert (np.abs(analytic - numeric) <= bound).all(), np.abs(analytic - numeric).max()


@settings(max_examples=80, deadline=None)
@given(examples(), st.floats(1e-3, 2), st.booleans())
def test_update_is_gradient_descent(example, eta, freeze):
    spec, x, t = example
    step = trace(Network.from_spec(spec), x, t, learning_rate=eta, freeze_biases=freeze)
    for l, lt in enumerate(step.layers):
        w0, b0 = np.array(spec["weights"][l]), np.array(spec["biases"][l])
        np.testing.assert_allclose(step.updated.weights[l], w0 - eta * lt.dl_dw, rtol=0, atol=0)
        expected_b = b0 if freeze else b0 - eta * lt.dl_db
        np.testing.assert_array_equal(step.updated.biases[l], expected_b)


@settings(max_examples=80, deadline=None)
@given(examples())
def test_events_say_what_the_trace_says_in_the_lecture_order(example):
    spec, x, t = example
    step = trace(Network.from_spec(spec), x, t, learning_rate=0.3)
    stream = list(events(step))
    L, sizes = len(step.layers), spec["layers"]
    assert [(e["type"], e.get("layer"), e.get("node")) for e in stream] == expected_order(sizes)

    for e in stream:
        if "layer" not in e:
            assert e["loss"] == step.loss
            continue
        lt, j = step.layers[e["layer"] - 1], e["node"]
        if e["type"] == "forward":
            assert (e["z"], e["a"]) == (lt.z[j], lt.a[j])
        elif e["type"] == "backward":
            assert (e["dl_da"], e["dl_dz"]) == (lt.dl_da[j], lt.dl_dz[j])
            assert e["da_dz"] == (None if lt.da_dz is None else lt.da_dz[j])
            assert e["case"] == (1 if e["layer"] == L else 2)
        elif e["type"] == "gradient":
            assert e["dl_dw"] == lt.dl_dw[j].tolist() and e["dl_db"] == lt.dl_db[j]
            assert e["a"] == step.activation_into(e["layer"]).tolist()  # ∂z/∂w
        elif e["type"] == "update":
            assert e["w"] == step.updated.weights[e["layer"] - 1][j].tolist()
            assert e["b"] == step.updated.biases[e["layer"] - 1][j]
    assert stream[sum(sizes[1:])]["dl_da"] == step.layers[-1].dl_da.tolist()
