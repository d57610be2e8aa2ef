"""cluster: run the pipeline's workers on a Dask cluster instead of the local process pool.

``python -m autograder grade ... --scheduler tls://HOST:8786 --tls DIR`` (or
``AUTOGRADER_SCHEDULER``, ``AUTOGRADER_TLS``) makes ``pipeline.grade_class`` use
``ClusterExecutor``: a ``concurrent.futures.Executor`` over a ``distributed.Client``. The
cluster speaks TLS with the TA's certificates (``cluster_tls.py``); a plain ``tcp://``
scheduler is refused unless the TA passes ``--insecure``. Nothing else changes: the coordinator still collects,
writes the gradebook, the feedback and the CSV, and resumes from the result files; each
Dask worker runs ``worker.grade_submission`` from its own course checkout, so the
sandbox is applied per task on the worker exactly as locally. The task carries its
assignment (hidden tests included) and catalogue of mistakes, read once by the coordinator,
so a worker host holds no ``solutions/``; the trusted judge uses them, never the student's process.

- The notebook's bytes travel with its task, so workers need no shared file system: a
  worker writes them to a private temporary folder, under the same file name, grades
  that copy and puts the coordinator's path back into the result.
- A worker that dies mid-task (killed, out of memory) is Dask's to handle: the scheduler
  reschedules its tasks on other workers, and after ``distributed.scheduler.allowed-failures``
  deaths of the same task (default 3) fails it with ``KilledWorker``. ``failure``
  turns that into the status ``worker-lost``; running the same command again regrades it.
- Dask is an optional extra (``pip install .[cluster]``): nothing imports it until a
  scheduler is given.
"""
from __future__ import annotations

import os
import sys
import tempfile
import threading
from concurrent.futures import Executor, Future
from pathlib import Path

from . import results as res
from .errors import GradingError

ENV = "AUTOGRADER_SCHEDULER"

# One worker process grades one submission at a time even if it was started with several
# threads (each sandbox leases a uid of its own, but a worker is sized as one core).
_one_at_a_time = threading.Lock()


def scheduler_address(given: str | None = None) -> str | None:
    """The scheduler to grade on: the option if given, else the environment variable."""
    return given or os.environ.get(ENV) or None


def failure(exc: BaseException) -> tuple[str, str]:
    """(status, detail) of a submission whose task raised ``exc``: the worker function never
    raises, so its worker died (a local pool breaks; Dask gives up after allowed-failures)."""
    distributed = sys.modules.get("distributed")     # never imported for a local run
    if distributed is not None and isinstance(exc, distributed.KilledWorker):
        return res.WORKER_LOST, (f"the Dask worker grading it died {exc.allowed_failures + 1} times "
                             "(killed or out of memory); run the same command again to retry it")
    return res.GRADER_ERROR, f"worker failed: {exc!r}"[:500]


def _payload(path: str) -> tuple[bytes | None, int]:
    """(bytes, size) of a submitted file; too large to be graded: only its size travels."""
    from .normalize import MAX_NOTEBOOK_BYTES
    try:
        size = os.stat(path).st_size
        return (None if size > MAX_NOTEBOOK_BYTES else Path(path).read_bytes()), size
    except OSError:
        return None, -1     # the worker finds no file: status "unreadable"


def run_shipped(fn, task: dict, notebook: bytes | None, size: int) -> res.SubmissionResult:
    """On a worker: ``fn(task)`` on a private copy of the shipped notebook."""
    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="autograder-task-") as tmp:
        local = Path(tmp) / Path(task["path"]).name
        if size >= 0:
            with open(local, "wb") as f:
                if notebook is None:
                    f.truncate(size)        # sparse: normalize rejects it by its size alone
                else:
                    f.write(notebook)
        result = fn({**task, "path": str(local)})
    result.path = task["path"]
    return result


class ClusterExecutor(Executor):
    """Runs ``fn(task)`` (``task`` a dict with the notebook's ``path``) on Dask workers.

    ``submit`` returns a ``concurrent.futures.Future`` (from ``Client.get_executor``), so
    the pipeline's loop (``pipeline.run_all``) is the same for the local pool and the cluster.
    """

    def __init__(self, address: str, connect_timeout: float = 30, tls: str | os.PathLike | None = None,
                 insecure: bool = False):
        """``tls``: the certificate folder (default ``AUTOGRADER_TLS``); ``insecure``: accept a
        plain ``tcp://`` scheduler (see ``cluster_tls.check``)."""
        from . import cluster_tls
        tls_dir = cluster_tls.folder(tls)
        cluster_tls.check(address, tls_dir, insecure)
        try:
            from distributed import Client
        except ImportError:
            raise GradingError("grading on a cluster needs Dask: pip install '.[cluster]'") from None
        self.address = address
        security = cluster_tls.security(tls_dir) if address.startswith("tls://") else None
        try:
            self.client = Client(address, timeout=connect_timeout, set_as_default=False, security=security)
        except OSError as e:
            raise GradingError(f"cannot reach the Dask scheduler at {address}: {e}") from None
        # pure=False: a resubmitted notebook is graded again, never served from a cache
        self._executor = self.client.get_executor(pure=False)
        self._closed = False

    def workers(self) -> int:
        return len(self.client.nthreads())

    def submit(self, fn, task: dict, /) -> Future:  # type: ignore[override]
        return self._executor.submit(run_shipped, fn, task, *_payload(task["path"]))

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self._closed:
            return
        self._closed = True
        self._executor.shutdown(wait=wait and not cancel_futures)   # wait=False cancels
        self.client.close()
