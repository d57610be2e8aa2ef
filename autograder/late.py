"""late: late submissions by nbgrader's rules, with the course's penalty policy.

nbgrader's rules, unchanged: a submission's time is the exchange's ``timestamp.txt`` that
``nbgrader collect`` puts beside it (``submitted/<student>/<assignment>/timestamp.txt``);
its lateness is that time minus the assignment's due date in the gradebook (``nbgrader db
assignment add 01_perceptron --duedate=...``, or the formgrader), extensions included; the
penalty is whatever the configured ``LateSubmissionPlugin`` says, applied by nbgrader's own
``AssignLatePenalties`` to the submitted notebook, capped at its score. A submission without
``timestamp.txt`` (an LMS zip) has no time and is never late, as in ``nbgrader autograde``.

The course's policy is a plugin of its own, set in the course root's ``nbgrader_config.py``::

    c.AssignLatePenalties.plugin_class = "autograder.late.PointsPerHourLate"
    c.PointsPerHourLate.points_per_hour = 1.0     # per started hour after the due date
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.utils import parse_utc
from traitlets import Float

from .outdir import OutputFolder

TIMESTAMP_FILE = "timestamp.txt"


class PointsPerHourLate(LateSubmissionPlugin):
    """``points_per_hour`` points off per started hour late (nbgrader caps it at the score)."""

    points_per_hour = Float(1.0, help="points deducted per started hour after the due date").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float | None:
        if total_seconds_late <= 0:
            return None
        return self.points_per_hour * math.ceil(total_seconds_late / 3600)


def submission_time(notebook: str | Path | None) -> dt.datetime | None:
    """The exchange's time of the submission holding ``notebook`` (naive UTC, as nbgrader stores
    it), or None when its folder has no readable ``timestamp.txt``."""
    if not notebook:
        return None
    path = Path(notebook).parent / TIMESTAMP_FILE
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()[:100]
        return parse_utc(text) if text else None
    except (OSError, ValueError):
        return None


def course_config(out: OutputFolder):
    """The traitlets config of the course root ``out`` (its ``nbgrader_config.py``), empty if none."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    if not out.nbgrader_config.is_file():
        return Config()
    loader = PyFileConfigLoader(out.nbgrader_config.name, path=str(out.nbgrader_config.parent))
    return loader.load_config()


def assign_penalty(out: OutputFolder, assignment: str, notebook_id: str, student: str) -> None:
    """nbgrader's ``AssignLatePenalties`` for one submitted notebook, with the course's plugin."""
    import nbformat
    from nbgrader.preprocessors import AssignLatePenalties

    resources = {"nbgrader": {"notebook": notebook_id, "assignment": assignment, "student": student,
                              "db_url": out.db_url}}
    AssignLatePenalties(config=course_config(out)).preprocess(nbformat.v4.new_notebook(), resources)


@dataclass
class Lateness:
    """What the grade sheet shows of a submission's time (from the gradebook)."""
    submitted_at: str        # ISO 8601, UTC; "" when unknown
    seconds_late: float
    penalty: float


def lateness(out: OutputFolder) -> dict[tuple[str, str], Lateness]:
    """(student, assignment) -> Lateness for every submission in the gradebook (none, or a
    gradebook that cannot be read: {}, so the grade sheet is still written)."""
    if not out.gradebook.is_file():
        return {}
    found = {}
    try:
        with Gradebook(out.db_url) as gb:
            for a in gb.assignments:
                for sub in a.submissions:
                    when = sub.timestamp.isoformat() + "Z" if sub.timestamp else ""
                    found[(sub.student.id, a.name)] = Lateness(when, sub.total_seconds_late,
                                                               sub.late_submission_penalty or 0.0)
    except Exception:  # noqa: BLE001
        return {}
    return found
