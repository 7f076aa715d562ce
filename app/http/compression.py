"""gzip for clients that ask for it, and no cost for those that do not."""

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import Receive, Scope, Send


class GZipWhenAsked(GZipMiddleware):
    """Starlette's GZipMiddleware wraps every response, compressed or not, at a cost
    (docs/benchmarks.md); this one steps aside when the request has no Accept-Encoding: gzip."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == b"accept-encoding" and b"gzip" in value:
                    await super().__call__(scope, receive, send)
                    return
        await self.app(scope, receive, send)
