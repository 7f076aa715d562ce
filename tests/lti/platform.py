"""A learning platform for the LTI tests: the `lti1p3platform` package (the platform side of
LTI 1.3, Deep Linking 2.0 and AGS 2.0) served by uvicorn on a loopback port, in a thread of
the test process, so that a test reads what it received directly.

What it does, as a course platform would:
- GET  /start           a teacher or student follows a link in the course: the OIDC
                        third-party initiation, a redirect to the tool's /lti/login;
- GET|POST /auth        the OIDC authentication endpoint the tool sends the browser to: it
                        checks the request and answers with an auto-submitting form that
                        posts id_token and state to the tool's redirect_uri;
- GET  /jwks            its public key set (counted: the tool's fetches);
- POST /token           client credentials with the tool's signed client_assertion, verified
                        against the tool's /lti/jwks;
- POST /lineitems/{id}/lineitem/scores   AGS scores, recorded;
- POST /deep-link-return                 Deep Linking responses, validated and recorded.

Everything it refuses is recorded in `problems` with the reason, and answered with a 4xx:
a test asserts that list is empty after a flow that should pass.
"""

from __future__ import annotations

import contextlib
import html
import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request as LibRequest
from lti1p3platform.request import TRequest
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import AssignmentsGradesService
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.server import free_port

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DL_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/"
AGS_CLAIM = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
RESULTS_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
RESULTS_TYPE = "application/vnd.ims.lis.v2.resultcontainer+json"
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
COURSE = "c1"  # every line item URL carries ?course=c1: the tool appends /scores before it


def rsa_pem() -> str:
    """A fresh 2048-bit RSA private key, PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_pem(private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@dataclass
class Launch:
    """What a link in the course opens: the message, who follows it, and its claims."""

    kind: str  # "resource" (LtiResourceLinkRequest) or "deep" (LtiDeepLinkingRequest)
    user: str
    custom: dict[str, str] = field(default_factory=dict)
    link: str = "link-1"  # the resource link's id
    lineitem: bool = True  # an AGS endpoint claim with a line item
    locale: str | None = None
    document_target: str | None = None
    return_url: str | None = None
    data: str | None = None  # the deep-linking request's opaque `data`
    storage_target: str | None = None  # lti_storage_target: the platform's storage frame
    accept_types: tuple[str, ...] = ("ltiResourceLink",)  # what a deep link may answer with


@dataclass
class Score:
    lineitem: str  # the line item's id (its path segment)
    query: dict[str, list[str]]
    body: dict[str, Any]
    token_claims: dict[str, Any]


@dataclass
class DeepLink:
    """A validated LtiDeepLinkingResponse: its claims, and the request it answers."""

    claims: dict[str, Any]
    items: list[dict[str, Any]]
    header: dict[str, Any]


class _Req(LibRequest):
    """The package's request shape, from what a Starlette handler has already read."""

    def build_metadata(self, request: TRequest) -> TRequest:
        return request


class _Conf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        self._registration = kwargs["registration"]
        self.platform: Platform = kwargs["platform"]

    def fetch_public_key(self, key_set_url: str) -> Any:
        self.platform._record(
            lambda: setattr(self.platform, "tool_jwks_fetches", self.platform.tool_jwks_fetches + 1)
        )
        return super().fetch_public_key(key_set_url)

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        raise AssertionError("set in init_platform_config")


