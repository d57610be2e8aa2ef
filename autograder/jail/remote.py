"""Trusted side of the judge's sandbox: the Jail client and RemoteObject proxies.

A ``Jail`` is a fresh Python interpreter in the sandbox (see ``sandbox.py``) that runs
``inside/server.py`` (``jail.server_bootstrap``). ``jail.proxy(name)`` returns a ``RemoteObject``
standing for a global of the student's code; calling it sends the arguments as plain data
and returns plain data, or a ``RemoteObject`` for anything else (an instance of the student's class, a
model, a bound method). Operators, attribute reads and writes, ``len``, ``float``,
iteration and ``np.asarray`` are forwarded. Comparisons, truth value and hashing are
*refused*: an object built by the student's code cannot decide whether a check passes.
Nor can it claim a shape: ``shape``, ``ndim``, ``size`` and ``dtype`` of a ``RemoteObject``
are those of the real array ``np.asarray`` makes of it, converted once (``RemoteObject._as_array``)
and kept until the student's code runs again, so a check's shape, dtype and values all
judge the same array.
"""
from __future__ import annotations

import builtins as _builtins
import functools
import inspect
import pickle
import sys
import threading
import time
import warnings

import numpy as np

from .. import sandbox
from . import server_bootstrap, wire
from .torch_support import is_torch_module, rng_state, set_rng_state, torch_if_loaded

SERVER_SOURCE = server_bootstrap()


class RemoteError(Exception):
    """The student's code raised (inside the sandbox)."""

    def __init__(self, type_name: str, message: str):
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name
        self.message = message


_REMOTE_TYPES: dict[str, type] = {}


def remote_error(type_name: str, message: str) -> RemoteError:
    """A RemoteError that is also an instance of the builtin exception it names (so that a
    test's ``except ValueError`` catches the student's ValueError)."""
    base = getattr(_builtins, type_name, None)
    if not (isinstance(base, type) and issubclass(base, Exception)) or base is AssertionError:
        return RemoteError(type_name, message)
    cls = _REMOTE_TYPES.get(type_name)
    if cls is None:
        cls = _REMOTE_TYPES[type_name] = type(f"Remote{type_name}", (RemoteError, base), {})
    return cls(type_name, message)


class JailDied(RemoteError):
    """The sandboxed interpreter crashed, exited or was killed."""


class JailTimeout(RemoteError):
    """The student's code did not answer in time (the sandbox was killed)."""


class ProxyUnsupported(Exception):
    """The test code did something the judge cannot do across the sandbox boundary (a grader
    limitation, not the student's fault: the cell goes to a human)."""


class ProxyRefused(TypeError):
    """A comparison, truth test or hash of an object the student's code made."""


