"""normalize: read and validate one submitted notebook; rebuild it around the source.

The submission contributes only its answers (solution cells, written answers) and any
extra cells of its own. Every locked cell (setup, given code, tests) comes from the source
notebook in ``solutions/``: test cells in a submission are never trusted, so editing,
reordering or deleting them changes nothing. Outputs stored in the submission are dropped.
Each problem becomes a status, never an exception.
"""
from __future__ import annotations

import copy
import errno
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from . import results as res
from . import source as src
from . import text

MAX_NOTEBOOK_BYTES = 50 << 20
# A course notebook has about 100 cells; reading, validating and rendering one costs the
# grader ~3 ms of CPU per cell, so 400,000 empty cells (in 50 MB) would cost it 20 minutes.
MAX_CELLS = 2_000


@dataclass
class Normalized:
    status: str                       # results.READY or a problem: empty, invalid-json, not-a-notebook, wrong-assignment, too-large
    notes: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)       # grade_id -> the student's source
    feedback_nb: object = None        # the notebook to run for feedback (hidden tests removed)
    student_code: str = ""            # all of the student's code, for the flags
    detail: str = ""


def read(path: Path) -> tuple[object | None, Normalized | None]:
    """nbformat v4 notebook, or a Normalized carrying the problem."""
    try:
        size = path.stat().st_size
    except OSError as e:
        return None, Normalized(res.UNREADABLE, detail=str(e))
    if size == 0:
        return None, Normalized(res.EMPTY, detail="the file is empty")
    if size > MAX_NOTEBOOK_BYTES:
        return None, Normalized(res.TOO_LARGE, detail=f"{size / 1e6:.0f} MB (limit {MAX_NOTEBOOK_BYTES >> 20} MB)")
    try:
        raw = read_regular_file(path)
    except OSError as e:
        return None, Normalized(res.UNREADABLE, detail=f"not read: {e.strerror or e}")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return None, Normalized(res.INVALID_JSON, detail=f"not valid JSON: {e}"[:300])
    if not isinstance(data, dict) or "nbformat" not in data:
        return None, Normalized(res.NOT_A_NOTEBOOK, detail="valid JSON but not a Jupyter notebook")
    notes = []
    cells = data.get("cells")
    if isinstance(cells, list) and len(cells) > MAX_CELLS:
        data["cells"] = cells[:MAX_CELLS]
        notes.append(f"the notebook has {len(cells):,} cells; only the first {MAX_CELLS:,} were read (the limit)")
    if drop_bad_cell_ids(data):
        notes.append("cell ids that break the notebook format were replaced")
    try:
        version = int(data.get("nbformat", 0))
        as_json = json.dumps(data, ensure_ascii=False)
        cleaned = text.valid(as_json)
        if cleaned is not as_json:             # lone surrogates ("\\ud800", valid JSON): not text
            as_json = cleaned
            notes.append("characters that are not valid Unicode (lone surrogates) were replaced by U+FFFD")
        nb = nbformat.reads(as_json, as_version=4)
        if version < 4:
            notes.append(f"converted from nbformat {version}")
    except Exception as e:  # noqa: BLE001  (nbformat raises many kinds on malformed input)
        return None, Normalized(res.NOT_A_NOTEBOOK, detail=f"not a readable notebook: {e}"[:300])
    return (nb, notes), None


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file, never through a symbolic link (the check and the read
    are on one file descriptor, so a link swapped in between is refused too)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        if st.st_size > MAX_NOTEBOOK_BYTES:
            raise OSError(errno.EFBIG, "larger than the limit")
        return f.read(MAX_NOTEBOOK_BYTES + 1)


CELL_ID = re.compile(r"[a-zA-Z0-9_-]{1,64}\Z")     # nbformat 4.5's schema


def drop_bad_cell_ids(data: dict) -> bool:
    """Replace every cell id that breaks nbformat's schema or repeats, before nbformat reads
    the JSON (normalize then gives the student's cells fresh ids). True if one was replaced."""
    cells = data.get("cells")
    if not isinstance(cells, list):
        return False
    seen, dropped = set(), False
    for c in cells:
        if isinstance(c, dict) and "id" in c:
            cid = c["id"]
            if not (isinstance(cid, str) and CELL_ID.match(cid)) or cid in seen:
                c["id"] = _fresh(seen)
                dropped = True
            seen.add(c["id"])
    return dropped


def _fresh(seen: set) -> str:
    i = len(seen)
    while f"renamed-{i}" in seen:
        i += 1
    return f"renamed-{i}"


def _which_assignment(ids: set[str], current: src.Assignment) -> str | None:
    """The other assignment of the course whose graded cells these grade ids match best."""
    best, score = None, 0
    for other, own in current.others.items():
        n = len(ids & own)
        if n > score:
            best, score = other, n
    return best


def normalize(path: Path, a: src.Assignment) -> Normalized:
    """Read the submission at ``path`` and rebuild it around the source notebook of ``a``.

    Returns a Normalized: with status ``results.READY``, its ``answers`` (grade_id -> source of every
    solution and written-answer cell found), ``feedback_nb`` (the notebook to run) and
    ``student_code``; otherwise the problem's status and ``detail`` ("wrong-assignment" when
    the notebook is another assignment's, or a problem of ``read``). ``notes`` say what was
    repaired on the way. Never raises for a bad submission.
    """
    got, problem = read(path)
    if problem:
        return problem
    nb, notes = got
    source_by_id = {src.meta(c)["grade_id"]: c for c in a.cells if src.meta(c).get("grade_id")}
    sub_ids = {src.meta(c).get("grade_id") for c in nb.cells if src.meta(c).get("grade_id")}
    graded_ids = {g for g, k in a.kinds.items() if k in src.GRADED_KINDS}
    if sub_ids and not (sub_ids & graded_ids):
        other = _which_assignment(sub_ids, a)
        if other:
            return Normalized(res.WRONG_ASSIGNMENT, notes,
                              detail=f"this is the notebook of {other}, not {a.id}")
    answers = _answers(nb, a, source_by_id, sub_ids, notes)
    fnb = nbformat.v4.new_notebook(metadata=copy.deepcopy(a.nb.metadata))
    fnb.cells = _feedback_cells(nb, a, source_by_id, answers, notes)
    return Normalized(res.READY, notes, answers, fnb, _student_code(nb, a, source_by_id, answers))


