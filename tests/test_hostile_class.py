"""A hostile class cannot stop, subvert or misattribute grading (issue 15, items 1, 4-6, 8-10).

Two classes are graded through ``grade_class``, each with honest submissions mixed in
(tests/hostile/attacks.py): a folder (nbgrader layout, flat files and one folder per
student) and an LMS zip. Every test asserts the run finished, the honest students kept full
marks, the attacker got no more than its honest work, and the status or summary says what
happened. The scan and rendering limits are checked on the algorithm (what is scanned or
rendered is bounded; no repetition crosses a line), with a generous timeout as a guard only.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from autograder import ids
from autograder import source as src
from autograder.demo import build
from autograder.worker import Options
from autograder.pipeline import grade_class
from common import FAST_TIMEOUTS, ROOT, needs_sandbox, read_csv
from hostile import attacks

pytestmark = [needs_sandbox,
              pytest.mark.xdist_group("hostile-class")]

A = attacks.A
FAST = dict(FAST_TIMEOUTS, feedback_run=False, diagnose=False, html=True)
_lock = threading.Lock()
_runs: dict[str, dict] = {}


def _grade(tmp_path_factory, name: str) -> dict:
    with _lock:
        if name not in _runs:
            tmp = tmp_path_factory.mktemp(name)
            if name == "folder":
                source = tmp / "class"
                expected = attacks.folder_class(source)
            else:
                source = tmp / "class.zip"
                expected = attacks.zip_class(source)
            out = tmp / "out"
            printed = io.StringIO()
            real = sys.stdout
            sys.stdout = printed
            try:
                run = grade_class(source, out, workers=2, options=Options(**FAST), progress=False)
            finally:
                sys.stdout = real
            rows = read_csv(out / "grade_sheet.csv")
            _runs[name] = {"out": out, "run": run, "expected": expected, "printed": printed.getvalue(),
                           "rows": rows, "sheet": {r["student"]: r for r in rows if r["student"]},
                           "results": {r.student: r for r in run.results}}
        return _runs[name]


@pytest.fixture(scope="session")
def folder(tmp_path_factory):
    return _grade(tmp_path_factory, "folder")


@pytest.fixture(scope="session")
def zipped(tmp_path_factory):
    return _grade(tmp_path_factory, "zip")


def _unquote(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:2] in ("=", "+", "-", "@", "\t", "\r") else value


def _scores(row: dict) -> dict:
    return {c: float(row[c]) for c in attacks.CELLS}


def assert_scores(run: dict, student: str, status: str = "graded"):
    """``student``: the raw name (a folder's, a file's), graded under its safe id."""
    safe = ids.student_id(student)[0]
    row = next((r for r in run["rows"] if _unquote(r["student"]) == safe), None)
    assert row is not None, (student, safe, sorted(run["sheet"]))
    assert row["status"] == status, (student, row["status"], row["notes"])
    assert _scores(row) == run["expected"][student], (student, row["notes"])


def _unmapped(run: dict) -> dict[str, str]:
    return {_unquote(r["file"]): r["notes"] for r in run["rows"] if r["status"] == "unmapped"}


# --- 4. one bad file in a zip is one unmapped file ------------------------------------------

def test_zip_with_a_name_too_long_and_a_bomb_grades_everyone_else(zipped):
    for student in ("amy", "ben", "zed"):
        assert_scores(zipped, student)
    notes = _unmapped(zipped)
    long_name = next(p for p in notes if p.endswith(attacks.LONG_NAME))
    assert "too long" in notes[long_name].lower(), notes
    bomb = zipped["sheet"]["bomb"]
    assert bomb["status"] == "too-large" and "50 MB" in bomb["notes"], bomb
    # the oversized member was never written: not extracted, not copied into submitted/
    out = zipped["out"]
    big = [p for p in out.rglob("*") if p.is_file() and p.stat().st_size > 40 << 20]
    assert big == [], big
    assert not (out / "submitted" / "bomb").exists()
    assert "too-large" in zipped["run"].summary and "bomb" in zipped["run"].summary


# --- 5. symbolic links are not submissions ----------------------------------------------------

def test_symbolic_links_are_unmapped_and_never_read_or_copied(folder):
    notes = _unmapped(folder)
    for link in (f"sym1/{A}/{A}.ipynb", f"sym2_{A}.ipynb", f"sym3_{A}.ipynb", "sym4", "sym5"):
        assert "symbolic link" in notes.get(link, ""), (link, notes)
    # sym1/01_perceptron/ is a real folder holding only the link: a missing notebook, nothing graded
    linked = {s: r for s, r in folder["results"].items() if s.startswith("sym")}
    assert list(linked) == ["sym1"] and linked["sym1"].status == "missing-notebook", linked
    assert not linked["sym1"].cells
    out = folder["out"]
    for sub in ("submitted", "autograded", "feedback", "results"):
        assert not [p for p in (out / sub).rglob("*") if p.name.startswith("sym") and sub != "results"], sub
    for p in (out / "submitted").rglob("*"):
        assert not p.is_symlink() and b"BEGIN SOLUTION" not in (p.read_bytes() if p.is_file() else b""), p
    # the target of sym2 (a classmate) is graded once, as its owner
    assert_scores(folder, "bob")
    assert_scores(folder, "alice")


# --- 6. identity from the folder, collisions kept and flagged, unsafe ids refused -----------

def test_identity_comes_from_the_folder_and_a_file_named_after_a_classmate_changes_nothing(folder):
    for student in ("carol", "dave", "mallory"):
        assert_scores(folder, student)
    assert "final" not in folder["sheet"]
    assert "carol" in folder["sheet"]["mallory"]["notes"]          # the misleading name is noted


def test_an_id_claimed_twice_keeps_both_and_flags_them(folder):
    assert "erin" not in folder["sheet"]
    for student in ("erin~1", "erin~2"):
        assert_scores(folder, student)
        row = folder["sheet"][student]
        assert "id-collision" in row["flags"] and "identity collision" in row["notes"], row
    assert "id-collision" in folder["run"].summary


def test_ids_that_are_not_safe_are_mapped_to_safe_ids_and_the_raw_name_kept(folder):
    for bad in ("...", "L" * 150, "red\x1b[31m", attacks.XSS_ID, *attacks.FORMULA_IDS):
        safe = ids.student_id(bad)[0]
        assert ids.is_safe(safe) and safe != bad, (bad, safe)
        assert_scores(folder, bad)
        assert "submitted as" in folder["sheet"][safe]["notes"], folder["sheet"][safe]
    assert all(ids.is_safe(r.student) for r in folder["run"].results)
    out = folder["out"].resolve()
    for p in out.rglob("*"):
        assert out in p.resolve().parents or p.resolve() == out, p
    assert not [p for p in out.iterdir() if p.name.startswith("...")]


def test_every_output_path_is_checked_to_stay_inside_its_folder(tmp_path):
    from autograder.outdir import inside
    for bad in ("..", ".", "a/b", "", "a\\b", "a\0b"):
        with pytest.raises(ValueError):
            inside(tmp_path, bad, "x.json")
    (tmp_path / "link").symlink_to("/etc")
    with pytest.raises(ValueError):
        inside(tmp_path, "link", "passwd")
    assert inside(tmp_path, "alice", "x.json") == tmp_path / "alice" / "x.json"


# --- 8. cell ids that break nbformat's schema -------------------------------------------------

def test_cell_ids_that_break_the_schema_are_replaced_and_the_notebook_graded(folder):
    assert_scores(folder, "frank")
    auto = folder["out"] / "autograded" / "frank" / A / f"{A}.ipynb"
    nb = nbformat.read(auto, as_version=4)
    nbformat.validate(nb)
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids))


# --- 9. feedback and autograded notebooks are sanitized ----------------------------------------

def _xss_pages(folder) -> dict[str, Path]:
    out = folder["out"]
    return {"feedback-xena": out / "feedback" / "xena" / A / f"{A}.html",
            "feedback-heading": out / "feedback" / ids.student_id(attacks.XSS_ID)[0] / A / f"{A}.html"}


class _Live(HTMLParser):
    """What in a page could run: script elements, event handlers, javascript: URLs, frames."""

    def __init__(self):
        super().__init__()
        self.live = []
        self._tag = None

    def handle_starttag(self, tag, attrs):
        self._tag = tag
        for name, value in attrs:
            v = "".join((value or "").split()).lower()
            if name.startswith("on") or v.startswith(("javascript:", "vbscript:", "data:text")) or name == "srcdoc":
                self.live.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "frame", "base", "form", "meta", "link", "style"):
            if not (tag in ("meta", "link", "style") and self.getpos()[0] < self.body_line):
                self.live.append(f"<{tag}>")

    def handle_data(self, data):
        if self._tag == "script" and "pwned" in data:
            self.live.append(f"<script>{data[:80]}")


def _live_markup(page: str) -> list[str]:
    parser = _Live()
    parser.body_line = page[:page.find("<body")].count("\n") + 1     # the template's own head is trusted
    parser.feed(page)
    return parser.live


def test_markup_from_a_submission_is_inert_in_the_feedback_and_the_autograded_notebook(folder, tmp_path):
    from nbconvert import HTMLExporter
    assert_scores(folder, "xena")
    assert_scores(folder, attacks.XSS_ID)
    pages = {name: path.read_text() for name, path in _xss_pages(folder).items()}
    auto = nbformat.read(folder["out"] / "autograded" / "xena" / A / f"{A}.ipynb", as_version=4)
    pages["autograded (as the formgrader renders it)"] = HTMLExporter(template_name="lab").from_notebook_node(auto)[0]
    for name, page in pages.items():
        assert "window.__pwned" in page or name != "feedback-xena", name  # the attack is in the page, as text
        assert _live_markup(page) == [], name
    heading = pages["feedback-heading"]
    assert ids.student_id(attacks.XSS_ID)[0] in heading                # the safe id the name maps to


def _browser():
    chromium = os.environ.get("NN_COURSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed")
    if not Path(chromium).exists():
        pytest.skip("chromium is not installed")
    return sync_playwright, chromium


PROVOKE = """() => {
  const fired = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of [...el.attributes]) {
      if (attr.name.startsWith('on')) {
        try { el.dispatchEvent(new Event(attr.name.slice(2))); } catch (e) {}
      }
    }
    for (const type of ['mouseover', 'focus', 'toggle', 'error', 'load']) {
      try { el.dispatchEvent(new Event(type)); } catch (e) {}
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    if (a.getAttribute('href').trim().toLowerCase().startsWith('javascript:')) a.click();
  }
  return fired;
}"""


def test_no_script_from_a_submission_runs_in_a_browser(folder, tmp_path):
    """Chromium opens each feedback page, and the autograded notebook rendered the way the
    formgrader does (nbconvert, no sanitizer of its own); every handler is provoked."""
    sync_playwright, chromium = _browser()
    from nbconvert import HTMLExporter
    pages = dict(_xss_pages(folder))
    auto = nbformat.read(folder["out"] / "autograded" / "xena" / A / f"{A}.ipynb", as_version=4)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(auto)
    pages["autograded-xena"] = tmp_path / "autograded.html"
    pages["autograded-xena"].write_text(body)
    fired = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            for name, page_path in pages.items():
                page = browser.new_page()
                events = []
                page.on("dialog", lambda d, events=events: (events.append(f"dialog {d.message}"), d.dismiss()))
                page.on("console", lambda m, events=events: events.append(f"console {m.text}")
                        if "pwned" in m.text else None)
                page.add_init_script("window.alert = window.confirm = window.prompt = "
                                     "(m) => { window.__pwned = (window.__pwned || []).concat('dialog'); };")
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                           else route.abort())
                page.goto(page_path.as_uri(), wait_until="load")
                assert page.locator("h1").count() > 0 or "autograded" in name     # the page rendered
                page.evaluate(PROVOKE)
                page.wait_for_timeout(300)
                pwned = page.evaluate("() => window.__pwned || null")
                frames = [f.evaluate("() => window.__pwned || null") for f in page.frames[1:]
                          if not f.is_detached()]
                fired[name] = {"pwned": pwned, "frames": [x for x in frames if x], "events": events}
                page.close()
        finally:
            browser.close()
    assert all(not v["pwned"] and not v["frames"] and not v["events"] for v in fired.values()), fired


def test_honest_markup_still_renders(folder):
    """Sanitizing keeps the course's prose: paragraphs, headings, tables, images, code."""
    from autograder import sanitize
    assert_scores(folder, "alice")
    html = (folder["out"] / "feedback" / "alice" / A / f"{A}.html").read_text()
    for tag in ("<p>", "<h1", "<h2", "<code>", "<table>", "<strong>", "<em>"):
        assert tag in html, tag
    assert "&lt;p&gt;" not in html and "&lt;h" not in html
    auto = nbformat.read(folder["out"] / "autograded" / "alice" / A / f"{A}.ipynb", as_version=4)
    written = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in auto.cells}
    assert written["q_xor"] == build.reference_answers(A)["q_xor"]      # an honest answer stays as written
    prose = [c.source for c in auto.cells if c.cell_type == "markdown" and not c.metadata.get("nbgrader")]
    course = [c.source for c in build.student_notebook(A).cells if c.cell_type == "markdown"
              and not c.metadata.get("nbgrader")]
    assert len(prose) == len(course)
    for mine, theirs in zip(prose, course):
        if "](https://" in theirs and "![" in theirs:     # a remote image (the Colab badge): an inert link now
            assert "<img" not in mine and '<a href="https://colab.research.google.com/assets/' in mine, mine[:300]
        else:
            assert mine == theirs
    png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        f"<details><summary>Hint</summary>Use <code>np.dot</code>.</details>\n\n<img src=\"{png}\" alt=\"dot\">"
        "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[the docs](https://numpy.org) and $a < b$")])
    page = sanitize.render_html(nb)
    for kept in ("<details>", "<summary>Hint</summary>", f'src="{png}"', "<table>", 'href="https://numpy.org"',
                 "$a &lt; b$"):
        assert kept in page, kept


