"""nnkit's declared lower bounds really work: Python 3.10 with NumPy 1.26.0, Matplotlib 3.7.0
and ipywidgets 7.7.1 run nnkit's unit tests and every non-torch notebook's graded cells.

The virtual environment is built once per set of pins and cached under
~/.cache/nn-course/ (CI builds it fresh). Set NN_COURSE_SKIP_COMPAT=1 to skip locally;
in CI (CI set) a missing Python 3.10 fails the test instead of skipping it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from common import ROOT

PINS = ["numpy==1.26.0", "matplotlib==3.7.0", "ipywidgets==7.7.1", "nbformat>=5.9", "pytest>=8"]
pytestmark = pytest.mark.xdist_group("compat")


def _python310() -> str | None:
    # pyenv's shims exist for every installed version but run only the selected one,
    # so look in pyenv's versions folder first.
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
        candidates = sorted(Path(root, "versions").glob("3.10*/bin/python3.10"))
        if candidates:
            return str(candidates[-1])
    except (OSError, subprocess.CalledProcessError):
        pass
    found = shutil.which("python3.10")
    if found and subprocess.run([found, "-V"], capture_output=True).returncode == 0:
        return found
    return None


@pytest.fixture(scope="module")
def venv_python():
    if os.environ.get("NN_COURSE_SKIP_COMPAT") and not os.environ.get("CI"):
        pytest.skip("NN_COURSE_SKIP_COMPAT is set")
    base = _python310()
    if base is None:
        if os.environ.get("CI"):
            pytest.fail("Python 3.10 is not installed (pyenv install 3.10)")
        pytest.skip("Python 3.10 is not installed")
    key = hashlib.sha256(" ".join(PINS).encode()).hexdigest()[:12]
    venv = Path.home() / ".cache" / "nn-course" / f"compat-py310-{key}"
    python = venv / "bin" / "python"
    if not (venv / ".ready").exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([base, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PINS],
                       check=True)
        (venv / ".ready").touch()
    return str(python)


def _run(python, *args):
    # the outer run's PYTEST_ADDOPTS (a second -q hides the summary this reads) is not this run's
    env = {**{k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    proc = subprocess.run([python, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def test_versions_are_the_lower_bounds(venv_python):
    out = _run(venv_python, "-c", "import sys, numpy, matplotlib, ipywidgets; "
               "print(sys.version_info[:2], numpy.__version__, matplotlib.__version__, ipywidgets.__version__)")
    assert out.split() == ["(3,", "10)", "1.26.0", "3.7.0", "7.7.1"]


def test_nnkit_unit_tests_pass_on_the_lower_bounds(venv_python):
    out = _run(venv_python, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "tests/test_nnkit_data.py", "tests/test_nnkit_gradcheck.py", "tests/test_nnkit_checks.py",
               "tests/test_nnkit_plots_widgets.py")
    assert " passed" in out and "failed" not in out


def test_graded_cells_of_every_numpy_notebook_pass_on_the_lower_bounds(venv_python):
    """Runs setup, solution and test cells (hidden tests included) of each notebook that does not need torch."""
    out = _run(venv_python, str(ROOT / "tests" / "run_graded_cells.py"))
    assert "FAILED" not in out, out
    assert "passed" in out, out
