"""pipeline.run_all, the coordinator's loop, on a real local process pool: every task comes
back exactly once, as a result or as a status, whatever its worker did (no sandbox needed)."""
import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor

from autograder import pipeline
from autograder import results as res
from autograder import source as src
from autograder.results import SubmissionResult
from autograder.worker import Task


def _grade(task: dict) -> SubmissionResult:
    """A stand-in worker: ``crash`` kills its process, ``boom`` raises, others are graded."""
    if task["student"] == "crash":
        os._exit(3)
    if task["student"] == "boom":
        raise ValueError("a bug on the worker's side")
    return SubmissionResult(task["student"], task["assignment"].id, task["path"])


def _pool():
    return ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn"))


def _tasks(names):
    return [(Task(n, src.load("01_perceptron"), f"/nowhere/{n}.ipynb"), f"digest-{n}") for n in names]


def test_a_worker_that_dies_is_retried_then_reported_and_the_rest_graded():
    names = ["ann", "bob", "cy", "dee", "boom", "crash"]   # a pool runs them in this order: the crash last
    rebuilt = []

    def rebuild():
        rebuilt.append(1)
        return _pool()
    got = {t.student: (d, r) for t, d, r in pipeline.run_all(_pool(), _tasks(names), rebuild, fn=_grade)}
    assert sorted(got) == sorted(names)                        # each exactly once (a dict would hide a twin)
    assert all(d == f"digest-{n}" for n, (d, _) in got.items())
    # a task still queued when the crash broke the pool shares its retries (MAX_ATTEMPTS): under
    # load it may be lost with it; it is never lost for another reason, and the others are graded
    innocents = [got[n][1] for n in ("ann", "bob", "cy", "dee")]
    assert all(r.status == res.GRADED or (r.status == res.GRADER_ERROR and "died" in r.detail) for r in innocents)
    assert any(r.status == res.GRADED for r in innocents)
    crash = got["crash"][1]
    assert crash.status == res.GRADER_ERROR and f"died {pipeline.MAX_ATTEMPTS} times" in crash.detail
    boom = got["boom"][1]      # its error, or lost beside the crash if it was still pending then
    assert boom.status == res.GRADER_ERROR and ("ValueError" in boom.detail or "died" in boom.detail)
    assert 1 <= len(rebuilt) <= pipeline.MAX_ATTEMPTS


def test_without_rebuild_a_broken_pool_is_reported_not_retried():
    pool = _pool()
    try:
        got = {t.student: r for t, _, r in pipeline.run_all(pool, _tasks(["crash"]), None, fn=_grade)}
    finally:
        pool.shutdown(wait=True)
    assert got["crash"].status == res.GRADER_ERROR and "died 1 times" in got["crash"].detail


def test_closing_the_loop_early_stops_the_pool_it_rebuilt():
    pools = []

    def rebuild():
        pools.append(_pool())
        return pools[-1]
    loop = pipeline.run_all(_pool(), _tasks(["crash", "ann", "bob", "cy"]), rebuild, fn=_grade)
    next(loop)
    loop.close()                                             # as a KeyboardInterrupt in the caller would
    for p in pools:
        try:
            p.submit(_grade, {"student": "x", "assignment": "a", "path": "p"})
        except RuntimeError:
            continue                                         # shut down: what we want
        raise AssertionError("a pool run_all made is still open after the loop was closed")


def _what_the_worker_loaded(task: dict) -> SubmissionResult:
    """A stand-in worker that runs the worker's own first steps on the task's assignment (the
    warm-up, the budget's bound, normalize) and says how often this process read a source."""
    from pathlib import Path

    from autograder import budget, normalize, worker
    t = worker.Task(**task)
    opts = worker.Options(html=False)
    worker.warm(t.assignment, opts)
    budget.step_limits(t.assignment, opts)
    n = normalize.normalize(Path(t.path), t.assignment)
    return t.empty_result().with_status(res.GRADED, f"{src.load.cache_info().misses} {n.status}")


def test_the_assignment_travels_whole_with_its_task_and_no_worker_reads_the_source():
    a = src.load("01_perceptron")
    task = Task("ann", a, "/nowhere/ann.ipynb")
    assert task.to_dict()["assignment"] is a                     # not taken apart (dataclasses.asdict would)
    back = pickle.loads(pickle.dumps(task.to_dict()))
    assert back["assignment"] == a and back["assignment"].test_points == a.test_points
    assert Task(**back).empty_result().assignment == "01_perceptron"
    pool = _pool()
    try:
        got = [r for _, _, r in pipeline.run_all(pool, _tasks(["ann", "bob"]), None, fn=_what_the_worker_loaded)]
    finally:
        pool.shutdown(wait=True)
    assert [r.detail for r in got] == [f"0 {res.UNREADABLE}"] * 2, [r.detail for r in got]
