"""cgroups: limits for one sandbox as a whole (memory, processes, CPU), where the system allows.

RLIMITs are per process: 4 GiB of address space and 600 CPU-s each, times 64 processes,
would let one sandbox hold hundreds of GiB and every core. So each sandbox also gets a
control group of its own, with ``Limits.memory_bytes`` of memory (no swap) for all of its
processes together, ``Limits.processes`` tasks and ``Limits.cpus`` cores. ``mode()`` picks,
once per process, the first of these that works here:

- ``cgroup2``: a delegated cgroup v2 folder named by ``AUTOGRADER_CGROUP`` (e.g. made by
  ``systemd-run --user --scope -p Delegate=yes``; it must hold no process itself);
- ``systemd``: each sandbox in a transient scope, ``systemd-run [--user] --scope -p MemoryMax=
  -p MemorySwapMax=0 -p TasksMax= -p CPUQuota=`` (a systemd that delegates those controllers
  to the grader's account);
- ``cgroup1``: as root, where the cgroup v1 ``memory``, ``pids`` and ``cpu`` hierarchies are
  mounted and writable (a container with the hybrid layout);
- ``rlimits`` (fallback; also forced with ``AUTOGRADER_CGROUPS=off``): the per-process limits,
  and the sandbox's resident memory as a whole watched from outside (``memwatch.py``: killed
  over ``memory_bytes``, within one period); the worst case, which ``describe`` states, is
  ``memory_bytes x processes`` of memory and ``processes`` cores for ``cpu_seconds`` each.

A cgroup folder is named after the sandbox's uid (``uids.py``: leased, so unique on the machine)
and removed when the sandbox ends. The sandbox's first process joins it before it runs bwrap
(``Group.join``, from the child side of ``fork``), so every process of the sandbox is in it.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
import time
from pathlib import Path

from . import memwatch

CONTROLLERS = ("memory", "pids", "cpu")
PERIOD_US = 100_000


def _own_path(hierarchy: str) -> str | None:
    """This process's cgroup path in a v1 hierarchy (``memory``) or in v2 (``""``)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, names, path = line.split(":", 2)
        if (hierarchy == "" and names == "") or hierarchy in names.split(","):
            return path
    return None


def _mounts(fstype: str) -> dict[str, Path]:
    """{option or "": mount point} of the cgroup file systems of ``fstype`` (cgroup, cgroup2)."""
    out = {}
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if tail and tail[0] == fstype:
            opts = tail[2].split(",") if len(tail) > 2 else []
            for c in CONTROLLERS if fstype == "cgroup" else ("",):
                if fstype == "cgroup2" or c in opts:
                    out.setdefault(c, Path(fields[4]))
    return out


def _write(path: Path, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


class Group:
    """One sandbox's cgroup folder(s): one per v1 hierarchy, or one in v2."""

    def __init__(self, dirs: list[Path]):
        self.dirs = dirs

    def join(self) -> None:
        """Move the calling process into the group (in the child, before it execs bwrap)."""
        for d in self.dirs:
            _write(d / "cgroup.procs", "0")

    def remove(self) -> None:
        """Remove the folders once the sandbox's processes are gone (they may take a moment)."""
        for d in self.dirs:
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)


def _v2_settings(limits) -> dict[str, str]:
    return {"memory.max": str(limits.memory_bytes), "memory.swap.max": "0",
            "pids.max": str(limits.processes), "cpu.max": f"{int(limits.cpus * PERIOD_US)} {PERIOD_US}"}


def _v1_settings(limits) -> dict[str, dict[str, str]]:
    return {"memory": {"memory.limit_in_bytes": str(limits.memory_bytes),
                       "memory.memsw.limit_in_bytes": str(limits.memory_bytes)},
            "pids": {"pids.max": str(limits.processes)},
            "cpu": {"cpu.cfs_period_us": str(PERIOD_US), "cpu.cfs_quota_us": str(int(limits.cpus * PERIOD_US))}}


def _make(parent: Path, name: str, settings: dict[str, str], optional=("memory.memsw.limit_in_bytes",
                                                                         "memory.swap.max")) -> Path:
    d = parent / name
    try:
        d.rmdir()                   # left over from a sandbox of this uid that ended badly
    except OSError:
        pass
    d.mkdir(exist_ok=True)
    for key, value in settings.items():
        try:
            _write(d / key, value)
        except OSError:
            if key not in optional:      # no swap accounting on this kernel: nothing to limit
                raise
    return d


