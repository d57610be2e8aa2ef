"""Build example submissions from the course's own notebooks.

Used for the bundled demo class (``python -m autograder.demo.build`` rewrites
``autograder/demo/submissions``), by the tests (bad inputs, tampering, answers written
differently) and by the benchmark's synthetic class.
"""
from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import nbformat

from .. import source as src

ROOT = src.ROOT
HERE = Path(__file__).resolve().parent


def student_notebook(assignment: str):
    a = src.load(assignment)
    return nbformat.read(ROOT / "notebooks" / assignment / f"{a.notebook_id}.ipynb", as_version=4)


def reference_answers(assignment: str) -> dict[str, str]:
    """grade_id -> the reference answer of every exercise and written question."""
    answers = src.reference_answers(assignment)
    answers.update({src.meta(c)["grade_id"]: c.source for c in src.load(assignment).cells if src.kind(c) == "answer"})
    return answers


def filled(assignment: str, replace: dict[str, str] | None = None, blank: tuple = (), core_only=False):
    """The student notebook answered with the reference solutions, except ``replace``
    (grade_id -> source) and the ``blank`` cells, which keep their stubs."""
    nb = copy.deepcopy(student_notebook(assignment))
    ref = reference_answers(assignment)
    for c in nb.cells:
        gid = src.meta(c).get("grade_id")
        if gid in (replace or {}):
            c.source = replace[gid]
        elif gid in ref and gid not in blank:
            c.source = ref[gid]
    if core_only:
        nb.cells = [c for c in nb.cells if c.cell_type == "markdown" or src.meta(c)]
    return nb


def find(nb, grade_id):
    return next(i for i, c in enumerate(nb.cells) if src.meta(c).get("grade_id") == grade_id)


