# backprop-viz: the app alone (no test tools).
FROM python:3.11-slim
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
COPY static ./static
COPY templates ./templates
RUN pip install --no-cache-dir . && useradd --system backprop
USER backprop
EXPOSE 8000
CMD ["backprop-viz", "--host", "0.0.0.0", "--port", "8000"]
