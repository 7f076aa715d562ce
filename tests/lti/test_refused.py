"""Launches the tool must refuse (issue 18's list), each by hand with httpx: a proper login
at the tool, then an id_token built here with PyJWT (signed by the platform's key, another
key, or none) posted with the login's state and cookie. Each refusal is a page with the
status docs/lti.md gives it, its code (data-lti-error) and its count in the metrics, and
changes nothing: the login's nonce still opens a proper launch afterwards. Also: the key set
cached and fetched again once for an unknown kid; a platform whose key set is unreachable
(a 502 page, never a 500); the login's own answer and cookie; grade tokens that must send
nothing; the published key set and configuration; LTI off."""

from __future__ import annotations

import html
import json
import re
import secrets
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from tests.lti.conftest import UNREACHABLE, Stack
from tests.lti.flows import (
    Login,
    alg_none,
    b64url,
    error_code,
    hs256_with,
    launch_with,
    launched,
    login,
    lti_metric,
    post_launch,
    thumbprint,
)
from tests.lti.platform import CLAIM, Launch, Platform, rsa_pem

EXERCISE = "update-2-2-1"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def student(name: str) -> Launch:
    return Launch("resource", name, {"exercise": EXERCISE}, link="refused-link")


def accepted(r: httpx.Response, lti: Stack) -> None:
    """A proper resource-link launch: 303 to the exercise (framed: /embed?exercise=…)."""
    assert r.status_code == 303, (r.status_code, error_code(r), r.text[:400])
    where = urlsplit(r.headers["location"])
    assert where.path == "/embed" and parse_qs(where.query)["exercise"] == [EXERCISE], where


# Each refusal's status (docs/lti.md's table).
STATUS = {
    "bad_request": 400,
    "unknown_issuer": 400,
    "unknown_deployment": 403,
    "login_error": 400,
    "bad_state": 400,
    "no_token": 400,
    "bad_token": 400,
    "alg_not_allowed": 401,
    "unknown_kid": 401,
    "key_set_unreachable": 502,
    "bad_signature": 401,
    "expired": 401,
    "not_yet_valid": 401,
    "wrong_issuer": 403,
    "wrong_audience": 403,
    "bad_nonce": 401,
    "nonce_used": 401,
    "bad_version": 400,
    "bad_message_type": 400,
    "missing_claim": 400,
    "bad_custom": 400,
}


def launches(client: httpx.Client, outcome: str) -> float:
    """backprop_viz_lti_launches_total{outcome} in the tool's /metrics."""
    return lti_metric(str(client.base_url).rstrip("/"), "launches", outcome)


def refused(r: httpx.Response, code: str) -> None:
    assert r.status_code == STATUS[code], (code, r.status_code, r.text[:400])
    assert r.headers["content-type"].startswith("text/html"), r.headers["content-type"]
    assert error_code(r) == code, (error_code(r), r.text[:600])


# ---- each refusal of the list ------------------------------------------------------

Forge = Callable[[Platform, Login, dict[str, Any]], tuple[str, str | None]]
"""(platform, login, proper claims) → (the id_token to post, the state to post or None)."""


def _signed(changes: dict[str, Any], drop: tuple[str, ...] = ()) -> Forge:
    """The proper claims with `changes` ("{client}" stands for the client id) and without
    `drop`, signed by the platform's key."""

    def forge(p: Platform, done: Login, claims: dict[str, Any]) -> tuple[str, str | None]:
        given = json.loads(json.dumps(changes).replace("{client}", p.client_id))
        body = {k: v for k, v in {**claims, **given}.items() if k not in drop}
        return p.sign(body), None

    return forge


def _times(iat: int, exp: int) -> Forge:
    def forge(p: Platform, done: Login, claims: dict[str, Any]) -> tuple[str, str | None]:
        now = int(time.time())
        return p.sign({**claims, "iat": now + iat, "exp": now + exp}), None

    return forge


def _another_key(p: Platform, done: Login, claims: dict[str, Any]) -> tuple[str, str | None]:
    return p.sign(claims, key=rsa_pem()), None  # the platform's kid, another key's signature


def _unknown_kid(p: Platform, done: Login, claims: dict[str, Any]) -> tuple[str, str | None]:
    other = rsa_pem()
    return p.sign(claims, key=other, headers={"kid": "a-key-nobody-published"}), None


