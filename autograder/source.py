"""What the pipeline knows about each assignment, read from its nbgrader source notebook
in ``solutions/`` (the single source of truth: the tests and their hidden parts are never
written twice)."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
ASSIGNMENT_RE = re.compile(r"\d\d_[a-z][a-z0-9_]*")
HIDDEN_RE = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*(\n|$)", re.S | re.M)


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def kind(cell) -> str:
    """'test', 'solution', 'answer' (written, graded by hand), 'readonly', 'task' or ''."""
    m = meta(cell)
    if not m:
        return ""
    if m.get("task"):
        return "task"
    if m.get("solution"):
        return "solution" if cell.cell_type == "code" else "answer"
    if m.get("grade"):
        return "test"
    if m.get("locked"):
        return "readonly"
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


@dataclass
class Assignment:
    id: str
    notebook_id: str
    path: Path
    nb: object
    cells: list = field(default_factory=list)          # source cells (nbformat nodes)

    @property
    def grade_ids(self) -> list[str]:
        return [meta(c)["grade_id"] for c in self.cells if meta(c).get("grade_id")]

    @property
    def tests(self) -> list:
        return [c for c in self.cells if kind(c) == "test"]

    @property
    def test_points(self) -> dict[str, float]:
        return {meta(c)["grade_id"]: float(meta(c).get("points", 0)) for c in self.tests}

    @property
    def manual_points(self) -> dict[str, float]:
        return {meta(c)["grade_id"]: float(meta(c).get("points", 0)) for c in self.cells
                if kind(c) in ("answer", "task") or (kind(c) == "solution" and meta(c).get("grade"))}

    @property
    def solutions(self) -> list:
        return [c for c in self.cells if kind(c) == "solution"]

    def exercise_names(self) -> dict[str, list[str]]:
        """solution grade_id -> the names its reference solution defines."""
        return {meta(c)["grade_id"]: defined_names(c.source) for c in self.solutions}

    def exercise_of(self, test_id: str) -> str | None:
        """The solution cell a test cell checks: the nearest one above it."""
        current = None
        for c in self.cells:
            if kind(c) == "solution":
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


def reference_answers(assignment: str) -> dict[str, str]:
    """grade_id -> the reference solution code of every exercise (markers removed)."""
    return {meta(c)["grade_id"]: "\n".join(line for line in c.source.splitlines()
                                          if not line.strip().startswith(("### BEGIN SOLUTION", "### END SOLUTION")))
            for c in load(assignment).solutions}


_SOLUTION_BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*(\n|$)", re.S | re.M)
STUB_LINES = ("# YOUR CODE HERE", "raise NotImplementedError()")   # what nbgrader puts in a solution's place


@lru_cache(maxsize=None)
def released_lines(assignment: str) -> frozenset[str]:
    """The lines (stripped) of every code cell as students receive them: locked cells,
    the course's demo cells, solution cells without their solution blocks (signatures,
    docstrings) and nbgrader's stub lines. What a student wrote is what their code has
    beyond these; hidden tests are not released, so their lines are not here."""
    lines = set(STUB_LINES)
    for c in load(assignment).cells:
        if c.cell_type == "code":
            lines.update(line.strip() for line in HIDDEN_RE.sub("", _SOLUTION_BLOCK.sub("", c.source)).splitlines())
    return frozenset(lines)


@lru_cache(maxsize=None)
def digest(assignment: str) -> str:
    """Identifies the version of an assignment's source notebook and catalogue."""
    import hashlib
    h = hashlib.sha256(load(assignment).path.read_bytes())
    extra = SOLUTIONS / assignment / "mistakes.py"
    if extra.exists():
        h.update(extra.read_bytes())
    return h.hexdigest()[:16]


def available(solutions: Path = SOLUTIONS) -> list[str]:
    return sorted(p.name for p in solutions.iterdir()
                  if p.is_dir() and ASSIGNMENT_RE.fullmatch(p.name) and list(p.glob("*.ipynb")))


@lru_cache(maxsize=None)
def load(assignment: str, solutions: Path = SOLUTIONS) -> Assignment:
    (path,) = sorted((solutions / assignment).glob("*.ipynb"))[:1]
    nb = nbformat.read(path, as_version=4)
    return Assignment(assignment, path.stem, path, nb, list(nb.cells))
