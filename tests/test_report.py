"""The grade sheet and the console summary (autograder/report.py), from typed results."""
from __future__ import annotations

from pathlib import Path

from autograder import report
from autograder import results as res
from autograder import source as src
from autograder.collect import Unmapped
from autograder.outdir import OutputFolder
from autograder.results import CellResult, SubmissionResult
from common import read_csv

A = "01_perceptron"


COURSE = {A: src.load(A)}


def _cells(scores: dict) -> list[CellResult]:
    points = src.load(A).test_points
    return [CellResult(g, p, scores.get(g, p), res.PASSED if scores.get(g, p) == p else res.FAILED)
            for g, p in points.items()]


def a_class() -> list[SubmissionResult]:
    return [SubmissionResult("ann", A, "ann.ipynb", cells=_cells({})),
            SubmissionResult("=cmd|' /C calc'!A0", A, "x.ipynb", cells=_cells({"test_net_input": 0.0}),
                             flags=["monkeypatch"]),
            SubmissionResult("cy", A, "cy.ipynb", cells=_cells({"test_heaviside": None}), status=res.NEEDS_REVIEW),
            SubmissionResult("dee", A, None, status=res.MISSING_NOTEBOOK, detail="no notebook")]


def test_the_grade_sheet_has_a_row_per_submission_and_per_unmapped_file(tmp_path):
    out = OutputFolder(tmp_path)
    path = report.write_csv(out, COURSE, a_class(), [Unmapped(Path("stray.txt"), "no assignment id")])
    rows = {r["student"] or r["file"]: r for r in read_csv(path)}
    assert path == tmp_path / "grade_sheet.csv"
    assert (rows["ann"]["total"], rows["ann"]["max"], rows["ann"]["written_max"]) == ("13", "13", "2")
    assert rows["ann"]["needs_manual"] == "q_xor"
    assert rows["cy"]["test_heaviside"] == "review" and rows["cy"]["total"] == "12"
    assert rows["dee"]["total"] == "0" and rows["dee"]["needs_manual"] == "" and rows["dee"]["notes"] == "no notebook"
    assert rows["stray.txt"]["status"] == "unmapped" and rows["stray.txt"]["notes"] == "no assignment id"
    # a cell a spreadsheet would run as a formula is shown as text
    assert "'=cmd|' /C calc'!A0" in rows and rows["'=cmd|' /C calc'!A0"]["test_net_input"] == "0"


def test_the_summary_counts_who_needs_a_ta():
    text = report.summary(COURSE, a_class(), [Unmapped(Path("stray.txt"), "no assignment id")])
    assert "4 students, 4 submissions, 3 need a TA (1 flagged for review), 1 files not mapped" in text
    assert "graded 2, missing-notebook 1, needs-review 1" in text
    assert "written answers add 2 more" in text
    assert "not mapped: stray.txt: no assignment id" in text
    assert "\x1b" not in report.summary(COURSE, [SubmissionResult("\x1b[2Jx", A, None, status=res.EMPTY)], [])


def test_feedback_is_written_only_when_there_is_a_page(tmp_path):
    out = OutputFolder(tmp_path)
    assert report.write_feedback(out, COURSE[A], SubmissionResult("ann", A, "a.ipynb")) is None
    page = report.write_feedback(out, COURSE[A], SubmissionResult("ann", A, "a.ipynb", html="<p>hi</p>"))
    assert page == out.feedback("ann", COURSE[A]) and page.read_text() == "<p>hi</p>"
