"""The grading pipeline: collect -> normalize -> execute -> judge -> record -> report.

``grade_class`` is the coordinator. Workers (``execute.grade_submission``) run in any
``concurrent.futures.Executor`` — by default a local process pool with one worker per core,
or Dask workers when a scheduler is given (``cluster.py``).
Only this process writes the gradebook, the results and the reports. A submission is done
when its result file (``results/<assignment>/<student>.json``) is written, after the
gradebook; an interrupted run resumes from there, and ``force`` regrades everything.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import warnings
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from pathlib import Path

from . import cluster
from . import collect as collect_mod
from . import class_report, record, report
from . import source as src
from .execute import Options, Task, grade_submission

RESULT_VERSION = 1
# a task is given to a rebuilt local pool at most this many times in all (each time a worker
# died while it was pending: the one that killed it, or one queued behind it)
MAX_ATTEMPTS = 3


def _digest(path: Path | None) -> str:
    if path is None:
        return "missing"
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _result_path(out: Path, student: str, assignment: str) -> Path:
    return record.inside(out / "results", assignment, f"{student}.json")


def _save_result(out: Path, result: dict) -> None:
    keep = {k: v for k, v in result.items() if k not in ("html", "autograded_nb", "feedback_nb")}
    path = _result_path(out, result["student"], result["assignment"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(keep, indent=1))
    os.replace(tmp, path)


def _finish(out: Path, result: dict, id_flags: dict | None = None) -> None:
    """record + report for one result; the result file is written last (the done marker)."""
    extra = (id_flags or {}).get((result["student"], result["assignment"]), [])
    result["flags"] = list(result.get("flags") or []) + [f for f in extra if f not in (result.get("flags") or [])]
    if result.get("cells"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # nbgrader's add_submission warns (SAWarning) in autograde too
            record.record(out, result)
        report.write_feedback(out, result)
    record.copy_submitted(out, result, collect_mod.MAX_MEMBER_BYTES)
    _save_result(out, result)


def _put_own_scripts_on_path() -> None:
    """nbgrader runs helper programs by name (alembic, for the gradebook): find them next to
    this Python even when its virtual environment is not activated."""
    scripts = os.path.dirname(sys.executable)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


def default_executor(workers: int) -> Executor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _lost(t: Task, detail: str) -> dict:
    return {"student": t.student, "assignment": t.assignment, "path": t.path, "status": "grader-error",
            "detail": detail, "notes": t.notes, "flags": [], "cells": []}


def run_all(pool: Executor, run_tasks: list, rebuild=None):
    """Grade ``run_tasks`` [(task, digest)] on ``pool``; yield (task, digest, result) as each
    finishes. ``rebuild()`` (the local pool) gives a new pool when a worker process died
    (``BrokenProcessPool``): the tasks it failed are submitted again, up to ``MAX_ATTEMPTS``
    times each, so one worker's death costs at most the submission that caused it."""
    attempts: dict[int, int] = {}
    pending = {}

    def submit(i):
        attempts[i] = attempts.get(i, 0) + 1
        pending[pool.submit(grade_submission, asdict(run_tasks[i][0]))] = i
    for i in range(len(run_tasks)):
        submit(i)
    try:
        while pending:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            broken = []
            for fut in finished:
                i = pending.pop(fut)
                t, digest = run_tasks[i]
                try:
                    result = fut.result()
                except BrokenProcessPool as e:
                    if rebuild is not None and attempts[i] < MAX_ATTEMPTS:
                        broken.append(i)
                        continue
                    result = _lost(t, f"a grading worker died {attempts[i]} times while this submission "
                                      f"was being graded or waiting ({e!r})"[:500])
                except Exception as e:  # noqa: BLE001  (a worker died: report, keep going)
                    status, detail = cluster.failure(e)
                    result = {**_lost(t, detail), "status": status}
                yield t, digest, result
            if broken:
                # every task of a broken pool fails with it: collect them all, then start over
                for fut in list(pending):
                    try:
                        fut.result()
                    except BaseException:  # noqa: BLE001
                        pass
                    i = pending.pop(fut)
                    if fut.exception() is None:
                        yield run_tasks[i][0], run_tasks[i][1], fut.result()
                    else:
                        broken.append(i)
                pool.shutdown(wait=False, cancel_futures=True)
                pool = rebuild()
                for i in broken:
                    if attempts[i] < MAX_ATTEMPTS:
                        submit(i)
                    else:
                        yield run_tasks[i][0], run_tasks[i][1], _lost(
                            run_tasks[i][0], f"a grading worker died {attempts[i]} times while this "
                                             "submission was being graded or waiting")
    except BaseException:       # interrupted (or closed early): do not wait for the rest
        if rebuild is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    if rebuild is not None:
        pool.shutdown(wait=True)