def write(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


# --- notebook 01: answers written differently, wrong answers, tampering ---------------

ALT_01 = {  # loops instead of vectorized code, other names, helpers, float32
    "net_input": '''def _dot(row, weights):
    total = np.float32(0.0)
    for value, weight in zip(row, weights):
        total += np.float32(value) * np.float32(weight)
    return total

def net_input(X, w, b):
    """Net input, one sample at a time."""
    rows = [_dot(row, w) + np.float32(b) for row in np.asarray(X)]
    return np.array(rows, dtype=np.float32)
''',
    "heaviside": '''def heaviside(z):
    arr = np.asarray(z, dtype=np.float32)
    out = np.empty(arr.shape, dtype=np.int32)
    for idx in np.ndindex(arr.shape):
        out[idx] = 1 if arr[idx] >= 0 else 0
    return out
''',
    "perceptron_predict": '''def perceptron_predict(features, weights, bias):
    labels = []
    for row in np.asarray(features, dtype=float):
        labels.append(1 if float(row @ np.asarray(weights, dtype=float)) + bias >= 0 else -1)
    return np.array(labels)
''',
    "perceptron_update": '''def _predict_one(sample, weights, bias):
    return 1 if float(np.dot(sample, weights)) + bias >= 0 else -1

def perceptron_update(x, y, w, b, eta):
    step = eta * (y - _predict_one(x, w, b))
    new_w = [wi + step * xi for wi, xi in zip(w, x)]
    return np.array(new_w), b + step
''',
    "train_perceptron": '''def train_perceptron(X, y, w, b, eta, epochs):
    weights = [float(v) for v in w]
    history = []
    for epoch in range(epochs):
        count = 0
        for i in range(len(X)):
            if _predict_one(X[i], weights, b) != y[i]:
                count += 1
            new_w, b = perceptron_update(X[i], y[i], np.array(weights), b, eta)
            weights = list(new_w)
        history.append(count)
    return np.array(weights), b, history
''',
    "perceptron_layer_update": '''def perceptron_layer_update(x, y_onehot, W, b, eta):
    rows, biases = [], []
    for w_j, b_j, target in zip(np.asarray(W, dtype=np.float32), np.asarray(b, dtype=np.float32), y_onehot):
        fired = 1.0 if float(np.dot(w_j, x)) + float(b_j) >= 0 else 0.0
        step = np.float32(eta * (target - fired))
        rows.append(w_j + step * np.asarray(x, dtype=np.float32))
        biases.append(b_j + step)
    return np.array(rows), np.array(biases)
''',
    "train_perceptron_layer": '''def train_perceptron_layer(X, Y, W, b, eta, epochs):
    history = []
    for epoch in range(epochs):
        count = 0
        for sample, target in zip(X, Y):
            fired = [1.0 if float(np.dot(row, sample)) + float(bias) >= 0 else 0.0 for row, bias in zip(W, b)]
            count += int(list(fired) != [float(t) for t in target])
            W, b = perceptron_layer_update(sample, target, W, b, eta)
        history.append(count)
    return np.array(W), np.array(b), history
''',
    "predict_class": '''def predict_class(X, W, b):
    return np.array([max(range(len(b)), key=lambda j: float(np.dot(W[j], row)) + float(b[j])) for row in X])
''',
}

WRONG_NET_INPUT = "def net_input(X, w, b):\n    return np.asarray(X) @ np.asarray(w)   # the bias is missing\n"

# Each: (a wrong net_input plus a trick that would make it pass if the trick worked).
TAMPER_01 = {
    "monkeypatch-numpy": WRONG_NET_INPUT + """
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
""",
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

BROKEN_01 = {  # grade_id -> source: a submission whose code does bad things
    "endless-loop": ("net_input", "def net_input(X, w, b):\n    while True:\n        pass\n"),
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
    gid, code = BROKEN_01[kind]
    ref = reference_answers("01_perceptron")
    if kind == "sleep-forever":
        code = ref["train_perceptron"] + "\nimport time\ntime.sleep(10 ** 6)\n"
    elif kind == "os-exit-at-definition":
        code = ref["heaviside"] + "\nimport os\nos._exit(3)\n"
    return filled("01_perceptron", {gid: code})


def partial(assignment: str, keep: float = 0.5, seed: int = 0):
    ids = [src.meta(c)["grade_id"] for c in src.load(assignment).solutions]
    rnd = random.Random(seed)
    blank = tuple(rnd.sample(ids, k=max(1, int(len(ids) * (1 - keep)))))
    return filled(assignment, blank=blank)


def broken(assignment: str):
    """A syntax error in the first answer and a NameError in the second."""
    ids = [src.meta(c)["grade_id"] for c in src.load(assignment).solutions]
    rep = {ids[0]: "def oops(:\n    pass\n"}
    if len(ids) > 1:
        rep[ids[1]] = reference_answers(assignment)[ids[1]].replace("return", "return undefined_name +", 1)
    return filled(assignment, rep)


# Catalogued mistakes (solutions/01_perceptron/mistakes.py) written as students write them:
# other names, loops, np.dot. The grader recognises them by behaviour, not by text.
KNOWN_MISTAKES_01 = {
    "sign-flipped": """def perceptron_update(x, y, w, b, eta):
    prediction = 1 if np.dot(w, x) + b >= 0 else -1
    error = prediction - y
    return w + eta * error * x, b + eta * error
""",
    "no-bias": "def net_input(X, w, b):\n    return np.dot(X, w)\n",
    "strict-inequality": "def heaviside(z):\n    return (np.asarray(z) > 0).astype(int)\n",
    "np-sign": "def perceptron_predict(X, w, b):\n    return np.sign(net_input(X, w, b))\n",
    "cumulative-errors": """def train_perceptron(X, y, w, b, eta, epochs):
    w = np.array(w, dtype=float)
    history, count = [], 0
    for epoch in range(epochs):
        for i in range(len(X)):
            if (1 if X[i] @ w + b >= 0 else -1) != y[i]:
                count += 1
            w, b = perceptron_update(X[i], y[i], w, b, eta)
        history.append(count)
    return w, b, history
""",
}
# A wrong answer that is in no catalogue: the grader must not guess.
UNKNOWN_MISTAKE_01 = ("train_perceptron", """def train_perceptron(X, y, w, b, eta, epochs):
    w = np.array(w, dtype=float)
    errors = []
    for epoch in range(epochs):
        updates = 0
        for xi, yi in zip(X, y):
            w_next, b_next = perceptron_update(xi, yi, w, b, eta / (epoch + 1))
            updates += int(b_next != b)
            w, b = w_next, b_next
        errors.append(updates)
    return w, b, errors
""")


def build_demo(dest: Path = HERE / "submissions") -> Path:
    """The bundled demo class: a flat folder, as an LMS exports it."""
    if dest.exists():
        for p in dest.iterdir():
            p.unlink()
    a = "01_perceptron"
    write(filled(a), dest / f"alice_{a}.ipynb")
    write(partial(a, 0.5, seed=1), dest / f"bob_{a}.ipynb")
    write(student_notebook(a), dest / f"carol_{a}.ipynb")
    write(broken(a), dest / f"dave_{a}.ipynb")
    write(filled(a, {"net_input": TAMPER_01["monkeypatch-numpy"]}), dest / f"eve_{a}.ipynb")
    write(filled(a, ALT_01), dest / f"{a}_grace.ipynb")
    (dest / f"frank_{a}.ipynb").write_text('{"cells": [ this is not JSON')
    write(filled(a, {"net_input": BROKEN_01["endless-loop"][1]}), dest / f"heidi_{a}.ipynb")
    k = KNOWN_MISTAKES_01
    write(filled(a, {"perceptron_update": k["sign-flipped"]}), dest / f"ivan_{a}.ipynb")
    write(filled(a, {"perceptron_update": k["sign-flipped"], "net_input": k["no-bias"]}), dest / f"judy_{a}.ipynb")
    write(filled(a, {"heaviside": k["strict-inequality"], "train_perceptron": k["cumulative-errors"]}),
          dest / f"ken_{a}.ipynb")
    write(filled(a, {"perceptron_predict": k["np-sign"], "train_perceptron": UNKNOWN_MISTAKE_01[1]}),
          dest / f"leo_{a}.ipynb")
    write(filled(a, {"heaviside": k["strict-inequality"]}), dest / f"mallory_{a}.ipynb")
    return dest


if __name__ == "__main__":
    print(build_demo())
