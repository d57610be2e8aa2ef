"""class_report: where the class stands, one self-contained HTML page per assignment.

``write(out, results)`` writes ``class_report/<assignment>/`` in the output folder:

- ``report.html``: the score distribution, every check's pass rate, the most common known
  mistakes with the students who made them, the submissions that need a TA (bad input,
  tampering flags, checks the grader could not decide) and the grading time per
  submission. The plots (Matplotlib) are embedded as PNG, so the page opens from disk.
- ``submissions.csv``, ``checks.csv``, ``mistakes.csv``: the numbers behind the page.

It reads only the results the coordinator saved (``OutputFolder.load_results``).
"""
from __future__ import annotations

import base64
import csv
import html
import io
import statistics
from collections import defaultdict
from pathlib import Path

from . import report
from . import source as src
from .outdir import OutputFolder
from .results import SubmissionResult
from .sanitize import csv_cell


def _submission_rows(results: list[SubmissionResult], maximum: float) -> list[dict]:
    rows = []
    for r in sorted(results, key=lambda r: r.student):
        rows.append({
            "student": r.student, "status": r.status, "needs_ta": r.needs_ta(),
            "score": r.score if r.graded else None, "max": maximum,
            "flags": " ".join(r.flags),
            "problems": "; ".join(f"{c.grade_id}: {c.status}" for c in r.problem_cells()),
            "mistakes": " ".join(sorted({d.id for c in r.cells for d in c.diagnosis})),
            "seconds": round(float(r.timing.get("total", 0.0)), 3),
            "notes": r.all_notes(),
        })
    return rows


def _check_rows(a: src.Assignment, graded: list[SubmissionResult]) -> list[dict]:
    rows = []
    for gid, pts in a.test_points.items():
        cells = [c for r in graded for c in r.cells if c.grade_id == gid]
        passed = sum(1 for c in cells if c.score == c.points)
        failed = [c for c in cells if c.score is not None and c.score < c.points]
        rows.append({
            "check": gid, "exercise": a.exercise_of(gid) or "", "points": pts, "graded": len(cells),
            "passed": passed, "pass_rate": round(passed / len(cells), 4) if cells else 0.0,
            "failed_diagnosed": sum(1 for c in failed if c.diagnosis),
            "failed_undiagnosed": sum(1 for c in failed if not c.diagnosis),
            "needs_review": sum(1 for c in cells if c.score is None),
        })
    return rows


