"""uids: every sandbox gets a uid of its own, leased for its whole life.

As root a sandbox switches to an unprivileged uid (``sandbox.py``), and RLIMIT_NPROC counts
the processes of that uid across the machine: two sandboxes with one uid share one process
limit (a student's 63 sleepers would leave a reference sandbox of the diagnosis unable to
fork) and could signal each other. So a uid is never derived from a process id: it is
leased from a pool ``FIRST .. FIRST + SIZE - 1`` by taking an exclusive ``flock`` on the
pool's lock file for that uid. The kernel drops the lock when its file descriptor closes,
so a lease ends with the sandbox (``release``) or with the process that held it (killed,
crashed): no uid is ever leaked, and no two live sandboxes on one machine (any number of
workers, pools or Dask workers) hold the same uid.

The lock files live in a folder only the grader's account may write (root: ``/run``;
otherwise a private folder under the temporary directory).
"""
from __future__ import annotations

import fcntl
import os
import random
import tempfile
import threading
from pathlib import Path

FIRST = 61000
SIZE = 4000


def lock_dir() -> Path:
    """The pool's folder of lock files, owned by this account and private to it."""
    base = Path("/run") if os.geteuid() == 0 and os.access("/run", os.W_OK) else Path(tempfile.gettempdir())
    d = base / f"autograder-uids-{os.geteuid()}"
    d.mkdir(mode=0o700, exist_ok=True)
    st = d.lstat()
    if st.st_uid != os.geteuid() or st.st_mode & 0o077 or not d.is_dir() or d.is_symlink():
        raise RuntimeError(f"{d} is not a private folder of this account: remove it")
    return d


class Lease:
    """One uid, held until ``release()`` (or until this process ends)."""

    def __init__(self, uid: int, fd: int):
        self.uid = uid
        self._fd: int | None = fd
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def lease() -> Lease:
    """A uid that no other live sandbox holds. Tries the pool from a random point, so that
    workers starting together rarely contend for the same lock file."""
    d = lock_dir()
    start = random.randrange(SIZE)
    for i in range(SIZE):
        uid = FIRST + (start + i) % SIZE
        fd = os.open(d / f"{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        return Lease(uid, fd)
    raise RuntimeError(f"all {SIZE} sandbox uids ({FIRST}-{FIRST + SIZE - 1}) are in use")
