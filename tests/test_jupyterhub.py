"""The course on a real JupyterHub, through nbgrader's whole cycle (docs/jupyterhub.md).

A JupyterHub on loopback (configurable-http-proxy from npm, PAM, LocalProcessSpawner) runs
deploy/jupyterhub/jupyterhub_config.py; an instructor and three students are local Unix users
made for the test and removed after it. The instructor's side is deploy/jupyterhub/ta.sh, the
guide's commands; the students' side is their own JupyterLab in Debian's chromium (Playwright):
the Assignments tab, Fetch, their notebook saved through their own server, Submit, and later
Fetch Feedback and the course's feedback page. ann answers everything (full marks), bob submits
the blank notebook (zero), cat submits after the due date with one catalogued mistake (its
diagnosis on her feedback page, the course's late penalty on her grade). The Canvas and Moodle
files that `nbgrader export` writes hold exactly the gradebook's numbers.

Needs root (it creates users), Node.js and configurable-http-proxy (`.ci/install.sh`), the
`hub` extra, chromium and Playwright; locally it skips without them, in CI (CI set) it fails.
"""
from __future__ import annotations

import csv
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from autograder import sandbox
from autograder import source as src
from common import ARTIFACTS, ROOT, read_csv

pytestmark = pytest.mark.xdist_group("jupyterhub")

A = "01_perceptron"
DEPLOY = ROOT / "deploy" / "jupyterhub"
SHOTS = ARTIFACTS / "jupyterhub"
CHROMIUM = os.environ.get("NN_COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions"]
LOCAL_PROXY = ROOT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
MISTAKE = "strict-inequality"          # cat's heaviside: a catalogued mistake of 01
POINTS_PER_HOUR = 1.0                  # deploy/jupyterhub/nbgrader_config.py's policy


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"the JupyterHub cycle cannot run: {reason}")
    pytest.skip(f"the JupyterHub cycle cannot run: {reason}")


def _parts() -> str | None:
    """What this machine lacks for the test, or None."""
    if os.geteuid() != 0:
        return "not root (the test creates local Unix users)"
    for tool in ("useradd", "userdel", "chpasswd", "runuser", "node"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    if not (LOCAL_PROXY.exists() or shutil.which("configurable-http-proxy")):
        return "configurable-http-proxy is not installed (bash .ci/install.sh)"
    for module in ("jupyterhub", "pamela", "playwright"):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed (make install-test: the hub and test extras)"
    if not Path(CHROMIUM).exists():
        return f"chromium is not installed at {CHROMIUM}"
    return sandbox.unavailable()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], log, **kw) -> subprocess.CompletedProcess:
    log.write(f"\n$ {' '.join(map(str, cmd))}\n")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    log.write(p.stdout + p.stderr)
    log.flush()
    assert p.returncode == 0, f"{cmd} failed ({p.returncode}):\n{p.stdout[-2000:]}\n{p.stderr[-3000:]}"
    return p


class Hub:
    """The hub, its users, the course root and the exchange, in one temporary folder."""

    def __init__(self, base: Path):
        self.base, tag = base, secrets.token_hex(2)
        self.instructor = f"nbta{tag}"
        self.students = {k: f"nb{k}{tag}" for k in ("ann", "bob", "cat")}
        self.password = secrets.token_urlsafe(12)
        self.users: list[str] = []
        self.root, self.exchange = base / "course", base / "exchange"
        self.env_dir, self.state = base / "env", base / "state"
        self.log = open(base / "cycle.log", "w")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def ta(self, *args: str) -> str:
        """One step of the guide's TA script, in the course environment."""
        env = {**os.environ, "COURSE_ROOT": str(self.root), "COURSE_EXCHANGE": str(self.exchange),
               "PYTHON": sys.executable}
        return _run(["bash", str(DEPLOY / "ta.sh"), *args], self.log, env=env).stdout

    def add_users(self):
        for name in [self.instructor, *self.students.values()]:
            self.users.append(name)
            _run(["bash", str(DEPLOY / "add-user.sh"), name], self.log, input=f"{self.password}\n")

    def start(self):
        self.state.mkdir(mode=0o700)
        proxy = str(LOCAL_PROXY) if LOCAL_PROXY.exists() else shutil.which("configurable-http-proxy")
        env = {**os.environ, "COURSE_ENV": str(self.env_dir), "COURSE_EXCHANGE": str(self.exchange),
               "COURSE_HUB_STATE": str(self.state), "COURSE_HUB_BIND": self.url,
               "COURSE_HUB_API_PORT": str(_free_port()), "COURSE_PROXY_API_PORT": str(_free_port()),
               "COURSE_INSTRUCTORS": self.instructor, "COURSE_STUDENTS": " ".join(self.students.values()),
               "COURSE_PROXY": proxy, "COURSE_SINGLEUSER_ARGS": "--LabApp.expose_app_in_browser=True --LabApp.news_url="}
        env.pop("PYTHONPATH", None)     # the students' servers see only the course environment
        self.hub_log = open(self.base / "jupyterhub.log", "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(DEPLOY / "jupyterhub_config.py")],
                                     cwd=self.state, env=env, stdout=self.hub_log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + 90
        while time.time() < deadline:
            assert self.proc.poll() is None, (self.base / "jupyterhub.log").read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api", timeout=2) as r:
                    return json.load(r)["version"]
            except OSError:
                time.sleep(0.5)
        raise AssertionError("JupyterHub did not answer in 90 s")

    def as_user(self, user: str, code: str) -> subprocess.CompletedProcess:
        """Python run as ``user`` (the course environment's interpreter)."""
        return subprocess.run(["runuser", "-u", user, "--", str(self.env_dir / "bin" / "python"), "-c", code],
                              capture_output=True, text=True, timeout=60, cwd="/")

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)      # the hub stops the servers it started
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        for name in self.users:
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        self.log.close()


