"""The first run, exactly as the README says: `make start` on a fresh clone.

- as an ordinary user (no root, no virtual environment active, the system's Python, as on a
  student's laptop or a TA's shared server): the course's own `.venv` is created with what a
  student needs and nothing else, the TA demo grades its class in the unprivileged sandbox,
  and JupyterLab answers on notebook 01 at the URL printed;
- the same user runs the sandbox's isolation and limit tests, and the README's TA commands
  from an unactivated venv, which leave nothing for git to commit;
- where the kernel refuses unprivileged user namespaces (made real here: a user namespace
  whose limit of nested namespaces is used up), grading stops before it starts, with exit 2
  and one line that says what is missing and how to fix it;
- as root (a container): `make start` passes --allow-root itself.

CI runs as root, so the ordinary user is created here (`nncourse`). A user created here does
not inherit root's pip configuration, which is what finds this machine's CPU build of torch,
so it is passed on as PIP_* variables (a student's machine needs none of that).
"""
from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from autograder.source import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "first-run"
USER = "nncourse"
START_TIMEOUT = 1200


# --- the people ----------------------------------------------------------------------------

def _pip_settings() -> dict[str, str]:
    """This machine's pip configuration as PIP_* variables (root's config file is not read by
    another user); a variable already set wins."""
    out = subprocess.run(["python3", "-m", "pip", "config", "list"], capture_output=True, text=True).stdout
    env = {}
    for line in out.splitlines():
        m = re.match(r"^(?:global|install|:env:)\.([\w-]+)='(.*)'$", line.strip())
        if m:
            env["PIP_" + m.group(1).upper().replace("-", "_")] = m.group(2)
    env.update({k: v for k, v in os.environ.items() if k.startswith("PIP_")})
    return env


def _clean_env(home: str, user: str) -> dict[str, str]:
    """What a fresh login has: no virtual environment, no pyenv, no make of ours around it."""
    env = {"HOME": home, "USER": user, "LOGNAME": user, "LANG": "C.UTF-8",
           "PATH": "/usr/local/bin:/usr/bin:/bin", **_pip_settings()}
    for k in ("TMPDIR", "CI"):
        if k in os.environ:
            env[k] = os.environ[k]
    return env


class Person:
    """Runs commands as one user, with that user's clean login environment."""

    def __init__(self, name: str, env: dict[str, str]):
        self.name, self.env = name, env
        self.prefix = ["runuser", "-u", name, "--"] if name != pwd.getpwuid(os.geteuid()).pw_name else []

    def argv(self, cmd: list[str]) -> list[str]:
        return self.prefix + ["env", "-i", *(f"{k}={v}" for k, v in self.env.items()), *cmd]

    def run(self, cmd: list[str], cwd: Path, timeout: float = 900, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(self.argv(cmd), cwd=cwd, capture_output=True, text=True, timeout=timeout, **kw)

    def popen(self, cmd: list[str], cwd: Path, log) -> subprocess.Popen:
        return subprocess.Popen(self.argv(cmd), cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _ordinary_user() -> Person:
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return Person(me.pw_name, _clean_env(me.pw_dir, me.pw_name))
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", USER], check=True)
    entry = pwd.getpwnam(USER)
    return Person(USER, _clean_env(entry.pw_dir, USER))


def _root() -> Person:
    if os.geteuid() != 0:
        pytest.skip("the container case needs root")
    return Person("root", {**_clean_env("/root", "root"), "PATH": os.environ["PATH"]})


# --- a fresh clone of what is checked out (uncommitted changes included) ----------------------

def _snapshot() -> str:
    """A commit of the working tree as it is (tracked and new files, .gitignore respected),
    made without touching the real index or branch."""
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(d) / "index"))
        git = ["git", "-C", str(ROOT), "-c", "user.name=test", "-c", "user.email=test@localhost"]
        subprocess.run(git + ["add", "-A"], env=env, check=True, capture_output=True)
        tree = subprocess.run(git + ["write-tree"], env=env, check=True, capture_output=True, text=True).stdout.strip()
        return subprocess.run(git + ["commit-tree", tree, "-m", "snapshot for tests/test_first_run.py"],
                              env=env, check=True, capture_output=True, text=True).stdout.strip()


