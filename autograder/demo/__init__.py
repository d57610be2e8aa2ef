"""The bundled demo class (``submissions/``, rebuilt by ``build.py``) and how it is graded."""
from ..worker import Options

# `python -m autograder demo`'s limits: short, since no demo answer needs long (the tests
# grade the demo with the same options, so they see what a TA sees)
OPTIONS = Options(cell_timeout=10, notebook_timeout=120, call_timeout=5, test_timeout=60, exec_timeout=10)
