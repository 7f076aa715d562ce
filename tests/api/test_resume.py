"""Resume by passing one object back (issue 20): every snapshot, diverged and done event
carries `resume`; a request with it (and the same data set) continues exactly where that
event stands. The oracle is the uninterrupted run, streamed by the same server: a run
resumed from any of its events ends bit for bit where it ends, mid-epoch included."""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
import pytest

from tests.api.helpers import post_json
from tests.api.training_helpers import TRAIN, only, train_events

Body = dict[str, Any]
NET = {"layers": [2, 5, 1], "activations": ["tanh", "sigmoid"], "loss": "binary_cross_entropy"}
DATA = {"name": "xor", "samples": 53, "noise": 0.1, "seed": 4, "test_ratio": 0.25}
SETTINGS = {
    "sgd": {"optimizer": "sgd", "learning_rate": 0.3},
    "momentum": {"optimizer": "momentum", "learning_rate": 0.1},
    "adam-l2": {
        "optimizer": "adam",
        "learning_rate": 0.02,
        "regularization": {"kind": "l2", "rate": 0.001},
    },
}
EPOCHS = 6
# What the done event says about where the run ended: all of it must match.
ENDS = ("epoch", "step", "network", "optimizer_state", "next_batch", "train_loss", "test_loss")


def body(settings: Body, **more: Any) -> Body:
    b: Body = {
        "network": copy.deepcopy(NET),
        "dataset": dict(DATA),
        "batch_size": 7,  # 40 training points: the last mini-batch of an epoch is short
        "epochs": EPOCHS,
        "report_every": 2,
        "grid": 0,
        **copy.deepcopy(settings),
    }
    b.update(more)
    return b


def resumed(event: dict[str, Any], settings: Body, **more: Any) -> Body:
    """A request as a client continues from `event`: its resume, through JSON, unchanged."""
    b = body(settings, **more)
    del b["network"]
    for key in ("optimizer", "batch_size"):  # the run's own, from resume, unless asked
        if key not in more:
            b.pop(key, None)
    b["resume"] = json.loads(json.dumps(event["resume"]))
    return b


def same_end(got: dict[str, Any], want: dict[str, Any]) -> None:
    for key in ENDS:
        assert got[key] == want[key], key
        assert json.dumps(got[key]) == json.dumps(want[key]), key  # bit for bit, -0.0 too


@pytest.mark.parametrize("name", SETTINGS)
def test_a_run_resumed_from_every_snapshot_ends_where_the_whole_run_ends(
    client: httpx.Client, name: str
) -> None:
    settings = SETTINGS[name]
    whole = train_events(client, body(settings))
    done = whole[-1]
    reports = {e["epoch"]: e for e in only(whole, "epoch")}
    snapshots = only(whole, "snapshot")
    assert [s["epoch"] for s in snapshots] == [0, 2, 4, 6]
    for snapshot in snapshots:
        r = snapshot["resume"]
        assert (r["epoch"], r["step"]) == (snapshot["epoch"], snapshot["step"])
        assert r["network"] == snapshot["network"]
        rest = train_events(client, resumed(snapshot, settings, epochs=EPOCHS - snapshot["epoch"]))
        same_end(rest[-1], done)
        for report in only(rest, "epoch"):  # the same epochs report the same losses
            assert report == reports[report["epoch"]]
    assert done["resume"]["network"] == done["network"]


@pytest.mark.parametrize("name", SETTINGS)
def test_a_run_stopped_mid_epoch_resumes_mid_epoch(client: httpx.Client, name: str) -> None:
    settings = SETTINGS[name]
    whole = train_events(client, body(settings))[-1]
    for steps in (3, 9, 23):  # 6 steps an epoch: inside epochs 0, 1 and 3
        stopped = train_events(client, body(settings, max_steps=steps))[-1]
        assert stopped["reason"] == "max_steps" and stopped["step"] == steps
        assert stopped["resume"]["step"] == steps
        rest = train_events(client, resumed(stopped, settings, epochs=EPOCHS - stopped["epoch"]))
        assert only(rest, "start")[0]["step"] == steps
        same_end(rest[-1], whole)


