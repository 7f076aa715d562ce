"""The classic 2-2-2 worked example over HTTP, against the numbers the tutorial published
(9 digits), not against anything the engine computed."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.helpers import TRACE, preset, strict_loads, trace_ok

NAME = "worked-example-2-2-2"


def published(value: float, text: str) -> None:
    """`value` rounds to the published `text`: within half a unit of its last digit."""
    exp = Decimal(text).as_tuple().exponent
    assert isinstance(exp, int)
    half_ulp = 0.5 * 10.0**exp
    assert abs(value - float(text)) <= half_ulp * (1 + 1e-9), (value, text)


def check_worked_example(body: dict[str, Any]) -> None:
    hidden, output = body["layers"][1], body["layers"][2]
    assert body["layers"][0]["a"] == [0.05, 0.10]
    published(hidden["z"][0], "0.3775")  # net_h1
    published(hidden["a"][0], "0.593269992")  # out_h1
    published(hidden["a"][1], "0.596884378")  # out_h2
    published(output["z"][0], "1.105905967")  # net_o1
    published(output["a"][0], "0.75136507")  # out_o1
    published(output["a"][1], "0.772928465")  # out_o2
    published(body["loss"], "0.298371109")  # E_total
    published(output["dl_dw"][0][0], "0.082167041")  # ∂E/∂w5

    w_in, w_out = body["network"]["weights"]
    published(w_out[0][0], "0.35891648")  # w5: h1 → o1
    published(w_out[0][1], "0.408666186")  # w6: h2 → o1
    published(w_out[1][0], "0.511301270")  # w7: h1 → o2
    published(w_out[1][1], "0.561370121")  # w8: h2 → o2
    published(w_in[0][0], "0.149780716")  # w1: i1 → h1
    published(w_in[0][1], "0.19956143")  # w2: i2 → h1
    published(w_in[1][0], "0.24975114")  # w3: i1 → h2
    published(w_in[1][1], "0.29950229")  # w4: i2 → h2


def test_the_preset_is_the_tutorial_network(client: httpx.Client) -> None:
    body = preset(client, NAME)
    net = body["network"]
    assert net["layers"] == [2, 2, 2]
    assert net["activations"] == ["sigmoid", "sigmoid"]
    assert net["loss"] == "squared_error"
    assert net["weights"] == [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]]
    assert net["biases"] == [[0.35, 0.35], [0.60, 0.60]]
    assert body["input"] == [0.05, 0.10]
    assert body["target"] == [0.01, 0.99]
    assert body["learning_rate"] == 0.5


def test_worked_example_to_nine_digits(client: httpx.Client) -> None:
    check_worked_example(trace_ok(client, preset(client, NAME)))


def test_worked_example_shapes(client: httpx.Client) -> None:
    body = trace_ok(client, preset(client, NAME))
    assert list(body["layers"][0]) == ["a"]
    for layer in body["layers"][1:]:
        for key in ("z", "a", "da_dz", "dl_da", "dl_dz", "dl_db"):
            assert len(layer[key]) == 2, key
        assert [len(row) for row in layer["dl_dw"]] == [2, 2]
    assert "events" not in body  # only with include_events


def test_freeze_biases_then_a_second_trace(client: httpx.Client) -> None:
    body = preset(client, NAME)
    first = trace_ok(client, {**body, "freeze_biases": True})
    check_worked_example(first)  # freezing b changes no weight
    assert first["network"]["biases"] == [[0.35, 0.35], [0.60, 0.60]]
    second = trace_ok(client, {**body, "network": first["network"], "freeze_biases": True})
    assert abs(second["loss"] - 0.291027924) <= 2e-7  # the tutorial rounded its intermediates


def test_without_freeze_biases_the_biases_move(client: httpx.Client) -> None:
    first = trace_ok(client, preset(client, NAME))
    hidden, output = first["layers"][1:]
    b_in, b_out = first["network"]["biases"]
    for b_new, b_old, dl_db in zip(
        b_in + b_out, [0.35, 0.35, 0.60, 0.60], hidden["dl_db"] + output["dl_db"], strict=True
    ):
        assert b_new == pytest.approx(b_old - 0.5 * dl_db, rel=1e-12, abs=1e-15)


def test_curl_form_body_reproduces_it(client: httpx.Client) -> None:
    """`curl -X POST …/trace -d @preset.json` sends the file without its newlines and as
    application/x-www-form-urlencoded; the server must still read it as the JSON it is."""
    pretty = json.dumps(preset(client, NAME), indent=2)
    curl_bytes = pretty.replace("\r", "").replace("\n", "").encode()
    r = client.post(
        TRACE,
        content=curl_bytes,
        headers={"content-type": "application/x-www-form-urlencoded", "accept": "*/*"},
    )
    assert r.status_code == 200, r.text
    check_worked_example(strict_loads(r.text))


@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_real_curl_reproduces_it(
    client: httpx.Client, base_url: str, tmp_path: Path, content_type: str | None
) -> None:
    preset_file = tmp_path / "preset.json"
    preset_file.write_text(json.dumps(preset(client, NAME), indent=2))
    command = ["curl", "-s", "-X", "POST", f"{base_url}{TRACE}", "-d", f"@{preset_file}"]
    if content_type:
        command[2:2] = ["-H", f"content-type: {content_type}"]
    out = subprocess.run(command, capture_output=True, check=True, timeout=20).stdout
    check_worked_example(strict_loads(out))
