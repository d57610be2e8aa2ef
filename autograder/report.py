"""report: the CSV grade sheet, the per-student HTML feedback, the terminal summary."""
from __future__ import annotations

import csv
import math
from collections import Counter, defaultdict
from pathlib import Path

from . import late
from . import source as src
from .collect import Unmapped
from .outdir import OutputFolder
from .results import GRADED, GRADER_ERROR, UNMAPPED, SubmissionResult
from .sanitize import csv_cell, printable


def write_feedback(out: OutputFolder, a: src.Assignment, result: SubmissionResult) -> Path | None:
    if not result.html:
        return None
    return out.write(out.feedback(result.student, a), result.html)


def maximum(a: src.Assignment) -> float:
    """The autograded points of an assignment (written answers are graded by hand)."""
    return sum(a.test_points.values())


def written_points(a: src.Assignment) -> float:
    return sum(a.manual_points.values())


def write_csv(out: OutputFolder, course: dict[str, src.Assignment], results: list[SubmissionResult],
              unmapped: list[Unmapped]) -> Path:
    """The grade sheet of ``results``; ``course``: {id: Assignment} of every assignment they are of."""
    assignments = sorted({r.assignment for r in results})
    columns = [g for a in assignments for g in course[a].test_points]
    times = late.lateness(out)
    with open(out.grade_sheet, "w", newline="", encoding="utf-8") as f:
        w = _Writer(csv.writer(f))
        # total and max are the autograded checks; written answers are graded by hand in
        # nbgrader's formgrader, which adds their points (written_max) to nbgrader's own total
        # submitted_at, late_seconds, late_penalty: nbgrader's (late.py); the penalty comes off nbgrader's total
        w.writerow(["student", "assignment", *columns, "total", "max", "submitted_at", "late_seconds",
                    "late_penalty", "status", "flags",
                    "written_max", "needs_manual", "notes", "file"])
        for r in sorted(results, key=lambda r: (r.assignment, r.student)):
            try:
                row = _row(r, course[r.assignment], columns, times.get((r.student, r.assignment)))
            except Exception as e:  # noqa: BLE001  (one result's data never cuts the sheet off)
                row = [r.student, r.assignment, *[""] * len(columns), "", "", "", "", "", GRADER_ERROR, "", "", "",
                       f"its row could not be written: {type(e).__name__}: {e}"[:300], ""]
            w.writerow(row)
        for u in unmapped:
            w.writerow(["", "", *[""] * len(columns), "", "", "", "", "", UNMAPPED, "", "", "", u.reason, str(u.path)])
    return out.grade_sheet


def _row(r: SubmissionResult, a: src.Assignment, columns: list[str], t: late.Lateness | None) -> list:
    scores = {c.grade_id: c for c in r.cells}
    cells = []
    for g in columns:
        c = scores.get(g)
        cells.append("" if c is None else ("review" if c.score is None else f"{c.score:g}"))
    manual = " ".join(a.manual_points) if r.graded else ""
    t = t or late.Lateness("", 0.0, 0.0)
    return [r.student, r.assignment, *cells, f"{r.score:g}", f"{maximum(a):g}", t.submitted_at,
            f"{math.ceil(t.seconds_late)}" if t.submitted_at else "", f"{t.penalty:g}", r.status,
            " ".join(r.flags), f"{written_points(a):g}", manual, r.all_notes(), r.path or ""]


class _Writer:
    """A csv writer whose cells a spreadsheet shows as text (``sanitize.csv_cell``)."""

    def __init__(self, writer):
        self._w = writer

    def writerow(self, row):
        self._w.writerow([csv_cell(v) for v in row])


def summary(course: dict[str, src.Assignment], results: list[SubmissionResult], unmapped: list[Unmapped]) -> str:
    """The terminal summary of ``results``; ``course``: {id: Assignment} of every assignment they are of."""
    by_a = defaultdict(list)
    for r in results:
        by_a[r.assignment].append(r)
    lines = []
    header = f"{'assignment':<24}{'students':>9}{'mean':>8}{'max':>6}  statuses"
    lines += [header, "-" * max(len(header), 70)]
    for a in sorted(by_a):
        rs = by_a[a]
        scores = [r.score for r in rs if r.graded]
        mean = sum(scores) / len(scores) if scores else 0.0
        counts = Counter(r.status for r in rs)
        st = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        lines.append(f"{printable(a):<24}{len(rs):>9}{mean:>8.2f}{maximum(course[a]):>6g}  {printable(st)}")
    students = len({r.student for r in results})
    flagged = sum(1 for r in results if r.flags)
    others = [r for r in results if r.needs_ta()]
    lines.append("-" * max(len(header), 70))
    lines.append(f"{students} students, {len(results)} submissions, {len(others)} need a TA "
                 f"({flagged} flagged for review), {len(unmapped)} files not mapped")
    for a in sorted(by_a):
        written = written_points(course[a])
        if written:
            auto = maximum(course[a])
            lines.append(f"{printable(a)}: max is the autograded {auto:g} points; written answers add {written:g} "
                         f"more, graded by hand in the formgrader (nbgrader's total: {auto + written:g})")
    lines += _attention_lines(others, unmapped)
    return "\n".join(lines)


def _attention_lines(others: list[SubmissionResult], unmapped: list[Unmapped]) -> list[str]:
    lines = []
    for r in sorted(others, key=lambda r: (r.assignment, r.student))[:40]:
        problems = [f"{c.grade_id} {c.status}" for c in r.problem_cells()]
        why = "; ".join(x for x in (r.status if r.status != GRADED else "",
                                    " ".join(r.flags), ", ".join(problems)) if x)
        lines.append(f"  {printable(r.student)} ({printable(r.assignment)}): {printable(why)}")
    if len(others) > 40:
        lines.append(f"  ... and {len(others) - 40} more (grade_sheet.csv)")
    for u in unmapped[:20]:
        lines.append(f"  not mapped: {printable(str(u.path))}: {printable(u.reason)}")
    if len(unmapped) > 20:
        lines.append(f"  ... and {len(unmapped) - 20} more files not mapped (grade_sheet.csv)")
    return lines
