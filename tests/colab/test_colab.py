"""The course works on Google Colab, checked offline in a Colab-like environment.

Colab differs from a local install: older ipywidgets (7.7), its own Python, NumPy,
Matplotlib and torch, no nbgrader, and ``google.colab`` imported in every kernel. This
suite builds a virtual environment from Colab's published versions
(``colab-constraints.txt``, written by ``tools/colab_constraints.py``; its header names the
runtime and the backend-info commit the pins come from) and, for every notebook it finds:

- the student notebook's setup cell installs nnkit into that environment, through the
  setup cell's ``NNKIT_SOURCE`` override pointed at a copy of this checkout's source tree
  instead of the git URL (pip runs with ``--no-index`` and builds with Colab's setuptools:
  no network, and nothing outside Colab's set can sneak in);
- the solution notebook (setup cell installing a wheel of the same tree) runs without error
  there, in a kernel that has the stand-in
  ``google.colab`` (``google_colab_standin/``) imported, so the notebook takes its Colab
  path; then every slider is set to its ends, every dropdown option picked and every
  button clicked, and no widget callback may raise;
- nnkit's declared requirements resolve under Colab's pins (a pip dry run);
- every notebook's "Open in Colab" badge points at its own path in the repository (a
  solution's at the student notebook generated from it).

Notebooks that import torch run in a second environment on Python 3.11 with torch
2.13.0+cpu from this machine's wheel (Colab's torch build is not installable offline);
every other pin is the same. Both environments are cached under ~/.cache/nn-course/,
keyed by the pins (CI builds them fresh). Locally the suite skips when the Python that
Colab runs is missing; in CI (``CI`` set) it fails instead.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from common import ROOT

HERE = Path(__file__).resolve().parent
CONSTRAINTS = HERE / "colab-constraints.txt"
STANDIN = HERE / "google_colab_standin"
ARTIFACTS = ROOT / "test-artifacts" / "colab"
CACHE = Path(os.environ.get("NN_COURSE_CACHE", Path.home() / ".cache" / "nn-course"))
# The deviation documented in the constraints header: notebooks that import torch run on Python 3.11
# with the CPU wheel on this machine's disk, which needs a newer setuptools than Colab's.
TORCH_PYTHON, TORCH_PIN, TORCH_UNPINNED = "3.11", "torch==2.13.0", {"torch", "setuptools"}
SOLUTIONS = sorted(ROOT.glob("solutions/*/*.ipynb"))
STUDENT = sorted(ROOT.glob("notebooks/*/*.ipynb"))
# Colab lacks these (the test extras and nbgrader's course extra are local-only).
LOCAL_ONLY_EXTRAS = {"course", "test", "cluster", "hub"}   # installed by TAs and CI, never on Colab

pytestmark = pytest.mark.xdist_group("colab")


def _ids(paths):
    return [p.parent.name for p in paths]


# ---------------------------------------------------------------- the pins

def pins() -> dict[str, str]:
    """{normalized name: version} from colab-constraints.txt."""
    out = {}
    for line in CONSTRAINTS.read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            out[re.sub(r"[-_.]+", "-", name).lower()] = version
    return out


def header(key: str) -> str:
    m = re.search(rf"^# {key}: (.+)$", CONSTRAINTS.read_text(), re.M)
    return m.group(1).strip() if m else ""


def uses_torch(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    return any(re.search(r"^\s*(import torch|from torch[ .])", c.source, re.M)
               for c in nb.cells if c.cell_type == "code")


# ---------------------------------------------------------------- the environments

def _find_python(version: str) -> str | None:
    """An interpreter of this major.minor: pyenv's versions folder first, then PATH."""
    try:
        root = subprocess.run(["pyenv", "root"], capture_output=True, text=True, check=True).stdout.strip()
        found = sorted(Path(root, "versions").glob(f"{version}*/bin/python{version}"))
        if found:
            return str(found[-1])
    except (OSError, subprocess.CalledProcessError):
        pass
    exe = shutil.which(f"python{version}")
    if exe and subprocess.run([exe, "-V"], capture_output=True).returncode == 0:
        return exe
    return None


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"the Colab-like environment cannot be built: {reason}")
    pytest.skip(f"the Colab-like environment cannot be built: {reason}")


