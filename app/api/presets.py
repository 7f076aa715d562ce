"""GET /presets: named example networks, each a ready trace request."""

from typing import Any

from fastapi import APIRouter

from app.api.deps import API_PREFIX
from app.api.errors import APIError, error_item
from app.api.responses import JSONBytes
from app.api.schemas import ErrorResponse
from app.engine import PRESETS

router = APIRouter(prefix=API_PREFIX, tags=["presets"])


@router.get("/presets", response_class=JSONBytes, summary="List the example networks")
async def list_presets() -> list[dict[str, Any]]:
    return [p.summary() for p in PRESETS.values()]


@router.get(
    "/presets/{name}",
    response_class=JSONBytes,
    responses={404: {"model": ErrorResponse}},
    summary="One example as a ready POST /api/v1/trace body",
)
async def get_preset(name: str) -> dict[str, Any]:
    preset = PRESETS.get(name)
    if preset is None:
        raise APIError(
            404,
            [
                error_item(
                    ("path", "name"),
                    f"no preset named {name!r}; there are {', '.join(PRESETS)}",
                    "not_found",
                )
            ],
        )
    return preset.trace_request()