@pytest.fixture(scope="module")
def hub():
    why = _parts()
    if why:
        _missing(why)
    base = Path(tempfile.mkdtemp(prefix="nbhub-", dir="/tmp"))
    base.chmod(0o755)
    h = Hub(base)
    try:
        _run(["bash", str(DEPLOY / "course-env.sh"), str(h.env_dir), "--reuse", sys.prefix], h.log)
        h.add_users()
        h.version = h.start()
        yield h
    finally:
        h.close()
        SHOTS.mkdir(parents=True, exist_ok=True)
        for log in ("cycle.log", "jupyterhub.log"):
            if (base / log).exists():
                shutil.copy(base / log, SHOTS / log)
        shutil.rmtree(base, ignore_errors=True)


# --- the students' side: their JupyterLab in chromium -----------------------------------------
def _login(browser, hub: Hub, user: str):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/lab**", timeout=180_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
                           "'nbgrader:open-assignment-list')", timeout=120_000)
    _no_news(page)
    return context, page


def _no_news(page):
    """Answer JupyterLab's "notified about official Jupyter news?" toast, if it shows."""
    try:
        page.locator(".jp-toast-button").get_by_text("No", exact=True).first.click(timeout=5_000)
    except Exception:  # noqa: BLE001  (no toast: nothing to answer)
        pass


def _assignments_tab(page):
    page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-assignment-list')")
    page.locator("#released_assignments_list").wait_for(timeout=60_000)
    return page


def _row(page, list_id: str):
    return page.locator(f"#{list_id} .list_item").filter(has_text=A).first


def _fetch(page, shot: str | None = None):
    _assignments_tab(page)
    _row(page, "released_assignments_list").get_by_role("button", name="Fetch").click()
    _row(page, "fetched_assignments_list").wait_for(timeout=60_000)
    if shot:
        page.screenshot(path=str(SHOTS / shot))


def _save_notebook(page, nb) -> None:
    """The student's edit: the notebook saved through her own Jupyter server."""
    path = f"{A}/{src.load(A).notebook_id}.ipynb"
    page.evaluate("async ([path, content]) => { await window.jupyterapp.serviceManager.contents.save("
                  "path, {type: 'notebook', format: 'json', content}); }", [path, json.loads(json.dumps(nb))])


def _submit(page):
    _row(page, "fetched_assignments_list").get_by_role("button", name="Submit").click()
    _row(page, "submitted_assignments_list").wait_for(timeout=60_000)


def _feedback_page(page, shot: str, focus: str | None = None) -> str:
    """Fetch Feedback in the Assignments tab, "view feedback" (the file browser goes to the
    fetched feedback), and the page opened from there as a student opens it."""
    page.reload()
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand("
                           "'nbgrader:open-assignment-list')", timeout=120_000)
    _assignments_tab(page)
    row = _row(page, "submitted_assignments_list")
    row.get_by_role("button", name="Fetch Feedback").click()
    link = row.get_by_text("view feedback").first
    link.wait_for(timeout=60_000)
    link.click()
    item = page.locator(".jp-DirListing-item").filter(has_text=f"{src.load(A).notebook_id}.html").first
    item.wait_for(timeout=60_000)
    item.dblclick()
    frame = page.locator(".jp-HTMLViewer iframe, iframe").last
    frame.wait_for(timeout=60_000)
    frame.content_frame.locator("body").wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    _no_news(page)
    page.screenshot(path=str(SHOTS / shot))
    content = frame.element_handle().content_frame()
    if focus:      # the diagnosis, further down the page
        content.get_by_text(focus).first.scroll_into_view_if_needed(timeout=10_000)
        page.screenshot(path=str(SHOTS / shot.replace(".png", "-diagnosis.png")))
    return content.content()


def _notebooks():
    from autograder.demo.build import KNOWN_MISTAKES_01, filled
    return {"ann": filled(A), "cat": filled(A, replace={"heaviside": KNOWN_MISTAKES_01[MISTAKE]})}


