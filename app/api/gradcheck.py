"""POST /gradcheck: backprop's gradients against central finite differences."""

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from app.api.body import example_of
from app.api.deps import API_PREFIX, settings_of
from app.api.errors import APIError, from_non_finite
from app.api.openapi import ERROR_RESPONSES
from app.api.routes import JSONPostRoute
from app.api.schemas import GradcheckRequest, GradcheckResponse
from app.api.trace import run_step
from app.engine import NonFiniteError, gradcheck
from app.http.errors import error_item
from app.http.responses import JSONBytes

router = APIRouter(prefix=API_PREFIX, tags=["trace"], route_class=JSONPostRoute)


@router.post(
    "/gradcheck",
    response_model=GradcheckResponse,
    response_class=JSONBytes,
    responses=ERROR_RESPONSES,
    summary="Check ∂l/∂w against central differences",
)
async def post_gradcheck(req: GradcheckRequest, request: Request) -> JSONBytes:
    """Analytic ∂l/∂w, ∂l/∂b from the backward pass beside (l(θ+ε) − l(θ−ε)) / 2ε for every
    parameter, with their largest absolute and relative differences."""
    settings = settings_of(request)
    example = example_of(req, settings.limits)
    count = example.network.parameter_count
    if count > settings.limits.max_gradcheck_parameters:
        raise APIError(
            422,
            [
                error_item(
                    ("body", "network", "layers"),
                    f"gradcheck runs two forward passes per parameter; this network has {count} "
                    f"parameters, the limit is {settings.limits.max_gradcheck_parameters}",
                    "too_many_parameters",
                    {"parameters": count, "limit": settings.limits.max_gradcheck_parameters},
                )
            ],
        )
    step = run_step(example, req.freeze_biases)
    try:
        # Up to 2 × 10,000 forward passes: off the event loop, so other requests go on.
        check = await run_in_threadpool(gradcheck, step, req.epsilon)
    except NonFiniteError as exc:
        raise from_non_finite(exc) from None
    return JSONBytes(check.to_json())
