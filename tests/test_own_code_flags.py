"""Flags fire only on code the student wrote (issue 24, item 15).

A released notebook handed in untouched, or filled with the reference answers, carries no
flag in any assignment: the stubs' docstrings ("hidden layer", file names in examples) and
the course's demo cells are the course's text. The same patterns written by a student, in
an answer or in a cell of their own, are still flagged.
"""
from __future__ import annotations

import nbformat
import pytest

from autograder import flags, normalize
from autograder import source as src
from autograder.demo import build

ASSIGNMENTS = src.available()


def _flags(nb, assignment: str, tmp_path) -> list[str]:
    path = tmp_path / f"{assignment}.ipynb"
    path.write_text(nbformat.writes(nb))
    n = normalize.normalize(path, src.load(assignment))
    assert n.status == "ok", n.detail
    return flags.scan(n.student_code)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_blank_notebook_is_not_flagged(assignment, tmp_path):
    assert _flags(build.student_notebook(assignment), assignment, tmp_path) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_reference_answers_are_not_flagged(assignment, tmp_path):
    assert _flags(build.filled(assignment), assignment, tmp_path) == []


@pytest.mark.parametrize("assignment", ["01_perceptron", "05_backprop"])
def test_what_a_student_writes_is_still_flagged(assignment, tmp_path):
    first = next(iter(src.load(assignment).reference_answers))
    reading = build.reference_answers(assignment)[first] + "\nopen('../solutions/x.ipynb').read()\n"
    nb = build.filled(assignment)
    for cell in nb.cells:                     # the student's answer, with a line of their own
        if src.meta(cell).get("grade_id") == first:
            cell.source = reading
    assert "file-access" in _flags(nb, assignment, tmp_path)
    own = build.student_notebook(assignment)
    own.cells.append(nbformat.v4.new_code_cell("import ctypes\nprint(open('hidden_tests.py').read())"))
    assert {"ctypes", "file-access"} <= set(_flags(own, assignment, tmp_path))
