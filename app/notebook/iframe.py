"""The embed view in a Jupyter notebook: `show("xor", hide="editor,panel")` is an IFrame of a
running backprop-viz server's /embed page.

    from app.notebook import show
    show("worked-example-2-2-2", theme="dark", autoplay="1")
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

if TYPE_CHECKING:
    from IPython.display import IFrame

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def embed_url(
    preset: str | None = None,
    state: str | None = None,
    *,
    base_url: str = DEFAULT_BASE_URL,
    **params: str | None,
) -> str:
    """{base_url}/embed?preset=…&state=…&<params>; None values are left out. Params (hide,
    theme, lang, autoplay, speed, step, …) go through as query parameters unchanged."""
    query = {"preset": preset, "state": state, **params}
    encoded = urlencode({k: str(v) for k, v in query.items() if v is not None})
    url = f"{base_url.rstrip('/')}/embed"
    return f"{url}?{encoded}" if encoded else url


def show(
    preset: str | None = None,
    state: str | None = None,
    *,
    base_url: str = DEFAULT_BASE_URL,
    width: str | int = "100%",
    height: int = 520,
    **params: str | None,
) -> IFrame:
    """An IPython IFrame of the embed view (see embed_url for the parameters)."""
    try:
        from IPython.display import IFrame
    except ImportError as exc:  # IPython is not a dependency of the server
        raise ImportError(
            "app.notebook.show needs IPython (pip install ipython, or run it in Jupyter); "
            "app.notebook.embed_url gives the URL without it"
        ) from exc
    return IFrame(embed_url(preset, state, base_url=base_url, **params), width=width, height=height)
