"""`make test` brings what its suites need: the Debian packages of `.ci/install.sh` (bubblewrap,
the sandbox; chromium, the browser suite; ...), installed the same way as in CI, and a clear
line instead of a failure where they cannot be installed (no root, no sudo)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from common import ROOT


def test_make_test_runs_the_one_package_script_before_anything_else():
    env = {**os.environ, "VIRTUAL_ENV": os.environ.get("VIRTUAL_ENV", "/nonexistent-venv")}
    for var in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS"):     # under `make test` a sub-make says where it is
        env.pop(var, None)
    r = subprocess.run(["make", "--no-print-directory", "-n", "test"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "bash .ci/install.sh", lines[:3]            # before the venv, pip or pytest
    assert any("pytest" in line for line in lines[1:])
    # one package list: the browser script and CI's script install no Debian package themselves
    for script in (".ci/install-browser-colab.sh", ".ci/run"):
        text = (ROOT / script).read_text()
        assert not re.search(r"apt-get\s+install", text), script
    assert re.search(r"need\+=\(bubblewrap\)", (ROOT / ".ci/install.sh").read_text())


def test_without_root_or_sudo_it_says_what_it_cannot_install():
    """As an ordinary user with no sudo and no bubblewrap on PATH: one line naming the
    packages and the command an administrator runs; exit 0 (the suites then skip), 1 with CI."""
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)            # the ordinary user reads it
        _run_as_ordinary_user_without_sudo(Path(tmp))


def _run_as_ordinary_user_without_sudo(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "id", "prlimit", "unshare", "apt-get"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    prefix = [shutil.which("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
    script = str(ROOT / ".ci" / "install.sh")
    runs = {}
    for ci in ("", "1"):
        env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "LANG": "C.UTF-8", **({"CI": ci} if ci else {})}
        runs[ci] = subprocess.run(prefix + ["/bin/bash", script], env=env, capture_output=True, text=True,
                                  timeout=60, cwd=tmp_path)
    plain, ci = runs[""], runs["1"]
    assert plain.returncode == 0 and ci.returncode == 1, (plain, ci)
    for r in (plain, ci):
        assert "cannot install" in r.stderr and "bubblewrap" in r.stderr, r.stderr
        assert "not root" in r.stderr and "sudo apt-get install -y" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1, r.stderr