def _answers(nb, a, source_by_id: dict, sub_ids: set, notes: list) -> dict[str, str]:
    """grade_id -> the submission's source of each answer cell (solution or written answer).

    A cell is taken by its nbgrader grade_id, the first of a duplicated id winning. When no
    cell carries the grade_id of an answer, the answers are matched by the names the code
    cells define instead (``_answers_by_name``), and a note says so. Appends to ``notes``.
    """
    answer_ids = {g for g, k in a.kinds.items() if k in (src.SOLUTION, src.ANSWER)}
    answers: dict[str, str] = {}
    if not (sub_ids & answer_ids):
        answers = _answers_by_name(nb, a, notes)
    for c in nb.cells:
        gid = src.meta(c).get("grade_id")
        if gid in answer_ids and gid not in answers:
            answers[gid] = c.source
    return answers


def _answers_by_name(nb, a, notes: list) -> dict[str, str]:
    """grade_id -> source of the code cell defining the exercise's first name, for each
    exercise whose names are all defined by some code cell (the last definition of a name
    wins); for a notebook without nbgrader metadata, e.g. answers copied into a fresh
    notebook. Appends a note on what was found to ``notes``."""
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    by_name = {}
    for c in code_cells:
        for name in src.defined_names(c.source):
            by_name[name] = c.source
    answers = {gid: by_name[names[0]] for gid, names in a.exercise_names().items()
               if names and all(n in by_name for n in names)}
    if answers:
        notes.append("no grading metadata in the notebook: answers matched by function name")
    elif not any(c.source.strip() for c in code_cells):
        notes.append("the notebook has no code")
    else:
        notes.append("no answer cell of this assignment found")
    return answers


def _feedback_cells(nb, a, source_by_id: dict, answers: dict, notes: list) -> list:
    """The cells of the notebook to run for feedback: the student's cells in their order,
    every locked cell replaced by the source's (tests without their hidden part, a duplicated
    grade_id kept once), answer cells with ``answers`` (or their stub), the student's own
    cells without nbgrader metadata or outputs and under fresh ids, and every source cell
    missing from the submission put back after the source cell that precedes it. Appends a
    note naming the locked cells restored to ``notes``."""
    cells, placed = [], set()
    for c in nb.cells:
        gid = src.meta(c).get("grade_id")
        if gid in source_by_id:
            if gid in placed:
                continue                     # a duplicated cell id: keep the first
            placed.add(gid)
            cells.append(_from_source(source_by_id[gid], answers.get(gid)))
        else:
            extra = copy.deepcopy(c)
            extra.metadata.pop("nbgrader", None)
            extra["id"] = f"student-{len(cells)}"     # fresh valid ids (the source's never look like this)
            if extra.cell_type == "code":
                extra.outputs, extra.execution_count = [], None
            cells.append(extra)
    missing = [g for g in source_by_id if g not in placed]
    _restore(cells, placed, missing, a, source_by_id, answers)
    deleted = [g for g in missing if a.kinds[g] in (src.TEST, src.READONLY)]
    if deleted:
        notes.append("restored deleted locked cells: " + ", ".join(deleted))
    return cells


def _restore(cells: list, placed: set, missing: list, a, source_by_id: dict, answers: dict) -> None:
    """Insert into ``cells`` the source cell of each grade_id in ``missing``, in the source's
    order, right after the cell of the nearest preceding source cell already placed (at the
    top when there is none). ``placed`` (grade_ids in ``cells``) grows as cells go in."""
    order = [src.meta(c).get("grade_id") for c in a.cells]
    for gid in missing:
        i = order.index(gid)
        prev = next((order[j] for j in range(i - 1, -1, -1) if order[j] in placed), None)
        pos = 0 if prev is None else next(k for k, c in enumerate(cells) if src.meta(c).get("grade_id") == prev) + 1
        cells.insert(pos, _from_source(source_by_id[gid], answers.get(gid)))
        placed.add(gid)


def _student_code(nb, a, source_by_id: dict, answers: dict) -> str:
    """All the student wrote, for the flags: the solution answers and every code cell of the
    submission that is not a source cell, each without the lines the course released
    (``Assignment.released_lines``: signatures, docstrings, demo cells), so a stub never flags."""
    extra = [c.source for c in nb.cells if c.cell_type == "code" and src.meta(c).get("grade_id") not in source_by_id]
    course = a.released_lines
    code = [answers[g] for g in answers if a.kinds[g] == src.SOLUTION] + extra
    own = ["\n".join(line for line in cell.splitlines() if line.strip() not in course) for cell in code]
    return "\n\n".join(c for c in own if c.strip())


def _from_source(cell, answer: str | None):
    c = copy.deepcopy(cell)
    k = src.kind(c)
    if k in (src.SOLUTION, src.ANSWER):
        c.source = answer if answer is not None else _stub(c)
    elif k == src.TEST:
        c.source = src.strip_hidden(c.source)
    if c.cell_type == "code":
        c.outputs, c.execution_count = [], None
    return c


def _stub(cell) -> str:
    if cell.cell_type == "code":
        return "# YOUR CODE HERE\nraise NotImplementedError()"
    return "YOUR ANSWER HERE"
