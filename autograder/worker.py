"""worker: what a worker process runs for one submission, and the only place that forks and
sets limits on the trusted side.

``grade_submission(task)`` is what a worker runs; it takes and returns plain data, so any
``concurrent.futures.Executor`` (a local process pool; Dask's client on a cluster) can run
it. The trusted work on one submission (``execute.grade``: scan, normalize, judge, diagnose,
render) runs in a child process forked from the worker, with an address-space and a
CPU-time limit and a wall-clock budget for all of its steps (``budget.py``). A submission
that makes the grader itself too slow or too large costs only its own grade: its status is
``time-budget``, ``grader-timeout`` or ``grader-memory`` and the worker goes on with the next one. What
every child would load again is loaded once in the worker first (``warm``).
"""
from __future__ import annotations

import ast
import importlib
import os
import pickle
import resource
import select
import signal
import time
import warnings
from dataclasses import dataclass, field, fields

import nbformat

from . import budget, diagnose, execute, feedback, judge, sandbox
from . import results as res
from . import source as src
from .results import SubmissionResult


@dataclass
class Options:
    """How one submission is graded: the sandboxes' timeouts and limits, the grader's own
    limits, and what the feedback shows. Travels to the worker as a plain dict (``Task``)."""
    cell_timeout: float = 60.0        # feedback run: one cell
    notebook_timeout: float = 600.0   # feedback run: the whole notebook (wall clock)
    call_timeout: float = 60.0        # judge: one call into the student's code
    test_timeout: float = 300.0       # judge: one test cell
    exec_timeout: float = 60.0        # judge: one answer cell at definition time
    memory_bytes: int = 4 << 30
    processes: int = 64
    # the trusted side's own limits per submission (see the module docstring)
    grader_memory_bytes: int = 6 << 30   # RLIMIT_AS of the grading process (torch alone maps ~2.5 GB)
    grader_cpu_seconds: int = 300        # its CPU time (the sandboxes' time is theirs, not counted here)
    grader_wall_seconds: float = 0.0     # its wall clock, all steps; 0: sized from the assignment (budget.py)
    budget_factor: float = budget.FACTOR  # the budget: this many times the reference solution's judge time,
    budget_floor: float = budget.FLOOR    # and at least this many seconds
    feedback_run: bool = False      # also execute the notebook (sandboxed) to show its outputs in the feedback
    diagnose: bool = True           # name known mistakes in the feedback (diagnose.py)
    trace_cache: str | None = None  # folder for the catalogued mistakes' traces (diagnose.mistake_traces)
    html: bool = True

    def limits(self, wall: float) -> sandbox.Limits:
        """A sandbox's limits with these options and ``wall`` seconds of wall clock."""
        return sandbox.Limits(memory_bytes=self.memory_bytes, processes=self.processes, wall_seconds=wall,
                              cpu_seconds=int(max(wall, 60)) * 2)

    def memory_detail(self) -> str:
        """Why a submission got ``grader-memory``."""
        return (f"grading this submission needed more than {self.grader_memory_bytes / 2 ** 30:g} GiB "
                "of the grader's memory; it was stopped (the rest of the class is graded)")


@dataclass
class Task:
    """One submission to grade: whose, of which assignment (the coordinator's ``source.Assignment``,
    loaded once per run: it travels pickled with every task, so no worker reads the source
    again), the file, the notes collect made about it, the ``Options`` as a dict, and the
    assignment's catalogue of mistakes when diagnosing (so a worker host holds no
    ``solutions/``). A task
    crosses processes and machines as a dict of these fields (``to_dict``)."""
    student: str
    assignment: src.Assignment
    path: str
    notes: list = field(default_factory=list)
    options: dict = field(default_factory=dict)
    catalogue: list | None = None   # the assignment's catalogued mistakes (diagnose.Mistake), if diagnosing

    def to_dict(self) -> dict:
        """Its fields as a dict, the assignment kept whole (``dataclasses.asdict`` would take it apart)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def empty_result(self) -> SubmissionResult:
        """This task's result before anything is graded."""
        return SubmissionResult(self.student, self.assignment.id, self.path, notes=list(self.notes))


def grade_submission(task: Task | dict) -> SubmissionResult:
    """Worker entry point. Never raises: problems come back as a status. The grading itself
    runs in a child process under the ``grader_*`` limits (``grade_limited``)."""
    if isinstance(task, dict):
        task = Task(**task)
    if task.catalogue is not None:         # read by the coordinator: nothing is read from solutions/ here
        diagnose.adopt_catalogue(task.assignment, task.catalogue)
    return grade_limited(task, Options(**task.options))


# --- warm-up: what every child would otherwise load again (they inherit it) -----------------

_warmed: set[tuple] = set()      # (assignment id, its digest, html) this worker has warmed up for


