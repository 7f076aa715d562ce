"""The README's table of BACKPROP_VIZ_* variables is the settings: every setting has a row,
every row is a setting, and each row's default, given as the variable's value, is the default
the server starts with."""

from __future__ import annotations

import os
import re
from dataclasses import fields
from typing import Any

import pytest

from app.engine.limits import Limits
from app.settings import PREFIX, Settings
from tests.server import ROOT

ROW = re.compile(r"^\| `(BACKPROP_VIZ_[A-Z_]+)` \| (`[^`]*`|\*\(empty\)\*) \|", re.M)


def _table() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    return {
        name: "" if cell.startswith("*") else cell.strip("`") for name, cell in ROW.findall(readme)
    }


def _every_variable() -> dict[str, Any]:
    """Each variable and the default it stands for."""
    defaults = Settings.model_construct()  # the class defaults, not this process's environment
    out: dict[str, Any] = {
        PREFIX + f.name.upper(): getattr(Limits(), f.name) for f in fields(Limits)
    }
    for name in Settings.model_fields:
        if name != "limits":
            out[PREFIX + name.upper()] = getattr(defaults, name)
    return out


def test_every_setting_has_a_row_and_every_row_is_a_setting() -> None:
    assert set(_table()) == set(_every_variable())


@pytest.mark.parametrize("variable", sorted(_every_variable()))
def test_the_rows_default_is_the_servers(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(PREFIX):
            monkeypatch.delenv(name)
    monkeypatch.setenv(variable, _table()[variable])
    settings = Settings()
    name = variable.removeprefix(PREFIX).lower()
    given = getattr(settings.limits, name) if hasattr(Limits, name) else getattr(settings, name)
    assert given == _every_variable()[variable]
