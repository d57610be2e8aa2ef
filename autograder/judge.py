"""judge: run the course's test cells in a trusted process against the student's code.

The test cells (visible and hidden parts, from the source notebook) run here, with the
grader's own NumPy, nnkit and builtins. Every exercise name (what the reference solution
cells define) is a ``RemoteObject`` for the student's definition, which lives in a fresh
sandboxed interpreter that has run only the locked code cells and the student's solution
cells (``remote.Jail``). A test cell passes iff it runs to its end without an exception.
"""
from __future__ import annotations

import builtins
import contextlib
import io
import re
import time
import traceback
from dataclasses import dataclass, field

from IPython.core.inputtransformer2 import TransformerManager

from . import observe, sandbox
from . import results as res
from .jail import remote
from .jail.wire import GradingShell
from . import source as src
from .results import CellResult

_tm = TransformerManager()


def python_source(code: str) -> str:
    """IPython syntax (magics, !shell) -> plain Python (get_ipython() calls)."""
    if not re.search(r"^[ \t]*[%!]|\?[ \t]*$", code, re.M):     # [ \t], not \s: linear in blank lines
        return code
    try:
        return _tm.transform_cell(code)
    except Exception:  # noqa: BLE001
        return code


@dataclass
class JudgeReport:
    cells: list = field(default_factory=list)
    setup_errors: list = field(default_factory=list)   # (cell name, message) of the student's cells
    restarts: int = 0
    seconds: float = 0.0


def _hidden_start(source: str) -> int | None:
    for i, line in enumerate(source.splitlines(), 1):
        if line.strip().startswith("### BEGIN HIDDEN TESTS"):
            return i
    return None


HIDDEN_MARK = "__autograder_hidden__"


def mark_hidden(code: str) -> str:
    """The test code with a call to ``HIDDEN_MARK()`` where its hidden part begins (on the
    marker's own line, so line numbers do not move): the judge knows when hidden inputs
    start crossing into the student's interpreter, wherever the code that fails is."""
    lines = code.split("\n")
    for i, line in enumerate(lines):
        if line.strip().startswith("### BEGIN HIDDEN TESTS"):
            indent = line[:len(line) - len(line.lstrip())]
            lines[i] = f"{indent}{HIDDEN_MARK}()  # ### BEGIN HIDDEN TESTS"
            break
    return "\n".join(lines)


def public_name(type_name: str) -> str:
    """An exception's name as the feedback shows it: builtin names only (the student's code
    names its own classes, so such a name can carry anything, hidden inputs included)."""
    base = getattr(builtins, str(type_name), None)
    if isinstance(base, type) and issubclass(base, BaseException):
        return type_name
    return "an exception of its own class"


def _failing_line(tb, filename: str) -> int | None:
    line = None
    for frame, lineno in traceback.walk_tb(tb):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def _first_line(msg: str, limit: int = 240) -> str:
    msg = (msg or "").strip().splitlines()[0] if (msg or "").strip() else ""
    return msg[:limit]


def _classify(exc: BaseException, in_hidden: bool, tainted: bool = False, code: str = "") -> tuple[str, str]:
    """(status, message for the student) of a failed cell. Once hidden inputs have reached the
    student's interpreter (``in_hidden``, or ``tainted``: an earlier check gave it hidden
    inputs), the message is fixed wording: which exception was raised, how the interpreter
    ended and what a check said of the result could each repeat bits of hidden inputs. A
    hidden assertion's message is shown only when it is the test's own text (``code``)."""
    where = "hidden check" if in_hidden else "check"
    if isinstance(exc, remote.JailTimeout):
        return res.TIMEOUT, f"{where} failed: your code did not finish in time (endless loop or too slow?)"
    if isinstance(exc, remote.JailDied):
        if in_hidden or tainted:
            return res.CRASHED, f"{where} failed: your code crashed the Python interpreter"
        return res.CRASHED, f"{where} failed: your code crashed the Python interpreter ({exc.message})"
    if isinstance(exc, remote.ProxyRefused):
        return res.FAILED, (f"{where} failed: your code returned an object that is not plain data where a "
                          "number or array was expected")
    if isinstance(exc, remote.RemoteError):
        if in_hidden:
            return res.ERROR, "hidden check failed: your code raised an error"
        if tainted:
            return res.ERROR, ("check failed: your code raised an error (which one is not shown: hidden "
                             "checks had already given inputs to your code)")
        return res.ERROR, f"your code raised {public_name(exc.type_name)}: {_first_line(exc.message)}"
    if isinstance(exc, AssertionError):
        if in_hidden:
            msg = _first_line(str(exc))
            return res.FAILED, "hidden check failed" + (f": {msg}" if msg and msg in code else "")
        return res.FAILED, str(exc)[:2000]
    if in_hidden:
        return res.FAILED, "hidden check failed while checking your result"
    return res.FAILED, f"{type(exc).__name__}: {_first_line(str(exc))}"