def _fresh_clone(person: Person) -> Path:
    base = Path(tempfile.mkdtemp(prefix=f"first-run-{person.name}-", dir="/tmp"))
    clone = base / "course"
    commit = _snapshot()
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "fetch", "-q", str(ROOT), commit], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", commit], check=True)
    if person.prefix:
        subprocess.run(["chown", "-R", f"{person.name}:", str(base)], check=True)
    return clone


# --- make start ----------------------------------------------------------------------------

def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except OSError:
        return 0, b""


class Started:
    def __init__(self, clone: Path, log: str, seconds: float, url: str):
        self.clone, self.log, self.seconds, self.url = clone, log, seconds, url


def _make_start(person: Person, name: str) -> Started:
    """`make start` in a fresh clone until JupyterLab answers on notebook 01; then stop it."""
    clone = _fresh_clone(person)
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"make-start-{name}.log"
    t0 = time.monotonic()
    with open(log_path, "w") as log:
        proc = person.popen(["make", "start", f"LAB_ARGS=--no-browser --port={port}"], clone, log)
        url = None
        try:
            while time.monotonic() - t0 < START_TIMEOUT:
                text = log_path.read_text(errors="replace")
                if proc.poll() is not None:
                    pytest.fail(f"make start exited with {proc.returncode} before JupyterLab answered:\n{text[-3000:]}")
                m = re.search(r"The course opens at\s+(http://localhost:\d+/lab/tree/\S+)", text)
                if m and _get(m.group(1))[0] == 200:
                    url = m.group(1)
                    break
                time.sleep(2)
            seconds = time.monotonic() - t0
            assert url, f"JupyterLab did not answer within {START_TIMEOUT} s:\n{log_path.read_text()[-3000:]}"
            token = url.split("token=")[1]
            status, body = _get(f"http://localhost:{port}/api/contents/notebooks/01_perceptron/"
                                f"01_perceptron.ipynb?content=0&token={token}")
            assert status == 200 and json.loads(body)["type"] == "notebook"
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(proc.pid, signal.SIGKILL)
    return Started(clone, log_path.read_text(errors="replace"), seconds, url)


def _demo_statuses(log: str) -> str:
    m = re.search(r"^01_perceptron\s+\d+\s+[\d.]+\s+\d+\s+(.*)$", log, re.M)
    assert m, f"no demo summary in the output of make start:\n{log[-3000:]}"
    return m.group(1)


def _venv_report(person: Person, clone: Path, name: str) -> dict:
    code = ("import importlib.util as u, json, torch\n"
            "print(json.dumps({'test_packages': [m for m in ('pytest', 'playwright', 'distributed', 'xdist')"
            " if u.find_spec(m)], 'torch': torch.__version__, 'cuda': torch.version.cuda}))")
    r = person.run([str(clone / ".venv/bin/python"), "-c", code], clone)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    info["size_mb"] = int(subprocess.run(["du", "-sm", str(clone / ".venv")], capture_output=True,
                                         text=True).stdout.split()[0])
    (ARTIFACTS / f"venv-{name}.json").write_text(json.dumps(info, indent=1))
    return info


@pytest.fixture(scope="module")
def student():
    person = _ordinary_user()
    started = _make_start(person, "ordinary-user")
    yield person, started
    shutil.rmtree(started.clone.parent, ignore_errors=True)


# --- the ordinary user ---------------------------------------------------------------------

@pytest.mark.xdist_group("first-run-user")
def test_make_start_as_an_ordinary_user(student):
    person, started = student
    assert "graded 12" in _demo_statuses(started.log), started.log[-3000:]
    assert "skipping the TA demo" not in started.log
    assert "--allow-root" not in started.log
    info = _venv_report(person, started.clone, "ordinary-user")
    assert info["test_packages"] == [], f"a student's environment has test packages: {info}"
    assert (started.clone / ".venv").is_dir()
    (ARTIFACTS / "make-start-ordinary-user.seconds").write_text(f"{started.seconds:.1f}\n")


