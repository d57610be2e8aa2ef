#!/usr/bin/env bash
# Everything the tests need on a fresh machine of this kind (Debian + pyenv Python).
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
# torch first, pinned: a bare `torch` requirement would pull several GB of CUDA packages.
python3 -c "import torch" 2>/dev/null || python3 -m pip install -q "torch==2.13.0"
python3 -m pip install -q -e ".[course,cluster,test]"
# The grading pipeline's sandbox (autograder/sandbox.py) is Debian's bubblewrap.
command -v bwrap >/dev/null || { apt-get update -qq && apt-get install -y -qq bubblewrap; }
bash .ci/install-browser-colab.sh
