"""memwatch: the fallback's bound on a sandbox's memory as a whole, where no cgroup is available.

Without a cgroup (``cgroups.mode() == "rlimits"``) the kernel limits each process only
(RLIMIT_AS), so a sandbox of 64 processes could hold 64 times that. Here a thread of the
grading process looks at every watched sandbox every ``PERIOD`` seconds, adds up the resident
memory of all of its processes (bwrap and everything below it: the sandbox's PID namespace)
and kills the whole sandbox when the sum exceeds its budget (``Limits.memory_bytes``).

Stated worst case: a sandbox holds its budget plus what its processes can fault in within one
period, and never more than the per-process limit times the process limit (RLIMIT_AS x
RLIMIT_NPROC). Resident memory shared between its processes (pages a fork has not copied yet)
is counted once per process, so the watch errs towards killing, never towards allowing.
"""
from __future__ import annotations

import os
import threading

PERIOD = 0.2
PAGE = os.sysconf("SC_PAGE_SIZE")

_lock = threading.Lock()
_watched: dict[int, tuple[object, int, object]] = {}     # bwrap's pid -> (Popen, budget, on_kill)
_thread: list[threading.Thread] = []                      # the watch thread of this process (pid)
_owner = [0]


def _processes() -> dict[int, tuple[int, int]]:
    """{pid: (parent pid, resident bytes)} of every process this account can see."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        out[int(name)] = (int(fields[1]), int(fields[21]) * PAGE)
    return out


def resident(root: int, table: dict[int, tuple[int, int]]) -> int:
    """Resident bytes of ``root`` and all of its descendants in ``table`` (``_processes``)."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in table:
            continue
        seen.add(pid)
        total += table[pid][1]
        todo.extend(children.get(pid, []))
    return total


def _loop() -> None:
    while True:
        with _lock:
            watched = dict(_watched)
        if watched:
            table = _processes()
            for pid, (proc, budget, on_kill) in watched.items():
                if proc.poll() is not None:
                    unwatch_pid(pid)
                elif resident(pid, table) > budget:
                    unwatch_pid(pid)
                    on_kill(proc)
        threading.Event().wait(PERIOD)


def watch(proc, budget: int, on_kill) -> None:
    """Watch the sandbox whose outermost process is ``proc`` (bwrap); ``on_kill(proc)`` ends it."""
    with _lock:
        if _owner[0] != os.getpid():           # none yet, or inherited through fork (not running here)
            _watched.clear()                   # the parent's sandboxes are the parent's to watch
            _owner[0] = os.getpid()
            _thread[:] = [threading.Thread(target=_loop, name="sandbox-memwatch", daemon=True)]
            _thread[0].start()
        _watched[proc.pid] = (proc, budget, on_kill)


def unwatch_pid(pid: int) -> None:
    with _lock:
        _watched.pop(pid, None)
