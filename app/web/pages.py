"""Page routes: the visualizer at /, the embed view at /embed."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from app import __version__
from app.api.deps import settings_of
from app.engine import PRESETS
from app.paths import STATIC_DIR, TEMPLATES_DIR
from app.web.modules import preloads

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))

# Each page's entry module; the page preloads its whole static import graph (app/web/modules.py).
ENTRIES = {"index.html": "js/main.js", "embed.html": "js/embed-main.js"}
# /embed imports the training view only when it shows it (embed-main.js): view=training.
TRAINING_VIEW = "js/training/view.js"


def shows_training(request: Request, template: str) -> bool:
    """Whether the page can show the training view: / always, /embed with view=training
    (params.js: the last one counts)."""
    return template == "index.html" or request.query_params.getlist("view")[-1:] == ["training"]


def page_modules(request: Request, template: str) -> list[str]:
    """The modules the page imports before it is ready, in the order they are needed."""
    modules = list(preloads(STATIC_DIR, ENTRIES[template]))
    if shows_training(request, template):
        modules += [m for m in preloads(STATIC_DIR, TRAINING_VIEW) if m not in modules]
    return modules


# app.js's DEFAULT_PRESET: the network a page opens when its link names none.
DEFAULT_PRESET = "worked-example-2-2-2"


def api_preloads(request: Request) -> list[str]:
    """The API's answers the page waits for before its first drawing (app.js's `ready`:
    capabilities, the presets, and the preset it opens), asked for by the document itself
    so that they arrive with the modules instead of a round trip after them. A link with a
    state opens no preset (params.js: the last `preset` and `state` count)."""
    paths = ["capabilities", "presets"]
    if not request.query_params.getlist("state")[-1:]:
        named = request.query_params.getlist("preset")[-1:]
        name = named[0] if named and named[0] in PRESETS else DEFAULT_PRESET
        paths.append(f"presets/{quote(name, safe='')}")
    return paths


def oembed_href(request: Request) -> str:
    """The oEmbed discovery URL of this page: /oembed?url=<this page, query included>."""
    page = quote(str(request.url), safe="")
    return f"{request.base_url}oembed?url={page}&format=json"


def html_lang(request: Request) -> str:
    """<html lang> before the page's script runs (language.js then decides for good): lang=,
    else the first of Accept-Language; Chinese of any kind is the Traditional page."""
    for tag in (request.query_params.get("lang", ""), request.headers.get("accept-language", "")):
        tag = tag.split(",")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh-Hant-TW"
        if tag.startswith("en"):
            return "en"
    return "en"


def _context(request: Request, template: str) -> dict[str, object]:
    root = request.scope.get("root_path", "").rstrip("/")
    entry = ENTRIES[template]
    return {
        "html_lang": html_lang(request),
        "root": root,
        "static": f"{root}/static",
        "entry": entry,
        "modules": page_modules(request, template),
        "api_preloads": api_preloads(request),
        # A frame without the training view does not wait for its stylesheet either.
        "training": shows_training(request, template),
        "version": __version__,
        "host_origins": settings_of(request).embed_host_origins,
        "oembed_href": oembed_href(request),
    }


# FastAPI routes answer HEAD only when asked to (Starlette's own add it to GET).
@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "index.html", _context(request, "index.html"))


@router.api_route("/embed", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def embed(request: Request) -> HTMLResponse:
    """The stage and the player alone, for an iframe (docs/embedding.md)."""
    return templates.TemplateResponse(request, "embed.html", _context(request, "embed.html"))


@router.api_route("/favicon.ico", methods=["GET", "HEAD"])
async def favicon() -> FileResponse:
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")
