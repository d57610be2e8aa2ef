"""Run untrusted code in a bubblewrap sandbox with resource limits.

What a sandboxed process gets (verified by tests/test_grading_sandbox.py):
- a private mount namespace whose root is an empty tmpfs, with read-only binds of the
  system (`/usr`), the Python installation and the `nnkit` package only: no course
  repository (so no solutions/, tests/, gradebook), no other student's files, no /root, /home;
- a size-capped tmpfs `/tmp` and a size-capped tmpfs working directory `/home/student`,
  the only writable places; both vanish when the sandbox exits;
- new PID, IPC, UTS and network namespaces (no network; its own loopback only);
- no capabilities and a non-root uid, in one of two modes (``mode()``):
  - started as an ordinary user (a TA's laptop, a shared server): bubblewrap's unprivileged
    user namespace (``--unshare-user``, as Flatpak uses it, nested namespaces disabled); the
    process count is limited inside it (``prlimit``), where it counts this sandbox only;
  - started as root (a container): a non-root uid of its own (setpriv), leased for the
    sandbox's life (``uids.py``: no two live sandboxes share one, so none shares another's
    RLIMIT_NPROC); the capabilities needed for the switch are dropped with it;
  either way `--new-session` and `--die-with-parent`;
- rlimits: CPU seconds, address space, file size, number of processes, open files;
- limits for the sandbox as a whole (memory, tasks, cores) in a cgroup of its own where the
  system allows (``cgroups.py``; ``cgroups.describe`` says which mode is in force);
- a wall-clock limit enforced from outside: the whole sandbox (its PID namespace) is killed.

Data goes in on stdin and out on stdout (pipes); nothing is shared through the file system.
"""
from __future__ import annotations

import functools
import os
import weakref
import resource
import shutil
import signal
import subprocess
import sys
import sysconfig
import threading
from dataclasses import dataclass
from pathlib import Path

from . import cgroups, memwatch, uids

WORKDIR = "/home/student"


@dataclass
class Limits:
    cpu_seconds: int = 600          # RLIMIT_CPU per process
    memory_bytes: int = 4 << 30     # RLIMIT_AS per process (torch needs ~2.5 GB of address space)
    file_bytes: int = 64 << 20      # RLIMIT_FSIZE: largest file a process may write
    processes: int = 64             # RLIMIT_NPROC for the sandbox's uid; the cgroup's pids.max
    cpus: float = 1.0               # cores of the whole sandbox (cgroup modes only)
    open_files: int = 256           # RLIMIT_NOFILE
    tmpfs_bytes: int = 256 << 20    # size of /tmp and of the working directory
    wall_seconds: float = 300.0     # whole sandbox, killed from outside
    output_bytes: int = 128 << 20   # most we read from the sandbox's stdout


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


USERNS_FIX = ("Ubuntu 23.10 and later: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0; "
              "Debian 10 and older: sudo sysctl -w kernel.unprivileged_userns_clone=1; "
              "other systems: sudo sysctl -w user.max_user_namespaces=15000; "
              "in a container: allow user namespaces (e.g. docker run --security-opt seccomp=unconfined), "
              "or grade as root")


def mode() -> str:
    """"root" (switch to an unprivileged uid) or "user" (an unprivileged user namespace)."""
    return "root" if os.geteuid() == 0 else "user"


def _probe_user_namespace() -> str | None:
    """Start one trivial sandbox the way ``popen`` does; bubblewrap's complaint, or None."""
    try:
        r = subprocess.run([bwrap_path(), "--unshare-user", "--unshare-pid", "--unshare-net",
                            "--disable-userns", "--ro-bind", "/", "/", "--", "/bin/true"],
                           capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e)
    return None if r.returncode == 0 else (r.stderr.strip() or f"exit status {r.returncode}")


@functools.lru_cache(maxsize=None)
def unavailable() -> str | None:
    """Why the sandbox cannot run here (one line, with the fix), or None. Checked once per process."""
    if bwrap_path() is None:
        return ("bubblewrap (bwrap) is not installed: Debian/Ubuntu: sudo apt-get install bubblewrap; "
                "Fedora: sudo dnf install bubblewrap")
    if mode() == "root":
        return None if shutil.which("setpriv") else "setpriv (util-linux) is not installed"
    if not shutil.which("prlimit"):
        return "prlimit (util-linux) is not installed"
    refused = _probe_user_namespace()
    if refused:
        return (f"the grading sandbox needs unprivileged user namespaces, which this system refuses "
                f"(bwrap: {refused.removeprefix('bwrap: ')}). Fix: {USERNS_FIX}")
    return None


