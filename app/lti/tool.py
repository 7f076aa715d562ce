"""The tool: its key, the platforms it trusts, their keys, the nonces used and the gradebook
client, built once from the settings (None when LTI is off), and the choices a launch or a
deep link can name."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.engine import PRESETS
from app.exercises import EXERCISES
from app.lti.keys import PlatformKeys, ToolKey
from app.lti.launch import UsedNonces
from app.lti.registration import Registration, load_registrations
from app.lti.scores import Gradebook


@dataclass
class Tool:
    key: ToolKey
    registrations: tuple[Registration, ...]
    keys: PlatformKeys = field(default_factory=PlatformKeys)
    used: UsedNonces = field(default_factory=UsedNonces)
    gradebook: Gradebook | None = None

    def __post_init__(self) -> None:
        self.gradebook = self.gradebook or Gradebook(self.key)

    @classmethod
    def from_settings(cls, platforms: str, private_key: str) -> Tool | None:
        if not private_key:
            return None
        registrations = load_registrations(platforms) if platforms else ()
        return cls(ToolKey.from_pem(private_key), registrations)


def student_seed(
    secret: bytes, issuer: str, deployment: str, resource_link: str, user: str, max_seed: int
) -> int:
    """The student's own variant of the link's exercise: the same user on the same link gets
    the same numbers at every launch, another user (almost surely) others. Keyed, so that
    one cannot work out another student's seed from their ids."""
    message = "\n".join((issuer, deployment, resource_link, user)).encode()
    digest = hmac.new(secret, b"seed\n" + message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % (max_seed + 1)


class BadChoiceError(ValueError):
    pass


def what_opens(custom: dict[str, str]) -> tuple[str, str]:
    """A link's custom parameters → ("exercise", id), ("preset", name), ("state", link
    state) or ("default", ""); BadChoiceError naming what is wrong."""
    named = [k for k in ("exercise", "preset", "state") if custom.get(k)]
    if len(named) > 1:
        raise BadChoiceError(f"the link names {' and '.join(named)}: it may name one of them")
    if not named:
        return "default", ""
    kind = named[0]
    value = custom[kind]
    if kind == "exercise" and value not in EXERCISES:
        raise BadChoiceError(f"there is no exercise {value!r}; there are {', '.join(EXERCISES)}")
    if kind == "preset" and value not in PRESETS:
        raise BadChoiceError(f"there is no preset {value!r}; there are {', '.join(PRESETS)}")
    return kind, value


def state_of_link(text: str) -> str | None:
    """The link state in a pasted share link (…?v=1&state=…), or None."""
    try:
        query = urlsplit(text.strip()).query
    except ValueError:
        return None
    states = parse_qs(query).get("state")
    return states[-1] if states and states[-1] else None


def content_item(
    kind: str, value: str, launch_url: str, title: str | None = None
) -> dict[str, Any]:
    """The one ltiResourceLink a deep link answers with; an exercise's has a line item, so
    that the platform makes a gradebook column for it."""
    item: dict[str, Any] = {"type": "ltiResourceLink", "url": launch_url, "custom": {kind: value}}
    if kind == "exercise":
        exercise = EXERCISES[value]
        item["title"] = title or exercise.title["en"]
        item["lineItem"] = {
            "scoreMaximum": len(exercise.questions),
            "label": exercise.title["en"],
            "resourceId": f"exercise:{value}",
        }
    elif kind == "preset":
        item["title"] = title or f"backprop-viz: {PRESETS[value].title}"
    else:
        item["title"] = title or "backprop-viz: a network"
    return item
