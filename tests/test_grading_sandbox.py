"""What the grading sandbox (bubblewrap + rlimits) blocks, checked directly."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from autograder import sandbox
from common import ROOT, needs_sandbox

pytestmark = [pytest.mark.xdist_group("grading-sandbox"),
              needs_sandbox]


def run(code: str, **limits) -> sandbox.RunResult:
    lim = sandbox.Limits(**{"wall_seconds": 20, **limits})
    return sandbox.run([sys.executable, "-I", "-c", code], b"", lim, capture_stderr=True)


def test_runs_python_with_numpy_and_nnkit_as_an_unprivileged_user():
    r = run("import os, numpy, nnkit; print(os.getuid(), os.getpid(), int(open('/proc/self/status').read()"
            ".split('CapEff:')[1].split()[0], 16))")
    uid, pid, caps = map(int, r.stdout.split())
    assert r.returncode == 0 and uid >= 61000 and pid < 10      # not root; own PID namespace
    assert caps == 0                                             # no capabilities, in either mode


def test_cannot_see_or_signal_the_graders_processes():
    import os
    r = run(f"import os\ntry:\n    os.kill({os.getpid()}, 0); print('visible')\nexcept ProcessLookupError:\n"
            f"    print('invisible')\nprint(sorted(int(p) for p in os.listdir('/proc') if p.isdigit()))")
    first, pids = r.stdout.decode().splitlines()
    assert first == "invisible" and max(eval(pids)) < 10    # only the sandbox's own few processes


def test_cannot_create_namespaces_when_started_as_an_ordinary_user():
    """bubblewrap's --disable-userns: no nested user namespace, so no capabilities in one.
    (Started as root, the sandbox's uid is an ordinary one, with the kernel's default rights.)"""
    if sandbox.mode() != "user":
        pytest.skip("runs in the ordinary-user suite (tests/test_first_run.py)")
    r = run("import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "print(libc.unshare(0x10000000), libc.unshare(0x00020000))")  # CLONE_NEWUSER, CLONE_NEWNS
    assert r.stdout.split() == [b"-1", b"-1"], r.stdout


def test_no_network():
    r = run("import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=3); print('open')\n"
            "except OSError as e:\n    print('blocked', e.errno)")
    assert r.stdout.startswith(b"blocked")


@pytest.mark.parametrize("path", ["solutions/01_perceptron/01_perceptron.ipynb", "tests/nbgrading.py",
                                  "autograder/gradebook.db", "autograder/nbgrader_config.py", "README.md"])
def test_course_files_are_invisible(path):
    r = run(f"import os; print(os.path.exists({str(ROOT / path)!r}))")
    assert r.stdout.strip() == b"False"


def test_cannot_write_outside_its_own_directory():
    code = ("import os\nfor p in ['/usr/x', {nn!r}, '/x', '/root/x']:\n    try:\n        open(p, 'w'); print('WROTE', p)\n"
            "    except OSError:\n        pass\nopen('/home/student/ok', 'w').write('fine'); print('done')")
    import nnkit
    r = run(code.format(nn=str(ROOT / "nnkit" / "x")))
    assert r.stdout.strip() == b"done", r.stdout


def test_memory_limit():
    r = run("try:\n    b = bytearray(3 << 30); print('allocated')\nexcept MemoryError:\n    print('MemoryError')",
            memory_bytes=1 << 30)
    assert r.stdout.strip() == b"MemoryError"


def test_file_size_limit():
    r = run("import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "try:\n    open('/home/student/big', 'wb').write(b'x' * (8 << 20)); print('wrote')\n"
            "except OSError as e:\n    print('blocked')", file_bytes=1 << 20)
    assert r.stdout.strip() == b"blocked"


def test_fork_bomb_is_bounded_and_cleaned_up():
    marker = f"fork-bomb-{time.time_ns()}"       # in every child's command line
    code = (f"# {marker}\nimport os, time\nn = 0\nfor _ in range(10000):\n    try:\n        if os.fork() == 0:\n"
            "            time.sleep(60); os._exit(0)\n        n += 1\n    except OSError:\n        break\nprint(n)")
    proc_limits = sandbox.Limits(wall_seconds=20, processes=32)
    r = sandbox.run([sys.executable, "-I", "-c", code], b"", proc_limits)
    assert 0 < int(r.stdout) < 32                # RLIMIT_NPROC stopped it
    time.sleep(0.5)
    ps = subprocess.run(["pgrep", "-f", marker], capture_output=True, text=True)
    assert ps.stdout.strip() == ""               # the PID namespace took the children with it


def test_the_process_limit_counts_this_sandbox_only():
    """As an ordinary user the limit is set inside the user namespace: the grader's own
    processes (here 40 sleeping children of the test) do not use up the sandbox's share."""
    sleepers = [subprocess.Popen(["sleep", "30"]) for _ in range(40)]
    try:
        code = ("import os, time\nn = 0\nfor _ in range(20):\n    try:\n        if os.fork() == 0:\n"
                "            time.sleep(5); os._exit(0)\n        n += 1\n    except OSError:\n        break\nprint(n)")
        r = sandbox.run([sys.executable, "-I", "-c", code], b"", sandbox.Limits(wall_seconds=20, processes=32))
        assert int(r.stdout) == 20
    finally:
        for p in sleepers:
            p.kill()