def _python_roots() -> list[str]:
    roots = {sys.base_prefix, sys.prefix, sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    out = []
    for r in sorted(roots, key=len):
        r = os.path.realpath(r)
        if not any(r == o or r.startswith(o + "/") for o in out):
            out.append(r)
    return out


def _package_roots() -> list[str]:
    """Where nnkit (and its data) live, when they are outside the Python installation
    (an editable install points into the course checkout: bind only those folders)."""
    roots = []
    try:
        import nnkit
        pkg = Path(nnkit.__file__).resolve().parent
        roots.append(str(pkg))
        data = pkg.parent / "data"
        if data.is_dir():
            roots.append(str(data))
    except ImportError:
        pass
    py = _python_roots()
    return [r for r in roots if not any(r.startswith(p + "/") for p in py)]


def _ancestors(path: str) -> list[str]:
    parts = Path(path).parts[1:-1]
    return ["/" + "/".join(parts[:i + 1]) for i in range(len(parts))]


def mpl_font_cache() -> list[Path]:
    """matplotlib's font list from the host: copied into each sandbox so that matplotlib
    does not rebuild it (seconds) in every run."""
    try:
        import matplotlib
        from matplotlib import font_manager  # noqa: F401  (builds the host's cache once)
        return sorted(Path(matplotlib.get_cachedir()).glob("fontlist*.json"))
    except Exception:  # noqa: BLE001
        return []


def bwrap_command(argv: list[str], uid: int, limits: Limits, env: dict | None = None,
                  files: dict[int, str] | None = None) -> list[str]:
    cmd = [bwrap_path() or "bwrap",
           "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
           "--die-with-parent", "--new-session"]
    if mode() == "user":
        cmd += ["--unshare-user", "--disable-userns", "--uid", str(uid), "--gid", str(uid)]
    else:
        # capabilities only to switch to the unprivileged uid (setpriv below drops them all)
        cmd += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    cmd += ["--ro-bind", "/usr", "/usr"]
    for link in ("lib", "lib64", "bin", "sbin"):
        target = os.readlink(f"/{link}") if os.path.islink(f"/{link}") else None
        if target:
            cmd += ["--symlink", target, f"/{link}"]
        elif os.path.isdir(f"/{link}"):
            cmd += ["--ro-bind", f"/{link}", f"/{link}"]
    for f in ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf", "/etc/fonts"):
        cmd += ["--ro-bind-try", f, f]
    # /tmp first: the Python installation or the course checkout may live under /tmp
    # (a venv, a CI clone), and a later tmpfs would hide their binds.
    cmd += ["--size", str(limits.tmpfs_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
    made = set()
    for root in _python_roots() + _package_roots():
        for d in _ancestors(root + "/x"):
            if d not in made and not d.startswith("/usr"):
                cmd += ["--perms", "0755", "--dir", d]
                made.add(d)
        cmd += ["--ro-bind", root, root]
    cmd += ["--proc", "/proc", "--dev", "/dev",
            "--size", str(limits.tmpfs_bytes), "--perms", "1777", "--tmpfs", WORKDIR,
            "--perms", "1777", "--dir", "/tmp/mpl"]
    for fd, dest in (files or {}).items():
        cmd += ["--perms", "0644", "--file", str(fd), dest]
    # the root is bwrap's own tmpfs, which the sandbox's uid owns in a user namespace: read-only
    cmd += ["--remount-ro", "/", "--chdir", WORKDIR, "--clearenv"]
    base_env = {"HOME": WORKDIR, "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
                "MPLCONFIGDIR": "/tmp/mpl", "MPLBACKEND": "Agg", "JUPYTER_RUNTIME_DIR": "/tmp/rt",
                "JUPYTER_DATA_DIR": "/tmp/jd", "IPYTHONDIR": "/tmp/ipy", "PYTHONDONTWRITEBYTECODE": "1",
                "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                "MKL_NUM_THREADS": "1", "LANG": "C.UTF-8", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    base_env.update(env or {})
    for k, v in base_env.items():
        cmd += ["--setenv", k, v]
    if mode() == "user":
        # RLIMIT_NPROC counts per user namespace: set inside, it counts this sandbox's
        # processes only (set before bwrap, it would count every process of the TA's uid)
        return cmd + ["/usr/bin/prlimit", f"--nproc={limits.processes}", "--"] + argv
    cmd += ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--"]
    return cmd + argv


def _preexec(limits: Limits, group: cgroups.Group | None):
    def apply():
        os.setsid()
        if group is not None:
            group.join()
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        if os.geteuid() == 0:       # as an ordinary user, set inside the namespace (bwrap_command)
            resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
        resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def popen(argv: list[str], limits: Limits, uid: int | None = None, env: dict | None = None,
          stderr=subprocess.DEVNULL) -> subprocess.Popen:
    """Start ``argv`` in a sandbox with pipes on stdin and stdout. Without ``uid``, the
    sandbox leases one of its own (``uids.lease``) and gets a cgroup of its own
    (``cgroups.group``); both are given back by ``kill`` (or when the process object goes)."""
    why = unavailable()
    if why:
        raise RuntimeError(why)
    lease = uids.lease() if uid is None else None
    uid = lease.uid if lease is not None else uid
    fds, proc, group = {}, None, None
    try:
        group = cgroups.group(uid, limits)
        for f in mpl_font_cache():
            fds[os.open(f, os.O_RDONLY)] = f"/tmp/mpl/{f.name}"
        cmd = cgroups.prefix(limits) + bwrap_command(argv, uid, limits, env, fds)
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                preexec_fn=_preexec(limits, group), close_fds=True, pass_fds=tuple(fds))
        proc.release = weakref.finalize(proc, _release, lease, group, proc.pid)
        if group is None and not cgroups.prefix(limits):     # the fallback: its memory watched as a whole
            memwatch.watch(proc, limits.memory_bytes, kill)
        return proc
    finally:
        for fd in fds:
            os.close(fd)
        if proc is None:
            _release(lease, group)


def _release(lease: uids.Lease | None, group: cgroups.Group | None, pid: int | None = None) -> None:
    if pid is not None:
        memwatch.unwatch_pid(pid)
    if group is not None:
        group.remove()
    if lease is not None:
        lease.release()


def kill(proc: subprocess.Popen) -> None:
    """Kill the sandbox: bwrap's session, which takes its PID namespace with it; then give
    back its uid and cgroup."""
    if proc.returncode is None:     # not reaped yet, so its pid is still its own
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        return                      # still there: its uid and cgroup stay taken
    release = getattr(proc, "release", None)
    if release is not None:
        release()


@dataclass
class RunResult:
    returncode: int | None
    stdout: bytes
    timed_out: bool = False
    truncated: bool = False
    stderr: bytes = b""


def run(argv: list[str], stdin: bytes, limits: Limits, uid: int | None = None, env: dict | None = None,
        capture_stderr: bool = False) -> RunResult:
    """Run a command in the sandbox to completion (or to the wall-clock limit)."""
    proc = popen(argv, limits, uid, env, stderr=subprocess.PIPE if capture_stderr else subprocess.DEVNULL)
    out, err = bytearray(), bytearray()
    truncated = [False]

    def feed():
        try:
            proc.stdin.write(stdin)
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def drain(stream, buf, cap):
        while True:
            chunk = stream.read1(1 << 16) if hasattr(stream, "read1") else stream.read(1 << 16)
            if not chunk:
                break
            if len(buf) + len(chunk) > cap:
                truncated[0] = True
                buf.extend(chunk[:cap - len(buf)])
                kill(proc)
                break
            buf.extend(chunk)

    threads = [threading.Thread(target=feed, daemon=True),
               threading.Thread(target=drain, args=(proc.stdout, out, limits.output_bytes), daemon=True)]
    if capture_stderr:
        threads.append(threading.Thread(target=drain, args=(proc.stderr, err, 1 << 20), daemon=True))
    for t in threads:
        t.start()
    timed_out = False
    try:
        proc.wait(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        timed_out = True
        kill(proc)
    proc.release()                  # its uid and cgroup (its PID namespace ended with it)
    for t in threads[1:]:
        t.join(timeout=5)
    return RunResult(proc.returncode, bytes(out), timed_out, truncated[0], bytes(err))
