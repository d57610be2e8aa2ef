"""diagnose: the stage the judge hands failed checks to; names the known mistake that a
failed check's behaviour matches, or gives the honest generic advice.

Each assignment's catalogue of plausible wrong implementations lives with its solution,
``solutions/<assignment>/mistakes.py`` (format: ``solutions/MISTAKES.md``). When a test cell
fails, the judge runs it again in *observe* mode (``observe.py``) and hands ``Diagnosis``
the student's ``Trace``. The same cell is observed, with the same seeds, against each
catalogued mistake that this cell is meant to catch (a mistake's ``loses``), with the
reference answers and that one wrong cell (a reference ``Judge``'s ``observe_variants``). Since the test code is
deterministic given what the student's code returns, equal traces mean the student's code
behaved exactly like the mistake on every input the check tried, hidden inputs included.

A match names the mistake; several matches (mistakes that agree on every input tried) are
all named; no match gives an honest generic message. Nothing recorded here is shown to
the student: only the catalogue's explanations are.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.util
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import relations
from . import source as src
from .judge import python_source
from .observe import Trace
from .outdir import atomic_write
from .results import CellResult, KnownMistake

@dataclass(frozen=True)
class Mistake:
    exercise: str            # grade id of the solution cell the wrong code replaces
    id: str
    code: str
    explanation: str
    section: str
    loses: tuple = ()        # test cells that catch it

    def public(self) -> KnownMistake:
        """What the student may see (never the wrong code: it is close to the solution)."""
        return KnownMistake(self.id, self.exercise, self.explanation, self.section)


_catalogues: dict[str, list[Mistake]] = {}


def catalogue(a: src.Assignment) -> list[Mistake]:
    """The catalogued mistakes of ``a`` (``solutions/<id>/mistakes.py``), read once per process."""
    if a.id not in _catalogues:
        path = src.SOLUTIONS / a.id / "mistakes.py"
        entries = []
        if path.exists():
            spec = importlib.util.spec_from_file_location(f"_mistakes_{a.id}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            entries = module.MISTAKES
        _catalogues[a.id] = [
            Mistake(m["exercise"], m["id"], m["code"], m["explanation"], m["section"],
                    tuple(m.get("loses", [f"test_{m['exercise']}"]))) for m in entries]
    return _catalogues[a.id]


def adopt_catalogue(a: src.Assignment, mistakes: list[Mistake]) -> None:
    """Use ``mistakes`` as the catalogue of ``a`` in this process: the coordinator reads it
    once and sends it with each task, so a worker host needs no ``solutions/``."""
    _catalogues[a.id] = list(mistakes)


def candidates(a: src.Assignment, test_id: str) -> list[Mistake]:
    """The catalogued mistakes that ``test_id`` is meant to catch."""
    return [m for m in catalogue(a) if test_id in m.loses]


# --- the traces of the catalogued mistakes (the same for every student: cached) -----------

class TraceStore:
    """The catalogued mistakes' traces this process knows: {(assignment, mistake id, source
    digest): {test id: Trace}}. A worker's forked child observes into its copy and hands the
    parent what it added (``snapshot`` before, ``since`` after, ``merge`` in the parent)."""

    def __init__(self):
        self._traces: dict[tuple, dict] = {}

    def __contains__(self, key: tuple) -> bool:
        return key in self._traces

    def __getitem__(self, key: tuple) -> dict:
        return self._traces[key]

    def __setitem__(self, key: tuple, traces: dict) -> None:
        self._traces[key] = traces

    def snapshot(self) -> dict[tuple, dict]:
        """A copy of what is known now."""
        return dict(self._traces)

    def since(self, snapshot: dict[tuple, dict]) -> dict[tuple, dict]:
        """What was added after ``snapshot`` was taken."""
        return {k: v for k, v in self._traces.items() if k not in snapshot}

    def merge(self, traces: dict[tuple, dict]) -> None:
        self._traces.update(traces)

    def clear(self) -> None:
        self._traces.clear()


TRACES = TraceStore()
TRACE_FORMAT = 2      # 2: Trace lives in observe.py


def _installed(package: str) -> str:
    """Its version, without importing it (whether a process has imported torch must not matter)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(package)
    except PackageNotFoundError:
        return "none"