def _alg_none(p: Platform, done: Login, claims: dict[str, Any]) -> tuple[str, str | None]:
    now = int(time.time())
    return alg_none({"kid": p.kid, "typ": "JWT"}, {**claims, "iat": now, "exp": now + 300}), None


def _hs256(p: Platform, done: Login, claims: dict[str, Any]) -> tuple[str, str | None]:
    now = int(time.time())
    body = {**claims, "iat": now, "exp": now + 300}
    return hs256_with(p.public_pem.encode(), {"kid": p.kid, "typ": "JWT"}, body), None


def _other_state(p: Platform, done: Login, claims: dict[str, Any]) -> tuple[str, str | None]:
    return p.sign(claims), done.state[::-1] + "x"


REFUSALS: dict[str, tuple[Forge, str]] = {
    "expired": (_times(-7200, -3600), "expired"),
    "not yet valid": (_times(3600, 7200), "not_yet_valid"),
    "wrong aud": (_signed({"aud": "another-tool", "azp": "another-tool"}), "wrong_audience"),
    "wrong iss": (_signed({"iss": "https://another-platform.example"}), "wrong_issuer"),
    "unregistered deployment": (
        _signed({CLAIM + "deployment_id": "deployment-nobody-registered"}),
        "unknown_deployment",
    ),
    "signed by another key": (_another_key, "bad_signature"),
    "unknown kid": (_unknown_kid, "unknown_kid"),
    "alg none": (_alg_none, "alg_not_allowed"),
    "HS256 keyed with the public key": (_hs256, "alg_not_allowed"),
    "no nonce": (_signed({}, drop=("nonce",)), "bad_nonce"),
    "no message type": (_signed({}, drop=(CLAIM + "message_type",)), "bad_message_type"),
    "a message type it does not handle": (
        _signed({CLAIM + "message_type": "LtiSubmissionReviewRequest"}),
        "bad_message_type",
    ),
    "wrong version": (_signed({CLAIM + "version": "1.1.0"}), "bad_version"),
    "no version": (_signed({}, drop=(CLAIM + "version",)), "bad_version"),
    "a state that does not match": (_other_state, "bad_state"),
    "several audiences, no azp": (
        _signed({"aud": ["another-tool", "{client}"]}, drop=("azp",)),
        "wrong_audience",
    ),
    "several audiences, azp another's": (
        _signed({"aud": ["another-tool", "{client}"], "azp": "another-tool"}),
        "wrong_audience",
    ),
    "no sub": (_signed({}, drop=("sub",)), "missing_claim"),
    "no resource link": (_signed({}, drop=(CLAIM + "resource_link",)), "missing_claim"),
    "a deep link without a return URL": (
        _signed({CLAIM + "message_type": "LtiDeepLinkingRequest"}),
        "missing_claim",
    ),
    "from another registered platform": (
        _signed({"iss": UNREACHABLE["issuer"], "aud": UNREACHABLE["client_id"]}),
        "wrong_issuer",
    ),
    "an exercise that does not exist": (
        _signed({CLAIM + "custom": {"exercise": "no-such-exercise"}}),
        "bad_custom",
    ),
    "a preset that does not exist": (
        _signed({CLAIM + "custom": {"preset": "no-such-preset"}}),
        "bad_custom",
    ),
    "an exercise and a preset": (
        _signed({CLAIM + "custom": {"exercise": EXERCISE, "preset": "xor"}}),
        "bad_custom",
    ),
    "a network that cannot be opened": (
        _signed({CLAIM + "custom": {"state": "jGARBAGE"}}),
        "bad_custom",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_a_refused_launch_says_why_and_changes_nothing(
    lti: Stack, tool_client: httpx.Client, case: str
) -> None:
    p = lti.platform
    forge, code = REFUSALS[case]
    scores = len(p.scores)
    counted = launches(tool_client, code)
    done = login(tool_client, p, student("refused-" + code))
    claims = p.launch_claims(student("refused-" + code), done.nonce)
    token, state = forge(p, done, claims)
    r = launch_with(tool_client, done, token, state)
    refused(r, code)
    assert launches(tool_client, code) == counted + 1
    # Nothing changed: the login's nonce is still unused, so the proper token opens the
    # exercise; and no score went anywhere.
    accepted(launch_with(tool_client, done, p.sign(claims)), lti)
    assert len(p.scores) == scores


def test_several_audiences_with_azp_the_client_is_accepted(
    lti: Stack, tool_client: httpx.Client
) -> None:
    p = lti.platform
    opened = launches(tool_client, "opened")
    done = login(tool_client, p, student("audiences"))
    claims = p.launch_claims(student("audiences"), done.nonce)
    token = p.sign({**claims, "aud": ["another-tool", p.client_id], "azp": p.client_id})
    accepted(launch_with(tool_client, done, token), lti)
    assert launches(tool_client, "opened") == opened + 1


def test_a_platform_whose_key_set_is_unreachable_gets_a_502_page_not_a_500(
    lti: Stack, tool_client: httpx.Client
) -> None:
    """The login for the second registration (its key set on a closed port); a token signed
    for it: the tool cannot read its keys and says where it looked."""
    other = UNREACHABLE
    params = {
        "iss": other["issuer"],
        "login_hint": "someone",
        "target_link_uri": lti.tool + "/lti/launch",
        "client_id": other["client_id"],
    }
    r = tool_client.get("/lti/login", params=params)
    assert r.status_code == 302 and r.headers["location"].startswith(other["auth_login_url"])
    auth = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}
    cookie = "; ".join(f"{m.key}={m.value}" for m in SimpleCookie(r.headers["set-cookie"]).values())
    p = lti.platform
    claims = p.launch_claims(student("unreachable"), auth["nonce"])
    token = p.sign(
        {**claims, "iss": other["issuer"], "aud": other["client_id"], "azp": other["client_id"]}
    )
    r = post_launch(tool_client, {"id_token": token, "state": auth["state"]}, cookie)
    refused(r, "key_set_unreachable")
    assert other["key_set_url"] in r.text


def test_a_deep_link_from_a_place_that_takes_no_tool_links_is_refused(
    lti: Stack, tool_client: httpx.Client
) -> None:
    """The platform's deep-linking request accepts only plain links and HTML: the tool,
    which answers with an ltiResourceLink, says so rather than answer what will be refused."""
    p = lti.platform
    place = Launch(
        "deep", "teacher-x", data="d-" + secrets.token_hex(4), accept_types=("link", "html")
    )
    r = launched(tool_client, p, place)
    refused(r, "bad_message_type")
    assert "link, html" in r.text or "html, link" in r.text  # what the place takes


def test_a_share_link_that_opens_no_network_is_not_linked(
    lti: Stack, tool_client: httpx.Client
) -> None:
    """The picker checks a pasted share link as the visualizer would read it: a broken state
    is said on the picker (422), and nothing is posted to the platform."""
    p = lti.platform
    r = launched(tool_client, p, Launch("deep", "teacher-y", data="d-" + secrets.token_hex(4)))
    assert r.status_code == 200, r.text[:300]
    context = html.unescape(re.search(r'name="context" value="([^"]+)"', r.text).group(1))
    links = len(p.deep_links)
    for link, words in (
        ("https://viz.example/?v=1&state=jGARBAGE", "state"),
        ("https://viz.example/?v=1&state=j" + b64url(b'{"request": {"input": [1]}}'), "network"),
        ("https://viz.example/embed?preset=xor", "state=…"),
    ):
        answer = tool_client.post(
            "/lti/deep-link", data={"context": context, "choice": "state", "link": link}
        )
        assert answer.status_code == 422, (link, answer.status_code)
        problem = re.search(r'data-bind="problem">([^<]*)<', answer.text)
        assert problem and words in html.unescape(problem.group(1)), (link, answer.text[:800])
        assert 'name="JWT"' not in answer.text
    assert len(p.deep_links) == links


def test_a_login_the_platform_refused_says_so(lti: Stack, tool_client: httpx.Client) -> None:
    """The platform answers the authentication request with an error (the OIDC way: error
    and state posted to the redirect URI), e.g. the student is not signed in."""
    done = login(tool_client, lti.platform, student("no-session"))
    form = {"error": "login_required", "error_description": "no session", "state": done.state}
    r = post_launch(tool_client, form, done.cookie_header())
    refused(r, "login_error")
    assert "login_required" in r.text


def test_the_launch_deletes_the_logins_cookie(lti: Stack, tool_client: httpx.Client) -> None:
    p = lti.platform
    done = login(tool_client, p, student("cookie-gone"))
    r = launch_with(tool_client, done, p.sign(p.launch_claims(student("cookie-gone"), done.nonce)))
    accepted(r, lti)
    (name,) = [m.key for m in done.cookie.values()]
    gone = SimpleCookie()
    for header in r.headers.get_list("set-cookie"):
        gone.load(header)
    assert list(gone) == [name]
    assert gone[name].value in ("", '""') and gone[name]["max-age"] == "0"
    assert gone[name]["path"] == "/lti/"


def test_the_same_id_token_twice_is_refused_the_second_time(
    lti: Stack, tool_client: httpx.Client
) -> None:
    p = lti.platform
    done = login(tool_client, p, student("twice"))
    token = p.sign(p.launch_claims(student("twice"), done.nonce))
    accepted(launch_with(tool_client, done, token), lti)
    refused(launch_with(tool_client, done, token), "nonce_used")


def test_a_nonce_from_another_login_is_refused(lti: Stack, tool_client: httpx.Client) -> None:
    p = lti.platform
    mine = login(tool_client, p, student("mine"))
    theirs = login(tool_client, p, student("theirs"))
    assert mine.nonce != theirs.nonce and mine.state != theirs.state
    # Their nonce in a token posted with my state and my cookie.
    stolen = p.sign(p.launch_claims(student("mine"), theirs.nonce))
    refused(launch_with(tool_client, mine, stolen), "bad_nonce")
    # Both logins are still good for their own launches.
    accepted(
        launch_with(tool_client, mine, p.sign(p.launch_claims(student("mine"), mine.nonce))), lti
    )
    accepted(
        launch_with(tool_client, theirs, p.sign(p.launch_claims(student("theirs"), theirs.nonce))),
        lti,
    )


def test_a_launch_without_the_state_cookie_is_refused(
    lti: Stack, tool_client: httpx.Client
) -> None:
    """Another browser (no cookie) posting a token and state it got hold of."""
    p = lti.platform
    done = login(tool_client, p, student("cookieless"))
    token = p.sign(p.launch_claims(student("cookieless"), done.nonce))
    refused(post_launch(tool_client, {"id_token": token, "state": done.state}, None), "bad_state")
    accepted(launch_with(tool_client, done, token), lti)


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({}, "no_token"),
        ({"id_token": ""}, "no_token"),
        ({"id_token": "not-a-jwt"}, "bad_token"),
        ({"id_token": "a.b.c"}, "bad_token"),
    ],
)
def test_a_launch_without_a_readable_token_is_refused(
    lti: Stack, tool_client: httpx.Client, form: dict[str, str], code: str
) -> None:
    done = login(tool_client, lti.platform, student("unreadable"))
    r = post_launch(tool_client, {**form, "state": done.state}, done.cookie_header())
    refused(r, code)


