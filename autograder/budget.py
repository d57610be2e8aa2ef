"""budget: one wall-clock budget per submission, for all of its steps together.

Each step has a limit of its own (a cell, a call, a test cell, the feedback run), and a
submission that sleeps just under every one of them would keep a worker for their sum: hours
for one notebook. So the worker gives each submission one budget for everything it makes
the grader do (normalize, judge, diagnosis, feedback run, rendering), sized from the
assignment itself:

    budget = max(FLOOR, FACTOR x the reference solution's own judge time)

(with ``--run-notebooks``, at least the feedback run's own limit plus a minute, since that
run goes on next to the judge). The reference time is measured once per machine and course
version, by judging the reference answers exactly as a submission is judged (no diagnosis),
and kept in memory and on disk (``cache_dir()``), so workers and later runs reuse it; workers
that need it at once measure it once (a lock file). ``Options.grader_wall_seconds`` replaces
the whole rule with a fixed number.

A submission over its budget is stopped: status ``time-budget``, and the detail says which
limit ended it and how it was sized.
"""
from __future__ import annotations

import fcntl
import json
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .source import Assignment

FACTOR = 10.0
FLOOR = 180.0

_measured: dict[str, float] = {}


@dataclass(frozen=True)
class Budget:
    """A submission's wall-clock seconds in all, and how they were sized."""
    seconds: float
    sized: str

    def exceeded(self) -> str:
        """The detail of a submission stopped by this budget."""
        return (f"stopped by the submission's time budget: all of its grading steps together took more than "
                f"{self.seconds:g} s of wall clock ({self.sized}); no single step's limit was reached first")


def cache_dir() -> Path:
    """Where measured reference times are kept: ``AUTOGRADER_CACHE``, else the user's cache folder."""
    given = os.environ.get("AUTOGRADER_CACHE")
    base = Path(given) if given else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "autograder"
    return base / "reference-times"


def _key(a: Assignment) -> str:
    """The reference's time depends on the course's source, the machine and the libraries."""
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for package in ("numpy", "torch"):
        try:
            versions.append(version(package))
        except PackageNotFoundError:
            versions.append("none")
    env = (f"{platform.node()}-{os.cpu_count()}-py{sys.version_info[0]}.{sys.version_info[1]}"
           f"-np{versions[0]}-torch{versions[1]}")
    return f"{a.id}-{a.digest}-{env}"


def reference_seconds(a: Assignment, opts, measure=None) -> float:
    """The reference solution's judge time on this machine for ``a`` (a ``source.Assignment``;
    measured once, by ``measure(a, opts)``: see the module docstring)."""
    key = _key(a)
    if key in _measured:
        return _measured[key]
    d = cache_dir()
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{key}.json"
    with open(d / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)         # another worker measuring: wait for its number
        seconds = _read(path)
        if seconds is None:
            seconds = (measure or _measure)(a, opts)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"seconds": seconds}))
            os.replace(tmp, path)
    _measured[key] = seconds
    return seconds


def _read(path: Path) -> float | None:
    try:
        seconds = float(json.loads(path.read_text())["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return seconds if 0 < seconds < 1e6 else None


def _measure(a: Assignment, opts) -> float:
    """Judge the reference answers as a submission is judged (no diagnosis): its seconds."""
    import dataclasses
    from . import execute, worker
    plain = dataclasses.replace(opts, diagnose=False)
    task = worker.Task("reference", a, "")
    t0 = time.monotonic()
    execute.judge_answers(task, plain, step_limits(a, plain), a.reference_answers)
    return time.monotonic() - t0


def step_limits(a: Assignment, opts) -> float:
    """The sum of the step limits a submission of ``a`` could use up one after another (the
    bound the budget replaces; the reference's own measurement runs under it)."""
    from . import source as src
    cells = [src.kind(c) for c in a.cells if c.cell_type == "code"]
    setup = sum(max(opts.exec_timeout, 120.0) if k == src.READONLY else opts.exec_timeout
                for k in cells if k in (src.READONLY, src.SOLUTION))
    return max(2 * len(a.test_points) * opts.test_timeout + 5 * setup, opts.notebook_timeout) + 120.0


def for_submission(a: Assignment, opts) -> Budget:
    """The budget of one submission of ``a`` (a ``source.Assignment``) graded with ``opts``
    (``worker.Options``)."""
    if opts.grader_wall_seconds:
        return Budget(float(opts.grader_wall_seconds), "set by the grader's options")
    try:
        ref = reference_seconds(a, opts)
    except Exception as e:  # noqa: BLE001  (no measurement: the old bound, said so)
        return Budget(step_limits(a, opts), f"the sum of the step limits: the reference solution "
                      f"could not be timed ({type(e).__name__}: {str(e)[:200]})")
    seconds = max(opts.budget_floor, opts.budget_factor * ref)
    sized = f"{opts.budget_factor:g} x the reference solution's {ref:.1f} s, at least {opts.budget_floor:g} s"
    if opts.feedback_run and seconds < opts.notebook_timeout + 60:
        seconds = opts.notebook_timeout + 60
        sized += f"; with the feedback run, its {opts.notebook_timeout:g} s limit plus 60 s"
    return Budget(seconds, sized)
