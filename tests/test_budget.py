"""One wall-clock budget per submission for all of its steps (autograder/budget.py).

A submission whose every answer cell sleeps just under its own limit would otherwise keep a
worker for the sum of all step limits; with the budget it is stopped once the budget is
spent, says so in its status, and an honest student graded next to it gets full marks."""
from __future__ import annotations

import json

import pytest

from autograder import budget
from autograder import results as res
from autograder import source as src
from autograder.demo import build
from autograder.pipeline import grade_class
from autograder.worker import Options
from common import FAST_TIMEOUTS, needs_sandbox, read_csv

A = "01_perceptron"


def test_the_budget_is_a_multiple_of_the_reference_time_with_a_floor(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_CACHE", str(tmp_path))
    monkeypatch.setattr(budget, "_measured", {})
    calls = []

    def measure(assignment, opts):
        calls.append(assignment.id)
        return 42.0
    opts, a = Options(), src.load(A)
    assert budget.reference_seconds(a, opts, measure) == 42.0
    monkeypatch.setattr(budget, "_measured", {})          # a new worker process: read from disk
    assert budget.reference_seconds(a, opts, lambda a, o: pytest.fail("measured twice")) == 42.0
    assert calls == [A]
    b = budget.for_submission(a, opts)
    assert b.seconds == max(budget.FLOOR, budget.FACTOR * 42.0) == 420.0
    assert "10 x the reference solution's 42.0 s" in b.exceeded()
    assert budget.for_submission(a, Options(budget_factor=1.0)).seconds == budget.FLOOR
    assert budget.for_submission(a, Options(grader_wall_seconds=33)).seconds == 33
    # the bound it replaces: the sum of every step's limit, hours for one notebook
    assert budget.step_limits(a, opts) > 10 * b.seconds


def _sleeper(per_cell: float) -> dict[str, str]:
    """Every answer of the reference, each cell also sleeping just under the definition limit."""
    return {gid: code + f"\nimport time as _t\n_t.sleep({per_cell})\n"
            for gid, code in src.load(A).reference_answers.items()}


@needs_sandbox
def test_a_submission_that_only_sleeps_is_stopped_by_its_budget(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOGRADER_CACHE", str(tmp_path / "cache"))
    sub = tmp_path / "class"
    sub.mkdir()
    build.write(build.filled(A), sub / f"honest_{A}.ipynb")
    build.write(build.filled(A, _sleeper(FAST_TIMEOUTS["exec_timeout"] - 1)), sub / f"sleepy_{A}.ipynb")
    opts = Options(**FAST_TIMEOUTS, budget_factor=3.0, budget_floor=30.0)
    run = grade_class(sub, tmp_path / "out", workers=2, options=opts, progress=False, quiet=True)
    by = {r.student: r for r in run.results}
    assert by["honest"].status == res.GRADED
    assert sum(c.score for c in by["honest"].cells) == sum(c.points for c in by["honest"].cells) > 0
    sleepy = by["sleepy"]
    assert sleepy.status == res.TIME_BUDGET, (sleepy.status, sleepy.detail)
    assert "time budget" in sleepy.detail and "x the reference solution's" in sleepy.detail
    seconds = float(sleepy.detail.split("more than ")[1].split(" s")[0])
    assert seconds == max(30.0, 3.0 * json.loads(next((tmp_path / "cache").rglob("*.json")).read_text())["seconds"])
    rows = {r["student"]: r for r in read_csv(tmp_path / "out" / "grade_sheet.csv")}
    assert rows["sleepy"]["status"] == "time-budget" and rows["honest"]["status"] == "graded"
    sheet = (tmp_path / "out" / "grade_sheet.csv").read_text()
    again = grade_class(sub, tmp_path / "out", workers=2, options=opts, progress=False, quiet=True)
    assert again.graded == 0 and (tmp_path / "out" / "grade_sheet.csv").read_text() == sheet
