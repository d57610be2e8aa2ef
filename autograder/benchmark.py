"""Benchmark: plain serial ``nbgrader autograde`` against the pipeline, in the same run.

    python -m autograder.benchmark [--students 30] [--assignments 01_perceptron ...] [--workers N]

Builds a synthetic class (correct, partial, blank and broken submissions in turn) over
the assignments that have a released notebook, grades it with nbgrader's own autograde
(one process, one notebook after the other: the baseline) and with the pipeline, and
prints submissions per minute for both, their ratio, and the per-notebook overhead of
each over pure notebook execution (nbclient running the notebook nbgrader would run,
outside any sandbox). Timing only; nothing is asserted.
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

import nbformat

from . import source as src
from .demo import build

KINDS = ("correct", "partial", "blank", "broken")


def make_class(root: Path, students: int, assignments: list[str]) -> dict:
    kinds = {}
    for i in range(students):
        kind = KINDS[i % len(KINDS)]
        student = f"s{i:02d}_{kind}"
        kinds[student] = kind
        for a in assignments:
            nb = {"correct": lambda: build.filled(a), "partial": lambda: build.partial(a, 0.5, seed=i),
                  "blank": lambda: build.student_notebook(a), "broken": lambda: build.broken(a)}[kind]()
            build.write(nb, root / student / a / f"{src.load(a).notebook_id}.ipynb")
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
        times = []
        for kind in KINDS:
            student = next(p for p in sorted(submitted.iterdir()) if p.name.endswith(kind))
            n = normalize(student / a / f"{src.load(a).notebook_id}.ipynb", a)
            nb = n.feedback_nb
            tests = {src.meta(c)["grade_id"]: c.source for c in src.load(a).tests}
            for c in nb.cells:
                if src.meta(c).get("grade_id") in tests:
                    c.source = tests[src.meta(c)["grade_id"]]
            t0 = time.monotonic()
            NotebookClient(nb, timeout=600, allow_errors=True, kernel_name="python3").execute()
            times.append(time.monotonic() - t0)
        out[a] = statistics.mean(times)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.benchmark", description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--assignments", nargs="*",
                   help="default: every assignment with a released notebook in notebooks/")
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--keep", type=Path, help="keep the class and outputs in this folder")
    p.add_argument("--skip-nbgrader", action="store_true", help="only time the pipeline")
    p.add_argument("--skip-run-mode", action="store_true", help="do not time the --run-notebooks mode")
    args = p.parse_args(argv)
    assignments = args.assignments or [a for a in src.available()
                                       if (src.ROOT / "notebooks" / a / f"{src.load(a).notebook_id}.ipynb").exists()]
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

    from .pipeline import grade_class
    pure = pure_execution(submitted, assignments)
    print("pure notebook execution (nbclient, no sandbox), mean per submission: "
          + ", ".join(f"{a} {t:.1f} s" for a, t in pure.items()), flush=True)
    serial = None
    if not args.skip_nbgrader:
        serial = nbgrader_serial(submitted, work / "nbgrader-course", assignments)
        print(f"nbgrader autograde, serial:   {serial:7.1f} s", flush=True)
    from .execute import Options
    mean_pure = sum(pure[a] for a in assignments) / len(assignments)
    modes = [("pipeline (default)", Options())]
    if not args.skip_run_mode:
        modes.append(("pipeline --run-notebooks", Options(feedback_run=True)))
    timings = []
    for name, opts in modes:
        t0 = time.monotonic()
        run = grade_class(submitted, work / "pipeline-out", workers=args.workers, force=True, quiet=True,
                          options=opts)
        timings.append((name, time.monotonic() - t0, run))
        print(f"{name}, {args.workers} workers: {timings[-1][1]:7.1f} s", flush=True)
    print()
    rows = [(name, secs) for name, secs, _ in timings] + ([("nbgrader autograde serial", serial)] if serial else [])
    for name, secs in rows:
        print(f"{name:<28} {n / secs * 60:7.1f} submissions/min   {secs / n:6.2f} s wall per submission")
    if serial:
        for name, secs, _ in timings:
            print(f"ratio {name} / nbgrader serial: {serial / secs:.2f}x")
    print(f"\nper notebook (means): pure execution {mean_pure:.2f} s"
          + (f"; nbgrader autograde {serial / n:.2f} s wall (overhead {serial / n - mean_pure:+.2f} s)" if serial else ""))
    for name, secs, run in timings:
        worker = [r["timing"] for r in run["results"] if r.get("timing", {}).get("total")]
        if worker:
            tot = statistics.mean(t["total"] for t in worker)
            parts = {k: statistics.mean(t.get(k, 0) for t in worker) for k in ("feedback_run", "judge", "html")}
            print(f"  {name}: worker time {tot:.2f} s per notebook (overhead over pure execution "
                  f"{tot - mean_pure:+.2f} s; " + ", ".join(f"{k} {v:.2f} s" for k, v in parts.items() if v)
                  + f"); {secs * args.workers / n:.2f} worker-seconds of wall per notebook")
    print(f"\noutputs in {work}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
