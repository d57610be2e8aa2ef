"""The authoring contract of every assignment, checked with real nbgrader.

For each assignment in solutions/: the committed student notebook equals what
``nbgrader generate_assignment`` makes now; the solution, submitted as a student
would, gets full marks and runs without error; the blank student notebook gets
zero on every autograded cell; every catalogued wrong implementation loses points;
and the student notebook leaks nothing and has the course's shape.

The solution and the blank notebook go through real `nbgrader autograde`. The
catalogue's wrong versions (a few hundred) are scored by running the same graded
cells in a forked interpreter with nbgrader's rule (a test cell scores when it runs
without raising), all of a notebook's in one pass: the unchanged cells run once and each
wrong version runs from its own cell on, in a child forked there
(``nbgrading.grade_variants_in_fork``). Tests check that this fast path agrees with
nbgrader, and that the one pass agrees with scoring each wrong version on its own.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import re
import threading
from pathlib import Path

import nbformat
import pytest

from nbgrading import (NOTEBOOKS, ROOT, SOLUTIONS, GradedCourse, assignments, error_outputs,
                       grade_in_fork, grade_variants_in_fork, nbgrader_meta, notebook_name)

ASSIGNMENTS = assignments()
ARTIFACTS = ROOT / "test-artifacts"


def load_mistakes(assignment: str) -> list[dict]:
    path = SOLUTIONS / assignment / "mistakes.py"
    if not path.exists():
        return []
    spec = importlib.util.spec_from_file_location(f"mistakes_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MISTAKES


MISTAKE_CASES = [(a, m["id"]) for a in ASSIGNMENTS for m in load_mistakes(a)]

_courses: dict[str, GradedCourse] = {}
_lock = threading.Lock()


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(assignment) -> a GradedCourse whose submissions have all been autograded once."""
    def get(assignment: str) -> GradedCourse:
        with _lock:
            if assignment not in _courses:
                course = GradedCourse.create(assignment, tmp_path_factory.mktemp(assignment))
                course.submit("solution", course.filled_notebook())
                course.submit("solution-core", course.filled_notebook(core_only=True))
                course.submit("blank", course.student_notebook())
                course.autograde()
                mistakes = load_mistakes(assignment)
                course.scores.update(grade_variants_in_fork(
                    course.filled_notebook(core_only=True), course.solution_notebook(),
                    {f"mistake-{m['id']}": {m["exercise"]: m["code"]} for m in mistakes},
                    needed={f"mistake-{m['id']}": _loses(m) for m in mistakes}))
                _write_mistake_report(course, load_mistakes(assignment))
                _courses[assignment] = course
            return _courses[assignment]
    return get


def _loses(mistake: dict) -> list[str]:
    return mistake.get("loses", [f"test_{mistake['exercise']}"])


