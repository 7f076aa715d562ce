"""GET /oembed: the oEmbed provider (https://oembed.com) for this server's /, /embed,
/exercise/{id} and /tour pages, so that WordPress, Moodle and the like turn a pasted link
into the embed view (an exercise's: /embed?exercise={id}, with the link's seed and
language; the tour's: /embed?view=tour, at the link's chapter)."""

from __future__ import annotations

from html import escape
from typing import Annotated, Any, Literal
from urllib.parse import SplitResult, quote, urljoin, urlsplit

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import QueryParams

from app.api.errors import APIError
from app.api.schemas import ErrorResponse
from app.engine import PRESETS
from app.exercises import EXERCISES
from app.http.errors import error_item
from app.http.language import detect_language
from app.http.responses import JSONBytes

router = APIRouter(tags=["embedding"])

WIDTH, HEIGHT = 720, 520  # what we answer when the consumer sets no maximum
CACHE_AGE = 3600
PAGE_PATHS = ("/", "/embed", "/tour")
EXERCISE_PATH = "/exercise/"
# The page's own words for it (static/js/text: tourTitle).
TOUR_TITLE = {"en": "The lecture as a tour", "zh-TW": "課程導覽"}
NETWORK_TITLE = {"en": "a network", "zh-TW": "一個網路"}  # the page's frameTitle says the same


def _query_error(status: int, name: str, msg: str, kind: str, **ctx: object) -> APIError:
    return APIError(status, [error_item(("query", name), msg, kind, ctx)])


def _dimension(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) <= 0:
        raise _query_error(
            422,
            name,
            f"{name} must be a positive integer, not {raw!r}",
            "out_of_range",
            min=1,
            whole=True,
        )
    # Never larger than asked, even below a usable size (320×240): the consumer's frame
    # is as large as it is.
    return min(int(raw), default)


def _same_origin(url: SplitResult, base: SplitResult) -> bool:
    try:
        port, base_port = url.port, base.port
    except ValueError:  # a port that is not a number
        return False
    defaults = {"http": 80, "https": 443}
    return (
        url.scheme == base.scheme
        and url.hostname == base.hostname
        and (port or defaults.get(url.scheme)) == (base_port or defaults.get(base.scheme))
        and not url.username
        and not url.password
    )


def page_of(url: str, request: Request) -> tuple[str, str, str, str]:
    """(origin + root, page path, query, fragment) of `url` if it is a page of this server
    (absolute, or relative to the base URL); else a 404 naming `url`."""
    base_url = str(request.base_url)
    base = urlsplit(base_url)
    target = urlsplit(urljoin(base_url, url.strip()))
    root = base.path.rstrip("/")
    path = target.path or "/"
    page = (path[len(root) :] or "/") if path.startswith(root) else ""
    exercise = page.removeprefix(EXERCISE_PATH)
    if not _same_origin(target, base) or not (page in PAGE_PATHS or exercise in EXERCISES):
        raise _query_error(
            404,
            "url",
            f"{url!r} is not a page of this server (its {base_url}, {base_url}embed, "
            f"{base_url}tour or {base_url}exercise/<id> of an exercise it has)",
            "not_found",
            given=url,
        )
    return f"{base.scheme}://{base.netloc}{root}", page, target.query, target.fragment


def exercise_of(page: str, query: str) -> str | None:
    """The exercise a page shows: /exercise/{id}, or /embed?exercise={id} (the last one
    counts, as on the page)."""
    if page.startswith(EXERCISE_PATH):
        return page.removeprefix(EXERCISE_PATH)
    named = QueryParams(query).getlist("exercise")[-1:]
    return named[0] if page == "/embed" and named and named[0] in EXERCISES else None


def is_tour(page: str, query: str) -> bool:
    return page == "/tour" or (
        page == "/embed" and QueryParams(query).getlist("view")[-1:] == ["tour"]
    )


def title_of(query: str, exercise: str | None = None, tour: bool = False) -> str:
    params = QueryParams(query)
    # Exercise and tour titles come in both languages; the link's lang= picks.
    lang = detect_language(params.get("lang"))
    if exercise is not None:
        titles = EXERCISES[exercise].title
        return f"backprop-viz: {titles.get(lang, titles['en'])}"
    if tour:
        return f"backprop-viz: {TOUR_TITLE[lang]}"
    name = params.get("preset")
    preset = PRESETS.get(name) if name else None
    return f"backprop-viz: {preset.title_in(lang) if preset else NETWORK_TITLE[lang]}"


