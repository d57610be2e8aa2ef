"""Grades into the LMS (autograder/lms.py, autograder/late.py): the files `nbgrader export
--exporter autograder.lms.CanvasExporter` / `MoodleExporter` write, checked against the
layouts Canvas and Moodle document for their gradebook imports, with nbgrader's late rules.

Canvas ("How do I import grades in the Gradebook?"): the header row is `Student, ID, SIS User
ID, SIS Login ID, Section`, then one column per assignment headed `Assignment name (Canvas
assignment id)`; the next row is `Points Possible` with the assignments' points; then one row
per student, matched by ID or SIS Login ID. Moodle ("Grade import", CSV file): a header row,
one column whose values identify the user (mapped on import to username, email or ID number),
then one column per grade item, one row per user, numbers only in grade columns.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook

from autograder import record
from autograder import results as res
from autograder import source as src
from autograder.outdir import OutputFolder
from autograder.results import CellResult, SubmissionResult

A = "01_perceptron"
CANVAS_ID = "40213"
DUE = dt.datetime(2026, 3, 1, 12, 0, 0)
POLICY = '''
c.AssignLatePenalties.plugin_class = "autograder.late.PointsPerHourLate"
c.PointsPerHourLate.points_per_hour = 2.0
c.CanvasExporter.assignment_ids = {"01_perceptron": "%s"}
''' % CANVAS_ID
NAMES = {"ann": ("Ann", "Lee", "ann@example.org"),
         "bob": ("Bob", "=HYPERLINK(\"http://x\")", ""),       # a formula-leading last name
         "cat": ("Cat", "Ng", "@cat@example.org")}


def _result(out: OutputFolder, student: str, fraction: float, submitted: dt.datetime) -> SubmissionResult:
    """A graded submission of ``student`` in nbgrader's collected layout, with the exchange's time."""
    folder = out.root / "submitted" / student / A
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "timestamp.txt").write_text(submitted.strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
    (folder / f"{A}.ipynb").write_text("{}")
    cells = [CellResult(g, p, p * fraction, res.PASSED if fraction else res.FAILED)
             for g, p in src.load(A).test_points.items()]
    return SubmissionResult(student, A, str(folder / f"{A}.ipynb"), cells=cells)


def _graded_course(tmp_path: Path) -> OutputFolder:
    """ann full marks on time, bob zero on time, cat full marks 2 h 10 min late; dee never submitted."""
    out = OutputFolder(tmp_path / "course").create()
    record.write_config(out)
    with open(out.nbgrader_config, "a") as f:
        f.write(POLICY)
    record.ensure_assignment(out, src.load(A))
    with Gradebook(out.db_url) as gb:
        gb.update_or_create_assignment(A, duedate=DUE)
        for s, (first, last, email) in {**NAMES, "dee": ("Dee", "Ray", "")}.items():
            gb.update_or_create_student(s, first_name=first, last_name=last, email=email)
    for student, fraction, when in [("ann", 1.0, DUE - dt.timedelta(hours=1)), ("bob", 0.0, DUE),
                                    ("cat", 1.0, DUE + dt.timedelta(hours=2, minutes=10))]:
        record.record(out, src.load(A), _result(out, student, fraction, when))
    return out


def _export(out: OutputFolder, exporter: str, dest: str) -> list[list[str]]:
    """`python -m nbgrader export --exporter autograder.lms.<exporter>` in a course root outside the
    checkout, as docs/jupyterhub.md says (the checkout on PYTHONPATH makes the plugin importable)."""
    env = {**os.environ, "PYTHONPATH": str(src.ROOT)}
    p = subprocess.run([sys.executable, "-m", "nbgrader", "export", "--exporter", f"autograder.lms.{exporter}", "--to", dest],
                       cwd=out.root, env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-3000:]
    with open(out.root / dest, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_canvas_export_has_canvas_layout_and_nbgrader_final_grades(tmp_path):
    out = _graded_course(tmp_path)
    rows = _export(out, "CanvasExporter", "canvas.csv")
    header, points, students = rows[0], rows[1], rows[2:]
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    m = re.fullmatch(r"(.+) \((\d+)\)", header[5])
    assert m and m.groups() == (A, CANVAS_ID) and len(header) == 6
    maximum = sum(src.load(A).test_points.values()) + sum(src.load(A).manual_points.values())
    assert points[0].strip() == "Points Possible" and points[1:5] == ["", "", "", ""]
    assert float(points[5]) == maximum
    by_login = {r[3]: r for r in students}
    assert set(by_login) == {"ann", "bob", "cat", "dee"} and all(len(r) == 6 for r in students)
    auto = sum(src.load(A).test_points.values())
    # ann full, bob blank, cat full minus 2 points per started hour (3 hours), dee nothing submitted
    assert {k: float(r[5]) for k, r in by_login.items()} == {"ann": auto, "bob": 0, "cat": auto - 6, "dee": 0}
    assert by_login["ann"][0] == "Lee, Ann"
    assert by_login["bob"][0] == "'=HYPERLINK(\"http://x\"), Bob"     # text, never a formula
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_moodle_export_has_one_identifier_and_one_column_per_grade_item(tmp_path):
    out = _graded_course(tmp_path)
    rows = _export(out, "MoodleExporter", "moodle.csv")
    header, users = rows[0], rows[1:]
    assert header == ["Username", "Email address", A]
    ids = [r[0] for r in users]
    assert len(set(ids)) == len(ids) == 4 and all(ids)
    auto = sum(src.load(A).test_points.values())
    assert {r[0]: float(r[2]) for r in users} == {"ann": auto, "bob": 0, "cat": auto - 6, "dee": 0}
    emails = {r[0]: r[1] for r in users}
    assert emails["ann"] == "ann@example.org" and emails["cat"] == "'@cat@example.org"


def test_grade_sheet_shows_submission_time_lateness_and_penalty(tmp_path):
    from autograder import report
    out = _graded_course(tmp_path)
    results = [_result(out, s, f, DUE) for s, f in (("ann", 1.0), ("bob", 0.0))]   # times from the gradebook
    results.append(SubmissionResult("cat", A, None, cells=results[0].cells))
    with open(report.write_csv(out, {A: src.load(A)}, results, []), newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    assert rows["cat"]["submitted_at"] == "2026-03-01T14:10:00Z"
    assert rows["cat"]["late_seconds"] == "7800" and rows["cat"]["late_penalty"] == "6"
    assert rows["ann"]["late_seconds"] == "0" and rows["ann"]["late_penalty"] == "0"
