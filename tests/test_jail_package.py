"""The judge's sandboxed side as a package (``autograder/jail``): each module imports alone
on the trusted side, the bootstrap carries exactly ``jail.SANDBOX_MODULES``, the server's
operations answer in-process, and torch is used only where a process has loaded it.

None of these needs bubblewrap: the server runs here as our own code, never a student's.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from autograder import jail
from autograder.jail import server, wire
from common import ROOT

PACKAGE = ROOT / "autograder" / "jail"
TRUSTED_ONLY = {"__init__", "remote"}          # modules of the package never sent in


def _python(code: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter (a clean sys.modules), from the checkout."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def _imports(name: str) -> tuple[set[str], set[str]]:
    """(relative imports, top-level names of absolute imports) of ``jail/<name>.py``."""
    relative, absolute = set(), set()
    for node in ast.walk(ast.parse((PACKAGE / f"{name}.py").read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            relative.add(node.module)
        elif isinstance(node, ast.ImportFrom):
            absolute.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            absolute.update(a.name.split(".")[0] for a in node.names)
    return relative, absolute


# --- the layout ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(set(jail.SANDBOX_MODULES) | {"boot", "feedback_driver"}))
def test_each_sandboxed_module_imports_alone_without_side_effects(name):
    code = (f"import sys; out = sys.stdout; import autograder.jail.{name} as m;"
            "assert sys.stdout is out, 'the import took stdout';"
            "assert 'torch' not in sys.modules, 'the import loaded torch';"
            "assert getattr(m, '_OUT', None) is None, 'the import took the pipes';"
            "assert 'jail' not in sys.modules, 'the import ran the loader'")
    res = _python(code)
    assert res.returncode == 0, res.stderr[-2000:]


def test_sandbox_modules_import_only_the_standard_library_numpy_and_the_modules_before_them():
    allowed = set(sys.stdlib_module_names) | {"numpy"}
    for i, name in enumerate(jail.SANDBOX_MODULES):
        relative, absolute = _imports(name)
        assert relative <= set(jail.SANDBOX_MODULES[:i]), (name, relative)
        assert absolute <= allowed, (name, absolute - allowed)
    assert _imports("boot") == (set(), {"sys", "types"})
    relative, absolute = _imports("feedback_driver")
    assert not relative and absolute <= allowed | {"nbformat", "nbclient"}, absolute


def test_the_sandbox_modules_are_exactly_what_the_server_needs():
    """The listed modules are the server and what it imports (transitively), nothing more:
    the trusted side's modules never go in."""
    needed, todo = set(), ["server"]
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(_imports(name)[0])
    assert set(jail.SANDBOX_MODULES) == needed
    assert jail.SANDBOX_MODULES[-1] == "server" and len(set(jail.SANDBOX_MODULES)) == len(jail.SANDBOX_MODULES)
    on_disk = {p.stem for p in PACKAGE.glob("*.py")}
    assert on_disk == needed | TRUSTED_ONLY | {"boot", "feedback_driver", "torch_support"}, on_disk
    assert not needed & TRUSTED_ONLY


def test_bootstrap_is_the_loader_then_the_listed_sources_in_order():
    source = jail.server_bootstrap()
    boot = (PACKAGE / "boot.py").read_text()
    assert source.startswith(boot)
    last = ast.parse(source).body[-1]           # load("jail", [(name, text), ...]).server.main()
    call = last.value.func.value.value
    assert isinstance(call, ast.Call) and call.func.id == "load", ast.dump(last)
    package, sources = (ast.literal_eval(a) for a in call.args)
    assert package == jail.SANDBOX_PACKAGE
    assert [n for n, _ in sources] == list(jail.SANDBOX_MODULES)
    for name, text in sources:
        assert text == (PACKAGE / f"{name}.py").read_text(), name
    assert jail.feedback_driver_source() == (PACKAGE / "feedback_driver.py").read_text()


def test_no_module_asks_sys_modules_for_torch_but_torch_support():
    pattern = re.compile(r"""sys\.modules(\.get\(|\[)["']torch["']""")
    hits = [str(p.relative_to(ROOT)) for p in (ROOT / "autograder").rglob("*.py")
            if pattern.search(p.read_text()) and p.name != "torch_support.py"]
    assert not hits, hits
    assert pattern.search((PACKAGE / "torch_support.py").read_text())


# --- the bootstrap, run as the sandbox runs it (without the sandbox) ------------------------

