"""The tool's own short tokens, signed with the secret every replica derives from the tool's
key (HS256, PyJWT): the server keeps no session between the steps of LTI, so each step hands
the next what it needs, signed, with its purpose (`typ`) and an expiry.

- login: the OIDC `state` (issued at /lti/login, read back at /lti/launch);
- grade: what a score post needs, carried by the exercise page from the launch to Check;
- deep: the deep-linking request's return address and data, carried by the picker."""

from __future__ import annotations

import secrets
import time
from typing import Any, Literal

import jwt

Purpose = Literal["login", "grade", "deep"]

LIFETIMES: dict[Purpose, int] = {
    # From the login to the launch: the platform answers within seconds; a slow sign-in page
    # on the platform's side may take a few minutes.
    "login": 600,
    # From the launch to Check: a lesson's length, so that a student who works long still
    # gets the score sent; after it the page says the launch has expired.
    "grade": 4 * 3600,
    # From the picker's opening to the teacher's choice.
    "deep": 3600,
}


class TokenError(Exception):
    def __init__(self, reason: Literal["expired", "invalid"]) -> None:
        super().__init__(reason)
        self.reason = reason


def issue(secret: bytes, purpose: Purpose, claims: dict[str, Any], now: float | None = None) -> str:
    issued = int(time.time() if now is None else now)
    body = {**claims, "typ": purpose, "iat": issued, "exp": issued + LIFETIMES[purpose]}
    return jwt.encode(body, secret, algorithm="HS256")


def read(secret: bytes, purpose: Purpose, token: str) -> dict[str, Any]:
    """The claims of a token this tool issued for `purpose`, or TokenError."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["exp", "iat", "typ"]}
        )
    except jwt.ExpiredSignatureError:
        raise TokenError("expired") from None
    except jwt.PyJWTError:
        raise TokenError("invalid") from None
    if claims.get("typ") != purpose:
        raise TokenError("invalid")
    return claims


def fresh_id() -> str:
    return secrets.token_urlsafe(16)
