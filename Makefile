# The course's commands. A student needs `make start`; `make test` runs every test.
#
# Everything runs in one Python environment: the active virtual (or conda) environment if
# there is one, else the course's own `.venv/`, created here on first use. Nothing is
# installed into the system's Python (PEP 668 systems refuse that anyway).
PYTHON ?= python3
VENV ?= .venv
TORCH_VERSION ?= 2.13.0
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
EXTRAS ?= course
LAB_ARGS ?=
NOTEBOOK := notebooks/01_perceptron/01_perceptron.ipynb

ifneq ($(VIRTUAL_ENV)$(CONDA_PREFIX),)
PY := python
ENV_READY :=
else
PY := $(abspath $(VENV))/bin/python
ENV_READY := $(VENV)/bin/python
# as if activated: programs that nbgrader and the tests start by name come from .venv/bin
export PATH := $(abspath $(VENV))/bin:$(PATH)
endif
# JupyterLab refuses to run as root unless told; in a container that is the normal case.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
PIP := $(PY) -m pip --disable-pip-version-check

.PHONY: start install install-test notebooks test lab demo
start: install                      ## install, show the TA demo, open the course in JupyterLab
	$(PY) -m autograder demo --skip-if-unavailable
	$(MAKE) --no-print-directory lab

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "error: '$(PYTHON) -m venv' failed. On Debian/Ubuntu: sudo apt-get install python3-venv; or activate an environment of your own and run make again." >&2; exit 2; }
	@$(PIP) install -q --upgrade pip

install: $(ENV_READY)               ## nnkit (editable), JupyterLab, nbgrader, torch (CPU build where there is one)
	@$(PY) -c "import torch" 2>/dev/null || \
	  $(PIP) install -q --timeout 20 --retries 1 --index-url $(TORCH_CPU_INDEX) "torch==$(TORCH_VERSION)" || \
	  { echo "PyTorch's CPU index was not reachable: installing torch $(TORCH_VERSION) from PyPI" >&2; \
	    $(PIP) install "torch==$(TORCH_VERSION)"; }
	$(PIP) install -q -e ".[$(EXTRAS)]"

install-test:                       ## the Debian packages the suites need (.ci/install.sh), install, the test extras
	bash .ci/install.sh
	$(MAKE) --no-print-directory install EXTRAS=course,cluster,hub,test
	PY=$(PY) bash .ci/install-browser-colab.sh

lab: $(ENV_READY)                   ## JupyterLab on notebook 01 (formgrader included); LAB_ARGS="--port 9999 ..."
	$(PY) tools/lab.py $(ALLOW_ROOT) $(LAB_ARGS)

notebooks: $(ENV_READY)             ## regenerate notebooks/ from solutions/ with nbgrader
	$(PY) tools/generate_notebooks.py

demo: $(ENV_READY)                  ## grade the bundled example class (the TA pipeline's demo)
	$(PY) -m autograder demo

test: install-test                  ## the whole test suite
	$(PY) -m pytest -n 2 --dist loadgroup
