# The course's commands. `make start` is all a student needs; `make test` runs every test.
PYTHON ?= python3
TORCH_VERSION ?= 2.13.0

.PHONY: start install notebooks test lab demo
start: install                        ## install everything, show the TA demo, open the course in JupyterLab
	-$(PYTHON) -m autograder demo     # the demo needs bubblewrap and root; the course itself does not
	$(MAKE) lab

install:                              ## pip-install nnkit (editable), JupyterLab, nbgrader, torch
	$(PYTHON) -c "import torch" 2>/dev/null || $(PYTHON) -m pip install "torch==$(TORCH_VERSION)"
	$(PYTHON) -m pip install -e ".[course,test]"

lab:                                  ## open JupyterLab on the course (formgrader included)
	$(PYTHON) -m jupyter lab --notebook-dir=. notebooks/01_perceptron/01_perceptron.ipynb

notebooks:                            ## regenerate notebooks/ from solutions/ with nbgrader
	$(PYTHON) tools/generate_notebooks.py

demo:                                 ## grade the bundled example class (the TA pipeline's demo)
	$(PYTHON) -m autograder demo

test:                                 ## the whole test suite
	$(PYTHON) -m pytest -n 2 --dist loadgroup
