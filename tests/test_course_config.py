"""nbgrader's own commands work from the documented directories with the course's config."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from common import ROOT



def _config(cwd):
    code = ("from nbgrader.apps import NbGraderAPI; from nbgrader.coursedir import CourseDirectory;"
            "from traitlets.config.loader import PyFileConfigLoader;"
            "c = PyFileConfigLoader('nbgrader_config.py', path='.').load_config();"
            "d = CourseDirectory(config=c);"
            "print(d.course_id); print(os.path.realpath(d.format_path(d.source_directory, '.', 'x')));"
            "print(os.path.realpath(d.format_path(d.release_directory, '.', 'x'))); print(c.Exchange.root)")
    out = subprocess.run([sys.executable, "-c", "import os;" + code], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout.split("\n")
    return out


@pytest.mark.parametrize("where", [ROOT, ROOT / "autograder"])
def test_config_maps_source_and_release_to_solutions_and_notebooks(where):
    course_id, source, release, exchange = _config(where)[:4]
    assert course_id == "neuron-by-neuron"
    assert source == str(ROOT / "solutions" / "x")
    assert release == str(ROOT / "notebooks" / "x")
    assert Path(exchange).is_dir() and os.access(exchange, os.W_OK)


def test_nbgrader_generates_from_the_repository_root(tmp_path):
    """`nbgrader generate_assignment` run from the root reads the root config (which loads autograder's)."""
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", "01_perceptron", "--force",
                    f"--CourseDirectory.release_directory={tmp_path / 'release'}",
                    f"--CourseDirectory.db_url=sqlite:///{tmp_path / 'gb.db'}"],
                   cwd=ROOT, check=True, capture_output=True)
    assert (tmp_path / "release" / "01_perceptron" / "01_perceptron.ipynb").is_file()


def test_grading_work_goes_to_the_one_git_ignored_folder():
    """nbgrader's course root (the formgrader's gradebook, exchange, feedback) is the folder
    the grader writes to by default, outside the source package, and git ignores it."""
    from autograder import outdir
    lines = _config(ROOT)
    code = ("from traitlets.config.loader import PyFileConfigLoader;"
            "c = PyFileConfigLoader('nbgrader_config.py', path='.').load_config();"
            "print(c.CourseDirectory.root); print(c.CourseDirectory.db_url)")
    root, db = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True,
                              text=True).stdout.split("\n")[:2]
    assert Path(root) == outdir.DEFAULT_ROOT and outdir.DEFAULT_ROOT.parent == ROOT
    assert db == f"sqlite:///{outdir.DEFAULT_ROOT / 'gradebook.db'}"
    assert Path(lines[3]) == outdir.DEFAULT_ROOT / "exchange"
    for path in ("gradebook.db", "feedback/ann/01_perceptron/01_perceptron.html", "grade_sheet.csv"):
        ignored = subprocess.run(["git", "check-ignore", "-q", str(outdir.DEFAULT_ROOT / path)], cwd=ROOT)
        assert ignored.returncode == 0, f"{path} in {outdir.DEFAULT_ROOT} is not git-ignored"
