"""The grading pipeline: collect -> normalize -> execute -> judge -> record -> report.

``grade_class`` is the coordinator. Workers (``worker.grade_submission``) run in any
``concurrent.futures.Executor`` — by default a local process pool with one worker per core,
or Dask workers when a scheduler is given (``cluster.py``).
Only this process writes the gradebook, the results and the reports. A submission is done
when its result file (``results/<assignment>/<student>.json``) is written, after the
gradebook; an interrupted run resumes from there, and ``force`` regrades everything.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import sys
import traceback
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path

from . import cgroups, cluster, cluster_tls, diagnose
from . import collect as collect_mod
from . import class_report, record, report
from . import results as res
from . import source as src
from . import text
from .errors import GradingError
from .outdir import OutputFolder, digest
from .results import SubmissionResult
from .sanitize import printable
from .worker import Options, Task, grade_submission

# a task is given to a rebuilt local pool at most this many times in all (each time a worker
# died while it was pending: the one that killed it, or one queued behind it)
MAX_ATTEMPTS = 3


@dataclass
class ClassRun:
    """What ``grade_class`` did: every result of the assignment(s) now in the output folder
    (graded in this run or before), the files it could not map to a student, and where
    the grade sheet is."""
    results: list[SubmissionResult]
    unmapped: list[collect_mod.Unmapped]
    csv: Path
    summary: str                   # the console summary
    graded: int                    # submissions graded in this run
    skipped: int                   # already graded for the same bytes (--force regrades)
    failure: str | None            # grader_failure(): every submission failed on the grader's side
    pages: list[Path] = field(default_factory=list)   # the class report's pages


def _finish(out: OutputFolder, a: src.Assignment, result: SubmissionResult,
            id_flags: dict | None = None) -> SubmissionResult:
    """record + report for one result of ``a``; the result file is written last (the done marker).

    Guarded: whatever one submission's data makes fail here (the gradebook, a page, the
    copy) makes that submission a ``grader-error`` with the reason, never the run fail; its
    text is made valid first (``text.deep``), the file is read from its path as found."""
    raw_path = result.path
    result = valid_text(result)
    if result.status in res.RETRY and result.cells:     # failed after scoring: graded again, so recorded as nothing
        result = result.with_status(result.status, result.detail)
    result.add_flags((id_flags or {}).get((result.student, result.assignment), []))
    try:
        _record(out, a, result, raw_path)
    except Exception as e:  # noqa: BLE001  (one submission's failure is its own row)
        result = result.with_status(res.GRADER_ERROR, f"recording failed: {type(e).__name__}: {e}"[:500])
        result.traceback = text.valid(traceback.format_exc())[-4000:]
        try:
            out.save_result(result)
        except Exception as e2:  # noqa: BLE001
            print(f"error: the result of {printable(result.student)}/{result.assignment} could not be saved: "
                  f"{printable(e2)}", file=sys.stderr)
    return result


def _record(out: OutputFolder, a: src.Assignment, result: SubmissionResult, raw_path: str | None) -> None:
    if result.graded:
        record.record(out, a, result)
        report.write_feedback(out, a, result)
        record.copy_exchange_files(out, a, dataclasses.replace(result, path=raw_path))
    record.copy_submitted(out, a, dataclasses.replace(result, path=raw_path), collect_mod.MAX_MEMBER_BYTES)
    out.save_result(result)


def valid_text(result: SubmissionResult) -> SubmissionResult:
    """``result`` with every string valid Unicode (``text.deep``): its JSON and the
    documents it carries."""
    clean = SubmissionResult.from_json(text.deep(result.to_json()))
    for k in SubmissionResult.TRANSIENT:
        value = getattr(result, k)
        setattr(clean, k, text.valid(value) if isinstance(value, str) else value)
    return clean


def _put_own_scripts_on_path() -> None:
    """nbgrader runs helper programs by name (alembic, for the gradebook): find them next to
    this Python even when its virtual environment is not activated."""
    scripts = os.path.dirname(sys.executable)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def default_executor(workers: int) -> Executor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _lost(t: Task, detail: str, status: str = res.GRADER_ERROR) -> SubmissionResult:
    return SubmissionResult(t.student, t.assignment.id, t.path, status=status, detail=detail, notes=list(t.notes))


def _broke(fut) -> bool:
    """The future failed because its local pool broke (a worker process died)."""
    return not fut.cancelled() and isinstance(fut.exception(), BrokenProcessPool)


def _outcome(fut, t: Task, attempts: int, can_retry: bool) -> SubmissionResult | None:
    """What a finished future gives: its result; a status for a worker that died or a task
    that failed (``cluster.failure``); None when a broken local pool should run it again."""
    try:
        return fut.result()
    except BrokenProcessPool as e:
        if can_retry and attempts < MAX_ATTEMPTS:
            return None
        return _lost(t, f"a grading worker died {attempts} times while this submission "
                        f"was being graded or waiting ({e!r})"[:500])
    except Exception as e:  # noqa: BLE001  (a worker died: report, keep going)
        status, detail = cluster.failure(e)
        return _lost(t, detail, status)


def run_all(pool: Executor, run_tasks: list, rebuild=None, fn=grade_submission):
    """Grade ``run_tasks`` [(task, digest)] on ``pool`` (``fn(task as a dict)`` per task); yield (task, digest, result) as each
    finishes. ``rebuild()`` (the local pool) gives a new pool when a worker process died
    (``BrokenProcessPool``): the tasks it failed are submitted again, up to ``MAX_ATTEMPTS``
    times each, so one worker's death costs at most the submission that caused it.
    Every outcome goes through ``_outcome``; the pools made here are shut down in one place."""
    attempts: Counter[int] = Counter()
    pending = {}

    def submit(i):
        attempts[i] += 1
        pending[pool.submit(fn, run_tasks[i][0].to_dict())] = i
    for i in range(len(run_tasks)):
        submit(i)
    completed = False
    try:
        while pending:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            if rebuild is not None and any(_broke(f) for f in finished):
                finished = list(pending)        # a broken pool fails every task it holds: take them all
                wait(finished)
            retry = []
            for fut in finished:
                i = pending.pop(fut)
                result = _outcome(fut, run_tasks[i][0], attempts[i], rebuild is not None)
                if result is None:
                    retry.append(i)
                else:
                    yield run_tasks[i][0], run_tasks[i][1], result
            if retry:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = rebuild()
                for i in retry:
                    submit(i)
        completed = True
    finally:               # interrupted (or closed early): do not wait for the rest
        if rebuild is not None:
            pool.shutdown(wait=completed, cancel_futures=not completed)


def grade_class(submissions: Path, out: Path, assignment: str | None = None, workers: int | None = None,
                force: bool = False, executor: Executor | None = None, options: Options | None = None,
                progress: bool = True, quiet: bool = False, scheduler: str | None = None,
                tls: str | None = None, insecure: bool = False) -> ClassRun:
    """Grade every submission under ``submissions`` (folder or zip) into the output folder ``out``.

    ``scheduler`` (``tls://HOST:PORT``): run the workers on that Dask cluster, with the
    certificates in the folder ``tls``; ``insecure``: accept a ``tcp://`` one (``cluster_tls``)."""
    if scheduler:       # before anything is written: a refused scheduler changes nothing
        cluster_tls.check(scheduler, cluster_tls.folder(tls), insecure)
    if not quiet:       # the first line of a run: which sandbox limits are in force here
        print(cgroups.describe((options or Options()).limits((options or Options()).test_timeout)) if not scheduler
              else "sandbox limits: set by each Dask worker for its own machine", file=sys.stderr)
    submissions, folder = Path(submissions), OutputFolder(out).create()
    _put_own_scripts_on_path()
    record.write_config(folder)
    wanted = [assignment] if assignment else None
    if assignment and assignment not in src.available():
        raise GradingError(f"unknown assignment {assignment!r}; known: {', '.join(src.available())}")
    course = load_course(wanted or src.available())     # each assignment loaded once, handed to every stage
    found, unmapped = collect_mod.collect(submissions, course, out=folder)
    id_flags = {(f.student, f.assignment): f.flags for f in found if f.flags}
    todo, skipped = _to_grade(folder, found, force)
    for a in sorted({f.assignment for f, _ in todo}):
        record.ensure_assignment(folder, course[a])
    done = 0
    for f, file_digest in todo:
        if f.status != res.READY:      # nothing to run: collect found no gradable notebook
            _finish(folder, course[f.assignment],
                    SubmissionResult(f.student, f.assignment, None, status=f.status,
                                     detail=f.detail or "no notebook in the submission folder",
                                     notes=list(f.notes), flags=list(f.flags), digest=file_digest))
            done += 1
    opts = asdict(options or Options())
    # the catalogued mistakes' traces (diagnose.py) are computed once per run and kept for the
    # next: workers share this folder (Dask workers on other hosts use the same path on their
    # own disk when they can write it, else their memory)
    opts["trace_cache"] = opts["trace_cache"] or str(folder.trace_cache)
    # each task carries its assignment and catalogue, read once here: workers read no solutions/
    catalogues = {a: diagnose.catalogue(course[a]) if opts["diagnose"] else None for a in course}
    run_tasks = [(Task(f.student, course[f.assignment], str(f.path), f.notes, opts, catalogues[f.assignment]), d)
                 for f, d in todo if f.status == res.READY]
    if run_tasks:
        connect = (lambda: cluster.ClusterExecutor(scheduler, tls=tls, insecure=insecure)) if scheduler else None
        done += _grade_tasks(folder, run_tasks, id_flags, workers, executor, connect, progress, quiet)
    return _conclude(folder, course, wanted, unmapped, done, skipped, quiet)


def load_course(ids) -> dict[str, src.Assignment]:
    """{id: Assignment} of these assignment ids, sorted, each read once per process
    (``source.load``): the run's assignments, handed from here to every stage."""
    return {a: src.load(a) for a in sorted(set(ids))}


def _to_grade(out: OutputFolder, found: list, force: bool) -> tuple[list, int]:
    """[(found submission, digest)] not already graded for the same bytes, and how many were."""
    todo, skipped = [], 0
    for f in found:
        file_digest = digest(f.path)
        if not force and out.already_graded(f.student, f.assignment, file_digest):
            skipped += 1
        else:
            todo.append((f, file_digest))
    return todo, skipped


def _grade_tasks(out: OutputFolder, run_tasks: list, id_flags: dict, workers: int | None,
                 executor: Executor | None, connect, progress: bool, quiet: bool) -> int:
    """Run ``run_tasks`` [(task, digest)] on the given executor, a Dask cluster (``connect()``
    gives its executor) or a local pool of its own, and record each result as it comes;
    returns how many were recorded."""
    own_pool = executor is None
    workers = min(workers or os.cpu_count() or 1, len(run_tasks))

    def new_local_pool():
        if not quiet:
            print("a grading worker died; starting a new pool for the submissions it held", file=sys.stderr)
        return default_executor(workers)
    rebuild = None
    if own_pool and connect:
        pool = connect()
        if not quiet:
            print(f"grading on the Dask cluster at {pool.address} ({pool.workers()} workers now)", file=sys.stderr)
    elif own_pool:
        pool, rebuild = default_executor(workers), new_local_pool
    else:
        pool = executor
    done = 0
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(run_tasks), desc="grading", unit="nb", file=sys.stderr)
    try:
        for t, file_digest, result in run_all(pool, run_tasks, rebuild):
            result.digest, result.version = file_digest, res.VERSION
            _finish(out, t.assignment, result, id_flags)
            done += 1
            if bar:
                bar.update(1)
                bar.set_postfix_str(f"{t.student}/{t.assignment.id}: {result.status}")
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        print(f"\ninterrupted: {done} submissions recorded; run the same command again to resume.",
              file=sys.stderr)
        raise
    finally:
        if bar:
            bar.close()
        if own_pool and rebuild is None:
            pool.shutdown(wait=True)      # run_all shuts down the pools it rebuilds
    return done


