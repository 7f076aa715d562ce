"""The LTI routes (/lti/…, docs/lti.md): the key set and Canvas's configuration, the OpenID
Connect login, the launch, the deep-linking choice. The server keeps no session between
steps: each carries the next one's signed token (app/lti/tokens.py), and the login's browser
is bound by a cookie for that login alone (or by the platform's own storage)."""

from __future__ import annotations

import hashlib
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from app.api.errors import APIError
from app.api.event_source import request_of
from app.api.schemas import TraceRequest
from app.engine import PRESETS
from app.exercises import EXERCISES
from app.http.errors import error_body, error_item
from app.http.language import detect_language
from app.lti import tokens
from app.lti.launch import DEEP_LINKING, LTI, Launch, RefusedError, validate
from app.lti.pages import origin_of, refusal, render
from app.lti.registration import find
from app.lti.tool import BadChoiceError, Tool, content_item, state_of_link, student_seed, what_opens
from app.lti.words import MOVES, WORDS

router = APIRouter(prefix="/lti", include_in_schema=False)

COOKIE = "lti_state_"
INITIATION = (
    "iss",
    "login_hint",
    "target_link_uri",
    "lti_message_hint",
    "client_id",
    "lti_deployment_id",
)
SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
)
# A form from a platform: a few fields, an id_token of a few kB.
MAX_FORM_BYTES = 64 * 1024


def tool_of(request: Request) -> Tool | None:
    return getattr(request.app.state, "lti", None)


def _frames(request: Request) -> str:
    return str(request.app.state.settings.frame_ancestors)


def _count(request: Request, metric: str, outcome: str) -> None:
    ops = getattr(request.app.state, "ops", None)
    if ops is not None:
        ops.metrics.lti(metric, outcome)


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _off(request: Request) -> Response:
    lang = detect_language(None, request.headers.get("accept-language"))
    if "json" in request.headers.get("accept", "") or request.url.path.endswith(".json"):
        msg = "LTI is off on this server: it has no BACKPROP_VIZ_LTI_PRIVATE_KEY (docs/lti.md)"
        return Response(
            error_body(error_item(("path",), msg, "not_found")),
            status_code=404,
            media_type="application/json",
        )
    return render(request, "off.html", lang, {}, status=404, frame_ancestors=_frames(request))


def _refused(request: Request, err: RefusedError, lang: str, metric: str = "launches") -> Response:
    _count(request, metric, err.code)
    return refusal(request, err.code, err.status, err.detail, lang, _frames(request))


async def _params(request: Request) -> dict[str, str]:
    """The query's parameters, and a POSTed form's (application/x-www-form-urlencoded, as
    platforms post), the last of a name counting."""
    found = dict(request.query_params)
    if request.method == "POST":
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            raise RefusedError("bad_request", 413, "The form is larger than an LTI message can be.")
        found |= dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return found


@router.get("/jwks")
async def jwks(request: Request) -> Response:
    tool = tool_of(request)
    if tool is None:
        return _off(request)
    return JSONResponse(tool.key.key_set(), headers={"cache-control": "max-age=300"})


@router.get("/config.json")
async def config(request: Request) -> Response:
    """Canvas's LTI 1.3 tool configuration (Developer Keys → LTI Key → Paste JSON)."""
    tool = tool_of(request)
    if tool is None:
        return _off(request)
    base = base_url(request)
    host = urlsplit(base).hostname or ""
    launch = f"{base}/lti/launch"
    return JSONResponse(
        {
            "title": "backprop-viz",
            "description": "See backpropagation happen: exercises with each student's own "
            "numbers, checked by the server and scored in the gradebook, and the visualizer.",
            "target_link_uri": launch,
            "oidc_initiation_url": f"{base}/lti/login",
            "public_jwk_url": f"{base}/lti/jwks",
            "scopes": list(SCOPES),
            "extensions": [
                {
                    "platform": "canvas.instructure.com",
                    "domain": host,
                    "tool_id": "backprop-viz",
                    "privacy_level": "anonymous",
                    "settings": {
                        "placements": [
                            {
                                "placement": placement,
                                "message_type": DEEP_LINKING,
                                "target_link_uri": launch,
                                "text": "backprop-viz",
                            }
                            for placement in ("link_selection", "assignment_selection")
                        ]
                    },
                }
            ],
            "custom_fields": {},
        }
    )


