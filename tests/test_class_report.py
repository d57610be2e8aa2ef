"""The TA's class report (autograder/class_report.py): its numbers from typed results."""
from __future__ import annotations

from autograder import class_report
from autograder import results as res
from autograder import source as src
from autograder.outdir import OutputFolder
from autograder.results import CellResult, KnownMistake, SubmissionResult
from common import read_csv

A = "01_perceptron"
SIGN = KnownMistake("sign-flipped", "perceptron_update", "wrong sign", "2.3")
BIAS = KnownMistake("no-bias", "net_input", "no bias", "1.2")


def _result(student, update_score, diagnosis=(), **kw):
    cells = [CellResult("test_net_input", 1.0, 0.0 if BIAS in diagnosis else 1.0,
                        res.FAILED if BIAS in diagnosis else res.PASSED, diagnosis=[BIAS] if BIAS in diagnosis else []),
             CellResult("test_perceptron_update", 2.0, update_score,
                        res.PASSED if update_score == 2.0 else res.FAILED,
                        diagnosis=[SIGN] if SIGN in diagnosis else [])]
    return SubmissionResult(student, A, f"{student}.ipynb", cells=cells, timing={"total": 2.0}, **kw)


def a_class():
    return [_result("ann", 2.0), _result("bo", 0.0, [SIGN]), _result("cy", 0.0, [SIGN, BIAS]),
            _result("di", 0.0), SubmissionResult("ed", A, None, status=res.INVALID_JSON)]


def test_summary_counts_checks_mistakes_and_attention():
    s = class_report.summarize(src.load(A), a_class())
    checks = {c["check"]: c for c in s["checks"]}
    update = checks["test_perceptron_update"]
    assert (update["graded"], update["passed"], update["failed_diagnosed"], update["failed_undiagnosed"]) == (4, 1, 2, 1)
    assert update["pass_rate"] == 0.25 and update["exercise"] == "perceptron_update"
    assert checks["test_heaviside"]["graded"] == 0           # no result has that check
    mistakes = {m["mistake"]: m for m in s["mistakes"]}
    assert s["mistakes"][0]["mistake"] == "sign-flipped"     # the most common first
    assert mistakes["sign-flipped"]["students"] == "bo cy" and mistakes["sign-flipped"]["count"] == 2
    assert mistakes["no-bias"]["check"] == "test_net_input"
    assert [a["student"] for a in s["attention"]] == ["ed"]
    t = s["totals"]
    assert (t["submissions"], t["graded"], t["full_marks"], t["needs_attention"]) == (5, 4, 0, 1)
    assert t["median_seconds"] == 2.0
    subs = {r["student"]: r for r in s["submissions"]}
    assert subs["cy"]["score"] == 0.0 and subs["cy"]["mistakes"] == "no-bias sign-flipped"
    assert subs["ed"]["score"] is None


def test_write_makes_the_page_and_its_csvs(tmp_path):
    (page,) = class_report.write(OutputFolder(tmp_path), {A: src.load(A)}, a_class())
    folder = tmp_path / "class_report" / A
    assert page == folder / "report.html" and page.read_text().count("data:image/png;base64,") == 3
    assert [r["student"] for r in read_csv(folder / "submissions.csv")] == ["ann", "bo", "cy", "di", "ed"]
    assert {r["mistake"] for r in read_csv(folder / "mistakes.csv")} == {"sign-flipped", "no-bias"}
