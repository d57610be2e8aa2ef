"""The pipeline on a real Dask cluster on loopback: a scheduler and two worker processes
started as the README says (``python -m autograder cluster-certs``, ``dask scheduler --protocol
tls ...``, ``PYTHONPATH=$PWD dask worker tls://... ``), with TLS: a rogue client without the
TA's certificate cannot connect, and a plain ``tcp://`` scheduler is refused unless ``--insecure``.

Every class graded through the cluster is compared with the same class graded on the
local process pool: statuses, scores, notes and flags (the CSV byte for byte), the
autograded notebooks and the HTML feedback. One test kills a worker while it grades (Dask
reschedules its task); one lets Dask give up on a task at once (``worker-lost``), then
resumes the run as a TA would, by running the same command again.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder import cluster_tls
from autograder import source
from autograder.errors import GradingError
from autograder.demo import OPTIONS, build
from autograder.worker import Options
from autograder.pipeline import grade_class
from common import FAST_TIMEOUTS, ROOT, needs_sandbox
from demo_class import graded_demo
import fixtures_01

pytestmark = [needs_sandbox,
              pytest.mark.xdist_group("grading-cluster")]

DEMO = ROOT / "autograder" / "demo" / "submissions"
A = "01_perceptron"
DEMO_OPTS = OPTIONS     # the options of `python -m autograder demo`
FAST = Options(**FAST_TIMEOUTS)


class LoopbackCluster:
    """``dask scheduler`` and ``dask worker --nworkers 2 --nthreads 1`` (with nannies) on 127.0.0.1."""

    def __init__(self, tmp: Path, checkout: Path = ROOT, nworkers: int = 2):
        self.procs: list[subprocess.Popen] = []
        self.client = None
        self.checkout, self.nworkers = checkout, nworkers
        try:
            self._launch(tmp)
        except BaseException:
            self.close()
            raise

    def _launch(self, tmp: Path):
        env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "3"}
        sched_file = tmp / "scheduler.json"
        self.tls = tmp / "certs"
        r = subprocess.run([sys.executable, "-m", "autograder", "cluster-certs", str(self.tls)], cwd=ROOT,
                           capture_output=True, text=True, check=True)
        assert "dask scheduler --protocol tls" in r.stdout
        tls = cluster_tls.dask_options(self.tls)
        self._start([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                     "--protocol", "tls", *tls,
                     "--no-dashboard", "--scheduler-file", str(sched_file)], env, tmp / "scheduler.log")
        deadline = time.monotonic() + 60
        while not sched_file.exists():
            assert time.monotonic() < deadline, (tmp / "scheduler.log").read_text()
            assert self.procs[0].poll() is None, (tmp / "scheduler.log").read_text()
            time.sleep(0.1)
        time.sleep(0.2)     # the file is written in one go, but be sure it is complete
        self.address = json.loads(sched_file.read_text())["address"]
        assert self.address.startswith("tls://127.0.0.1:"), self.address
        # what the README tells a TA: from the course checkout, PYTHONPATH=$PWD dask worker ...
        self._start([sys.executable, "-m", "dask", "worker", self.address, "--nworkers", str(self.nworkers),
                     "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard", *tls],
                    {**env, "PYTHONPATH": str(self.checkout)}, tmp / "workers.log", cwd=self.checkout)
        from distributed import Client
        self.client = Client(self.address, set_as_default=False, timeout=30,
                             security=cluster_tls.security(self.tls))
        # not waiting for the workers here: tasks queue on the scheduler until they join

    def _start(self, argv, env, log: Path, cwd=None):
        with open(log, "wb") as f:
            self.procs.append(subprocess.Popen(argv, env=env, cwd=cwd, stdout=f, stderr=subprocess.STDOUT,
                                               start_new_session=True))

    def worker_pids(self) -> dict[str, int]:
        self.client.wait_for_workers(2, timeout=90)
        return self.client.run(os.getpid)

    def allowed_failures(self, n: int) -> None:
        self.client.run_on_scheduler(lambda dask_scheduler: setattr(dask_scheduler, "allowed_failures", n))

    def close(self):
        try:
            if self.client is not None:
                self.client.close()
        finally:
            for p in reversed(self.procs):
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(timeout=30)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = LoopbackCluster(tmp_path_factory.mktemp("dask"))
    try:
        yield c
    finally:
        c.close()


class KillWhileGrading(threading.Thread):
    """Kills (SIGKILL) one Dask worker process as soon as it runs a sandbox, i.e. mid-task."""

    def __init__(self, cluster: LoopbackCluster):
        super().__init__(daemon=True)
        self.pids = cluster.worker_pids()
        self.stop, self.killed = threading.Event(), None

    def run(self):
        import psutil
        while not self.stop.is_set() and self.killed is None:
            for pid in self.pids.values():
                try:
                    if any(c.name() == "bwrap" for c in psutil.Process(pid).children(recursive=True)):
                        os.kill(pid, signal.SIGKILL)
                        self.killed = pid
                        break
                except psutil.Error:
                    continue
            time.sleep(0.05)


def outcome(out: Path) -> dict:
    """Everything graded into ``out``, without timings."""
    results = {}
    for p in sorted((out / "results").glob("*/*.json")):
        r = json.loads(p.read_text())
        r.pop("timing", None)
        results[p.relative_to(out).as_posix()] = r
    files = {}
    for folder in ("feedback", "autograded"):
        for p in sorted((out / folder).rglob("*")):
            if p.is_file():
                files[p.relative_to(out).as_posix()] = p.read_text()
    return {"csv": (out / "grade_sheet.csv").read_text(), "results": results, "files": files}


def gradebook_entries(out: Path) -> list[str]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        return sorted(s.student.id for s in gb.assignment_submissions(A))


def graded(out: Path) -> list[str]:
    return sorted(r["student"] for r in outcome(out)["results"].values() if r.get("cells"))


@pytest.fixture(scope="module")
def local_demo(tmp_path_factory):
    """The demo class graded locally: the same run the diagnosis and class-report tests read."""
    return outcome(graded_demo(tmp_path_factory))


def test_demo_class_on_the_cluster_is_graded_exactly_as_locally(cluster, local_demo, tmp_path):
    run = grade_class(DEMO, tmp_path, force=True, options=DEMO_OPTS, progress=False, quiet=True,
                      scheduler=cluster.address, tls=cluster.tls)
    assert run.graded == len(local_demo["results"]) > 0
    got = outcome(tmp_path)
    assert got["results"] == local_demo["results"]
    assert got["csv"] == local_demo["csv"]
    assert got["files"] == local_demo["files"] and got["files"]
    assert gradebook_entries(tmp_path) == graded(tmp_path)


def _subset(root: Path, students: list[str]) -> Path:
    root.mkdir()
    for student in students:
        (path,) = [p for p in DEMO.glob(f"*{A}*.ipynb") if p.stem.replace(A, "").strip("_") == student]
        shutil.copy(path, root)
    return root


def same_as(local: dict, out: Path, students: list[str]) -> dict:
    """The outcome in ``out`` (a copy of some demo submissions) and the local demo's for the
    same students, without the coordinator's file paths (the only thing that differs)."""
    def pick(outcome):
        return {k: {f: v for f, v in r.items() if f != "path"} for k, r in outcome["results"].items()
                if r["student"] in students}
    return pick(outcome(out)), pick(local)