def embed_html(page_url: str, embed_url: str, title: str, width: int, height: int) -> str:
    """The form WordPress keeps (wp_filter_oembed_result): a bare <blockquote> with a link,
    then an <iframe> with only src, width, height, title, frameborder, marginwidth,
    marginheight and scrolling."""
    e = escape  # quote=True by default: safe inside double-quoted attributes
    return (
        f'<blockquote><a href="{e(page_url)}">{e(title)}</a></blockquote>'
        f'<iframe src="{e(embed_url)}" width="{width}" height="{height}" title="{e(title)}" '
        'frameborder="0" marginwidth="0" marginheight="0" scrolling="no"></iframe>'
    )


class OEmbedResponse(BaseModel):
    """An oEmbed 1.0 `rich` answer (https://oembed.com): the page's frameable form."""

    model_config = ConfigDict(extra="forbid")

    version: Literal["1.0"]
    type: Literal["rich"]
    provider_name: str = Field(description="backprop-viz.")
    provider_url: str = Field(description="This server's base URL.")
    title: str = Field(description="The preset's, the exercise's or the tour's title.")
    width: int = Field(description="The frame's width: 720, or maxwidth if smaller.")
    height: int = Field(description="The frame's height: 520, or maxheight if smaller.")
    html: str = Field(description="A link to the page and the iframe of its embed view.")
    cache_age: int = Field(description="Seconds a consumer may keep this answer.")


_ERROR = {"model": ErrorResponse}


@router.get(
    "/oembed",
    response_class=JSONBytes,
    response_model=OEmbedResponse,
    responses={
        404: {**_ERROR, "description": "`url` is not a page of this server"},
        422: {**_ERROR, "description": "No `url`, or a maxwidth/maxheight that is no size"},
        501: {**_ERROR, "description": "A format other than json (the oEmbed spec's 501)"},
    },
    summary="The oEmbed provider: a page's link as its embed view (docs/embedding.md)",
)
async def oembed(
    request: Request,
    url: Annotated[
        str | None, Query(description="A page of this server: /, /embed, /tour, /exercise/{id}.")
    ] = None,
    maxwidth: Annotated[str | None, Query(description="The largest width, pixels.")] = None,
    maxheight: Annotated[str | None, Query(description="The largest height, pixels.")] = None,
    format: Annotated[
        str,
        # Only json is offered: any other answers 501, as the oEmbed spec asks (not a 422).
        Query(description="json, the only one offered.", json_schema_extra={"enum": ["json"]}),
    ] = "json",
) -> JSONBytes:
    """What WordPress, Moodle and other oEmbed consumers ask when a link is pasted: the
    page's title and the iframe of its frameable form, with the link's query (a preset, a
    state, an exercise's seed, the language) and fragment (the tour's chapter)."""
    params = request.query_params
    url = params.get("url")
    if not url:
        raise _query_error(422, "url", "url is required: the page to embed", "missing")
    width = _dimension(request, "maxwidth", WIDTH)
    height = _dimension(request, "maxheight", HEIGHT)
    fmt = params.get("format", "json")
    if fmt != "json":
        # 501 Not Implemented, as the oEmbed spec asks of an unsupported format.
        raise _query_error(
            501,
            "format",
            f"format {fmt!r} is not offered; use json",
            "format_not_offered",
            given=fmt,
            choices=["json"],
        )
    origin, page, query, fragment = page_of(url, request)
    suffix = f"?{query}" if query else ""
    # A fragment names a place in the page (the tour's chapter: /tour#backward).
    anchor = f"#{fragment}" if fragment else ""
    page_url = f"{origin}{page}{suffix}{anchor}"
    exercise = exercise_of(page, query)
    tour = is_tour(page, query)
    # An exercise's or the tour's page is framed in its frameable form; its query goes along.
    if page.startswith(EXERCISE_PATH):
        framed = f"exercise={quote(page.removeprefix(EXERCISE_PATH))}"
        embed_url = f"{origin}/embed?{framed}" + (f"&{query}" if query else "")
    elif page == "/tour":
        embed_url = f"{origin}/embed?view=tour" + (f"&{query}" if query else "")
    else:
        embed_url = f"{origin}/embed{suffix}"
    embed_url += anchor
    title = title_of(query, exercise, tour)
    body: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "provider_name": "backprop-viz",
        "provider_url": str(request.base_url),
        "title": title,
        "width": width,
        "height": height,
        "html": embed_html(page_url, embed_url, title, width, height),
        "cache_age": CACHE_AGE,
    }
    return JSONBytes(body)
