#!/usr/bin/env bash
# What tests/browser/ and tests/colab/ need beyond the course's Python packages and the Debian
# packages of .ci/install.sh (Debian's chromium among them, which Playwright drives; Playwright's
# own browser downloads are not used). `make test` runs it with PY set to the course's Python:
# - the Playwright Python package (it carries its driver);
# - the Python that Colab runs (the "# python:" line of tests/colab/colab-constraints.txt) and
#   Python 3.11 (torch notebooks), found through pyenv; the suite builds its venvs itself.
# Both suites fail in CI (CI set) when any of this is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
PY="${PY:-python3}"
"$PY" -c "import playwright" 2>/dev/null || "$PY" -m pip install -q "playwright>=1.40"
for v in "$(sed -n 's/^# python: \([0-9]*\.[0-9]*\).*/\1/p' tests/colab/colab-constraints.txt)" 3.11; do
  if ! ls "$(pyenv root 2>/dev/null)"/versions/"$v"*/bin/python"$v" >/dev/null 2>&1 && ! command -v "python$v" >/dev/null; then
    echo "install-browser-colab: Python $v is missing (pyenv install $v); tests/colab will fail in CI" >&2
  fi
done