def test_a_worker_killed_mid_task_loses_nothing_and_grades_nothing_twice(cluster, local_demo, tmp_path):
    students = ["alice", "dave", "eve", "grace"]
    src = _subset(tmp_path / "class", students)
    killer = KillWhileGrading(cluster)
    killer.start()
    try:
        run = grade_class(src, tmp_path / "out", options=DEMO_OPTS, progress=False, quiet=True,
                          scheduler=cluster.address, tls=cluster.tls)
    finally:
        killer.stop.set()
        killer.join()
    assert killer.killed, "no worker was killed while grading"
    assert run.graded == len(students)
    got, want = same_as(local_demo, tmp_path / "out", students)
    assert got == want and len(got) == len(students)        # same statuses, scores, notes for everyone
    entries = gradebook_entries(tmp_path / "out")
    assert entries == students                              # exactly one gradebook entry each
    cluster.client.wait_for_workers(2, timeout=60)          # the nanny restarted the killed worker


def test_after_allowed_failures_a_submission_is_worker_lost_and_a_rerun_grades_it(cluster, local_demo, tmp_path):
    students = ["alice", "dave"]
    src = _subset(tmp_path / "class", students)
    out = tmp_path / "out"
    cluster.allowed_failures(0)             # the first death of a task's worker is final
    killer = KillWhileGrading(cluster)
    killer.start()
    try:
        first = grade_class(src, out, options=DEMO_OPTS, progress=False, quiet=True, scheduler=cluster.address, tls=cluster.tls)
    finally:
        killer.stop.set()
        killer.join()
        cluster.allowed_failures(3)
    assert killer.killed
    statuses = {r.student: r.status for r in first.results}
    lost = sorted(s for s, st in statuses.items() if st == "worker-lost")
    assert lost and set(statuses.values()) <= {"worker-lost", "graded"}, statuses
    detail = next(r.detail for r in first.results if r.status == "worker-lost")
    assert "died 1 times" in detail and "run the same command again" in detail
    assert "worker-lost" in (out / "grade_sheet.csv").read_text()
    assert gradebook_entries(out) == sorted(set(statuses) - set(lost))
    # resume: the same command grades only what was lost, and everything ends as locally
    cluster.client.wait_for_workers(2, timeout=60)
    again = grade_class(src, out, options=DEMO_OPTS, progress=False, quiet=True, scheduler=cluster.address, tls=cluster.tls)
    assert again.graded == len(lost) and again.skipped == len(students) - len(lost)
    got, want = same_as(local_demo, out, students)
    assert got == want and len(got) == len(students)
    assert gradebook_entries(out) == students


