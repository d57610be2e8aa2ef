"""Self-check helpers for the visible tests in the notebooks.

Each check raises ``AssertionError`` with a message a student can act on: the
exercise, the quantity checked, the expected and the actual value (or shape), and
a hint about the likely mistake. When the actual value equals one of the values
that a known mistake produces (``mistakes=[(wrong_value, explanation), ...]``),
the message names that mistake instead of the generic hint.

    >>> check_close("net_input", [1.0, 2.0], [1.0, 2.0])
    >>> passed("net_input")
    net_input: all visible checks passed.
"""
from __future__ import annotations

import sys

import numpy as np

__all__ = ["as_array", "check_close", "check_equal", "check_shape", "check_true", "check_unchanged",
           "ndim_of", "passed", "shape_of"]


def _fmt(value) -> str:
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=6, suppress=True, threshold=20, edgeitems=3):
            text = np.array2string(value, separator=", ")
        return f"{text} (shape {value.shape})"
    return repr(value)


def _report(exercise, name, expected, actual, hint, mistakes=()):
    lines = [f"{exercise}: {name} is not what it should be.",
             f"  expected: {_fmt(expected)}",
             f"  actual:   {_fmt(actual)}"]
    diagnosed = [why for wrong, why in mistakes if _matches(actual, wrong)]
    if diagnosed:
        lines.append("  likely mistake: " + " / ".join(diagnosed))
    elif actual is None:
        lines.append("  hint: the function returned None; is a `return` statement missing?")
    elif hint:
        lines.append(f"  hint: {hint}")
    return "\n".join(lines)


def _as_array(value):
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr


def _matches(actual, wrong, rtol=1e-6, atol=1e-8) -> bool:
    a, w = _as_array(actual), _as_array(wrong)
    return a is not None and w is not None and a.shape == w.shape and bool(
        np.allclose(a, w, rtol=rtol, atol=atol))


def as_array(value) -> np.ndarray:
    """``value`` as a real NumPy array, converted once: a torch tensor's values (detached),
    anything else through ``np.asarray``. Shape, dtype and values are then judged on this
    array, never on what an object says of itself (its own ``.shape`` or ``.ndim``)."""
    torch = sys.modules.get("torch")
    if torch is not None and type(value) in (torch.Tensor, torch.nn.Parameter):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def shape_of(value) -> tuple:
    """The shape of ``as_array(value)``: ``np.shape`` for any honest value, e.g. ``()`` for a
    number, ``(n,)`` for a list of n numbers. An object claiming a ``.shape`` that its
    array does not have gets the array's."""
    return as_array(value).shape


def ndim_of(value) -> int:
    """The number of dimensions of ``as_array(value)`` (``np.ndim`` without asking the object)."""
    return as_array(value).ndim


def check_close(exercise, actual, expected, *, name="the result", hint=None, mistakes=(),
                rtol=1e-6, atol=1e-8):
    """Assert that ``actual`` equals ``expected`` up to floating-point tolerance.

    Inputs:
    - exercise: the exercise's function name, used in the message.
    - actual, expected: numbers or array-likes of the same shape.
    - name: what is compared ("w_new", "the bias", ...).
    - hint: the likely mistake when the values differ and no known mistake matches.
    - mistakes: pairs (wrong_value, explanation) of characteristic wrong answers.
    """
    exp = _as_array(expected)
    act = _as_array(actual) if actual is not None else None
    if actual is None:
        raise AssertionError(_report(exercise, name, exp, None, hint))
    if act is None:
        raise AssertionError(_report(exercise, name, expected, actual,
                                     f"expected a number or an array, got {type(actual).__name__}."))
    if act.shape != exp.shape:
        raise AssertionError(
            f"{exercise}: {name} has shape {act.shape}, expected shape {exp.shape}.\n"
            f"  expected: {_fmt(exp)}\n  actual:   {_fmt(act)}\n"
            f"  hint: {hint or 'check which axis you sum over and whether a transpose is missing.'}")
    if not np.all(np.isfinite(act)) and np.all(np.isfinite(exp)):
        raise AssertionError(_report(exercise, name, exp, act,
                                     "the result contains inf or nan: an overflow, or a log/division of zero?",
                                     mistakes))
    if not np.allclose(act, exp, rtol=rtol, atol=atol):
        raise AssertionError(_report(exercise, name, exp, act, hint, mistakes))


def check_equal(exercise, actual, expected, *, name="the result", hint=None, mistakes=()):
    """Assert exact equality (labels, counts, shapes as tuples, ...)."""
    if isinstance(expected, (list, tuple, np.ndarray)):
        act = _as_array(actual)
        ok = act is not None and act.shape == np.shape(expected) and bool(np.all(act == np.asarray(expected)))
    else:
        ok = actual == expected
    if not ok:
        exp = np.asarray(expected) if isinstance(expected, (list, tuple)) else expected
        act = np.asarray(actual) if isinstance(actual, (list, tuple)) else actual
        raise AssertionError(_report(exercise, name, exp, act, hint, mistakes))


def check_shape(exercise, actual, expected_shape, *, name="the result", hint=None):
    """Assert that ``shape_of(actual) == expected_shape`` (the shape of the array it makes)."""
    try:
        shape = shape_of(actual) if actual is not None else None
    except (TypeError, ValueError) as e:
        raise AssertionError(f"{exercise}: {name} is not an array of numbers ({type(e).__name__}: {e}).") from None
    if shape != tuple(expected_shape):
        raise AssertionError(
            f"{exercise}: {name} has shape {shape}, expected {tuple(expected_shape)}.\n"
            f"  hint: {hint or 'check the order of the matrix product and any transposes.'}")


def check_true(exercise, condition, message, *, hint=None):
    """Assert a condition that is not a comparison of two values."""
    if not condition:
        raise AssertionError(f"{exercise}: {message}" + (f"\n  hint: {hint}" if hint else ""))


def check_unchanged(exercise, before, after, *, name="an input"):
    """Assert that an input array was not modified in place (exercises return new arrays)."""
    if not np.array_equal(np.asarray(before), np.asarray(after)):
        raise AssertionError(
            f"{exercise}: {name} was modified in place.\n"
            f"  before the call: {_fmt(np.asarray(before))}\n"
            f"  after the call:  {_fmt(np.asarray(after))}\n"
            "  hint: `w += ...` changes the caller's array; write `w = w + ...` "
            "or work on a copy.")


def passed(exercise: str) -> None:
    """Print the line that closes a self-check cell when every check passed."""
    print(f"{exercise}: all visible checks passed.")