class ColabEnv:
    """A cached venv with Colab's pins, the stand-in google.colab, and a kernel that imports it."""

    def __init__(self, python_version: str, torch: bool):
        self.torch = torch
        base = _find_python(python_version)
        if base is None:
            _unavailable(f"Python {python_version} is not installed (pyenv install {python_version})")
        lines = [l for l in CONSTRAINTS.read_text().splitlines() if l and not l.startswith("#")]
        if torch:  # Colab's torch build is not on disk: take the local CPU wheel (see the header)
            lines = [l for l in lines if l.split("==")[0].lower() not in TORCH_UNPINNED]
        requirements = [l.split("==")[0] for l in lines if not l.lower().startswith("torch==")]
        requirements += [TORCH_PIN] if torch else []
        key = hashlib.sha256("\n".join([base, *lines, *requirements]).encode()).hexdigest()[:12]
        self.venv = CACHE / f"colab-py{python_version.replace('.', '')}{'-torch' if torch else ''}-{key}"
        self.python = str(self.venv / "bin" / "python")
        CACHE.mkdir(parents=True, exist_ok=True)
        with open(CACHE / f"{self.venv.name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another test run may be building the same venv
            if not (self.venv / ".ready").exists():
                self._build(base, lines, requirements)
        self.site = Path(subprocess.run([self.python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        capture_output=True, text=True, check=True).stdout.strip())
        # the stand-in is copied on every run, so edits to it take effect without a rebuild
        shutil.copytree(STANDIN / "google", self.site / "google", dirs_exist_ok=True)

    def _build(self, base, lines, requirements):
        shutil.rmtree(self.venv, ignore_errors=True)
        subprocess.run([base, "-m", "venv", str(self.venv)], check=True)
        constraints = self.venv / "constraints.txt"
        constraints.write_text("\n".join(lines) + "\n")
        proc = subprocess.run([self.python, "-m", "pip", "install", "-q", "--disable-pip-version-check",
                               "-c", str(constraints), *requirements], capture_output=True, text=True)
        if proc.returncode != 0:
            _unavailable("pip could not install Colab's pins:\n" + proc.stderr[-3000:])
        (self.venv / ".ready").touch()

    def env(self, nnkit_source: str, workdir: Path) -> dict[str, str]:
        """The kernel's environment: Colab's pip is offline and installs nnkit from nnkit_source."""
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV", "MPL", "JPY_", "IPYTHON"))}
        (workdir / ".ipython").mkdir(exist_ok=True)
        env.update(PATH=f"{self.venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(self.venv),
                   # offline: no index, and a source tree is built with Colab's setuptools
                   # (PIP_NO_BUILD_ISOLATION=0 turns build isolation off, pip's env-var spelling)
                   NNKIT_SOURCE=nnkit_source, PIP_NO_INDEX="1", PIP_CONFIG_FILE=os.devnull, PIP_NO_BUILD_ISOLATION="0",
                   PIP_DISABLE_PIP_VERSION_CHECK="1", PYDEVD_DISABLE_FILE_VALIDATION="1",
                   IPYTHONDIR=str(workdir / ".ipython"), MPLCONFIGDIR=str(self.venv / "mplconfig"))
        return env

    def kernel_dir(self, where: Path) -> Path:
        spec = where / "kernels" / "colab-like"
        spec.mkdir(parents=True, exist_ok=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [self.python, "-m", "google.colab._kernel", "-f", "{connection_file}"],
            "display_name": "Colab-like", "language": "python"}))
        return where / "kernels"

    def pip(self, *args, env=None) -> subprocess.CompletedProcess:
        return subprocess.run([self.python, "-m", "pip", *args], capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def nnkit_source(tmp_path_factory) -> Path:
    """nnkit's source tree from this checkout (copied, because pip builds in the tree)."""
    src = tmp_path_factory.mktemp("nnkit-source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("nnkit", "data"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return src


@pytest.fixture(scope="session")
def nnkit_wheel(nnkit_source, tmp_path_factory) -> Path:
    """A wheel built from that tree: quicker to install before each solution notebook."""
    dist = tmp_path_factory.mktemp("nnkit-wheel")
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(nnkit_source)], check=True, env=env, capture_output=True)
    return next(dist.glob("nnkit-*.whl"))