def _bad_and_tampering_class(root: Path) -> None:
    """A lean selection of tests/test_grading_class.py's held-out cases."""
    root.mkdir()
    (root / f"jack_{A}.ipynb").write_text('{"cells": [')                                   # invalid JSON
    (root / f"ivy_{A}.ipynb").write_text("")                                               # empty file
    build.write(fixtures_01.broken_01("endless-loop"), root / f"loop_{A}.ipynb")
    build.write(fixtures_01.broken_01("os-exit-at-definition"), root / f"oscar_{A}.ipynb")  # kernel exits
    build.write(build.filled(A, {"net_input": fixtures_01.TAMPER_01["monkeypatch-checks"]}),  # tampering
                root / f"patch_{A}.ipynb")
    build.write(build.filled(A), root / "nick" / A / "Untitled-Copy1.ipynb")              # misnamed


def grader_only_checkout(dest: Path) -> Path:
    """A worker host's checkout without solutions/: the grader's code only (copied from this
    working tree, so the worker runs the code under test; nnkit is the installed one, which
    the sandbox binds)."""
    shutil.copytree(ROOT / "autograder", dest / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", dest)
    return dest


def test_a_worker_without_solutions_grades_as_locally(local_demo, tmp_path):
    """Issue 24, item 9: workers hold no solutions. Each task carries its assignment (the
    source notebook with the hidden tests and reference answers, read once by the coordinator)
    and its catalogue of mistakes, so a worker whose checkout has no solutions/ grades a class
    of two assignments exactly as the local pool does, known mistakes named."""
    checkout = grader_only_checkout(tmp_path / "worker-checkout")
    c = LoopbackCluster(tmp_path / "dask", checkout=checkout, nworkers=1)
    students = ["alice", "judy", "eve"]         # judy has two known mistakes (demo README)
    src = _subset(tmp_path / "class", students)
    build.write(build.filled("02_adaline"), src / "zoe_02_adaline.ipynb")
    try:
        c.client.wait_for_workers(1, timeout=90)

        def held():
            import autograder.source as source
            return str(source.SOLUTIONS), source.SOLUTIONS.exists()
        (where, exists), = c.client.run(held).values()
        assert where == str(checkout / "solutions") and not exists, (where, exists)
        run = grade_class(src, tmp_path / "out", options=DEMO_OPTS, progress=False, quiet=True,
                          scheduler=c.address, tls=c.tls)
    finally:
        c.close()
    got, want = same_as(local_demo, tmp_path / "out", students)
    assert got == want and len(got) == len(students)
    assert any(c.diagnosis for r in run.results for c in r.cells), "no known mistake named on the worker"
    zoe = next(r for r in run.results if r.student == "zoe")
    assert zoe.status == "graded" and zoe.score == sum(source.load("02_adaline").test_points.values()), \
        (zoe.status, zoe.detail, zoe.score)


def test_bad_inputs_and_tampering_end_the_same_on_the_cluster(cluster, tmp_path):
    _bad_and_tampering_class(tmp_path / "class")
    local, remote = tmp_path / "local", tmp_path / "cluster"
    grade_class(tmp_path / "class", local, workers=2, options=FAST, progress=False, quiet=True)
    grade_class(tmp_path / "class", remote, options=FAST, progress=False, quiet=True, scheduler=cluster.address, tls=cluster.tls)
    want, got = outcome(local), outcome(remote)
    statuses = {r["student"]: r["status"] for r in want["results"].values()}
    assert statuses == {"jack": "invalid-json", "ivy": "empty", "loop": "graded", "oscar": "graded",
                        "patch": "graded", "nick": "graded"}
    assert got == want


def test_without_a_scheduler_dask_is_not_even_imported(monkeypatch):
    code = ("import sys, autograder.__main__, autograder.pipeline, autograder.cluster;"
            "assert 'distributed' not in sys.modules and 'dask' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    from autograder.cluster import scheduler_address
    monkeypatch.delenv("AUTOGRADER_SCHEDULER", raising=False)
    assert scheduler_address(None) is None
    monkeypatch.setenv("AUTOGRADER_SCHEDULER", "tcp://10.0.0.1:8786")
    assert scheduler_address(None) == "tcp://10.0.0.1:8786"
    assert scheduler_address("tcp://127.0.0.1:9000") == "tcp://127.0.0.1:9000"


def test_a_rogue_client_without_the_certificate_cannot_connect(cluster):
    """Another account on a host that reaches the scheduler: no certificate, a certificate of
    its own, or plain TCP to the same port. None gets a client, so none can run code on the
    workers (read solutions/, patch the grading function)."""
    from distributed import Client
    from distributed.security import Security
    host_port = cluster.address.removeprefix("tls://")
    attempts = {"no certificate": dict(address=cluster.address),
                "its own certificate": dict(address=cluster.address, security=Security.temporary()),
                "plain tcp": dict(address=f"tcp://{host_port}")}
    for what, kw in attempts.items():
        # OSError/TimeoutError: refused; TypeError: no TLS context at all; after a refused attempt,
        # distributed's shared event-loop runner may also fail its own AssertionError: any error
        # means no client
        with pytest.raises(Exception):  # noqa: B017
            rogue = Client(kw.pop("address"), timeout=5, set_as_default=False, **kw)
            try:            # reached only if it connected: what the red team did
                rogue.run(lambda: __import__("autograder.execute").execute.__file__)
            finally:
                rogue.close()
            pytest.fail(f"a rogue client with {what} connected")
    assert cluster.client.run(os.getpid)          # the TA's client is still served


def test_a_plain_tcp_scheduler_is_refused_unless_the_ta_says_insecure(tmp_path, monkeypatch):
    monkeypatch.delenv("AUTOGRADER_TLS", raising=False)
    src = _subset(tmp_path / "class", ["alice"])
    with pytest.raises(GradingError, match="refusing the unencrypted scheduler"):
        grade_class(src, tmp_path / "out", options=DEMO_OPTS, progress=False, quiet=True,
                    scheduler="tcp://127.0.0.1:9")
    assert not (tmp_path / "out").exists()        # refused before anything was written
    with pytest.raises(GradingError, match="--tls DIR"):
        grade_class(src, tmp_path / "out", options=DEMO_OPTS, progress=False, quiet=True,
                    scheduler="tls://127.0.0.1:9", tls=None)
    r = subprocess.run([sys.executable, "-m", "autograder", "grade", str(src), "--out", str(tmp_path / "cli"),
                        "--scheduler", "tcp://127.0.0.1:9"], cwd=ROOT, capture_output=True, text=True,
                       env={**os.environ, "AUTOGRADER_TLS": ""})
    assert r.returncode != 0 and "refusing the unencrypted scheduler" in r.stderr and "--insecure" in r.stderr
