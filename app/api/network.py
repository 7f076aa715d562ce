"""POST /network: check a network spec and fill in θ⁰ from init and seed."""

from fastapi import APIRouter, Request

from app.api.body import network_of, parse
from app.api.deps import API_PREFIX, settings_of
from app.api.openapi import ERROR_RESPONSES, json_body
from app.api.raw_route import RawRoute
from app.api.responses import JSONBytes
from app.api.schemas import NetworkOut, NetworkSpec

router = APIRouter(prefix=API_PREFIX, tags=["network"], route_class=RawRoute)


@router.post(
    "/network",
    response_class=JSONBytes,
    responses={200: {"model": NetworkOut}, **ERROR_RESPONSES},
    openapi_extra=json_body(NetworkSpec),
    summary="Validate a network and fill in omitted weights and biases",
)
async def post_network(request: Request) -> JSONBytes:
    """The same spec with explicit weights and biases (drawn by `init` with `seed` where
    omitted), or a 422 naming the field that is wrong. Editors use it to check an edit."""
    settings = settings_of(request)
    spec = await parse(request, NetworkSpec)
    return JSONBytes(network_of(spec, settings.limits, ()).to_spec())
