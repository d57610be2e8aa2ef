"""The course in JupyterLab 4, in a real browser (Playwright driving Debian's chromium).

JupyterLab runs on loopback with a throwaway configuration (its own config, runtime,
data, settings and workspace folders; autosave off) on a temporary copy of the course,
so nothing is written into the repository. For every solution notebook it finds, on that
copy, in a fresh kernel:

- runs all cells, and asserts that no cell raised and no traceback is shown anywhere,
  widget output areas included;
- checks that every hint (``<details>``) renders collapsed, and that opening one shows its
  text and leaves a second-level hint inside it collapsed;
- uses every widget of each cell tagged ``widget`` as a student would: moves each slider
  to an end (End, or Home when it is already there), picks every other option of each
  dropdown, presses each button; asserts that the slider's readout or the dropdown's value
  changed, and that the widget's output (plot image, printed text) changed after each
  interaction (in a cell with buttons a slider or dropdown may only take effect at the next
  press); and that no traceback appeared;
- saves a screenshot of each widget's cell output after each interaction in
  test-artifacts/browser/<assignment>/.

It also opens nbgrader's formgrader in the same JupyterLab and checks that every
assignment of the course is listed. Locally the suite skips when chromium or Playwright
is missing (``bash .ci/install-browser-colab.sh`` installs both); in CI (``CI`` set) it fails.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from common import ROOT, read_csv

ARTIFACTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("NN_COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SOLUTIONS = sorted(ROOT.glob("solutions/*/*.ipynb"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-extensions", "--mute-audio"]
RUN_ALL_TIMEOUT = 600  # seconds for one notebook
CHANGE_TIMEOUT = 30    # seconds for a widget's output to change after an interaction

pytestmark = pytest.mark.xdist_group("browser")

SETTINGS = {  # JupyterLab user settings of the throwaway configuration
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"the browser suite cannot run: {reason}")
    pytest.skip(f"the browser suite cannot run: {reason} (bash .ci/install-browser-colab.sh installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """JupyterLab on a temporary copy of the course, and a chromium to look at it."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.course = tmp / "course"
        for name in ("solutions", "notebooks"):
            shutil.copytree(ROOT / name, self.course / name,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        (self.course / "autograder").mkdir()
        (self.course / "grading").mkdir()
        shutil.copy(ROOT / "autograder" / "nbgrader_config.py", self.course / "autograder")
        shutil.copy(ROOT / "nbgrader_config.py", self.course)
        self.assignments = sorted(p.parent.name for p in SOLUTIONS)
        # the formgrader lists the assignments of the (temporary) gradebook
        subprocess.run([sys.executable, "-c",
                        "import sys; from nbgrader.api import Gradebook\n"
                        f"with Gradebook('sqlite:///{self.course / 'grading' / 'gradebook.db'}') as gb:\n"
                        "    [gb.update_or_create_assignment(a) for a in sys.argv[1:]]",
                        *self.assignments], check=True)
        settings = tmp / "settings"
        for plugin, values in SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
        env.update(JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
                   JUPYTER_DATA_DIR=str(tmp / "data"), IPYTHONDIR=str(tmp / "ipython"),
                   PYDEVD_DISABLE_FILE_VALIDATION="1")
        self.port, self.token = _free_port(), secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp / "jupyterlab.log", "w")
        self.server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.course}",
             f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
             "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--ServerApp.open_browser=False"],
            cwd=self.course, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.playwright = self.browser = None
        try:
            self._wait_for_server()
        except BaseException:
            self.close()
            raise

    def _wait_for_server(self, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited:\n{(self.tmp / 'jupyterlab.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("JupyterLab did not start in time")

    def start_browser(self):
        from playwright.sync_api import sync_playwright
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch_persistent_context(
            str(self.tmp / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})

    def open(self, path: str):
        page = self.browser.new_page()
        page.goto(f"{self.base}/lab/tree/{path}?reset&token={self.token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
                               " && window.jupyterapp.shell.currentWidget.sessionContext"
                               " && window.jupyterapp.shell.currentWidget.sessionContext.session"
                               " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
                               " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
                               timeout=120_000)
        return page

    def close(self):
        if self.browser:
            self.browser.close()
        if self.playwright:
            self.playwright.stop()
        self.server.terminate()
        try:
            self.server.wait(20)
        except subprocess.TimeoutExpired:
            self.server.kill()
        self.log.close()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright)")
    if not Path(CHROMIUM).exists():
        _unavailable(f"chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    lab = Lab(tmp_path_factory.mktemp("lab"))
    try:
        lab.start_browser()
        yield lab
    finally:
        lab.close()


# ---------------------------------------------------------------- in the page

NOTEBOOK_STATE = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  let total = 0, done = 0;
  const errors = [];
  panel.content.widgets.forEach((cell, i) => {
    cell.node.setAttribute('data-test-cell', String(i));
    if (cell.model.type !== 'code') return;
    total += 1;
    if (cell.model.executionCount !== null) done += 1;
    for (const o of cell.model.outputs.toJSON())
      if (o.output_type === 'error') errors.push(`cell ${i}: ${o.ename}: ${o.evalue}`);
  });
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  const shown = [...panel.node.querySelectorAll('.jp-OutputArea-output')]
      .filter(n => n.innerText.includes('Traceback (most recent call last)')).map(n => n.innerText.slice(-1500));
  return {total, done, errors, shown, status: kernel ? kernel.status : 'dead'};
}"""

TRACEBACKS = """(node) => [...node.querySelectorAll('.jp-OutputArea-output')]
  .filter(n => n.innerText.includes('Traceback (most recent call last)')).map(n => n.innerText.slice(-1500))"""

OUTPUT_SNAPSHOT = """(cell) => {
  const areas = [...cell.querySelectorAll('.widget-output, .jupyter-widgets-output-area')];
  const root = areas.length ? areas : [cell.querySelector('.jp-Cell-outputArea')];
  return JSON.stringify(root.map(a => ({
    images: [...a.querySelectorAll('img')].map(i => i.src.length + ':' + i.src.slice(-200)),
    text: a.innerText})));
}"""


def run_all(page) -> dict:
    """Run every cell; return the final state (cell errors, tracebacks shown)."""
    page.evaluate("() => { void window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    deadline = time.time() + RUN_ALL_TIMEOUT
    idle_since = None
    while time.time() < deadline:
        state = page.evaluate(NOTEBOOK_STATE)
        if state["errors"]:
            return state
        if state["done"] == state["total"] and state["status"] == "idle":
            idle_since = idle_since or time.time()
            if time.time() - idle_since > 1.0:  # widget views render after the cell's reply
                return page.evaluate(NOTEBOOK_STATE)
        else:
            idle_since = None
        time.sleep(0.5)
    raise AssertionError(f"the notebook did not finish in {RUN_ALL_TIMEOUT} s: {state}")


def kernel_status(page) -> str:
    return page.evaluate("() => { const s = window.jupyterapp.shell.currentWidget.sessionContext.session;"
                         " return s && s.kernel ? s.kernel.status : 'dead'; }")


def wait_for_change(page, cell, before: str, timeout: float) -> str | None:
    """The output snapshot once it differs from before and has settled; None if it did not change."""
    deadline, idle_since, last = time.time() + timeout, None, None
    while time.time() < deadline:
        time.sleep(0.25)
        now = cell.evaluate(OUTPUT_SNAPSHOT)
        idle = kernel_status(page) == "idle"
        idle_since = (idle_since or time.time()) if idle else None
        if now != before and idle and now == last:
            return now
        if now == before and idle_since and time.time() - idle_since > 1.5:
            return None  # the kernel has been idle for a while (a callback's reply comes well within it) and nothing changed
        last = now
    return None


def _label(control) -> str:
    text = control.evaluate("n => { const l = n.querySelector('.widget-label, label'); "
                            "return (l ? l.innerText : n.innerText).trim(); }")
    return re.sub(r"[^A-Za-z0-9]+", "-", text)[:30].strip("-") or "control"


def interact_with_widgets(page, cell, shots: Path, prefix: str, results: list[dict]) -> list[dict]:
    """Use every control of one widget cell as a student would; append what happened to results."""
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-Cell-outputArea").screenshot(path=str(shots / f"{prefix}-00-initial.png"))
    has_buttons = cell.locator("button.widget-button, button.jupyter-button").count() > 0
    controls = cell.locator(".widget-slider, .widget-dropdown, button.widget-button, button.jupyter-button")
    pending, step = list(range(controls.count())), 0
    for attempt in range(2):  # a control disabled at its turn may be enabled by another one
        retry = []
        for k in pending:
            control = controls.nth(k)
            kind = ("slider" if "widget-slider" in (control.get_attribute("class") or "")
                    else "dropdown" if "widget-dropdown" in (control.get_attribute("class") or "") else "button")
            if _disabled(control, kind):
                retry.append(k)
                continue
            label = _label(control)
            for action, value_before, do in _actions(control, kind):
                before = cell.evaluate(OUTPUT_SNAPSHOT)
                do()
                after = wait_for_change(page, cell, before, CHANGE_TIMEOUT)
                step += 1
                shot = shots / f"{prefix}-{step:02d}-{kind}-{label}.png"
                cell.locator(".jp-Cell-outputArea").screenshot(path=str(shot))
                value_after = _value(control, kind)
                results.append({"control": f"{kind} {label}", "action": action, "value": [value_before, value_after],
                                "output_changed": after is not None, "may_wait_for_button": has_buttons and kind != "button",
                                "screenshot": str(shot.relative_to(ROOT))})
                shown = cell.evaluate(TRACEBACKS)
                assert not shown, (f"the widget callback raised after '{action}' on {kind} {label} "
                                   f"(see {shot.relative_to(ROOT)}):\n" + "\n".join(shown))
        pending = retry
    for k in pending:
        results.append({"control": f"{_label(controls.nth(k))}", "action": "skipped: disabled throughout",
                        "output_changed": None})
    return results


def _disabled(control, kind) -> bool:
    if kind == "dropdown":
        return control.locator("select").is_disabled()
    if kind == "button":
        return control.is_disabled()
    return control.evaluate("n => n.classList.contains('mod-disabled') || !!n.querySelector('[disabled]')"
                            " || !!n.querySelector('.noUi-target[disabled]')")


def _value(control, kind) -> str:
    if kind == "slider":
        return control.evaluate("n => { const r = n.querySelector('.widget-readout'); "
                                "const h = n.querySelector('.noUi-handle'); "
                                "return (r ? r.innerText : '') + '|' + (h ? h.getAttribute('aria-valuenow') : ''); }")
    if kind == "dropdown":
        return control.locator("select").input_value()
    return ""


def _actions(control, kind):
    """(description, value before, callable) for each thing a student would do with this control."""
    if kind == "slider":
        handle = control.locator(".noUi-handle").first
        at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
        key = "Home" if at_max else "End"
        def press():
            handle.focus()
            handle.press(key)
        yield f"press {key}", _value(control, kind), press
    elif kind == "dropdown":
        select = control.locator("select")
        options = select.locator("option").all_inner_texts()
        current = select.evaluate("s => s.selectedIndex")
        for i in [j for j in range(len(options)) if j != current]:
            yield f"pick {options[i]!r}", _value(control, kind), (lambda i=i: select.select_option(index=i))
    else:
        yield "click", "", control.click


def shutdown(page):
    try:
        page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")
    finally:
        page.close()


HINTS_STATE = """() => {
  const visible = el => (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0);
  const panel = window.jupyterapp.shell.currentWidget;
  return [...panel.node.querySelectorAll('.jp-MarkdownOutput details')].map(d => ({
    open: d.open,
    nested: !!d.parentElement.closest('details'),
    summary: !!d.querySelector(':scope > summary'),
    body_shown: [...d.children].some(c => c.tagName !== 'SUMMARY' && visible(c)),
  }));
}"""

OPEN_FIRST_NESTED_HINT = """() => {
  const visible = el => (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0);
  const panel = window.jupyterapp.shell.currentWidget;
  const outer = [...panel.node.querySelectorAll('.jp-MarkdownOutput details')]
    .find(d => !d.parentElement.closest('details') && d.querySelector('details'));
  if (!outer) return null;
  outer.querySelector(':scope > summary').click();
  const inner = outer.querySelector('details');
  return {outer_open: outer.open, outer_body_shown: [...outer.children].some(c => c.tagName !== 'SUMMARY' && visible(c)),
          inner_open: inner.open, inner_summary_shown: visible(inner.querySelector(':scope > summary')),
          inner_body_shown: [...inner.children].some(c => c.tagName !== 'SUMMARY' && visible(c))};
}"""


def check_hints(page, nb, path: str) -> dict:
    """Every <details> hint of the notebook renders collapsed in JupyterLab; opening a hint
    shows its text and leaves the second-level hint inside it collapsed."""
    expected = sum(len(re.findall(r"<details\b", c.source)) for c in nb.cells if c.cell_type == "markdown")
    hints = page.evaluate(HINTS_STATE)
    assert len(hints) == expected, f"{path}: {expected} <details> hints in the markdown, {len(hints)} rendered"
    for k, h in enumerate(hints):
        assert h["summary"] and not h["open"] and not h["body_shown"], f"{path}: hint {k} is not collapsed: {h}"
    opened = page.evaluate(OPEN_FIRST_NESTED_HINT)
    if opened is not None:
        assert opened["outer_open"] and opened["outer_body_shown"], f"{path}: a hint does not open: {opened}"
        assert opened["inner_summary_shown"] and not opened["inner_open"] and not opened["inner_body_shown"], \
            f"{path}: opening a hint also showed its second level: {opened}"
    return {"hints": len(hints), "nested_checked": opened is not None}


def check_notebook(lab: Lab, path: str) -> dict:
    """Run a notebook of the lab's course copy in the browser and use its widgets; return a report.

    Raises AssertionError (with the details) when a cell raised, a traceback is shown, or a
    widget interaction changed nothing it should have.
    """
    nb = nbformat.read(lab.course / path, as_version=4)
    widget_cells = [i for i, c in enumerate(nb.cells) if "widget" in c.metadata.get("tags", [])]
    name = Path(path).stem
    shots = ARTIFACTS / name
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    report = {"notebook": path, "widgets": {}}
    page = lab.open(path)
    try:
        state = run_all(page)
        report["cells"] = state["total"]
        assert not state["errors"], f"{path}: cells raised in JupyterLab: {state['errors']}"
        assert not state["shown"], f"{path}: a traceback is shown after running all cells:\n" + "\n".join(state["shown"])
        report.update(check_hints(page, nb, path))
        for i in widget_cells:
            cell = page.locator(f'[data-test-cell="{i}"]')
            assert cell.locator(".jupyter-widgets").count() > 0, f"{path}: widget cell {i} shows no widget"
            results = report["widgets"][f"cell {i}"] = []
            interact_with_widgets(page, cell, shots, f"cell{i:02d}", results)
            final = page.evaluate(NOTEBOOK_STATE)
            assert not final["shown"], (f"{path}: a widget callback of cell {i} raised:\n" + "\n".join(final["shown"]))
            moved = [r for r in results if r["output_changed"] is not None]
            assert moved, f"{path}: widget cell {i} has no control that could be used"
            for r in moved:
                if r["value"][0] != "" or r["value"][1] != "":
                    assert r["value"][0] != r["value"][1], f"{path}: {r['control']} did not change ({r['action']})"
                assert r["output_changed"] or r["may_wait_for_button"], \
                    f"{path}: cell {i}: {r['control']} ({r['action']}) did not change the widget's output"
        return report
    finally:
        (shots / "report.json").write_text(json.dumps(report, indent=1))
        shutdown(page)


# ---------------------------------------------------------------- the tests

@pytest.mark.parametrize("notebook", SOLUTIONS, ids=[p.parent.name for p in SOLUTIONS])
def test_solution_runs_and_its_widgets_respond(lab, notebook):
    report = check_notebook(lab, str(notebook.relative_to(ROOT)))
    nb = nbformat.read(notebook, as_version=4)
    assert len(report["widgets"]) == sum("widget" in c.metadata.get("tags", []) for c in nb.cells)


def test_formgrader_lists_the_assignments(lab):
    page = lab.browser.new_page()
    try:
        page.goto(f"{lab.base}/lab?reset&token={lab.token}")
        page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands.hasCommand('nbgrader:open-formgrader')",
                               timeout=120_000)
        page.evaluate("() => window.jupyterapp.commands.execute('nbgrader:open-formgrader')")
        frame = page.frame_locator("iframe").first
        table = frame.locator("#main_table, table").first
        for assignment in lab.assignments:
            frame.get_by_text(assignment, exact=True).first.wait_for(timeout=60_000)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "formgrader.png"))
        listed = table.inner_text()
        for assignment in lab.assignments:
            assert assignment in listed, f"the formgrader does not list {assignment}"
    finally:
        page.close()


BROKEN_CALLBACK = '''\
# planted by tests/browser: every widget callback raises after its first (initial) call
import ipywidgets as _planted_w
_planted_original = _planted_w.interactive_output
def _planted_interactive_output(f, controls):
    calls = []
    def broken(**kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("planted: a broken widget callback")
        return f(**kwargs)
    return _planted_original(broken, controls)
_planted_w.interactive_output = _planted_interactive_output
'''


def test_a_broken_widget_callback_fails_the_suite(lab):
    """The checker is not blind: the first notebook that uses interactive_output, with its callbacks
    broken after their first call, is reported as failing."""
    source = next(p for p in SOLUTIONS if any("widget" in c.metadata.get("tags", []) and "interactive_plot" in c.source
                                              for c in nbformat.read(p, as_version=4).cells))
    nb = nbformat.read(source, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if "widget" in c.metadata.get("tags", []))
    nb.cells[first].source = BROKEN_CALLBACK + nb.cells[first].source
    nb.cells = nb.cells[:first + 1]  # the rest is not needed to show it
    path = f"planted/{source.stem}-broken-widget.ipynb"
    (lab.course / "planted").mkdir(exist_ok=True)
    nbformat.write(nb, lab.course / path)
    with pytest.raises(AssertionError, match="planted: a broken widget callback"):
        check_notebook(lab, path)


def test_class_report_of_the_demo_class(lab, tmp_path_factory):
    """The TA's class report of the demo class opens from disk and shows the CSV's numbers."""
    from autograder import sandbox
    if sandbox.unavailable() is not None:
        pytest.skip(str(sandbox.unavailable()))
    from demo_class import graded_demo
    folder = graded_demo(tmp_path_factory) / "class_report" / "01_perceptron"
    page = lab.browser.new_page()
    page.goto((folder / "report.html").as_uri())

    def table(table_id):
        return page.eval_on_selector_all(
            f"#{table_id} tbody tr",
            "rows => rows.map(r => Object.fromEntries([...r.querySelectorAll('td[data-col]')]"
            ".map(td => [td.dataset.col, td.textContent])))")

    shown = {r["mistake"]: (int(r["count"]), r["students"]) for r in table("mistakes")}
    assert shown == {r["mistake"]: (int(r["count"]), r["students"]) for r in read_csv(folder / "mistakes.csv")}
    assert shown["sign-flipped"][0] == 2
    shown = {r["check"]: (int(r["passed"]), int(r["graded"])) for r in table("checks")}
    assert shown == {r["check"]: (int(r["passed"]), int(r["graded"])) for r in read_csv(folder / "checks.csv")}
    submissions = read_csv(folder / "submissions.csv")
    assert len(table("submissions")) == len(submissions)
    card = page.locator('[data-card="submissions"] b').text_content()
    assert int(card) == len(submissions)
    assert {r["student"] for r in table("attention")} == {
        r["student"] for r in submissions if r["status"] != "graded" or r["flags"] or r["problems"]}
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    assert len(widths) == 3 and all(w > 100 for w in widths), widths
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "class-report.png"), full_page=True)
    page.close()