@functools.lru_cache(maxsize=None)
def _v1_parents() -> dict[str, Path] | None:
    """As root with the v1 hierarchies writable: {controller: our folder for sandboxes}."""
    if os.geteuid() != 0:
        return None
    mounts = _mounts("cgroup")
    if not all(c in mounts for c in CONTROLLERS):
        return None
    parents = {}
    try:
        for c in CONTROLLERS:
            p = mounts[c] / (_own_path(c) or "/").lstrip("/") / "autograder-sandboxes"
            p.mkdir(exist_ok=True)
            parents[c] = p
    except OSError:
        return None
    return parents


@functools.lru_cache(maxsize=None)
def _v2_parent() -> Path | None:
    """The delegated cgroup v2 folder of ``AUTOGRADER_CGROUP``, its controllers enabled for children."""
    given = os.environ.get("AUTOGRADER_CGROUP")
    if not given:
        return None
    d = Path(given)
    try:
        if not set(CONTROLLERS) <= set((d / "cgroup.controllers").read_text().split()):
            return None
        _write(d / "cgroup.subtree_control", " ".join(f"+{c}" for c in CONTROLLERS))
    except OSError:
        return None
    return d


def _systemd_prefix(limits) -> list[str]:
    user = [] if os.geteuid() == 0 else ["--user"]
    return ["systemd-run", *user, "--scope", "--quiet", "--collect",
            "-p", f"MemoryMax={limits.memory_bytes}", "-p", "MemorySwapMax=0",
            "-p", f"TasksMax={limits.processes}", "-p", f"CPUQuota={int(limits.cpus * 100)}%", "--"]


def _systemd_works() -> bool:
    """A probe scope with the limits: do they show up in its own cgroup?"""
    if not shutil.which("systemd-run"):
        return False

    class Probe:
        memory_bytes, processes, cpus = 96 << 20, 17, 0.5
    script = ('p=$(sed -n "s/^0:://p" /proc/self/cgroup); '
              'cat /sys/fs/cgroup$p/memory.max /sys/fs/cgroup$p/pids.max')
    try:
        r = subprocess.run(_systemd_prefix(Probe) + ["sh", "-c", script], capture_output=True, text=True,
                           timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0 and r.stdout.split() == [str(96 << 20), "17"]


@functools.lru_cache(maxsize=None)
def mode() -> str:
    """``cgroup2``, ``systemd``, ``cgroup1`` or ``rlimits`` (see the module docstring)."""
    if os.environ.get("AUTOGRADER_CGROUPS", "").lower() in ("off", "0", "no"):
        return "rlimits"
    if _v2_parent() is not None:
        return "cgroup2"
    if _systemd_works():
        return "systemd"
    if _v1_parents() is not None:
        return "cgroup1"
    return "rlimits"


def prefix(limits) -> list[str]:
    """What goes before bwrap's command line (the systemd scope), else nothing."""
    return _systemd_prefix(limits) if mode() == "systemd" else []


def group(uid: int, limits) -> Group | None:
    """A new cgroup for the sandbox of ``uid`` with ``limits`` (None: no folder of ours)."""
    name = f"sandbox-{uid}"
    if mode() == "cgroup2":
        return Group([_make(_v2_parent(), name, _v2_settings(limits))])
    if mode() == "cgroup1":
        parents = _v1_parents()
        return Group([_make(parents[c], name, s) for c, s in _v1_settings(limits).items()])
    return None


def describe(limits) -> str:
    """One line for the start of a run: the mode in force and what it bounds."""
    gib = limits.memory_bytes / 2 ** 30
    if mode() == "rlimits":
        return (f"sandbox limits: rlimits (no delegated cgroup here): per process {gib:g} GiB of "
                f"address space and {limits.cpu_seconds} CPU-s, at most {limits.processes} tasks; the sandbox "
                f"is killed when its resident memory exceeds {gib:g} GiB (checked every {memwatch.PERIOD:g} s); "
                f"worst case per sandbox {gib * limits.processes:g} GiB and {limits.processes} cores")
    return (f"sandbox limits: {mode()}: per sandbox {gib:g} GiB of memory (no swap), "
            f"{limits.processes} tasks, {limits.cpus:g} core(s); per process {limits.cpu_seconds} CPU-s")
