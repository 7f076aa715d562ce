"""The stack's ceiling: a bare FastAPI app whose async GET returns a small JSON object.

bench_http.py serves it with the same uvicorn, flags and worker count as app.main:app,
so that the trace endpoint's throughput can be read as a fraction of what FastAPI on
this machine can do at all.

`POST /floor` is a second reference, not the ceiling: it reads the request body and
answers with a fixed JSON document of BENCH_FLOOR_BYTES bytes (bench_http.py sets it to
the size of the real trace response), so it costs what moving a trace request in and its
response out through uvicorn + FastAPI costs, with no work in between.

    python -m uvicorn --app-dir benchmarks ceiling_app:app --port 8001
"""

import os

from fastapi import FastAPI, Request, Response

app = FastAPI()

_SIZE = max(int(os.environ.get("BENCH_FLOOR_BYTES", "2")), len('{"pad":""}'))
_FLOOR = b'{"pad":"' + b"x" * (_SIZE - len('{"pad":""}')) + b'"}'


@app.get("/")
async def ceiling() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/floor")
async def floor(request: Request) -> Response:
    await request.body()
    return Response(_FLOOR, media_type="application/json")