class Jail:
    """The trusted side's client of one sandboxed interpreter (``jail/inside/server.py``) that holds
    a student's definitions: it starts the sandbox, sends requests over the wire
    (``jail/wire.py``) and turns the answers into values or ``RemoteObject`` proxies.

    It owns the sandboxed process (``proc``; ``dead`` once it crashed, exited or was killed),
    the wall-clock watchdog over it, the deadline of each request in flight (``call_timeout``
    per call, under an outer ``deadline`` per test cell), the trusted callbacks the student's
    code may call back into (``callbacks``, ``cb_ids``), the proxies it handed out
    (``remotes``, valid for one ``generation`` of the interpreter) and, while a check is
    observed, the ``observer`` that records what crosses the boundary (``observe.Trace``).
    ``fork``/``join`` switch its requests to a copy of the interpreter and back.
    """

    def __init__(self, limits: sandbox.Limits, call_timeout: float = 30.0, uid: int | None = None):
        self.limits = limits
        self.call_timeout = call_timeout
        self.deadline: float | None = None     # an outer deadline (per test cell)
        self.callbacks: dict[int, object] = {}
        self.cb_ids: dict[int, int] = {}
        self.remotes: dict[int, RemoteObject] = {}
        self.generation = 0
        self.observer = None        # observe.Trace.record while a check is observed (see observe.py)
        self.uid = uid
        self.proc = None
        self.dead = True
        self._rid = 0
        self._deadlines: list[float] = []    # absolute deadlines of the requests in flight (nested by callbacks)
        self._watchdog: threading.Timer | None = None
        self._expired = False
        self._forked = False                 # requests go to a copy made by fork()
        self.epoch = 0                       # counts requests that may change the student's objects
        self.start()

    # --- process -------------------------------------------------------------------
    def start(self):
        self.close()
        self.proc = sandbox.popen([sys.executable, "-I", "-c", SERVER_SOURCE], self.limits, self.uid)
        self._new_generation()
        self.dead = False
        self._start_watchdog()
        try:
            h, _ = wire.read_message(self.proc.stdout.fileno(), time.monotonic() + 60)
        except wire.WireError as e:
            self.close()
            raise JailDied("SandboxError", f"the sandbox did not start: {e}") from None
        if wire.kind(h) != wire.HELLO:
            self.close()
            raise JailDied("SandboxError", "the sandbox did not start")

    def _new_generation(self):
        """References to objects of an earlier interpreter (or copy) become stale."""
        self.generation += 1
        self.remotes.clear()

    def _start_watchdog(self):
        # the interpreter's whole life is bounded too, as sandbox.run bounds a run: a request's
        # deadline bounds what the judge waits for, this what the sandbox may go on doing
        if self._watchdog is not None:
            self._watchdog.cancel()
        self._expired = False
        self._watchdog = threading.Timer(self.limits.wall_seconds, self._expire, args=(self.proc,))
        self._watchdog.daemon = True
        self._watchdog.start()

    def fork(self):
        """From now on, talk to a copy of the interpreter as it is (the server forks itself: ``_fork`` in jail/inside/server.py),
        until ``join()``. Only for trusted code (the catalogued mistakes): a copy shares the
        sandbox with the interpreter it was made from. The life limit starts again."""
        assert not self._forked, "one copy at a time"
        self.request(wire.FORK)
        self._forked = True
        self._new_generation()
        self._start_watchdog()

    def join(self):
        """End the copy; back to the interpreter it was copied from (it kept its state)."""
        if not self._forked:
            return
        if self.dead:                      # the copy died (or the whole sandbox did: see close)
            if self.proc is not None:
                self._forked = False
                self._new_generation()
                self.dead = False
            return
        self._rid += 1
        self._deadlines.append(time.monotonic() + self.call_timeout)
        try:
            self._send(wire.Request.exit(self._rid), [])
            h, _ = wire.read_message(self.proc.stdout.fileno(), self._deadlines[-1])
            if wire.kind(h) != wire.JOINED:
                raise wire.WireError("unexpected message")
        except (RemoteError, wire.WireError, OSError, ValueError):
            self.close()
            return
        finally:
            self._deadlines.pop()
        self._forked = False
        self._new_generation()

    def _expire(self, proc):
        if proc is self.proc:
            self._expired = True
        sandbox.kill(proc)

    def close(self):
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        if self.proc is not None:
            sandbox.kill(self.proc)
            for f in (self.proc.stdin, self.proc.stdout):
                try:
                    f.close()
                except OSError:
                    pass
        self.proc = None
        self.dead = True
        self._forked = False

    # --- protocol --------------------------------------------------------------------
    def remote_object(self, i, type_name: str) -> "RemoteObject":
        """The proxy of the sandbox's object ``i`` (one per object and generation)."""
        r = self.remotes.get(i)
        if r is None:
            r = RemoteObject(self, wire.ref(i), type_name, self.generation)
            self.remotes[i] = r
        return r

    def callback_id(self, fn) -> int:
        """The id the sandbox calls the trusted callable ``fn`` back by."""
        key = id(fn)
        if key not in self.cb_ids:
            cid = len(self.callbacks) + 1
            self.callbacks[cid] = fn
            self.cb_ids[key] = cid
        return self.cb_ids[key]

    def request(self, op: str, target=None, args=(), kwargs=None, **fields):
        if self.dead:
            raise JailDied("SandboxDied", "your code's interpreter is not running "
                                          "(it crashed or was stopped earlier)")
        if not (op == "unop" and fields.get("name") == "array"):
            self.epoch += 1        # arrays converted before this request may be out of date
        out = _Outgoing(self)
        ctx = _call_context(out) if op in wire.CONTEXT_OPS else None
        target_value = None if target is None else target if isinstance(target, dict) else out.encode(target)
        args_value, kwargs_value = out.encode(list(args)), out.encode(dict(kwargs or {}))
        self._rid += 1
        rid = self._rid
        header = wire.Request.to_sandbox(op, rid, args_value, kwargs_value, fields, ctx, target_value)
        if self.observer is not None:
            self.observer("in", (op, fields.get("name"), wire.global_of(target), list(args), dict(kwargs or {})))
        # one absolute deadline for everything this request waits on (writes, reads, the
        # callbacks it serves): messages trickling in cannot keep it alive
        self._deadlines.append(self._deadline())
        try:
            self._send(header, out.encoder.blobs)
            value = self._wait(rid, out)
        except RemoteError as e:
            if self.observer is not None:
                self.observer("dead" if isinstance(e, (JailDied, JailTimeout)) else "raise", e.type_name)
            raise
        finally:
            self._deadlines.pop()
        if self.observer is not None:   # a timed call's CPU seconds are a measurement, not behaviour
            timed = op == "timedcall" and isinstance(value, tuple) and len(value) == 2
            self.observer("out", value[0] if timed else value)
        return value

    def _deadline(self):
        d = time.monotonic() + self.call_timeout
        for outer in ([self.deadline] if self.deadline else []) + self._deadlines[-1:]:
            d = min(d, outer)
        return d

    def _timeout(self):
        self.close()
        return JailTimeout("Timeout", f"no answer within {self.call_timeout:g} s "
                           "(an endless loop or a very slow computation?)")

    def _send(self, header, blobs):
        if self.dead:
            raise JailDied("SandboxDied", "your code's interpreter is not running")
        try:
            wire.write_message(self.proc.stdin.fileno(), header, blobs, self._deadlines[-1])
        except wire.ChannelTimeout:
            raise self._timeout() from None
        except (OSError, ValueError):
            self.close()
            raise JailDied("SandboxDied", "your code's interpreter exited") from None

    def _read(self):
        """The sandbox's next message, by the request's deadline; a sandbox that is gone, late
        or garbled is closed and reported (JailTimeout, JailDied)."""
        try:
            return wire.read_message(self.proc.stdout.fileno(), self._deadlines[-1])
        except wire.ChannelTimeout:
            raise self._timeout() from None
        except wire.ChannelClosed:
            if self._expired:
                self.close()
                raise JailTimeout("Timeout", f"your code's interpreter ran for more than "
                                  f"{self.limits.wall_seconds:g} s in all and was stopped") from None
            rc = None
            if self.proc is not None:
                try:
                    rc = self.proc.wait(timeout=1)    # a closed pipe comes just before the exit
                except Exception:  # noqa: BLE001
                    rc = None
            self.close()
            raise JailDied("SandboxDied", "your code's interpreter died"
                           + (f" (exit status {rc})" if rc is not None else "")) from None
        except (wire.WireError, ValueError) as e:
            self.close()
            raise JailDied("ProtocolError", f"garbled answer from the sandbox ({e})") from None
        except MemoryError:
            self.close()
            raise JailDied("ResultTooLarge", "your code's answer was too large for the grader's memory") from None

    def _wait(self, rid, out: "_Outgoing"):
        """The reply to request ``rid`` (serving callbacks meanwhile); ``out``: what the request
        sent (arrays, lists, dicts and torch modules take the changes made to them)."""
        while True:
            h, blobs = self._read()
            if wire.kind(h) == wire.REQUEST and wire.Request(h).op == wire.CALLBACK:
                self._serve_callback(wire.Request(h), blobs)
                continue
            if wire.kind(h) == wire.JOINED and self._forked:
                # the copy died; its parent lives on and waits for join()
                self.dead = True
                raise JailDied("SandboxDied", "your code's interpreter died "
                               f"(wait status {wire.joined_status(h)})")
            rep = wire.Reply(h)
            if wire.kind(h) != wire.REPLY or rep.rid != rid:
                self.close()
                raise JailDied("ProtocolError", "unexpected message from the sandbox")
            if not rep.ok:
                type_name, message = rep.exception()
                raise remote_error(str(type_name)[:80], str(message)[:2000])
            return self._result(rep, blobs, out)

    def _result(self, rep: wire.Reply, blobs, out: "_Outgoing"):
        """A reply's value; what the request sent takes the changes the reply reports."""
        try:
            dec = _Incoming(self, blobs)
            value = dec.decode(rep.result)
            for module, state in zip(out.modules, rep.modules):
                wire.load_module_state(module, state, dec)   # e.g. a model the student trained
            if rep.rng is not None and torch_if_loaded() is not None:
                state = np.asarray(dec.decode(rep.rng))
                if state.dtype == np.uint8 and state.shape == rng_state().shape:
                    set_rng_state(state)
            for i, j in rep.changed_arrays:
                orig = out.encoder.arrays.get(i)
                new = wire.bytes_to_array(blobs[j])
                if self.observer is not None:
                    self.observer("mut", new)
                if orig is not None:
                    wire.write_back(orig, new)   # the student's code changed an input in place
            wire.apply_container_changes(out.encoder.containers, rep.changed_containers, dec.decode)
        except (wire.WireError, ValueError, KeyError, TypeError, IndexError) as e:
            raise RemoteError("BadResult", f"the result could not be read as plain data ({e})") from None
        except MemoryError:
            raise RemoteError("BadResult", "the result was too large for the grader's memory") from None
        return value

    def _serve_callback(self, req: wire.Request, blobs):
        try:
            fn = self.callbacks[req.callback_id]
            dec = _Incoming(self, blobs)
            args, kwargs = (dec.decode(t) for t in req.arguments())
            if self.observer is not None:
                self.observer("callback", (list(args), dict(kwargs)))
            result = fn(*args, **kwargs)
            out = _Outgoing(self)
            reply = wire.Reply.value(req.rid, out.encode(result), first=True)
            blobs_out = out.encoder.blobs
        except (JailDied, JailTimeout):
            raise               # a request the callback made ended the interpreter
        except Exception as e:  # noqa: BLE001  (reported to the sandbox, which raises it there)
            reply = wire.Reply.error(req.rid, type(e).__name__, str(e)[:500], first=True)
            blobs_out = []
        self._send(reply, blobs_out)

    # --- conveniences ---------------------------------------------------------------
    def exec_cell(self, code: str, name: str, timeout: float):
        saved = self.call_timeout
        self.call_timeout = timeout
        try:
            self.request("exec", code=code, name=name)
        finally:
            self.call_timeout = saved

    def proxy(self, name: str) -> "RemoteObject":
        return RemoteObject(self, wire.global_name(name), name, None)


