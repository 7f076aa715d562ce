"""GET /presets: named example networks, each a ready trace request."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import API_PREFIX
from app.api.errors import APIError
from app.api.schemas import ErrorResponse, TraceRequest
from app.engine import PRESETS
from app.http.errors import error_item
from app.http.responses import JSONBytes

router = APIRouter(prefix=API_PREFIX, tags=["presets"])


class PresetText(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    description: str


class PresetSummary(BaseModel):
    """One example, in short; GET /presets/{name} gives its whole trace request."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="What GET /presets/{name} takes.")
    title: str
    description: str
    translations: dict[str, PresetText] = Field(
        description="The title and description in the page's other languages, by language "
        'code: {"zh-TW": {"title": …, "description": …}} (Traditional Chinese).'
    )
    layers: list[int] = Field(description="Neurons per layer, input layer first.")
    activations: list[str]
    loss: str
    input: list[float]
    target: list[float]
    learning_rate: float = Field(description="η.")


@router.get(
    "/presets",
    response_model=list[PresetSummary],
    response_class=JSONBytes,
    summary="List the example networks",
)
async def list_presets() -> JSONBytes:
    # Responses built here, as the engine gives them: FastAPI would turn 1 into 1.0.
    return JSONBytes([p.summary() for p in PRESETS.values()])


@router.get(
    "/presets/{name}",
    response_model=TraceRequest,
    response_class=JSONBytes,
    responses={404: {"model": ErrorResponse, "description": "No preset of that name"}},
    summary="One example as a ready POST /api/v1/trace body",
)
async def get_preset(name: str) -> JSONBytes:
    preset = PRESETS.get(name)
    if preset is None:
        raise APIError(
            404,
            [
                error_item(
                    ("path", "name"),
                    f"no preset named {name!r}; there are {', '.join(PRESETS)}",
                    "not_found",
                    {"given": name, "choices": list(PRESETS)},
                )
            ],
        )
    return JSONBytes(preset.trace_request())
