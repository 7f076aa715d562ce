"""Scores in the course's gradebook (LTI Assignment and Grade Services 2.0): an access token
by the client-credentials grant with a signed client assertion, then the score posted to the
launch's line item. Tokens are cached until they expire; a post that fails for a reason that
may pass (no answer, a 5xx, a 429) is tried again, a little later, a few times.

The first Check counts: after it the page shows every expected value and the next launch
gives the same numbers, so a second Check would be graded on answers already seen. Before
posting, the gradebook is asked (the results service) whether the student has a score on
the line item; if so, nothing is posted. A platform that grants no results scope keeps the
last score sent (docs/lti.md)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from app.lti.keys import ToolKey
from app.lti.registration import Registration
from app.lti.tokens import fresh_id

SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
RESULTS_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TIMEOUT = 10.0
# The waits before the second and third tries (s).
RETRY_WAITS = (0.5, 2.0)


@dataclass(frozen=True)
class Sent:
    """The outcome of a score post: `sent`, or `code` and `reason` (English, for the log and
    metrics; the page says it in its own language from `code`). `recorded`: the score the
    gradebook holds already, when that is why nothing was sent."""

    sent: bool
    code: str
    reason: str = ""
    recorded: tuple[float, float] | None = None


class _TransientError(Exception):
    pass


def _below(lineitem: str, leaf: str, query: dict[str, str] | None = None) -> str:
    """{lineitem}/{leaf}, before the line item URL's own query (AGS 2.0, 3.4)."""
    parts = urlsplit(lineitem)
    pairs = parse_qsl(parts.query, keep_blank_values=True) + list((query or {}).items())
    return urlunsplit(
        parts._replace(path=parts.path.rstrip("/") + "/" + leaf, query=urlencode(pairs))
    )


def scores_url(lineitem: str) -> str:
    return _below(lineitem, "scores")


def results_url(lineitem: str, user: str) -> str:
    return _below(lineitem, "results", {"user_id": user})


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
        # By (token URL, client): the token, when it expires, and whether it may read results.
        self._tokens: dict[tuple[str, str], tuple[str, float, bool]] = {}
        # Platforms that refused the results scope: asked for the score scope alone since.
        self._score_only: set[tuple[str, str]] = set()

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
        bearer, may_read = token
        if may_read:
            recorded = await self._recorded(client, reg, bearer, lineitem, score["userId"])
            if recorded is not None:
                return Sent(
                    False,
                    "already_scored",
                    f"the gradebook holds {recorded[0]} of {recorded[1]} from a first Check",
                    recorded,
                )
        try:
            answer = await client.post(
                scores_url(lineitem),
                json=score,
                headers={"authorization": f"Bearer {bearer}", "content-type": SCORE_TYPE},
            )
        except httpx.HTTPError as exc:
            raise _TransientError(f"score post: {exc!r}") from None
        self._raise_transient(answer, reg, "score post")
        if answer.status_code >= 400:
            return Sent(False, "platform_refused", f"{answer.status_code} {answer.text[:200]}")
        return Sent(True, "sent")

    def _raise_transient(self, answer: httpx.Response, reg: Registration, what: str) -> None:
        if answer.status_code == 401:
            # The token was withdrawn before its time: forget it, and try again.
            self._tokens.pop((reg.auth_token_url, reg.client_id), None)
            raise _TransientError(f"{what}: 401")
        if answer.status_code >= 500 or answer.status_code == 429:
            raise _TransientError(f"{what}: {answer.status_code}")

    async def _recorded(
        self, client: httpx.AsyncClient, reg: Registration, bearer: str, lineitem: str, user: str
    ) -> tuple[float, float] | None:
        """The student's score on the line item, if the gradebook has one."""
        try:
            answer = await client.get(
                results_url(lineitem, user),
                headers={"authorization": f"Bearer {bearer}", "accept": RESULTS_TYPE},
            )
        except httpx.HTTPError as exc:
            raise _TransientError(f"results: {exc!r}") from None
        self._raise_transient(answer, reg, "results")
        if answer.status_code >= 400:
            return None  # the platform does not say: the score is posted, the last counts
        try:
            results = answer.json()
        except ValueError:
            return None
        for result in results if isinstance(results, list) else []:
            if not isinstance(result, dict) or result.get("userId") != user:
                continue
            given, maximum = result.get("resultScore"), result.get("resultMaximum", 1)
            if isinstance(given, (int, float)) and isinstance(maximum, (int, float)):
                return float(given), float(maximum)
        return None

    async def _token(self, client: httpx.AsyncClient, reg: Registration) -> tuple[str, bool] | Sent:
        which = (reg.auth_token_url, reg.client_id)
        cached = self._tokens.get(which)
        if cached and cached[1] > time.monotonic():
            return cached[0], cached[2]
        may_read = which not in self._score_only
        answer = await self._ask_token(client, reg, may_read)
        if may_read and 400 <= answer.status_code < 500:
            # Not granted the results scope (invalid_scope): the score scope alone.
            self._score_only.add(which)
            may_read = False
            answer = await self._ask_token(client, reg, may_read)
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
        self._tokens[which] = (token, time.monotonic() + max(0.0, float(lifetime) - 30), may_read)
        return token, may_read

    async def _ask_token(
        self, client: httpx.AsyncClient, reg: Registration, may_read: bool
    ) -> httpx.Response:
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
        scope = f"{SCORE_SCOPE} {RESULTS_SCOPE}" if may_read else SCORE_SCOPE
        try:
            answer = await client.post(
                reg.auth_token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_assertion_type": ASSERTION_TYPE,
                    "client_assertion": assertion,
                    "scope": scope,
                },
                headers={"accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise _TransientError(f"access token: {exc!r}") from None
        if answer.status_code >= 500 or answer.status_code == 429:
            raise _TransientError(f"access token: {answer.status_code}")
        return answer
