"""A client generated from the live /openapi.json by openapi-python-client (as a user of the
API would make one) works: it generates without a warning, and its calls come back as
typed models that hold the same numbers as the raw JSON, a hidden layer's z included."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

PACKAGE = "backprop_viz_client"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture(scope="module")
def generated(
    client: httpx.Client, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[subprocess.CompletedProcess[str]]:
    """Generate the client into a temporary directory and put it on sys.path."""
    root = tmp_path_factory.mktemp("generated")
    spec = root / "openapi.json"
    spec.write_bytes(client.get("/openapi.json").content)
    # The generator formats its output with ruff, which it looks for on PATH.
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    out = root / PACKAGE
    run = subprocess.run(
        [str(GENERATOR), "generate", "--path", str(spec), "--meta", "none", "--output-path", out],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    sys.path.insert(0, str(root))
    try:
        yield run
    finally:
        sys.path.remove(str(root))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def module(generated: subprocess.CompletedProcess[str], name: str) -> ModuleType:
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.fixture(scope="module")
def api(generated: subprocess.CompletedProcess[str], base_url: str) -> Any:
    """The generated client, bound to the test server."""
    return module(generated, "client").Client(base_url=base_url, raise_on_unexpected_status=True)


@pytest.fixture(scope="module")
def models(generated: subprocess.CompletedProcess[str]) -> ModuleType:
    return module(generated, "models")


def call(generated: subprocess.CompletedProcess[str], operation: str, **kwargs: Any) -> Any:
    """`sync_detailed` of one generated operation (tag.operation_id): status, raw, parsed."""
    return module(generated, f"api.{operation}").sync_detailed(**kwargs)


def test_generates_without_a_warning(generated: subprocess.CompletedProcess[str]) -> None:
    out = (generated.stdout + generated.stderr).strip()
    assert generated.returncode == 0, out
    # Anything past its one progress line is a warning (skipped pieces, a missing formatter).
    assert out.splitlines() == [f"Generating {generated.args[-1]}"], out


def test_presets_are_typed(generated: Any, api: Any, models: ModuleType) -> None:
    listed = call(generated, "presets.list_presets", client=api)
    raw = json.loads(listed.content)
    assert all(isinstance(p, models.PresetSummary) for p in listed.parsed)
    assert [p.name for p in listed.parsed] == [p["name"] for p in raw]
    assert [p.layers for p in listed.parsed] == [p["layers"] for p in raw]

    one = call(
        generated,
        "presets.get_preset",
        client=api,
        name="worked-example-2-2-2",
    )
    assert isinstance(one.parsed, models.TraceRequest)
    assert isinstance(one.parsed.network, models.NetworkSpec)
    assert one.parsed.to_dict() == json.loads(one.content)

    missing = call(generated, "presets.get_preset", client=api, name="no-such")
    assert missing.status_code == 404
    assert isinstance(missing.parsed, models.ErrorResponse)
    assert missing.parsed.detail[0].field == "name"


def _preset(generated: Any, api: Any, name: str) -> Any:
    """A preset as the generated TraceRequest model."""
    return call(generated, "presets.get_preset", client=api, name=name).parsed


@pytest.mark.parametrize("name", ["worked-example-2-2-2", "softmax-classifier"])
def test_trace_layers_are_typed(generated: Any, api: Any, models: ModuleType, name: str) -> None:
    body = _preset(generated, api, name)
    body.include_events = True
    r = call(generated, "trace.post_trace", client=api, body=body)
    raw = json.loads(r.content)
    trace = r.parsed
    assert isinstance(trace, models.TraceResponse)
    assert trace.loss == raw["loss"]
    assert isinstance(trace.layers[0], models.InputLayerOut)
    assert trace.layers[0].a == raw["layers"][0]["a"]
    for layer, raw_layer in zip(trace.layers[1:], raw["layers"][1:], strict=True):
        assert isinstance(layer, models.LayerOut)
        assert layer.z == raw_layer["z"]
        assert layer.dl_dw == raw_layer["dl_dw"]
        assert layer.da_dz == raw_layer["da_dz"]
    assert typing.get_type_hints(models.LayerOut)["z"] == list[float]
    if name == "softmax-classifier":
        assert trace.layers[-1].da_dz is None
    assert trace.network.to_dict() == raw["network"]
    # The events, by their `type`
    kinds = {"forward": models.ForwardEvent, "backward": models.BackwardEvent}
    kinds |= {"loss": models.LossEvent, "gradient": models.GradientEvent}
    kinds |= {"update": models.UpdateEvent, "done": models.TraceDoneEvent}
    for event, raw_event in zip(trace.events, raw["events"], strict=True):
        assert isinstance(event, kinds[raw_event["type"]]), raw_event
        assert event.to_dict() == raw_event
    assert trace.events[-1].loss_after == raw["events"][-1]["loss_after"]


def test_gradcheck_is_typed(generated: Any, api: Any, models: ModuleType) -> None:
    body = _preset(generated, api, "lecture-2-input").to_dict()
    r = call(
        generated,
        "trace.post_gradcheck",
        client=api,
        body=models.GradcheckRequest.from_dict({**body, "epsilon": 1e-6}),
    )
    raw = json.loads(r.content)
    assert isinstance(r.parsed, models.GradcheckResponse)
    assert isinstance(r.parsed.abs_diff, models.GradientsOut)
    assert r.parsed.ok is raw["ok"] is True
    assert r.parsed.analytic.weights == raw["analytic"]["weights"]
    assert r.parsed.abs_diff.biases == raw["abs_diff"]["biases"]


def test_batch_layers_are_typed(generated: Any, api: Any, models: ModuleType) -> None:
    network = _preset(generated, api, "xor").network
    body = models.BatchTraceRequest.from_dict(
        {"network": network.to_dict(), "inputs": [[0, 0], [1, 0]], "targets": [[0], [1]]}
    )
    r = call(generated, "training.post_trace_batch", client=api, body=body)
    raw = json.loads(r.content)
    assert isinstance(r.parsed, models.BatchTraceResponse)
    assert isinstance(r.parsed.layers[0], models.BatchInputLayerOut)
    assert isinstance(r.parsed.layers[1], models.BatchLayerOut)
    assert r.parsed.layers[1].z == raw["layers"][1]["z"]


def test_capabilities_are_typed(generated: Any, api: Any, models: ModuleType) -> None:
    r = call(generated, "capabilities.get_capabilities", client=api)
    raw = json.loads(r.content)
    caps = r.parsed
    assert isinstance(caps, models.Capabilities)
    assert isinstance(caps.limits, models.LimitsInfo)
    assert caps.limits.max_neurons == raw["limits"]["max_neurons"]
    assert caps.limits.max_epochs == raw["limits"]["max_epochs"]
    assert caps.limits.max_test_ratio == raw["limits"]["max_test_ratio"]
    assert [a.name for a in caps.activations] == [a["name"] for a in raw["activations"]]
    assert caps.to_dict() == raw


def test_streams_are_not_read_as_json(generated: Any, api: Any) -> None:
    """The stream operations answer NDJSON; the client hands back the bytes, no .json()."""
    body = _preset(generated, api, "xor")
    r = call(generated, "trace.post_trace_stream", client=api, body=body)
    assert r.status_code == 200
    lines = r.content.decode().splitlines()
    assert json.loads(lines[0])["type"] == "forward" and json.loads(lines[-1])["type"] == "done"
