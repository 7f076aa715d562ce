#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run them all.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/engine -x
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium for the browser tests (Playwright cannot download browsers here), curl
# and jq, which the docs' shell examples use (tests/docs runs every one of them), and node for
# the page's unit tests (tests/js; node's own test runner, no packages).
# A CJK font (WenQuanYi Micro Hei, the smallest Debian font with Traditional Chinese) for the
# zh-TW page. nginx for the scale-out test (tests/deploy: two app processes behind
# deploy/nginx.conf, rendered by gettext's envsubst as in the container).
if ! [ -x /usr/bin/chromium ] || ! command -v curl >/dev/null || ! command -v jq >/dev/null \
   || ! command -v node >/dev/null \
   || ! [ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || ! [ -x /usr/sbin/nginx ] || ! command -v envsubst >/dev/null; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  NODE=""; command -v node >/dev/null || NODE="nodejs"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core fonts-wqy-microhei curl jq ca-certificates nginx gettext-base $NODE >/dev/null
fi

# The bundler (esbuild, pinned in scripts/bundle/package-lock.json) for tests/test_bundle.py,
# which checks that static/js/bundle/ is what the modules build to.
[ -x scripts/bundle/node_modules/.bin/esbuild ] || npm ci --prefix scripts/bundle --no-audit --no-fund --loglevel=error

python3 -m venv .venv-test
.venv-test/bin/python -m pip install -q --upgrade pip
.venv-test/bin/python -m pip install -q -e ".[test]"

.venv-test/bin/ruff check .
.venv-test/bin/ruff format --check .
.venv-test/bin/mypy  # app/, strict on app/engine (pyproject.toml)
.venv-test/bin/python -m pytest "$@"
