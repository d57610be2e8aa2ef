"""CPU time of the whole sandbox, measured and enforced inside it (standard library only).

The sandbox has its own pid namespace and /proc: every process listed there is the
sandbox's, so their user and system times (each process's threads included, and the times
of the children each has reaped) add up to what the sandbox has used. A call timed here
(``timed``) is what the student's code used, wherever it ran: threads, subprocesses and
processes started earlier and still working alike.
"""
import os
import resource


def sandbox_seconds() -> float:
    """User + system CPU seconds used so far by every process of this pid namespace."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue                 # ended meanwhile (its time is now its parent's)
        total += sum(int(x) for x in fields[11:15])     # utime, stime, cutime, cstime
    return total / tick


def timed(fn, limit, args, kwargs):
    """(fn(*args, **kwargs), the sandbox's CPU seconds meanwhile). With a ``limit`` (seconds),
    this process may not use more than about that much CPU time in the call: its soft
    RLIMIT_CPU ends it (SIGXCPU) beyond it."""
    start = sandbox_seconds()
    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if limit:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cap = int(usage.ru_utime + usage.ru_stime + float(limit)) + 2
        resource.setrlimit(resource.RLIMIT_CPU, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard))
    try:
        result = fn(*args, **kwargs)
    finally:
        if limit:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    return result, sandbox_seconds() - start
