"""backprop-viz in a Jupyter notebook (docs/notebook.md).

- `Visualizer(preset=…)`: the page as a widget with the engine in the kernel (no server);
  needs the `notebook` extra (anywidget), imported only when asked for.
- `show(…)`, `embed_url(…)`: an IFrame of a running server's /embed page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.notebook.iframe import DEFAULT_BASE_URL, embed_url, show

if TYPE_CHECKING:
    from app.notebook.widget import ApiError, Visualizer

__all__ = ["DEFAULT_BASE_URL", "ApiError", "Visualizer", "embed_url", "show"]


def __getattr__(name: str) -> Any:
    if name in ("Visualizer", "ApiError"):
        try:
            from app.notebook import widget
        except ImportError as exc:
            if exc.name not in ("anywidget", "ipywidgets", "traitlets"):
                raise
            raise ImportError(
                "app.notebook.Visualizer needs anywidget: pip install 'backprop-viz[notebook]'"
            ) from exc
        return getattr(widget, name)
    raise AttributeError(f"module 'app.notebook' has no attribute {name!r}")
