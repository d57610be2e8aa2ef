"""What the pipeline knows about each assignment, read from its nbgrader source notebook
in ``solutions/`` (the single source of truth: the tests and their hidden parts are never
written twice): ``Assignment``, one typed object per assignment, read by ``load`` at the
entry points and handed to every stage; the kinds of cell (``SOLUTION``, ``ANSWER``,
``TEST``, ``READONLY``, ``TASK``) every stage compares with."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
ASSIGNMENT_RE = re.compile(r"\d\d_[a-z][a-z0-9_]*")
HIDDEN_RE = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*(\n|$)", re.S | re.M)


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


# the kinds of cell (``kind``), from nbgrader's metadata; every stage compares with these
SOLUTION = "solution"    # a code cell the student answers (an exercise)
ANSWER = "answer"        # a markdown cell the student answers, graded by hand
TEST = "test"            # a test cell with points (visible and hidden checks)
READONLY = "readonly"    # a locked cell of the course's (the setup, examples)
TASK = "task"            # a task cell, graded by hand


def kind(cell) -> str:
    """SOLUTION, ANSWER, TEST, READONLY, TASK or '' (any other cell)."""
    m = meta(cell)
    if not m:
        return ""
    if m.get("task"):
        return TASK
    if m.get("solution"):
        return SOLUTION if cell.cell_type == "code" else ANSWER
    if m.get("grade"):
        return TEST
    if m.get("locked"):
        return READONLY
    return ""


def strip_hidden(source: str) -> str:
    return HIDDEN_RE.sub("# (hidden tests run by the grader)\n", source)


def defined_names(code: str) -> list[str]:
    """Top-level functions and classes a cell defines (the exercise's contract names)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return re.findall(r"^(?:def|class)\s+([A-Za-z_]\w*)", code, re.M)
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]


@dataclass(frozen=True)
class Assignment:
    """One assignment as the course defines it: everything the stages need to know about it,
    read once per run from its nbgrader source notebook ``solutions/<id>/<notebook>.ipynb``
    (``load``, called by the entry points only: the command line, the coordinator, the
    benchmark, the demo, the tests) and handed to every stage from there (collect's results,
    the output folder's file names, the judge, the diagnosis, the feedback, the gradebook,
    the grade sheet, the class report, each worker's ``Task``).

    It owns the source notebook and what is derived from it once, at load: the cells'
    kinds, the points of each test, the manually graded points, the reference answers, the
    lines students were given and the digest of the source and its catalogue. It holds the
    hidden tests, so it never leaves the trusted side (it travels to worker processes and
    Dask workers pickled, inside their ``Task``, never into a sandbox). Frozen: a stage reads
    it, and never changes its dicts or lists, which every stage of the run shares."""

    id: str
    """The assignment's id, the name of its folder under ``solutions/`` (``01_perceptron``);
    what a ``SubmissionResult`` records as its ``assignment``."""
    notebook_id: str
    """The source notebook's file stem: names every file of a submission (``<notebook_id>.ipynb``
    in ``submitted/`` and ``autograded/``, ``<notebook_id>.html`` in ``feedback/``) and the
    notebook in nbgrader's gradebook."""
    path: Path
    """The source notebook (hidden tests included)."""
    nb: Any
    """The source notebook as an nbformat node (nbgrader's ``SaveCells`` reads it; its metadata
    is the rebuilt submission's)."""
    cells: list[Any]
    """The source notebook's cells (nbformat nodes), in order."""
    kinds: dict[str, str]
    """grade id -> the kind of that cell (``SOLUTION``, ``ANSWER``, ``TEST``, ``READONLY``,
    ``TASK`` or ''), for every cell with a grade id."""
    test_points: dict[str, float]
    """Test cell grade id -> its points (float), in notebook order: what the autograder scores."""
    manual_points: dict[str, float]
    """Grade id -> points of every manually graded cell (written answers, tasks, graded
    solution cells), graded by hand in the formgrader."""
    reference_answers: dict[str, str]
    """Solution cell grade id -> its reference code (the ``### BEGIN/END SOLUTION`` markers removed)."""
    released_lines: frozenset[str]
    """The lines (stripped) of every code cell as students receive them: locked cells, the
    course's demo cells, solution cells without their solution blocks (signatures,
    docstrings) and nbgrader's stub lines. What a student wrote is what their code has
    beyond these; hidden tests are not released, so their lines are not here."""
    digest: str
    """Identifies the version of the source notebook and its catalogue (``mistakes.py``): keys
    the cached traces and reference times."""
    others: dict[str, frozenset[str]] = field(default_factory=dict)
    """The course's other assignments: id -> the grade ids of their solution, answer and test
    cells (a notebook of another assignment is named by these: ``normalize``)."""

    @property
    def grade_ids(self) -> list[str]:
        return [meta(c)["grade_id"] for c in self.cells if meta(c).get("grade_id")]

    @property
    def tests(self) -> list:
        return [c for c in self.cells if kind(c) == TEST]

    @property
    def solutions(self) -> list:
        return [c for c in self.cells if kind(c) == SOLUTION]

    def file_name(self, suffix: str) -> str:
        """The name of a submission's file: ``<notebook_id><suffix>`` (``.ipynb``, ``.html``)."""
        return f"{self.notebook_id}{suffix}"

    def exercise_names(self) -> dict[str, list[str]]:
        """solution grade_id -> the names its reference solution defines."""
        return {meta(c)["grade_id"]: defined_names(c.source) for c in self.solutions}

    def exercise_of(self, test_id: str) -> str | None:
        """The solution cell a test cell checks: the nearest one above it."""
        current = None
        for c in self.cells:
            if kind(c) == SOLUTION:
                current = meta(c)["grade_id"]
            elif meta(c).get("grade_id") == test_id:
                return current
        return None

    def headings_above(self, grade_id: str) -> tuple[str, str]:
        """(section "## ...", exercise "### ...") headings above a cell, without the #s."""
        section = exercise = ""
        for c in self.cells:
            if meta(c).get("grade_id") == grade_id:
                break
            if c.cell_type == "markdown":
                for line in c.source.splitlines():
                    if line.startswith("## "):
                        section, exercise = line[3:].strip(), ""
                    elif line.startswith("### "):
                        exercise = line[4:].strip()
        return section, exercise


