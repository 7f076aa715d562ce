"""Moved to app/http/responses.py (the wire room). Kept only for app/api/capabilities.py,
which issue 16's limits branch rewrites at the same time: delete once both are merged."""

from app.http.responses import JSONBytes as JSONBytes
from app.http.responses import dumps as dumps
