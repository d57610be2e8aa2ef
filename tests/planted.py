"""Planted answers: the reference solution of one exercise, changed by a wrapper in one way that
must cost its test cell's points under both grading rules (nbgrader's, and the course grader).

Which exercises get which plant is derived from the notebooks themselves, so a new exercise
or a new notebook needs no new line here:

- ``liar``: the exercise's result, with every array in it replaced by an object whose
  ``.shape`` and ``.ndim`` are the real result's while ``np.asarray`` of it is an empty
  ``(0, 1, 1)`` array, on every call except the calls the visible checks make (those get
  the real result: the red team's "visible answers hard-coded"). Planted in every exercise
  whose visible calls return an array (``array_exercises``).
- ``inplace``: the real result, after which every array and tensor argument (also inside
  lists, tuples and dicts) is changed in place. Planted in every exercise that promises not
  to modify its inputs (``INPLACE``: one line per notebook).
- ``replace``: the real result, after which every array or tensor held by a list or dict
  argument is replaced there by a new one. Planted in the same exercises, where one of their
  visible calls passes such a list or dict.

The calls the visible checks make are told apart by a fingerprint of the arguments
(``FINGERPRINT``), recorded by running the solution's graded cells with the hidden tests cut
off (``visible_calls``), in a forked child.
"""
from __future__ import annotations

import re
import textwrap

from autograder import source as src
import nbgrading

# exercise functions whose checks hold them to not modifying their inputs, by assignment:
# every function the notebook's checks call with arrays or tensors ("*"), or the names listed
# (the others may change their inputs unseen; the rules still have to agree on them)
UNCHECKED = {"05_backprop": ("value_train_step",),
             # puts the model in evaluation mode by contract; its checks hold it to the result only
             "07_pytorch_regression": ("evaluate_mae",)}
INPLACE = {
    "01_perceptron": "*",
    "02_adaline": "*",
    "03_mlp": "*",
    "05_backprop": "*",
    "06_training": "*",
    "07_pytorch_regression": "*",
}

FINGERPRINT = textwrap.dedent('''
    def _planted_fp(value):
        """A digest of a call's arguments that is the same in every interpreter and after the wire."""
        import hashlib as _hl
        import numpy as _np
        h = _hl.sha1()

        def walk(v, depth):
            if depth > 8:
                h.update(b"deep")
            elif hasattr(v, "detach") and hasattr(v, "numel"):
                walk(v.detach().cpu().numpy(), depth + 1)
            elif isinstance(v, _np.ndarray) and v.dtype != object:
                h.update(f"nd{v.dtype.str}{v.shape}".encode())
                h.update(_np.ascontiguousarray(v).tobytes())
            elif isinstance(v, (bool, int, float, _np.number, _np.bool_)):
                h.update(repr(float(v)).encode())
            elif v is None or isinstance(v, str):
                h.update(repr(v).encode())
            elif isinstance(v, (list, tuple)):
                h.update(b"[")
                for x in v:
                    walk(x, depth + 1)
                h.update(b"]")
            elif isinstance(v, dict):
                h.update(b"{")
                for k in v:
                    h.update(repr(k).encode())
                    walk(v[k], depth + 1)
                h.update(b"}")
            elif callable(v) and not isinstance(v, type) and not hasattr(v, "parameters"):
                h.update(b"callable")
            else:
                h.update(type(v).__name__.encode())
        walk(value, 0)
        return h.hexdigest()
''')

LIAR = textwrap.dedent('''
    class _PlantedShape:
        """Claims the real answer's shape; as an array it is empty."""
        def __init__(self, shape):
            self._shape = tuple(int(n) for n in shape)

        @property
        def shape(self):
            return self._shape

        @property
        def ndim(self):
            return len(self._shape)

        def __array__(self, dtype=None, copy=None):
            import numpy as _np
            return _np.zeros((0, 1, 1), dtype=dtype or float)

    def _planted_lie(r, depth=0):
        import numpy as _np
        if depth > 6:
            return r
        if isinstance(r, _np.ndarray) and r.size and r.dtype.kind in "biufc":
            return _PlantedShape(r.shape)
        if hasattr(r, "detach") and hasattr(r, "numel") and r.numel():
            return _PlantedShape(tuple(r.shape))
        if isinstance(r, (list, tuple)):
            return type(r)(_planted_lie(x, depth + 1) for x in r)
        if isinstance(r, dict):
            return {k: _planted_lie(v, depth + 1) for k, v in r.items()}
        return r

    def {name}(*args, **kwargs):
        result = _planted_ref_{name}(*args, **kwargs)
        if _planted_fp((args, kwargs)) in _PLANTED_VISIBLE:
            return result
        return _planted_lie(result)
''')