GRADED_KINDS = (SOLUTION, TEST, ANSWER)    # the cells that make a notebook an assignment's own
_SOLUTION_BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*(\n|$)", re.S | re.M)
STUB_LINES = ("# YOUR CODE HERE", "raise NotImplementedError()")   # what nbgrader puts in a solution's place


def _reference_answers(cells: list) -> dict[str, str]:
    """grade_id -> the reference solution code of every exercise (markers removed)."""
    return {meta(c)["grade_id"]: "\n".join(line for line in c.source.splitlines()
                                          if not line.strip().startswith(("### BEGIN SOLUTION", "### END SOLUTION")))
            for c in cells if kind(c) == SOLUTION}


def _released_lines(cells: list) -> frozenset[str]:
    """``Assignment.released_lines`` of these cells."""
    lines = set(STUB_LINES)
    for c in cells:
        if c.cell_type == "code":
            lines.update(line.strip() for line in HIDDEN_RE.sub("", _SOLUTION_BLOCK.sub("", c.source)).splitlines())
    return frozenset(lines)


def _by_hand(c) -> bool:
    """A cell graded by hand: a written answer, a task, a solution cell with points."""
    return kind(c) in (ANSWER, TASK) or (kind(c) == SOLUTION and bool(meta(c).get("grade")))


def _points(cells: list, counted) -> dict[str, float]:
    """grade id -> points of the cells ``counted(cell)`` picks."""
    return {meta(c)["grade_id"]: float(meta(c).get("points", 0)) for c in cells if counted(c)}


def _digest(path: Path, mistakes: Path) -> str:
    import hashlib
    h = hashlib.sha256(path.read_bytes())
    if mistakes.exists():
        h.update(mistakes.read_bytes())
    return h.hexdigest()[:16]


def available(solutions: Path = SOLUTIONS) -> list[str]:
    return sorted(p.name for p in solutions.iterdir()
                  if p.is_dir() and ASSIGNMENT_RE.fullmatch(p.name) and list(p.glob("*.ipynb")))


def _notebook(assignment: str, solutions: Path):
    (path,) = sorted((solutions / assignment).glob("*.ipynb"))[:1]
    return path, nbformat.read(path, as_version=4)


@lru_cache(maxsize=None)
def _graded_ids(assignment: str, solutions: Path) -> frozenset[str]:
    return frozenset(meta(c)["grade_id"] for c in _notebook(assignment, solutions)[1].cells if kind(c) in GRADED_KINDS)


@lru_cache(maxsize=None)
def load(assignment: str, solutions: Path = SOLUTIONS) -> Assignment:
    """The assignment ``solutions/<assignment>/``, read once per process (for entry points:
    the stages are handed the object)."""
    path, nb = _notebook(assignment, solutions)
    cells = list(nb.cells)
    return Assignment(
        id=assignment, notebook_id=path.stem, path=path, nb=nb, cells=cells,
        kinds={meta(c)["grade_id"]: kind(c) for c in cells if meta(c).get("grade_id")},
        test_points=_points(cells, lambda c: kind(c) == TEST), manual_points=_points(cells, _by_hand),
        reference_answers=_reference_answers(cells), released_lines=_released_lines(cells),
        digest=_digest(path, solutions / assignment / "mistakes.py"),
        others={o: _graded_ids(o, solutions) for o in available(solutions) if o != assignment})
