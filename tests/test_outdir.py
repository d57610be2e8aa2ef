"""The output folder (autograder/outdir.py): every path of a run, inside its folder."""
from __future__ import annotations

import json
import os

import pytest

from autograder import results as res
from autograder import source as src
from autograder.outdir import OutputFolder, atomic_write, digest, inside
from autograder.results import SubmissionResult

A = "01_perceptron"


def test_the_layout_nbgrader_and_the_ta_expect(tmp_path):
    out, a = OutputFolder(tmp_path), src.load(A)
    assert out.submitted("ann", a) == tmp_path / "submitted" / "ann" / A / f"{A}.ipynb"
    assert out.autograded("ann", a) == tmp_path / "autograded" / "ann" / A / f"{A}.ipynb"
    assert out.feedback("ann", a) == tmp_path / "feedback" / "ann" / A / f"{A}.html"
    assert out.result("ann", A) == tmp_path / "results" / A / "ann.json"
    assert out.class_report(A) == tmp_path / "class_report" / A
    assert out.db_url == f"sqlite:///{tmp_path.resolve() / 'gradebook.db'}"
    assert out.trace_cache == tmp_path.resolve() / "cache" / "mistake-traces"


@pytest.mark.parametrize("student", ["..", ".", "a/b", "", "a\\b", "a\0b"])
def test_a_student_id_that_would_leave_the_folder_is_refused(tmp_path, student):
    out = OutputFolder(tmp_path)
    for where in (out.submitted, out.autograded, out.feedback):
        with pytest.raises(ValueError):
            where(student, src.load(A))
    with pytest.raises(ValueError):
        out.result(student, A)


def test_links_and_writes_outside_are_refused(tmp_path):
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / A).symlink_to("/tmp")
    out = OutputFolder(tmp_path)
    with pytest.raises(ValueError):
        out.result("ann", A)
    with pytest.raises(ValueError):
        out.write(tmp_path.parent / "elsewhere.txt", "x")
    with pytest.raises(ValueError):
        inside(tmp_path, "..", "x")


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "a" / "b.txt"
    atomic_write(path, "one")
    atomic_write(path, b"two")
    assert path.read_bytes() == b"two" and os.listdir(path.parent) == ["b.txt"]


def test_digest_is_of_the_bytes(tmp_path):
    (tmp_path / "x").write_bytes(b"abc")
    assert digest(tmp_path / "x") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert digest(None) == "missing"


def test_already_graded_needs_the_same_bytes_this_format_and_no_retry(tmp_path):
    out = OutputFolder(tmp_path)
    r = SubmissionResult("ann", A, "x.ipynb", digest="d1")
    assert not out.already_graded("ann", A, "d1")
    out.save_result(r)
    assert out.already_graded("ann", A, "d1") and not out.already_graded("ann", A, "d2")
    out.save_result(SubmissionResult("ann", A, "x.ipynb", digest="d1", status=res.WORKER_LOST))
    assert not out.already_graded("ann", A, "d1")
    out.save_result(SubmissionResult("ann", A, "x.ipynb", digest="d1", version=res.VERSION - 1))
    assert not out.already_graded("ann", A, "d1")


def test_load_results_skips_a_damaged_file(tmp_path):
    out = OutputFolder(tmp_path)
    out.save_result(SubmissionResult("ann", A, "x.ipynb"))
    out.result("bob", A).write_text("{not json")
    out.result("cid", A).write_text(json.dumps({"student": "cid"}))      # no assignment
    assert [r.student for r in out.load_results()] == ["ann"]
