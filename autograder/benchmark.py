"""Benchmark: plain serial ``nbgrader autograde`` against the pipeline, in the same run.

    python -m autograder.benchmark [--students 30] [--assignments 01_perceptron ...] [--workers N]
                                   [--cluster] [--diagnosis] [--rounds N]

Builds a synthetic class (correct, partial, blank and broken submissions and ones with a
catalogued mistake, in turn) over the assignments that have a released notebook, grades it with nbgrader's own autograde
(one process, one notebook after the other: the baseline) and with the pipeline, and
prints submissions per minute for both, their ratio, and the per-notebook overhead of
each over pure notebook execution (nbclient running the notebook nbgrader would run,
outside any sandbox). ``--cluster`` also grades the class through a Dask scheduler on
loopback with as many single-threaded worker processes as ``--workers`` (what
``--scheduler`` does on a real cluster) and prints the cluster path's overhead per
submission over the local pool. ``--diagnosis`` also grades it with ``--no-diagnosis`` and
prints what naming known mistakes costs. Timing only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import source as src
from .demo import build

KINDS = ("correct", "partial", "blank", "broken", "mistake")


def _mistake(assignment: str, i: int):
    """The reference answers with one catalogued mistake (the i-th, cycling)."""
    from .diagnose import catalogue
    mistakes = catalogue(src.load(assignment))
    if not mistakes:
        return build.partial(assignment, 0.5, seed=i)
    m = mistakes[i % len(mistakes)]
    return build.filled(assignment, {m.exercise: m.code})


def make_class(root: Path, students: int, assignments: list[str]) -> dict:
    kinds = {}
    for i in range(students):
        kind = KINDS[i % len(KINDS)]
        student = f"s{i:02d}_{kind}"
        kinds[student] = kind
        for a in assignments:
            nb = {"correct": lambda: build.filled(a), "partial": lambda: build.partial(a, 0.5, seed=i),
                  "blank": lambda: build.student_notebook(a), "broken": lambda: build.broken(a),
                  "mistake": lambda: _mistake(a, i // len(KINDS))}[kind]()
            build.write(nb, root / student / a / src.load(a).file_name(".ipynb"))
    return kinds


def nbgrader_serial(submitted: Path, course: Path, assignments: list[str]) -> float:
    """Seconds for `nbgrader autograde` of every assignment, serially (after setup)."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "exchange").mkdir(exist_ok=True)
    common = [f"--CourseDirectory.root={course}", f"--CourseDirectory.source_directory={src.SOLUTIONS}",
              "--CourseDirectory.release_directory=release",
              f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}", f"--Exchange.root={course / 'exchange'}"]
    cwd = src.ROOT / "autograder"
    for a in assignments:
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", a, "--force", *common],
                       cwd=cwd, check=True, capture_output=True)
    shutil.copytree(submitted, course / "submitted", dirs_exist_ok=True)
    t0 = time.monotonic()
    for a in assignments:
        proc = subprocess.run([sys.executable, "-m", "nbgrader", "autograde", a, "--force", *common],
                              cwd=cwd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(proc.stdout[-2000:], proc.stderr[-2000:], file=sys.stderr)
    return time.monotonic() - t0


def pure_execution(submitted: Path, assignments: list[str], per_kind: int = 1) -> dict[str, float]:
    """Mean seconds to execute a submission (test cells restored, hidden tests included:
    what nbgrader runs) with nbclient, no sandbox, per assignment."""
    from nbclient import NotebookClient

    from .normalize import normalize
    out = {}
    for a in assignments:
        asg, times = src.load(a), []
        for kind in KINDS:
            student = next(p for p in sorted(submitted.iterdir()) if p.name.endswith(kind))
            n = normalize(student / a / asg.file_name(".ipynb"), asg)
            nb = n.feedback_nb
            tests = {src.meta(c)["grade_id"]: c.source for c in asg.tests}
            for c in nb.cells:
                if src.meta(c).get("grade_id") in tests:
                    c.source = tests[src.meta(c)["grade_id"]]
            t0 = time.monotonic()
            NotebookClient(nb, timeout=600, allow_errors=True, kernel_name="python3").execute()
            times.append(time.monotonic() - t0)
        out[a] = statistics.mean(times)
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder.benchmark", description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--assignments", nargs="*",
                   help="default: every assignment with a released notebook in notebooks/")
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--keep", type=Path, help="keep the class and outputs in this folder")
    p.add_argument("--skip-nbgrader", action="store_true", help="only time the pipeline")
    p.add_argument("--skip-run-mode", action="store_true", help="do not time the --run-notebooks mode")
    p.add_argument("--cluster", action="store_true",
                   help="also grade through a loopback Dask scheduler with --workers worker processes")
    p.add_argument("--diagnosis", action="store_true",
                   help="also grade with --no-diagnosis and print what naming known mistakes costs")
    p.add_argument("--rounds", type=int, default=1,
                   help="time each pipeline mode this many times, in turn, and keep the fastest (noisy machines)")
    return p


def _modes(args) -> list[tuple[str, object, str | None]]:
    """(name, Options, scheduler) of every pipeline mode to time."""
    from .worker import Options
    modes = [("pipeline (default)", Options(), None)]
    if not args.skip_run_mode:
        modes.append(("pipeline --run-notebooks", Options(feedback_run=True), None))
    if args.diagnosis:
        modes.append(("pipeline --no-diagnosis", Options(diagnose=False), None))
    return modes


