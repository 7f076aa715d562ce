"""The app, assembled from settings: API routers, page routes, static files."""

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from app import __version__
from app.api import capabilities, errors, gradcheck, network, presets, trace, train
from app.api.body_limit import BodyLimitMiddleware
from app.api.compression import GZipWhenAsked
from app.api.openapi import install_openapi
from app.paths import STATIC_DIR
from app.settings import Settings
from app.web import apidocs, oembed, pages
from app.web.headers import EmbeddingHeaders


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(
        title="backprop-viz",
        # /docs and /redoc are app.web.apidocs: FastAPI's own load their assets from a CDN.
        docs_url=None,
        redoc_url=None,
        version=__version__,
        description=(
            "Forward pass, backward pass and the gradient-descent step of a small network, "
            "neuron by neuron, in the lecture's notation: z, a, σ'(z) (`da_dz`), ∂l/∂z "
            "(`dl_dz`), ∂l/∂w = a × ∂l/∂z (`dl_dw`), θ¹ = θ⁰ − η∇L(θ⁰)."
        ),
    )
    app.state.settings = settings
    errors.install(app)
    for module in (trace, train, gradcheck, network, presets, capabilities, pages, oembed, apidocs):
        # Straight onto the app's router, not include_router: FastAPI routes every request
        # through a wrapper per included router (docs/benchmarks.md, "The fast path").
        app.router.routes.extend(module.router.routes)

    @app.get("/healthz", tags=["health"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    static = GZipMiddleware(
        StaticFiles(directory=STATIC_DIR),
        minimum_size=settings.gzip_minimum_bytes,
        compresslevel=settings.gzip_level_static,
    )
    app.mount("/static", static, name="static")
    install_openapi(app)
    # Added innermost first: the body cap must act before anything reads the body.
    app.add_middleware(
        GZipWhenAsked, minimum_size=settings.gzip_minimum_bytes, compresslevel=settings.gzip_level
    )
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=settings.max_body_bytes)
    # Outside the body cap, which reads no body here: its 413 gets CORS headers too.
    app.add_middleware(
        EmbeddingHeaders,
        frame_ancestors=settings.frame_ancestors,
        cors_origins=settings.cors_origins,
    )
    return app


app = create_app()