def _cache_file(a: src.Assignment, mistake: Mistake, cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    env = f"py{sys.version_info[0]}.{sys.version_info[1]}-np{np.__version__}-torch{_installed('torch')}"
    # the mistake's own code in the name too: a catalogue may build it from shared helpers
    # (mistake_cells.py) whose change the assignment's digest does not see
    code = hashlib.sha256(mistake.code.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return Path(cache_dir) / f"{a.id}-{a.digest}-v{TRACE_FORMAT}-{env}" / f"{mistake.id}-{code}.pickle"


def mistake_traces(a: src.Assignment, mistake: Mistake, make_judge, cache_dir: Path | None = None) -> dict[str, Trace]:
    """{test id: trace} of ``mistake`` on the cells that catch it (see ``many_mistake_traces``)."""
    return many_mistake_traces(a, [mistake], make_judge, cache_dir)[0]


def many_mistake_traces(a: src.Assignment, mistakes: list[Mistake], make_judge,
                        cache_dir: Path | None = None) -> list[dict[str, Trace]]:
    """For each mistake, {test id: trace} on the cells that catch it. ``make_judge(answers)``
    builds a judge for the reference answers; those not known yet are observed together
    (``Judge.observe_variants``: one sandbox, a copy of it per mistake). Traces are kept in
    memory and, given ``cache_dir`` (the output folder's ``cache/``, which only the grader
    writes), on disk: the workers of a run, and later runs, compute each once. Only complete
    traces are kept, in memory or on disk: a reference sandbox cut short (killed, out of
    processes) must not leave every later student's mistake unnamed."""
    keys = [(a.id, m.id, a.digest) for m in mistakes]
    todo, incomplete = [], {}
    for key, m in zip(keys, mistakes):
        if key not in TRACES and key not in {k for k, _ in todo}:
            cached = _read_cache(_cache_file(a, m, cache_dir))
            if cached is not None:
                TRACES[key] = cached
            else:
                todo.append((key, m))
    if todo:
        judge = make_judge(a.reference_answers)
        observed = judge.observe_variants([(m.exercise, m.code, list(m.loses)) for _, m in todo])
        for (key, m), traces in zip(todo, observed):
            if all(t.complete for t in traces.values()):
                TRACES[key] = traces
                _write_cache(_cache_file(a, m, cache_dir), traces)
            else:       # used for this check only: a later student gets a fresh observation
                incomplete[key] = traces
    return [TRACES[key] if key in TRACES else incomplete[key] for key in keys]


def _read_cache(path: Path | None):
    if path is None or not path.exists():
        return None
    try:
        return pickle.loads(path.read_bytes())
    except Exception:  # noqa: BLE001  (a damaged cache file: compute again)
        return None


def _write_cache(path: Path | None, traces: dict) -> None:
    if path is None:
        return
    try:
        atomic_write(path, pickle.dumps(traces))
    except OSError:
        pass


def diagnose(a: src.Assignment, test_id: str, student: Trace, make_judge, cache_dir: Path | None = None) -> list[Mistake]:
    """The catalogued mistakes whose behaviour on ``test_id`` equals the student's."""
    if not student.complete:
        return []
    found = []
    mistakes = candidates(a, test_id)
    for m, traces in zip(mistakes, many_mistake_traces(a, mistakes, make_judge, cache_dir)):
        t = traces.get(test_id)
        if t is not None and student.matches(t):
            found.append(m)
    return found


class Diagnosis:
    """Explains failed checks of one assignment: ``Judge(..., diagnosis=Diagnosis(...))``."""

    def __init__(self, a: src.Assignment, cache_dir: Path | str | None = None):
        self.a = a
        self.cache_dir = Path(cache_dir) if cache_dir else None   # see many_mistake_traces

    def wants_trace(self, test_id: str, raised: str | None, answers: dict[str, str]) -> bool:
        """Whether observing the failed check could name a mistake: not for the stub, or a
        name the code never defined (no catalogued mistake raises these; tests/test_diagnosis.py
        checks), nor for a check no mistake is meant to fail."""
        return raised not in ("NotImplementedError", "NameError") and bool(candidates(self.a, test_id))

    def explain(self, cell, result: CellResult, raised: str | None, answers: dict[str, str],
                trace: Trace | None, graded: list[CellResult], make_judge) -> None:
        """Fill ``result.diagnosis`` (the known mistakes the student's ``trace`` matches) or
        ``result.advice``; ``graded`` are the checks graded before this one, and
        ``make_judge(answers)`` gives the reference judge that observes the catalogue."""
        exercise = self.a.exercise_of(result.grade_id)
        if raised == "NotImplementedError" and "NotImplementedError" in answers.get(exercise, "raise NotImplementedError()"):
            result.advice = ("This exercise is not answered yet: replace `raise NotImplementedError()` "
                             "in its cell with your code.")
            return
        found = diagnose(self.a, result.grade_id, trace, make_judge, self.cache_dir) if trace else []
        if found:
            result.diagnosis = [m.public() for m in found]
            return
        related = self.relation(result.grade_id, exercise, trace, make_judge)
        if related is not None:
            result.diagnosis = [related]
        else:
            result.advice = self.advice(cell, graded)

    def relation(self, test_id: str, exercise: str | None, trace: Trace | None, make_judge) -> KnownMistake | None:
        """The general layer (``relations.py``): how the student's output relates to the
        reference's on the same inputs, when no catalogued mistake matched. The reference's
        own trace is observed like a catalogued mistake (the reference code in place of
        itself), so it is computed once and cached with them."""
        if trace is None or not trace.complete or not exercise or not candidates(self.a, test_id):
            return None
        code = self.a.reference_answers.get(exercise)
        if code is None:
            return None
        reference = Mistake(exercise, f"reference-{test_id}", code, "", "", (test_id,))
        traces = many_mistake_traces(self.a, [reference], make_judge, self.cache_dir)[0]
        found = relations.relation(trace, traces.get(test_id))
        if found is None:
            return None
        section = self.a.headings_above(exercise)[0]
        return KnownMistake(found.id, exercise, found.explanation, section)

    def advice(self, cell, graded: list[CellResult]) -> str:
        """The honest generic message: where to retry, and which failed exercise it depends on."""
        gid = src.meta(cell)["grade_id"]
        exercise = self.a.exercise_of(gid)
        section, heading = self.a.headings_above(exercise) if exercise else ("", "")
        where = f"under “{heading}”" if heading else "above this check"
        if section:
            where += f" (section “{section}”)"
        defined = self.a.exercise_names()
        failed = {self.a.exercise_of(c.grade_id) for c in graded if (c.score or 0) < c.points}
        used = names_in(cell.source) | names_in(self.a.reference_answers.get(exercise, ""))
        deps = sorted(n for e in failed if e and e != exercise for n in defined.get(e, []) if n in used)
        text = ""
        if deps:
            text = ("This check also uses " + ", ".join(f"`{n}`" for n in deps)
                    + ", which failed its own check: fix that first, then run this check again. ")
        text += (f"No known mistake matches what your code did here. Run the visible example {where} "
                 "again and compare your output with the expected value it prints.")
        return text


def names_in(code: str) -> set[str]:
    """The names a cell's code uses (none if it does not parse)."""
    try:
        return {n.id for n in ast.walk(ast.parse(python_source(code))) if isinstance(n, ast.Name)}
    except SyntaxError:
        return set()
