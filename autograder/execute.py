"""execute: grade one submission in a worker (normalize, feedback run, judge, feedback).

``grade_submission(task)`` is what a worker runs; it takes and returns plain data, so any
``concurrent.futures.Executor`` (a local process pool today; Dask's client tomorrow) can
run it. Untrusted code runs only inside the sandbox: once for the feedback notebook
(hidden tests removed, so they can never be printed), once as the judge's interpreter.
"""
from __future__ import annotations

import copy
import json
import sys

sys.modules.setdefault("rfc3987_syntax", None)   # see feedback_driver.py: a 2 s import nobody needs
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from . import flags, judge, normalize, sandbox
from . import sanitize
from . import source as src

HERE = Path(__file__).resolve().parent


@dataclass
class Options:
    cell_timeout: float = 60.0        # feedback run: one cell
    notebook_timeout: float = 600.0   # feedback run: the whole notebook (wall clock)
    call_timeout: float = 60.0        # judge: one call into the student's code
    test_timeout: float = 300.0       # judge: one test cell
    exec_timeout: float = 60.0        # judge: one answer cell at definition time
    memory_bytes: int = 4 << 30
    processes: int = 64
    feedback_run: bool = False      # also execute the notebook (sandboxed) to show its outputs in the feedback
    diagnose: bool = True           # name known mistakes in the feedback (diagnose.py)
    trace_cache: str | None = None  # folder for the catalogued mistakes' traces (diagnose.mistake_traces)
    html: bool = True

    def limits(self, wall: float) -> sandbox.Limits:
        return sandbox.Limits(memory_bytes=self.memory_bytes, processes=self.processes, wall_seconds=wall,
                              cpu_seconds=int(max(wall, 60)) * 2)


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
    code = (HERE / "feedback_driver.py").read_text()
    res = sandbox.run([sys.executable, "-I", "-c", code], req, opts.limits(opts.notebook_timeout))
    seconds = time.monotonic() - t0
    if res.timed_out:
        return None, "timeout", seconds
    try:
        out = nbformat.reads(res.stdout.decode(), as_version=4)
    except Exception:  # noqa: BLE001
        return None, "crashed" if not res.truncated else "output-too-large", seconds
    return out, out.metadata.pop("autograder_run", "ok"), seconds


def _result_markdown(cell: judge.CellResult) -> str:
    score = "—" if cell.score is None else f"{cell.score:g}"
    icon = {"passed": "✅"}.get(cell.status, "❌" if cell.score == 0 else "⚠️")
    text = f"**{icon} `{cell.grade_id}`: {score} / {cell.points:g} points — {sanitize.md_text(cell.status)}**"
    if cell.message:
        text += "\n\n" + sanitize.md_code_block(cell.message)
    return text + diagnosis_markdown(cell.diagnosis, cell.advice)


def diagnosis_markdown(diagnosis: list[dict], advice: str) -> str:
    """The known mistake(s) a failed check matched, or the generic advice."""
    if len(diagnosis) == 1:
        d = diagnosis[0]
        return (f"\n\n**What went wrong:** {d['explanation']}\n\n"
                f"*A known mistake (`{d['id']}`); section “{d['section']}” explains the point.*")
    if diagnosis:
        items = "\n".join(f"- `{d['id']}`: {d['explanation']} (section “{d['section']}”)" for d in diagnosis)
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
        known = (", ".join(f"`{d['id']}`" for d in c.diagnosis)
                 or ("none matched" if c.status in ("failed", "error") else "—"))
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


def grade_submission(task: Task | dict) -> dict:
    """Worker entry point. Never raises: problems come back as a status."""
    if isinstance(task, dict):
        task = Task(**task)
    opts = Options(**task.options)
    t0 = time.monotonic()
    out = {"student": task.student, "assignment": task.assignment, "path": task.path,
           "notes": list(task.notes), "flags": [], "cells": [], "status": "graded", "detail": "",
           "timing": {}}
    try:
        n = normalize.normalize(Path(task.path), task.assignment)
        out["notes"] += n.notes
        if n.status != "ok":
            out.update(status=n.status, detail=n.detail)
            return out
        out["flags"] = flags.scan(n.student_code)
        executed, run_status = None, "skipped"
        # the feedback run (a sandboxed subprocess) overlaps with the judge: both mostly wait
        # on their sandboxes, so together they keep the cores busier than one after the other
        pool = ThreadPoolExecutor(1) if opts.feedback_run else None
        feedback = pool.submit(run_feedback, n.feedback_nb, opts) if pool else None
        try:
            rep = judge.Judge(task.assignment, n.answers, opts.limits(opts.test_timeout + 60),
                              call_timeout=opts.call_timeout, cell_timeout=opts.test_timeout,
                              exec_timeout=opts.exec_timeout, diagnose=opts.diagnose,
                              trace_cache=opts.trace_cache).run()
        finally:
            if feedback is not None:
                executed, run_status, secs = feedback.result()
                pool.shutdown()
                out["timing"]["feedback_run"] = secs
                if run_status != "ok":
                    out["notes"].append(f"feedback run: {run_status}")
        out["timing"]["judge"] = rep.seconds
        out["cells"] = [asdict(c) for c in rep.cells]
        out["setup_errors"] = rep.setup_errors
        for g, m in rep.setup_errors:
            out["notes"].append(f"{g}: {m}")
        if any(c.status == "grader-error" for c in rep.cells):
            out["status"] = "needs-review"
        auto, feedback = build_feedback(executed, n.feedback_nb, rep, task.student, task.assignment, run_status)
        out["autograded_nb"] = nbformat.writes(auto)
        if opts.html:
            t1 = time.monotonic()
            out["html"] = render_html(feedback)
            out["timing"]["html"] = time.monotonic() - t1
        else:
            out["feedback_nb"] = nbformat.writes(feedback)
    except Exception as e:  # noqa: BLE001  (a pipeline bug must not lose the rest of the class)
        out.update(status="grader-error", detail=f"{type(e).__name__}: {e}",
                   traceback=traceback.format_exc()[-4000:])
    out["timing"]["total"] = time.monotonic() - t0
    return out
