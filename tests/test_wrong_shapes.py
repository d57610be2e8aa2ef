"""Hidden checks are shape-strict: a right value in a broadcast-compatible wrong shape loses points.

The wrong answers live in tests/wrong_shapes/<assignment>.py (format: tests/wrong_shapes/README.md).
"""
from __future__ import annotations

import pytest

import answer_sets as sets

KIND, NAME = "wrong_shapes", "WRONG_SHAPES"


def test_every_wrong_shape_names_a_real_exercise_and_its_checks():
    sets.check_names(KIND, NAME)
    for assignment in sets.src.available():
        for s in sets.load(KIND, NAME, assignment):
            assert s["loses"], (assignment, s["id"])


@pytest.mark.parametrize("assignment,set_id", sets.cases(KIND, NAME))
def test_wrong_shape_loses_points_under_nbgrader_rule(assignment, set_id):
    wrong = sets.find(KIND, NAME, assignment, set_id)
    scores = sets.nbgrader_scores(KIND, NAME, assignment, set_id)
    for gid in wrong["loses"]:
        assert scores[gid][0] < scores[gid][1], f"{set_id} kept full marks on {gid}"


@sets.needs_sandbox
@pytest.mark.parametrize("assignment,set_id", sets.cases(KIND, NAME))
def test_wrong_shape_loses_points_in_the_course_grader(assignment, set_id):
    wrong = sets.find(KIND, NAME, assignment, set_id)
    cells = sets.grader_cells(assignment, wrong["answers"], only=list(wrong["loses"]), diagnose=False)
    for gid in wrong["loses"]:
        assert cells[gid].score < cells[gid].points, f"{set_id} kept full marks on {gid}"