class _Login(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def get_redirect(self, url: str) -> Response:
        return RedirectResponse(url, status_code=302)


class _MessageLaunch(LTIAdvantageMessageLaunchAbstract):
    """The id_token of one Launch, claims set the package's way."""

    def __init__(self, request: _Req, conf: _Conf, platform: Platform, launch: Launch) -> None:
        super().__init__(request, conf)
        self.platform = platform
        self.launch = launch

    def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
        p, launch = self.platform, self.launch
        role = INSTRUCTOR if launch.kind == "deep" else LEARNER
        self.set_user_data(launch.user, [role], full_name=f"User {launch.user}")
        self.set_launch_context_claim("course-" + COURSE, context_title="Neural networks")
        if launch.kind == "resource":
            self.set_resource_link_claim(launch.link, title="Backprop exercise")
        if launch.custom:
            self.set_custom_parameters_claim(dict(launch.custom))
        if launch.document_target or launch.return_url:
            self.set_launch_presentation_claim(launch.document_target, launch.return_url)
        if launch.kind == "resource" and launch.lineitem:
            self.set_ags(
                lineitems_url=f"{p.base}/lineitems?course={COURSE}",
                lineitem_url=p.lineitem_url(launch.link),
                allow_creating_lineitems=False,
            )
        if launch.kind == "deep":
            self.set_dl(
                p.base + "/deep-link-return",
                title="Add a backprop-viz activity",
                accept_types=set(launch.accept_types),
                extra_data=launch.data,  # type: ignore[arg-type]  # the spec's opaque string
            )

    def get_launch_message(self, include_extra_claims: bool = True) -> dict[str, Any]:
        message = super().get_launch_message(include_extra_claims)
        if self.launch.locale:  # the package writes no locale; the spec puts it here
            presentation = message.setdefault(CLAIM + "launch_presentation", {})
            message[CLAIM + "launch_presentation"] = {**presentation, "locale": self.launch.locale}
        return message

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> Response:
        return HTMLResponse(
            auto_submit(
                launch_data["launch_url"],
                {"id_token": launch_data["id_token"], "state": launch_data["state"]},
            )
        )


# The platform's side of the LTI client-side storage: answers lti.put_data and lti.get_data
# (and lti.capabilities) to the frame that asked, keeping each origin's data apart; records
# each message in the top window's ltiMessages (a frame of this origin reaches it).
STORAGE_JS = """
(() => {
  const store = new Map();
  const log = (window.top.ltiMessages = window.top.ltiMessages || []);
  window.addEventListener("message", (e) => {
    const m = e.data;
    if (!m || typeof m !== "object" || typeof m.subject !== "string") return;
    if (!m.subject.startsWith("lti.") || m.subject.endsWith(".response")) return;
    log.push({ subject: m.subject, key: m.key, origin: e.origin, id: m.message_id });
    const id = e.origin + " " + m.key;
    let answer = { subject: m.subject + ".response", message_id: m.message_id, key: m.key };
    if (m.subject === "lti.capabilities") {
      answer.supported_messages = [{ subject: "lti.put_data" }, { subject: "lti.get_data" }];
    } else if (m.subject === "lti.put_data") {
      store.set(id, m.value);
      answer.value = m.value;
    } else if (m.subject === "lti.get_data" && store.has(id)) {
      answer.value = store.get(id);
    } else if (m.subject === "lti.get_data") {
      answer.error = { code: "bad_request", message: "nothing kept under that key" };
    } else {
      answer.error = { code: "unsupported_subject", message: m.subject };
    }
    e.source.postMessage(answer, e.origin);
  });
})();
"""


def auto_submit(action: str, fields: dict[str, str]) -> str:
    """A page that posts `fields` to `action` as soon as it loads (the LTI form post)."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return (
        "<!doctype html><html><head><title>Launching…</title></head><body>"
        f'<form id="f" method="post" action="{html.escape(action)}">{inputs}</form>'
        "<script>document.getElementById('f').submit()</script></body></html>"
    )


class Platform:
    """The platform's state and its key. `tool` is the tool's base URL, set once the tool
    runs (the registration JSON needs this platform's URLs before the tool starts)."""

    def __init__(self, host: str = "localhost") -> None:
        # localhost for the platform, 127.0.0.1 for the tool: two sites, as in a real course,
        # so the tool's state cookie crosses sites the way it will in production.
        self.port = free_port()
        self.base = f"http://{host}:{self.port}"
        self.issuer = self.base
        self.client_id = "backprop-viz-" + secrets.token_hex(4)
        self.deployment_id = "deployment-1"
        self.private_pem = rsa_pem()
        self.public_pem = public_pem(self.private_pem)
        self.kid = Registration.get_jwk(self.private_pem)["kid"]
        self.tool = ""
        self._lock = threading.Condition()
        self._launches: dict[str, Launch] = {}
        self.scores: list[Score] = []
        self.score_attempts = 0
        self.deep_links: list[DeepLink] = []
        self.tokens_issued: list[dict[str, Any]] = []
        self.jwks_fetches = 0  # the tool's fetches of this platform's key set
        self.tool_jwks_fetches = 0  # this platform's fetches of the tool's
        self.problems: list[str] = []
        self.extra_keys: list[dict[str, Any]] = []  # published beside its own, for a test
        self._failing_scores: list[int] = []  # the statuses of the next score posts
        # False: a platform that does not grant the results scope (invalid_scope when asked).
        self.grants_results = True
        self.results_reads = 0
        self._seen_dl_nonces: set[str] = set()
        # The deep-linking requests sent, by their `data`: the platform's way to know which
        # request a response answers (the tool must echo it).
        self._deep_requests: dict[str, Launch] = {}

    # ---- what the tool's registration says -----------------------------------------------

    def registration(self) -> dict[str, Any]:
        """This platform in BACKPROP_VIZ_LTI_PLATFORMS's shape."""
        return {
            "issuer": self.issuer,
            "client_id": self.client_id,
            "deployment_ids": [self.deployment_id],
            "auth_login_url": self.base + "/auth",
            "auth_token_url": self.base + "/token",
            "key_set_url": self.base + "/jwks",
        }

    def lib_registration(self) -> Registration:
        assert self.tool, "the tool's URL is not set"
        return (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(self.client_id)
            .set_deployment_id(self.deployment_id)
            .set_launch_url(self.tool + "/lti/launch")
            .set_deeplink_launch_url(self.tool + "/lti/launch")
            .set_oidc_login_url(self.tool + "/lti/login")
            .set_tool_key_set_url(self.tool + "/lti/jwks")
            .set_platform_public_key(self.public_pem)
            .set_platform_private_key(self.private_pem)
        )

    def conf(self) -> _Conf:
        return _Conf(registration=self.lib_registration(), platform=self)

    def lineitem_url(self, link: str) -> str:
        return f"{self.base}/lineitems/{link}/lineitem?course={COURSE}"

    # ---- test accessors ------------------------------------------------------------------

    def start_url(self, kind: str = "resource", user: str = "student-1", **options: Any) -> str:
        """The course's link: GET it in a browser to launch."""
        params: list[tuple[str, str]] = [("kind", kind), ("user", user)]
        for k, v in (options.pop("custom", None) or {}).items():
            params.append(("custom", f"{k}={v}"))
        params += [(k, str(v)) for k, v in options.items() if v is not None]
        return f"{self.base}/start?{urlencode(params)}"

    def initiation(self, launch: Launch) -> dict[str, str]:
        """The initiation's parameters for `launch` (remembered under its message hint)."""
        hint = "hint-" + secrets.token_urlsafe(8)
        with self._lock:
            self._launches[hint] = launch
        reg = self.lib_registration()
        return {
            "iss": self.issuer,
            "login_hint": launch.user,
            "target_link_uri": reg.get_launch_url() or "",
            "lti_message_hint": hint,
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }

    def launch_claims(self, launch: Launch, nonce: str, redirect_uri: str = "") -> dict[str, Any]:
        """The id_token's claims the package builds for `launch` (no iat/exp: the signer adds
        them), for the tests that sign tokens of their own."""
        request = _Req(
            {
                "method": "POST",
                "form_data": {},
                "get_data": {
                    "nonce": nonce,
                    "state": "unused",
                    "redirect_uri": redirect_uri or self.tool + "/lti/launch",
                    "client_id": self.client_id,
                },
                "headers": {},
                "content_type": None,
                "path": "/auth",
                "json": None,
            }
        )
        message = _MessageLaunch(request, self.conf(), self, launch)
        message._registration = message._platform_config.get_registration()
        message.prepare_launch({})
        claims, _ = message.get_launch_data()
        if launch.kind == "deep":
            claims[CLAIM + "message_type"] = "LtiDeepLinkingRequest"
            claims.update(message._deep_linking_launch_data or {})
        return claims

    def sign(
        self,
        claims: dict[str, Any],
        *,
        key: str | None = None,
        headers: dict[str, Any] | None = None,
        algorithm: str = "RS256",
        lifetime: int | None = 300,
    ) -> str:
        """`claims` signed with this platform's key (or `key`), iat/exp added unless given."""
        now = int(time.time())
        body = dict(claims)
        if lifetime is not None:
            body.setdefault("iat", now)
            body.setdefault("exp", now + lifetime)
        head = {"kid": self.kid, **(headers or {})}
        return jwt.encode(body, key or self.private_pem, algorithm=algorithm, headers=head)

    def fail_next_score(self, status: int = 503, times: int = 1) -> None:
        """The next `times` score posts are answered `status`: a platform having a bad
        moment (503), or one that has withdrawn the tool's access token (401)."""
        with self._lock:
            self._failing_scores = [status] * times

    def _record(self, apply: Callable[[], None]) -> None:
        with self._lock:
            apply()
            self._lock.notify_all()

    def _refuse(self, status: int, reason: str) -> Response:
        self._record(lambda: self.problems.append(reason))
        return JSONResponse({"error": reason}, status_code=status)

    # ---- the endpoints -------------------------------------------------------------------

    async def start(self, request: Request) -> Response:
        q = request.query_params
        custom = dict(c.split("=", 1) for c in q.getlist("custom"))
        launch = Launch(
            kind=q.get("kind", "resource"),
            user=q.get("user", "student-1"),
            custom=custom,
            link=q.get("link", "link-1"),
            lineitem=q.get("lineitem", "yes") != "no",
            locale=q.get("locale"),
            document_target=q.get("document_target"),
            return_url=q.get("return_url"),
            data=q.get("data"),
            storage_target=q.get("storage_target"),
            accept_types=tuple(q.get("accept_types", "ltiResourceLink").split(",")),
        )
        assert launch.kind in ("resource", "deep"), launch.kind
        hint = "hint-" + secrets.token_urlsafe(8)
        with self._lock:
            self._launches[hint] = launch
        login = _Login(_Req({}), self.conf())  # type: ignore[typeddict-item]
        login.set_lti_message_hint(hint=hint)
        if launch.kind == "deep":
            login.set_deeplinking_launch_url()
        response = login.initiate_login(launch.user)
        if launch.storage_target:  # the package writes no lti_storage_target
            where = response.headers["location"]
            response.headers["location"] = (
                f"{where}&{urlencode({'lti_storage_target': launch.storage_target})}"
            )
        return response

    async def course(self, request: Request) -> Response:
        """A course page that opens the link in a frame, as platforms do, with the LTI
        client-side storage (1EdTech "LTI Client Side postMessages": lti.put_data,
        lti.get_data) served by this page (target _parent) or by a frame of it named by
        storage_target. Every message it answers is kept in window.ltiMessages."""
        target = request.query_params.get("storage_target")
        start = f"/start?{request.url.query}"
        frame = (
            f'<iframe name="{html.escape(target)}" src="/storage-frame" hidden></iframe>'
            if target and target != "_parent"
            else ""
        )
        script = "" if target and target != "_parent" else f"<script>{STORAGE_JS}</script>"
        return HTMLResponse(
            "<!doctype html><html><head><title>Course</title></head><body><h1>Course</h1>"
            f"{script}{frame}"
            f'<iframe name="tool" src="{html.escape(start)}" width="1200" height="800"'
            ' allow="clipboard-write"></iframe></body></html>'
        )

    async def storage_frame(self, request: Request) -> Response:
        return HTMLResponse(
            f"<!doctype html><html><body><script>{STORAGE_JS}</script></body></html>"
        )

    async def auth(self, request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            params.update(await form_of(request))
        expected = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": self.client_id,
            "redirect_uri": self.tool + "/lti/launch",
        }
        for name, value in expected.items():
            if params.get(name) != value:
                return self._refuse(400, f"auth: {name} is {params.get(name)!r}, not {value!r}")
        for name in ("state", "nonce", "login_hint", "lti_message_hint"):
            if not params.get(name):
                return self._refuse(400, f"auth: no {name}")
        with self._lock:
            launch = self._launches.get(params["lti_message_hint"])
        if launch is None:
            return self._refuse(400, "auth: an lti_message_hint this platform never gave")
        if params["login_hint"] != launch.user:
            return self._refuse(400, "auth: login_hint is not the user who launched")
        request_data = _Req(
            {
                "method": request.method,
                "form_data": {},
                "get_data": params,
                "headers": request.headers,  # the package reads "Authorization"
                "content_type": request.headers.get("content-type"),
                "path": request.url.path,
                "json": None,
            }
        )
        if launch.kind == "deep" and launch.data is not None:
            self._record(lambda: self._deep_requests.__setitem__(launch.data, launch))
        return _MessageLaunch(request_data, self.conf(), self, launch).lti_launch()

    async def jwks(self, request: Request) -> Response:
        self._record(lambda: setattr(self, "jwks_fetches", self.jwks_fetches + 1))
        keys = self.conf().get_jwks()["keys"]
        return JSONResponse({"keys": keys + self.extra_keys})

    async def token(self, request: Request) -> Response:
        form = await form_of(request)
        if form.get("client_assertion_type") != JWT_BEARER:
            kind = form.get("client_assertion_type")
            return self._refuse(400, f"token: client_assertion_type {kind!r}")
        if SCORE_SCOPE not in form.get("scope", "").split():
            return self._refuse(400, f"token: scope {form.get('scope')!r} lacks the score scope")
        if not self.grants_results and RESULTS_SCOPE in form.get("scope", "").split():
            # RFC 6749's answer to a scope not granted; not a fault of the tool's.
            return JSONResponse({"error": "invalid_scope"}, status_code=400)
        conf = self.conf()
        try:
            # The package verifies the assertion's RS256 signature by the tool's key set
            # (fetched with blocking requests: hence the thread).
            answer = await run_in_threadpool(conf.get_access_token, form)
        except Exception as exc:
            return self._refuse(400, f"token: {type(exc).__name__}: {exc}")
        # What the package leaves out: the assertion's own claims (it reads no aud).
        claims = jwt.decode(form["client_assertion"], options={"verify_signature": False})
        problems = [
            f"{name} is {claims.get(name)!r}, not {want!r}"
            for name, want in (("iss", self.client_id), ("sub", self.client_id))
            if claims.get(name) != want
        ]
        aud = claims.get("aud")
        if (aud if isinstance(aud, list) else [aud]).count(self.base + "/token") != 1:
            problems.append(f"aud is {aud!r}, not the token URL")
        for name in ("jti", "iat", "exp"):
            if name not in claims:
                problems.append(f"no {name}")
        if problems:
            return self._refuse(400, "token: client_assertion " + "; ".join(problems))
        self._record(lambda: self.tokens_issued.append(claims))
        return JSONResponse(dict(answer))

    async def post_score(self, request: Request) -> Response:
        lineitem = request.path_params["lineitem"]
        self._record(lambda: setattr(self, "score_attempts", self.score_attempts + 1))
        with self._lock:
            fail = self._failing_scores.pop(0) if self._failing_scores else None
        if fail is not None:
            return JSONResponse({"error": "a bad moment, told by the test"}, status_code=fail)
        if request.query_params.get("course") != COURSE:
            return self._refuse(404, f"scores: the line item's query was lost: {request.url}")
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type != SCORE_TYPE:
            return self._refuse(415, f"scores: content type {content_type!r}")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return self._refuse(400, "scores: the body is no JSON")
        conf = self.conf()
        service = _Scores(
            _Req(
                {
                    "method": request.method,
                    "form_data": {},
                    "get_data": dict(request.query_params),
                    "headers": request.headers,  # the package reads "Authorization"
                    "content_type": content_type,
                    "path": request.url.path,
                    "json": body,
                }
            ),
            conf,
            lineitems_url=f"{self.base}/lineitems",
            lineitem_url=self.lineitem_url(lineitem),
        )
        try:
            # The package's AGS service: the bearer token, its signature, issuer, expiry and
            # scopes, then update_score.
            answer = service.handle_resp(service.handle_update_score, line_item_id=lineitem)
        except Exception as exc:  # an unreadable token raises from PyJWT
            return self._refuse(401, f"scores: {type(exc).__name__}: {exc}")
        if answer.code >= 400:
            return self._refuse(answer.code, f"scores: {answer.message}")
        token = request.headers["authorization"].split()[1]
        token_claims = jwt.decode(token, self.public_pem, algorithms=["RS256"])
        if SCORE_SCOPE not in token_claims.get("scopes", "").split():
            return self._refuse(403, "scores: the token was not granted the score scope")
        problems = score_problems(body)
        if problems:
            return self._refuse(400, "scores: " + "; ".join(problems))
        query = parse_qs(urlsplit(str(request.url)).query)
        self._record(lambda: self.scores.append(Score(lineitem, query, body, token_claims)))
        return Response(status_code=200)

    async def get_results(self, request: Request) -> Response:
        """The results service (AGS 2.0, 3.3): the line item's results, of one user with
        ?user_id=, from the scores received; the bearer token must hold the results scope."""
        lineitem = request.path_params["lineitem"]
        self._record(lambda: setattr(self, "results_reads", self.results_reads + 1))
        if request.query_params.get("course") != COURSE:
            return self._refuse(404, f"results: the line item's query was lost: {request.url}")
        try:
            token = request.headers["authorization"].split()[1]
            claims = jwt.decode(token, self.public_pem, algorithms=["RS256"])
        except (KeyError, IndexError, jwt.PyJWTError) as exc:
            return self._refuse(401, f"results: {type(exc).__name__}: {exc}")
        if RESULTS_SCOPE not in claims.get("scopes", "").split():
            return self._refuse(403, "results: the token was not granted the results scope")
        user = request.query_params.get("user_id")
        with self._lock:
            last: dict[str, dict[str, Any]] = {}
            for s in self.scores:
                if s.lineitem == lineitem and (user is None or s.body["userId"] == user):
                    last[s.body["userId"]] = s.body
        results = [
            {
                "id": f"{self.lineitem_url(lineitem)}/results/{u}",
                "scoreOf": self.lineitem_url(lineitem),
                "userId": u,
                "resultScore": body["scoreGiven"],
                "resultMaximum": body["scoreMaximum"],
            }
            for u, body in last.items()
        ]
        return JSONResponse(results, media_type=RESULTS_TYPE)

    async def deep_link_return(self, request: Request) -> Response:
        form = await form_of(request)
        if "JWT" not in form:
            return self._refuse(400, "deep link: no JWT")
        conf = self.conf()
        try:
            # The package: the signature by the tool's key set (kid and alg), message type.
            items = await run_in_threadpool(conf.validate_deeplinking_resp, form)
            claims = jwt.decode(
                form["JWT"],
                _tool_key(conf, form["JWT"]),  # the key set fetched just above
                algorithms=["RS256"],
                audience=self.issuer,
                issuer=self.client_id,
                options={"require": ["exp", "iat", "nonce", "aud", "iss"]},
            )
        except Exception as exc:
            return self._refuse(400, f"deep link: {type(exc).__name__}: {exc}")
        problems: list[str] = []
        with self._lock:
            asked = self._deep_requests.get(str(claims.get(DL_CLAIM + "data")))
        if asked is None:
            problems.append(f"data {claims.get(DL_CLAIM + 'data')!r}: no request of this platform")
        else:
            problems += [
                f"a {item.get('type')!r} item: the request accepted {list(asked.accept_types)}"
                for item in items
                if item.get("type") not in asked.accept_types
            ]
        if claims.get(CLAIM + "version") != "1.3.0":
            problems.append(f"version {claims.get(CLAIM + 'version')!r}")
        if claims.get(CLAIM + "deployment_id") != self.deployment_id:
            problems.append(f"deployment_id {claims.get(CLAIM + 'deployment_id')!r}")
        with self._lock:
            if claims["nonce"] in self._seen_dl_nonces:
                problems.append("a nonce seen before")
            self._seen_dl_nonces.add(claims["nonce"])
        if len(items) != 1:
            problems.append(f"{len(items)} content items, not one")
        problems += [p for item in items for p in item_problems(item)]
        if problems:
            return self._refuse(400, "deep link: " + "; ".join(problems))
        header = jwt.get_unverified_header(form["JWT"])
        self._record(lambda: self.deep_links.append(DeepLink(claims, items, header)))
        return HTMLResponse(
            '<!doctype html><html><body><main data-deep-link-received="true">'
            f"<h1>Added: {html.escape(items[0].get('title', ''))}</h1></main></body></html>"
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/start", self.start),
                Route("/course", self.course),
                Route("/storage-frame", self.storage_frame),
                Route("/auth", self.auth, methods=["GET", "POST"]),
                Route("/jwks", self.jwks),
                Route("/token", self.token, methods=["POST"]),
                Route("/lineitems/{lineitem}/lineitem/scores", self.post_score, methods=["POST"]),
                Route("/lineitems/{lineitem}/lineitem/results", self.get_results),
                Route("/deep-link-return", self.deep_link_return, methods=["POST"]),
            ]
        )


async def form_of(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (what LTI posts), read without
    python-multipart; a name given twice keeps its last value."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    return dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))


def _tool_key(conf: _Conf, token: str) -> bytes:
    conf.validate_jwt_format(token)
    return conf.get_tool_public_key()


class _Scores(AssignmentsGradesService):
    """The package's AGS service; only the scores endpoint is served."""

    def update_score(self, line_item_id: str, score: Any) -> UpdateScoreStatus:
        return UpdateScoreStatus.SUCCESS

    def find_lineitems(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    def find_lineitem(self, line_item_id: str) -> Any:
        raise NotImplementedError

    def create_lineitem(self, creation_data: Any) -> Any:
        raise NotImplementedError

    def update_lineitem(self, update_data: Any) -> Any:
        raise NotImplementedError

    def delete_lineitem(self, line_item_id: str) -> None:
        raise NotImplementedError

    def get_results(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError


def score_problems(body: Any) -> list[str]:
    """What is wrong with an AGS score (the spec's required fields and their types)."""
    if not isinstance(body, dict):
        return ["not an object"]
    problems = []
    if not isinstance(body.get("userId"), str) or not body["userId"]:
        problems.append(f"userId {body.get('userId')!r}")
    for name in ("scoreGiven", "scoreMaximum"):
        value = body.get(name)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            problems.append(f"{name} {value!r}")
    if problems == [] and body["scoreGiven"] > body["scoreMaximum"]:
        problems.append("scoreGiven over scoreMaximum")
    if body.get("activityProgress") != "Completed":
        problems.append(f"activityProgress {body.get('activityProgress')!r}")
    if body.get("gradingProgress") != "FullyGraded":
        problems.append(f"gradingProgress {body.get('gradingProgress')!r}")
    try:
        stamp = datetime.fromisoformat(body.get("timestamp", ""))
        if stamp.tzinfo is None:
            problems.append("timestamp without a time zone")
    except (TypeError, ValueError):
        problems.append(f"timestamp {body.get('timestamp')!r}")
    return problems


def item_problems(item: dict[str, Any]) -> list[str]:
    """What is wrong with an ltiResourceLink content item (Deep Linking 2.0)."""
    problems = []
    if item.get("type") != "ltiResourceLink":
        problems.append(f"type {item.get('type')!r}")
    if not isinstance(item.get("title"), str) or not item["title"].strip():
        problems.append("no title")
    url = item.get("url")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        problems.append(f"url {url!r}")
    custom = item.get("custom", {})
    if not isinstance(custom, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in custom.items()
    ):
        problems.append(f"custom {custom!r}: the spec's map of strings")
    line = item.get("lineItem")
    if line is not None:
        if not isinstance(line, dict):
            problems.append(f"lineItem {line!r}")
        else:
            m = line.get("scoreMaximum")
            if isinstance(m, bool) or not isinstance(m, int | float) or m <= 0:
                problems.append(f"lineItem.scoreMaximum {m!r}")
    return problems


@contextlib.contextmanager
def running_platform(host: str = "localhost") -> Iterator[Platform]:
    """A Platform served by uvicorn in a thread of this process; stopped after."""
    platform = Platform(host)
    config = uvicorn.Config(
        platform.app(), host="127.0.0.1", port=platform.port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="lti-platform", daemon=True)
    thread.start()
    end = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < end, "the platform did not start"
        time.sleep(0.05)
    try:
        yield platform
    finally:
        server.should_exit = True
        thread.join(timeout=10)