def _conclude(out: OutputFolder, course: dict[str, src.Assignment], wanted: list[str] | None, unmapped: list,
              done: int, skipped: int, quiet: bool) -> ClassRun:
    """The grade sheet, the class report and the summary, from every saved result (of
    ``course``'s assignments, and of any other an earlier run left in the folder)."""
    results = [r for r in out.load_results() if not wanted or r.assignment in wanted]
    course = {**course, **load_course({r.assignment for r in results} - set(course))}
    csv_path = report.write_csv(out, course, results, unmapped)
    pages = class_report.write(out, course, results)
    text = report.summary(course, results, unmapped)
    failure = grader_failure([r for r in results if r.status != res.MISSING_NOTEBOOK])
    if not quiet:
        if failure:
            print(f"error: {failure}", file=sys.stderr)
        print(text)
        print(f"\ngrade sheet: {csv_path}\nfeedback:    {out.feedback_root}\ngradebook:   {out.gradebook}"
              + "".join(f"\nclass report: {p}" for p in pages)
              + (f"\n({skipped} already graded, skipped; --force regrades)" if skipped else ""))
    return ClassRun(results, unmapped, csv_path, text, done, skipped, failure, pages)


def grader_failure(results: list[SubmissionResult]) -> str | None:
    """One line saying why, when every submission that was run failed on the grader's side
    (the student could not have caused that: a broken sandbox, a missing package), else None."""
    ran = [r for r in results if r.path]
    failed = [r for r in ran if r.status in res.RETRY]
    if not ran or len(failed) < len(ran):
        return None
    reasons = Counter((r.detail or r.status).splitlines()[0] for r in failed)
    reason, n = reasons.most_common(1)[0]
    return (f"all {len(ran)} submissions failed on the grader's side, not the students': {reason}"
            + (f" (and {len(reasons) - 1} other reasons)" if len(reasons) > 1 else ""))