class Judge:
    """Grades one student's answers to one assignment on the trusted side: runs every test
    cell (visible and hidden parts) in this process against proxies of the student's
    definitions, which live in a sandboxed interpreter (``jail.remote.Jail``).

    It owns that jail (started, restarted after a crash or a hang, at most ``max_restarts``
    times), the deadline of each test cell, the cells of the student's that crashed or hung
    the interpreter (``skip``, not run again) and the report it fills (``JudgeReport``: one
    ``CellResult`` per test cell, the setup errors). Failed checks are handed to
    ``diagnosis`` (a ``diagnose.Diagnosis``, or None), with a factory of reference judges
    (``reference_judge``) to observe the catalogue's mistakes with.

    Fields: ``a`` (the ``source.Assignment``), ``answers`` ({solution grade id: code}),
    ``limits`` (the sandbox's), ``call_timeout`` (one call into the student's code),
    ``cell_timeout`` (one test cell), ``exec_timeout`` (one answer cell at definition time).
    """

    def __init__(self, a: src.Assignment, answers: dict[str, str], limits: sandbox.Limits,
                 call_timeout: float = 30.0, cell_timeout: float = 180.0, exec_timeout: float = 30.0,
                 max_restarts: int = 4, diagnosis=None):
        """``diagnosis``: the stage failed checks are handed to (``diagnose.Diagnosis``), or None."""
        self.a = a
        self.diagnosis = diagnosis
        self.answers = answers
        self.limits = limits
        self.call_timeout = call_timeout
        self.cell_timeout = cell_timeout
        self.exec_timeout = exec_timeout
        self.max_restarts = max_restarts
        self.report = JudgeReport()
        self.jail: remote.Jail | None = None
        self.skip: set[str] = set()       # student cells that crashed or hung the interpreter
        self._raised: str | None = None   # the exception type the student's code raised in the last check
        self._in_hidden = False           # the running test cell has reached its hidden part
        self._tainted: set[int] = set()   # jail generations that have seen hidden inputs

    # the code the sandbox runs: locked code cells from the source, the student's answers
    def _jail_cells(self) -> list[tuple[str, str]]:
        out = []
        for c in self.a.cells:
            k, gid = src.kind(c), src.meta(c).get("grade_id")
            if c.cell_type != "code":
                continue
            if k == src.READONLY:
                out.append((gid, c.source, True))
            elif k == src.SOLUTION:
                out.append((gid, self.answers.get(gid, "raise NotImplementedError()"), False))
        return out

    def _start_jail(self):
        """(Re)start the sandboxed interpreter and run the locked cells and the answers in it.
        A cell that hangs or kills the interpreter is skipped from then on."""
        errors = dict(self.report.setup_errors)
        while True:
            if self.jail is None:
                self.jail = remote.Jail(self.limits, self.call_timeout)
            else:
                self.report.restarts += 1
                self.jail.start()
            if self._run_jail_cells(self._jail_cells(), errors, self.skip):
                break
        self.report.setup_errors = list(errors.items())

    def _run_jail_cells(self, cells, errors: dict, skip: set) -> bool:
        """Run these (grade id, code, locked) cells in the interpreter; False if one of them
        hung or killed it (that cell goes into ``skip``, and is skipped from then on)."""
        for gid, code, locked in cells:
            if gid in skip:
                continue
            try:
                # the course's own locked cells (imports) get a generous limit
                timeout = max(self.exec_timeout, 120.0) if locked else self.exec_timeout
                self.jail.exec_cell(python_source(code), f"<cell {gid}>", timeout)
            except remote.JailTimeout:
                skip.add(gid)
                errors[gid] = "did not finish in time; it was skipped"
                return False
            except remote.JailDied as e:
                skip.add(gid)
                errors[gid] = f"stopped the interpreter ({e.message}); it was skipped"
                return False
            except remote.RemoteError as e:
                errors.setdefault(gid, f"{public_name(e.type_name)}: {_first_line(e.message)}")
        return True

    def _walk(self, on_test) -> None:
        """Start the student's interpreter, then go through the source notebook (``_walk_source``)."""
        try:
            self._start_jail()
            self._walk_source(on_test)
        finally:
            if self.jail is not None:
                self.jail.close()

    def _walk_source(self, on_test) -> None:
        """Go through the source notebook: locked cells run here (with proxies for the exercise
        names), test cells go to ``on_test(cell, ns)``."""
        names = sorted({n for ns in self.a.exercise_names().values() for n in ns})
        ns = {"__name__": "__main__", "get_ipython": lambda: GradingShell()}
        for c in self.a.cells:
            k, gid = src.kind(c), src.meta(c).get("grade_id")
            if c.cell_type != "code" or k not in (src.READONLY, src.TEST):
                continue
            for n in names:                       # re-bound before every cell
                ns[n] = self.jail.proxy(n)
            if k == src.READONLY:
                try:
                    with contextlib.redirect_stdout(io.StringIO()):
                        exec(compile(python_source(c.source), f"<source {gid}>", "exec"), ns)
                except Exception as e:  # noqa: BLE001
                    self.report.setup_errors.append((gid, f"locked cell failed in the grader: {e!r}"))
                continue
            if on_test(c, ns):           # True: no later cell is needed
                break

    def run(self, only: list[str] | None = None) -> JudgeReport:
        """Grade every test cell (or ``only`` these), diagnosing the failed ones."""
        t0 = time.monotonic()

        def grade(cell, ns):
            if only is None or src.meta(cell)["grade_id"] in only:
                tainted = not self.jail.dead and self.jail.generation in self._tainted
                result = self._run_test(cell, ns)
                if tainted and result.status == res.FAILED and not self._in_hidden:
                    result = self._fresh_message(cell, ns, result)
                if self.diagnosis is not None and result.status in (res.FAILED, res.ERROR):
                    self._hand_to_diagnosis(cell, ns, result)
                self.report.cells.append(result)
            return only is not None and set(only) <= {c.grade_id for c in self.report.cells}
        self._walk(grade)
        self.report.seconds = time.monotonic() - t0
        return self.report

    def _fresh_message(self, cell, ns, result: CellResult) -> CellResult:
        """A visible check failed in an interpreter that had seen hidden inputs, and its message
        shows values the student's code returned (which could carry them): run the cell again
        in a fresh interpreter and show that run's message. The score stays the first run's."""
        try:
            self.jail.close()
            self._start_jail()
            self.report.restarts -= 1
            again = self._run_test(cell, ns)
        except remote.RemoteError:
            again = None
        if again is not None and again.status == res.FAILED and not self._in_hidden:
            result.message = again.message
        else:
            result.message = ("check failed (its details are not shown: your code had already been "
                              "given hidden inputs, and a second run did not fail the same way)")
        return result

    def observe_only(self, test_ids: list[str]) -> dict[str, observe.Trace]:
        """Observe these test cells (see diagnose.py) instead of grading: {test id: trace}."""
        traces = {}
        self._walk(self._observer(test_ids, traces))
        return traces

    def _observer(self, test_ids, traces: dict):
        """``on_test`` for ``_walk_source``: observe these cells into ``traces``, stop after the last."""
        def observe(cell, ns):
            gid = src.meta(cell)["grade_id"]
            if gid in test_ids:
                traces[gid] = self._observe(cell, ns)
            return set(test_ids) <= set(traces)
        return observe

    def observe_variants(self, variants: list[tuple[str, str, list[str]]]) -> list[dict]:
        """``observe_only`` of several variants of these answers, each a (solution cell's
        grade id, its code, test ids) with that one cell replaced; their traces, in order.
        One sandbox serves them all: the cells before a replaced one run once, and each variant
        runs in a copy of the interpreter from there (``Jail.fork``). For trusted code only
        (the catalogued mistakes), since the copies share one sandbox."""
        cells = self._jail_cells()
        where = {gid: i for i, (gid, _, _) in enumerate(cells)}
        order = sorted(range(len(variants)), key=lambda i: where.get(variants[i][0], len(cells)))
        results: list[dict] = [{} for _ in variants]
        ran = 0                                    # cells run in the interpreter the copies come from
        try:
            for i in order:
                exercise, code, test_ids = variants[i]
                at = where.get(exercise, len(cells))
                if self.jail is None:
                    self.jail, ran = remote.Jail(self.limits, self.call_timeout), 0
                elif self.jail.dead or ran > at:   # a fresh interpreter: this one is gone or past the cell
                    self.jail.start()
                    ran = 0
                if not self._run_jail_cells(cells[ran:at], {}, set()):
                    ran = len(cells) + 1          # the reference itself failed here: start again
                    continue
                ran = at
                try:
                    self.jail.fork()
                except remote.RemoteError:        # e.g. the process limit: this variant has no trace
                    ran = len(cells) + 1
                    continue
                try:
                    mine = [(exercise, code, False)] + cells[at + 1:] if at < len(cells) else []
                    if self._run_jail_cells(mine, {}, set()):
                        self._walk_source(self._observer(test_ids, results[i]))
                finally:
                    self.jail.join()
        finally:
            if self.jail is not None:
                self.jail.close()
        for (_, _, test_ids), traces in zip(variants, results):
            for gid in test_ids:               # not observed: incomplete (never cached on disk)
                traces.setdefault(gid, observe.Trace(complete=False))
        return results

    @contextlib.contextmanager
    def _cell_deadline(self):
        """The one place the jail's deadline is set: a test cell, graded or observed, has
        ``cell_timeout`` seconds for everything it asks of the student's code."""
        deadline = time.monotonic() + self.cell_timeout
        self.jail.deadline = deadline
        try:
            yield deadline
        finally:
            self.jail.deadline = None

    def _observe(self, cell, ns) -> observe.Trace:
        gid = src.meta(cell)["grade_id"]
        if self.jail.dead:
            return observe.Trace(complete=False)
        code = python_source(cell.source)
        if _hidden_start(code) is not None:
            self._tainted.add(self.jail.generation)   # an observed run goes on into the hidden part
        with self._cell_deadline() as deadline:
            return observe.observe(self.jail, code, ns, f"<test {gid}>", deadline)

    def _hand_to_diagnosis(self, cell, ns, result: CellResult) -> None:
        """Give a failed check to the diagnosis stage, with the student's trace if it wants one."""
        trace = None
        if self.diagnosis.wants_trace(result.grade_id, self._raised, self.answers):
            trace = self._observe(cell, ns)
            if self.jail.dead:
                # the observed re-run hung or crashed the student's interpreter: the next check
                # gets a fresh one, and the diagnosis must not use up the restarts grading allows
                try:
                    self._start_jail()
                    self.report.restarts -= 1
                except remote.RemoteError:
                    pass
        self.diagnosis.explain(cell, result, self._raised, self.answers, trace, list(self.report.cells),
                               self.reference_judge)

    def reference_judge(self, answers: dict[str, str]) -> "Judge":
        """A judge of other answers under this one's limits and timeouts, without diagnosis
        (the diagnosis observes the catalogued mistakes with it)."""
        return Judge(self.a, answers, self.limits, call_timeout=self.call_timeout,
                     cell_timeout=self.cell_timeout, exec_timeout=self.exec_timeout)

    def _run_test(self, cell, ns) -> CellResult:
        gid = src.meta(cell)["grade_id"]
        points = float(src.meta(cell).get("points", 0))
        self._raised = None
        if self.jail.dead and self.report.restarts <= self.max_restarts:
            try:
                self._start_jail()
            except remote.RemoteError:
                pass
        filename = f"<test {gid}>"
        code = python_source(cell.source)
        hidden_from = _hidden_start(code)
        code = mark_hidden(code)
        self._in_hidden = False
        jail = self.jail

        def entered_hidden():
            self._in_hidden = True
            self._tainted.add(jail.generation)
        ns[HIDDEN_MARK] = entered_hidden
        out = io.StringIO()
        try:
            with self._cell_deadline(), contextlib.redirect_stdout(out):
                exec(compile(code, filename, "exec"), ns)
            return CellResult(gid, points, points, res.PASSED)
        except BaseException as exc:  # noqa: BLE001  (SystemExit from trusted code must not end the judge)
            if isinstance(exc, KeyboardInterrupt):
                raise
            line = _failing_line(exc.__traceback__, filename)
            in_hidden = self._in_hidden or (hidden_from is not None and line is not None and line >= hidden_from)
            if isinstance(exc, remote.ProxyUnsupported):
                return CellResult(gid, points, None, res.CELL_GRADER_ERROR,
                                  "this check could not be run by the grader; a TA will grade it",
                                  f"line {line}: {exc}")
            status, message = _classify(exc, in_hidden, self.jail.generation in self._tainted, code)
            if isinstance(exc, remote.RemoteError):
                self._raised = exc.type_name
            detail = "".join(traceback.format_exception_only(type(exc), exc))[-1500:]
            return CellResult(gid, points, 0.0, status, message, f"line {line}: {detail}")