def test_wall_clock_limit_kills_the_sandbox():
    t = time.monotonic()
    r = run("import time; time.sleep(600)", wall_seconds=2)
    assert r.timed_out and time.monotonic() - t < 15


# --- limits of the sandbox as a whole (cgroups.py) and a uid of its own (uids.py) -------------

_CHILDREN_EACH_HOLD = """
import os, signal, time
n, each = {n}, {each}
kids = []
for _ in range(n):
    pid = os.fork()
    if pid == 0:
        try:
            block = b"x" * each          # written, so resident
            time.sleep(3)
            os._exit(0)
        except MemoryError:
            os._exit(3)
    kids.append(pid)
codes = []
for pid in kids:
    _, status = os.waitpid(pid, 0)
    codes.append("ok" if status == 0 else ("killed" if os.WIFSIGNALED(status) else "error"))
print(" ".join(codes))
"""


def test_memory_is_limited_for_the_sandbox_as_a_whole():
    """Four processes of 200 MiB each, each under the per-process limit of 512 MiB: together
    over the sandbox's 512 MiB. With a cgroup, not all of them get their memory; in the
    fallback mode the stated worst case is the per-process limit times the process limit."""
    from autograder import cgroups
    limits = sandbox.Limits(wall_seconds=60, memory_bytes=512 << 20, processes=16)
    line = cgroups.describe(limits)
    assert line.startswith(f"sandbox limits: {cgroups.mode()}")
    if cgroups.mode() == "rlimits":
        assert f"worst case per sandbox {0.5 * 16:g} GiB" in line and "resident memory exceeds 0.5 GiB" in line
    r = sandbox.run([sys.executable, "-I", "-c", _CHILDREN_EACH_HOLD.format(n=4, each=200 << 20)], b"", limits)
    codes = r.stdout.decode().split()
    assert not r.timed_out
    # the whole sandbox ran out, not one process: a child was killed, or the sandbox was
    assert codes.count("ok") < 4, (codes, r.returncode, line)


def test_without_a_cgroup_the_fallback_bounds_the_sandbox_as_a_whole():
    """The fallback mode (forced here; the mode of an ordinary user on a system without a
    delegated cgroup): the same four processes are stopped by the memory watch."""
    code = ("import sys\nfrom autograder import cgroups, sandbox\n"
            "limits = sandbox.Limits(wall_seconds=60, memory_bytes=512 << 20, processes=16)\n"
            "assert cgroups.mode() == 'rlimits'\n"
            f"r = sandbox.run([sys.executable, '-I', '-c', {_CHILDREN_EACH_HOLD.format(n=4, each=200 << 20)!r}],"
            " b'', limits)\nprint(r.stdout.decode().split().count('ok'), r.returncode, r.timed_out)")
    env = {**os.environ, "AUTOGRADER_CGROUPS": "off", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    ok, _, timed_out = r.stdout.split()
    assert int(ok) < 4 and timed_out == "False", r.stdout


def test_live_sandboxes_never_share_a_uid():
    """Each sandbox leases a uid of its own for its life: two started by one process (a
    student's judge and the diagnosis's reference judge) differ, and a uid comes back to the
    pool only when its sandbox has ended."""
    limits = sandbox.Limits(wall_seconds=30)
    code = "import os, sys; print(os.getuid(), flush=True); sys.stdin.read()"
    procs = [sandbox.popen([sys.executable, "-I", "-c", code], limits) for _ in range(3)]
    try:
        seen = [int(p.stdout.readline()) for p in procs]
    finally:
        for p in procs:
            sandbox.kill(p)
    assert len(set(seen)) == 3 and all(u >= 61000 for u in seen), seen
    from autograder import uids
    leases = [uids.lease() for _ in range(3)]
    try:
        assert len({le.uid for le in leases}) == 3
    finally:
        for le in leases:
            le.release()


def test_a_run_starts_by_saying_which_sandbox_limits_are_in_force(tmp_path):
    from autograder import cgroups
    (tmp_path / "class").mkdir()
    r = subprocess.run([sys.executable, "-m", "autograder", "grade", str(tmp_path / "class"), "--out",
                        str(tmp_path / "out"), "--no-progress"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120, env={**os.environ, "AUTOGRADER_SCHEDULER": ""})
    first = r.stderr.splitlines()[0]
    assert first.startswith(f"sandbox limits: {cgroups.mode()}"), r.stderr
    assert "GiB" in first and "tasks" in first