@router.api_route("/login", methods=["GET", "POST"])
async def login(request: Request) -> Response:
    """The platform's third-party initiated login → the authentication request."""
    tool = tool_of(request)
    if tool is None:
        return _off(request)
    lang = detect_language(None, request.headers.get("accept-language"))
    try:
        params = await _params(request)
        for name in ("iss", "login_hint", "target_link_uri"):
            if not params.get(name):
                raise RefusedError(
                    "bad_request", 400, f"The login initiation has no {name!r} parameter."
                )
        reg = find(tool.registrations, params["iss"], params.get("client_id") or None)
        if reg is None:
            raise RefusedError(
                "unknown_issuer",
                400,
                f"The platform {params['iss']!r} (client id {params.get('client_id')!r}) is "
                "not registered with this tool. Add it to BACKPROP_VIZ_LTI_PLATFORMS "
                "(docs/lti.md).",
            )
        deployment = params.get("lti_deployment_id")
        if deployment and deployment not in reg.deployment_ids:
            raise RefusedError(
                "unknown_deployment",
                403,
                f"The deployment {deployment!r} of {reg.issuer} is not registered with this "
                "tool. Add its deployment id to the registration.",
            )
    except RefusedError as err:
        return _refused(request, err, lang)
    state_id, nonce, binding = tokens.fresh_id(), tokens.fresh_id(), tokens.fresh_id()
    storage = params.get("lti_storage_target") or None
    state = tokens.issue(
        tool.key.secret,
        "login",
        {
            "sid": state_id,
            "iss": reg.issuer,
            "cid": reg.client_id,
            "nonce": nonce,
            "bh": _hash(binding),
            **({"st": storage} if storage else {}),
            # The initiation again, for a launch whose frame kept no cookie: the refusal
            # offers the same login in a window of its own, where the cookie is first-party.
            "init": {k: params[k] for k in INITIATION if params.get(k)},
        },
    )
    query = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": reg.client_id,
        "redirect_uri": f"{base_url(request)}/lti/launch",
        "login_hint": params["login_hint"],
        "state": state,
        "nonce": nonce,
    }
    if params.get("lti_message_hint"):
        query["lti_message_hint"] = params["lti_message_hint"]
    separator = "&" if urlsplit(reg.auth_login_url).query else "?"
    auth = f"{reg.auth_login_url}{separator}{urlencode(query)}"
    if storage:
        # The platform offers its storage (LTI client-side postMessages): the binding goes
        # there too, for a frame where the cookie below is blocked.
        response: Response = render(
            request,
            "storage.html",
            lang,
            {
                "mode": "put",
                "target": storage,
                "platform_origin": origin_of(reg.auth_login_url),
                "key": f"{COOKIE}{state_id}",
                "value": binding,
                "next": auth,
            },
            frame_ancestors=_frames(request),
        )
    else:
        response = RedirectResponse(auth, status_code=302)
    response.set_cookie(
        f"{COOKIE}{state_id}",
        binding,
        max_age=tokens.LIFETIMES["login"],
        path="/lti/",
        secure=True,
        httponly=True,
        samesite="none",
    )
    return response


def _read(
    tool: Tool, purpose: tokens.Purpose, token: str, *, expired: str, invalid: str
) -> dict[str, Any]:
    """The claims of one of this tool's tokens carried by the browser, or bad_state."""
    try:
        return tokens.read(tool.key.secret, purpose, token)
    except tokens.TokenError as exc:
        detail = expired if exc.reason == "expired" else invalid
        raise RefusedError("bad_state", 400, detail) from None


def _hash(binding: str) -> str:
    return hashlib.sha256(binding.encode()).hexdigest()[:32]


