"""execute: grade one submission in a worker (normalize, feedback run, judge, feedback).

``grade_submission(task)`` is what a worker runs; it takes and returns plain data, so any
``concurrent.futures.Executor`` (a local process pool today; Dask's client tomorrow) can
run it. Untrusted code runs only inside the sandbox: once for the feedback notebook
(hidden tests removed, so they can never be printed), once as the judge's interpreter.

The trusted work on one submission (scan, normalize, judge, diagnose, render) also has
limits: it runs in a child process forked from the worker, with an address-space and a
CPU-time limit and a wall-clock deadline (``Options.grader_*``). A submission that makes
the grader itself too slow or too large costs only its own grade: its status is
``grader-timeout`` or ``grader-memory`` and the worker goes on with the next one.
"""
from __future__ import annotations

import copy
import dataclasses
import json
import os
import pickle
import re
import resource
import select
import signal
import sys
import warnings

sys.modules.setdefault("rfc3987_syntax", None)   # see jail/feedback_driver.py: a 2 s import nobody needs
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import diagnose, flags, jail, judge, normalize, sandbox
from . import results as res
from . import sanitize
from . import source as src
from .results import CellResult, KnownMistake, SubmissionResult


@dataclass
class Options:
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
    grader_wall_seconds: float = 0.0     # its wall clock; 0: derived from the timeouts (wall_budget)
    feedback_run: bool = False      # also execute the notebook (sandboxed) to show its outputs in the feedback
    diagnose: bool = True           # name known mistakes in the feedback (diagnose.py)
    trace_cache: str | None = None  # folder for the catalogued mistakes' traces (diagnose.mistake_traces)
    html: bool = True

    def limits(self, wall: float) -> sandbox.Limits:
        return sandbox.Limits(memory_bytes=self.memory_bytes, processes=self.processes, wall_seconds=wall,
                              cpu_seconds=int(max(wall, 60)) * 2)


def wall_budget(assignment: str, opts: Options) -> float:
    """Wall-clock seconds one submission may take in all: every test cell graded and observed
    for diagnosis to its timeout, every answer cell run to its timeout after each of the
    judge's restarts, plus start-up; the feedback run overlaps with the judge."""
    if opts.grader_wall_seconds:
        return float(opts.grader_wall_seconds)
    a = src.load(assignment)
    cells = [src.kind(c) for c in a.cells if c.cell_type == "code"]
    setup = sum(max(opts.exec_timeout, 120.0) if k == "readonly" else opts.exec_timeout
                for k in cells if k in ("readonly", "solution"))
    judge_budget = 2 * len(a.test_points) * opts.test_timeout + 5 * setup
    return max(judge_budget, opts.notebook_timeout) + 120.0


@dataclass
class Task:
    student: str
    assignment: str
    path: str
    notes: list = field(default_factory=list)
    options: dict = field(default_factory=dict)


def run_feedback(nb, opts: Options) -> tuple[object | None, str, float]:
    """Execute the feedback notebook in the sandbox: (executed nb or None, status, seconds)."""
    t0 = time.monotonic()
    req = json.dumps({"nb": nb, "cell_timeout": opts.cell_timeout, "max_output": 200_000}).encode()
    code = jail.feedback_driver_source()
    res = sandbox.run([sys.executable, "-I", "-c", code], req, opts.limits(opts.notebook_timeout))
    seconds = time.monotonic() - t0
    if res.timed_out:
        return None, "timeout", seconds
    try:
        out = nbformat.reads(res.stdout.decode(), as_version=4)
    except Exception:  # noqa: BLE001
        return None, "crashed" if not res.truncated else "output-too-large", seconds
    return known_outputs(nb, out), run_status(out.metadata.get("autograder_run")), seconds


# what jail/feedback_driver.py reports; anything else did not come from it
_RUN_STATUS = re.compile(r"ok|timeout|kernel-died|\d{1,4} cell\(s\) stopped after [\d.]{1,12} s")
_RUN_ERROR = re.compile(r"error: ([A-Za-z_][\w.]{0,80})")


def run_status(status) -> str:
    """The feedback run's status if it has one of the driver's forms (an error keeps only
    its exception's name), else ``unreadable``."""
    if isinstance(status, str):
        if _RUN_STATUS.fullmatch(status):
            return status
        m = _RUN_ERROR.match(status)
        if m:
            return f"error: {m.group(1)}"
    return "unreadable"


