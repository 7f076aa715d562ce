"""POST /network: check a network spec and fill in θ⁰ from init and seed."""

from fastapi import APIRouter, Request

from app.api.body import network_of
from app.api.deps import API_PREFIX, settings_of
from app.api.openapi import ERROR_RESPONSES
from app.api.routes import JSONPostRoute
from app.api.schemas import NetworkOut, NetworkSpec
from app.http.responses import JSONBytes

router = APIRouter(prefix=API_PREFIX, tags=["network"], route_class=JSONPostRoute)


@router.post(
    "/network",
    response_model=NetworkOut,
    response_class=JSONBytes,
    responses=ERROR_RESPONSES,
    summary="Validate a network and fill in omitted weights and biases",
)
async def post_network(spec: NetworkSpec, request: Request) -> JSONBytes:
    """The same spec with explicit weights and biases (drawn by `init` with `seed` where
    omitted), or a 422 naming the field that is wrong. Editors use it to check an edit."""
    return JSONBytes(network_of(spec, settings_of(request).limits, ()).to_spec())
