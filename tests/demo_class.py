"""The bundled demo class (autograder/demo/submissions), graded once per test run.

Several test modules (the diagnosis and class-report tests, the browser test of the class
report) look at the same graded class. Under pytest-xdist each worker is a process of its
own, so the first to ask grades the class into the run's shared temporary folder, under a
file lock, and the others read the result.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from autograder.demo import OPTIONS
from autograder.pipeline import grade_class
from common import ROOT

SUBMISSIONS = ROOT / "autograder" / "demo" / "submissions"


def graded_demo(tmp_path_factory) -> Path:
    """The output folder of the demo class, graded by the pipeline with two workers."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent                       # the same folder for every xdist worker
    out = shared / "demo-class"
    with open(shared / "demo-class.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "done").exists():
            grade_class(SUBMISSIONS, out, workers=2, force=True, options=OPTIONS, progress=False, quiet=True)
            (out / "done").write_text("graded\n")
    return out