def known_outputs(sent, executed):
    """The notebook that was sent, with the outputs the run gave each of its code cells: the
    executed notebook comes from a process the student's kernel ran next to, so nothing else
    of it is kept (no cells, sources or metadata of its own)."""
    nb = copy.deepcopy(sent)
    nb = nbformat.from_dict(nb) if not isinstance(nb, nbformat.NotebookNode) else nb
    got = executed.get("cells", []) if isinstance(executed, dict) else []
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        cell["outputs"] = []
        ran = got[i] if i < len(got) else None
        if isinstance(ran, dict) and ran.get("cell_type") == "code" and ran.get("id") == cell.get("id"):
            outputs = ran.get("outputs")
            if isinstance(outputs, list):
                try:
                    cell["outputs"] = [nbformat.from_dict(o) for o in outputs if isinstance(o, dict)]
                    count = ran.get("execution_count")
                    cell["execution_count"] = count if isinstance(count, int) else None
                except Exception:  # noqa: BLE001
                    cell["outputs"] = []
    try:
        nbformat.validate(nb)
    except Exception:  # noqa: BLE001  (an output that breaks the schema: none are kept)
        nb = copy.deepcopy(sent)
    return nb


def _result_markdown(cell: CellResult) -> str:
    score = "—" if cell.score is None else f"{cell.score:g}"
    icon = {res.PASSED: "✅"}.get(cell.status, "❌" if cell.score == 0 else "⚠️")
    text = f"**{icon} `{cell.grade_id}`: {score} / {cell.points:g} points — {sanitize.md_text(cell.status)}**"
    if cell.message:
        text += "\n\n" + sanitize.md_code_block(cell.message)
    return text + diagnosis_markdown(cell.diagnosis, cell.advice)


def diagnosis_markdown(diagnosis: list[KnownMistake], advice: str) -> str:
    """The known mistake(s) a failed check matched, or the generic advice."""
    if len(diagnosis) == 1:
        d = diagnosis[0]
        return (f"\n\n**What went wrong:** {d.explanation}\n\n"
                f"*A known mistake (`{d.id}`); section “{d.section}” explains the point.*")
    if diagnosis:
        items = "\n".join(f"- `{d.id}`: {d.explanation} (section “{d.section}”)" for d in diagnosis)
        return ("\n\n**What went wrong:** your code behaves like one of these known mistakes "
                f"(they agree on every input this check tried):\n\n{items}")
    return f"\n\n{advice}" if advice else ""


def _with_outputs(normalized_nb, executed):
    """The normalized notebook with the outputs the feedback run gave each of its cells: only
    outputs come back from the sandbox, never sources, metadata or extra cells."""
    nb = copy.deepcopy(normalized_nb)
    if executed is None or len(executed.cells) != len(nb.cells):
        return nb
    for mine, ran in zip(nb.cells, executed.cells):
        if mine.cell_type == "code" and ran.get("cell_type") == "code" and ran.get("id") == mine.get("id"):
            mine.outputs = copy.deepcopy(ran.get("outputs", []))
            mine.execution_count = ran.get("execution_count")
    return nb


def build_feedback(executed, normalized_nb, report: judge.JudgeReport, student: str, assignment: str,
                   run_status: str):
    """The autograded notebook (for nbgrader) and the student's feedback notebook.

    Every string from the submission is pasted as escaped text; the autograded notebook is
    cleaned (``sanitize.clean_notebook``) since the formgrader renders it."""
    nb = _with_outputs(normalized_nb, executed)
    results = {c.grade_id: c for c in report.cells}
    trusted = course_cells(nb)
    auto = sanitize.clean_notebook(nb, trusted)
    feedback = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
    total = sum(c.score or 0 for c in report.cells)
    maximum = sum(c.points for c in report.cells)
    lines = [f"# Feedback: {sanitize.md_text(assignment)}, {sanitize.md_text(student)}", "",
             f"**Autograded score: {total:g} / {maximum:g}** (written answers are graded by hand).", "",
             "| check | points | result | known mistake |", "|---|---|---|---|"]
    for c in report.cells:
        known = (", ".join(f"`{d.id}`" for d in c.diagnosis)
                 or ("none matched" if c.status in (res.FAILED, res.ERROR) else "—"))
        lines.append(f"| `{c.grade_id}` | {'—' if c.score is None else f'{c.score:g}'} / {c.points:g} "
                     f"| {sanitize.md_text(c.status)} | {known} |")
    if report.setup_errors:
        lines += ["", "Problems while loading your answers:", ""]
        for g, m in report.setup_errors:
            lines += [f"**{sanitize.md_text(g)}**:", "", sanitize.md_code_block(m), ""]
    if run_status not in ("ok", "skipped"):       # skipped: the default mode does not run it
        lines += ["", f"Running your notebook for this feedback ended early: **{sanitize.md_text(run_status)}**. "
                      "The scores above do not depend on it."]
    # the cells added here get fixed ids (nbformat's are random), so the same submission always
    # gets byte-identical feedback, locally or on a cluster
    feedback.cells.append(nbformat.v4.new_markdown_cell("\n".join(lines), id="feedback-summary"))
    for cell in nb.cells:
        feedback.cells.append(cell)
        gid = src.meta(cell).get("grade_id")
        if gid in results:
            feedback.cells.append(nbformat.v4.new_markdown_cell(_result_markdown(results[gid]), id=f"feedback-{gid}"))
    return auto, feedback


