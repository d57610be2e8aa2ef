"""Correct answers written differently from the reference keep full marks, get no diagnosis.

The variants live in tests/variants/<assignment>.py (format: tests/variants/README.md).
Each is graded under nbgrader's rule and through the course's own grader in the sandbox.
"""
from __future__ import annotations

import pytest

import answer_sets as sets

KIND, NAME = "variants", "VARIANTS"


def test_every_variant_names_a_real_exercise():
    sets.check_names(KIND, NAME)


@pytest.mark.parametrize("assignment,variant_id", sets.cases(KIND, NAME))
def test_variant_keeps_full_marks_under_nbgrader_rule(assignment, variant_id):
    scores = sets.nbgrader_scores(KIND, NAME, assignment, variant_id)
    lost = {gid: s for gid, s in scores.items() if s[0] != s[1]}
    assert not lost, f"{variant_id} lost points under nbgrader's rule: {lost}"


@sets.needs_sandbox
@pytest.mark.parametrize("assignment,variant_id", sets.cases(KIND, NAME))
def test_variant_keeps_full_marks_in_the_course_grader(assignment, variant_id):
    cells = sets.grader_cells(assignment, sets.find(KIND, NAME, assignment, variant_id)["answers"])
    for gid, cell in cells.items():
        assert cell.score == cell.points, f"{variant_id}: {gid} {cell.score}/{cell.points} {cell.message}"
        assert cell.diagnosis == [] and cell.advice == "", f"{variant_id}: {gid} got a diagnosis"
