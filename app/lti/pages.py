"""The LTI pages: a refusal, the deep-linking picker, the auto-submitting form that answers a
platform, and the page that keeps the login's state in the platform's own storage. Small
server-rendered HTML with the page's CSS; their scripts are static/js/lti/ (CSP: no inline)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.lti.words import REFUSALS_ZH, WORDS
from app.paths import TEMPLATES_DIR

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def headers(frame_ancestors: str, form_action: str = "'self'") -> dict[str, str]:
    """Like the app's pages, with the form's target allowed (a platform's return address);
    never cached: each holds a one-time token."""
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"object-src 'none'; base-uri 'none'; form-action {form_action}"
    )
    sources = " ".join(frame_ancestors.split())
    if sources and sources != "*":
        csp += f"; frame-ancestors {sources}"
    return {
        "content-security-policy": csp,
        "cache-control": "no-store",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
    }


def render(
    request: Request,
    name: str,
    lang: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    frame_ancestors: str = "*",
    form_action: str = "'self'",
) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    page = {
        "lang": lang,
        "t": WORDS[lang],
        "static": f"{root}/static",
        "root": root,
        **context,
    }
    return templates.TemplateResponse(
        request,
        f"lti/{name}",
        page,
        status_code=status,
        headers=headers(frame_ancestors, form_action),
    )


def refusal(
    request: Request, code: str, status: int, detail: str, lang: str, frame_ancestors: str
) -> HTMLResponse:
    return render(
        request,
        "refused.html",
        lang,
        {"code": code, "detail": detail, "zh": REFUSALS_ZH.get(code) if lang == "zh-TW" else None},
        status=status,
        frame_ancestors=frame_ancestors,
    )
