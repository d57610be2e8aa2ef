"""CPU time of a call, measured where the call runs, all of its processes and threads.

``timed_call(fn, *args, cpu_limit=60, **kwargs)`` returns ``(fn(*args, **kwargs), seconds)``:
the user and system CPU seconds the call used, its threads and the processes it started
included. In a notebook that is this process, its children and every process descending
from it. An object that runs elsewhere (the course grader's proxy for a student's function,
whose code runs in a sandbox) times itself there, and is held there to ``cpu_limit``: its
class's ``__timed_call__(obj, cpu_limit, args, kwargs)``.

    >>> _, seconds = timed_call(sum, range(1000))
    >>> 0 <= seconds < 1
    True
"""
from __future__ import annotations

import os
import time

try:
    import resource
except ImportError:          # Windows: this process's own time only
    resource = None

__all__ = ["timed_call", "tree_seconds"]


def _proc_times(pid: str) -> tuple[int, float]:
    """(parent pid, utime + stime + cutime + cstime in seconds) of a process, from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[1]), sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _descendants_seconds(root: int) -> float:
    """CPU seconds of the live processes descending from ``root`` (0 without /proc)."""
    parents, times = {}, {}
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return 0.0
    for pid in pids:
        try:
            parents[int(pid)], times[int(pid)] = _proc_times(pid)
        except (OSError, IndexError, ValueError):
            continue
    total, below = 0.0, {root}
    for pid in sorted(parents):            # parents come before their children often, not always:
        chain, p = [], pid                 # walk up to root (or not) once per process
        while p in parents and p not in below and p not in chain and p > 1:
            chain.append(p)
            p = parents[p]
        if p in below:
            below.update(chain)
            total += sum(times[c] for c in chain)
    return total


def tree_seconds() -> float:
    """CPU seconds used so far by this process (all its threads), the children it has
    reaped and its live descendants."""
    if resource is None:
        return time.process_time()
    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (own.ru_utime + own.ru_stime + reaped.ru_utime + reaped.ru_stime
            + _descendants_seconds(os.getpid()))


def timed_call(fn, *args, cpu_limit: float | None = None, **kwargs):
    """(fn(*args, **kwargs), CPU seconds the call used where it ran); see the module docstring.
    ``cpu_limit`` goes to an object that times itself (the grader stops its sandbox beyond
    it); a call in this process is only measured, so that a slow answer costs a check, not
    the notebook's kernel."""
    hook = getattr(type(fn), "__timed_call__", None)
    if hook is not None:
        return hook(fn, cpu_limit, args, kwargs)
    start = tree_seconds()
    result = fn(*args, **kwargs)
    return result, tree_seconds() - start
