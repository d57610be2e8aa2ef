"""diagnose: name the known mistake that a failed check's behaviour matches.

Each assignment's catalogue of plausible wrong implementations lives with its solution,
``solutions/<assignment>/mistakes.py`` (format: ``solutions/MISTAKES.md``). When a test cell
fails, the judge runs it again in *observe* mode: a failed assertion is counted and the
cell goes on, up to the third (``MAX_FAILURES``), and every value that crosses the sandbox boundary (the
arguments sent to the student's code, what comes back, arrays changed in place, callbacks)
is recorded as a ``Trace``. The same cell is observed, with the same seeds, against each
catalogued mistake that this cell is meant to catch (a mistake's ``loses``), each in its own
sandbox with the reference answers and that one wrong cell. Since the test code is
deterministic given what the student's code returns, equal traces mean the student's code
behaved exactly like the mistake on every input the check tried, hidden inputs included.

A match names the mistake; several matches (mistakes that agree on every input tried) are
all named; no match gives an honest generic message. Nothing recorded here is shown to
the student: only the catalogue's explanations are.
"""
from __future__ import annotations

import ast
import importlib.util
import os
import pickle
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import source as src
from .jail.torch_support import torch_if_loaded

# An observed cell goes on after a failed check, to see more of the code's behaviour, and
# stops at the third: enough to tell mistakes apart, and a wrong answer that is slow on
# later inputs (an exponential backward pass) costs at most a few more cases.
MAX_FAILURES = 3


@dataclass(frozen=True)
class Mistake:
    exercise: str            # grade id of the solution cell the wrong code replaces
    id: str
    code: str
    explanation: str
    section: str
    loses: tuple = ()        # test cells that catch it

    def public(self) -> dict:
        """What the student may see (never the wrong code: it is close to the solution)."""
        return {"id": self.id, "exercise": self.exercise, "explanation": self.explanation,
                "section": self.section}


_catalogues: dict[str, list[Mistake]] = {}


