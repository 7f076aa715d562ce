"""A launched student's Check → the score in the course's gradebook. The grade token the
launch gave the page (app/lti/routes.py) says where it goes and for whom; the server, not
the page, computes the score and posts it."""

from __future__ import annotations

from typing import Any

from app.lti import tokens
from app.lti.registration import find
from app.lti.tool import Tool


async def post_grade(
    tool: Tool | None, token: str, exercise: str, seed: int, score: int, maximum: int
) -> dict[str, Any]:
    """{"sent": true, "code": "sent"} or {"sent": false, "code": why, "reason": …}, with
    `recorded` {score, max} when the gradebook holds a first score already."""
    if tool is None or tool.gradebook is None:
        return _not("lti_off", "LTI is off on this server")
    try:
        grant = tokens.read(tool.key.secret, "grade", token)
    except tokens.TokenError as exc:
        if exc.reason == "expired":
            return _not("expired", "the launch is too old: open the link from the course again")
        return _not("invalid", "the lti token is not one this server issued")
    if grant.get("ex") != exercise or grant.get("seed") != seed:
        return _not("mismatch", "the launch was for another exercise or other numbers")
    reg = find(tool.registrations, grant["iss"], grant["cid"])
    if reg is None or grant["dep"] not in reg.deployment_ids:
        return _not("unknown_issuer", "the course's platform is no longer registered here")
    outcome = await tool.gradebook.post_score(reg, grant["li"], grant["sub"], score, maximum)
    if outcome.sent:
        return {"sent": True, "code": "sent"}
    answer = _not(outcome.code, outcome.reason)
    if outcome.recorded is not None:
        answer["recorded"] = {"score": outcome.recorded[0], "max": outcome.recorded[1]}
    return answer


def _not(code: str, reason: str) -> dict[str, Any]:
    return {"sent": False, "code": code, "reason": reason}