def test_the_course_runs_on_jupyterhub(hub):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    started = time.time()
    hub.ta("setup")
    hub.ta("release", A, "2099-01-01 00:00:00 UTC")
    answers = _notebooks()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        sessions = {k: _login(browser, hub, u) for k, u in hub.students.items()}
        for k in ("ann", "bob"):
            _fetch(sessions[k][1], shot="ann-assignments-before-submit.png" if k == "ann" else None)
        _save_notebook(sessions["ann"][1], answers["ann"])
        for k in ("ann", "bob"):
            _submit(sessions[k][1])
        sessions["ann"][1].screenshot(path=str(SHOTS / "ann-assignments-submitted.png"))
        # the due date passes: cat fetches and submits afterwards
        due = (datetime.now(timezone.utc) + timedelta(seconds=1)).replace(microsecond=0)   # after theirs
        hub.ta("due", A, due.strftime("%Y-%m-%d %H:%M:%S UTC"))
        time.sleep(max(0.0, (due - datetime.now(timezone.utc)).total_seconds()) + 1)
        _fetch(sessions["cat"][1])
        _save_notebook(sessions["cat"][1], answers["cat"])
        _submit(sessions["cat"][1])
        _another_student_cannot_see_hers(hub)

        hub.ta("collect", A)
        hub.ta("grade", A)
        hub.ta("feedback", A)
        hub.ta("export")

        focus = {"cat": _explanation(MISTAKE).split("`")[-1].strip()[:30]}
        pages = {k: _feedback_page(sessions[k][1], f"{k}-feedback.png", focus.get(k)) for k in ("ann", "cat")}
        browser.close()
    _check_feedback(hub, pages)
    _check_grades(hub)
    hub.log.write(f"\ncycle: {time.time() - started:.0f} s\n")


def _another_student_cannot_see_hers(hub: Hub):
    """bob can neither list the exchange's inbound folder nor read ann's home (her fetched and
    cached copies); nbgrader hides each submission under an unlisted, random name."""
    inbound = hub.exchange / "neuron-by-neuron" / "inbound"
    mine = [p.name for p in inbound.iterdir() if p.name.startswith(hub.students["ann"] + "+")]
    assert len(mine) == 1, f"ann's submission is not in the exchange: {os.listdir(inbound)}"
    bob, ann_home = hub.students["bob"], Path("/home") / hub.students["ann"]
    p = hub.as_user(bob, f"import os; print(os.listdir({str(inbound)!r}))")
    assert p.returncode != 0 and "PermissionError" in p.stderr, p.stdout + p.stderr
    p = hub.as_user(bob, f"open({str(ann_home / A / (src.load(A).notebook_id + '.ipynb'))!r}).read()")
    assert p.returncode != 0 and "PermissionError" in p.stderr, p.stdout + p.stderr
    p = hub.as_user(bob, "import subprocess, sys; sys.exit(subprocess.run([sys.executable, '-m', 'nbgrader', "
                         "'list', '--inbound'], capture_output=True, text=True).stdout.count('" +
                    hub.students["ann"] + "'))")
    assert p.returncode == 0, "bob's nbgrader list shows ann's submission"


def _explanation(mistake: str) -> str:
    """The catalogue's explanation of ``mistake`` (solutions/01_perceptron/mistakes.py)."""
    import runpy
    catalogue = runpy.run_path(str(src.SOLUTIONS / A / "mistakes.py"))["MISTAKES"]
    return next(m["explanation"] for m in catalogue if m["id"] == mistake)


def _check_feedback(hub: Hub, pages: dict[str, str]):
    """Each fetched page is the course's own (the grader's page, byte for byte as written to
    feedback/), and cat's names her mistake."""
    for k, html in pages.items():
        written = (hub.root / "feedback" / hub.students[k] / A / f"{src.load(A).notebook_id}.html").read_text()
        assert _text(written)[:2000] in _text(html)
    words = _explanation(MISTAKE).replace("`", "").split()[-6:]
    assert " ".join(words) in _text(pages["cat"]), _text(pages["cat"])[:3000]


def _text(html: str) -> str:
    import html as html_mod
    import re
    return " ".join(html_mod.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _check_grades(hub: Hub):
    sheet = {r["student"]: r for r in read_csv(hub.root / "grade_sheet.csv")}
    ann, bob, cat = (sheet[hub.students[k]] for k in ("ann", "bob", "cat"))
    auto = sum(src.load(A).test_points.values())
    assert float(ann["total"]) == auto and float(bob["total"]) == 0
    assert 0 < float(cat["total"]) < auto
    assert float(ann["late_penalty"]) == float(bob["late_penalty"]) == 0
    late = float(cat["late_seconds"])
    assert 0 < late < 3600 and float(cat["late_penalty"]) == POINTS_PER_HOUR * math.ceil(late / 3600)
    expected = {hub.students["ann"]: auto, hub.students["bob"]: 0.0,
                hub.students["cat"]: float(cat["total"]) - float(cat["late_penalty"])}
    with open(hub.root / "canvas_grades.csv", newline="") as f:
        canvas = list(csv.reader(f))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "Points Possible"
    assert {r[3]: float(r[5]) for r in canvas[2:]} == expected
    moodle = read_csv(hub.root / "moodle_grades.csv")
    assert {r["Username"]: float(r[A]) for r in moodle} == expected
    hub.log.write("\n".join(["", "canvas:", *map(",".join, canvas), "moodle:",
                             *(",".join(r.values()) for r in moodle)]) + "\n")