def test_after_a_divergence_resume_is_the_restored_theta_and_its_position(
    client: httpx.Client,
) -> None:
    settings = {"optimizer": "sgd", "learning_rate": 1000.0}
    net = {"layers": [2, 4, 1], "activations": ["tanh", "linear"], "loss": "squared_error"}
    events = train_events(
        client,
        body(
            settings,
            network=net,
            dataset={"name": "plane", "samples": 60, "seed": 1},
            epochs=50,
            report_every=1,
        ),
    )
    diverged, done = only(events, "diverged")[0], events[-1]
    last = only(events, "snapshot")[-1]
    assert diverged["resume"] == done["resume"] == last["resume"]
    assert (done["resume"]["epoch"], done["resume"]["step"]) == (done["epoch"], done["step"])
    assert done["resume"]["network"] == done["network"]
    # Continued with a smaller η: the same as a run started from that snapshot by hand
    # (the network, the position and the optimizer state given field by field).
    calm = {"optimizer": "sgd", "learning_rate": 0.01}
    by_resume = train_events(
        client,
        resumed(
            done,
            calm,
            epochs=3,
            dataset=body(calm, **{"dataset": {"name": "plane", "samples": 60, "seed": 1}})[
                "dataset"
            ],
        ),
    )
    by_hand = body(
        calm,
        network={**net, **last["network"]},
        dataset={"name": "plane", "samples": 60, "seed": 1},
        start_epoch=last["epoch"],
        optimizer_state=done["optimizer_state"],
        epochs=3,
    )
    same_end(by_resume[-1], train_events(client, by_hand)[-1])


def test_another_optimizer_starts_its_state_afresh(client: httpx.Client) -> None:
    first = train_events(client, body(SETTINGS["momentum"], epochs=2))[-1]
    to_adam = resumed(first, {"learning_rate": 0.02}, epochs=2, optimizer="adam")
    switched = train_events(client, to_adam)[-1]
    by_hand = body(
        {"optimizer": "adam", "learning_rate": 0.02},
        network={**NET, **first["network"]},
        start_epoch=2,
        epochs=2,
    )
    same_end(switched, train_events(client, by_hand)[-1])
    assert switched["optimizer_state"]["kind"] == "adam"


def refused(client: httpx.Client, b: Body) -> dict[str, Any]:
    r = post_json(client, TRAIN, b)
    assert r.status_code == 422, r.text
    (item,) = r.json()["detail"]
    return item


def test_what_does_not_fit_a_resume_is_refused_naming_the_field(client: httpx.Client) -> None:
    sgd = SETTINGS["sgd"]
    mid = train_events(client, body(sgd, max_steps=9))[-1]  # 3 steps into epoch 1
    start = only(train_events(client, body(sgd, epochs=2)), "snapshot")[-1]  # epoch 2's start

    both = resumed(mid, sgd)
    both["network"] = copy.deepcopy(NET)
    item = refused(client, both)
    assert (item["field"], item["type"]) == ("network", "resume_both")
    item = refused(client, {**resumed(mid, sgd), "start_epoch": 1})
    assert (item["field"], item["type"]) == ("start_epoch", "resume_both")

    neither = body(sgd)
    del neither["network"]
    item = refused(client, neither)
    assert (item["field"], item["type"]) == ("network", "missing")

    other = resumed(mid, sgd, dataset={**DATA, "seed": 5})
    item = refused(client, other)
    assert (item["field"], item["type"]) == ("resume.data", "resume_mismatch")

    item = refused(client, resumed(mid, sgd, batch_size=5))
    assert (item["field"], item["type"]) == ("batch_size", "resume_mismatch")
    assert item["ctx"] == {"given": 5, "expected": 7}
    item = refused(client, resumed(mid, sgd, seed=9))
    assert (item["field"], item["type"]) == ("seed", "resume_mismatch")

    moved = resumed(mid, sgd)
    moved["resume"]["step"] = 99
    item = refused(client, moved)
    assert (item["field"], item["type"]) == ("resume.step", "resume_mismatch")

    bad_theta = resumed(mid, sgd)
    bad_theta["resume"]["network"]["weights"][0][0][0] = float("1e300")
    assert refused(client, bad_theta)["field"] == "resume.network.weights[0][0][0]"

    # At an epoch's start a new batch size and seed are the client's to choose.
    r = post_json(client, TRAIN, resumed(start, sgd, batch_size=5, seed=9, epochs=1))
    assert r.status_code == 200, r.text