_envs: dict[bool, ColabEnv] = {}


@pytest.fixture(scope="session")
def colab_env():
    """colab_env(torch=False) -> the (cached) ColabEnv; the torch one is built only when a notebook needs it."""
    def get(torch: bool = False) -> ColabEnv:
        if torch not in _envs:
            version = TORCH_PYTHON if torch else ".".join(header("python").split(".")[:2])
            _envs[torch] = ColabEnv(version, torch)
        return _envs[torch]
    return get


# ---------------------------------------------------------------- running a notebook on "Colab"

PRELUDE = '''\
# tests/colab: record every traceback shown, including those of widget callbacks,
# which ipywidgets catches and shows instead of raising.
def __colab_test_record():
    import sys, traceback
    ip = get_ipython()
    shown, original = [], ip.showtraceback
    def showtraceback(exc_tuple=None, *args, **kwargs):
        etype, value, tb = exc_tuple if exc_tuple is not None else sys.exc_info()
        shown.append("".join(traceback.format_exception(etype, value, tb)))
        return original(exc_tuple, *args, **kwargs)
    ip.showtraceback = showtraceback
    return shown
__colab_test_errors = __colab_test_record()
'''

DRIVER = '''\
# tests/colab: use every widget as a student would; no callback may raise.
def __colab_test_drive():
    import json, ipywidgets as W
    try:
        from ipywidgets.widgets.widget import _instances as live  # ipywidgets 8
    except ImportError:
        live = W.Widget.widgets  # ipywidgets 7 (Colab)
    driven = []
    for w in list(live.values()):
        if isinstance(w, W.FloatLogSlider):
            start = w.value
            for exponent in (w.max, w.min):
                w.value = w.base ** exponent
            w.value = start
        elif isinstance(w, (W.IntSlider, W.FloatSlider)):
            start = w.value
            w.value, w.value, w.value = w.max, w.min, start
        elif isinstance(w, W.Dropdown):
            for i in range(len(w.options)):
                w.index = i
        elif isinstance(w, W.Button):
            w.click()
        else:
            continue
        driven.append(f"{type(w).__name__}({w.description!r})")
    return driven
__colab_test_driven = __colab_test_drive()
print("COLAB-TEST", __import__("json").dumps({"driven": __colab_test_driven, "errors": len(__colab_test_errors)}))
assert not __colab_test_errors, "a cell or widget callback raised on Colab:\\n" + "\\n".join(__colab_test_errors)
'''


def run_like_colab(env: ColabEnv, nb, workdir: Path, nnkit_source: str, timeout: int = 600):
    """Execute nb (a NotebookNode, run as is) in a fresh Colab-like kernel with workdir as cwd."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    km = KernelManager(kernel_name="colab-like",
                       kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(env.kernel_dir(workdir))]))
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="colab-like",
                            resources={"metadata": {"path": str(workdir)}})
    client.execute(env=env.env(nnkit_source, workdir))
    return nb


def instrumented(path: Path):
    """The notebook with the traceback recorder first and the widget driver last."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(PRELUDE))
    nb.cells.append(nbformat.v4.new_code_cell(DRIVER))
    return nb


