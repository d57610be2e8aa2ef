"""feedback: the student's feedback page and the autograded notebook of one submission.

Three jobs, one subject: the optional *feedback run* (the normalized notebook executed in
the sandbox, hidden tests removed, so that the page shows the student's outputs; the
scores never depend on it), the one merge of what that run gives back into the notebook
that was sent (``known_outputs``: outputs by cell id, nothing else), and the page itself:
a summary table, each check's result and diagnosis after its cell (markdown), rendered to
HTML with every string from the submission escaped (``sanitize``).
"""
from __future__ import annotations

import copy
import json
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat

from . import jail, relations, sandbox, sanitize
from . import results as res
from . import source as src
from .results import CellResult, KnownMistake, SubmissionResult

# --- the feedback run ----------------------------------------------------------------------

def run_feedback(nb, opts) -> tuple[object | None, str, float]:
    """Execute the feedback notebook in the sandbox under ``opts`` (``worker.Options``):
    (``nb`` with the run's outputs, or None; the run's status; seconds)."""
    t0 = time.monotonic()
    req = json.dumps({"nb": nb, "cell_timeout": opts.cell_timeout, "max_output": 200_000}).encode()
    code = jail.feedback_driver_source()
    ran = sandbox.run([sys.executable, "-I", "-c", code], req, opts.limits(opts.notebook_timeout))
    seconds = time.monotonic() - t0
    if ran.timed_out:
        return None, res.RUN_TIMEOUT, seconds
    try:
        out = nbformat.reads(ran.stdout.decode(), as_version=4)
    except Exception:  # noqa: BLE001
        return None, res.RUN_CRASHED if not ran.truncated else res.RUN_OUTPUT_TOO_LARGE, seconds
    return known_outputs(nb, out), run_status(out.metadata.get("autograder_run")), seconds


class FeedbackRun:
    """The feedback run in a thread beside the judge: both mostly wait on their sandboxes,
    so together they keep the cores busier than one after the other."""

    def __init__(self, nb, opts):
        self._pool = ThreadPoolExecutor(1)
        self._future = self._pool.submit(run_feedback, nb, opts)

    def finish(self, out: SubmissionResult) -> tuple[object | None, str]:
        """Wait for the run; its time and (if it did not end well) its status go into ``out``."""
        executed, status, seconds = self._future.result()
        self._pool.shutdown()
        out.timing["feedback_run"] = seconds
        if status != res.RUN_OK:
            out.notes.append(f"feedback run: {status}")
        return executed, status


# what jail/inside/feedback_driver.py reports; anything else did not come from it
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
    return res.RUN_UNREADABLE


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


# --- the page --------------------------------------------------------------------------------

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
        where = f"; section “{d.section}” explains the point" if d.section else ""
        kind = ("A pattern found by comparing your output with the expected one on the same inputs"
                if relations.is_pattern(d.id) else "A known mistake")
        return f"\n\n**What went wrong:** {d.explanation}\n\n*{kind} (`{d.id}`){where}.*"
    if diagnosis:
        items = "\n".join(f"- `{d.id}`: {d.explanation} (section “{d.section}”)" for d in diagnosis)
        return ("\n\n**What went wrong:** your code behaves like one of these known mistakes "
                f"(they agree on every input this check tried):\n\n{items}")
    return f"\n\n{advice}" if advice else ""


def _summary_markdown(report, student: str, assignment: str, run_status: str) -> str:
    """The page's first cell: the score, a table of the checks, what went wrong on the way."""
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
    if run_status not in (res.RUN_OK, res.RUN_SKIPPED):       # skipped: the default mode does not run it
        lines += ["", f"Running your notebook for this feedback ended early: **{sanitize.md_text(run_status)}**. "
                      "The scores above do not depend on it."]
    return "\n".join(lines)


def build_feedback(executed, normalized_nb, report, student: str, assignment: str, run_status: str):
    """The autograded notebook (for nbgrader) and the student's feedback notebook, from the
    feedback run's notebook (``known_outputs``) or, without one, the normalized notebook.

    Every string from the submission is pasted as escaped text; the autograded notebook is
    cleaned (``sanitize.clean_notebook``) since the formgrader renders it."""
    nb = copy.deepcopy(normalized_nb if executed is None else executed)
    results = {c.grade_id: c for c in report.cells}
    auto = sanitize.clean_notebook(nb, course_cells(nb))
    feedback = nbformat.v4.new_notebook(metadata=copy.deepcopy(nb.metadata))
    # the cells added here get fixed ids (nbformat's are random), so the same submission always
    # gets byte-identical feedback, locally or on a cluster
    summary = _summary_markdown(report, student, assignment, run_status)
    feedback.cells.append(nbformat.v4.new_markdown_cell(summary, id="feedback-summary"))
    for cell in nb.cells:
        feedback.cells.append(cell)
        gid = src.meta(cell).get("grade_id")
        if gid in results:
            feedback.cells.append(nbformat.v4.new_markdown_cell(_result_markdown(results[gid]), id=f"feedback-{gid}"))
    return auto, feedback


def course_cells(nb) -> set[str]:
    """Ids of the cells whose text is the course's (locked cells put back by normalize)."""
    return {c.get("id") for c in nb.cells
            if src.meta(c).get("grade_id") and src.kind(c) not in (src.SOLUTION, src.ANSWER)}


def render_html(nb) -> str:
    trusted = course_cells(nb) | {c.get("id") for c in nb.cells if str(c.get("id", "")).startswith("feedback-")}
    return sanitize.render_html(nb, trusted)


def write_documents(out: SubmissionResult, executed, normalized_nb, report, run_status: str, html: bool) -> None:
    """Fill ``out`` with the autograded notebook and the feedback page (HTML, or the notebook
    when ``html`` is off), for ``report`` (a ``judge.JudgeReport``)."""
    auto, feedback_nb = build_feedback(executed, normalized_nb, report, out.student, out.assignment, run_status)
    out.autograded_nb = nbformat.writes(auto)
    if html:
        t1 = time.monotonic()
        out.html = render_html(feedback_nb)
        out.timing["html"] = time.monotonic() - t1
    else:
        out.feedback_nb = nbformat.writes(feedback_nb)
