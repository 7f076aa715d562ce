"""The wire room: what every HTTP layer above it (app/api, app/ops, app/web) writes on the
wire the same way, so that none of them imports another for it.

- responses.py: `dumps` (orjson, numpy arrays read directly) and JSONBytes, the JSON response;
- errors.py: `error_item`, the API's one error shape, and the raw-ASGI JSON answer;
- events.py: the stream media types (NDJSON, SSE), one event-stream writer that picks
  between them, and EventStream, the response that stops when its client leaves;
- guards.py: Wire, the ASGI middleware that caps the body, gzips when asked and answers
  the 500 with CORS.

It imports nothing from app/api, app/ops or app/web (tests/test_layers.py).
"""