def _mistake_rows(graded: list[SubmissionResult]) -> list[dict]:
    """The known mistakes named in the feedback, most common first."""
    students = defaultdict(set)
    info = {}
    for r in graded:
        for c in r.cells:
            for d in c.diagnosis:
                students[d.id].add(r.student)
                info[d.id] = (d, c.grade_id)
    return [{"mistake": m, "exercise": info[m][0].exercise, "check": info[m][1],
             "count": len(s), "students": " ".join(sorted(s)), "explanation": info[m][0].explanation,
             "section": info[m][0].section}
            for m, s in sorted(students.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def summarize(a: src.Assignment, results: list[SubmissionResult]) -> dict:
    """The numbers of one assignment's report (plain data; the CSVs and the page show them)."""
    maximum = report.maximum(a)
    graded = [r for r in results if r.graded]
    submissions = _submission_rows(results, maximum)
    attention = [s for s in submissions if s["needs_ta"]]
    scores = [s["score"] for s in submissions if s["score"] is not None]
    seconds = [s["seconds"] for s in submissions if s["seconds"] > 0]
    return {
        "assignment": a.id, "max": maximum, "submissions": submissions,
        "checks": _check_rows(a, graded), "mistakes": _mistake_rows(graded), "attention": attention,
        "totals": {"submissions": len(submissions), "graded": len(scores),
                   "mean": round(statistics.fmean(scores), 2) if scores else 0.0,
                   "median": statistics.median(scores) if scores else 0.0,
                   "full_marks": sum(1 for s in scores if s == maximum),
                   "needs_attention": len(attention),
                   "median_seconds": round(statistics.median(seconds), 2) if seconds else 0.0,
                   "max_seconds": round(max(seconds), 2) if seconds else 0.0},
    }


# --- CSV -------------------------------------------------------------------------------

def _write_csv(path: Path, rows: list[dict], columns: list[str]) -> None:
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow({k: ("" if row.get(k) is None else csv_cell(row.get(k))) for k in columns})


# --- plots -------------------------------------------------------------------------------

def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def _score_histogram(scores: list[float], maximum: float) -> str:
    from matplotlib.figure import Figure
    fig = Figure(figsize=(6, 2.8))
    ax = fig.add_subplot()
    # one bar per whole point when the points are whole numbers
    bins = [x - 0.5 for x in range(int(maximum) + 2)] if float(maximum).is_integer() else 10
    ax.hist(scores, bins=bins, color="#4c72b0", edgecolor="white")
    ax.set_xlabel(f"autograded score (of {maximum:g})")
    ax.set_ylabel("submissions")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Score distribution")
    return _png(fig)


def _pass_rates(checks: list[dict]) -> str:
    from matplotlib.figure import Figure
    fig = Figure(figsize=(6, 0.45 * len(checks) + 1))
    ax = fig.add_subplot()
    names = [c["check"] for c in checks][::-1]
    rates = [100 * c["pass_rate"] for c in checks][::-1]
    ax.barh(names, rates, color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded submissions that passed")
    ax.set_title("Pass rate of every check")
    return _png(fig)


def _time_histogram(seconds: list[float]) -> str:
    from matplotlib.figure import Figure
    fig = Figure(figsize=(6, 2.5))
    ax = fig.add_subplot()
    ax.hist(seconds, bins=min(20, max(5, len(seconds))), color="#8172b2", edgecolor="white")
    ax.set_xlabel("worker seconds per submission")
    ax.set_ylabel("submissions")
    ax.set_title("Grading time")
    return _png(fig)


# --- HTML --------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: .5em 0; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; gap: 1em; flex-wrap: wrap; } .card { border: 1px solid #ddd; border-radius: 6px;
padding: .5em 1em; } .card b { display: block; font-size: 1.4em; } img { max-width: 100%; }
.muted { color: #666; font-size: .9em; }
"""


def _table(table_id: str, rows: list[dict], columns: list[tuple[str, str]]) -> str:
    head = "".join(f"<th>{html.escape(title)}</th>" for _, title in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            v = row.get(key)
            num = isinstance(v, (int, float)) and not isinstance(v, bool)
            text = "" if v is None else (f"{v:g}" if isinstance(v, float) else str(v))
            cells.append(f'<td class="{"num" if num else ""}" data-col="{key}">{html.escape(text)}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(columns)}" class="muted">none</td></tr>')
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def render(summary: dict) -> str:
    t = summary["totals"]
    scores = [s["score"] for s in summary["submissions"] if s["score"] is not None]
    seconds = [s["seconds"] for s in summary["submissions"] if s["seconds"] > 0]
    cards = [("submissions", t["submissions"]), ("graded", t["graded"]),
             ("mean score", f"{t['mean']:g} / {summary['max']:g}"), ("median", f"{t['median']:g}"),
             ("full marks", t["full_marks"]), ("need a TA", t["needs_attention"])]
    card_html = "".join(f'<div class="card" data-card="{html.escape(k)}">{html.escape(k)}<b>{html.escape(str(v))}</b></div>'
                        for k, v in cards)
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Class report: {html.escape(summary['assignment'])}</title><style>{_CSS}</style></head><body>",
             f"<h1>Class report: {html.escape(summary['assignment'])}</h1>",
             f'<div class="cards">{card_html}</div>',
             "<h2>Scores</h2>"]
    if scores:
        parts.append(f'<img id="score-histogram" alt="histogram of scores" src="{_score_histogram(scores, summary["max"])}">')
    parts += ["<h2>Checks</h2>",
              "<p class='muted'>Failed checks are split into those the grader matched to a known mistake "
              "(see below) and those it could not (a new mistake, or several at once).</p>"]
    if summary["checks"]:
        parts.append(f'<img id="pass-rates" alt="pass rate of every check" src="{_pass_rates(summary["checks"])}">')
    parts.append(_table("checks", summary["checks"], [
        ("check", "check"), ("exercise", "exercise"), ("points", "points"), ("graded", "graded"),
        ("passed", "passed"), ("pass_rate", "pass rate"), ("failed_diagnosed", "failed: known mistake"),
        ("failed_undiagnosed", "failed: other"), ("needs_review", "needs review")]))
    parts += ["<h2>Most common mistakes</h2>",
              "<p class='muted'>Each row is a catalogued mistake that submissions' code behaved exactly "
              "like on the check's inputs; the explanation is what those students read in their feedback.</p>",
              _table("mistakes", summary["mistakes"], [
                  ("mistake", "mistake"), ("exercise", "exercise"), ("count", "students"),
                  ("students", "who"), ("explanation", "explanation"), ("section", "section to revisit")]),
              "<h2>Submissions that need a TA</h2>",
              "<p class='muted'>Bad input (unreadable, misnamed or missing notebooks), code that crashed or never "
              "finished, and submissions flagged for suspicious code. Flags never change a score.</p>",
              _table("attention", summary["attention"], [
                  ("student", "student"), ("status", "status"), ("score", "score"), ("flags", "flags"),
                  ("problems", "checks that timed out or crashed"), ("notes", "notes")]),
              "<h2>Grading time</h2>",
              f"<p>Median {t['median_seconds']:g} s, slowest {t['max_seconds']:g} s per submission "
              "(worker seconds: sandboxed execution and the comparison with the hidden tests).</p>"]
    if seconds:
        parts.append(f'<img id="time-histogram" alt="histogram of grading times" src="{_time_histogram(seconds)}">')
    parts += ["<h2>All submissions</h2>",
              _table("submissions", summary["submissions"], [
                  ("student", "student"), ("status", "status"), ("score", "score"), ("mistakes", "known mistakes"),
                  ("flags", "flags"), ("seconds", "seconds")]),
              "</body></html>"]
    return "\n".join(parts)


def write(out: OutputFolder, course: dict[str, src.Assignment], results: list[SubmissionResult]) -> list[Path]:
    """One report folder per assignment in ``results`` (``course``: {id: Assignment} of each);
    returns the HTML pages."""
    by_assignment = defaultdict(list)
    for r in results:
        by_assignment[r.assignment].append(r)
    pages = []
    for assignment, rs in sorted(by_assignment.items()):
        s = summarize(course[assignment], rs)
        folder = out.class_report(assignment)
        folder.mkdir(parents=True, exist_ok=True)
        _write_csv(folder / "submissions.csv", s["submissions"],
                   ["student", "status", "score", "max", "mistakes", "flags", "problems", "seconds", "notes"])
        _write_csv(folder / "checks.csv", s["checks"],
                   ["check", "exercise", "points", "graded", "passed", "pass_rate", "failed_diagnosed",
                    "failed_undiagnosed", "needs_review"])
        _write_csv(folder / "mistakes.csv", s["mistakes"],
                   ["mistake", "exercise", "check", "count", "students", "explanation", "section"])
        pages.append(out.write(folder / "report.html", render(s)))
    return pages