def test_an_unknown_kid_is_fetched_again_once_and_a_new_key_is_taken(
    lti: Stack, tool_client: httpx.Client
) -> None:
    """The key set is cached: a launch signed with a known key costs no fetch; an unknown
    kid costs one fetch (then the refusal); a key the platform has since published (a key
    rotation) is found by that one fetch and the launch passes."""
    p = lti.platform
    warm = login(tool_client, p, student("kid-warm"))
    accepted(
        launch_with(tool_client, warm, p.sign(p.launch_claims(student("kid-warm"), warm.nonce))),
        lti,
    )

    fetches = p.jwks_fetches
    again = login(tool_client, p, student("kid-cached"))
    token = p.sign(p.launch_claims(student("kid-cached"), again.nonce))
    accepted(launch_with(tool_client, again, token), lti)
    assert p.jwks_fetches == fetches  # cached

    done = login(tool_client, p, student("kid-unknown"))
    claims = p.launch_claims(student("kid-unknown"), done.nonce)
    r = launch_with(tool_client, done, p.sign(claims, key=rsa_pem(), headers={"kid": "nobody"}))
    refused(r, "unknown_kid")
    assert p.jwks_fetches == fetches + 1  # fetched again, once

    # The platform rotates in a new key: published, then used.
    new_pem = rsa_pem()
    public = jwt.algorithms.RSAAlgorithm.to_jwk(
        serialization.load_pem_private_key(new_pem.encode(), None).public_key(), as_dict=True
    )
    new_kid = thumbprint(public)
    p.extra_keys.append({**public, "kid": new_kid, "alg": "RS256", "use": "sig"})
    try:
        accepted(
            launch_with(tool_client, done, p.sign(claims, key=new_pem, headers={"kid": new_kid})),
            lti,
        )
        assert p.jwks_fetches == fetches + 2
    finally:
        p.extra_keys.clear()


