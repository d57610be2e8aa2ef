"""Scores into nbgrader's gradebook and the submitted copy (autograder/record.py)."""
from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from autograder import record
from autograder import results as res
from autograder import source as src
from autograder.outdir import OutputFolder
from autograder.results import CellResult, SubmissionResult

A = "01_perceptron"


def _graded(score_net: float | None, **kw) -> SubmissionResult:
    cells = [CellResult(g, p, p, res.PASSED) for g, p in src.load(A).test_points.items()]
    cells[0] = CellResult(cells[0].grade_id, cells[0].points, score_net,
                          res.CELL_GRADER_ERROR if score_net is None else res.FAILED)
    return SubmissionResult("ann", A, "ann.ipynb", cells=cells, autograded_nb='{"x": 1}', **kw)


def _grades(out: OutputFolder) -> dict:
    with Gradebook(out.db_url) as gb:
        nb = gb.find_submission_notebook(A, A, "ann")
        return {"flagged": nb.flagged, **{g.name: (g.auto_score, g.manual_score, g.needs_manual_grade)
                                          for g in nb.grades}}


@pytest.fixture
def out(tmp_path):
    out = OutputFolder(tmp_path).create()
    record.write_config(out)
    record.ensure_assignment(out, src.load(A))
    return out


def test_scores_go_into_the_gradebook_and_a_rerun_keeps_the_manual_grade(out):
    record.record(out, src.load(A), _graded(0.0))
    g = _grades(out)
    assert g["test_net_input"] == (0.0, None, False) and g["test_heaviside"] == (1.0, None, False)
    assert g["q_xor"][2] and not g["flagged"]            # the written answer waits for a TA
    assert out.autograded("ann", src.load(A)).read_text() == '{"x": 1}'
    with Gradebook(out.db_url) as gb:
        grade = gb.find_grade("test_net_input", A, A, "ann")
        grade.manual_score = 0.5
        gb.db.commit()
    record.record(out, src.load(A), _graded(None, status=res.NEEDS_REVIEW))
    g = _grades(out)
    assert g["test_net_input"] == (None, 0.5, True) and g["flagged"]


def test_flags_mark_the_notebook_for_review(out):
    record.record(out, src.load(A), _graded(1.0, flags=["monkeypatch"]))
    assert _grades(out)["flagged"]


def test_the_config_points_nbgrader_at_this_folder(out):
    text = out.nbgrader_config.read_text()
    assert out.db_url in text and repr(str(src.SOLUTIONS)) in text and out.exchange.is_dir()


def test_the_submitted_copy_is_a_regular_file_within_the_limit(out, tmp_path):
    nb = tmp_path / "ann.ipynb"
    nb.write_bytes(b"{}")
    result = SubmissionResult("ann", A, str(nb))
    assert record.copy_submitted(out, src.load(A), result, 10).read_bytes() == b"{}"
    (tmp_path / "link.ipynb").symlink_to(nb)
    assert record.copy_submitted(out, src.load(A), SubmissionResult("bo", A, str(tmp_path / "link.ipynb")), 10) is None
    assert record.copy_submitted(out, src.load(A), SubmissionResult("cy", A, str(nb)), 1) is None
    assert record.copy_submitted(out, src.load(A), SubmissionResult("di", A, str(nb), status=res.TOO_LARGE), 10) is None
    assert not (out.root / "submitted" / "bo").exists() and not (out.root / "submitted" / "cy").exists()
