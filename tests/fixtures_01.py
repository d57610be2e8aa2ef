"""Submissions of 01_perceptron that only the tests use: tampering with the checks, code
that hangs or crashes the kernel, and small helpers to edit a built notebook.

The demo class's own answers (ALT_01, KNOWN_MISTAKES_01, UNKNOWN_MISTAKE_01, WRONG_NET_INPUT,
eve's tampering and heidi's endless loop) stay in ``autograder.demo.build``, which builds the
demo class and the benchmark's; they are re-exported here so a test finds every 01 fixture
in one place.
"""
from __future__ import annotations

from autograder import source as src
from autograder.demo.build import (ALT_01, ENDLESS_LOOP, KNOWN_MISTAKES_01, MONKEYPATCH_NUMPY,
                                   UNKNOWN_MISTAKE_01, WRONG_NET_INPUT, filled, reference_answers)

__all__ = ["ALT_01", "KNOWN_MISTAKES_01", "UNKNOWN_MISTAKE_01", "WRONG_NET_INPUT",
           "TAMPER_01", "BROKEN_01", "broken_01", "find", "core_only"]


def find(nb, grade_id) -> int:
    """The index of the cell of ``nb`` whose nbgrader grade_id is ``grade_id``."""
    return next(i for i, c in enumerate(nb.cells) if src.meta(c).get("grade_id") == grade_id)


def core_only(nb):
    """``nb`` with only the markdown and the cells nbgrader tracks (setup, answers, tests):
    the student notebook's scratch cells dropped. Changes ``nb`` and returns it."""
    nb.cells = [c for c in nb.cells if c.cell_type == "markdown" or src.meta(c)]
    return nb


# Each: (a wrong net_input plus a trick that would make it pass if the trick worked).
TAMPER_01 = {
    "monkeypatch-numpy": MONKEYPATCH_NUMPY,       # the demo student eve
    "monkeypatch-checks": WRONG_NET_INPUT + """
import nnkit.checks
for _n in ("check_close", "check_equal", "check_shape", "check_true", "check_unchanged"):
    setattr(nnkit.checks, _n, lambda *a, **k: None)
check_close = check_shape = check_equal = lambda *a, **k: None
""",
    "monkeypatch-builtins": WRONG_NET_INPUT + """
import builtins
builtins.AssertionError = type("Ignored", (BaseException,), {})
builtins.isinstance = lambda *a: True
builtins.len = lambda x: 4
""",
    "always-equal": '''class _Anything(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return False
    def __gt__(self, other): return False
    def __le__(self, other): return True
    def __ge__(self, other): return True
    def __bool__(self): return True
    __hash__ = float.__hash__
class _AlwaysEqual(list):
    shape = property(lambda self: (len(self),))
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __len__(self): return 4
    def __getitem__(self, i): return _Anything(0.0)
    def __iter__(self): return iter([_Anything(0.0)] * 4)
    def __array__(self, *a, **k): return np.full(4, np.nan)
def net_input(X, w, b):
    return _AlwaysEqual()
''',
    "input-transformer": WRONG_NET_INPUT + """
def _skip_checks(lines):
    text = "".join(lines)
    return ["pass\\n"] if ("check_" in text or "assert" in text) else lines
get_ipython().input_transformers_post.append(_skip_checks)
""",
    "event-hook": WRONG_NET_INPUT + """
def _pre(info):
    if "net_input" in (info.raw_cell or ""):
        info.raw_cell = "pass"
get_ipython().events.register("pre_run_cell", _pre)
import sys
sys.excepthook = lambda *a: None
get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)
""",
    "exit-kernel": """def net_input(X, w, b):
    import sys
    sys.exit(0)
""",
    "kill-kernel": """def net_input(X, w, b):
    import os, signal
    os.kill(os.getppid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
""",
    "read-solutions": '''def _answer_from_files():
    import glob, json
    for path in glob.glob("/work/**/solutions/01_perceptron/*.ipynb", recursive=True) + \\
            glob.glob("/**/solutions/01_perceptron/*.ipynb", recursive=True) + \\
            glob.glob("../../solutions/01_perceptron/*.ipynb"):
        try:
            return open(path).read()
        except OSError:
            pass
    return None

def net_input(X, w, b):
    if _answer_from_files() is not None:
        return np.asarray(X) @ np.asarray(w) + b   # only right when it could read the solutions
    return np.asarray(X) @ np.asarray(w)
''',
    "print-hidden-tests": '''def net_input(X, w, b):
    import inspect, sys
    for frame in inspect.stack():
        try:
            print("CALLER SOURCE:", inspect.getsource(frame.frame))
        except Exception:
            pass
        print("CALLER GLOBALS:", list(frame.frame.f_globals)[:50])
    print("HIDDEN INPUT:", repr(X), repr(w), repr(b), file=sys.stderr)
    return np.asarray(X) @ np.asarray(w) + b
''',
}

BROKEN_01 = {  # kind -> (grade_id, source): an answer whose code hangs, crashes or exhausts the kernel
    "endless-loop": ("net_input", ENDLESS_LOOP),   # the demo student heidi
    "sleep-forever": ("train_perceptron", None),   # filled below
    "os-exit-at-definition": ("heaviside", None),
    "segfault": ("perceptron_predict", "def perceptron_predict(X, w, b):\n    import ctypes\n"
                                       "    return ctypes.string_at(0)\n"),
    "memory-bomb": ("net_input", "def net_input(X, w, b):\n    blocks = []\n    while True:\n"
                                 "        blocks.append(bytearray(100 << 20))\n"),
    "fork-bomb": ("net_input", "def net_input(X, w, b):\n    import os\n    while True:\n        try:\n"
                               "            os.fork()\n        except OSError:\n            pass\n"),
}


def broken_01(kind: str):
    """The reference answers with one of them replaced by ``BROKEN_01[kind]``."""
    gid, code = BROKEN_01[kind]
    ref = reference_answers("01_perceptron")
    if kind == "sleep-forever":
        code = ref["train_perceptron"] + "\nimport time\ntime.sleep(10 ** 6)\n"
    elif kind == "os-exit-at-definition":
        code = ref["heaviside"] + "\nimport os\nos._exit(3)\n"
    return filled("01_perceptron", {gid: code})