def _autograded_cells(course: GradedCourse) -> list[str]:
    return [nbgrader_meta(c)["grade_id"] for c in course.solution_notebook().cells
            if nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")]


def _write_mistake_report(course: GradedCourse, mistakes: list[dict]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / f"mistakes-{course.assignment}.csv", "w", newline="") as f:
        out = csv.writer(f)
        # a mistake's run stops after the last check in its `loses`: later checks are not scored
        out.writerow(["exercise", "mistake", "points lost", "of the points up to its last check",
                      "cells that lost points"])
        for m in mistakes:
            got = course.scores.get(f"mistake-{m['id']}", {})
            lost = [g for g in got if got[g][0] < got[g][1]]
            total, full = sum(score for score, _ in got.values()), sum(most for _, most in got.values())
            out.writerow([m["exercise"], m["id"], f"{full - total:g}", f"{full:g}", " ".join(lost)])


# --- generation -------------------------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_notebook_is_in_sync_with_solution(assignment, graded):
    """notebooks/ must be exactly what nbgrader generates from solutions/ (run `make notebooks`)."""
    course = graded(assignment)
    committed = NOTEBOOKS / assignment / notebook_name(assignment)
    assert committed.exists(), f"{committed} is missing: run `make notebooks`"
    assert json.loads(committed.read_text()) == json.loads(course.released.read_text()), \
        f"{committed} is out of date with solutions/: run `make notebooks`"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nothing_but_notebooks_in_release(assignment):
    files = sorted(p.relative_to(NOTEBOOKS) for p in (NOTEBOOKS / assignment).rglob("*") if p.is_file())
    assert files == [Path(assignment) / notebook_name(assignment)]


# --- grading ------------------------------------------------------------------------

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_gets_full_marks_and_runs_cleanly(assignment, graded):
    course = graded(assignment)
    for student in ("solution", "solution-core"):
        scores = course.scores[student]
        for cell in _autograded_cells(course):
            score, max_score = scores[cell]
            assert max_score > 0 and score == max_score, f"{student}: {cell} scored {score}/{max_score}"
    assert error_outputs(course.autograded("solution")) == []
    # the fast path used for the catalogue scores exactly as nbgrader does
    assert grade_in_fork(course.filled_notebook(core_only=True), course.solution_notebook()) == {
        cell: course.scores["solution-core"][cell] for cell in _autograded_cells(course)}
    # and the forked tree that scores the whole catalogue at once agrees with it, mistake by
    # mistake (the first and the last exercise's first mistake, and one in the middle), on
    # every check up to the mistake's last `loses` check, where its run in the tree stops
    mistakes = load_mistakes(assignment)
    cells = _autograded_cells(course)
    for m in {mistakes[0]["id"]: mistakes[0], mistakes[len(mistakes) // 2]["id"]: mistakes[len(mistakes) // 2],
              mistakes[-1]["id"]: mistakes[-1]}.values():
        tree = course.scores[f"mistake-{m['id']}"]
        assert list(tree) == cells[:max(cells.index(g) for g in _loses(m)) + 1], m["id"]
        wrong = course.filled_notebook({m["exercise"]: m["code"]}, core_only=True)
        alone = grade_in_fork(wrong, course.solution_notebook())
        assert {g: alone[g] for g in tree} == tree, m["id"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_notebook_scores_zero_everywhere(assignment, graded):
    course = graded(assignment)
    cells = _autograded_cells(course)
    assert cells, "the assignment has no autograded cells"
    for cell in cells:
        assert course.scores["blank"][cell][0] == 0, f"blank notebook scored on {cell}"
    assert all(score == 0 for score, _ in grade_in_fork(course.student_notebook(), course.solution_notebook()).values())


@pytest.mark.parametrize("assignment,mistake_id", MISTAKE_CASES)
def test_wrong_implementation_loses_points(assignment, mistake_id, graded):
    course = graded(assignment)
    mistake = next(m for m in load_mistakes(assignment) if m["id"] == mistake_id)
    scores = course.scores[f"mistake-{mistake_id}"]
    for cell in _loses(mistake):
        score, max_score = scores[cell]
        assert score < max_score, f"{mistake_id} ({mistake['exercise']}) kept {score}/{max_score} on {cell}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_catalogue_covers_every_exercise(assignment):
    mistakes = load_mistakes(assignment)
    nb = nbformat.read(SOLUTIONS / assignment / notebook_name(assignment), as_version=4)
    exercises = [nbgrader_meta(c)["grade_id"] for c in nb.cells
                 if c.cell_type == "code" and nbgrader_meta(c).get("solution")]
    for exercise in exercises:
        n = sum(m["exercise"] == exercise for m in mistakes)
        assert n >= 2, f"{exercise}: only {n} catalogued wrong implementations (need 2)"
    for m in mistakes:
        assert m["exercise"] in exercises, f"{m['id']} names an unknown exercise {m['exercise']}"
        assert m["explanation"].strip() and m["section"].strip()
    assert len({m["id"] for m in mistakes}) == len(mistakes), "mistake ids must be unique"


# --- what the student sees ----------------------------------------------------------

def _student(assignment):
    return nbformat.read(NOTEBOOKS / assignment / notebook_name(assignment), as_version=4)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_notebook_leaks_nothing(assignment):
    text = (NOTEBOOKS / assignment / notebook_name(assignment)).read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    student = _student(assignment)
    for cell in student.cells:
        assert not cell.get("outputs") and not cell.get("execution_count"), "outputs are committed"
    solution = nbformat.read(SOLUTIONS / assignment / notebook_name(assignment), as_version=4)
    hidden = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)
    student_code = "\n".join(c.source for c in student.cells)
    for cell in solution.cells:
        for _, block in hidden.findall(cell.source):
            for line in block.splitlines():
                line = line.strip()
                if len(line) > 25 and not line.startswith("#"):
                    assert line not in student_code, f"solution or hidden-test line leaked: {line!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_notebook_has_the_course_shape(assignment):
    nb = _student(assignment)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    path = f"notebooks/{assignment}/{notebook_name(assignment)}"
    repo = _repository_url().removeprefix("https://github.com/")
    badge = f"https://colab.research.google.com/github/{repo}/blob/main/{path}"
    assert badge in nb.cells[0].source, f"the Colab badge must point at {badge}"
    setup = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") == "setup"]
    assert setup and "NNKIT_SOURCE" in setup[0].source, "missing the Colab-ready setup cell"
    assert any(nbgrader_meta(c).get("solution") and nbgrader_meta(c).get("grade")
               and c.cell_type == "markdown" for c in nb.cells), "no manually graded written answer"
    assert any("widget" in c.metadata.get("tags", []) for c in nb.cells), "no cell tagged 'widget'"
    assert "## What to remember" in markdown
    for cell in nb.cells:
        if cell.cell_type == "code" and nbgrader_meta(cell).get("solution"):
            name = nbgrader_meta(cell)["grade_id"]
            assert re.search(rf"Exercise \d+\.\d+ — `{name}`", markdown), f"no 'Exercise N.k — `{name}`' heading"
            assert '"""' in cell.source, f"{name} has no docstring"


def _repository_url() -> str:
    text = (ROOT / "pyproject.toml").read_text()
    return re.search(r'^Repository\s*=\s*"([^"]+)"', text, re.M).group(1).removesuffix(".git")