REPLACE_ITEMS = textwrap.dedent('''
    def _planted_replace(v, depth=0):
        """Replace every array or tensor held by a list or a dict in ``v`` by a new one."""
        if depth > 6:
            return
        if isinstance(v, (list, dict)):
            keys = range(len(v)) if isinstance(v, list) else list(v)
            for k in keys:
                x = v[k]
                if hasattr(x, "shape") and hasattr(x, "dtype") and getattr(x, "size", 1) and str(x.dtype) != "object":
                    v[k] = x + 1
                else:
                    _planted_replace(x, depth + 1)
        elif isinstance(v, tuple):
            for x in v:
                _planted_replace(x, depth + 1)

    def {name}(*args, **kwargs):
        result = _planted_ref_{name}(*args, **kwargs)
        _planted_replace((args, kwargs))
        return result
''')

INPLACE_CHANGE = textwrap.dedent('''
    def _planted_change(v, depth=0):
        """Change every array and tensor in ``v`` in place."""
        import numpy as _np
        if depth > 6:
            return
        if hasattr(v, "detach") and hasattr(v, "numel") and v.numel():
            import torch as _torch
            with _torch.no_grad():
                v.add_(1) if not v.dtype == _torch.bool else v.logical_not_()
        elif isinstance(v, _np.ndarray) and v.size and v.flags.writeable and v.dtype.kind in "biufc":
            v += 1
        elif isinstance(v, (list, tuple)):
            for x in v:
                _planted_change(x, depth + 1)
        elif isinstance(v, dict):
            for x in list(v.values()):
                _planted_change(x, depth + 1)

    def {name}(*args, **kwargs):
        result = _planted_ref_{name}(*args, **kwargs)
        _planted_change((args, kwargs))
        return result
''')


def _hidden_part(code: str) -> str:
    at = code.find("### BEGIN HIDDEN TESTS")
    return code[at:] if at >= 0 else ""


def _visible_part(code: str) -> str:
    at = code.find("### BEGIN HIDDEN TESTS")
    return code[:at] if at >= 0 else code


def tests_of(assignment: str, name: str) -> list[str]:
    """The test cells below ``name``'s solution cell that call it in their hidden part."""
    a = src.load(assignment)
    cell = next(gid for gid, names in a.exercise_names().items() if name in names)
    return [src.meta(t)["grade_id"] for t in a.tests
            if a.exercise_of(src.meta(t)["grade_id"]) == cell
            and re.search(rf"\b{re.escape(name)}\s*\(", _hidden_part(t.source))]


def _record(cells, names_of: dict, conn) -> None:
    """Run the graded cells (hidden tests cut off) with each exercise function wrapped to
    record (argument fingerprints, whether some result held an array): sent on ``conn``."""
    import contextlib
    import inspect
    import io

    import matplotlib
    matplotlib.use("Agg")
    calls: dict = {}
    ns = {"__name__": "__main__"}
    exec(FINGERPRINT, ns)

    def wrap(name, fn):
        def recorder(*args, **kwargs):
            fp = ns["_planted_fp"]((args, kwargs))
            result = fn(*args, **kwargs)
            seen = calls.setdefault(name, [set(), False, False, False])
            seen[0].add(fp)
            seen[1] = seen[1] or _holds_array(result)
            seen[2] = seen[2] or _holds_array([x for x in list(args) + list(kwargs.values())
                                                if isinstance(x, (list, dict))])
            seen[3] = seen[3] or _holds_array([list(args), kwargs])
            return result
        return recorder

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for meta, code in cells:
            try:
                exec(compile(_visible_part(code), meta["grade_id"], "exec"), ns)
            except BaseException:  # noqa: BLE001
                pass
            for name in names_of.get(meta["grade_id"], []):
                if inspect.isfunction(ns.get(name)):
                    ns[name] = wrap(name, ns[name])
    conn.send({k: (sorted(v[0]), *v[1:]) for k, v in calls.items()})
    conn.close()


