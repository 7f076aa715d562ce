"""The platforms this tool trusts (BACKPROP_VIZ_LTI_PLATFORMS): a JSON file holding a list of
registrations, read once at startup. A registration is what a platform's administrator and
this tool's exchanged when the tool was added (docs/lti.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

FIELDS = (
    "issuer",
    "client_id",
    "deployment_ids",
    "auth_login_url",
    "auth_token_url",
    "key_set_url",
)


@dataclass(frozen=True)
class Registration:
    issuer: str
    client_id: str
    deployment_ids: tuple[str, ...]
    auth_login_url: str
    auth_token_url: str
    key_set_url: str


def _url(value: object, where: str) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
        raise ValueError(f"{where}: must be an http(s) URL, got {value!r}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{where}: must be a non-empty string, got {value!r}")
    return value


def parse_registrations(data: object, source: str = "registrations") -> tuple[Registration, ...]:
    """The registrations in `data` (the file's JSON), or a ValueError naming what is wrong:
    a server with a bad registration stops at startup, not at a student's launch."""
    if not isinstance(data, list):
        raise ValueError(f"{source}: must be a JSON list of registrations")
    found: list[Registration] = []
    for i, item in enumerate(data):
        where = f"{source}[{i}]"
        if not isinstance(item, dict):
            raise ValueError(f"{where}: must be an object")
        missing = [f for f in FIELDS if f not in item]
        extra = sorted(set(item) - set(FIELDS))
        if missing or extra:
            raise ValueError(f"{where}: missing {missing}, unknown {extra}")
        ids = item["deployment_ids"]
        if not isinstance(ids, list) or not ids:
            raise ValueError(f"{where}.deployment_ids: must be a non-empty list of strings")
        reg = Registration(
            issuer=_text(item["issuer"], f"{where}.issuer"),
            client_id=_text(item["client_id"], f"{where}.client_id"),
            deployment_ids=tuple(_text(d, f"{where}.deployment_ids") for d in ids),
            auth_login_url=_url(item["auth_login_url"], f"{where}.auth_login_url"),
            auth_token_url=_url(item["auth_token_url"], f"{where}.auth_token_url"),
            key_set_url=_url(item["key_set_url"], f"{where}.key_set_url"),
        )
        if any(r.issuer == reg.issuer and r.client_id == reg.client_id for r in found):
            raise ValueError(f"{where}: {reg.issuer} with client {reg.client_id} twice")
        found.append(reg)
    return tuple(found)


def load_registrations(path: str | Path) -> tuple[Registration, ...]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"BACKPROP_VIZ_LTI_PLATFORMS: cannot read {path}: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"BACKPROP_VIZ_LTI_PLATFORMS: {path} is not JSON: {exc}") from None
    return parse_registrations(data, str(path))


def find(
    registrations: tuple[Registration, ...], issuer: str, client_id: str | None
) -> Registration | None:
    """The registration of `issuer` (and `client_id`, which a platform with one registration
    here may leave out of its login initiation)."""
    same = [r for r in registrations if r.issuer == issuer]
    if client_id is not None:
        same = [r for r in same if r.client_id == client_id]
    return same[0] if len(same) == 1 else None
