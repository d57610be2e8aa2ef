"""What the test files share: the checkout's root, the sandbox marker, the short timeouts
that the class-grading suites use, and a reader for the grader's CSV files.

Fixtures built on these (a sandboxed interpreter, the options as a fixture) are in
``conftest.py``; this module holds what a test module needs at import time (decorators,
module-level constants), which a fixture cannot give.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autograder import sandbox

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

# the grading suites need bubblewrap; in CI its absence is an error (conftest.pytest_sessionstart)
needs_sandbox = pytest.mark.skipif(sandbox.unavailable() is not None, reason=str(sandbox.unavailable()))

# worker.Options timeouts small enough for a test class yet above what an honest answer needs
FAST_TIMEOUTS = dict(cell_timeout=8, notebook_timeout=90, call_timeout=5, test_timeout=40, exec_timeout=8)

# the judge's own sandbox limits in the tests that build a Judge or a Jail directly
JUDGE_LIMITS = sandbox.Limits(memory_bytes=4 << 30, processes=64, wall_seconds=600, cpu_seconds=1200)


def read_csv(path: Path) -> list[dict]:
    """The rows of one of the grader's CSV files (grade sheet, class report tables)."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
