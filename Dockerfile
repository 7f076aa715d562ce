# syntax=docker/dockerfile:1
# backprop-viz: the app alone, installed from its wheel (docs/deploy.md).
#   docker build -t backprop-viz .
#   docker run -p 8000:8000 -e BACKPROP_VIZ_WORKERS=4 backprop-viz

# Stage 1: the wheel of the app and a wheel of every dependency. Build tools stay here.
FROM python:3.11-slim AS builder
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY app ./app
COPY static ./static
COPY templates ./templates
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# Stage 2: only those wheels installed, no source tree, no pip cache, no compiler.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BACKPROP_VIZ_PORT=8000 \
    BACKPROP_VIZ_WORKERS=1 \
    BACKPROP_VIZ_LOG_LEVEL=info
RUN --mount=type=bind,from=builder,source=/wheels,target=/wheels \
    pip install --no-cache-dir --no-index --find-links /wheels backprop-viz \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin backprop
# A number, not a name: Kubernetes' runAsNonRoot can check a number.
USER 10001
EXPOSE 8000
# python, not curl, which the slim image lacks. Any answer but 200 (or none in 3 s) fails.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('BACKPROP_VIZ_PORT', '8000'), timeout=2)"]
# Host, port, workers and log level come from the BACKPROP_VIZ_* variables above: one
# worker a container by default, since an orchestrator scales by adding containers.
CMD ["backprop-viz", "--host", "0.0.0.0"]
