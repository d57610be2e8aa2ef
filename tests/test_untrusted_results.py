"""Nothing the student's code returns is trusted for its shape (issue 24, item 5).

Every exercise that returns arrays is planted (``planted.py``, ``liar``) with a version that
answers the visible checks right and, on hidden inputs, returns objects whose ``.shape`` and
``.ndim`` are the expected ones while ``np.asarray`` of them is an empty ``(0, 1, 1)`` array.
Both grading rules must take points for it: plain nbgrader (the test cells run beside the
student's code) and the course grader (the test cells run on the trusted side, the student's
code in the sandbox).
"""
from __future__ import annotations

import pytest

import answer_sets as sets
import planted
from autograder import source as src

LIAR_NOTEBOOKS = [a for a in src.available() if a[:2] in ("01", "05")]


def _liars(assignment):
    names = planted.array_exercises(assignment)
    assert names, f"{assignment}: no exercise returns an array on its visible calls"
    return [planted.planted(assignment, n, "liar") for n in names]


@pytest.mark.parametrize("assignment", LIAR_NOTEBOOKS)
def test_a_claimed_shape_earns_nothing_under_nbgrader_rule(assignment):
    plants = _liars(assignment)
    scores = sets.score_under_nbgrader(assignment, plants)
    kept = [(p["id"], gid) for p in plants for gid in p["loses"] if scores[p["id"]][gid][0] >= scores[p["id"]][gid][1]]
    assert not kept, f"full marks for objects that only claim a shape: {kept}"


@sets.needs_sandbox
@pytest.mark.parametrize("assignment", LIAR_NOTEBOOKS)
def test_a_claimed_shape_earns_nothing_in_the_course_grader(assignment):
    kept = []
    for p in _liars(assignment):
        cells = sets.grader_cells(assignment, p["answers"], only=list(p["loses"]), diagnose=False)
        kept += [(p["id"], gid) for gid in p["loses"] if cells[gid].score >= cells[gid].points]
    assert not kept, f"full marks for objects that only claim a shape: {kept}"