@router.post("/launch")
async def launch(request: Request) -> Response:
    """The platform's form post: id_token and state → the exercise, the visualizer or the
    deep-linking picker; a refusal page otherwise."""
    tool = tool_of(request)
    if tool is None:
        return _off(request)
    lang = detect_language(None, request.headers.get("accept-language"))
    try:
        params = await _params(request)
        if params.get("error"):
            raise RefusedError(
                "login_error",
                400,
                f"The platform answered the login with the error {params['error']!r}: "
                f"{params.get('error_description', '')}".rstrip(": "),
            )
        login_state = _read(
            tool,
            "login",
            params.get("state", ""),
            expired="The login took too long: open the link from the course again.",
            invalid="The launch's state is not one this tool issued. Open the link from the "
            "course again.",
        )
        cookie = f"{COOKIE}{login_state['sid']}"
        binding = request.cookies.get(cookie)
        if binding is None and login_state.get("st"):
            binding = params.get("lti_binding")
            if binding is None:
                # No cookie reached here (a frame blocking third-party cookies): read the
                # binding back from the platform's storage, then post again.
                return _storage_get(request, tool, login_state, params, lang)
        if binding is None and isinstance(login_state.get("init"), dict):
            # The frame kept no cookie (third-party cookies blocked, no platform storage):
            # the same login, offered in a window of its own.
            again = f"{request.scope.get('root_path', '')}/lti/login?"
            again += urlencode(login_state["init"])
            _count(request, "launches", "bad_state")
            return render(
                request,
                "new-window.html",
                lang,
                {"again": again},
                status=400,
                frame_ancestors=_frames(request),
            )
        if binding is None or _hash(binding) != login_state.get("bh"):
            raise RefusedError(
                "bad_state",
                400,
                "This browser did not begin this login (its state cookie is missing or "
                "another): open the link from the course again. If it keeps happening, the "
                "browser may block the cookies of frames: open the link in a new window.",
            )
        if not params.get("id_token"):
            raise RefusedError("no_token", 400, "The platform posted no id_token to the launch.")
        reg = find(tool.registrations, login_state["iss"], login_state["cid"])
        if reg is None:
            raise RefusedError(
                "unknown_issuer", 400, f"The platform {login_state['iss']!r} is not registered."
            )
        done = await validate(
            params["id_token"],
            registration=reg,
            nonce=login_state["nonce"],
            keys=tool.keys,
            used=tool.used,
        )
        # The platform's locale (en-US, zh-TW, zh_TW, …), read as a lang= is.
        locale = done.presentation.get("locale")
        lang = detect_language(locale if isinstance(locale, str) else None)
        response = _open(request, tool, done, lang)
        tool.used.add(login_state["nonce"], float(login_state["exp"]) + 60)
    except RefusedError as err:
        return _refused(request, err, lang)
    response.delete_cookie(cookie, path="/lti/", secure=True, httponly=True, samesite="none")
    _count(request, "launches", "deep_linking" if done.message_type == DEEP_LINKING else "opened")
    return response


def _storage_get(
    request: Request, tool: Tool, login_state: dict[str, Any], params: dict[str, str], lang: str
) -> Response:
    reg = find(tool.registrations, login_state["iss"], login_state["cid"])
    return render(
        request,
        "storage.html",
        lang,
        {
            "mode": "get",
            "target": login_state["st"],
            "platform_origin": origin_of(reg.auth_login_url) if reg else "",
            "key": f"{COOKIE}{login_state['sid']}",
            "action": f"{request.scope.get('root_path', '')}/lti/launch",
            "fields": [(k, params[k]) for k in ("id_token", "state") if k in params],
        },
        frame_ancestors=_frames(request),
    )


def _open(request: Request, tool: Tool, launch: Launch, lang: str) -> Response:
    if launch.message_type == DEEP_LINKING:
        accepts = launch.deep_linking.get("accept_types")
        if isinstance(accepts, list) and "ltiResourceLink" not in accepts:
            raise RefusedError(
                "bad_message_type",
                400,
                f"This place in the course takes {', '.join(map(str, accepts))}; this tool "
                "offers LTI resource links (ltiResourceLink). Add it from a place that takes "
                "external tool links (a module item, an assignment, an activity).",
            )
        context = tokens.issue(
            tool.key.secret,
            "deep",
            {
                "iss": launch.registration.issuer,
                "cid": launch.registration.client_id,
                "dep": launch.deployment_id,
                "ret": launch.deep_linking["deep_link_return_url"],
                "data": launch.deep_linking.get("data"),
                "lang": lang,
            },
        )
        return picker(request, context, lang)
    try:
        kind, value = what_opens(launch.custom)
    except BadChoiceError as exc:
        raise RefusedError(
            "bad_custom",
            400,
            f"The link's custom parameters are wrong: {exc}. Edit the link in the course "
            "(custom parameters exercise=…, preset=… or state=…).",
        ) from None
    if kind == "state" and (why := _unreadable(request, value)):
        raise RefusedError(
            "bad_custom",
            400,
            f"The link's network (custom parameter state) cannot be opened: {why}. Edit the "
            "link in the course: paste a share link of the network again.",
        )
    root = request.scope.get("root_path", "")
    window = launch.presentation.get("document_target") == "window"
    fragment: dict[str, str] = {}
    returns = launch.presentation.get("return_url")
    if isinstance(returns, str) and urlsplit(returns).scheme in ("http", "https"):
        fragment["return"] = returns
    if kind == "exercise":
        limits = request.app.state.settings.limits
        seed = student_seed(
            tool.key.secret,
            launch.registration.issuer,
            launch.deployment_id,
            launch.resource_link_id,
            launch.sub,
            limits.max_exercise_seed,
        )
        query = {"seed": str(seed), "lang": lang}
        if launch.lineitem:
            fragment["lti"] = tokens.issue(
                tool.key.secret,
                "grade",
                {
                    "iss": launch.registration.issuer,
                    "cid": launch.registration.client_id,
                    "dep": launch.deployment_id,
                    "sub": launch.sub,
                    "li": launch.lineitem,
                    "ex": value,
                    "seed": seed,
                },
            )
        path = f"{root}/exercise/{value}" if window else f"{root}/embed"
        if not window:
            query = {"exercise": value, **query}
    else:
        query = {kind: value, "lang": lang} if kind != "default" else {"lang": lang}
        path = f"{root}/" if window else f"{root}/embed"
    url = f"{path}?{urlencode(query)}"
    if fragment:
        url += "#" + urlencode(fragment)
    return RedirectResponse(url, status_code=303, headers={"cache-control": "no-store"})


