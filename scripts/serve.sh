#!/usr/bin/env bash
# Install backprop-viz from this checkout (as a wheel, like any user) and serve it.
# Arguments go to the server, e.g. scripts/serve.sh --port 8080 --workers 2
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q .
exec .venv/bin/backprop-viz "$@"
