"""Correct answers written differently from the reference keep full marks, get no diagnosis.

The variants live in tests/variants/<assignment>.py (format: tests/variants/README.md).
Each is graded under nbgrader's rule (tests/nbgrading.grade_in_fork: the notebook's graded
cells, hidden tests included, run in a forked interpreter) and through the course's own
grader in the sandbox (autograder.judge).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

from autograder import judge, sandbox
from autograder import source as src
from nbgrading import NOTEBOOKS, SOLUTIONS, grade_in_fork, nbgrader_meta, notebook_name

VARIANT_DIR = Path(__file__).parent / "variants"


def load_variants(assignment: str) -> list[dict]:
    path = VARIANT_DIR / f"{assignment}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"variants_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.VARIANTS


CASES = [pytest.param(a, v["id"], marks=pytest.mark.xdist_group(f"variants-{a}"), id=f"{a}-{v['id']}")
         for a in src.available() for v in load_variants(a)]


def _variant(assignment: str, variant_id: str) -> dict:
    return next(v for v in load_variants(assignment) if v["id"] == variant_id)


def _filled(assignment: str, answers: dict[str, str]):
    """The student notebook, every answer from the solution except those in ``answers``."""
    solution = nbformat.read(SOLUTIONS / assignment / notebook_name(assignment), as_version=4)
    solved = {nbgrader_meta(c)["grade_id"]: c.source for c in solution.cells if nbgrader_meta(c).get("solution")}
    nb = nbformat.read(NOTEBOOKS / assignment / notebook_name(assignment), as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "markdown" or nbgrader_meta(c)]
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and gid in solved:
            cell.source = answers.get(gid, solved[gid])
    return nb, solution


def test_every_variant_names_a_real_exercise():
    for assignment in src.available():
        answer_ids = {gid for gid in src.reference_answers(assignment)}
        ids = [v["id"] for v in load_variants(assignment)]
        assert len(ids) == len(set(ids)), f"{assignment}: duplicate variant ids"
        for v in load_variants(assignment):
            assert v["answers"] and set(v["answers"]) <= answer_ids, (assignment, v["id"], set(v["answers"]) - answer_ids)


@pytest.mark.parametrize("assignment,variant_id", CASES)
def test_variant_keeps_full_marks_under_nbgrader_rule(assignment, variant_id):
    nb, solution = _filled(assignment, _variant(assignment, variant_id)["answers"])
    scores = grade_in_fork(nb, solution, timeout=300)
    assert scores, "no autograded cell was found"
    lost = {gid: s for gid, s in scores.items() if s[0] != s[1]}
    assert not lost, f"{variant_id} lost points under nbgrader's rule: {lost}"


@pytest.mark.skipif(sandbox.unavailable() is not None, reason=str(sandbox.unavailable()))
@pytest.mark.parametrize("assignment,variant_id", CASES)
def test_variant_keeps_full_marks_in_the_course_grader(assignment, variant_id):
    answers = dict(src.reference_answers(assignment), **_variant(assignment, variant_id)["answers"])
    limits = sandbox.Limits(memory_bytes=4 << 30, processes=64, wall_seconds=600, cpu_seconds=1200)
    result = judge.Judge(assignment, answers, limits, call_timeout=30, cell_timeout=180, exec_timeout=30,
                         diagnose=True).run()
    assert result.cells
    for cell in result.cells:
        assert cell.score == cell.points, f"{variant_id}: {cell.grade_id} {cell.score}/{cell.points} {cell.message}"
        assert cell.diagnosis == [] and cell.advice == "", f"{variant_id}: {cell.grade_id} got a diagnosis"