def course_cells(nb) -> set[str]:
    """Ids of the cells whose text is the course's (locked cells put back by normalize)."""
    return {c.get("id") for c in nb.cells
            if src.meta(c).get("grade_id") and src.kind(c) not in ("solution", "answer")}


def render_html(nb) -> str:
    trusted = course_cells(nb) | {c.get("id") for c in nb.cells if str(c.get("id", "")).startswith("feedback-")}
    return sanitize.render_html(nb, trusted)


def grade_submission(task: Task | dict) -> SubmissionResult:
    """Worker entry point. Never raises: problems come back as a status. The grading itself
    runs in a child process under the ``grader_*`` limits (``grade_limited``)."""
    if isinstance(task, dict):
        task = Task(**task)
    return grade_limited(task, Options(**task.options))


def _empty_result(task: Task) -> SubmissionResult:
    return SubmissionResult(task.student, task.assignment, task.path, notes=list(task.notes))


def _warm(assignment: str, opts: Options) -> None:
    """Load in the worker what every child would otherwise load again (they inherit it)."""
    src.load(assignment)
    src.reference_answers(assignment)
    diagnose.catalogue(assignment)
    sandbox._mpl_cache()
    _import_what_locked_cells_import(assignment)
    if opts.html:                    # builds the HTML exporter once, in the worker
        render_html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("*warm-up*")]))


def _import_what_locked_cells_import(assignment: str) -> None:
    """The judge runs the notebook's locked cells on the trusted side too, and their imports
    (matplotlib.pyplot, torch) are most of a child's start-up: load those modules here once."""
    import ast
    import importlib
    names = set()
    for cell in src.load(assignment).cells:
        if cell.cell_type != "code" or src.kind(cell) != "readonly":
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


def _set_parent_death_signal() -> None:
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)   # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001
        pass


def _child(task: Task, opts: Options, w: int) -> None:
    """In the forked child: limits, grading, the result pickled into ``w``; never returns."""
    try:
        _set_parent_death_signal()
        # soft limits only: the sandboxes this process starts set their own (higher) ones
        hard_as = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(resource.RLIMIT_AS, (min(opts.grader_memory_bytes, hard_as) if hard_as >= 0
                                                else opts.grader_memory_bytes, hard_as))
        hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)[1]
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu = int(used.ru_utime + used.ru_stime) + opts.grader_cpu_seconds
        resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard_cpu < 0 else min(cpu, hard_cpu), hard_cpu))
        before = set(diagnose._mistake_traces)
        result = _grade(task, opts)
        new = {k: v for k, v in diagnose._mistake_traces.items() if k not in before}
        try:
            data = pickle.dumps({"result": result, "traces": new})
        except MemoryError:
            data = pickle.dumps({"result": _empty_result(task).with_status(res.GRADER_MEMORY, _memory_detail(opts)),
                                 "traces": {}})
        view = memoryview(data)
        while view:
            view = view[os.write(w, view):]
    finally:
        os._exit(0)


def _memory_detail(opts: Options) -> str:
    return (f"grading this submission needed more than {opts.grader_memory_bytes / 2 ** 30:g} GiB "
            "of the grader's memory; it was stopped (the rest of the class is graded)")


