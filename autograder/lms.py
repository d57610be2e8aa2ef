"""lms: grades out of nbgrader's gradebook into files that Canvas and Moodle import as they are.

Both are nbgrader export plugins, so the TA uses the command nbgrader documents, from the
course root::

    nbgrader export --exporter autograder.lms.CanvasExporter   # -> canvas_grades.csv
    nbgrader export --exporter autograder.lms.MoodleExporter   # -> moodle_grades.csv

(``--to FILE`` names another file; ``--assignment``/``--student`` select, as for nbgrader's
own CSV.) The grade of a student for an assignment is nbgrader's: the submission's score
(autograded checks plus any manual grades) minus its late-submission penalty, never below
zero; an assignment not submitted is 0. Every cell goes through ``sanitize.csv_cell``, as in
the grade sheet, so a name starting with ``=``, ``+``, ``-`` or ``@`` is text in a
spreadsheet, never a formula.

Canvas (Grades > Import): the columns ``Student, ID, SIS User ID, SIS Login ID, Section``, then
one per assignment headed ``Name (assignment id)``; the row after the header holds each
assignment's points possible. Canvas matches a student by ``ID`` (nbgrader's
``lms_user_id`` when set) or by ``SIS Login ID`` (the JupyterHub login, nbgrader's student
id), and an assignment by the Canvas id in parentheses: map them in ``nbgrader_config.py``
with ``c.CanvasExporter.assignment_ids = {"01_perceptron": "1234"}`` (the number Canvas's
own gradebook export shows); an assignment without one becomes a new Canvas assignment.

Moodle (Grades > Import > CSV file): one identifier column to map ("Map from: Username",
"Map to: username"), ``Email address`` for the other mapping, then one column per grade
item, headed by the item's name (``c.MoodleExporter.item_names`` renames), which the import
page maps to an existing grade item or creates.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Dict, Unicode

from .sanitize import csv_cell

CANVAS_FIXED = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
POINTS_POSSIBLE = "Points Possible"
MOODLE_ID = "Username"
MOODLE_EMAIL = "Email address"


@dataclass
class Grade:
    """One student's final grade for one assignment, as nbgrader's own CSV export computes it."""
    score: float            # raw score minus the late penalty, >= 0
    raw: float
    penalty: float


def final_grade(gradebook: Gradebook, assignment: str, student: str) -> Grade:
    try:
        sub = gradebook.find_submission(assignment, student)
    except MissingEntry:
        return Grade(0.0, 0.0, 0.0)
    penalty = sub.late_submission_penalty or 0.0
    return Grade(max(0.0, sub.score - penalty), sub.score, penalty)


def number(x: float) -> str:
    """A score as Canvas and Moodle read it: at most two decimals, no exponent."""
    return f"{round(x, 2):.2f}".rstrip("0").rstrip(".")


class _LMSExporter(ExportPlugin):
    """What both exporters share: which students and assignments, and the quoted writer."""

    default_file = "grades.csv"

    def selected(self, gradebook: Gradebook) -> tuple[list, list]:
        """(assignments, students) of the gradebook, narrowed by ``--assignment``/``--student``."""
        wanted_a = {str(a) for a in self.assignment}
        wanted_s = {str(s) for s in self.student}
        assignments = [a for a in gradebook.assignments if not wanted_a or a.name in wanted_a]
        students = [s for s in gradebook.students if not wanted_s or s.id in wanted_s]
        return sorted(assignments, key=lambda a: a.name), sorted(students, key=lambda s: s.id)

    def write(self, rows: list[list]) -> None:
        dest = self.to or self.default_file
        self.log.info("Exporting grades to %s", dest)
        with open(dest, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            for row in rows:
                w.writerow([csv_cell(v) for v in row])


class CanvasExporter(_LMSExporter):
    """Canvas's gradebook import CSV (see the module's docstring)."""

    default_file = "canvas_grades.csv"
    assignment_ids = Dict(Unicode(), default_value={},
                          help="nbgrader assignment name -> Canvas assignment id").tag(config=True)
    section = Unicode("", help="the Section column's value (Canvas ignores it on import)").tag(config=True)

    def header(self, assignment) -> str:
        canvas_id = self.assignment_ids.get(assignment.name)
        if not canvas_id:
            self.log.warning("no c.CanvasExporter.assignment_ids[%r]: Canvas will create a new assignment",
                             assignment.name)
            return assignment.name
        return f"{assignment.name} ({canvas_id})"

    def export(self, gradebook: Gradebook) -> None:
        assignments, students = self.selected(gradebook)
        rows = [CANVAS_FIXED + [self.header(a) for a in assignments],
                [POINTS_POSSIBLE, "", "", "", ""] + [number(a.max_score) for a in assignments]]
        for s in students:
            name = ", ".join(x for x in (s.last_name, s.first_name) if x) or s.id
            grades = [number(final_grade(gradebook, a.name, s.id).score) for a in assignments]
            rows.append([name, s.lms_user_id or "", "", s.id, self.section] + grades)
        self.write(rows)


class MoodleExporter(_LMSExporter):
    """Moodle's grade import CSV (see the module's docstring)."""

    default_file = "moodle_grades.csv"
    item_names = Dict(Unicode(), default_value={},
                      help="nbgrader assignment name -> Moodle grade item name").tag(config=True)

    def export(self, gradebook: Gradebook) -> None:
        assignments, students = self.selected(gradebook)
        rows = [[MOODLE_ID, MOODLE_EMAIL] + [self.item_names.get(a.name, a.name) for a in assignments]]
        for s in students:
            rows.append([s.id, s.email or ""]
                        + [number(final_grade(gradebook, a.name, s.id).score) for a in assignments])
        self.write(rows)
