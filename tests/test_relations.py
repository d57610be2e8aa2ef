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
