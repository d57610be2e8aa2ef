"""observe: run a test cell so that it shows how the code under test behaves.

In *observe* mode a failed assertion is counted and the cell goes on, up to the third
(``MAX_FAILURES``), and every value that crosses the sandbox boundary (the arguments sent
to the student's code, what comes back, arrays changed in place, callbacks) is recorded,
in order, as a ``Trace``. Two traces of the same cell, with the same seeds, are equal when
the two implementations behaved alike on every input the cell tried (``Trace.matches``).
The judge observes; ``diagnose`` compares a student's trace with the catalogued mistakes'.
"""
from __future__ import annotations

import ast
import contextlib
import io
import random
import time
from dataclasses import dataclass, field

import numpy as np

from .jail.torch_support import torch_if_loaded

# An observed cell goes on after a failed check, to see more of the code's behaviour, and
# stops at the third: enough to tell mistakes apart, and a wrong answer that is slow on
# later inputs (an exponential backward pass) costs at most a few more cases.
MAX_FAILURES = 3


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


def observe(jail, code: str, ns: dict, filename: str, deadline: float) -> Trace:
    """Run a test cell's (IPython-free) code in observe mode until the absolute ``deadline``
    (``time.monotonic()``); the trace of what it saw. The caller (the judge) owns the
    jail's deadline: this only stops the cell at its next failed check once it is past."""
    trace = Trace()

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
    if jail.dead:
        trace.complete = False
    return trace
