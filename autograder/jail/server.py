"""The sandboxed side of the judge: a small request server (runs inside bubblewrap).

It is sent into the sandbox as source text (``jail.server_bootstrap``), and ``main()``
speaks the wire protocol on the pipes it was started with. The trusted judge asks it to
execute the notebook's setup cell and the student's solution cells (``exec``), then to call
the student's functions and classes (``call``), read or set attributes (``getattr``,
``setattr``), apply operators (``binop``, ``unop``), and so on. Results go back as plain data; other
objects stay here and go back as references. The student's code never sees the pipes:
they are moved to private descriptors and fds 0/1 point elsewhere before any cell runs.

Importing this module does nothing else (it can be imported and tested on the trusted side).
"""
import builtins
import operator as _operator
import os
import pickle as _pickle
import sys as _sys
import warnings as _warnings

import numpy as np

from .cputime import timed
from .torch_support import is_torch_module, rng_state, set_rng_state, torch_if_loaded
from .wire import (Decoder, Encoder, GradingShell, WireError, build_module, module_spec, module_state,
                   read_message, write_message)

_IN = None       # the private descriptors of the pipes to the judge (set by main())
_OUT = None

_objects = {}    # ref id -> object
_ids = {}        # id(object) -> ref id
_next = [0]
_next_req = [0]

_BINARY = {"add": _operator.add, "sub": _operator.sub, "mul": _operator.mul,
           "truediv": _operator.truediv, "floordiv": _operator.floordiv, "mod": _operator.mod,
           "pow": _operator.pow, "matmul": _operator.matmul, "getitem": _operator.getitem,
           "and": _operator.and_, "or": _operator.or_, "xor": _operator.xor,
           "lshift": _operator.lshift, "rshift": _operator.rshift}
_UNARY = {"neg": _operator.neg, "pos": _operator.pos, "abs": abs, "invert": _operator.invert,
          "len": len, "float": float, "int": int, "index": _operator.index, "complex": complex,
          "list": lambda o: list(o)[:100000], "str": lambda o: str(o)[:2000],
          "array": lambda o: np.asarray(o), "type": lambda o: type(o).__name__,
          "callable": callable}


_shell = GradingShell()
NS = {"__name__": "__main__", "get_ipython": lambda: _shell, "__builtins__": builtins}


def _ref(obj):
    key = id(obj)
    if key in _ids and _objects.get(_ids[key]) is obj:
        i = _ids[key]
    else:
        _next[0] += 1
        i = _next[0]
        _objects[i] = obj
        _ids[key] = i
    try:
        tname = type(obj).__name__
    except Exception:
        tname = "?"
    return {"$": "ref", "id": i, "type": str(tname)[:80], "callable": bool(callable(obj)),
            "isclass": isinstance(obj, type)}


class _Callback:
    """A trusted callable: calling it asks the judge to run it."""
    def __init__(self, cid):
        self._cid = cid

    def __call__(self, *args, **kwargs):
        return _request("cb", {"id": self._cid}, list(args), kwargs)

    def __repr__(self):
        return "<grader callback>"


def _special(t, dec=None):
    tag = t.get("$")
    if tag == "module" and dec is not None:
        m = build_module(t, dec)
        dec.modules.append(m)
        return m
    if tag == "ref":
        if t["id"] not in _objects:
            raise KeyError("unknown reference")
        return _objects[t["id"]]
    if tag == "cb":
        return _Callback(t["id"])
    if tag == "pickle":
        return _pickle.loads(dec_blobs[0][t["b"]])
    raise WireError("unknown tag")


dec_blobs = [None]


def _other(v, enc):
    if is_torch_module(v):
        spec = module_spec(v, enc)
        if spec is not None:
            return spec
    return _ref(v)


def _encoder():
    enc = Encoder(None)
    enc.other = lambda v: _other(v, enc)
    return enc


def _decoder(blobs):
    dec = Decoder(blobs, None)
    dec.modules = []
    dec.special = lambda t: _special(t, dec)
    return dec


