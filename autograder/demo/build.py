"""Build example submissions from the course's own notebooks.

Used for the bundled demo class (``python -m autograder.demo.build`` rewrites
``autograder/demo/submissions``) and by the benchmark's synthetic class. The tests build
their own submissions from these functions and answers; the ones only they use (other
tampering, code that crashes the kernel) are in ``tests/fixtures_01.py``.
"""
from __future__ import annotations

import copy
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
    a = src.load(assignment)
    return {**a.reference_answers, **{g: c.source for c in a.cells if (g := src.meta(c).get("grade_id"))
                                      and a.kinds[g] == src.ANSWER}}


def filled(assignment: str, replace: dict[str, str] | None = None, blank: tuple = ()):
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
    return nb


def write(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


# --- notebook 01: the demo class's answers written differently, wrong answers, tampering

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

# eve's answer: a wrong net_input, and NumPy's comparisons patched so that it would pass if
# the patch reached the checks (the tests' other tricks: tests/fixtures_01.py)
MONKEYPATCH_NUMPY = WRONG_NET_INPUT + """
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
"""

# heidi's answer: a net_input that never returns
ENDLESS_LOOP = "def net_input(X, w, b):\n    while True:\n        pass\n"


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
    write(filled(a, {"net_input": MONKEYPATCH_NUMPY}), dest / f"eve_{a}.ipynb")
    write(filled(a, ALT_01), dest / f"{a}_grace.ipynb")
    (dest / f"frank_{a}.ipynb").write_text('{"cells": [ this is not JSON')
    write(filled(a, {"net_input": ENDLESS_LOOP}), dest / f"heidi_{a}.ipynb")
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