# --- 10. CSV and terminal --------------------------------------------------------------------

def _csv_cells(path: Path) -> list[str]:
    with open(path, newline="") as f:
        return [cell for row in csv.reader(f) for cell in row]


def test_csv_cells_never_start_like_a_formula(folder):
    out = folder["out"]
    sheets = [out / "grade_sheet.csv", *sorted((out / "class_report").rglob("*.csv"))]
    for sheet in sheets:
        for cell in _csv_cells(sheet):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (sheet.name, cell)
    students = {r["student"] for r in read_csv(out / "grade_sheet.csv")}
    for name in attacks.FORMULA_IDS:
        assert "'" + name not in students and ids.student_id(name)[0] in students, (name, students)
        assert_scores(folder, name)
    files = _csv_cells(out / "grade_sheet.csv")
    assert "'=HYPERLINK(\"evil.example\").txt" in files


def test_printed_names_carry_no_control_characters(folder):
    printed = folder["printed"] + folder["run"].summary
    assert "\x1b" not in printed and "\x9b" not in printed
    assert "owned" in folder["run"].summary                      # the file is still listed


# --- 1 (part). the scan and the rendering are bounded --------------------------------------------

def _body_can_match_newline(node) -> bool:
    """Can this parsed regular-expression item match a newline? (conservative)"""
    try:
        from re import _constants as c, _parser as parser     # Python 3.11+
    except ImportError:                                        # 3.10
        import sre_constants as c
        import sre_parse as parser  # noqa: F401
    op, av = node
    if op is c.LITERAL:
        return av == 10
    if op is c.NOT_LITERAL:
        return av != 10
    if op is c.ANY:
        return False                    # no DOTALL in the flags' patterns
    if op is c.IN:
        negate = any(o is c.NEGATE for o, _ in av)
        hit = False
        for o, a in av:
            if o is c.LITERAL and a == 10 or o is c.RANGE and a[0] <= 10 <= a[1]:
                hit = True
            if o is c.CATEGORY and a in (c.CATEGORY_SPACE, c.CATEGORY_NOT_DIGIT, c.CATEGORY_NOT_WORD,
                                         c.CATEGORY_LINEBREAK):
                hit = True
        return hit != negate
    if op is c.CATEGORY:
        return av in (c.CATEGORY_SPACE, c.CATEGORY_NOT_DIGIT, c.CATEGORY_NOT_WORD, c.CATEGORY_LINEBREAK)
    if op is c.SUBPATTERN:
        return any(_body_can_match_newline(n) for n in av[-1])
    if op is c.BRANCH:
        return any(_body_can_match_newline(n) for alt in av[1] for n in alt)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        return any(_body_can_match_newline(n) for n in av[2])
    return False