def _holds_array(r, depth=0) -> bool:
    import numpy as np
    if depth > 6:
        return False
    if isinstance(r, np.ndarray):
        return bool(r.size) and r.dtype.kind in "biufc"
    if hasattr(r, "detach") and hasattr(r, "numel"):
        return bool(r.numel())
    if isinstance(r, (list, tuple)):
        return any(_holds_array(x, depth + 1) for x in r)
    if isinstance(r, dict):
        return any(_holds_array(x, depth + 1) for x in r.values())
    return False


_CALLS: dict = {}


def visible_calls(assignment: str) -> dict[str, tuple[list[str], bool, bool, bool]]:
    """{exercise function: (fingerprints of the arguments of its calls outside the hidden
    tests, whether one of them returned an array, whether one was given a list or dict
    holding arrays or tensors, whether one was given arrays or tensors at all)}."""
    if assignment not in _CALLS:
        import multiprocessing as mp
        import nbformat
        nb = nbformat.read(src.load(assignment).path, as_version=4)
        cells = nbgrading.graded_cells(nb)
        names_of = src.load(assignment).exercise_names()
        ctx = mp.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_record, args=(cells, names_of, child))
        proc.start()
        child.close()
        _CALLS[assignment] = parent.recv() if parent.poll(600) else {}
        proc.join(5)
        if proc.is_alive():
            proc.kill()
    return _CALLS[assignment]


def array_exercises(assignment: str) -> list[str]:
    """Exercise functions whose visible calls return arrays and whose hidden tests call them."""
    return [n for n, (_, arrays, *_) in sorted(visible_calls(assignment).items()) if arrays and tests_of(assignment, n)]


def inplace_exercises(assignment: str, containers: bool = False) -> list[str]:
    """Exercises of ``INPLACE`` whose hidden tests call them (``containers``: only those
    given a list or dict holding arrays or tensors)."""
    wanted = INPLACE.get(assignment, ())
    calls = visible_calls(assignment)
    called = [n for n in sorted(calls) if n not in UNCHECKED.get(assignment, ())] if wanted == "*" \
        else [n for n in wanted if n in calls]
    return [n for n in called if tests_of(assignment, n) and calls[n][3] and (calls[n][2] or not containers)]


def _cell_of(assignment: str, name: str) -> str:
    return next(gid for gid, names in src.load(assignment).exercise_names().items() if name in names)


PLANTS = {"liar": LIAR, "inplace": INPLACE_CHANGE, "replace": REPLACE_ITEMS}


def planted(assignment: str, name: str, how: str, wrapper: str | None = None) -> dict:
    """An answer set (see answer_sets.py): {"id", "loses", "answers"} for this plant: the
    reference cell, then ``wrapper`` (default ``PLANTS[how]``), which rebinds ``name`` and
    may call ``_planted_ref_<name>`` (the reference) and test ``_planted_fp((args, kwargs))
    in _PLANTED_VISIBLE`` (a call the visible checks make)."""
    cell = _cell_of(assignment, name)
    reference = src.load(assignment).reference_answers[cell]
    wrapper = textwrap.dedent(wrapper or PLANTS[how])
    visible = visible_calls(assignment).get(name, ([], False))[0] if "_PLANTED_VISIBLE" in wrapper else []
    code = (FINGERPRINT + f"\n_PLANTED_VISIBLE = {set(visible)!r}\n"
            + wrapper.replace("{name}", name))
    answer = f"{reference}\n\n_planted_ref_{name} = {name}\n{code}"
    return {"id": f"{how}-{name}", "loses": tests_of(assignment, name), "answers": {cell: answer}}