def _time_modes(modes, submitted: Path, work: Path, args) -> dict:
    """name -> (name, seconds, ClassRun) of each mode's fastest of ``args.rounds`` runs."""
    from .pipeline import grade_class
    best = {}
    for _ in range(args.rounds):
        for name, opts, scheduler in modes:
            if scheduler:
                # fresh worker processes, like the local pool's: warm ones keep per-process
                # caches (imports, the HTML exporter, the assignment's source) between runs
                from distributed import Client
                with Client(scheduler, set_as_default=False) as client:
                    client.restart()
            shutil.rmtree(work / "pipeline-out" / "cache", ignore_errors=True)   # cold, like a first run
            t0 = time.monotonic()
            run = grade_class(submitted, work / "pipeline-out", workers=args.workers, force=True, quiet=True,
                              options=opts, scheduler=scheduler, progress=False,
                              insecure=True)   # its own loopback LocalCluster, gone after the run
            secs = time.monotonic() - t0
            print(f"{name}, {args.workers} workers: {secs:7.1f} s", flush=True)
            if name not in best or secs < best[name][1]:
                best[name] = (name, secs, run)
    return best


def _mean_timing(run, key: str) -> float:
    """Mean of one worker timing (``SubmissionResult.timing[key]``) over the submissions that have it."""
    values = [r.timing[key] for r in run.results if r.timing.get(key)]
    return statistics.mean(values) if values else 0.0


def _print_throughput(timings, serial, n: int, mean_pure: float, workers: int) -> None:
    rows = [(name, secs) for name, secs, _ in timings] + ([("nbgrader autograde serial", serial)] if serial else [])
    for name, secs in rows:
        print(f"{name:<28} {n / secs * 60:7.1f} submissions/min   {secs / n:6.2f} s wall per submission")
    if serial:
        for name, secs, _ in timings:
            print(f"ratio {name} / nbgrader serial: {serial / secs:.2f}x")
    print(f"\nper notebook (means): pure execution {mean_pure:.2f} s"
          + (f"; nbgrader autograde {serial / n:.2f} s wall (overhead {serial / n - mean_pure:+.2f} s)" if serial else ""))
    for name, secs, run in timings:
        tot = _mean_timing(run, "total")
        if tot:
            parts = {k: _mean_timing(run, k) for k in ("feedback_run", "judge", "html")}
            print(f"  {name}: worker time {tot:.2f} s per notebook (overhead over pure execution "
                  f"{tot - mean_pure:+.2f} s; " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items() if v)
                  + f"); {secs * workers / n:.2f} worker-seconds of wall per notebook")


def _print_diagnosis_cost(with_d, without, n: int) -> None:
    (_, with_secs, with_run), (_, without_secs, without_run) = with_d, without
    named = sum(bool(c.diagnosis) for r in with_run.results for c in r.cells)
    print(f"\nnaming known mistakes ({named} failed checks named): {(with_secs - without_secs) / n:+.2f} s wall per "
          f"submission ({with_secs / without_secs - 1:+.1%}); judge {_mean_timing(with_run, 'judge'):.2f} s with, "
          f"{_mean_timing(without_run, 'judge'):.2f} s without, per submission")


def _print_cluster_cost(local_mode, remote_mode, n: int, workers: int) -> None:
    (_, local, local_run), (_, remote, remote_run) = local_mode, remote_mode
    local_worker, remote_worker = _mean_timing(local_run, "total"), _mean_timing(remote_run, "total")
    print(f"\ncluster path (Dask, loopback, {workers} workers) over the local pool: "
          f"{(remote - local) / n:+.2f} s wall per submission ({remote / local - 1:+.1%}); "
          f"worker time per submission {local_worker:.2f} s local, {remote_worker:.2f} s on Dask; "
          f"wall not spent grading (dispatch, transfer, recording), per submission: "
          f"{local * workers / n - local_worker:.2f} s local, {remote * workers / n - remote_worker:.2f} s on Dask")


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    assignments = args.assignments or [a for a in src.available()
                                       if (src.ROOT / "notebooks" / a / src.load(a).file_name(".ipynb")).exists()]
    work = args.keep or Path(tempfile.mkdtemp(prefix="autograder-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    submitted = work / "class"
    if submitted.exists():
        shutil.rmtree(submitted)
    make_class(submitted, args.students, assignments)
    n = args.students * len(assignments)
    print(f"synthetic class: {args.students} students x {len(assignments)} assignments "
          f"({', '.join(assignments)}) = {n} submissions; kinds: {', '.join(KINDS)} in turn; "
          f"{os.cpu_count()} cores, {args.workers} workers\n", flush=True)
    pure = pure_execution(submitted, assignments)
    print("pure notebook execution (nbclient, no sandbox), mean per submission: "
          + ", ".join(f"{a} {t:.1f} s" for a, t in pure.items()), flush=True)
    serial = None
    if not args.skip_nbgrader:
        serial = nbgrader_serial(submitted, work / "nbgrader-course", assignments)
        print(f"nbgrader autograde, serial:   {serial:7.1f} s", flush=True)
    modes, dask_cluster = _modes(args), None
    if args.cluster:
        from distributed import LocalCluster
        dask_cluster = LocalCluster(host="127.0.0.1", n_workers=args.workers, threads_per_worker=1,
                                    processes=True, dashboard_address=None)
        modes.append(("pipeline on Dask (loopback)", modes[0][1], dask_cluster.scheduler_address))
    try:
        best = _time_modes(modes, submitted, work, args)
    finally:
        if dask_cluster is not None:
            dask_cluster.close()
    print()
    timings = [best[name] for name, _, _ in modes]
    _print_throughput(timings, serial, n, sum(pure[a] for a in assignments) / len(assignments), args.workers)
    if args.diagnosis:
        _print_diagnosis_cost(timings[0], best["pipeline --no-diagnosis"], n)
    if dask_cluster is not None:
        _print_cluster_cost(timings[0], best["pipeline on Dask (loopback)"], n, args.workers)
    print(f"\noutputs in {work}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