def _unbounded_repeats(nodes):
    try:
        from re import _constants as c
    except ImportError:
        import sre_constants as c
    for op, av in nodes:
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            if av[1] == c.MAXREPEAT:
                yield list(av[2])
            yield from _unbounded_repeats(av[2])
        elif op is c.SUBPATTERN:
            yield from _unbounded_repeats(av[-1])
        elif op is c.BRANCH:
            for alt in av[1]:
                yield from _unbounded_repeats(alt)


def test_no_repetition_in_the_suspicious_code_scan_crosses_a_line():
    """With ``re.M``, ``^\\s*`` starts at every blank line and runs to the next non-blank
    one: quadratic in the number of blank lines. No unbounded repetition may match a newline."""
    try:
        from re import _parser as parser
    except ImportError:
        import sre_parse as parser
    from autograder import flags
    crossing = {name: pattern for name, pattern in flags.PATTERNS.items()
                if any(_body_can_match_newline(n) for body in _unbounded_repeats(parser.parse(pattern))
                       for n in body)}
    assert crossing == {}, crossing


SCAN_GUARD = """
import sys, time
from autograder import flags
from autograder.demo import build
answer = build.reference_answers("01_perceptron")["net_input"]
padded = answer + "\\n" * 300_000 + " \\n" * 100_000 + "    " * 50_000
tamper = padded + "\\nimport ctypes\\n"
print(flags.scan(answer), flags.scan(padded), "ctypes" in flags.scan(tamper))
"""


