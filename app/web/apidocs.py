"""The API's documentation pages, offline: Swagger UI at /docs and ReDoc at /redoc, from
static/vendor/ rather than FastAPI's CDN defaults (blank without internet). Each page starts
its viewer from a small script file, not an inline one: the pages' CSP allows only 'self'."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from app.paths import TEMPLATES_DIR

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def _context(request: Request) -> dict[str, object]:
    root = request.scope.get("root_path", "").rstrip("/")
    openapi_url = getattr(request.app, "openapi_url", None) or "/openapi.json"
    return {"static": f"{root}/static", "spec_url": f"{root}{openapi_url}"}


@router.api_route("/docs", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def swagger_ui(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "apidocs/swagger.html", _context(request))


@router.api_route("/redoc", methods=["GET", "HEAD"], response_class=HTMLResponse)
async def redoc(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(request, "apidocs/redoc.html", _context(request))
