"""POST /cost and GET /cost/sweep: why backpropagation, in forward passes and seconds.

Measurements run one at a time per process (a lock), off the event loop: two at once
would share the cores and each report the other's time. Answers are cached per process
(docs/api.md, "POST /api/v1/cost"): the sweep is measured once, on its first request; a
POST's answer is kept, by a digest of its request, for the next identical request (the
last CACHE_SIZE requests), so a class opening the tour on the same network measures once.
Each worker process has its own cache.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from app.api.body import network_of
from app.api.deps import API_PREFIX, settings_of
from app.api.errors import APIError, from_non_finite, from_spec_error
from app.api.openapi import ERROR_RESPONSES
from app.api.routes import JSONPostRoute
from app.api.schemas import CostRequest, CostResponse, CostSweepResponse
from app.engine import (
    SWEEP_ACTIVATION,
    SWEEP_LOSS,
    Limits,
    NonFiniteError,
    SpecError,
    check_example,
    check_learning_rate,
    drawn_example,
    gradient_cost,
    sweep_network,
    sweep_shapes,
)
from app.http.errors import error_item
from app.http.responses import JSONBytes

router = APIRouter(prefix=API_PREFIX, tags=["cost"], route_class=JSONPostRoute)
_get = APIRouter(prefix=API_PREFIX, tags=["cost"], route_class=APIRoute)

CACHE_SIZE = 64


class CostCache:
    """One app's measurements: the lock they take turns under, and their answers."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.answers: OrderedDict[bytes, dict[str, Any]] = OrderedDict()
        self.sweep: dict[str, Any] | None = None

    def get(self, key: bytes) -> dict[str, Any] | None:
        answer = self.answers.get(key)
        if answer is not None:
            self.answers.move_to_end(key)
        return answer

    def put(self, key: bytes, answer: dict[str, Any]) -> None:
        self.answers[key] = answer
        while len(self.answers) > CACHE_SIZE:
            self.answers.popitem(last=False)


def cache_of(request: Request) -> CostCache:
    state = request.app.state
    if not hasattr(state, "cost_cache"):
        state.cost_cache = CostCache()
    cache: CostCache = state.cost_cache
    return cache


def _sample_of(req: CostRequest, limits: Limits) -> int:
    cap = limits.max_cost_sample
    if req.sample is None:
        return cap
    if req.sample > cap:
        raise APIError(
            422,
            [
                error_item(
                    ("body", "sample"),
                    f"must be from 1 to {cap} parameters (max_cost_sample), got {req.sample}",
                    "out_of_range",
                    {"min": 1, "max": cap, "whole": True, "given": req.sample},
                )
            ],
        )
    return req.sample


def _measure(req: CostRequest, limits: Limits) -> dict[str, Any]:
    """Check the request, then measure (in a worker thread)."""
    network = network_of(req.network, limits)
    try:
        if req.input is None and req.target is None:
            x, t = drawn_example(network, req.network.seed)
        elif req.input is None or req.target is None:
            missing, given = ("input", "target") if req.input is None else ("target", "input")
            raise APIError(
                422,
                [
                    error_item(
                        ("body", missing),
                        f"{missing} is required when {given} is given: send both, or neither "
                        "(then both are drawn from network.seed)",
                        "missing",
                    )
                ],
            )
        else:
            x, t = check_example(network, req.input, req.target, limits)
        eta = check_learning_rate(req.learning_rate, limits)
    except SpecError as exc:
        raise from_spec_error(exc) from None
    sample = _sample_of(req, limits)
    try:
        cost = gradient_cost(network, x, t, sample, eta, req.freeze_biases, req.epsilon)
    except NonFiniteError as exc:
        raise from_non_finite(exc) from None
    return cost.to_json()


@router.post(
    "/cost",
    response_model=CostResponse,
    response_class=JSONBytes,
    responses=ERROR_RESPONSES,
    summary="The gradient's cost: central differences against backpropagation",
)
async def post_cost(req: CostRequest, request: Request) -> JSONBytes:
    """P parameters: central differences take 2P forward passes, backpropagation one
    forward and one backward pass. Both are run on this network and example and timed
    (medians of `repeats` runs); past `max_cost_sample` parameters the central differences
    are timed on a sample and their time estimated per forward pass × 2P (`estimated`).
    `max_abs_difference` compares the two gradients. Identical requests are answered from
    this process's cache (`cached`)."""
    limits = settings_of(request).limits
    cache = cache_of(request)
    key = hashlib.sha256(req.model_dump_json().encode() + b"%d" % limits.max_cost_sample).digest()
    answer = cache.get(key)
    if answer is None:
        async with cache.lock:
            answer = cache.get(key)  # measured while this request waited?
            if answer is None:
                answer = await run_in_threadpool(_measure, req, limits)
                cache.put(key, answer)
                return JSONBytes({**answer, "cached": False})
    return JSONBytes({**answer, "cached": True})


def measure_sweep(limits: Limits) -> list[dict[str, Any]]:
    networks = []
    for layers in sweep_shapes(limits):
        network = sweep_network(layers, limits)
        x, t = drawn_example(network, 0)
        cost = gradient_cost(network, x, t, limits.max_cost_sample)
        networks.append({**cost.to_json(), "cached": False})
    return networks


@_get.get(
    "/cost/sweep",
    response_model=CostSweepResponse,
    response_class=JSONBytes,
    summary="The gradient's cost as networks grow, up to the largest the API accepts",
)
async def get_cost_sweep(request: Request) -> JSONBytes:
    """POST /cost's answer for a handful of networks from 2-2-2 to `max_layers` layers
    of `max_neurons` (σ on every layer, squared error, Xavier weights and an example drawn
    from seed 0), smallest first: the plot of cost against P. Measured once per server
    process, on the first request; later ones get the same numbers (`cached`)."""
    limits = settings_of(request).limits
    cache = cache_of(request)
    cached = cache.sweep is not None
    if not cached:
        async with cache.lock:
            cached = cache.sweep is not None  # measured while this request waited?
            if not cached:
                try:
                    networks = await run_in_threadpool(measure_sweep, limits)
                except NonFiniteError as exc:  # Xavier weights and |x| ≤ 1: not expected
                    raise from_non_finite(exc) from None
                cache.sweep = {
                    "activation": SWEEP_ACTIVATION,
                    "loss": SWEEP_LOSS,
                    "sample": limits.max_cost_sample,
                    "networks": networks,
                }
    sweep = cache.sweep
    assert sweep is not None
    networks = [{**n, "cached": cached} for n in sweep["networks"]]
    return JSONBytes({**sweep, "networks": networks, "cached": cached})


router.routes.extend(_get.routes)
