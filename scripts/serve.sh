#!/usr/bin/env bash
# Install backprop-viz from this checkout (as a wheel, like any user) and serve it.
# It installs only when the checkout changed since the last install, and says what it does.
# Arguments go to the server, e.g. scripts/serve.sh --port 8080 --workers 2
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "serve.sh: $*" >&2; }

if ! [ -x .venv/bin/python ]; then
  say "creating .venv (first run)"
  python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi

# What the wheel is built from: when none of it changed, the installed package is current.
stamp=$(find pyproject.toml README.md app static templates -type f -not -path '*/__pycache__/*' \
  -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ "$(cat .venv/.installed 2>/dev/null)" != "$stamp" ] || ! [ -x .venv/bin/backprop-viz ]; then
  say "installing backprop-viz from this checkout into .venv (about a minute the first time)"
  .venv/bin/python -m pip install -q .
  echo "$stamp" > .venv/.installed
else
  say "backprop-viz is installed and current (nothing changed since the last install)"
fi
say "serving; the address follows (Ctrl-C stops)"
exec .venv/bin/backprop-viz "$@"