def test_a_correct_answer_padded_with_blank_lines_is_scanned_and_not_flagged():
    res = subprocess.run([sys.executable, "-c", SCAN_GUARD], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)                      # a guard: the linear scan takes about a second
    assert res.returncode == 0, res.stderr[-2000:]
    assert res.stdout.split() == ["[]", "[]", "True"], res.stdout


def test_the_markup_rendered_is_bounded_per_cell_and_per_notebook():
    from autograder import sanitize
    nb = build.filled(A, {"q_xor": "[a " * 300_000})
    for _ in range(30):
        nb.cells.append(nbformat.v4.new_markdown_cell("x" * 9_000))
    bounded = sanitize.bound_markup(nb, set(), preview=True)
    student_md = [c.source for c in bounded.cells if c.cell_type == "markdown"]
    limit = sanitize.MAX_MARKDOWN_CHARS
    assert all(len(s) <= limit for s in student_md)
    rendered_in_full = sum(len(s) for s in student_md if len(s) > sanitize.PREVIEW_CHARS + 500)
    assert rendered_in_full <= sanitize.MAX_MARKDOWN_TOTAL
    q = next(c.source for c in bounded.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "q_xor")
    assert "more than the grader renders" in q


RENDER_GUARD = """
import json, sys
from dataclasses import asdict
from autograder import source as src
from autograder.worker import Options, grade_submission
r = grade_submission({"student": "pad", "assignment": src.load("01_perceptron"), "path": sys.argv[1],
                      "options": asdict(Options(diagnose=False, call_timeout=5, test_timeout=40, exec_timeout=8))})
print(json.dumps({"status": r.status, "flags": r.flags, "score": r.score, "html": len(r.html or ""),
                  "detail": r.detail}))
"""


