"""The typed result of grading one submission (autograder/results.py): what every stage
reads, saved as JSON and read back unchanged."""
from __future__ import annotations

import json

from autograder import results as res
from autograder.results import CellResult, KnownMistake, SubmissionResult

SIGN = KnownMistake("sign-flipped", "perceptron_update", "The error term has the wrong sign.", "2.3 The update")


def a_result(**kw) -> SubmissionResult:
    cells = [CellResult("test_net_input", 1.0, 1.0, res.PASSED),
             CellResult("test_perceptron_update", 2.0, 0.0, res.FAILED, "check failed", "line 3", [SIGN]),
             CellResult("test_train_perceptron", 3.0, None, res.CELL_GRADER_ERROR)]
    return SubmissionResult("ivan", "01_perceptron", "/class/ivan.ipynb", cells=cells, notes=["a note"],
                            setup_errors=[("net_input", "SyntaxError")], timing={"total": 1.5},
                            digest="ab" * 32, **kw)


def test_a_result_survives_json_unchanged_except_what_only_travels():
    r = a_result(html="<p>page</p>", autograded_nb="{}", status=res.NEEDS_REVIEW)
    text = json.dumps(r.to_json())
    back = SubmissionResult.from_json(json.loads(text))
    assert back.html is None and back.autograded_nb is None and "html" not in json.loads(text)
    r.html = r.autograded_nb = None
    assert back == r
    assert back.cells[1].diagnosis == [SIGN] and back.setup_errors == [("net_input", "SyntaxError")]


def test_an_older_or_larger_result_file_is_read_by_its_known_fields():
    data = {"student": "bob", "assignment": "01_perceptron", "path": None, "status": "invalid-json",
            "unknown_key": 1}
    r = SubmissionResult.from_json(data)
    assert (r.student, r.status, r.cells, r.version) == ("bob", res.INVALID_JSON, [], res.VERSION)


def test_score_and_needs_ta():
    r = a_result()
    assert r.score == 1.0 and r.graded
    assert [c.grade_id for c in r.problem_cells()] == ["test_train_perceptron"]
    assert r.needs_ta()                                     # a check the grader could not decide
    r.cells = r.cells[:2]
    assert not r.needs_ta()
    r.add_flags(["monkeypatch"])
    r.add_flags(["monkeypatch"])
    assert r.flags == ["monkeypatch"] and r.needs_ta()
    assert SubmissionResult("x", "01_perceptron", None, status=res.MISSING_NOTEBOOK).needs_ta()


def test_a_failed_result_keeps_who_and_why_but_nothing_graded():
    r = a_result(html="<p>", autograded_nb="{}")
    lost = r.with_status(res.GRADER_MEMORY, "too much memory")
    assert (lost.status, lost.detail, lost.cells, lost.html, lost.autograded_nb) == (
        res.GRADER_MEMORY, "too much memory", [], None, None)
    assert lost.notes == r.notes and lost.student == r.student
    assert r.cells                                          # the original is untouched


def test_every_status_has_one_name():
    assert res.RETRY <= res.SUBMISSION_STATUSES and res.NOT_COPIED <= res.SUBMISSION_STATUSES
    assert res.PROBLEM_CELL <= res.CELL_STATUSES
    assert res.GRADED not in res.RETRY and res.WORKER_LOST in res.RETRY
    assert all(s == s.lower() and " " not in s for s in res.SUBMISSION_STATUSES | res.CELL_STATUSES)
    assert "; ".join(["x", "a note"]) == a_result(detail="x").all_notes()