# ---- the login ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_login_sends_the_browser_to_the_platform_with_state_nonce_and_a_cookie(
    lti: Stack, tool_client: httpx.Client, method: str
) -> None:
    p = lti.platform
    launch = student("login-" + method)
    done = login(tool_client, p, launch, method)
    auth = done.auth
    assert auth["scope"] == "openid"
    assert auth["response_type"] == "id_token"
    assert auth["response_mode"] == "form_post"
    assert auth["prompt"] == "none"
    assert auth["client_id"] == p.client_id
    assert auth["redirect_uri"] == lti.tool + "/lti/launch"
    # Passed through: the platform knows its launch again by them.
    assert auth["login_hint"] == done.initiation["login_hint"] == launch.user
    assert auth["lti_message_hint"] == done.initiation["lti_message_hint"]
    assert len(auth["state"]) >= 16 and len(auth["nonce"]) >= 16
    # The state cookie, named after the state, for the login only.
    cookies = {m.key: m for m in done.cookie.values()}
    assert len(cookies) == 1, cookies
    ((name, morsel),) = cookies.items()
    assert name.startswith("lti_state_") and morsel.value
    header = done.response.headers["set-cookie"].lower()
    for attribute in ("samesite=none", "secure", "httponly", "max-age=600", "path=/lti/"):
        assert attribute in header, header
    # Two logins never share a state or a nonce.
    other = login(tool_client, p, launch, method)
    assert {other.state, other.nonce}.isdisjoint({done.state, done.nonce})


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"iss": "https://unknown-platform.example"}, "unknown_issuer"),
        ({"client_id": "someone-else"}, "unknown_issuer"),
        ({"lti_deployment_id": "deployment-nobody-registered"}, "unknown_deployment"),
        ({"login_hint": ""}, "bad_request"),
        ({"iss": ""}, "bad_request"),
    ],
)
def test_a_login_the_tool_cannot_answer_is_a_4xx_page_and_no_cookie(
    lti: Stack, tool_client: httpx.Client, change: dict[str, str], code: str
) -> None:
    params = {**lti.platform.initiation(student("bad-login")), **change}
    r = tool_client.get("/lti/login", params=params)
    refused(r, code)
    assert "set-cookie" not in r.headers


