"""The sandboxed side of the judge: a small request server (runs inside bubblewrap).

It is sent into the sandbox as source text (``jail.server_bootstrap``), and ``main()``
speaks the wire protocol (the messages of ``jail.wire``) on the pipes it was started with. The trusted judge asks it to
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

from .. import wire
from ..torch_support import is_torch_module, rng_state, set_rng_state, torch_if_loaded
from ..wire import (CB, EXEC, EXIT, FORK, MODULE, PICKLE, REF, REPLY, REQUEST, Decoder, Encoder,
                    GradingShell, Reply, Request, WireError, build_module, module_spec, module_state,
                    read_message, write_message)
from .cputime import timed

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
UNARY = {"neg": _operator.neg, "pos": _operator.pos, "abs": abs, "invert": _operator.invert,
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
    return wire.ref(i, str(tname)[:80], bool(callable(obj)), isinstance(obj, type))


class _Callback:
    """A trusted callable: calling it asks the judge to run it."""
    def __init__(self, cid):
        self._cid = cid

    def __call__(self, *args, **kwargs):
        return _callback(self._cid, args, kwargs)

    def __repr__(self):
        return "<grader callback>"


class _Encoder(Encoder):
    """What this side sends: a torch.nn module made of torch's own layers as data, anything
    else that is not plain data as a reference to it (it stays here)."""

    def __init__(self):
        super().__init__(self._other)

    def _other(self, v):
        if is_torch_module(v):
            spec = module_spec(v, self)
            if spec is not None:
                return spec
        return _ref(v)


class _Exchange(Decoder):
    """One message of the judge's that carries values (a request, or the reply to a callback),
    decoded, and the answer to it: the message's blobs (a pickle's bytes are there), the torch
    modules rebuilt from it (their state goes back with the answer), what was sent in it and
    changed in place since (``Decoder.changed_arrays``, ``changed_containers``)."""

    def __init__(self, blobs):
        super().__init__(blobs, self._special)
        self.modules = []

    def _special(self, t):
        tag = wire.tag(t)
        if tag == MODULE:
            m = build_module(t, self)
            self.modules.append(m)
            return m
        if tag == REF:
            if wire.ident(t) not in _objects:
                raise KeyError("unknown reference")
            return _objects[wire.ident(t)]
        if tag == CB:
            return _Callback(wire.ident(t))
        if tag == PICKLE:
            return _pickle.loads(self.blobs[wire.pickle_blob(t)])
        raise WireError("unknown tag")

    def reply(self, rid, value, rng=False):
        """The answer (header, blobs): ``value``, the state of the modules received, torch's RNG
        state (``rng``), and what the student's code changed in place of what was received."""
        enc = _Encoder()
        v = enc.encode(value)
        mods = [module_state(m, enc) for m in self.modules] or None
        state = rng_state() if rng else None
        rng_value = enc.encode(state) if state is not None else None
        cmut = self.changed_containers(enc.encode) or None
        mut = []
        for i, b in self.changed_arrays():
            mut.append([i, len(enc.blobs)])
            enc.blobs.append(b)
        return Reply.value(rid, v, mods, rng_value, cmut, mut or None), enc.blobs


def _callback(cid, args, kwargs):
    """Ask the judge to run its callback ``cid`` and serve its requests until it answers."""
    _next_req[0] += 1
    rid = -_next_req[0]
    enc = _Encoder()
    header = Request.callback(cid, rid, enc.encode(list(args)), enc.encode(dict(kwargs)))
    write_message(_OUT, header, enc.blobs)
    return _serve(until=rid)


def _error(rid, e, first=False):
    """The error reply of request ``rid`` that raised ``e``."""
    return Reply.error(rid, type(e).__name__[:80], str(e)[:2000], first)


def handle(h, blobs):
    """Answer one request of the judge: (reply header, blobs). The student's code may raise
    anything; it becomes an error reply."""
    req = Request(h)
    exchange = _Exchange(blobs)
    ctx = req.context
    settings = _CallerSettings()
    try:
        if ctx.given:
            settings.apply(ctx, exchange)
        if req.op == EXEC:
            code, name = req.cell()
            exec(compile(code, name, "exec"), NS)
            return Reply.value(req.rid, None), []
        result = _answer(req, exchange)
        settings.restore()
        return exchange.reply(req.rid, result, rng=ctx.rng is not None)
    except BaseException as e:  # noqa: BLE001  (student code may raise anything, even SystemExit)
        if isinstance(e, KeyboardInterrupt):
            raise
        return _error(req.rid, e), []
    finally:
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

    def apply(self, ctx, exchange):
        """Put the request's ``wire.Context`` in force (its RNG state decoded by ``exchange``)."""
        np.seterr(**{k: v for k, v in ctx.err.items() if k in ("divide", "over", "under", "invalid")})
        if ctx.warnings_as_errors:
            _warnings.simplefilter("error")
        torch = torch_if_loaded()
        if ctx.rng is not None and torch is not None:
            set_rng_state(exchange.decode(ctx.rng))
        if ctx.grad is not None and torch is not None:
            self.grad = torch.is_grad_enabled()
            torch.set_grad_enabled(bool(ctx.grad))

    def restore(self):
        if self.warnings is not None:
            np.seterr(**self.err)
            self.warnings.__exit__(None, None, None)
            self.warnings = None

    def restore_grad(self):
        if self.grad is not None:
            torch_if_loaded().set_grad_enabled(self.grad)


