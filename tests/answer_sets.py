"""Sets of answers submitted in place of the reference solution, shared by
tests/test_variants.py (correct variants) and tests/test_wrong_shapes.py (wrong shapes).

A set lives in tests/<kind>/<assignment>.py as a module-level list named NAME (VARIANTS or
WRONG_SHAPES) of dicts with an ``id`` and ``answers`` (grade_id -> cell source).
"""
from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import nbformat
import pytest

from autograder import judge
from autograder.diagnose import Diagnosis
from autograder import source as src
from common import JUDGE_LIMITS as LIMITS
from common import needs_sandbox  # noqa: F401  (the sets' tests use it)
from nbgrading import NOTEBOOKS, SOLUTIONS, grade_variants_in_fork, nbgrader_meta, notebook_name

TESTS = Path(__file__).parent


def load(kind: str, name: str, assignment: str) -> list[dict]:
    path = TESTS / kind / f"{assignment}.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"{kind}_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def cases(kind: str, name: str) -> list:
    return [pytest.param(a, s["id"], marks=pytest.mark.xdist_group(f"{kind}-{a}"), id=f"{a}-{s['id']}")
            for a in src.available() for s in load(kind, name, a)]


def find(kind: str, name: str, assignment: str, set_id: str) -> dict:
    return next(s for s in load(kind, name, assignment) if s["id"] == set_id)


def check_names(kind: str, name: str) -> None:
    for assignment in src.available():
        answer_ids = set(src.load(assignment).reference_answers)
        sets = load(kind, name, assignment)
        ids = [s["id"] for s in sets]
        assert len(ids) == len(set(ids)), f"{assignment}: duplicate ids in tests/{kind}"
        for s in sets:
            assert s["answers"] and set(s["answers"]) <= answer_ids, (assignment, s["id"], set(s["answers"]) - answer_ids)


def nbgrader_scores(kind: str, name: str, assignment: str, set_id: str) -> dict:
    """{grade_id: (score, max)} of one set under nbgrader's rule: the student notebook with
    every answer from the solution except the set's answers, graded cells run in a fresh
    interpreter, test cells (hidden tests included) taken from the solution. All sets of an
    assignment are scored together, once per process (nbgrading.grade_variants_in_fork)."""
    scores = _all_nbgrader_scores(kind, name, assignment)[set_id]
    assert scores, "no autograded cell was found"
    return scores


@functools.lru_cache(maxsize=None)
def _all_nbgrader_scores(kind: str, name: str, assignment: str) -> dict:
    return score_under_nbgrader(assignment, load(kind, name, assignment))


def score_under_nbgrader(assignment: str, sets: list[dict]) -> dict:
    """{set id: {grade_id: (score, max)}} of these answer sets under nbgrader's rule (see
    ``nbgrader_scores``), all scored together in one fork tree."""
    solution = nbformat.read(SOLUTIONS / assignment / notebook_name(assignment), as_version=4)
    solved = {nbgrader_meta(c)["grade_id"]: c.source for c in solution.cells if nbgrader_meta(c).get("solution")}
    nb = nbformat.read(NOTEBOOKS / assignment / notebook_name(assignment), as_version=4)
    nb.cells = [c for c in nb.cells if c.cell_type == "markdown" or nbgrader_meta(c)]
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and gid in solved:
            cell.source = solved[gid]
    return grade_variants_in_fork(nb, solution, {s["id"]: s["answers"] for s in sets}, timeout=300,
                                  needed={s["id"]: s["loses"] for s in sets if s.get("loses")})


def grader_cells(assignment: str, answers: dict[str, str], only=None, diagnose: bool = True) -> dict:
    """{grade_id: judge.CellResult} from the course's grader (sandbox + trusted judge).

    ``diagnose=False`` skips naming known mistakes, which for a failed check starts one
    sandbox per candidate mistake (tests/test_diagnosis.py covers the naming)."""
    full = dict(src.load(assignment).reference_answers, **answers)
    result = judge.Judge(src.load(assignment), full, LIMITS, call_timeout=30, cell_timeout=180, exec_timeout=30,
                         diagnosis=Diagnosis(src.load(assignment)) if diagnose else None).run(only=only)
    assert result.cells
    return {c.grade_id: c for c in result.cells}
