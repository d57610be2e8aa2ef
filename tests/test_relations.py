"""The general layer of the diagnosis (autograder/relations.py) on traces built by hand: each
relation is named when it holds on every differing value returned for the same inputs, and
never when it fails on one of them, when the evidence is thin, or when the runs were sent
different inputs. The end-to-end cases, through the real judge, are in test_diagnosis.py."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.observe import Trace
from autograder.relations import MIN_EVIDENCE, relation

rng = np.random.default_rng(0)


def _trace(calls) -> Trace:
    """A trace of calls [(inputs, returned)]."""
    t = Trace()
    for inputs, out in calls:
        t.record("in", ("call", "f", None, list(inputs), {}))
        t.record("out", out)
    return t


def _calls(fn, n_calls=3, shape=(5, 3)):
    out = []
    for _ in range(n_calls):
        X = rng.normal(size=shape)
        b = rng.normal(size=shape[1:])
        out.append(((X, b), fn(X, b)))
    return out


def _named(student_fn, reference_fn, **kw):
    calls = _calls(reference_fn, **kw)
    student = _trace([(i, student_fn(*i)) for i, _ in calls])
    found = relation(student, _trace(calls))
    return found.id if found else None


REFERENCE = staticmethod(lambda X, b: np.tanh(X) + b)

CASES = {
    "pattern-negated": lambda X, b: -(np.tanh(X) + b),
    "pattern-transposed": lambda X, b: (np.tanh(X) + b).T,
    "pattern-factor-2": lambda X, b: 2 * (np.tanh(X) + b),
    "pattern-factor-0.5": lambda X, b: 0.5 * (np.tanh(X) + b),
    "pattern-times-n": lambda X, b: len(X) * (np.tanh(X) + b),
    "pattern-over-n": lambda X, b: (np.tanh(X) + b) / len(X),
    "pattern-off-by-input": lambda X, b: np.tanh(X),
    "pattern-unchanged": lambda X, b: X.copy(),
}


@pytest.mark.parametrize("expected", list(CASES))
def test_each_relation_is_named_when_it_holds_on_every_input(expected):
    assert _named(CASES[expected], lambda X, b: np.tanh(X) + b) == expected


def test_sequences_one_step_off_or_accumulated():
    ref = lambda X, b: np.abs(X[:, 0]) + 1.0
    assert _named(lambda X, b: np.r_[0.0, (np.abs(X[:, 0]) + 1.0)[:-1]], ref) == "pattern-shifted"
    assert _named(lambda X, b: np.cumsum(np.abs(X[:, 0]) + 1.0), ref) == "pattern-cumulative"


def test_parts_of_a_tuple_are_compared_one_by_one_and_the_message_says_which():
    ref = lambda X, b: (X.sum(axis=0), b * 3.0)
    calls = _calls(ref)
    student = _trace([(i, (o[0], -o[1])) for i, o in calls])
    found = relation(student, _trace(calls))
    assert found.id == "pattern-negated"
    assert found.explanation.startswith("The 2nd value your function returns is the exact negative")


def test_not_named_when_it_fails_on_one_input():
    ref = lambda X, b: np.tanh(X) + b
    calls = _calls(ref)
    outs = [-o for _, o in calls]
    outs[-1] = outs[-1] + 0.3          # right relation on two inputs, not on the third
    assert relation(_trace([(i, o) for (i, _), o in zip(calls, outs)]), _trace(calls)) is None


def test_not_named_for_a_factor_that_explains_nothing():
    assert _named(lambda X, b: 1.7 * (np.tanh(X) + b), lambda X, b: np.tanh(X) + b) is None
    assert _named(lambda X, b: np.tanh(X) ** 2 + b, lambda X, b: np.tanh(X) + b) is None


def test_not_named_on_thin_evidence():
    assert MIN_EVIDENCE >= 2
    assert _named(lambda X, b: -(np.tanh(X) + b), lambda X, b: np.tanh(X) + b, n_calls=1, shape=(1, 1)) is None
    assert _named(lambda X, b: -(np.tanh(X) + b), lambda X, b: np.tanh(X) + b, n_calls=1, shape=(2, 2)) == "pattern-negated"


def test_not_named_for_a_right_answer_or_when_mixed_relations_hold():
    ref = lambda X, b: np.tanh(X) + b
    assert _named(ref, ref) is None
    calls = _calls(ref, n_calls=4)
    outs = [-o if k % 2 else 2 * o for k, (_, o) in enumerate(calls)]
    assert relation(_trace([(i, o) for (i, _), o in zip(calls, outs)]), _trace(calls)) is None


def test_comparison_stops_where_the_runs_were_sent_different_inputs():
    ref = lambda X, b: np.tanh(X) + b
    calls = _calls(ref, n_calls=4, shape=(1, 1))
    student_calls = [(i, -o) for i, o in calls[:1]] + [((X + 1, b), -ref(X + 1, b)) for (X, b), _ in calls[1:]]
    assert relation(_trace(student_calls), _trace(calls)) is None    # one comparable value only


def test_an_incomplete_reference_names_nothing():
    ref = lambda X, b: np.tanh(X) + b
    calls = _calls(ref)
    reference = _trace(calls)
    reference.complete = False
    assert relation(_trace([(i, -o) for i, o in calls]), reference) is None


# --- an activation's derivative at the pre-activation; values in each other's places ------

def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _named_on(student_fn, reference_fn, calls):
    student = _trace([(i, student_fn(*i)) for i in calls])
    found = relation(student, _trace([(i, reference_fn(*i)) for i in calls]))
    return found


def _backward_calls(n_calls=3, shape=(4, 3)):
    return [(rng.normal(size=shape), 3 * rng.normal(size=shape)) for _ in range(n_calls)]    # (dA, Z)


def test_a_derivative_written_with_the_output_but_applied_to_the_pre_activation():
    sigmoid_backward = lambda dA, Z: dA * _sigmoid(Z) * (1 - _sigmoid(Z))
    found = _named_on(lambda dA, Z: dA * Z * (1 - Z), sigmoid_backward, _backward_calls())
    assert found.id == "pattern-pre-activation"
    assert found.explanation.startswith("What your function returns is the activation's derivative written with its output")
    tanh_grad = lambda z: 1 - np.tanh(z) ** 2                  # no upstream gradient: h(z) alone
    calls = [(rng.normal(size=5),) for _ in range(3)]
    assert _named_on(lambda z: 1 - z ** 2, tanh_grad, calls).id == "pattern-pre-activation"
    sigmoid_grad = lambda z: _sigmoid(z) * (1 - _sigmoid(z))
    assert _named_on(lambda z: z * (1 - z), sigmoid_grad, calls).id == "pattern-pre-activation"


def test_the_pre_activation_is_not_named_for_other_wrong_derivatives():
    sigmoid_backward = lambda dA, Z: dA * _sigmoid(Z) * (1 - _sigmoid(Z))
    calls = _backward_calls()
    assert _named_on(lambda dA, Z: dA * _sigmoid(Z), sigmoid_backward, calls) is None       # the output, no derivative
    assert _named_on(lambda dA, Z: dA * (1 - Z ** 2), sigmoid_backward, calls) is None      # another activation's form
    assert _named_on(lambda dA, Z: Z * (1 - Z), sigmoid_backward, calls) is None            # no upstream either
    mixed = lambda dA, Z: dA * Z * (1 - Z) if Z[0, 0] > 0 else dA * _sigmoid(Z) ** 2
    assert _named_on(mixed, sigmoid_backward, calls + [(np.ones((4, 3)), -np.ones((4, 3)))]) is None


def _add_mul(x, y, z):           # (f, df/dx, df/dy, df/dz) of f = (x + y) z: a tuple of numbers
    return ((x + y) * z, z, z, x + y)


def _scalar_calls(n_calls=3):
    return [tuple(float(v) for v in rng.normal(size=3)) for _ in range(n_calls)]


def test_values_in_each_others_places_are_a_derivative_of_the_wrong_variable():
    calls = _scalar_calls()
    not_swapped = lambda x, y, z: ((x + y) * z, x + y, x + y, z)         # the multiply gate's inputs not swapped
    found = _named_on(not_swapped, _add_mul, calls)
    assert found.id == "pattern-wrong-variable"
    assert found.explanation.startswith("The 2nd value your function returns is the expected 4th, the 3rd the "
                                        "expected 4th, and the 4th the expected 2nd, on every input tried")
    swapped = lambda x, y, z: ((x + y) * z, x + y, z, z)                  # dfdx and dfdz exchanged
    assert _named_on(swapped, _add_mul, calls).explanation.startswith(
        "The 2nd value your function returns is the expected 4th, and the 4th the expected 2nd")
    dense = lambda dZ, X: (dZ @ X.T, dZ.T @ X)                            # two gradients of one shape, exchanged
    calls = [(rng.normal(size=(3, 3)), rng.normal(size=(3, 3))) for _ in range(2)]
    assert _named_on(lambda dZ, X: dense(dZ, X)[::-1], dense, calls).id == "pattern-wrong-variable"


def test_no_exchange_without_a_swap_on_every_input():
    calls = _scalar_calls()
    one_path = lambda x, y, z: ((x + y) * z, z, z, z)     # dfdz repeats a right value: a missing term, no exchange
    assert _named_on(one_path, _add_mul, calls) is None
    four = lambda x, y, z: (x, y, z, x * y)
    swaps = iter([(1, 0, 2, 3), (2, 1, 0, 3), (1, 0, 2, 3)])           # the 1st value: the 2nd's, then the 3rd's
    moving = lambda x, y, z: tuple(four(x, y, z)[j] for j in next(swaps))
    assert _named_on(moving, four, calls) is None
    swaps = iter([(1, 0, 2, 3)] * 3)
    assert _named_on(moving, four, calls).id == "pattern-wrong-variable"
    counts = lambda k: (k, k + 1, k + 2)                   # integers are too often equal by chance: no evidence
    int_calls = [(k,) for k in range(3)]
    assert _named_on(lambda k: (k + 2, k + 1, k), counts, int_calls) is None
    assert _named_on(lambda k: (k + 2.5, k + 1, k + .5), lambda k: (k + .5, k + 1, k + 2.5), int_calls).id == \
        "pattern-wrong-variable"
    assert _named_on(_add_mul, _add_mul, calls) is None


def test_one_relation_alone():
    """``only`` looks for one relation (tools/relation_counts.py counts each kind alone)."""
    from autograder.relations import KINDS
    assert {f"pattern-{k}" for k in KINDS} >= set(CASES) | {"pattern-pre-activation", "pattern-wrong-variable"}
    ref = lambda X, b: np.tanh(X) + b
    calls = _calls(ref)
    student, reference = _trace([(i, -o) for i, o in calls]), _trace(calls)
    assert relation(student, reference, only="negated").id == "pattern-negated"
    assert relation(student, reference, only="factor-2") is None
    assert relation(student, reference, only="wrong-variable") is None
    calls = _scalar_calls()
    swapped = _trace([(i, _add_mul(*i)[:1] + _add_mul(*i)[:0:-1]) for i in calls])
    reference = _trace([(i, _add_mul(*i)) for i in calls])
    assert relation(swapped, reference, only="wrong-variable").id == "pattern-wrong-variable"
    assert relation(swapped, reference, only="negated") is None
