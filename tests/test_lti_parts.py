"""The LTI tool's parts on their own (app/lti): registrations read or refused, the student's
seed, the platform's key set fetched again once, the gradebook client's token cache and
retries, the short tokens. The whole flow with a real platform is tests/lti/."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from app.lti import tokens
from app.lti.grading import post_grade
from app.lti.keys import PlatformKeys, ToolKey
from app.lti.registration import Registration, find, load_registrations, parse_registrations
from app.lti.scores import Gradebook, scores_url
from app.lti.tool import Tool, content_item, state_of_link, student_seed, what_opens

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
REG = {
    "issuer": "https://lms.example",
    "client_id": "c1",
    "deployment_ids": ["d1"],
    "auth_login_url": "https://lms.example/auth",
    "auth_token_url": "https://lms.example/token",
    "key_set_url": "https://lms.example/jwks",
}


def test_registrations_are_read_and_a_bad_one_is_named(tmp_path: Path) -> None:
    path = tmp_path / "platforms.json"
    path.write_text(json.dumps([REG, {**REG, "client_id": "c2"}]))
    regs = load_registrations(path)
    assert [r.client_id for r in regs] == ["c1", "c2"]
    assert find(regs, "https://lms.example", "c2") == regs[1]
    # Two registrations of one issuer: a login without client_id cannot choose.
    assert find(regs, "https://lms.example", None) is None
    assert find(regs[:1], "https://lms.example", None) == regs[0]
    cases = [
        ({}, "must be a JSON list"),
        ([{**REG, "key_set_url": "ftp://x"}], "[0].key_set_url: must be an http(s) URL"),
        ([{k: v for k, v in REG.items() if k != "issuer"}], "missing ['issuer']"),
        ([{**REG, "extra": 1}], "unknown ['extra']"),
        ([{**REG, "deployment_ids": []}], "deployment_ids: must be a non-empty list"),
        ([REG, REG], "twice"),
    ]
    for data, words in cases:
        with pytest.raises(ValueError) as err:
            parse_registrations(data, "p.json")
        assert words in str(err.value)
    path.write_text("{not json")
    with pytest.raises(ValueError, match="is not JSON"):
        load_registrations(path)


def test_the_tool_key_set_is_its_public_key_with_a_thumbprint_kid() -> None:
    tool = ToolKey(KEY)
    (jwk,) = tool.key_set()["keys"]
    assert set(jwk) == {"kty", "n", "e", "kid", "alg", "use"}
    # RFC 7638's own example (section 3.1): the thumbprint of its RSA key.
    example = {
        "kty": "RSA",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhD"
        "R1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4Q"
        "yQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbIS"
        "D08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEg"
        "U8awapJzKnqDKgw",
        "e": "AQAB",
    }
    from app.lti.keys import _thumbprint

    assert _thumbprint(example) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    signed = tool.sign({"hello": 1})
    assert jwt.get_unverified_header(signed)["kid"] == jwk["kid"]
    public = RSAAlgorithm.from_jwk(jwk)
    assert jwt.decode(signed, public, algorithms=["RS256"]) == {"hello": 1}


def test_each_student_has_their_own_seed_and_keeps_it() -> None:
    secret = ToolKey(KEY).secret
    seed = lambda user, link="rl1": student_seed(secret, "iss", "d1", link, user, 2**32 - 1)  # noqa: E731
    assert seed("alice") == seed("alice")
    seeds = {seed(f"student{i}") for i in range(200)}
    assert len(seeds) == 200  # 200 students, 200 variants (a collision is ~5e-6 likely)
    assert seed("alice", "rl2") != seed("alice")
    assert all(
        0 <= s <= 9 for s in (student_seed(secret, "i", "d", "r", str(u), 9) for u in range(50))
    )
    # Another tool key, other seeds: one cannot work out a student's numbers from their ids.
    other = ToolKey(rsa.generate_private_key(public_exponent=65537, key_size=2048)).secret
    assert student_seed(other, "iss", "d1", "rl1", "alice", 2**32 - 1) != seed("alice")


def test_what_a_link_opens() -> None:
    assert what_opens({"exercise": "gradient-2-2-1"}) == ("exercise", "gradient-2-2-1")
    assert what_opens({"preset": "xor", "other": "x"}) == ("preset", "xor")
    assert what_opens({}) == ("default", "")
    for bad in (
        {"exercise": "nope"},
        {"preset": "nope"},
        {"exercise": "gradient-2-2-1", "preset": "xor"},
    ):
        with pytest.raises(ValueError):
            what_opens(bad)
    assert state_of_link("https://viz.example/?v=1&state=jABC") == "jABC"
    assert state_of_link("https://viz.example/embed?preset=xor") is None
    item = content_item("exercise", "gradient-2-2-1", "https://t/lti/launch")
    assert item["lineItem"] == {
        "scoreMaximum": 5,
        "label": item["title"],
        "resourceId": "exercise:gradient-2-2-1",
    }
    assert "lineItem" not in content_item("preset", "xor", "https://t/lti/launch")


def test_short_tokens_keep_their_purpose_and_expire() -> None:
    secret = b"s" * 32
    token = tokens.issue(secret, "grade", {"ex": "e"})
    assert tokens.read(secret, "grade", token)["ex"] == "e"
    for purpose, key in (("login", secret), ("grade", b"t" * 32)):
        with pytest.raises(tokens.TokenError) as err:
            tokens.read(key, purpose, token)  # type: ignore[arg-type]
        assert err.value.reason == "invalid"
    old = tokens.issue(secret, "login", {}, now=time.time() - 601)
    with pytest.raises(tokens.TokenError) as err:
        tokens.read(secret, "login", old)
    assert err.value.reason == "expired"


def _jwks(*kids: str) -> dict[str, Any]:
    jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [{**jwk, "kid": kid} for kid in kids]}


def test_the_platform_key_set_is_cached_and_fetched_again_once_for_a_new_kid() -> None:
    served = {"set": _jwks("k1")}
    fetches: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        fetches.append(str(request.url))
        return httpx.Response(200, json=served["set"])

    keys = PlatformKeys(lambda: httpx.AsyncClient(transport=httpx.MockTransport(handler)))

    async def run() -> None:
        assert await keys.key("https://p/jwks", "k1") is not None
        assert await keys.key("https://p/jwks", "k1") is not None
        assert len(fetches) == 1  # cached
        served["set"] = _jwks("k1", "k2")  # the platform rotates
        assert await keys.key("https://p/jwks", "k2") is not None
        assert len(fetches) == 2  # fetched again once
        assert await keys.key("https://p/jwks", "k9") is None
        assert len(fetches) == 3  # an unknown kid: one more fetch, then no

    asyncio.run(run())


class Platform:
    """The token endpoint and the line item, answering from a script of statuses; its
    results service answers from the scores received (none unless `results`)."""

    def __init__(
        self,
        score_statuses: list[int],
        token_statuses: list[int] | None = None,
        results: bool = False,
        grants_results: bool = True,
    ) -> None:
        self.score_statuses = score_statuses
        self.token_statuses = token_statuses or []
        self.results = results
        self.grants_results = grants_results
        self.tokens = 0
        self.scopes: list[str] = []
        self.scores: list[httpx.Request] = []
        self.reads = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/results"):
            self.reads += 1
            user = request.url.params["user_id"]
            bodies = [json.loads(r.content) for r in self.scores] if self.results else []
            return httpx.Response(
                200,
                json=[
                    {
                        "userId": b["userId"],
                        "resultScore": b["scoreGiven"],
                        "resultMaximum": b["scoreMaximum"],
                    }
                    for b in bodies
                    if b["userId"] == user
                ][-1:],
            )
        if request.url.path == "/token":
            self.tokens += 1
            form = dict(httpx.QueryParams(request.content.decode()))
            self.scopes.append(form["scope"])
            if not self.grants_results and "result.readonly" in form["scope"]:
                return httpx.Response(400, json={"error": "invalid_scope"})
            status = self.token_statuses.pop(0) if self.token_statuses else 200
            claims = jwt.decode(
                form["client_assertion"],
                KEY.public_key(),
                algorithms=["RS256"],
                audience=REG["auth_token_url"],
            )
            assert claims["iss"] == claims["sub"] == "c1"
            assert form["grant_type"] == "client_credentials"
            assert form["scope"].split()[0] == "https://purl.imsglobal.org/spec/lti-ags/scope/score"
            return httpx.Response(
                status, json={"access_token": f"T{self.tokens}", "expires_in": 3600}
            )
        self.scores.append(request)
        return httpx.Response(self.score_statuses.pop(0) if self.score_statuses else 200, json={})


def _book(platform: Platform) -> Gradebook:
    transport = httpx.MockTransport(platform.handler)
    return Gradebook(ToolKey(KEY), lambda: httpx.AsyncClient(transport=transport), waits=(0, 0))


def test_scores_are_posted_with_a_cached_token_and_retried() -> None:
    reg = Registration(**{**REG, "deployment_ids": ("d1",)})
    platform = Platform([503, 200, 200, 401, 200, 404, 500, 500, 500])
    book = _book(platform)

    async def run() -> list[Any]:
        return [
            await book.post_score(reg, "https://lms.example/li/7?a=1", "u1", 3, 5),  # 503, then 200
            await book.post_score(reg, "https://lms.example/li/7?a=1", "u1", 4, 5),  # 200
            await book.post_score(
                reg, "https://lms.example/li/7?a=1", "u1", 4, 5
            ),  # 401: new token
            await book.post_score(reg, "https://lms.example/li/7", "u1", 4, 5),  # 404: refused
            await book.post_score(reg, "https://lms.example/li/7", "u1", 4, 5),  # 500 × 3
        ]

    sent = asyncio.run(run())
    assert [(s.sent, s.code) for s in sent] == [
        (True, "sent"),
        (True, "sent"),
        (True, "sent"),
        (False, "platform_refused"),
        (False, "platform_unavailable"),
    ]
    assert platform.tokens == 2  # one, cached, until the 401
    first = platform.scores[0]
    assert str(first.url) == "https://lms.example/li/7/scores?a=1"
    assert first.headers["content-type"] == "application/vnd.ims.lis.v1.score+json"
    assert first.headers["authorization"] == "Bearer T1"
    body = json.loads(first.content)
    assert body["userId"] == "u1" and body["scoreGiven"] == 3 and body["scoreMaximum"] == 5
    assert body["activityProgress"] == "Completed" and body["gradingProgress"] == "FullyGraded"
    assert platform.scores[4].headers["authorization"] == "Bearer T2"


def test_the_first_score_stands_and_a_platform_without_results_keeps_the_last() -> None:
    reg = Registration(**{**REG, "deployment_ids": ("d1",)})
    platform = Platform([], results=True)
    book = _book(platform)

    async def twice(user: str) -> list[Any]:
        return [
            await book.post_score(reg, "https://lms.example/li/3", user, 2, 5),
            await book.post_score(reg, "https://lms.example/li/3", user, 5, 5),
        ]

    first, second = asyncio.run(twice("u1"))
    assert (first.sent, first.code) == (True, "sent")
    assert (second.sent, second.code, second.recorded) == (False, "already_scored", (2.0, 5.0))
    assert [json.loads(r.content)["scoreGiven"] for r in platform.scores] == [2]
    assert platform.reads == 2
    assert platform.scopes == [
        "https://purl.imsglobal.org/spec/lti-ags/scope/score "
        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
    ]
    # A platform that grants no results scope: the score scope alone, and every score posted.
    platform = Platform([], results=True, grants_results=False)
    book = _book(platform)
    first, second = asyncio.run(twice("u2"))
    assert (first.code, second.code) == ("sent", "sent")
    assert [json.loads(r.content)["scoreGiven"] for r in platform.scores] == [2, 5]
    assert platform.reads == 0
    assert [s.split()[-1].rsplit("/", 1)[-1] for s in platform.scopes] == [
        "result.readonly",
        "score",
    ]


def test_a_refused_token_is_said() -> None:
    reg = Registration(**{**REG, "deployment_ids": ("d1",)})
    platform = Platform([], token_statuses=[400, 400])  # with the results scope, then without
    sent = asyncio.run(_book(platform).post_score(reg, "https://lms.example/li/1", "u", 1, 1))
    assert (sent.sent, sent.code) == (False, "token_refused")
    assert platform.scores == []


def test_scores_url_keeps_the_query_after_the_path() -> None:
    assert scores_url("https://l/li/1") == "https://l/li/1/scores"
    assert scores_url("https://l/li/1/?type=x") == "https://l/li/1/scores?type=x"


def test_a_grade_token_posts_only_its_own_exercise_and_seed() -> None:
    tool = Tool(ToolKey(KEY), (Registration(**{**REG, "deployment_ids": ("d1",)}),))
    platform = Platform([])
    tool.gradebook = _book(platform)
    grant = {
        "iss": REG["issuer"],
        "cid": "c1",
        "dep": "d1",
        "sub": "u9",
        "li": "https://lms.example/li/2",
        "ex": "e1",
        "seed": 42,
    }
    token = tokens.issue(tool.key.secret, "grade", grant)

    def post(exercise: str, seed: int, tok: str = token, t: Tool | None = tool) -> dict[str, Any]:
        return asyncio.run(post_grade(t, tok, exercise, seed, 2, 5))

    assert post("e1", 43)["code"] == "mismatch"
    assert post("e2", 42)["code"] == "mismatch"
    assert post("e1", 42, tok=token + "x")["code"] == "invalid"
    assert post("e1", 42, t=None)["code"] == "lti_off"
    assert platform.scores == []
    assert post("e1", 42) == {"sent": True, "code": "sent"}
    assert json.loads(platform.scores[0].content)["userId"] == "u9"
