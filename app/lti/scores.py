"""Scores in the course's gradebook (LTI Assignment and Grade Services 2.0): an access token
by the client-credentials grant with a signed client assertion, then the score posted to the
launch's line item. Tokens are cached until they expire; a post that fails for a reason that
may pass (no answer, a 5xx, a 429) is tried again, a little later, a few times."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from app.lti.keys import ToolKey
from app.lti.registration import Registration
from app.lti.tokens import fresh_id

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TIMEOUT = 10.0
# The waits before the second and third tries (s).
RETRY_WAITS = (0.5, 2.0)


@dataclass(frozen=True)
class Sent:
    """The outcome of a score post: `sent`, or `reason` (English, for the log and metrics;
    the page says it in its own language from `code`)."""

    sent: bool
    code: str
    reason: str = ""


class _TransientError(Exception):
    pass


def scores_url(lineitem: str) -> str:
    """{lineitem}/scores, before the line item URL's query (AGS 2.0, 3.4)."""
    parts = urlsplit(lineitem)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/scores"))


class Gradebook:
    def __init__(
        self,
        key: ToolKey,
        client: Callable[[], httpx.AsyncClient] = lambda: httpx.AsyncClient(timeout=TIMEOUT),
        waits: tuple[float, ...] = RETRY_WAITS,
    ) -> None:
        self.key = key
        self._client = client
        self._waits = waits
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}

    async def post_score(
        self, registration: Registration, lineitem: str, user: str, given: float, maximum: float
    ) -> Sent:
        score = {
            "userId": user,
            "scoreGiven": given,
            "scoreMaximum": maximum,
            "activityProgress": "Completed",
            "gradingProgress": "FullyGraded",
            "timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"),
        }
        last = ""
        async with self._client() as client:
            for attempt in range(len(self._waits) + 1):
                if attempt:
                    await asyncio.sleep(self._waits[attempt - 1])
                try:
                    return await self._post(client, registration, lineitem, score)
                except _TransientError as exc:
                    last = str(exc)
        return Sent(False, "platform_unavailable", last)

    async def _post(
        self, client: httpx.AsyncClient, reg: Registration, lineitem: str, score: dict[str, Any]
    ) -> Sent:
        token = await self._token(client, reg)
        if isinstance(token, Sent):
            return token
        try:
            answer = await client.post(
                scores_url(lineitem),
                json=score,
                headers={"authorization": f"Bearer {token}", "content-type": SCORE_TYPE},
            )
        except httpx.HTTPError as exc:
            raise _TransientError(f"score post: {exc!r}") from None
        if answer.status_code == 401:
            # The token was withdrawn before its time: forget it, and try again.
            self._tokens.pop((reg.auth_token_url, reg.client_id), None)
            raise _TransientError("score post: 401")
        if answer.status_code >= 500 or answer.status_code == 429:
            raise _TransientError(f"score post: {answer.status_code}")
        if answer.status_code >= 400:
            return Sent(False, "platform_refused", f"{answer.status_code} {answer.text[:200]}")
        return Sent(True, "sent")

    async def _token(self, client: httpx.AsyncClient, reg: Registration) -> str | Sent:
        cached = self._tokens.get((reg.auth_token_url, reg.client_id))
        if cached and cached[1] > time.monotonic():
            return cached[0]
        now = int(time.time())
        assertion = self.key.sign(
            {
                "iss": reg.client_id,
                "sub": reg.client_id,
                "aud": reg.auth_token_url,
                "iat": now,
                "exp": now + 300,
                "jti": fresh_id(),
            }
        )
        try:
            answer = await client.post(
                reg.auth_token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_assertion_type": ASSERTION_TYPE,
                    "client_assertion": assertion,
                    "scope": SCORE_SCOPE,
                },
                headers={"accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise _TransientError(f"access token: {exc!r}") from None
        if answer.status_code >= 500 or answer.status_code == 429:
            raise _TransientError(f"access token: {answer.status_code}")
        try:
            body = answer.json()
        except ValueError:
            body = None
        token = body.get("access_token") if isinstance(body, dict) else None
        if answer.status_code >= 400 or not isinstance(token, str):
            return Sent(False, "token_refused", f"{answer.status_code} {answer.text[:200]}")
        lifetime = body.get("expires_in", 3600)
        lifetime = lifetime if isinstance(lifetime, (int, float)) else 3600
        # A little before the platform's end, so that no post carries a token expiring on the way.
        self._tokens[(reg.auth_token_url, reg.client_id)] = (
            token,
            time.monotonic() + max(0.0, float(lifetime) - 30),
        )
        return token
