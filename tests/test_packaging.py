"""Packaging: environment.yml agrees with pyproject.toml, the wheel carries the data,
and `import nnkit` pulls in neither torch nor ipywidgets."""
import re
import subprocess
import sys
import zipfile
from common import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

CONDA_TO_PIP = {"pytorch": "torch"}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    # a student's environment: nnkit, the course and torch; not the test or cluster extras
    pip_names = {_name(r) for r in project["dependencies"] + extras["course"] + extras["torch"]}
    conda, in_dependencies = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if re.match(r"^\w", line):
            in_dependencies = line.startswith("dependencies:")
        m = re.match(r"^\s{2}- ([A-Za-z0-9_.-]+[^:]*)$", line)
        if in_dependencies and m:
            conda.append(m.group(1))
    conda_names = {CONDA_TO_PIP.get(_name(r), _name(r)) for r in conda} - {"python", "pip"}
    assert conda_names == pip_names, (f"only in environment.yml: {sorted(conda_names - pip_names)}; "
                                      f"only in pyproject.toml: {sorted(pip_names - conda_names)}")


def test_nnkit_declares_lower_bounds_only():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for req in project["dependencies"]:
        assert ">=" in req and "<" not in req.replace(">=", "") and "==" not in req, req


def test_import_nnkit_needs_neither_torch_nor_ipywidgets():
    code = ("import sys, nnkit, nnkit.data, nnkit.plots, nnkit.checks, nnkit.gradcheck;"
            "bad = [m for m in ('torch', 'ipywidgets') if m in sys.modules];"
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_wheel_contains_the_data_and_loads_it_without_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True)
    (wheel,) = (tmp_path / "dist").glob("nnkit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "nnkit/datasets/iris.csv" in names and "nnkit/datasets/digits.npz" in names
    assert not any(n.startswith(("solutions/", "notebooks/", "tests/", "autograder/")) for n in names)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import nnkit, pathlib; assert 'site' in pathlib.Path(nnkit.__file__).parts;"
            "X, y = nnkit.data.load_iris(); assert X.shape == (150, 4);"
            "X, y = nnkit.data.load_digits(); assert X.shape == (1797, 64)")
    subprocess.run([sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
                   check=True, cwd=tmp_path)
