"""Run real nbgrader on the course's notebooks in a throwaway course directory.

Used by the notebook tests: generate the student version of an assignment from
``solutions/``, build submissions (the solution, the blank student notebook, the
catalogued wrong versions), autograde them all with ``nbgrader autograde``, and
read the scores back from nbgrader's gradebook.
"""
from __future__ import annotations

import copy
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent   # not common.ROOT: run_graded_cells.py imports this in venvs without the grader
SOLUTIONS = ROOT / "solutions"
NOTEBOOKS = ROOT / "notebooks"
AUTOGRADER = ROOT / "autograder"


def assignments() -> list[str]:
    return sorted(p.name for p in SOLUTIONS.iterdir() if p.is_dir() and p.name[:2].isdigit())


def notebook_name(assignment: str) -> str:
    (nb,) = [p.name for p in (SOLUTIONS / assignment).glob("*.ipynb")]
    return nb


def _nbgrader(course: Path, *args: str, check=True) -> subprocess.CompletedProcess:
    """Run the nbgrader CLI with the course's config, redirected into ``course``."""
    cmd = [sys.executable, "-m", "nbgrader", *args,
           f"--CourseDirectory.root={course}",
           f"--CourseDirectory.source_directory={SOLUTIONS}",
           "--CourseDirectory.release_directory=release",
           f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}",
           f"--Exchange.root={course / 'exchange'}"]
    proc = subprocess.run(cmd, cwd=AUTOGRADER, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


@dataclass
class GradedCourse:
    """A temporary nbgrader course for one assignment."""
    assignment: str
    root: Path
    scores: dict = field(default_factory=dict)  # student -> {grade_id: (score, max_score)}

    @classmethod
    def create(cls, assignment: str, root: Path) -> "GradedCourse":
        (root / "exchange").mkdir(parents=True, exist_ok=True)
        _nbgrader(root, "generate_assignment", assignment, "--force")
        return cls(assignment, root)

    @property
    def released(self) -> Path:
        return self.root / "release" / self.assignment / notebook_name(self.assignment)

    def solution_notebook(self):
        return nbformat.read(SOLUTIONS / self.assignment / notebook_name(self.assignment), as_version=4)

    def student_notebook(self):
        return nbformat.read(self.released, as_version=4)

    def filled_notebook(self, replacements: dict[str, str] | None = None, core_only=False):
        """The student notebook with every answer cell filled in from the solution,
        except the cells named in ``replacements`` (grade_id -> source).

        core_only keeps only the cells nbgrader tracks (setup, answers, tests), which is
        enough to grade the exercises and much faster for heavy notebooks.
        """
        solved = {nbgrader_meta(c).get("grade_id"): c.source for c in self.solution_notebook().cells
                  if nbgrader_meta(c).get("solution")}
        nb = copy.deepcopy(self.student_notebook())
        for cell in nb.cells:
            gid = nbgrader_meta(cell).get("grade_id")
            if nbgrader_meta(cell).get("solution") and gid in solved:
                cell.source = solved[gid]
            if replacements and gid in replacements:
                cell.source = replacements[gid]
        if core_only:
            nb.cells = [c for c in nb.cells if c.cell_type == "markdown" or nbgrader_meta(c)]
        return nb

    def submit(self, student: str, nb) -> None:
        dest = self.root / "submitted" / student / self.assignment / notebook_name(self.assignment)
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, dest)

    def autograde(self) -> None:
        _nbgrader(self.root, "autograde", self.assignment, "--force")
        self.scores = self.read_scores()

    def read_scores(self) -> dict:
        from nbgrader.api import Gradebook

        nb_id = Path(notebook_name(self.assignment)).stem
        out = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            for sub in gb.assignment_submissions(self.assignment):
                nb = gb.find_submission_notebook(nb_id, self.assignment, sub.student.id)
                out[sub.student.id] = {g.name: (g.score, g.max_score) for g in nb.grades}
        return out

    def autograded(self, student: str):
        path = self.root / "autograded" / student / self.assignment / notebook_name(self.assignment)
        return nbformat.read(path, as_version=4)


def error_outputs(nb) -> list[str]:
    """Tracebacks of every code cell of an executed notebook that raised."""
    errors = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"{cell.metadata.get('nbgrader', {}).get('grade_id', '?')}: "
                              f"{out.get('ename')}: {out.get('evalue')}")
    return errors


# --- fast path for the catalogue of wrong implementations --------------------------

def graded_cells(nb) -> list[tuple[dict, str]]:
    """(nbgrader metadata, source) of every code cell nbgrader tracks, magics removed."""
    cells = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta:
            source = "\n".join(line for line in cell.source.splitlines()
                               if not line.lstrip().startswith(("%", "!")))
            cells.append((meta, source))
    return cells


def _run_cells_in_child(cells, conn) -> None:
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        results = _variant_results(cells, 0, {"__name__": "__main__"}, {}, {})
    conn.send(results)
    conn.close()


