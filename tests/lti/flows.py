"""The LTI steps as a test takes them by hand (httpx, no browser): the tool's login answered
as the platform's auth endpoint would be asked, the launch posted with the state cookie, and
the id_token's pieces a forger would change."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.lti.platform import Launch, Platform

ERROR = re.compile(r'<main[^>]*\sdata-lti-error="([a-z_]+)"')
FORM_FIELD = re.compile(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


@dataclass
class Login:
    """What the tool's /lti/login answered: where it sends the browser and the cookie."""

    initiation: dict[str, str]  # what the platform sent to /lti/login
    response: httpx.Response
    auth: dict[str, str]  # the authentication request's parameters
    cookie: SimpleCookie  # the Set-Cookie headers, parsed

    @property
    def state(self) -> str:
        return self.auth["state"]

    @property
    def nonce(self) -> str:
        return self.auth["nonce"]

    def cookie_header(self) -> str:
        """The Cookie header a browser would send back to /lti/ (every cookie set here)."""
        return "; ".join(f"{m.key}={m.value}" for m in self.cookie.values())


def login(client: httpx.Client, platform: Platform, launch: Launch, method: str = "GET") -> Login:
    """The platform's initiation for `launch`, sent to the tool's /lti/login; the tool must
    answer 302 to the platform's auth endpoint."""
    params = platform.initiation(launch)
    if method == "GET":
        r = client.get("/lti/login", params=params)
    else:
        r = client.post("/lti/login", data=params)
    assert r.status_code == 302, (r.status_code, r.text[:500])
    location = urlsplit(r.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == platform.base + "/auth"
    query = parse_qs(location.query, keep_blank_values=True)
    assert all(len(v) == 1 for v in query.values()), query
    cookie: SimpleCookie = SimpleCookie()
    for header in r.headers.get_list("set-cookie"):
        cookie.load(header)
    return Login(params, r, {k: v[0] for k, v in query.items()}, cookie)


def auth_form(platform: Platform, done: Login) -> tuple[str, dict[str, str]]:
    """The platform's answer to the tool's authentication request: the form's action and
    fields (what the browser would post)."""
    r = httpx.get(platform.base + "/auth", params=done.auth, timeout=30)
    assert r.status_code == 200, (r.status_code, r.text, platform.problems)
    (action,) = FORM_ACTION.findall(r.text)
    fields = {k: html.unescape(v) for k, v in FORM_FIELD.findall(r.text)}
    return html.unescape(action), fields


def launched(client: httpx.Client, platform: Platform, launch: Launch) -> httpx.Response:
    """The whole launch by hand: the tool's login, the platform's auth answer (its real
    id_token), the form posted to the tool with the cookie; the tool's answer."""
    done = login(client, platform, launch)
    action, fields = auth_form(platform, done)
    assert action == str(client.base_url).rstrip("/") + "/lti/launch", action
    return post_launch(client, fields, done.cookie_header())


def post_launch(client: httpx.Client, form: dict[str, str], cookie: str | None) -> httpx.Response:
    headers = {"cookie": cookie} if cookie else {}
    return client.post("/lti/launch", data=form, headers=headers)


def launch_with(
    client: httpx.Client, done: Login, id_token: str, state: str | None = None
) -> httpx.Response:
    """POST /lti/launch as the browser would after `done`: the token, the state, the cookie."""
    return post_launch(
        client, {"id_token": id_token, "state": state or done.state}, done.cookie_header()
    )


def error_code(r: httpx.Response) -> str | None:
    """The refusal's code: data-lti-error on the page's <main>."""
    m = ERROR.search(r.text)
    return m.group(1) if m else None


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unsigned(header: dict[str, Any], claims: dict[str, Any]) -> str:
    """header.payload of a JWT, base64url, no signature yet."""
    return (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(claims, separators=(",", ":")).encode())
    )


def hs256_with(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
    """The alg-confusion forgery: HS256 keyed with bytes an attacker has (the public key).
    Written here because PyJWT, rightly, will not use a PEM key as an HMAC secret."""
    head = unsigned({**header, "alg": "HS256"}, claims)
    return head + "." + b64url(hmac.new(secret, head.encode(), hashlib.sha256).digest())


def alg_none(header: dict[str, Any], claims: dict[str, Any]) -> str:
    return unsigned({**header, "alg": "none"}, claims) + "."


def thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, no whitespace, base64url."""
    members = {k: jwk[k] for k in ("e", "kty", "n")}
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return b64url(hashlib.sha256(canonical).digest())


def lti_metric(tool: str, name: str, outcome: str) -> float:
    """backprop_viz_lti_<name>_total{outcome} in the tool's /metrics (0 before any)."""
    text = httpx.get(tool + "/metrics", timeout=30).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == f"backprop_viz_lti_{name}_total":
                if sample.labels.get("outcome") == outcome:
                    return sample.value
    return 0.0