@pytest.mark.xdist_group("first-run-user")
def test_the_sandbox_holds_when_graded_by_an_ordinary_user(student):
    person, started = student
    py = str(started.clone / ".venv/bin/python")
    assert person.run([py, "-m", "pip", "install", "-q", "pytest"], started.clone).returncode == 0
    r = person.run([py, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "tests/test_grading_sandbox.py"],
                   started.clone, timeout=600)
    (ARTIFACTS / "sandbox-tests-ordinary-user.txt").write_text(r.stdout + r.stderr)
    assert r.returncode == 0, r.stdout[-3000:]
    assert "skipped" not in r.stdout and re.search(r"\b1[0-9] passed\b", r.stdout), r.stdout[-1000:]


@pytest.mark.xdist_group("first-run-user")
def test_the_readme_ta_commands_as_an_ordinary_user(student):
    """The TA section's commands, from an unactivated venv; the outputs are all git-ignored."""
    person, started = student
    clone = started.clone
    r = person.run(["make", "install", "EXTRAS=course,cluster"], clone)
    assert r.returncode == 0, r.stderr[-2000:]
    assert person.run([".venv/bin/python", "-c", "import distributed"], clone).returncode == 0
    subs = clone.parent / "class"
    subs.mkdir()
    for name in ("alice", "bob", "carol"):                  # three of the demo class are enough here
        shutil.copy(clone / "autograder/demo/submissions" / f"{name}_01_perceptron.ipynb", subs)
    if person.prefix:
        subprocess.run(["chown", "-R", f"{person.name}:", str(subs)], check=True)
    r = person.run([".venv/bin/python", "-m", "autograder", "grade", str(subs), "--no-progress"], clone)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert re.search(r"01_perceptron\s+3\s", r.stdout), r.stdout
    r = person.run(["../.venv/bin/nbgrader", "export"], clone / "grading")
    assert r.returncode == 0, r.stderr[-2000:]
    assert (clone / "grading" / "grades.csv").is_file()
    status = person.run(["git", "status", "--porcelain", "--untracked-files=all"], clone)
    assert status.returncode == 0 and status.stdout == "", f"grading left files for git:\n{status.stdout}"


@pytest.mark.xdist_group("first-run-user")
def test_refused_user_namespaces_stop_grading_with_one_clear_line(student):
    """A real refusal: inside a user namespace whose nested-namespace limit is used up,
    bubblewrap cannot make the sandbox's namespace (as with Ubuntu's AppArmor setting)."""
    person, started = student
    if not shutil.which("unshare"):
        pytest.skip("unshare (util-linux) is missing")
    uid = pwd.getpwnam(person.name).pw_uid
    out = started.clone.parent / "refused-out"

    def refused(*args: str) -> subprocess.CompletedProcess:
        inner = " ".join(["exec", "unshare", "--user", f"--map-user={uid}", f"--map-group={uid}",
                          ".venv/bin/python", "-m", "autograder", *args])
        return person.run(["unshare", "--user", "--map-root-user", "sh", "-c",
                           f"echo 1 > /proc/sys/user/max_user_namespaces && {inner}"], started.clone)

    r = refused("grade", "autograder/demo/submissions", "--out", str(out))
    assert r.returncode == 2, (r.returncode, r.stdout[-1000:], r.stderr[-1000:])
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "user namespaces" in lines[0] and "sysctl" in lines[0], r.stderr
    assert not (out / "results").exists(), "nothing may be graded without the sandbox"
    r = refused("demo", "--skip-if-unavailable")
    assert r.returncode == 0 and r.stderr.startswith("skipping the TA demo: "), r.stderr


# --- root in a container --------------------------------------------------------------------

@pytest.mark.xdist_group("first-run-root")
def test_make_start_as_root_in_a_container():
    person = _root()
    started = _make_start(person, "root")
    try:
        assert "graded 12" in _demo_statuses(started.log), started.log[-3000:]
        assert "--allow-root" in started.log
        info = _venv_report(person, started.clone, "root")
        assert info["test_packages"] == [], f"a student's environment has test packages: {info}"
        (ARTIFACTS / "make-start-root.seconds").write_text(f"{started.seconds:.1f}\n")
    finally:
        shutil.rmtree(started.clone.parent, ignore_errors=True)