def test_a_padded_submission_with_a_huge_written_answer_is_graded_in_full(tmp_path):
    """A correct answer padded with 300,000 blank lines and a written answer of 900,000
    characters (300,000 ``[``: nbconvert's ``strip_files_prefix`` is quadratic in them)."""
    answers = build.reference_answers(A)
    nb = build.filled(A, {"net_input": answers["net_input"] + "\n" * 300_000, "q_xor": "[a " * 300_000})
    path = attacks.write_nb(nb, tmp_path / f"pad_{A}.ipynb")
    res = subprocess.run([sys.executable, "-c", RENDER_GUARD, str(path)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)       # a guard: about 20 s when bounded
    assert res.returncode == 0, res.stderr[-2000:]
    r = json.loads(res.stdout.strip().splitlines()[-1])
    full = sum(src.load(A).test_points.values())
    assert r["status"] == "graded" and r["score"] == full and r["flags"] == [] and r["html"] > 0, r


# --- issue 24, item 11: ids are safe in nbgrader's own formgrader pages ------------------------

def _formgrader(out: Path, tmp: Path):
    """nbgrader's formgrader (a Jupyter server on the output folder, as the README runs it);
    returns (process, base URL, token)."""
    import secrets
    import socket
    import time
    import urllib.request
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_"))}
    env.update(JUPYTER_CONFIG_DIR=str(tmp / "config"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_DATA_DIR=str(tmp / "data"))
    log = open(tmp / "server.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "jupyter", "server", "--no-browser", "--allow-root",
                               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={out}"],
                              cwd=out, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError((tmp / "server.log").read_text()[-3000:])
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                return server, base, token
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("the Jupyter server did not start")


def test_no_script_runs_in_the_formgraders_student_pages(folder, tmp_path):
    """Chromium opens the formgrader's pages of every student (the list, each student's
    assignments and notebooks, the gradebook, each autograded submission); every handler is
    provoked; nothing a submission or a folder name planted runs."""
    sync_playwright, chromium = _browser()
    from nbgrader.api import Gradebook
    out = folder["out"]
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        students = [s.id for s in gb.students]
        subs = [nb.id for s in students for nb in gb.find_submission(A, s).notebooks]
    assert all(ids.is_safe(s) for s in students), students
    paths = (["/formgrader/manage_students", f"/formgrader/manage_submissions/{A}", f"/formgrader/gradebook/{A}/{A}"]
             + [f"/formgrader/manage_students/{s}" for s in students]
             + [f"/formgrader/manage_students/{s}/{A}" for s in students]
             + [f"/formgrader/submissions/{i}" for i in subs])
    server, base, token = _formgrader(out, tmp_path)
    fired = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            try:
                context = browser.new_context()
                context.add_init_script("window.alert = window.confirm = window.prompt = "
                                        "(m) => { window.__pwned = (window.__pwned || []).concat('dialog'); };")
                context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                              else route.abort())
                page = context.new_page()
                page.goto(f"{base}/formgrader?token={token}", wait_until="load")
                for path in paths:
                    page.goto(base + path, wait_until="networkidle")
                    assert "403" not in page.title() and "404" not in page.title(), (path, page.title())
                    page.evaluate(PROVOKE)
                    page.wait_for_timeout(100)
                    pwned = page.evaluate("() => window.__pwned || null")
                    if pwned:
                        fired[path] = pwned
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert fired == {}, fired
    assert len(students) >= 15 and len(paths) > 40, students


# --- issue 24: one submission's data costs one row; rendering failures; remote content ---------

def test_text_ids_and_names_that_are_not_valid_utf8_cost_no_row(folder):
    for student in ("sur", attacks.EMOJI_ID, attacks.LATIN1_STUDENT, "alice"):
        assert_scores(folder, student)
    assert "notes\xff.txt" in folder["sheet"]["alice"]["notes"]
    assert "U+FFFD" in folder["sheet"]["sur"]["notes"]
    assert len(folder["rows"]) == len({(r["student"], r["file"]) for r in folder["rows"]})


def test_a_page_that_cannot_be_rendered_in_full_is_recorded_once_without_remote_content(folder):
    assert_scores(folder, "rita")
    page = (folder["out"] / "feedback" / "rita" / A / f"{A}.html").read_text()
    assert "does not have" in page and f'<a href="{attacks.REMOTE_IMAGE}"' in page
    assert f'src="{attacks.REMOTE_IMAGE}"' not in page
    auto = (folder["out"] / "autograded" / "rita" / A / f"{A}.ipynb").read_text()
    assert f"![seen]({attacks.REMOTE_IMAGE})" not in auto and "attachment:sketch.png" not in auto
    assert not folder["results"]["rita"].flags and not folder["results"]["alice"].flags   # item 15