class _Outgoing:
    """One message to the sandbox that carries values (a request, or the answer to a callback):
    its encoder (the arrays, lists and dicts it sent, in order), and the torch modules it sent
    as data (their new state comes back with the reply)."""

    def __init__(self, jail: Jail):
        self.jail = jail
        self.modules = []
        self.encoder = wire.Encoder(self._other)

    def encode(self, v):
        return self.encoder.encode(v)

    def _other(self, v):
        if is_torch_module(v):
            spec = wire.module_spec(v, self.encoder)
            if spec is not None:
                self.modules.append(v)      # its new state comes back after the call
                return spec
        if isinstance(v, RemoteObject):
            if object.__getattribute__(v, "_gen") != self.jail.generation:
                raise RemoteError("StaleReference", "an object from an earlier run of your code "
                                  "(the sandbox was restarted after a crash or timeout)")
            return object.__getattribute__(v, "_ref")
        if callable(v) and not isinstance(v, type) and (
                inspect.isfunction(v) or inspect.ismethod(v) or inspect.isbuiltin(v) or isinstance(v, functools.partial)):
            return wire.callback(self.jail.callback_id(v))
        # trusted values may be pickled INTO the sandbox (never the other way)
        try:
            data = pickle.dumps(v)
        except Exception as e:  # noqa: BLE001
            raise ProxyUnsupported(f"cannot send a {type(v).__name__} to the submission's code ({e})") from None
        self.encoder.blobs.append(data)
        return wire.pickled(len(self.encoder.blobs) - 1)