def grade_class(submissions: Path, out: Path, assignment: str | None = None, workers: int | None = None,
                force: bool = False, executor: Executor | None = None, options: Options | None = None,
                progress: bool = True, quiet: bool = False, scheduler: str | None = None) -> dict:
    """Grade every submission under ``submissions`` (folder or zip) into ``out``.

    ``scheduler`` (``tcp://HOST:PORT``): run the workers on that Dask cluster."""
    submissions, out = Path(submissions), Path(out)
    _put_own_scripts_on_path()
    out.mkdir(parents=True, exist_ok=True)
    record.write_config(out)
    wanted = [assignment] if assignment else None
    if assignment and assignment not in src.available():
        raise SystemExit(f"unknown assignment {assignment!r}; known: {', '.join(src.available())}")
    found, unmapped = collect_mod.collect(submissions, wanted, workdir=out)
    id_flags = {(f.student, f.assignment): f.flags for f in found if f.flags}
    opts = asdict(options or Options())
    # the catalogued mistakes' traces (diagnose.py) are computed once per run and kept for the
    # next: workers share this folder (Dask workers on other hosts use the same path on their
    # own disk when they can write it, else their memory)
    opts["trace_cache"] = opts["trace_cache"] or str(out.resolve() / "cache" / "mistake-traces")
    todo, skipped = [], 0
    for f in found:
        digest = _digest(f.path)
        rp = _result_path(out, f.student, f.assignment)
        if not force and rp.exists():
            try:
                old = json.loads(rp.read_text())
                if (old.get("digest") == digest and old.get("version") == RESULT_VERSION
                        and old.get("status") not in cluster.RETRY_STATUSES):
                    skipped += 1
                    continue
            except (OSError, json.JSONDecodeError):
                pass
        todo.append((f, digest))
    for a in sorted({f.assignment for f, _ in todo}):
        record.ensure_assignment(out, a)

    done = 0
    run_tasks = []
    for f, digest in todo:
        if f.status != "ok":
            _finish(out, {"student": f.student, "assignment": f.assignment, "path": None, "status": f.status,
                          "detail": f.detail or "no notebook in the submission folder", "notes": f.notes,
                          "flags": f.flags, "cells": [], "digest": digest, "version": RESULT_VERSION})
            done += 1
        else:
            run_tasks.append((Task(f.student, f.assignment, str(f.path), f.notes, opts), digest))
    own_pool = executor is None and run_tasks
    workers = workers or os.cpu_count() or 1
    if own_pool and scheduler:
        pool = cluster.ClusterExecutor(scheduler)
        if not quiet:
            print(f"grading on the Dask cluster at {scheduler} ({pool.workers()} workers now)", file=sys.stderr)
    else:
        pool = default_executor(min(workers, len(run_tasks))) if own_pool else executor
    rebuild = None
    if own_pool and not scheduler:
        def rebuild():
            if not quiet:
                print("a grading worker died; starting a new pool for the submissions it held", file=sys.stderr)
            return default_executor(min(workers, len(run_tasks)))
    bar = None
    if progress and run_tasks:
        from tqdm import tqdm
        bar = tqdm(total=len(run_tasks), desc="grading", unit="nb", file=sys.stderr)
    try:
        if run_tasks:
            for t, digest, result in run_all(pool, run_tasks, rebuild):
                result["digest"], result["version"] = digest, RESULT_VERSION
                _finish(out, result, id_flags)
                done += 1
                if bar:
                    bar.update(1)
                    bar.set_postfix_str(f"{t.student}/{t.assignment}: {result['status']}")
    except KeyboardInterrupt:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        print(f"\ninterrupted: {done} submissions recorded; run the same command again to resume.",
              file=sys.stderr)
        raise
    finally:
        if bar:
            bar.close()
        if own_pool and rebuild is None:
            pool.shutdown(wait=True)      # run_all shuts down the pools it rebuilds
    results = [r for r in report.load_results(out) if not wanted or r["assignment"] in wanted]
    um = [{"path": str(u.path), "reason": u.reason} for u in unmapped]
    csv_path = report.write_csv(out, results, um)
    pages = class_report.write(out, results)
    text = report.summary(results, um)
    failure = grader_failure([r for r in results if r["status"] != "missing-notebook"])
    if not quiet:
        if failure:
            print(f"error: {failure}", file=sys.stderr)
        print(text)
        print(f"\ngrade sheet: {csv_path}\nfeedback:    {out / 'feedback'}\ngradebook:   {out / 'gradebook.db'}"
              + "".join(f"\nclass report: {p}" for p in pages)
              + (f"\n({skipped} already graded, skipped; --force regrades)" if skipped else ""))
    return {"results": results, "unmapped": um, "csv": csv_path, "summary": text, "graded": done,
            "skipped": skipped, "failure": failure}


def grader_failure(results: list[dict]) -> str | None:
    """One line saying why, when every submission that was run failed on the grader's side
    (the student could not have caused that: a broken sandbox, a missing package), else None."""
    ran = [r for r in results if r.get("path")]
    failed = [r for r in ran if r["status"] in cluster.RETRY_STATUSES]
    if not ran or len(failed) < len(ran):
        return None
    reasons = Counter((r.get("detail") or r["status"]).splitlines()[0] for r in failed)
    reason, n = reasons.most_common(1)[0]
    return (f"all {len(ran)} submissions failed on the grader's side, not the students': {reason}"
            + (f" (and {len(reasons) - 1} other reasons)" if len(reasons) > 1 else ""))
