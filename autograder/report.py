"""report: the CSV grade sheet, the per-student HTML feedback, the terminal summary."""
from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

from . import source as src
from .record import inside
from .sanitize import csv_cell, printable


def write_feedback(out: Path, result: dict) -> Path | None:
    html = result.get("html")
    if not html:
        return None
    a = src.load(result["assignment"])
    dest = inside(out / "feedback", result["student"], result["assignment"], f"{a.notebook_id}.html")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(html)
    return dest


def load_results(out: Path) -> list[dict]:
    rows = []
    for p in sorted((out / "results").glob("*/*.json")):
        try:
            rows.append(json.loads(p.read_text()))
        except (OSError, json.JSONDecodeError):
            continue
    return rows


def totals(r: dict) -> tuple[float, float]:
    a = src.load(r["assignment"])
    maximum = sum(a.test_points.values())
    total = sum((c["score"] or 0) for c in r.get("cells", []))
    return total, maximum


PROBLEM_CELL_STATUSES = ("timeout", "crashed", "grader-error")


def needs_ta(r: dict) -> bool:
    """A submission a TA should look at: not graded normally, flagged, or a check that
    timed out, crashed or could not be judged. The console and the class report both count this."""
    return (r["status"] != "graded" or bool(r.get("flags"))
            or any(c.get("status") in PROBLEM_CELL_STATUSES for c in r.get("cells", [])))


def write_csv(out: Path, results: list[dict], unmapped: list[dict]) -> Path:
    assignments = sorted({r["assignment"] for r in results})
    columns = [g for a in assignments for g in src.load(a).test_points]
    path = out / "grade_sheet.csv"   # not grades.csv: that is `nbgrader export`'s
    with open(path, "w", newline="") as f:
        w = _Writer(csv.writer(f))
        # total and max are the autograded checks; written answers are graded by hand in
        # nbgrader's formgrader, which adds their points (written_max) to nbgrader's own total
        w.writerow(["student", "assignment", *columns, "total", "max", "status", "flags",
                    "written_max", "needs_manual", "notes", "file"])
        for r in sorted(results, key=lambda r: (r["assignment"], r["student"])):
            scores = {c["grade_id"]: c for c in r.get("cells", [])}
            total, maximum = totals(r)
            cells = []
            for g in columns:
                c = scores.get(g)
                cells.append("" if c is None else ("review" if c["score"] is None else f"{c['score']:g}"))
            manual = " ".join(src.load(r["assignment"]).manual_points) if r.get("cells") else ""
            notes = "; ".join(([r["detail"]] if r.get("detail") else []) + r.get("notes", []))
            written = sum(src.load(r["assignment"]).manual_points.values())
            w.writerow([r["student"], r["assignment"], *cells, f"{total:g}", f"{maximum:g}", r["status"],
                        " ".join(r.get("flags", [])), f"{written:g}", manual, notes, r.get("path", "")])
        for u in unmapped:
            w.writerow(["", "", *[""] * len(columns), "", "", "unmapped", "", "", "", u["reason"], u["path"]])
    return path


class _Writer:
    """A csv writer whose cells a spreadsheet shows as text (``sanitize.csv_cell``)."""

    def __init__(self, writer):
        self._w = writer

    def writerow(self, row):
        self._w.writerow([csv_cell(v) for v in row])


def summary(results: list[dict], unmapped: list[dict]) -> str:
    by_a = defaultdict(list)
    for r in results:
        by_a[r["assignment"]].append(r)
    lines = []
    header = f"{'assignment':<24}{'students':>9}{'mean':>8}{'max':>6}  statuses"
    lines += [header, "-" * max(len(header), 70)]
    for a in sorted(by_a):
        rs = by_a[a]
        scores = [totals(r)[0] for r in rs if r.get("cells")]
        maximum = sum(src.load(a).test_points.values())
        mean = sum(scores) / len(scores) if scores else 0.0
        counts = Counter(r["status"] for r in rs)
        st = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        lines.append(f"{printable(a):<24}{len(rs):>9}{mean:>8.2f}{maximum:>6g}  {printable(st)}")
    students = len({r["student"] for r in results})
    flagged = sum(1 for r in results if r.get("flags"))
    others = [r for r in results if needs_ta(r)]
    lines.append("-" * max(len(header), 70))
    lines.append(f"{students} students, {len(results)} submissions, {len(others)} need a TA "
                 f"({flagged} flagged for review), {len(unmapped)} files not mapped")
    for a in sorted(by_a):
        written = sum(src.load(a).manual_points.values())
        if written:
            auto = sum(src.load(a).test_points.values())
            lines.append(f"{printable(a)}: max is the autograded {auto:g} points; written answers add {written:g} "
                         f"more, graded by hand in the formgrader (nbgrader's total: {auto + written:g})")
    for r in sorted(others, key=lambda r: (r["assignment"], r["student"]))[:40]:
        problems = [f"{c['grade_id']} {c['status']}" for c in r.get("cells", [])
                    if c.get("status") in PROBLEM_CELL_STATUSES]
        why = "; ".join(x for x in (r["status"] if r["status"] != "graded" else "",
                                    " ".join(r.get("flags", [])), ", ".join(problems)) if x)
        lines.append(f"  {printable(r['student'])} ({printable(r['assignment'])}): {printable(why)}")
    if len(others) > 40:
        lines.append(f"  ... and {len(others) - 40} more (grade_sheet.csv)")
    for u in unmapped[:20]:
        lines.append(f"  not mapped: {printable(u['path'])}: {printable(u['reason'])}")
    if len(unmapped) > 20:
        lines.append(f"  ... and {len(unmapped) - 20} more files not mapped (grade_sheet.csv)")
    return "\n".join(lines)