def catalogue(assignment: str) -> list[Mistake]:
    if assignment not in _catalogues:
        path = src.SOLUTIONS / assignment / "mistakes.py"
        entries = []
        if path.exists():
            spec = importlib.util.spec_from_file_location(f"_mistakes_{assignment}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            entries = module.MISTAKES
        _catalogues[assignment] = [
            Mistake(m["exercise"], m["id"], m["code"], m["explanation"], m["section"],
                    tuple(m.get("loses", [f"test_{m['exercise']}"]))) for m in entries]
    return _catalogues[assignment]


def candidates(assignment: str, test_id: str) -> list[Mistake]:
    """The catalogued mistakes that ``test_id`` is meant to catch."""
    return [m for m in catalogue(assignment) if test_id in m.loses]


# --- traces ---------------------------------------------------------------------------

def fingerprint(value, depth: int = 0):
    """A comparable copy of a value that crossed the boundary (arrays copied as float64)."""
    if depth > 20:
        return ("deep",)
    if isinstance(value, (bool, int, float, complex, np.number, np.bool_)):
        return ("n", complex(value))
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biufc":
            return ("a", value.shape, np.array(value, dtype=complex if value.dtype.kind == "c" else float))
        return ("A", value.shape, str(value.dtype), repr(value.tolist())[:10000])
    if value is None or isinstance(value, str):
        return ("v", value)
    if isinstance(value, (list, tuple)):
        numbers = _numbers(value)
        if numbers is not None:     # one array, not a tuple per element (~75x the list's size)
            return ("L", numbers)
        return ("l", tuple(fingerprint(v, depth + 1) for v in value))
    if isinstance(value, dict):
        return ("d", tuple((repr(k), fingerprint(v, depth + 1)) for k, v in value.items()))
    torch = torch_if_loaded()
    if torch is not None:
        if isinstance(value, torch.Tensor):
            return fingerprint(value.detach().cpu().numpy(), depth + 1)
        if isinstance(value, torch.nn.Module):
            return ("module", type(value).__name__,
                    tuple((k, fingerprint(v, depth + 1)) for k, v in value.state_dict().items()))
    from .jail.remote import RemoteObject
    if isinstance(value, RemoteObject):
        return ("ref", object.__getattribute__(value, "_type"))
    if callable(value):
        return ("fn", getattr(value, "__name__", "?"))
    return ("?", type(value).__name__)


_NUMBER_TYPES = (bool, int, float, complex, np.number, np.bool_)


def _numbers(value):
    """A list or tuple of plain numbers as one float64 (or complex) array, else None."""
    if not value or not all(isinstance(v, _NUMBER_TYPES) for v in value):
        return None
    try:
        return np.array([complex(v) for v in value]) if any(isinstance(v, (complex, np.complexfloating))
                                                             for v in value) else np.array(value, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return None


def same(a, b, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    """Equal fingerprints, numbers within a float32-sized tolerance."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))
    if isinstance(a, complex):
        return a == b or bool(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=True))
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y, rtol, atol) for x, y in zip(a, b))
    return a == b


@dataclass
class Trace:
    """What one observed run of a test cell saw, in order."""
    events: list = field(default_factory=list)
    failures: int = 0         # failed checks (the cell went on after each)
    complete: bool = True     # False: the sandbox died or timed out, or the cell was cut short

    def record(self, kind: str, value) -> None:
        if kind == "dead":
            self.complete = False
        self.events.append((kind, fingerprint(value)))

    def matches(self, other: "Trace") -> bool:
        return (self.complete and other.complete and self.failures == other.failures
                and len(self.events) == len(other.events)
                and all(same(a, b) for a, b in zip(self.events, other.events)))


# --- observe mode -----------------------------------------------------------------------

class _Stop(BaseException):
    """Ends an observed cell (enough failed checks seen, or out of time)."""


class _Soften(ast.NodeTransformer):
    """``assert c`` -> ``if not c: __observe_failed__()``, and each statement guarded so that
    an exception ends only that statement. Code inside ``try`` keeps its meaning (a test may
    expect an exception there) and so do function bodies."""

    def __init__(self):
        self.protected = 0

    def visit_Assert(self, node):
        if self.protected:
            return node
        return ast.If(test=ast.UnaryOp(op=ast.Not(), operand=node.test), body=[_failed_call()], orelse=[])

    def visit_Try(self, node):
        self.protected += 1
        self.generic_visit(node)
        self.protected -= 1
        return node

    visit_TryStar = visit_Try

    def guard(self, body: list) -> list:
        out = []
        for stmt in body:
            if isinstance(stmt, (ast.For, ast.While, ast.If, ast.With)):
                stmt.body = self.guard(stmt.body)
                if getattr(stmt, "orelse", None):
                    stmt.orelse = self.guard(stmt.orelse)
            stmt = self.visit(stmt)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom,
                                 ast.Global, ast.Nonlocal, ast.Pass, ast.Break, ast.Continue)):
                out.append(stmt)
                continue
            out.append(ast.Try(body=[stmt], handlers=[ast.ExceptHandler(
                type=ast.Name(id="Exception", ctx=ast.Load()), name=None, body=[_failed_call()])],
                orelse=[], finalbody=[]))
        return out


def _failed_call():
    return ast.Expr(value=ast.Call(func=ast.Name(id="__observe_failed__", ctx=ast.Load()), args=[], keywords=[]))


def soften(code: str, filename: str):
    tree = ast.parse(code)
    tree.body = _Soften().guard(tree.body)
    return compile(ast.fix_missing_locations(tree), filename, "exec")


def reseed(jail) -> None:
    """The same random state for every observed run (trusted side and the student's side)."""
    random.seed(0)
    np.random.seed(0)
    torch = torch_if_loaded()
    if torch is not None:
        torch.manual_seed(0)           # the sandbox takes torch's RNG state from each call
    # also NumPy's fresh-entropy source, so that an unseeded np.random.default_rng() repeats too
    jail.exec_cell(_RESEED, "<seed>", 30.0)


_RESEED = ("(lambda r, bg: (r.seed(0), __import__('numpy').random.seed(0), "
           "hasattr(bg, 'randbits') and setattr(bg, 'randbits', r.Random(0).getrandbits)))"
           "(__import__('random'), __import__('numpy.random.bit_generator', fromlist=['_']))")


def observe(jail, code: str, ns: dict, filename: str, timeout: float) -> Trace:
    """Run a test cell's (IPython-free) code in observe mode; the trace of what it saw."""
    import contextlib
    import io

    trace = Trace()
    deadline = time.monotonic() + timeout

    def failed():
        trace.failures += 1
        if time.monotonic() > deadline:
            trace.complete = False
            raise _Stop()
        if trace.failures >= MAX_FAILURES:
            raise _Stop()

    try:
        reseed(jail)
    except Exception:  # noqa: BLE001  (a dead or hung interpreter: nothing to observe)
        trace.complete = False
        return trace
    ns = dict(ns, __observe_failed__=failed)
    jail.deadline = deadline
    jail.observer = trace.record
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            exec(soften(code, filename), ns)
    except _Stop:
        pass
    except BaseException as e:  # noqa: BLE001
        if isinstance(e, KeyboardInterrupt):
            raise
        trace.complete = False
    finally:
        jail.observer = None
        jail.deadline = None
    if jail.dead:
        trace.complete = False
    return trace


# --- the traces of the catalogued mistakes (the same for every student: cached) -----------

_mistake_traces: dict[tuple, dict] = {}
TRACE_FORMAT = 1


def _installed(package: str) -> str:
    """Its version, without importing it (whether a process has imported torch must not matter)."""
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(package)
    except PackageNotFoundError:
        return "none"


def _cache_file(assignment: str, mistake: Mistake, cache_dir: Path | None) -> Path | None:
    if cache_dir is None:
        return None
    env = f"py{sys.version_info[0]}.{sys.version_info[1]}-np{np.__version__}-torch{_installed('torch')}"
    return Path(cache_dir) / f"{assignment}-{src.digest(assignment)}-v{TRACE_FORMAT}-{env}" / f"{mistake.id}.pickle"


def mistake_traces(assignment: str, mistake: Mistake, make_judge, cache_dir: Path | None = None) -> dict[str, Trace]:
    """{test id: trace} of ``mistake`` on the cells that catch it (see ``many_mistake_traces``)."""
    return many_mistake_traces(assignment, [mistake], make_judge, cache_dir)[0]


def many_mistake_traces(assignment: str, mistakes: list[Mistake], make_judge,
                        cache_dir: Path | None = None) -> list[dict[str, Trace]]:
    """For each mistake, {test id: trace} on the cells that catch it. ``make_judge(answers)``
    builds a judge for the reference answers; those not known yet are observed together
    (``Judge.observe_variants``: one sandbox, a copy of it per mistake). Traces are kept in
    memory and, given ``cache_dir`` (the output folder's ``cache/``, which only the grader
    writes), on disk: the workers of a run, and later runs, compute each once."""
    keys = [(assignment, m.id, src.digest(assignment)) for m in mistakes]
    todo = []
    for key, m in zip(keys, mistakes):
        if key not in _mistake_traces and key not in {k for k, _ in todo}:
            cached = _read_cache(_cache_file(assignment, m, cache_dir))
            if cached is not None:
                _mistake_traces[key] = cached
            else:
                todo.append((key, m))
    if todo:
        judge = make_judge(src.reference_answers(assignment))
        observed = judge.observe_variants([(m.exercise, m.code, list(m.loses)) for _, m in todo])
        for (key, m), traces in zip(todo, observed):
            _mistake_traces[key] = traces
            if all(t.complete for t in traces.values()):
                _write_cache(_cache_file(assignment, m, cache_dir), traces)
    return [_mistake_traces[key] for key in keys]


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
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(traces))
        os.replace(tmp, path)
    except OSError:
        pass


def diagnose(assignment: str, test_id: str, student: Trace, make_judge, cache_dir: Path | None = None) -> list[Mistake]:
    """The catalogued mistakes whose behaviour on ``test_id`` equals the student's."""
    if not student.complete:
        return []
    found = []
    mistakes = candidates(assignment, test_id)
    for m, traces in zip(mistakes, many_mistake_traces(assignment, mistakes, make_judge, cache_dir)):
        t = traces.get(test_id)
        if t is not None and student.matches(t):
            found.append(m)
    return found
