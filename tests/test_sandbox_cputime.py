"""The 60 s CPU rule of fit_challenge is measured and enforced where the training runs
(issue 24, item 7): in the sandbox, over all of its processes and threads, through
``nnkit.cputime.timed_call``, which the challenge's test cell calls. The figures asserted
are CPU seconds, never wall-clock time.
"""
from __future__ import annotations

import pytest

import nnkit
from autograder import source as src
from autograder.jail import remote
from common import needs_sandbox

# the training burns CPU in a child process and in a thread while the interpreter that was
# called mostly waits: the caller's own process time sees none of it
WORKERS = '''
import subprocess, sys, threading

def _burn(n):
    x = 0
    for i in range(n):
        x += i * i
    return x

def train_elsewhere(n):
    t = threading.Thread(target=_burn, args=(n,))
    t.start()
    subprocess.run([sys.executable, "-c", f"x = 0\\nfor i in range({n}): x += i * i"], check=True)
    t.join()
    return "trained"
'''


@needs_sandbox
def test_the_sandbox_reports_the_cpu_time_of_all_its_processes(make_jail):
    jail = make_jail()
    jail.exec_cell(WORKERS, "<cell>", 30)
    result, seconds = nnkit.cputime.timed_call(jail.proxy("train_elsewhere"), 3_000_000)
    assert result == "trained"
    _, one = nnkit.cputime.timed_call(jail.proxy("_burn"), 3_000_000)
    # the thread and the child each did about what one call of _burn does
    assert seconds > 1.5 * one > 0, (seconds, one)


@needs_sandbox
def test_a_call_over_its_cpu_limit_is_stopped_in_the_sandbox(make_jail):
    jail = make_jail(wall_seconds=300, call_timeout=240)     # the CPU limit, not a timeout, ends it
    jail.exec_cell(WORKERS, "<cell>", 30)
    with pytest.raises(remote.JailDied):
        nnkit.cputime.timed_call(jail.proxy("_burn"), 10 ** 10, cpu_limit=1)


def test_a_local_call_counts_its_children_and_threads():
    ns = {}
    exec(WORKERS, ns)
    _, seconds = nnkit.cputime.timed_call(ns["train_elsewhere"], 2_000_000)
    _, one = nnkit.cputime.timed_call(ns["_burn"], 2_000_000)
    assert seconds > 1.5 * one > 0, (seconds, one)


def test_the_challenge_is_timed_where_it_runs():
    """Every test cell that times a call does it with nnkit.cputime.timed_call and a limit,
    not with the judge's own clock (time.process_time measures the trusted process)."""
    for assignment in src.available():
        for cell in src.load(assignment).tests:
            if "fit_challenge(" in cell.source:
                assert "time.process_time" not in cell.source, assignment
                assert "nnkit.cputime.timed_call(fit_challenge" in cell.source, assignment
