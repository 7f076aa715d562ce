"""app.notebook: show() is an IFrame of the embed view, and its URL is served."""

from __future__ import annotations

import sys
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest

from app.notebook import embed_url, show


def test_embed_url_passes_the_parameters_through() -> None:
    url = embed_url(
        "xor", base_url="http://host:9000/", hide="editor,panel", theme="dark", lang=None
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("http", "host:9000", "/embed")
    assert parse_qs(parts.query) == {
        "preset": ["xor"],
        "hide": ["editor,panel"],
        "theme": ["dark"],
    }


def test_embed_url_encodes_values() -> None:
    url = embed_url(state="a b&c=d/é", step="3")
    assert url.startswith("http://127.0.0.1:8000/embed?")
    assert " " not in url and "é" not in url
    assert parse_qs(urlsplit(url).query) == {"state": ["a b&c=d/é"], "step": ["3"]}
    assert embed_url() == "http://127.0.0.1:8000/embed"


def test_show_is_an_iframe() -> None:
    from IPython.display import IFrame

    frame = show("xor", base_url="http://example.test", height=400, autoplay="1")
    assert isinstance(frame, IFrame)
    assert frame.src == "http://example.test/embed?preset=xor&autoplay=1"
    assert (frame.width, frame.height) == ("100%", 400)
    assert 'src="http://example.test/embed?preset=xor&amp;autoplay=1"' in frame._repr_html_()
    assert show(width=600).width == 600


def test_show_without_ipython_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "IPython.display", None)  # import fails
    with pytest.raises(ImportError, match="pip install ipython"):
        show("xor")
    assert embed_url("xor").endswith("/embed?preset=xor")  # no IPython needed


def test_show_url_is_served(base_url: str) -> None:
    frame = show("xor", base_url=base_url, hide="editor,panel", theme="dark")
    with urllib.request.urlopen(frame.src, timeout=10) as r:
        assert r.status == 200
        assert 'data-view="embed"' in r.read().decode()
