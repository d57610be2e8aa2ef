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


# --- in-place changes (issue 24, item 6) ------------------------------------------------
# Every exercise whose checks hold it to not modifying its inputs (planted.INPLACE) is planted
# with a version that returns the right result, then changes its array and tensor arguments
# in place ("inplace"): both rules must take its points. Where one is given lists or dicts of
# arrays or tensors, a version that replaces what they hold ("replace") must score the same
# under both rules (the notebook's checks decide whether that costs points).

INPLACE_NOTEBOOKS = [a for a in src.available() if a in planted.INPLACE]


def _inplace(assignment):
    changed = [planted.planted(assignment, n, "inplace") for n in planted.inplace_exercises(assignment)]
    replaced = [planted.planted(assignment, n, "replace") for n in planted.inplace_exercises(assignment, True)]
    assert changed, f"{assignment}: no exercise to plant"
    return changed, replaced


def _kept(plants, score):
    return [(p["id"], gid) for p in plants for gid in p["loses"] if score(p, gid)[0] >= score(p, gid)[1]]


@pytest.mark.parametrize("assignment", INPLACE_NOTEBOOKS)
def test_an_inplace_change_earns_nothing_under_nbgrader_rule(assignment):
    changed, _ = _inplace(assignment)
    scores = sets.score_under_nbgrader(assignment, changed)
    kept = _kept(changed, lambda p, gid: scores[p["id"]][gid])
    assert not kept, f"full marks for changing inputs in place: {kept}"


@sets.needs_sandbox
@pytest.mark.parametrize("assignment", INPLACE_NOTEBOOKS)
def test_an_inplace_change_is_seen_by_the_course_grader_as_by_nbgrader(assignment):
    changed, replaced = _inplace(assignment)
    expected = sets.score_under_nbgrader(assignment, changed + replaced)
    got = {}
    for p in changed + replaced:
        cells = sets.grader_cells(assignment, p["answers"], only=list(p["loses"]), diagnose=False)
        got[p["id"]] = {gid: (cells[gid].score, cells[gid].points) for gid in p["loses"]}
    kept = _kept(changed, lambda p, gid: got[p["id"]][gid])
    assert not kept, f"full marks for changing inputs in place: {kept}"
    differ = [(p["id"], gid, expected[p["id"]][gid], got[p["id"]][gid]) for p in changed + replaced
              for gid in p["loses"] if expected[p["id"]][gid] != got[p["id"]][gid]]
    assert not differ, f"the two rules disagree (id, check, nbgrader, grader): {differ}"
