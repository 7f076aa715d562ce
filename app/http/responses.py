"""JSON out through orjson: it reads numpy arrays directly, many times faster than
json.dumps of per-neuron dicts (docs/benchmarks.md)."""

from typing import Any

import orjson
from fastapi.responses import JSONResponse

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY


def dumps(body: Any) -> bytes:
    return orjson.dumps(body, option=_OPTIONS)


class JSONBytes(JSONResponse):
    """A JSONResponse rendered by orjson. A JSONResponse subclass, so that FastAPI documents
    a route's 200 as exactly its response model (for any other class it adds
    `"type": "string"` beside the model's $ref)."""

    def render(self, content: Any) -> bytes:
        return dumps(content)