class _Incoming(wire.Decoder):
    """One message from the sandbox, decoded: its references become the jail's proxies and
    torch modules sent as data are rebuilt here; anything else not plain data is refused."""

    def __init__(self, jail: Jail, blobs):
        super().__init__(blobs, self._special, track=False)
        self.jail = jail

    def _special(self, t):
        if wire.tag(t) == wire.MODULE:
            return wire.build_module(t, self)
        if wire.tag(t) == wire.REF:
            return self.jail.remote_object(wire.ident(t), wire.ref_type(t))
        raise wire.WireError("the sandbox sent a value that is not plain data")


def _call_context(out: _Outgoing) -> dict:
    """What the trusted caller has set that should hold while the student's code runs
    (a ``wire.Context``): NumPy's floating-point error handling, warnings-as-errors, torch's
    RNG state and grad mode (encoded by ``out``)."""
    first = warnings.filters[0] if warnings.filters else None
    as_errors = bool(first and first[0] == "error" and first[2] in (Warning, RuntimeWarning) and first[1] is None)
    torch = torch_if_loaded()
    if torch is None:
        return wire.Context.make(np.geterr(), as_errors)
    return wire.Context.make(np.geterr(), as_errors, out.encode(rng_state()), bool(torch.is_grad_enabled()))


