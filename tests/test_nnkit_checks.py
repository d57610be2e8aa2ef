import numpy as np
import pytest

from nnkit import checks


def message(fn, *args, **kwargs):
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_check_close_passes_within_tolerance_and_accepts_lists_and_float32():
    checks.check_close("ex", np.float32([0.1, 0.2]), [0.1, 0.2], rtol=1e-6, atol=1e-7)
    checks.check_close("ex", [1, 2], np.array([1.0, 2.0]))


def test_failure_names_exercise_expected_actual_and_hint():
    msg = message(checks.check_close, "net_input", [1.0, 2.0], [1.0, 3.0], name="z", hint="add b")
    assert "net_input" in msg and "z" in msg
    assert "expected: [1., 3.]" in msg and "actual:   [1., 2.]" in msg
    assert "hint: add b" in msg


def test_known_mistake_is_named_instead_of_the_hint():
    msg = message(checks.check_close, "update", [0.6, 0.7], [0.6, 0.5], hint="generic",
                  mistakes=[([0.6, 0.7], "wrong sign"), ([9, 9], "other")])
    assert "likely mistake: wrong sign" in msg and "generic" not in msg and "other" not in msg


def test_shape_mismatch_none_and_nan_are_explained():
    assert "shape (2,), expected shape (3,)" in message(checks.check_close, "f", [1, 2], [1, 2, 3])
    assert "returned None" in message(checks.check_close, "f", None, [1.0])
    assert "inf or nan" in message(checks.check_close, "sigmoid", [np.nan], [1.0])
    assert "expected a number or an array" in message(checks.check_close, "f", object(), [1.0])


def test_check_equal_shape_true_unchanged_and_passed(capsys):
    checks.check_equal("t", [2, 0], [2, 0])
    assert "expected: [2, 1]" in message(checks.check_equal, "t", [2, 0], [2, 1])
    assert "returned None" in message(checks.check_equal, "t", None, 3)
    checks.check_shape("s", np.zeros((2, 3)), (2, 3))
    assert "has shape (3, 2), expected (2, 3)" in message(checks.check_shape, "s", np.zeros((3, 2)), (2, 3))
    assert "hint: h" in message(checks.check_true, "c", False, "broken", hint="h")
    assert "modified in place" in message(checks.check_unchanged, "u", [1, 2], np.array([1, 3]), name="w")
    checks.passed("net_input")
    assert capsys.readouterr().out == "net_input: all visible checks passed.\n"
