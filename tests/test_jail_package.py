"""The judge's sandboxed side as a package (``autograder/jail``, what runs inside in
``autograder/jail/inside``): each module imports alone on the trusted side, the bootstrap
carries exactly ``jail.SANDBOX_MODULES``, the server's operations answer in-process, and torch
is used only where a process has loaded it.

None of these needs bubblewrap: the server runs here as our own code, never a student's.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from autograder import jail
from autograder.jail import wire
from autograder.jail.inside import server
from common import ROOT

PACKAGE = ROOT / "autograder" / "jail"
TRUSTED_ONLY = {"__init__", "remote"}          # modules of the package never sent in
INSIDE_ONLY = {"inside.__init__", "inside.boot", "inside.feedback_driver"}     # run inside, not listed


def _python(code: str) -> subprocess.CompletedProcess:
    """``code`` in a fresh interpreter (a clean sys.modules), from the checkout."""
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def _imports(name: str) -> tuple[set[str], set[str]]:
    """(relative imports, as dotted names in ``jail/``, and top-level names of absolute imports)
    of the module ``name`` of ``jail/`` (``inside.server``: ``jail/inside/server.py``)."""
    relative, absolute = set(), set()
    for node in ast.walk(ast.parse(jail.module_path(name).read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = name.split(".")[:-node.level]
            relative.update(".".join([*base, m]) for m in ([node.module] if node.module else
                                                           [a.name for a in node.names]))
        elif isinstance(node, ast.ImportFrom):
            absolute.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            absolute.update(a.name.split(".")[0] for a in node.names)
    return relative, absolute


# --- the layout ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(set(jail.SANDBOX_MODULES) | {"inside.boot", "inside.feedback_driver"}))
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
    assert _imports("inside.boot") == (set(), {"sys", "types"})
    relative, absolute = _imports("inside.feedback_driver")
    assert not relative and absolute <= allowed | {"nbformat", "nbclient"}, absolute


def test_the_sandbox_modules_are_exactly_what_the_server_needs():
    """The listed modules are the server and what it imports (transitively), nothing more:
    the trusted side's modules never go in."""
    needed, todo = set(), [jail.SERVER]
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(_imports(name)[0])
    assert set(jail.SANDBOX_MODULES) == needed
    assert jail.SANDBOX_MODULES[-1] == jail.SERVER and len(set(jail.SANDBOX_MODULES)) == len(jail.SANDBOX_MODULES)
    on_disk = {".".join(p.relative_to(PACKAGE).with_suffix("").parts) for p in PACKAGE.rglob("*.py")}
    assert on_disk == needed | TRUSTED_ONLY | INSIDE_ONLY, on_disk
    assert not needed & TRUSTED_ONLY
    assert set(jail.SHARED_MODULES) == {n for n in needed if not n.startswith("inside.")}


def test_bootstrap_is_the_loader_then_the_listed_sources_in_order():
    source = jail.server_bootstrap()
    boot = (PACKAGE / "inside" / "boot.py").read_text()
    assert source.startswith(boot)
    last = ast.parse(source).body[-1]           # load("jail", [(name, text), ...]).inside.server.main()
    call, path = last.value.func, []
    while isinstance(call, ast.Attribute):
        path.insert(0, call.attr)
        call = call.value
    assert isinstance(call, ast.Call) and call.func.id == "load", ast.dump(last)
    assert path == [*jail.SERVER.split("."), "main"]
    package, sources = (ast.literal_eval(a) for a in call.args)
    assert package == jail.SANDBOX_PACKAGE
    assert [n for n, _ in sources] == list(jail.SANDBOX_MODULES)
    for name, text in sources:
        assert text == jail.module_path(name).read_text(), name
    assert jail.feedback_driver_source() == (PACKAGE / "inside" / "feedback_driver.py").read_text()


def test_no_module_asks_sys_modules_for_torch_but_torch_support():
    pattern = re.compile(r"""sys\.modules(\.get\(|\[)["']torch["']""")
    hits = [str(p.relative_to(ROOT)) for p in (ROOT / "autograder").rglob("*.py")
            if pattern.search(p.read_text()) and p.name != "torch_support.py"]
    assert not hits, hits
    assert pattern.search((PACKAGE / "torch_support.py").read_text())


