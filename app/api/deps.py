"""What the routers share."""

from fastapi import Request

from app.settings import Settings

API_PREFIX = "/api/v1"


def settings_of(request: Request) -> Settings:
    """The settings the app was built with (create_app puts them on app.state).

    Read directly rather than through Depends: dependency solving costs a measurable share
    of a trace, and a plain `def` dependency runs in the thread pool, with a long p99 tail
    (docs/benchmarks.md, "The fast path")."""
    return request.app.state.settings