def grade_limited(task: Task, opts: Options) -> SubmissionResult:
    """``_grade(task)`` in a forked child with the grader's limits, so whatever one submission
    makes the trusted side do cannot stall or take down the worker."""
    _warm(task.assignment, opts)
    budget = wall_budget(task.assignment, opts)
    t0 = time.monotonic()
    r, w = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)   # fork with threads (Dask): the child only grades
        pid = os.fork()
    if pid == 0:
        os.close(r)
        _child(task, opts, w)
    os.close(w)
    chunks, timed_out = [], False
    deadline = t0 + budget
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([r], [], [], left)
            if not ready:
                continue
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(r)
        if timed_out:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status, usage = os.wait4(pid, 0)
    rss_mb = round(usage.ru_maxrss / 1024, 1)   # the grading process's peak resident memory (kB on Linux)
    lost = _empty_result(task)
    lost.timing.update(total=time.monotonic() - t0, grader_rss_mb=rss_mb)
    if timed_out:
        return lost.with_status(res.GRADER_TIMEOUT, f"grading this submission took more than {budget:g} s "
                                "(the grader's wall-clock limit per submission); it was stopped")
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        return lost.with_status(res.GRADER_TIMEOUT, f"grading this submission took more than "
                                f"{opts.grader_cpu_seconds} s of the grader's CPU time; it was stopped")
    try:
        payload = pickle.loads(b"".join(chunks))
    except Exception:  # noqa: BLE001  (the child died before it could answer)
        how = (f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status)
               else f"exit status {os.WEXITSTATUS(status)}")
        return lost.with_status(res.GRADER_ERROR, f"the grading process died ({how})")
    diagnose._mistake_traces.update(payload.get("traces", {}))
    result = payload["result"]
    result.timing["grader_rss_mb"] = rss_mb
    return result


def _grade(task: Task, opts: Options) -> SubmissionResult:
    """normalize, scan, feedback run, judge, diagnose, render: one submission, in this process."""
    t0 = time.monotonic()
    out = _empty_result(task)
    try:
        n = normalize.normalize(Path(task.path), task.assignment)
        out.notes += n.notes
        if n.status != "ok":
            out.status, out.detail = n.status, n.detail
            return out
        out.flags = flags.scan(n.student_code)
        _judge_and_render(task, opts, n, out)
    except MemoryError:
        out = out.with_status(res.GRADER_MEMORY, _memory_detail(opts))
    except Exception as e:  # noqa: BLE001  (a pipeline bug must not lose the rest of the class)
        out.status, out.detail = res.GRADER_ERROR, f"{type(e).__name__}: {e}"
        out.traceback = traceback.format_exc()[-4000:]
    out.timing["total"] = time.monotonic() - t0
    return out


def _judge_and_render(task: Task, opts: Options, n: normalize.Normalized, out: SubmissionResult) -> None:
    """Judge the normalized notebook (the feedback run, if asked, alongside) and fill ``out``
    with its checks and its feedback documents."""
    executed, run_status = None, "skipped"
    # the feedback run (a sandboxed subprocess) overlaps with the judge: both mostly wait
    # on their sandboxes, so together they keep the cores busier than one after the other
    pool = ThreadPoolExecutor(1) if opts.feedback_run else None
    feedback = pool.submit(run_feedback, n.feedback_nb, opts) if pool else None
    try:
        limits = dataclasses.replace(opts.limits(opts.test_timeout + 60),
                                     wall_seconds=wall_budget(task.assignment, opts))
        rep = judge.Judge(task.assignment, n.answers, limits,
                          call_timeout=opts.call_timeout, cell_timeout=opts.test_timeout,
                          exec_timeout=opts.exec_timeout,
                          diagnosis=diagnose.Diagnosis(task.assignment, opts.trace_cache) if opts.diagnose else None,
                          ).run()
    finally:
        if feedback is not None:
            executed, run_status, secs = feedback.result()
            pool.shutdown()
            out.timing["feedback_run"] = secs
            if run_status != "ok":
                out.notes.append(f"feedback run: {run_status}")
    out.timing["judge"] = rep.seconds
    out.cells = list(rep.cells)
    out.setup_errors = list(rep.setup_errors)
    out.notes += [f"{g}: {m}" for g, m in rep.setup_errors]
    if any(c.status == res.CELL_GRADER_ERROR for c in rep.cells):
        out.status = res.NEEDS_REVIEW
    auto, feedback_nb = build_feedback(executed, n.feedback_nb, rep, task.student, task.assignment, run_status)
    out.autograded_nb = nbformat.writes(auto)
    if opts.html:
        t1 = time.monotonic()
        out.html = render_html(feedback_nb)
        out.timing["html"] = time.monotonic() - t1
    else:
        out.feedback_nb = nbformat.writes(feedback_nb)