_REFUSED = ("comparing, hashing or testing the truth of an object made by the submission is not "
            "allowed: a check must compare plain data (numbers, arrays), e.g. `.data`")


def _binop(name, reflected=False):
    def method(self, other):
        jail = object.__getattribute__(self, "_jail")
        args = (other, self) if reflected else (self, other)
        return jail.request("binop", args=args, name=name)
    method.__name__ = f"__{'r' if reflected else ''}{name}__"
    return method


def _unop(name):
    def method(self):
        jail = object.__getattribute__(self, "_jail")
        return jail.request("unop", target=self, name=name)
    return method


def _refuse(self, *args):
    raise ProxyRefused(_REFUSED)


class RemoteObject:
    """An object that lives in the sandbox. See the module docstring for what it forwards."""
    __slots__ = ("_jail", "_ref", "_type", "_gen", "_arr")

    def __init__(self, jail, ref, type_name, generation):
        object.__setattr__(self, "_jail", jail)
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_type", type_name)
        object.__setattr__(self, "_gen", generation)
        object.__setattr__(self, "_arr", None)     # (jail epoch, the array np.asarray gave then)

    def _target(self):
        ref = object.__getattribute__(self, "_ref")
        if wire.tag(ref) == wire.GLOBAL:
            return ref
        return self

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        jail = object.__getattribute__(self, "_jail")
        return jail.request("getattr", target=RemoteObject._target(self), name=name)

    def __setattr__(self, name, value):
        jail = object.__getattribute__(self, "_jail")
        jail.request("setattr", target=RemoteObject._target(self), args=(value,), name=name)

    def __delattr__(self, name):
        jail = object.__getattribute__(self, "_jail")
        jail.request("delattr", target=RemoteObject._target(self), name=name)

    def __call__(self, *args, **kwargs):
        jail = object.__getattribute__(self, "_jail")
        return jail.request("call", target=RemoteObject._target(self), args=args, kwargs=kwargs)

    def __timed_call__(self, cpu_limit, args, kwargs):
        """``nnkit.cputime.timed_call`` of this object: the call, timed and held to
        ``cpu_limit`` where it runs, in the sandbox (all of its processes): (result, seconds)."""
        jail = object.__getattribute__(self, "_jail")
        result = jail.request("timedcall", target=RemoteObject._target(self), args=args, kwargs=kwargs,
                              limit=cpu_limit)
        if not (isinstance(result, tuple) and len(result) == 2 and type(result[1]) is float):
            raise RemoteError("BadResult", "the timed call did not come back as (result, seconds)")
        return result

    def __getitem__(self, key):
        jail = object.__getattribute__(self, "_jail")
        return jail.request("binop", args=(self, key), name="getitem")

    def __setitem__(self, key, value):
        jail = object.__getattribute__(self, "_jail")
        jail.request("setitem", target=self, args=(key, value))

    def __iter__(self):
        jail = object.__getattribute__(self, "_jail")
        return iter(jail.request("unop", target=self, name="list"))

    def _as_array(self) -> np.ndarray:
        """``np.asarray`` of the object, made in the sandbox and received as a real array of
        numbers, bools or text (an object array cannot cross). Converted once: until the
        student's code is asked anything else, the same array answers again (read-only), so
        an object cannot show one array to a shape check and another to a value check."""
        jail = object.__getattribute__(self, "_jail")
        kept = object.__getattribute__(self, "_arr")
        if kept is not None and kept[0] == jail.epoch:
            return kept[1]
        arr = jail.request("unop", target=self, name="array")
        if not isinstance(arr, np.ndarray) or arr.dtype.kind not in "biufcUS":
            raise RemoteError("BadResult", "np.asarray() of the object did not give an array of numbers")
        arr.flags.writeable = False
        object.__setattr__(self, "_arr", (jail.epoch, arr))
        return arr

    def __array__(self, dtype=None, copy=None):
        arr = RemoteObject._as_array(self)
        return arr.astype(dtype) if dtype is not None else arr.copy()

    # what NumPy asks of an array-like (np.shape, np.ndim, np.size, np.result_type): the
    # real array's answers, never the object's own
    shape = property(lambda self: RemoteObject._as_array(self).shape)
    ndim = property(lambda self: RemoteObject._as_array(self).ndim)
    size = property(lambda self: RemoteObject._as_array(self).size)
    dtype = property(lambda self: RemoteObject._as_array(self).dtype)

    def __instancecheck__(self, obj):
        jail = object.__getattribute__(self, "_jail")
        return jail.request("isinstance", target=RemoteObject._target(self), args=(obj,))

    def __subclasscheck__(self, cls):
        jail = object.__getattribute__(self, "_jail")
        return jail.request("issubclass", target=RemoteObject._target(self), args=(cls,))

    def __repr__(self):
        return f"<{object.__getattribute__(self, '_type')} object from the submission>"

    __str__ = __repr__
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _refuse
    __bool__ = __hash__ = __contains__ = _refuse

    __len__ = _unop("len")
    __float__ = _unop("float")
    __int__ = _unop("int")
    __index__ = _unop("index")
    __complex__ = _unop("complex")
    __neg__ = _unop("neg")
    __pos__ = _unop("pos")
    __abs__ = _unop("abs")
    __invert__ = _unop("invert")


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
              "and", "or", "xor", "lshift", "rshift"):
    setattr(RemoteObject, f"__{_name}__", _binop(_name))
    setattr(RemoteObject, f"__r{_name}__", _binop(_name, reflected=True))