def _with_locked_cells(nb, source_nb):
    """The graded cells of ``nb`` with every locked and test cell taken from ``source_nb``, as
    nbgrader's autograde does (the solution notebook holds the hidden tests)."""
    locked = {nbgrader_meta(c)["grade_id"]: c.source for c in source_nb.cells
              if nbgrader_meta(c).get("locked") or (nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution"))}
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") in locked:
            cell.source = locked[nbgrader_meta(cell)["grade_id"]]
    return graded_cells(nb)


def grade_in_fork(nb, source_nb, timeout: float = 120) -> dict:
    """Score a notebook's test cells by running its graded cells in a forked interpreter.

    The same rule as nbgrader's: a test cell earns its points when it runs without
    raising. Used for the many catalogued wrong versions, where starting a Jupyter
    kernel per version would cost most of the test suite's time; the solution and the
    blank notebook go through real `nbgrader autograde` (see GradedCourse).
    Like nbgrader's autograde, the test cells (and every other locked cell) are taken
    from ``source_nb``, the solution notebook with its hidden tests, not from ``nb``.
    Returns {grade_id: (score, max_score)} for the autograded test cells.
    """
    import multiprocessing as mp

    cells = _with_locked_cells(nb, source_nb)
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_cells_in_child, args=(cells, child))
    proc.start()
    child.close()
    passed = parent.recv() if parent.poll(timeout) else {}
    proc.join(5)
    if proc.is_alive():
        proc.kill()
    return {meta["grade_id"]: (float(meta["points"]) if passed.get(meta["grade_id"]) else 0.0,
                               float(meta["points"]))
            for meta, _ in cells if meta.get("grade") and not meta.get("solution")}


def _variant_results(cells, start: int, namespace: dict, results: dict, replacement: dict[str, str],
                     stop: int | None = None) -> dict:
    """Run cells[start:stop] in ``namespace`` with ``replacement`` (grade_id -> source) applied."""
    for meta, source in cells[start:stop]:
        source = replacement.get(meta["grade_id"], source)
        try:
            exec(compile(source, meta["grade_id"], "exec"), namespace)
            ok = True
        except BaseException:  # noqa: BLE001  (a test cell that raises anything scores 0)
            ok = False
        if meta.get("grade"):
            results[meta["grade_id"]] = ok
    return results


def _fork_tree(cells, forks: dict[int, list[tuple[str, dict, int | None]]], timeout: float, conn) -> None:
    """Run the cells once; just before cell k, fork one child per variant that starts there.

    A variant's child inherits the interpreter exactly as the unchanged notebook left it after
    cells[:k] (the same state a fresh run of the variant reaches, since the cells before k are
    the same), so each variant runs only its own suffix.
    """
    import contextlib
    import io
    import pickle
    import select
    import signal

    namespace = {"__name__": "__main__"}
    results, out = {}, {}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for k in range(len(cells) + 1):
            for key, replacement, stop in forks.get(k, []):
                read_end, write_end = os.pipe()
                pid = os.fork()
                if pid == 0:                                   # the variant
                    os.close(read_end)
                    try:
                        data = pickle.dumps(_variant_results(cells, k, namespace, dict(results), replacement, stop))
                        with os.fdopen(write_end, "wb") as f:
                            f.write(data)
                    finally:
                        os._exit(0)
                os.close(write_end)
                chunks, deadline = [], time.monotonic() + timeout
                while (left := deadline - time.monotonic()) > 0 and select.select([read_end], [], [], left)[0]:
                    chunk = os.read(read_end, 1 << 20)
                    if not chunk:
                        break
                    chunks.append(chunk)
                os.close(read_end)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                try:
                    out[key] = pickle.loads(b"".join(chunks))
                except Exception:  # noqa: BLE001  (killed at the timeout, or crashed: every later cell scores 0)
                    out[key] = dict(results)
            if k < len(cells):
                _variant_results(cells[k:k + 1], 0, namespace, results, {})
    conn.send(out)
    conn.close()


def grade_variants_in_fork(nb, source_nb, variants: dict[str, dict[str, str]], timeout: float = 120,
                           needed: dict[str, list[str]] | None = None) -> dict:
    """Score many variants of one notebook as ``grade_in_fork`` would score each, faster.

    ``nb`` is the notebook every variant starts from; ``variants`` maps a key to the cells it
    replaces (grade_id -> source). The unchanged cells run once, and each variant runs from its
    first replaced cell on, in a child forked at that point (see ``_fork_tree``). Returns
    {key: {grade_id: (score, max_score)}}, the same as grade_in_fork(nb with the variant).
    ``needed`` (key -> test ids): that variant's run stops after the last of these cells, and
    its scores cover the test cells up to there.
    """
    import multiprocessing as mp

    cells = _with_locked_cells(nb, source_nb)
    index = {meta["grade_id"]: k for k, (meta, _) in enumerate(cells)}
    forks: dict[int, list] = {}
    stops: dict[str, int] = {}
    for key, replacement in variants.items():
        unknown = set(replacement) - set(index)
        assert not unknown, f"{key} replaces cells the notebook does not grade: {unknown}"
        if needed and key in needed:
            stops[key] = max(index[g] for g in needed[key]) + 1
        forks.setdefault(min(index[g] for g in replacement), []).append((key, replacement, stops.get(key)))
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_fork_tree, args=(cells, forks, timeout, child))
    proc.start()
    child.close()
    passed = parent.recv() if parent.poll(timeout * (len(variants) + 1)) else {}
    proc.join(5)
    if proc.is_alive():
        proc.kill()
    return {key: {meta["grade_id"]: (float(meta["points"]) if passed.get(key, {}).get(meta["grade_id"]) else 0.0,
                                     float(meta["points"]))
                  for meta, _ in cells[:stops.get(key)] if meta.get("grade") and not meta.get("solution")}
            for key in variants}