def _encode_reply(header, value, extra_blobs=None, dec=None, rng=False):
    enc = _encoder()
    header["v"] = enc.encode(value)
    if dec is not None and dec.modules:
        header["mods"] = [module_state(m, enc) for m in dec.modules]
    state = rng_state() if rng else None
    if state is not None:
        header["rng"] = enc.encode(state)
    if dec is not None:
        changed = dec.changed_containers(enc.encode)
        if changed:
            header["cmut"] = changed
    blobs = enc.blobs
    if extra_blobs:
        header["mut"] = []
        for i, b in extra_blobs:
            header["mut"].append([i, len(blobs)])
            blobs.append(b)
    return header, blobs


def _request(op, fields, args, kwargs):
    """Ask the judge for something (a callback) and serve its requests until it answers."""
    _next_req[0] += 1
    rid = -_next_req[0]
    enc = _encoder()
    header = dict(fields, k="req", op=op, rid=rid,
                  args=enc.encode(list(args)), kwargs=enc.encode(dict(kwargs)))
    write_message(_OUT, header, enc.blobs)
    return _serve(until=rid)


def _exc_info(e):
    return {"type": type(e).__name__[:80], "msg": str(e)[:2000]}


def _handle(h, blobs):
    """Answer one request of the judge: (reply header, blobs). The student's code may raise
    anything; it becomes an error reply."""
    op = h["op"]
    saved = dec_blobs[0]
    dec_blobs[0] = blobs
    dec = _decoder(blobs)
    ctx = h.get("ctx")
    settings = _CallerSettings()
    try:
        if ctx:
            settings.apply(ctx, dec)
        if op == "exec":
            code = compile(h["code"], h.get("name", "<cell>"), "exec")
            exec(code, NS)
            return {"ok": True, "v": None}, []
        result = _answer(h, dec)
        settings.restore()
        return _encode_reply({"ok": True}, result, dec.changed_arrays(), dec, rng=bool(ctx and "rng" in ctx))
    except BaseException as e:  # noqa: BLE001  (student code may raise anything, even SystemExit)
        if isinstance(e, KeyboardInterrupt):
            raise
        return {"ok": False, "exc": _exc_info(e)}, []
    finally:
        dec_blobs[0] = saved
        settings.restore_grad()
        settings.restore()


class _CallerSettings:
    """What the judge had set, in force while the student's code runs: NumPy's floating-point
    error handling, warnings as errors, torch's RNG state and grad mode. ``restore`` undoes
    the first two (before the reply is encoded), ``restore_grad`` the grad mode."""

    def __init__(self):
        self.err = np.geterr()
        self.warnings = _warnings.catch_warnings()
        self.warnings.__enter__()
        self.grad = None        # the grad mode to restore, if it was changed

    def apply(self, ctx, dec):
        np.seterr(**{k: v for k, v in ctx.get("err", {}).items() if k in ("divide", "over", "under", "invalid")})
        if ctx.get("warn") == "error":
            _warnings.simplefilter("error")
        torch = torch_if_loaded()
        if "rng" in ctx and torch is not None:
            set_rng_state(dec.decode(ctx["rng"]))
        if "grad" in ctx and torch is not None:
            self.grad = torch.is_grad_enabled()
            torch.set_grad_enabled(bool(ctx["grad"]))

    def restore(self):
        if self.warnings is not None:
            np.seterr(**self.err)
            self.warnings.__exit__(None, None, None)
            self.warnings = None

    def restore_grad(self):
        if self.grad is not None:
            torch_if_loaded().set_grad_enabled(self.grad)


def _answer(h, dec):
    """The result of a request other than exec: its target and arguments decoded, then the
    operation's handler in ``_OPS``."""
    target = None
    if "target" in h:
        tg = h["target"]
        if isinstance(tg, dict) and tg.get("$") == "global":
            if tg["name"] not in NS:
                raise NameError(f"name '{tg['name']}' is not defined")
            target = NS[tg["name"]]
        else:
            target = dec.decode(tg)
    args = dec.decode(h.get("args", []))
    kwargs = dec.decode(h.get("kwargs", {"$": "dict", "v": []}))
    handler = _OPS.get(h["op"])
    if handler is None:
        raise WireError(f"unknown operation {h['op']}")
    return handler(h, target, args, kwargs)


# --- one handler per operation: (request header, target, args, kwargs) -> result ----------

_OPS = {}


