"""Failures are loud: a run where every submission failed on the grader's side exits
non-zero and says why in one line; the console and the class report count "needs a TA" alike."""
from __future__ import annotations

import re
from concurrent.futures import Executor, Future

import pytest

from autograder import __main__ as cli
from autograder import class_report, pipeline, report, sandbox
from autograder import source as src
from autograder.outdir import OutputFolder
from autograder.results import SubmissionResult
from common import needs_sandbox
from demo_class import SUBMISSIONS, graded_demo


class BrokenWorkers(Executor):
    """Every task fails in the worker, as when the grader's own side is broken."""

    def submit(self, fn, *args, **kwargs):
        future = Future()
        future.set_exception(RuntimeError("the grader could not start a sandbox (simulated)"))
        return future


def test_a_run_where_every_submission_failed_on_the_graders_side_says_why(tmp_path, capsys):
    run = pipeline.grade_class(SUBMISSIONS, tmp_path, executor=BrokenWorkers(), progress=False)
    err = capsys.readouterr().err
    assert re.match(r"all \d+ submissions failed on the grader's side", run.failure or ""), run.failure
    assert f"all {len(run.results)} " in run.failure
    assert "could not start a sandbox (simulated)" in run.failure
    assert [line for line in err.splitlines() if line.startswith("error:")] == [f"error: {run.failure}"]


def test_the_command_exits_non_zero_when_every_submission_failed(tmp_path, monkeypatch, capsys):
    if sandbox.unavailable():
        pytest.skip(sandbox.unavailable())
    monkeypatch.setattr(pipeline, "default_executor", lambda workers: BrokenWorkers())
    code = cli.main(["grade", str(SUBMISSIONS), "--out", str(tmp_path), "--no-progress"])
    assert code == 1 and re.search(r"^error: all \d+ submissions failed", capsys.readouterr().err, re.M)


def test_one_failure_among_graded_submissions_is_not_a_failed_run():
    results = [SubmissionResult("s1", "a", "a"), SubmissionResult("s2", "a", "b", status="grader-error", detail="x")]
    assert pipeline.grader_failure(results) is None
    assert pipeline.grader_failure([results[1]]).endswith(": x")
    assert pipeline.grader_failure([SubmissionResult("s3", "a", None, status="invalid-json")]) is None


@needs_sandbox
def test_console_and_class_report_count_the_same_submissions_as_needing_a_ta(tmp_path_factory):
    out = graded_demo(tmp_path_factory)
    results = OutputFolder(out).load_results()
    console = int(re.search(r"(\d+) need a TA", report.summary({"01_perceptron": src.load("01_perceptron")}, results, [])).group(1))
    page = class_report.summarize(src.load("01_perceptron"), results)
    assert console == page["totals"]["needs_attention"] == sum(r.needs_ta() for r in results)
    assert console >= 3          # the demo's tampering, bad JSON and endless loop at least