# --- the messages: defined once (wire.py), their bytes as they always were -------------------

def test_each_message_keeps_its_bytes():
    """What wire.py's builders make, byte for byte as the two sides always sent it (the order
    of the fields included): a header is ``json.dumps`` of these dicts."""
    ctx = wire.Context.make({"divide": "warn"}, True, {"$": "nd", "b": 0}, True)
    no_kwargs = wire.EMPTY_KWARGS
    cases = [
        (wire.hello(), '{"k": "hello"}'),
        (wire.joined(9), '{"k": "joined", "status": 9}'),
        (wire.Request.to_sandbox("getattr", 4, [], no_kwargs, {"name": "x"}, ctx, wire.ref(3)),
         '{"name": "x", "k": "req", "op": "getattr", "ctx": {"err": {"divide": "warn"}, "warn": "error", '
         '"rng": {"$": "nd", "b": 0}, "grad": true}, "target": {"$": "ref", "id": 3}, "args": [], '
         '"kwargs": {"$": "dict", "v": []}, "rid": 4}'),
        (wire.Request.to_sandbox("call", 2, [1], no_kwargs, {}, wire.Context.make({}, False), wire.global_name("f")),
         '{"k": "req", "op": "call", "ctx": {"err": {}}, "target": {"$": "global", "name": "f"}, "args": [1], '
         '"kwargs": {"$": "dict", "v": []}, "rid": 2}'),
        (wire.Request.to_sandbox(wire.FORK, 28, [], no_kwargs),
         '{"k": "req", "op": "fork", "args": [], "kwargs": {"$": "dict", "v": []}, "rid": 28}'),
        (wire.Request.exit(31), '{"k": "req", "op": "exit", "rid": 31}'),
        (wire.Request.callback(2, -2, ["boom"], no_kwargs),
         '{"id": 2, "k": "req", "op": "cb", "rid": -2, "args": ["boom"], "kwargs": {"$": "dict", "v": []}}'),
        (wire.Reply.value(12, None), '{"ok": true, "v": null, "k": "rep", "rid": 12}'),
        (wire.Reply.value(2, 1, [{"p": []}], {"$": "nd", "b": 0}, [[0, [1]]], [[0, 1]]),
         '{"ok": true, "v": 1, "mods": [{"p": []}], "rng": {"$": "nd", "b": 0}, "cmut": [[0, [1]]], '
         '"mut": [[0, 1]], "k": "rep", "rid": 2}'),
        (wire.Reply.error(16, "ValueError", "no way"),
         '{"ok": false, "exc": {"type": "ValueError", "msg": "no way"}, "k": "rep", "rid": 16}'),
        (wire.Reply.value(28, None, first=True), '{"k": "rep", "rid": 28, "ok": true, "v": null}'),
        (wire.Reply.error(-2, "KeyError", "b", first=True),
         '{"k": "rep", "rid": -2, "ok": false, "exc": {"type": "KeyError", "msg": "b"}}'),
        (wire.ref(1, "V", True, False), '{"$": "ref", "id": 1, "type": "V", "callable": true, "isclass": false}'),
        (wire.callback(3), '{"$": "cb", "id": 3}'),
        (wire.pickled(0), '{"$": "pickle", "b": 0}'),
    ]
    for built, sent in cases:
        assert json.dumps(built, allow_nan=True) == sent


