"""Settings: every limit and knob in force, read once from the environment (BACKPROP_VIZ_*).

The engine's caps are one nested object, `limits`: app/engine/limits.py declares each one
once, its default, bounds and description (pydantic validates the variables against those
bounds). The API enforces them, GET /api/v1/capabilities publishes them (its `limits` model
is built from the same fields), the OpenAPI document writes them into the request schemas,
and the page reads them from /capabilities: no limit is written anywhere else.
Every variable is listed in the README.
"""

from __future__ import annotations

import os
from dataclasses import fields
from typing import Any, Literal

from pydantic import Field
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from app.engine import Limits

PREFIX = "BACKPROP_VIZ_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="forbid")

    limits: Limits = Field(default_factory=Limits)
    max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Request body size; larger is a 413."
    )
    # Streams (docs/operations.md): at most this many open at once in one process; past it a
    # 503 with Retry-After, in seconds.
    max_streams: int = Field(default=64, ge=1)
    stream_retry_after: int = Field(default=2, ge=0)
    # Compression: level 1 for API answers (docs/benchmarks.md); static files are compressed
    # once each at the highest levels, brotli or gzip (app/web/static.py).
    gzip_minimum_bytes: int = 1024
    gzip_level: int = Field(default=1, ge=1, le=9)
    # Embedding (docs/embedding.md). CSP frame-ancestors sources, space-separated.
    frame_ancestors: str = "*"
    # Origins allowed to call /api/ and load /static/ cross-origin, comma-separated; "*" is
    # any origin (including a sandboxed iframe's "null"). Never with credentials.
    cors_origins: str = "*"
    # Origins the embedded page takes postMessage commands from and posts to,
    # comma-separated; empty is any.
    embed_host_origins: str = ""
    # The page's scripts: static/js/bundle/ while it matches the modules (app/web/bundle.py);
    # false serves the modules themselves (the bundle is also skipped whenever it is stale).
    bundle: bool = True
    # LTI 1.3 (docs/lti.md): the platforms this tool trusts (a JSON file of registrations)
    # and the tool's RSA private key (a PEM file). Without the key, LTI is off (404s).
    lti_platforms: str = ""
    lti_private_key: str = ""
    # The server (app/cli.py; flags override these).
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1)
    log_level: Literal["critical", "error", "warning", "info", "debug", "trace"] = "info"
    access_log: bool = False
    log_format: Literal["text", "json"] = "text"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _FlatLimits(settings_cls)


class _FlatLimits(PydanticBaseSettingsSource):
    """BACKPROP_VIZ_MAX_NEURONS=32 sets limits.max_neurons: the limits are nested in the
    settings, but their variables are as flat as every other one."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        given = {
            f.name: os.environ[PREFIX + f.name.upper()]
            for f in fields(Limits)
            if PREFIX + f.name.upper() in os.environ
        }
        return {"limits": given} if given else {}