def check_solution_on_colab(env: ColabEnv, path: Path, workdir: Path, wheel: Path) -> dict:
    """Run a solution notebook like Colab would, from an environment without nnkit; return the driver's summary."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, workdir / path.name)
    env.pip("uninstall", "-y", "-q", "nnkit")
    nb = run_like_colab(env, instrumented(path), workdir, str(wheel))
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    return json.loads(text.split("COLAB-TEST", 1)[1])


def _setup_index(nb) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")


# ---------------------------------------------------------------- the tests

def test_pins_name_their_source():
    assert re.fullmatch(r"https://github\.com/googlecolab/backend-info/blob/[0-9a-f]{40}/pip-freeze\.txt",
                        header("source"))
    assert re.fullmatch(r"[0-9a-f]{40} \(\d{4}-\d{2}-\d{2}\)", header("commit"))
    assert re.fullmatch(r"3\.\d+(\.\d+)?", header("python"))
    for name in ("ipywidgets", "ipython", "ipykernel", "jupyter-client", "numpy", "matplotlib", "torch"):
        assert name in pins(), f"{name} is not pinned; refresh with tools/colab_constraints.py"


def test_environment_has_colabs_versions(colab_env):
    env = colab_env()
    code = ("import sys, importlib.metadata as m, json; print(json.dumps({'python': '%d.%d' % sys.version_info[:2], "
            "**{n: m.version(n) for n in ['ipywidgets', 'ipython', 'ipykernel', 'jupyter_client', 'numpy', "
            "'matplotlib', 'traitlets']}}))")
    got = json.loads(subprocess.run([env.python, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert got.pop("python") == ".".join(header("python").split(".")[:2])
    want = pins()
    assert got == {n: want[n.replace("_", "-")] for n in got}


def test_nnkit_requirements_resolve_under_colab_pins(colab_env, nnkit_wheel):
    env = colab_env()
    env.pip("uninstall", "-y", "-q", "nnkit")
    offline = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1"}
    proc = env.pip("install", "--dry-run", "--no-index", "-c", str(CONSTRAINTS), str(nnkit_wheel), env=offline)
    assert proc.returncode == 0, f"nnkit's requirements do not resolve under Colab's pins:\n{proc.stdout}{proc.stderr}"
    would = re.search(r"Would install (.*)", proc.stdout)
    name, version = nnkit_wheel.name.split("-")[:2]
    assert would and would.group(1).split() == [f"{name}-{version}"], f"more than nnkit would be installed:\n{proc.stdout}"

    # the optional extras a Colab user could ask for (nnkit[torch]) also fit Colab's versions
    from packaging.requirements import Requirement
    with zipfile.ZipFile(nnkit_wheel) as wheel:
        meta = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [l.split(":", 1)[1].strip() for l in wheel.read(meta).decode().splitlines()
                    if l.startswith("Requires-Dist:")]
    for text in requires:
        req = Requirement(text)
        extras = {e for e in LOCAL_ONLY_EXTRAS if req.marker and req.marker.evaluate({"extra": e})}
        if extras:
            continue
        name = re.sub(r"[-_.]+", "-", req.name).lower()
        assert name in pins(), f"nnkit requires {req}, which Colab does not ship"
        assert req.specifier.contains(pins()[name], prereleases=True), \
            f"nnkit requires {req}, but Colab has {req.name} {pins()[name]}"


@pytest.mark.parametrize("notebook", SOLUTIONS + STUDENT, ids=[f"{p.parts[-3]}/{p.parent.name}" for p in SOLUTIONS + STUDENT])
def test_colab_badge_points_at_the_notebook(notebook):
    """A student notebook's badge opens itself; a solution's badge opens the student notebook made from it."""
    repo = re.search(r'^Repository\s*=\s*"https://github\.com/([^"]+?)(\.git)?"', (ROOT / "pyproject.toml").read_text(),
                     re.M).group(1)
    nb = nbformat.read(notebook, as_version=4)
    links = re.findall(r"https://colab\.research\.google\.com/github/[^)\s\"']+", nb.cells[0].source)
    path = f"notebooks/{notebook.parent.name}/{notebook.name}"
    assert links == [f"https://colab.research.google.com/github/{repo}/blob/main/{path}"], \
        f"the first cell's Open in Colab badge must point at {path} in {repo}, got {links}"
    assert (ROOT / path).is_file(), f"the badge points at {path}, which does not exist"


@pytest.mark.parametrize("notebook", STUDENT, ids=_ids(STUDENT))
def test_student_setup_cell_installs_nnkit_on_colab(notebook, colab_env, nnkit_source, tmp_path):
    """The setup cell pip-installs nnkit from source (here this checkout's tree instead of the git URL)."""
    env = colab_env(uses_torch(notebook))
    nb = nbformat.read(notebook, as_version=4)
    nb.cells = nb.cells[:_setup_index(nb) + 1] + [nbformat.v4.new_code_cell(
        "import sys, importlib.metadata, google.colab.output as _out\n"
        "assert IN_COLAB and 'google.colab' in sys.modules\n"
        "assert _out.calls == ['enable_custom_widget_manager'], _out.calls\n"
        "print(nnkit.__file__, importlib.metadata.version('nnkit'))")]
    shutil.copy(notebook, tmp_path / notebook.name)
    env.pip("uninstall", "-y", "-q", "nnkit")
    run_like_colab(env, nb, tmp_path, str(nnkit_source), timeout=300)
    printed = nb.cells[-1].outputs[0]["text"]
    assert printed.startswith(str(env.site / "nnkit")), f"nnkit was not installed into the Colab venv: {printed}"


@pytest.mark.parametrize("notebook", SOLUTIONS, ids=_ids(SOLUTIONS))
def test_solution_runs_on_colab_with_its_widgets(notebook, colab_env, nnkit_wheel, tmp_path):
    env = colab_env(uses_torch(notebook))
    summary = check_solution_on_colab(env, notebook, tmp_path, nnkit_wheel)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{notebook.parent.name}.json").write_text(json.dumps(summary, indent=1))
    nb = nbformat.read(notebook, as_version=4)
    if any("widget" in c.metadata.get("tags", []) for c in nb.cells):
        assert summary["driven"], "the notebook has a widget cell, but no widget was found to drive"


def test_an_import_colab_lacks_fails_the_suite(colab_env, nnkit_wheel, tmp_path):
    """The checker is not blind: a solution that imports nbgrader (not on Colab) fails on the Colab-like env."""
    from nbclient.exceptions import CellExecutionError
    source = next(p for p in SOLUTIONS if not uses_torch(p))
    nb = nbformat.read(source, as_version=4)
    nb.cells.insert(_setup_index(nb) + 1, nbformat.v4.new_code_cell("import nbgrader"))
    planted = tmp_path / "planted" / source.name
    planted.parent.mkdir()
    nbformat.write(nb, planted)
    with pytest.raises(CellExecutionError, match="No module named 'nbgrader'"):
        check_solution_on_colab(colab_env(), planted, tmp_path / "run", nnkit_wheel)


def test_a_broken_widget_callback_fails_the_suite(colab_env, nnkit_wheel, tmp_path):
    """The widget driver is not blind: a callback that raises once a control moves fails the run."""
    from nbclient.exceptions import CellExecutionError
    source = next(p for p in SOLUTIONS if not uses_torch(p) and any(
        "widget" in c.metadata.get("tags", []) and "interactive_plot" in c.source
        for c in nbformat.read(p, as_version=4).cells))
    nb = nbformat.read(source, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "widget" in c.metadata.get("tags", []))
    nb.cells[first].source = (
        "import ipywidgets as _w\n_io = _w.interactive_output\n"
        "def _broken(f, controls):\n"
        "    calls = []\n"
        "    def g(**kw):\n"
        "        calls.append(1)\n"
        "        if len(calls) > 1:\n"
        "            raise RuntimeError('planted: a broken widget callback')\n"
        "        return f(**kw)\n"
        "    return _io(g, controls)\n"
        "_w.interactive_output = _broken\n" + nb.cells[first].source)
    nb.cells = nb.cells[:first + 1]
    planted = tmp_path / "planted" / source.name
    planted.parent.mkdir()
    nbformat.write(nb, planted)
    with pytest.raises(CellExecutionError, match="planted: a broken widget callback"):
        check_solution_on_colab(colab_env(), planted, tmp_path / "run", nnkit_wheel)