def _answer(req, exchange):
    """The result of a request other than exec: its target and arguments decoded, then the
    operation's handler in ``OPS``."""
    target = None
    if req.has_target:
        name = wire.global_of(req.target)
        if name is not None:
            if name not in NS:
                raise NameError(f"name '{name}' is not defined")
            target = NS[name]
        else:
            target = exchange.decode(req.target)
    args, kwargs = (exchange.decode(t) for t in req.arguments())
    handler = OPS.get(req.op)
    if handler is None:
        raise WireError(f"unknown operation {req.op}")
    return handler(req, target, args, kwargs)


# --- one handler per operation: (wire.Request, target, args, kwargs) -> result ----------

OPS = {}


def _op(name):
    def register(fn):
        OPS[name] = fn
        return fn
    return register


@_op("call")
def _call(req, target, args, kwargs):
    return target(*args, **kwargs)


@_op("timedcall")
def _timedcall(req, target, args, kwargs):
    """(result, CPU seconds of the whole sandbox meanwhile), the call held to ``req.limit`` seconds."""
    return timed(target, req.limit, args, kwargs)


@_op("getattr")
def _getattr(req, target, args, kwargs):
    return getattr(target, req.name)


@_op("setattr")
def _setattr(req, target, args, kwargs):
    setattr(target, req.name, args[0])


@_op("delattr")
def _delattr(req, target, args, kwargs):
    delattr(target, req.name)


@_op("setitem")
def _setitem(req, target, args, kwargs):
    target[args[0]] = args[1]


@_op("binop")
def _binop(req, target, args, kwargs):
    return _BINARY[req.name](args[0], args[1])


@_op("unop")
def _unop(req, target, args, kwargs):
    result = UNARY[req.name](target)
    if req.name in ("len", "float", "int", "index", "callable") and type(result) not in (int, float, bool):
        raise TypeError(f"{req.name}() returned a non-plain value")
    return result


@_op("isinstance")
def _isinstance(req, target, args, kwargs):
    return bool(isinstance(args[0], target))


@_op("issubclass")
def _issubclass(req, target, args, kwargs):
    return bool(issubclass(args[0], target))


def _fork(rid):
    """A copy of this interpreter serves the judge until it asks the copy to exit (op EXIT);
    then this one says how the copy ended (JOINED) and serves on. Used for the catalogued
    mistakes' traces (trusted code): the cells before the replaced one run once, not once per mistake."""
    pid = os.fork()
    if pid == 0:
        write_message(_OUT, Reply.value(rid, None, first=True))
        return
    _, status = os.waitpid(pid, 0)
    write_message(_OUT, wire.joined(int(status)))


def _callback_result(rep, blobs, until):
    """The value a callback's reply (``wire.Reply``) brings; its error raised here."""
    if rep.rid != until:
        raise WireError("unexpected reply")
    if not rep.ok:
        type_name, message = rep.exception()
        raise RuntimeError(f"grader callback raised {type_name}: {message}")
    return _Exchange(blobs).decode(rep.result)


def _serve(until=None):
    """Answer the judge's requests; with ``until`` (a callback's rid), until its reply comes."""
    while True:
        h, blobs = read_message(_IN)
        req = Request(h)
        if until is None and wire.kind(h) == REQUEST and req.op in (FORK, EXIT):
            if req.op == EXIT:
                os._exit(0)
            try:
                _fork(req.rid)
            except OSError as e:        # e.g. the process limit
                write_message(_OUT, _error(req.rid, e, first=True))
            continue
        if wire.kind(h) == REPLY:
            return _callback_result(wire.Reply(h), blobs, until)
        reply, rblobs = handle(h, blobs)
        try:
            write_message(_OUT, reply, rblobs)
        except (ValueError, TypeError) as e:   # e.g. a value JSON cannot carry
            write_message(_OUT, _error(req.rid, e, first=True))


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
    write_message(_OUT, wire.hello())
    _serve()
