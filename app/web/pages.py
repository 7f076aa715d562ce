"""Page routes: the visualizer at /, the embed view at /embed, the exercise page at
/exercise/{id} (and /embed?exercise={id}), the list of exercises at /exercise, the lecture
as a tour at /tour (and /embed?view=tour)."""

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates

from app import __version__
from app.api.deps import settings_of
from app.engine import PRESETS
from app.exercises import EXERCISES
from app.http.language import HTML_LANG, detect_language
from app.paths import STATIC_DIR, TEMPLATES_DIR
from app.web.bundle import fresh_bundle
from app.web.modules import preloads

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))

# Each page's entry module; the page preloads its whole static import graph (app/web/modules.py),
# or runs its bundle (app/web/bundle.py).
ENTRIES = {
    "index.html": "js/main.js",
    "embed.html": "js/embed-main.js",
    "exercise.html": "js/exercise-main.js",
    "tour.html": "js/tour-main.js",
}
# /embed imports the training view only when it shows it (embed-main.js): view=training.
TRAINING_VIEW = "js/training/view.js"


def shows_training(request: Request, template: str) -> bool:
    """Whether the page can show the training view: / always, /embed with view=training
    (params.js: the last one counts)."""
    return template == "index.html" or (
        template == "embed.html" and request.query_params.getlist("view")[-1:] == ["training"]
    )


def page_modules(request: Request, template: str) -> list[str]:
    """What the page runs before it is ready, in the order it is needed, its entry first:
    the bundle's files while the bundle matches the modules (app/web/bundle.py), else the
    entry module's whole static import graph (app/web/modules.py)."""
    starts = [ENTRIES[template]]
    if template == "embed.html" and shows_training(request, template):
        starts.append(TRAINING_VIEW)  # / imports it with the rest
    bundle = fresh_bundle(STATIC_DIR) if settings_of(request).bundle else None
    found = [bundle.scripts(start) for start in starts] if bundle else []
    lists = found if found and None not in found else [preloads(STATIC_DIR, s) for s in starts]
    modules: list[str] = []
    for files in lists:
        modules += [m for m in files or () if m not in modules]
    return modules


# app.js's DEFAULT_PRESET: the network a page opens when its link names none.
DEFAULT_PRESET = "worked-example-2-2-2"


def api_preloads(request: Request, template: str = "index.html") -> list[str]:
    """The API's answers the page waits for before its first drawing (app.js's `ready`:
    capabilities, the presets, and the preset it opens), asked for by the document itself
    so that they arrive with the modules instead of a round trip after them. A link with a
    state opens no preset (params.js: the last `preset` and `state` count). The exercise
    page waits for capabilities (the largest seed) and the list of exercises (its picker);
    its variant is a POST, which a preload cannot ask for."""
    if template == "exercise.html":
        return ["capabilities", "exercises"]
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


def page_language(request: Request) -> str:
    """The page's language before its script runs (language.js then decides for good, the
    same way): lang=, else Accept-Language (app/http/language.py)."""
    return detect_language(request.query_params.get("lang"), request.headers.get("accept-language"))


def html_lang(request: Request) -> str:
    """<html lang>: the page's language as a tag (zh-Hant-TW for the Traditional page)."""
    return HTML_LANG[page_language(request)]


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _context(request: Request, template: str) -> dict[str, object]:
    root = _root(request)
    modules = page_modules(request, template)
    return {
        "html_lang": html_lang(request),
        "root": root,
        "static": f"{root}/static",
        "entry": modules[0],
        "modules": modules,
        "api_preloads": api_preloads(request, template),
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
    """The stage and the player alone, for an iframe (docs/embedding.md); with
    `exercise=<id>` the exercise page in its frameable form, with `view=tour` the tour."""
    named = request.query_params.getlist("exercise")[-1:]
    if named:
        return exercise_page(request, named[0], embedded=True)
    if request.query_params.getlist("view")[-1:] == ["tour"]:
        return tour_page(request, embedded=True)
    return templates.TemplateResponse(request, "embed.html", _context(request, "embed.html"))


# The exercise list's and the missing exercise's words, in the page's language.
LIST_TEXT = {
    "en": {
        "title": "Exercises",
        "missing": "No such exercise",
        "why": "There is no exercise “{id}” on this server.",
        "list": "The exercises",
    },
    "zh-TW": {
        "title": "練習題",
        "missing": "找不到這個練習題",
        "why": "這個伺服器上沒有「{id}」這個練習題。",
        "list": "所有練習題",
    },
}


def _query(request: Request, *keep: str) -> str:
    """The page's own parameters worth keeping on a link to an exercise (lang, theme)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k in keep]
    return ("?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in kept)) if kept else ""


def exercise_list(request: Request, missing: str | None = None) -> HTMLResponse:
    """The exercises to pick from; a 404 naming `missing` when a link asked for one the
    server does not have."""
    code = page_language(request)
    words = LIST_TEXT[code]
    context = {
        "html_lang": HTML_LANG[code],
        "root": _root(request),
        "static": f"{_root(request)}/static",
        "entry": None,
        "modules": [],
        "api_preloads": [],
        "training": False,
        "version": __version__,
        "host_origins": settings_of(request).embed_host_origins,
        "oembed_href": None,
        "exercise": missing or "",
        "query": _query(request, "lang", "theme"),
        "exercises": [
            {"id": e.id, "title": e.title.get(code, e.title["en"])} for e in EXERCISES.values()
        ],
        "text": {
            "title": words["missing"] if missing is not None else words["title"],
            "why": words["why"].format(id=missing) if missing is not None else "",
            "list": words["list"],
        },
    }
    return templates.TemplateResponse(
        request, "exercises.html", context, status_code=404 if missing is not None else 200
    )


def exercise_page(request: Request, exercise: str, *, embedded: bool) -> HTMLResponse:
    if exercise not in EXERCISES:
        return exercise_list(request, missing=exercise)
    lang = page_language(request)
    context = {
        **_context(request, "exercise.html"),
        "exercise": exercise,
        "embedded": embedded,
        "title": EXERCISES[exercise].title.get(lang, EXERCISES[exercise].title["en"]),
        "oembed_href": oembed_href(request),
    }
    return templates.TemplateResponse(request, "exercise.html", context)


@router.api_route("/exercise", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def exercises(request: Request) -> HTMLResponse:
    """The list of exercises, each a link to its page."""
    return exercise_list(request)


@router.api_route("/exercise/{exercise}", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def exercise(request: Request, exercise: str) -> HTMLResponse:
    """One exercise with the student's own numbers (`seed`; drawn by the page when absent)."""
    return exercise_page(request, exercise, embedded=False)


def tour_page(request: Request, *, embedded: bool) -> HTMLResponse:
    context = {
        **_context(request, "tour.html"),
        "embedded": embedded,
        "oembed_href": oembed_href(request),
    }
    return templates.TemplateResponse(request, "tour.html", context)


@router.api_route("/tour", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def tour(request: Request) -> HTMLResponse:
    """The lecture as a tour: its chapters in its order, each a link (`/tour#backward`)."""
    return tour_page(request, embedded=False)


@router.api_route("/favicon.ico", methods=["GET", "HEAD"])
async def favicon() -> FileResponse:
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")
