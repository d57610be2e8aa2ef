#!/usr/bin/env bash
# The Debian packages a fresh machine of this kind lacks; everything from PyPI (torch, the
# course, the test extras, Playwright) is installed by `make test` into the course's .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
need=()
command -v bwrap >/dev/null || need+=(bubblewrap)            # the grading sandbox (autograder/sandbox.py)
command -v prlimit >/dev/null && command -v unshare >/dev/null || need+=(util-linux)
[ -x /usr/bin/chromium ] || need+=(chromium)                  # tests/browser, driven by Playwright
/usr/bin/python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)   # tests/test_first_run.py
command -v npm >/dev/null || need+=(nodejs npm)               # configurable-http-proxy (tests/test_jupyterhub.py)
if [ ${#need[@]} -gt 0 ]; then
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}"
fi

# JupyterHub's proxy from npm, into a local folder (deploy/jupyterhub/jupyterhub_config.py looks there)
CHP_VERSION="${CHP_VERSION:-5.3.0}"
if [ ! -x .ci/node/node_modules/.bin/configurable-http-proxy ]; then
  npm install --prefix .ci/node --no-audit --no-fund --loglevel=error "configurable-http-proxy@$CHP_VERSION"
fi
