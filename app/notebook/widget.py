"""Visualizer: the /embed page's parts as a notebook widget (anywidget), with the engine in
the kernel. The page's requests come over the widget's messages and are answered by the same
ASGI app that answers HTTP (kernel.py), streams chunk by chunk; a cell reads and drives the
page through `state`, `load`, `step`, `train`, `on` and `to_pytorch`.

    from app.notebook import Visualizer
    viz = Visualizer(preset="worked-example-2-2-2")
    viz            # the page, in the output cell
    viz.step()     # the page animates one step; the trace, as POST /api/v1/trace answers it

A cell cannot wait for the page (the kernel reads the page's messages between cells), and a
notebook run headless (nbclient, papermill) has no page at all: step() and train() compute in
the kernel, through the same app the page's requests reach, and return the API's JSON. The
page, if there is one, animates the same request: the same app answers it the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

from app.api.deps import API_PREFIX
from app.notebook.kernel import Answer, engine
from app.paths import STATIC_DIR

_MANIFEST = json.loads((STATIC_DIR / "js" / "bundle" / "manifest.json").read_text())

Handler = Callable[[dict[str, Any]], None]


class ApiError(Exception):
    """The API refused a request (its status and `detail`, the one error shape of docs/api.md)."""

    def __init__(self, status: int, detail: Any) -> None:
        self.status = status
        self.detail = detail
        super().__init__(f"HTTP {status}: {_describe(detail)}")


def _describe(detail: Any) -> str:
    """As the page says it (api.js): `field: msg; …`."""
    if isinstance(detail, list):
        return "; ".join(
            f"{d.get('field')}: {d.get('msg')}" if d.get("field") else str(d.get("msg"))
            for d in detail
            if isinstance(d, dict)
        )
    return str(detail)


def _answered(answer: Answer) -> Answer:
    if answer.status >= 400:
        try:
            detail = answer.json().get("detail")
        except ValueError:
            detail = answer.body.decode(errors="replace")
        raise ApiError(answer.status, detail)
    return answer


class Visualizer(anywidget.AnyWidget):  # type: ignore[misc]  # ipywidgets has no types
    """The visualizer in a notebook. Give a preset's name or a trace request (the body of POST
    /api/v1/trace); lang ("en", "zh-TW"), hide (the /embed page's hide=), theme and view
    ("training" for the training view) as the /embed page's parameters; height in pixels."""

    _esm = STATIC_DIR / _MANIFEST["widget"]["esm"]
    _css = STATIC_DIR / _MANIFEST["widget"]["css"]

    preset = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    request = traitlets.Dict(None, allow_none=True).tag(sync=True)
    lang = traitlets.Unicode("").tag(sync=True)
    hide = traitlets.Unicode("").tag(sync=True)
    theme = traitlets.Unicode("").tag(sync=True)
    view = traitlets.Unicode("").tag(sync=True)
    height = traitlets.Int(520).tag(sync=True)
    #: The trace request the page shows (what its state() gives), updated on every edit.
    state = traitlets.Dict().tag(sync=True)

    def __init__(
        self,
        preset: str | None = None,
        *,
        request: dict[str, Any] | None = None,
        lang: str = "",
        hide: str = "",
        theme: str = "",
        view: str = "",
        height: int = 520,
    ) -> None:
        if preset is None and request is None:
            preset = "worked-example-2-2-2"  # the page's default (start.js)
        super().__init__(
            preset=preset if request is None else None,
            request=request,
            lang=lang,
            hide=hide,
            theme=theme,
            view=view,
            height=height,
        )
        self._handlers: dict[str, list[Handler]] = {}
        self.state = self._validated(request if request is not None else preset)
        self.on_msg(self._on_page)

    # ---- what a cell calls --------------------------------------------------------------------

    def load(self, request_or_preset: dict[str, Any] | str) -> dict[str, Any]:
        """Show a preset (its name) or a trace request; the API checks it first (an ApiError
        names the field and the reason). Returns the new state."""
        state = self._validated(request_or_preset)
        self.state = state
        if isinstance(request_or_preset, str):
            self.send({"kind": "load", "preset": request_or_preset})
        else:
            self.send({"kind": "load", "request": state})
        return state

    def step(self) -> dict[str, Any]:
        """The page animates one step (forward, backward, update) of the state; returns the
        trace, as POST /api/v1/trace answers it."""
        self.send({"kind": "step"})
        return self.api("POST", "trace", self.state)  # type: ignore[no-any-return]

    def train(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """Train with a POST /api/v1/train/stream body (the page's training view runs it when
        view="training"); returns the last `epoch` event of the run (None if it reported none)."""
        self.send({"kind": "train", "body": body})
        answer = _answered(engine().request("POST", f"{API_PREFIX}/train/stream", body))
        events = answer.events()
        failed = [e for e in events if e.get("type") == "error"]
        if failed:
            raise ApiError(422, failed[-1].get("detail", failed[-1]))
        epochs = [e for e in events if e.get("type") == "epoch"]
        return epochs[-1] if epochs else None

    def to_pytorch(self, body: dict[str, Any] | None = None) -> str:
        """The state (or a trace or training request) as a standalone PyTorch script
        (POST /api/v1/export/pytorch, docs/export.md)."""
        answer = engine().request(
            "POST",
            f"{API_PREFIX}/export/pytorch",
            body if body is not None else self.state,
            {"accept": "text/x-python"},
        )
        return _answered(answer).body.decode()

    def on(self, event: str, fn: Handler) -> Callable[[], None]:
        """Call fn(detail) on each of the page's events: "ready", "error" ({message}),
        "prediction", "stepped" and "trained" (a step() or train() animated). Returns the
        function that stops it. The kernel hears the page between cells."""
        self._handlers.setdefault(event, []).append(fn)
        return lambda: self._handlers[event].remove(fn)

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Any API call (path under /api/v1/), answered in the kernel: its JSON, or ApiError."""
        return _answered(engine().request(method, f"{API_PREFIX}/{path}", body)).json()

    # ---- the page's messages ------------------------------------------------------------------

    def _validated(self, request_or_preset: dict[str, Any] | str | None) -> dict[str, Any]:
        """As the page's actions do (actions.js, validated): a preset as GET /presets/{name}
        gives it; a request with θ⁰ filled by POST /network when it has none, then checked
        by POST /trace."""
        if isinstance(request_or_preset, str):
            return self.api("GET", f"presets/{request_or_preset}")  # type: ignore[no-any-return]
        request = json.loads(json.dumps(request_or_preset))
        network = request.get("network") if isinstance(request, dict) else None
        if isinstance(network, dict) and not (
            isinstance(network.get("weights"), list) and isinstance(network.get("biases"), list)
        ):
            request["network"] = self.api("POST", "network", network)
        self.api("POST", "trace", request)
        return request  # type: ignore[no-any-return]

    def _on_page(self, _widget: Any, content: dict[str, Any], buffers: list[Any]) -> None:
        kind = content.get("kind")
        if kind == "request":
            self._answer(content)
        elif kind == "abort":
            engine().stop(f"{id(self)}:{content.get('id')}")
        elif kind == "event":
            for fn in list(self._handlers.get(str(content.get("type")), [])):
                fn(content.get("detail") or {})

    def _answer(self, content: dict[str, Any]) -> None:
        """Answer one of the page's requests in the kernel: the head, each body chunk as the
        app writes it, then the end (transport.js makes them a Response)."""
        rid = content.get("id")
        path = str(content.get("path", ""))
        if not path.startswith(f"{API_PREFIX}/"):
            # Only the API: the page asks for nothing else, and a kernel serves no files.
            self.send({"kind": "response", "id": rid, "status": 404, "headers": []})
            self.send({"kind": "end", "id": rid})
            return

        def head(status: int, headers: list[tuple[str, str]]) -> None:
            self.send({"kind": "response", "id": rid, "status": status, "headers": headers})

        def chunk(data: bytes) -> None:
            self.send({"kind": "chunk", "id": rid}, buffers=[data])

        def end(error: BaseException | None) -> None:
            if error is None:
                self.send({"kind": "end", "id": rid})
            else:
                self.send({"kind": "failed", "id": rid, "message": repr(error)})

        engine().start(
            f"{id(self)}:{rid}",
            str(content.get("method", "GET")),
            path,
            content.get("body"),
            dict(content.get("headers") or {}),
            head,
            chunk,
            end,
        )