def test_messages_read_back_what_was_built():
    h = wire.Request.to_sandbox("timedcall", 7, [1], {"$": "dict", "v": [["a", 2]]}, {"limit": 3},
                                wire.Context.make({"over": "raise"}, False, "r", False), wire.global_name("g"))
    req = wire.Request(h)
    assert (wire.kind(h), req.op, req.rid, req.limit, req.has_target) == (wire.REQUEST, "timedcall", 7, 3, True)
    assert wire.global_of(req.target) == "g" and req.arguments() == ([1], {"$": "dict", "v": [["a", 2]]})
    ctx = req.context
    assert (ctx.given, ctx.err, ctx.warnings_as_errors, ctx.rng, ctx.grad) == (True, {"over": "raise"}, False, "r", False)
    assert not wire.Request({"op": "exec"}).context.given
    assert wire.Request({}).arguments() == ([], wire.EMPTY_KWARGS)
    rep = wire.Reply(wire.Reply.value(5, 1, mut=[[0, 1]]))
    assert (rep.rid, rep.ok, rep.result, rep.modules, rep.rng, rep.changed_arrays, rep.changed_containers) \
        == (5, True, 1, [], None, [[0, 1]], [])
    assert wire.Reply(wire.Reply.error(5, "E", "m")).exception() == ("E", "m")
    assert wire.Reply({"k": "rep", "ok": False}).exception() == ("Error", "")
    # the sandbox's side may send anything: a malformed error is still an error, never a crash
    assert wire.Reply({"k": "rep", "ok": False, "exc": [1]}).exception() == ("Error", "a malformed error reply")
    assert wire.Reply({"k": "rep", "ok": False, "exc": {"type": 3, "msg": ["x"]}}).exception() == ("Error", "['x']")
    assert wire.joined_status(wire.joined(3)) == 3 and wire.kind(wire.hello()) == wire.HELLO


def test_message_fields_are_spelled_only_in_wire():
    """The client (remote.py) and what runs inside name no header field: wire.py does."""
    field = re.compile(r"""["'](k|op|rid|ok|exc|mut|cmut|mods|ctx|rng|grad|err|warn|target|args|kwargs|status|\$)["']""")
    for path in (PACKAGE / "remote.py", *sorted((PACKAGE / "inside").glob("*.py"))):
        if path.name == "feedback_driver.py":
            continue            # its own request on stdin, not the wire
        lines = [line for line in path.read_text().splitlines()
                 if field.search(line) and "self.observer(" not in line]    # the observer's event kinds
        assert not lines, (path.name, lines)


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
                 "    s = sys.modules['jail.inside.server']\n"
                 "    return [s.Encoder is sys.modules['jail.wire'].Encoder,\n"
                 "            sorted(sys.modules['jail'].__dict__)[-3:],\n"
                 "            sorted(sys.modules['jail.inside'].__dict__)[-2:],\n"
                 "            __name__, type(__builtins__).__name__, s._OUT not in (None, 0, 1)]\n")
        wire.write_message(w, {"k": "req", "op": "exec", "code": probe, "rid": 1})
        assert wire.read_message(r, deadline)[0] == {"ok": True, "v": None, "k": "rep", "rid": 1}
        wire.write_message(w, {"k": "req", "op": "call", "target": {"$": "global", "name": "probe"}, "rid": 2})
        h, blobs = wire.read_message(r, deadline)
        assert h["ok"], h
        value = wire.Decoder(blobs, None).decode(h["v"])
        assert value == [True, ["inside", "torch_support", "wire"], ["cputime", "server"], "__main__", "module", True]
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
    """server.handle's answer, decoded: (ok, value or (exception type, message))."""
    header, out = server.handle(h, list(blobs))
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
    assert sent - {"exec", "fork"} <= set(server.OPS), sent - set(server.OPS)
    assert {"call", "getattr", "binop", "unop"} <= sent


def test_unknown_operation_missing_global_and_non_plain_unop_are_error_replies(ns, monkeypatch):
    assert _reply({"op": "frobnicate"}) == (False, ("WireError", "unknown operation frobnicate"))
    assert _reply({"op": "call", "target": {"$": "global", "name": "nowhere"}}) \
        == (False, ("NameError", "name 'nowhere' is not defined"))
    _reply({"op": "exec", "code": "o = [1, 2, 3]\n"})
    assert _reply({"op": "unop", "target": {"$": "global", "name": "o"}, "name": "len"}) == (True, 3)
    monkeypatch.setitem(server.UNARY, "len", lambda o: o)     # a len() that gives the object back
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