def test_bootstrap_registers_the_package_and_serves():
    proc = subprocess.Popen([sys.executable, "-I", "-c", jail.server_bootstrap()],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    r, w = proc.stdout.fileno(), proc.stdin.fileno()
    try:
        deadline = time.monotonic() + 60
        assert wire.read_message(r, deadline)[0] == {"k": "hello"}
        probe = ("import sys\n"
                 "def probe():\n"
                 "    s = sys.modules['jail.server']\n"
                 "    return [s.Encoder is sys.modules['jail.wire'].Encoder,\n"
                 "            sorted(sys.modules['jail'].__dict__)[-3:],\n"
                 "            __name__, type(__builtins__).__name__, s._OUT not in (None, 0, 1)]\n")
        wire.write_message(w, {"k": "req", "op": "exec", "code": probe, "rid": 1})
        assert wire.read_message(r, deadline)[0] == {"ok": True, "v": None, "k": "rep", "rid": 1}
        wire.write_message(w, {"k": "req", "op": "call", "target": {"$": "global", "name": "probe"}, "rid": 2})
        h, blobs = wire.read_message(r, deadline)
        assert h["ok"], h
        value = wire.Decoder(blobs, None).decode(h["v"])
        assert value == [True, ["server", "torch_support", "wire"], "__main__", "module", True]
        wire.write_message(w, {"k": "req", "op": "exit", "rid": 3})
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        proc.wait()
        proc.stdin.close()
        proc.stdout.close()


# --- the server's operations, in-process ------------------------------------------------------

@pytest.fixture
def ns():
    """The server's namespace for the student's code, emptied of what a test defines."""
    before = dict(server.NS)
    yield server.NS
    server.NS.clear()
    server.NS.update(before)


def _reply(h, blobs=()):
    """server._handle's answer, decoded: (ok, value or (exception type, message))."""
    header, out = server._handle(h, list(blobs))
    if not header["ok"]:
        return False, (header["exc"]["type"], header["exc"]["msg"])
    return True, wire.Decoder(out, lambda t: t, track=False).decode(header["v"])


def _call(name, *args, ctx=None, **kwargs):
    enc = wire.Encoder(lambda v: pytest.fail(f"not plain data: {v!r}"))
    h = {"op": "call", "target": {"$": "global", "name": name}, "args": enc.encode(list(args)),
         "kwargs": enc.encode(kwargs)}
    if ctx is not None:
        h["ctx"] = ctx
    return _reply(h, enc.blobs)


def test_exec_then_call_then_an_object_as_a_reference(ns):
    assert _reply({"op": "exec", "code": "class C:\n    x = 5\ndef f(a, k=1):\n    return [a * k, C()]\n"}) \
        == (True, None)
    ok, (value, ref) = _call("f", np.arange(3), k=2)
    assert ok and value.tolist() == [0, 2, 4]
    assert ref["$"] == "ref" and ref["type"] == "C" and not ref["callable"]
    assert _reply({"op": "getattr", "target": ref, "name": "x"}) == (True, 5)
    ok, (kind, _) = _reply({"op": "getattr", "target": dict(ref, id=10 ** 9), "name": "x"})
    assert not ok and kind == "KeyError"                   # an unknown reference


def test_every_operation_the_trusted_side_sends_has_a_handler():
    sent = set(re.findall(r'request\("(\w+)"', (PACKAGE / "remote.py").read_text()))
    assert sent - {"exec", "fork"} <= set(server._OPS), sent - set(server._OPS)
    assert {"call", "getattr", "binop", "unop"} <= sent


def test_unknown_operation_missing_global_and_non_plain_unop_are_error_replies(ns, monkeypatch):
    assert _reply({"op": "frobnicate"}) == (False, ("WireError", "unknown operation frobnicate"))
    assert _reply({"op": "call", "target": {"$": "global", "name": "nowhere"}}) \
        == (False, ("NameError", "name 'nowhere' is not defined"))
    _reply({"op": "exec", "code": "o = [1, 2, 3]\n"})
    assert _reply({"op": "unop", "target": {"$": "global", "name": "o"}, "name": "len"}) == (True, 3)
    monkeypatch.setitem(server._UNARY, "len", lambda o: o)     # a len() that gives the object back
    ok, (kind, msg) = _reply({"op": "unop", "target": {"$": "global", "name": "o"}, "name": "len"})
    assert not ok and kind == "TypeError" and "non-plain" in msg
    assert _reply({"op": "binop", "args": [2, 5], "name": "pow"}) == (True, 32)


def test_caller_settings_hold_during_the_call_and_are_undone_after(ns):
    _reply({"op": "exec", "code": "import numpy as np, warnings\n"
                                  "def divide():\n    return float(np.float64(1.0) / 0.0)\n"
                                  "def warn():\n    warnings.warn('careful', RuntimeWarning)\n    return 1\n"})
    err, filters = np.geterr(), list(warnings.filters)
    assert _call("divide", ctx={"err": {"divide": "raise"}})[1][0] == "FloatingPointError"
    assert _call("warn", ctx={"err": {}, "warn": "error"}) == (False, ("RuntimeWarning", "careful"))
    assert np.geterr() == err and warnings.filters == filters
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _call("divide", ctx={"err": {"divide": "ignore"}}) == (True, float("inf"))
        assert _call("warn", ctx={"err": {}}) == (True, 1)


# --- torch only where it is loaded ------------------------------------------------------------

def test_torch_support_without_torch_loaded_then_with_it():
    code = ("import sys, types\n"
            "import autograder.judge, autograder.diagnose, autograder.worker\n"
            "from autograder.jail import torch_support as t\n"
            "assert 'torch' not in sys.modules, 'importing the grader loaded torch'\n"
            "assert t.torch_if_loaded() is None and t.rng_state() is None\n"
            "assert not t.is_torch_module(object())\n"
            "fake = sys.modules['torch'] = types.ModuleType('torch')\n"
            "assert t.torch_if_loaded() is fake\n"
            "print('ok')\n")
    res = _python(code)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]


def test_torch_rng_state_round_trips():
    code = ("from autograder.jail import torch_support as t\nimport torch\n"
            "a = t.rng_state(); x = torch.rand(3)\n"
            "t.set_rng_state(a); assert torch.equal(torch.rand(3), x)\n"
            "assert t.is_torch_module(torch.nn.Linear(2, 1)) and not t.is_torch_module(torch.zeros(1))\n"
            "print('ok')\n")
    res = _python(code)
    if "No module named 'torch'" in res.stderr:
        pytest.skip("torch is not installed")
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr[-2000:]