# ---- what the tool publishes ------------------------------------------------------------


def test_the_key_set_is_the_tools_public_key_under_its_thumbprint(
    lti: Stack, tool_client: httpx.Client
) -> None:
    r = tool_client.get("/lti/jwks")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    keys = r.json()["keys"]
    assert len(keys) == 1
    (key,) = keys
    public = serialization.load_pem_private_key(lti.tool_pem.encode(), None).public_key()
    want = jwt.algorithms.RSAAlgorithm.to_jwk(public, as_dict=True)
    assert (key["kty"], key["n"], key["e"]) == ("RSA", want["n"], want["e"])
    assert key["kid"] == thumbprint(want)
    assert key["alg"] == "RS256" and key["use"] == "sig"
    assert set(key) == {"kty", "n", "e", "kid", "alg", "use"}  # nothing private


def test_the_canvas_configuration_names_reachable_urls(
    lti: Stack, tool_client: httpx.Client
) -> None:
    r = tool_client.get("/lti/config.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    config = r.json()
    assert config["title"].strip() and config["description"].strip()
    assert config["target_link_uri"] == lti.tool + "/lti/launch"
    assert config["oidc_initiation_url"] == lti.tool + "/lti/login"
    assert config["public_jwk_url"] == lti.tool + "/lti/jwks"
    assert {SCORE_SCOPE, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"} <= set(
        config["scopes"]
    )
    placements = [
        placement
        for extension in config["extensions"]
        for placement in extension["settings"]["placements"]
    ]
    assert "LtiDeepLinkingRequest" in {p.get("message_type") for p in placements}
    for p in placements:
        if p.get("message_type") == "LtiDeepLinkingRequest":
            assert p["target_link_uri"] == lti.tool + "/lti/launch"
    with httpx.Client(timeout=30) as c:
        assert c.get(config["public_jwk_url"]).json() == tool_client.get("/lti/jwks").json()
        # The login answers a GET (here: 400, an initiation without parameters), the launch
        # a POST (here: 4xx, no token): both are there.
        assert c.get(config["oidc_initiation_url"]).status_code == 400
        assert c.post(config["target_link_uri"]).status_code in (400, 401, 403)


def test_the_launch_url_answers_behind_a_proxy_with_the_proxys_address(
    lti: Stack, tool_client: httpx.Client
) -> None:
    """The redirect_uri is the tool's public address: built from the request's own scheme
    and host, X-Forwarded-* honoured as for oEmbed."""
    params = lti.platform.initiation(student("proxied"))
    r = tool_client.get(
        "/lti/login",
        params={**params, "target_link_uri": "https://tool.example/lti/launch"},
        headers={"host": "tool.example", "x-forwarded-proto": "https"},
    )
    assert r.status_code == 302, r.text[:300]
    auth = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["location"]).query).items()}
    assert auth["redirect_uri"] == "https://tool.example/lti/launch"