def warm(a: src.Assignment, opts: Options) -> None:
    """Load in the worker, once per assignment, what every child would otherwise load again
    (the assignment itself comes with the task)."""
    key = (a.id, a.digest, opts.html)
    if key in _warmed:
        return
    diagnose.catalogue(a)
    sandbox.mpl_font_cache()
    _import_what_locked_cells_import(a)
    if opts.html:                    # builds the HTML exporter once, in the worker
        feedback.render_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("*warm-up*")]))
    _warmed.add(key)


def _import_what_locked_cells_import(a: src.Assignment) -> None:
    """The judge runs the notebook's locked cells on the trusted side too, and their imports
    (matplotlib.pyplot, torch) are most of a child's start-up: load those modules here once."""
    names = set()
    for cell in a.cells:
        if cell.cell_type != "code" or src.kind(cell) != src.READONLY:
            continue
        try:
            tree = ast.parse(judge.python_source(cell.source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.add(node.module)
    for name in sorted(names):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                importlib.import_module(name)
        except Exception:  # noqa: BLE001  (the cell itself will report what is missing)
            pass


# --- the limited child -------------------------------------------------------------------------

def _set_parent_death_signal() -> None:
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)   # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001
        pass


def _set_limits(opts: Options) -> None:
    """Soft limits only: the sandboxes this process starts set their own (higher) ones."""
    hard_as = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS, (min(opts.grader_memory_bytes, hard_as) if hard_as >= 0
                                            else opts.grader_memory_bytes, hard_as))
    hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)[1]
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime) + opts.grader_cpu_seconds
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard_cpu < 0 else min(cpu, hard_cpu), hard_cpu))


def _child(task: Task, opts: Options, wall_seconds: float, w: int) -> None:
    """In the forked child: limits, grading, the result pickled into ``w``; never returns."""
    try:
        _set_parent_death_signal()
        _set_limits(opts)
        before = diagnose.TRACES.snapshot()
        result = execute.grade(task, opts, wall_seconds)
        try:
            data = pickle.dumps({"result": result, "traces": diagnose.TRACES.since(before)})
        except MemoryError:
            data = pickle.dumps({"result": task.empty_result().with_status(res.GRADER_MEMORY, opts.memory_detail()),
                                 "traces": {}})
        view = memoryview(data)
        while view:
            view = view[os.write(w, view):]
    finally:
        os._exit(0)


def _read_until(r: int, deadline: float) -> tuple[list[bytes], bool]:
    """The chunks read from ``r`` until it closes, and whether ``deadline`` passed first."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return chunks, True
        ready, _, _ = select.select([r], [], [], left)
        if not ready:
            continue
        chunk = os.read(r, 1 << 20)
        if not chunk:
            return chunks, False
        chunks.append(chunk)


def grade_limited(task: Task, opts: Options) -> SubmissionResult:
    """``execute.grade(task)`` in a forked child with the grader's limits, so whatever one
    submission makes the trusted side do cannot stall or take down the worker."""
    warm(task.assignment, opts)
    plan = budget.for_submission(task.assignment, opts)
    t0 = time.monotonic()
    r, w = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # fork with threads (Dask): the child only grades
        pid = os.fork()
    if pid == 0:
        os.close(r)
        _child(task, opts, plan.seconds, w)
    os.close(w)
    chunks, timed_out = [], False
    try:
        chunks, timed_out = _read_until(r, t0 + plan.seconds)
    finally:
        os.close(r)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status, usage = os.wait4(pid, 0)
    return _verdict(task, opts, plan, b"".join(chunks), timed_out, status, usage, t0)


def _verdict(task: Task, opts: Options, plan: budget.Budget, data: bytes, timed_out: bool, status: int,
             usage, t0: float) -> SubmissionResult:
    """The child's result, or why there is none (the grader's limits, the child's death)."""
    rss_mb = round(usage.ru_maxrss / 1024, 1)   # the grading process's peak resident memory (kB on Linux)
    lost = task.empty_result()
    lost.timing.update(total=time.monotonic() - t0, grader_rss_mb=rss_mb)
    if timed_out:
        return lost.with_status(res.TIME_BUDGET, plan.exceeded())
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        return lost.with_status(res.GRADER_TIMEOUT, f"grading this submission took more than "
                                f"{opts.grader_cpu_seconds} s of the grader's CPU time; it was stopped")
    try:
        payload = pickle.loads(data)
    except Exception:  # noqa: BLE001  (the child died before it could answer)
        how = (f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
               else f"exit status {os.WEXITSTATUS(status)}")
        return lost.with_status(res.GRADER_ERROR, f"the grading process died ({how})")
    diagnose.TRACES.merge(payload.get("traces", {}))
    result = payload["result"]
    result.timing["grader_rss_mb"] = rss_mb
    return result