def _unreadable(request: Request, state: str) -> str:
    """Why a link's state is not a network this server opens (as GET /trace/stream would
    say), or ""."""
    try:
        request_of(TraceRequest, state, request.app.state.settings.max_body_bytes)
    except APIError as exc:
        return "; ".join(f"{item['field']}: {item['msg']}" for item in exc.items)
    return ""


def picker(
    request: Request, context: str, lang: str, problem: str = "", link: str = ""
) -> Response:
    exercises = [
        {
            "id": e.id,
            "title": e.title.get(lang, e.title["en"]),
            "move": MOVES[lang].get(e.move, e.move),
            "questions": len(e.questions),
        }
        for e in EXERCISES.values()
    ]
    presets = [
        {"name": p.name, "title": p.title_in(lang), "description": p.description_in(lang)}
        for p in PRESETS.values()
    ]
    return render(
        request,
        "picker.html",
        lang,
        {
            "context": context,
            "exercises": exercises,
            "presets": presets,
            "problem": problem,
            "link": link,
        },
        status=422 if problem else 200,
        frame_ancestors=_frames(request),
    )


@router.post("/deep-link")
async def deep_link(request: Request) -> Response:
    """The teacher's choice → a signed LtiDeepLinkingResponse, posted to the platform by an
    auto-submitting form."""
    tool = tool_of(request)
    if tool is None:
        return _off(request)
    lang = detect_language(None, request.headers.get("accept-language"))
    try:
        params = await _params(request)
        context = _read(
            tool,
            "deep",
            params.get("context", ""),
            expired="The picker was open too long: open it again from the course.",
            invalid="The picker's context is not one this tool issued.",
        )
        lang = context.get("lang", lang)
        reg = find(tool.registrations, context["iss"], context["cid"])
        if reg is None:
            raise RefusedError("unknown_issuer", 400, f"{context['iss']!r} is not registered.")
    except RefusedError as err:
        return _refused(request, err, lang, "deep_links")
    choice = params.get("choice", "")
    link = params.get("link", "")
    kind, _, value = choice.partition(":")
    if choice == "state" or (not choice and link.strip()):
        kind, value = "state", state_of_link(link) or ""
        why = _unreadable(request, value) if value else WORDS[lang]["bad_link"]
        if why:
            _count(request, "deep_links", "bad_choice")
            return picker(request, params["context"], lang, why, link)
    elif not (
        (kind == "exercise" and value in EXERCISES) or (kind == "preset" and value in PRESETS)
    ):
        _count(request, "deep_links", "bad_choice")
        return picker(request, params["context"], lang, WORDS[lang]["no_choice"], link)
    item = content_item(kind, value, f"{base_url(request)}/lti/launch")
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": reg.client_id,
        "aud": reg.issuer,
        "iat": now,
        "exp": now + 600,
        "nonce": tokens.fresh_id(),
        LTI + "message_type": "LtiDeepLinkingResponse",
        LTI + "version": "1.3.0",
        LTI + "deployment_id": context["dep"],
        "https://purl.imsglobal.org/spec/lti-dl/claim/content_items": [item],
    }
    if context.get("data") is not None:
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] = context["data"]
    _count(request, "deep_links", kind)
    return render(
        request,
        "submit.html",
        lang,
        {
            "message": WORDS[lang]["sending"],
            "action": context["ret"],
            "fields": [("JWT", tool.key.sign(claims))],
        },
        frame_ancestors=_frames(request),
        form_action=origin_of(context["ret"]),
    )