# ---- LTI off ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/lti/jwks", "/lti/login"])
def test_without_a_key_lti_is_off_and_says_so(base_url: str, path: str) -> None:
    """The session's server has no LTI settings: a page for a browser, JSON for a client."""
    with httpx.Client(base_url=base_url, timeout=30) as c:
        page = c.get(path, headers={"accept": "text/html"})
        data = c.get(path, headers={"accept": "application/json"})
        launch = c.post("/lti/launch", data={"id_token": "x", "state": "y"})
        config = c.get("/lti/config.json", headers={"accept": "text/html"})
    for r in (page, data, launch, config):
        assert r.status_code == 404, (path, r.status_code)
        assert "BACKPROP_VIZ_LTI_PRIVATE_KEY" in r.text, r.text[:300]  # what to set
    assert page.headers["content-type"].startswith("text/html")
    assert error_code(page) == error_code(launch) == "lti_off"
    for r in (data, config):  # a .json address answers JSON whatever it was asked
        assert r.headers["content-type"].startswith("application/json")
        (item,) = json.loads(r.text)["detail"]  # the API's one error shape
        assert item["type"] == "not_found" and item["loc"] == ["path"]


# ---- the grade token: what Check sends back ----------------------------------------------


def grade_token(lti: Stack, tool_client: httpx.Client, user: str) -> tuple[int, str]:
    """A real launch's seed and grade token (the address's fragment)."""
    r = launched(tool_client, lti.platform, student(user))
    accepted(r, lti)
    where = urlsplit(r.headers["location"])
    return int(parse_qs(where.query)["seed"][0]), parse_qs(where.fragment)["lti"][0]


def exercise_ids(client: httpx.Client) -> list[str]:
    return [e["id"] for e in client.get("/api/v1/exercises").json()]


def forged(token: str, **changes: Any) -> str:
    """The grade token with its claims changed and signed again with a key of the forger's."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode({**claims, **changes}, "a-secret-the-forger-chose-32-bytes!", "HS256")


def test_a_grade_token_sends_a_score_only_for_the_launchs_exercise_and_numbers(
    lti: Stack, tool_client: httpx.Client
) -> None:
    """What a student could change on the way from the launch to Check: the seed, the
    exercise, the token's claims (a forged signature), the token itself. Each is checked and
    marked, and none reaches the gradebook; the token as given does."""
    p = lti.platform
    user = "grade-" + secrets.token_hex(4)
    seed, token = grade_token(lti, tool_client, user)
    other_exercise = next(e for e in exercise_ids(tool_client) if e != EXERCISE)
    posts = p.score_attempts
    cases = [
        (EXERCISE, seed + 1, token, "mismatch"),
        (other_exercise, seed, token, "mismatch"),
        (EXERCISE, seed, forged(token, sub="another-student"), "invalid"),
        (
            EXERCISE,
            seed,
            token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),
            "invalid",
        ),
        (EXERCISE, seed, "not-a-token", "invalid"),
    ]
    for exercise, s, t, code in cases:
        r = tool_client.post(
            f"/api/v1/exercises/{exercise}/check", json={"seed": s, "answers": {}, "lti": t}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["lti_score"]["sent"] is False and body["lti_score"]["code"] == code, body
        assert body["lti_score"]["reason"].strip()
    assert p.score_attempts == posts and [s for s in p.scores if s.body["userId"] == user] == []
    r = tool_client.post(
        f"/api/v1/exercises/{EXERCISE}/check", json={"seed": seed, "answers": {}, "lti": token}
    )
    assert r.json()["lti_score"] == {"sent": True, "code": "sent"}
    (score,) = [s.body for s in p.scores if s.body["userId"] == user]
    assert score["scoreGiven"] == 0 and score["scoreMaximum"] == r.json()["max"]
