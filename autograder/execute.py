"""execute: grade one submission in this process (normalize, flags, judge with diagnosis,
feedback).

``grade(task, opts, wall_seconds)`` is the grading sequence itself; it forks nothing and
sets no limits, so a test or a debugger can run it in-process. A worker runs it in a child
with the grader's limits (``worker.grade_limited``). Untrusted code runs only inside the
sandbox: as the judge's interpreter, and once for the feedback notebook if asked
(``feedback.FeedbackRun``: hidden tests removed, so they can never be printed).
"""
from __future__ import annotations

import dataclasses
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from . import diagnose, feedback, flags, judge, normalize
from . import results as res
from .results import SubmissionResult

if TYPE_CHECKING:
    from .worker import Options, Task


def grade(task: Task, opts: Options, wall_seconds: float) -> SubmissionResult:
    """normalize, scan, feedback run, judge, diagnose, render: one submission. Never raises:
    problems come back as a status; ``wall_seconds`` is the judge's sandbox's wall-clock
    limit (the submission's budget, ``budget.py``)."""
    t0 = time.monotonic()
    out = task.empty_result()
    try:
        n = normalize.normalize(Path(task.path), task.assignment)
        out.notes += n.notes
        if n.status != res.READY:
            out.status, out.detail = n.status, n.detail
            return out
        out.flags = flags.scan(n.student_code)
        _judge_and_render(task, opts, wall_seconds, n, out)
    except MemoryError:
        out = out.with_status(res.GRADER_MEMORY, opts.memory_detail())
    except Exception as e:  # noqa: BLE001  (a pipeline bug must not lose the rest of the class)
        out.status, out.detail = res.GRADER_ERROR, f"{type(e).__name__}: {e}"
        out.traceback = traceback.format_exc()[-4000:]
    out.timing["total"] = time.monotonic() - t0
    return out


def judge_answers(task: Task, opts: Options, wall_seconds: float, answers: dict[str, str]) -> judge.JudgeReport:
    """The judge's report on the student's ``answers``, failed checks diagnosed if asked."""
    limits = dataclasses.replace(opts.limits(opts.test_timeout + 60), wall_seconds=wall_seconds)
    diagnosis = diagnose.Diagnosis(task.assignment, opts.trace_cache) if opts.diagnose else None
    return judge.Judge(task.assignment, answers, limits, call_timeout=opts.call_timeout,
                       cell_timeout=opts.test_timeout, exec_timeout=opts.exec_timeout,
                       diagnosis=diagnosis).run()


def _judge_and_render(task: Task, opts: Options, wall_seconds: float, n: normalize.Normalized,
                      out: SubmissionResult) -> None:
    """Judge the normalized notebook (the feedback run, if asked, alongside) and fill ``out``
    with its checks and its feedback documents."""
    executed, run_status = None, res.RUN_SKIPPED
    run = feedback.FeedbackRun(n.feedback_nb, opts) if opts.feedback_run else None
    try:
        rep = judge_answers(task, opts, wall_seconds, n.answers)
    finally:
        if run is not None:
            executed, run_status = run.finish(out)
    out.timing["judge"] = rep.seconds
    out.cells = list(rep.cells)
    out.setup_errors = list(rep.setup_errors)
    out.notes += [f"{g}: {m}" for g, m in rep.setup_errors]
    if any(c.status == res.CELL_GRADER_ERROR for c in rep.cells):
        out.status = res.NEEDS_REVIEW
    feedback.write_documents(out, executed, n.feedback_nb, rep, run_status, opts.html)