def _op(name):
    def register(fn):
        _OPS[name] = fn
        return fn
    return register


@_op("call")
def _call(h, target, args, kwargs):
    return target(*args, **kwargs)


@_op("timedcall")
def _timedcall(h, target, args, kwargs):
    """(result, CPU seconds of the whole sandbox meanwhile), the call held to h["limit"] seconds."""
    return timed(target, h.get("limit"), args, kwargs)


@_op("getattr")
def _getattr(h, target, args, kwargs):
    return getattr(target, h["name"])


@_op("setattr")
def _setattr(h, target, args, kwargs):
    setattr(target, h["name"], args[0])


@_op("delattr")
def _delattr(h, target, args, kwargs):
    delattr(target, h["name"])


@_op("setitem")
def _setitem(h, target, args, kwargs):
    target[args[0]] = args[1]


@_op("binop")
def _binop(h, target, args, kwargs):
    return _BINARY[h["name"]](args[0], args[1])


@_op("unop")
def _unop(h, target, args, kwargs):
    result = _UNARY[h["name"]](target)
    if h["name"] in ("len", "float", "int", "index", "callable") and type(result) not in (int, float, bool):
        raise TypeError(f"{h['name']}() returned a non-plain value")
    return result


@_op("isinstance")
def _isinstance(h, target, args, kwargs):
    return bool(isinstance(args[0], target))


@_op("issubclass")
def _issubclass(h, target, args, kwargs):
    return bool(issubclass(args[0], target))


def _fork(rid):
    """A copy of this interpreter serves the judge until it asks the copy to exit (op "exit");
    then this one says how the copy ended and serves on. Used for the catalogued mistakes'
    traces (trusted code): the cells before the replaced one run once, not once per mistake."""
    pid = os.fork()
    if pid == 0:
        write_message(_OUT, {"k": "rep", "rid": rid, "ok": True, "v": None})
        return
    _, status = os.waitpid(pid, 0)
    write_message(_OUT, {"k": "joined", "status": int(status)})


def _serve(until=None):
    while True:
        h, blobs = read_message(_IN)
        if until is None and h.get("k") == "req" and h.get("op") in ("fork", "exit"):
            if h["op"] == "exit":
                os._exit(0)
            try:
                _fork(h.get("rid"))
            except OSError as e:        # e.g. the process limit
                write_message(_OUT, {"k": "rep", "rid": h.get("rid"), "ok": False, "exc": _exc_info(e)})
            continue
        if h.get("k") == "rep":
            if h.get("rid") != until:
                raise WireError("unexpected reply")
            if not h.get("ok"):
                exc = h.get("exc", {})
                raise RuntimeError(f"grader callback raised {exc.get('type')}: {exc.get('msg')}")
            dec_blobs[0] = blobs
            return _decoder(blobs).decode(h.get("v"))
        reply, rblobs = _handle(h, blobs)
        reply["k"] = "rep"
        reply["rid"] = h.get("rid")
        try:
            write_message(_OUT, reply, rblobs)
        except (ValueError, TypeError) as e:   # e.g. a value JSON cannot carry
            write_message(_OUT, {"k": "rep", "rid": h.get("rid"), "ok": False, "exc": _exc_info(e)})


def _defer_pyplot():
    """Let matplotlib.pyplot load on first use. Every notebook's setup cell imports it for its
    plots, which are never drawn here, and importing it is most of a sandbox's start-up time."""
    import importlib.util as _ilu
    try:
        spec = _ilu.find_spec("matplotlib.pyplot")
    except Exception:  # noqa: BLE001  (no matplotlib: the setup cell will say so)
        return
    if spec is None or spec.loader is None:
        return
    spec.loader = _ilu.LazyLoader(spec.loader)
    module = _ilu.module_from_spec(spec)
    _sys.modules["matplotlib.pyplot"] = module
    spec.loader.exec_module(module)
    _sys.modules["matplotlib"].pyplot = module


def main():
    """Take the pipes (fds 0 and 1) for the judge, say hello, serve until told to exit."""
    global _IN, _OUT
    _IN = os.dup(0)
    _OUT = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    _sys.stdout = _sys.stderr
    _defer_pyplot()
    write_message(_OUT, {"k": "hello"})
    _serve()
