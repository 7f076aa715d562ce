"""The classic 2-2-2 worked example, to the published 9 digits."""

import pytest

from app.engine import PRESETS, Network, events, trace

REQ = PRESETS["worked-example-2-2-2"].request
TOL = 1e-9


def published(*values: str) -> list:
    """The tutorial's numbers, each to within half a unit of its last printed digit."""
    return [pytest.approx(float(v), abs=0.5 * 10.0 ** -len(v.split(".")[1])) for v in values]


@pytest.fixture(scope="module")
def step():
    return trace(Network.from_spec(REQ["network"]), REQ["input"], REQ["target"], 0.5)


def test_forward_pass(step):
    h, o = step.layers
    assert h.z.tolist() == pytest.approx([0.3775, 0.3925], abs=TOL)
    assert h.a.tolist() == pytest.approx([0.593269992, 0.596884378], abs=TOL)
    assert o.z.tolist() == pytest.approx([1.105905967, 1.224921404], abs=TOL)
    assert o.a.tolist() == pytest.approx([0.75136507, 0.772928465], abs=TOL)


def test_loss(step):
    assert step.loss == pytest.approx(0.298371109, abs=TOL)


def test_backward_pass_and_gradients(step):
    h, o = step.layers
    # ∂E/∂w5 = ∂E/∂out_o1 · ∂out_o1/∂net_o1 · ∂net_o1/∂w5 = 0.74136507 · 0.186815602 · 0.593269992
    assert o.dl_da[0] == pytest.approx(0.74136507, abs=TOL)
    assert o.da_dz[0] == pytest.approx(0.186815602, abs=TOL)
    assert o.dl_dw[0, 0] == pytest.approx(0.082167041, abs=TOL)
    # ∂l/∂w = a × ∂l/∂z, the lecture's summary
    assert o.dl_dw[0, 0] == pytest.approx(h.a[0] * o.dl_dz[0], rel=1e-15)
    # ∂E/∂w1 = 0.000438568 (the tutorial's hidden-layer result)
    assert h.dl_dw[0, 0] == pytest.approx(0.000438568, abs=TOL)


def test_updated_weights(step):
    w1, w2 = step.updated.weights
    assert w2.ravel().tolist() == published(
        "0.35891648", "0.408666186", "0.511301270", "0.561370121"
    )
    assert w1.ravel().tolist() == published("0.149780716", "0.19956143", "0.24975114", "0.29950229")


def test_loss_after_update_with_frozen_biases():
    net = Network.from_spec(REQ["network"])
    first = trace(net, REQ["input"], REQ["target"], 0.5, freeze_biases=True)
    assert [b.tolist() for b in first.updated.biases] == REQ["network"]["biases"]
    second = trace(first.updated, REQ["input"], REQ["target"], 0.5)
    # The tutorial rounded its intermediates, hence 2e-7.
    assert second.loss == pytest.approx(0.291027924, abs=2e-7)


def test_biases_move_unless_frozen(step):
    assert step.updated.biases[1][0] == pytest.approx(0.60 - 0.5 * step.layers[1].dl_dz[0])


def test_done_event_reports_the_loss_after_the_step():
    net = Network.from_spec(REQ["network"])
    first = trace(net, REQ["input"], REQ["target"], 0.5, freeze_biases=True)
    done = list(events(first))[-1]
    assert done["type"] == "done" and done["loss"] == first.loss
    assert done["loss_after"] == pytest.approx(0.291027924, abs=2e-7)
    assert done["loss_after"] == trace(first.updated, REQ["input"], REQ["target"], 0.5).loss
