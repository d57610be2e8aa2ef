#!/usr/bin/env bash
# The Debian packages the test suites need that a fresh machine may lack: the one list, used by
# `make test` (through `make install-test`) and by CI (.ci/run). Everything from PyPI (torch,
# the course, the test extras, Playwright) is installed by `make test` into the course's .venv.
# Without root and without a usable sudo (or without apt-get), it says what is missing and how
# to install it, and exits 0 so that the suites run and skip what they cannot test; with CI set
# it exits 1 instead.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v bwrap >/dev/null || need+=(bubblewrap)            # the grading sandbox (autograder/sandbox.py)
command -v prlimit >/dev/null && command -v unshare >/dev/null || need+=(util-linux)
[ -x /usr/bin/chromium ] || need+=(chromium)                  # tests/browser, driven by Playwright
/usr/bin/python3 -c "import venv, ensurepip" 2>/dev/null || need+=(python3-venv)   # tests/test_first_run.py
command -v npm >/dev/null || need+=(nodejs npm)               # configurable-http-proxy (tests/test_jupyterhub.py)

# JupyterHub's proxy from npm, into a local folder (deploy/jupyterhub/jupyterhub_config.py looks there)
install_proxy() {
  if [ ! -x .ci/node/node_modules/.bin/configurable-http-proxy ] && command -v npm >/dev/null; then
    npm install --prefix .ci/node --no-audit --no-fund --loglevel=error "configurable-http-proxy@${CHP_VERSION:-5.3.0}"
  fi
}
trap install_proxy EXIT
[ ${#need[@]} -gt 0 ] || exit 0
sudo=""
why=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"
  else why="not root, and no sudo that works without a password"; fi
fi
command -v apt-get >/dev/null || why="no apt-get (not a Debian/Ubuntu system)"
if [ -n "$why" ]; then
  echo "install.sh: cannot install ${need[*]} ($why). Ask an administrator for:" \
       "sudo apt-get install -y ${need[*]}; until then the tests that need them are skipped." >&2
  [ -z "${CI:-}" ] || exit 1
  exit 0
fi
echo "install.sh: installing ${need[*]} with apt-get" >&2
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${need[@]}"
