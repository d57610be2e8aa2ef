"""The TA pipeline end to end on small classes built from notebook 01.

Every bad input and every tampering vector is one submission; each test asserts the
score (per test cell, from the CSV, and from nbgrader's gradebook) and the status.
Notebook 01's points: net_input 1, heaviside 1, perceptron_predict 1, perceptron_update 2,
train_perceptron 3, perceptron_layer_update 2, train_perceptron_layer 2, predict_class 1
(total 13). The reference perceptron_predict calls net_input, so a wrong net_input costs
test_net_input and test_perceptron_predict (11 of 13 remain).
"""
from __future__ import annotations

import threading
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.demo import build
from autograder.worker import Options
from autograder.pipeline import grade_class
from common import FAST_TIMEOUTS, needs_sandbox, read_csv
import fixtures_01

pytestmark = needs_sandbox
FULL_CLASS = pytest.mark.xdist_group("grading-full")     # each class is graded once, on one worker
JUDGE_CLASS = pytest.mark.xdist_group("grading-judge")

A = "01_perceptron"
CELLS = ["test_net_input", "test_heaviside", "test_perceptron_predict", "test_perceptron_update",
         "test_train_perceptron", "test_perceptron_layer_update", "test_train_perceptron_layer",
         "test_predict_class"]
FULL = dict(zip(CELLS, [1, 1, 1, 2, 3, 2, 2, 1]))
WRONG_NET_INPUT = {**FULL, "test_net_input": 0, "test_perceptron_predict": 0}
FAST = dict(FAST_TIMEOUTS, feedback_run=True)

_lock = threading.Lock()
_classes: dict[str, dict] = {}


def _sheet(out: Path) -> dict[str, dict]:
    return {r["student"] or r["file"]: r for r in read_csv(out / "grade_sheet.csv")}


def _gradebook(out: Path) -> dict[str, dict]:
    from nbgrader.api import Gradebook
    scores = {}
    with Gradebook(f"sqlite:///{out / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(A):
            nb = gb.find_submission_notebook(A, A, sub.student.id)
            scores[sub.student.id] = {g.name: g.auto_score for g in nb.grades}
    return scores


def _nbgrader_tree(root: Path, student: str, nb, name: str = f"{A}.ipynb") -> Path:
    return build.write(nb, root / student / A / name)


def _build_full(root: Path) -> None:
    """Cases that need the feedback run (the student's notebook executed in the sandbox)."""
    _nbgrader_tree(root, "alice", build.filled(A))
    v3 = nbformat.convert(build.filled(A), 3)
    (root / "victor" / A).mkdir(parents=True)
    (root / "victor" / A / f"{A}.ipynb").write_text(nbformat.writes(v3, version=3))
    _nbgrader_tree(root, "nick", build.filled(A), "Untitled-Copy1.ipynb")         # misnamed notebook
    _nbgrader_tree(root, "olga", build.filled(A))
    (root / "olga" / A / "scratch.py").write_text("print('extra')")                # extra files
    (root / "olga" / A / "data.csv").write_text("1,2\n")
    (root / "mia" / A).mkdir(parents=True)                                         # missing notebook
    (root / "mia" / A / "README.txt").write_text("forgot it")
    huge = build.filled(A)                                                         # huge stored outputs
    huge.cells[fixtures_01.find(huge, "net_input")].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="y" * (6 << 20))]
    _nbgrader_tree(root, "hugo", huge)
    loud = build.filled(A)                                                         # huge printed outputs
    loud.cells.append(nbformat.v4.new_code_cell("for _ in range(100000):\n    print('x' * 100)"))
    _nbgrader_tree(root, "pete", loud)
    spy = build.filled(A, {"net_input": fixtures_01.TAMPER_01["print-hidden-tests"]})  # printing hidden tests
    spy.cells.append(nbformat.v4.new_code_cell(
        "import glob\nfor p in glob.glob('/**/*.ipynb', recursive=True):\n    print(p, open(p).read())"))
    _nbgrader_tree(root, "ivan", spy)
    _nbgrader_tree(root, "oscar", fixtures_01.broken_01("os-exit-at-definition"))  # kernel exits
    _nbgrader_tree(root, "tina", build.filled(A, {"net_input": fixtures_01.TAMPER_01["input-transformer"]}))
    flat = root                                                                    # flat files next to the tree
    (flat / f"ivy_{A}.ipynb").write_text("")                                       # empty file
    (flat / f"jack_{A}.ipynb").write_text('{"cells": [')                           # invalid JSON
    build.write(build.filled("04_chain_rule") if (build.ROOT / "notebooks" / "04_chain_rule").exists()
                else build.filled(A), flat / f"walt_{A}.ipynb")                    # wrong assignment
    (flat / "untitled.ipynb").write_text("{}")                                     # unmappable


def _build_judge_only(zip_path: Path, tmp: Path) -> None:
    """Tampering, crashes and answers written differently, shipped as an LMS zip."""
    files = {
        f"grace_{A}.ipynb": build.filled(A, fixtures_01.ALT_01),
        f"{A}_carol.ipynb": build.student_notebook(A),
        f"smith_1234_5678_{A}.ipynb": build.filled(A),
        f"edit_{A}.ipynb": _edit_tests(),
        f"delete_{A}.ipynb": _delete_tests(),
        f"reorder_{A}.ipynb": _reorder_tests(),
        f"nometa_{A}.ipynb": _no_metadata(),
    }
    for kind, code in fixtures_01.TAMPER_01.items():
        if kind not in ("print-hidden-tests", "input-transformer"):
            files[f"{kind}_{A}.ipynb"] = build.filled(A, {"net_input": code})
    for kind in fixtures_01.BROKEN_01:
        if kind != "os-exit-at-definition":
            files[f"{kind}_{A}.ipynb"] = fixtures_01.broken_01(kind)
    with zipfile.ZipFile(zip_path, "w") as z:
        for name, nb in files.items():
            z.writestr(f"export/{name}", nbformat.writes(nb))
        z.writestr("../escape.ipynb", "{}")                                        # path traversal


def _wrong():
    return build.filled(A, {"net_input": fixtures_01.WRONG_NET_INPUT})


def _edit_tests():
    nb = _wrong()
    nb.cells[fixtures_01.find(nb, "test_net_input")].source = "pass"
    nb.cells[fixtures_01.find(nb, "test_perceptron_predict")].source = "print('all good')"
    return nb


def _delete_tests():
    nb = _wrong()
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_")]
    return nb


def _reorder_tests():
    nb = _wrong()
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_")]
    nb.cells = tests + [c for c in nb.cells if c not in tests]
    return nb


def _no_metadata():
    nb = build.filled(A)
    for c in nb.cells:
        c.metadata.pop("nbgrader", None)
    return nb


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    def get(name: str) -> dict:
        with _lock:
            if name not in _classes:
                tmp = tmp_path_factory.mktemp(name)
                if name == "full":
                    _build_full(tmp / "submitted")
                    source, opts = tmp / "submitted", Options(**FAST)
                else:
                    source = tmp / "class.zip"
                    _build_judge_only(source, tmp)
                    opts = Options(**{**FAST, "feedback_run": False}, html=False)
                out = tmp / "out"
                run = grade_class(source, out, workers=2, options=opts, progress=False, quiet=True)
                _classes[name] = {"out": out, "run": run, "source": source, "opts": opts,
                                  "sheet": _sheet(out), "gradebook": _gradebook(out),
                                  "results": {r.student: r for r in run.results}}
            return _classes[name]
    return get


def scores(row: dict) -> dict:
    return {c: float(row[c]) for c in CELLS}


def assert_scores(cls: dict, student: str, expected: dict, status: str = "graded"):
    row = cls["sheet"][student]
    assert row["status"] == status, (student, row["status"], row["notes"])
    assert scores(row) == expected, (student, row["notes"], cls["results"][student].cells)
    assert float(row["total"]) == sum(expected.values()) and float(row["max"]) == sum(FULL.values())
    assert cls["gradebook"][student] | {} == {**{g: v for g, v in expected.items()}, "q_xor": None}


# --- bad inputs -----------------------------------------------------------------------

@FULL_CLASS
def test_correct_submission_full_marks_in_sheet_and_gradebook(graded):
    assert_scores(graded("full"), "alice", FULL)


def assert_graded_with(cls: dict, student: str, expected: dict, note: str = "", flag: str = "",
                       cell_status: tuple[str, str] | None = None) -> None:
    """``student`` scored ``expected``, with ``note`` in the sheet's notes, ``flag`` in its
    flags and ``cell_status`` = (check, status) in the result."""
    assert_scores(cls, student, expected)
    row = cls["sheet"][student]
    assert note in row["notes"] and flag in row["flags"], (student, row["notes"], row["flags"])
    if cell_status:
        cells = {c.grade_id: c.status for c in cls["results"][student].cells}
        assert cells[cell_status[0]] == cell_status[1], (student, cells)


@FULL_CLASS
def test_older_nbformat_is_converted_and_graded(graded):
    assert_graded_with(graded("full"), "victor", FULL, note="converted from nbformat 3")


@FULL_CLASS
def test_misnamed_notebook_is_graded_with_a_note(graded):
    assert_graded_with(graded("full"), "nick", FULL, note="Untitled-Copy1.ipynb")


@FULL_CLASS
def test_extra_files_are_ignored_and_reported(graded):
    assert_graded_with(graded("full"), "olga", FULL, note="extra files ignored: data.csv, scratch.py")


@FULL_CLASS
def test_missing_notebook_has_a_status(graded):
    row = graded("full")["sheet"]["mia"]
    assert row["status"] == "missing-notebook" and float(row["total"]) == 0


@FULL_CLASS
@pytest.mark.parametrize("student,status", [("ivy", "empty"), ("jack", "invalid-json"),
                                            ("walt", "wrong-assignment")])
def test_unreadable_or_wrong_notebooks_have_a_status(graded, student, status):
    row = graded("full")["sheet"][student]
    assert row["status"] == status and float(row["total"]) == 0
    assert all(row[c] == "" for c in CELLS)


@FULL_CLASS
def test_unmappable_file_is_reported(graded):
    row = graded("full")["sheet"]["untitled.ipynb"]
    assert row["status"] == "unmapped" and "no assignment id" in row["notes"]


@FULL_CLASS
def test_huge_stored_outputs_are_dropped(graded):
    cls = graded("full")
    assert_scores(cls, "hugo", FULL)
    html = (cls["out"] / "feedback" / "hugo" / A / f"{A}.html").read_text()
    assert "y" * 10000 not in html


@FULL_CLASS
def test_huge_printed_outputs_are_truncated(graded):
    cls = graded("full")
    assert_scores(cls, "pete", FULL)
    html = (cls["out"] / "feedback" / "pete" / A / f"{A}.html").read_text()
    assert "output truncated by the grader" in html and len(html) < 5_000_000


@FULL_CLASS
def test_kernel_exit_while_defining_an_answer(graded):
    assert_graded_with(graded("full"), "oscar", {**FULL, "test_heaviside": 0},
                       note="heaviside: stopped the interpreter", flag="exit/kill")


@JUDGE_CLASS
def test_endless_loop(graded):
    assert_graded_with(graded("judge"), "endless-loop", WRONG_NET_INPUT, cell_status=("test_net_input", "timeout"))


@JUDGE_CLASS
def test_cell_that_sleeps_forever(graded):
    assert_graded_with(graded("judge"), "sleep-forever", {**FULL, "test_train_perceptron": 0},
                       note="did not finish in time")


@JUDGE_CLASS
def test_segfault(graded):
    assert_graded_with(graded("judge"), "segfault", {**FULL, "test_perceptron_predict": 0}, flag="ctypes",
                       cell_status=("test_perceptron_predict", "crashed"))


@JUDGE_CLASS
def test_memory_bomb(graded):
    assert_scores(graded("judge"), "memory-bomb", WRONG_NET_INPUT)


@JUDGE_CLASS
def test_fork_bomb(graded):
    assert_graded_with(graded("judge"), "fork-bomb", WRONG_NET_INPUT, flag="subprocess")


@JUDGE_CLASS
def test_zip_with_path_traversal_is_not_extracted_outside(graded):
    cls = graded("judge")
    assert not (cls["source"].parent / "escape.ipynb").exists()
    assert not (cls["out"] / "incoming" / "escape.ipynb").exists()
    assert any("unsafe path" in u.reason for u in cls["run"].unmapped)


@JUDGE_CLASS
def test_lms_file_names_map_to_students(graded):
    sheet = graded("judge")["sheet"]
    assert_scores(graded("judge"), "smith_1234_5678", FULL)
    assert "carol" in sheet and "grace" in sheet


# --- tampering: each is a wrong net_input plus a trick; the trick must not help ------

@JUDGE_CLASS
def test_blank_notebook_scores_zero(graded):
    assert_scores(graded("judge"), "carol", dict.fromkeys(CELLS, 0))


@JUDGE_CLASS
@pytest.mark.parametrize("student", ["edit", "delete", "reorder"])
def test_editing_deleting_or_reordering_test_cells_changes_nothing(graded, student):
    assert_scores(graded("judge"), student, WRONG_NET_INPUT)


@JUDGE_CLASS
@pytest.mark.parametrize("student,flag", [
    ("monkeypatch-numpy", "monkeypatch"), ("monkeypatch-checks", "monkeypatch"),
    ("monkeypatch-builtins", "builtins"), ("always-equal", "always-equal"),
    ("event-hook", "ipython-hooks"), ("exit-kernel", "exit/kill"), ("kill-kernel", "exit/kill"),
    ("read-solutions", "file-access")])
def test_tampering_does_not_raise_the_score_and_is_flagged(graded, student, flag):
    cls = graded("judge")
    assert_scores(cls, student, WRONG_NET_INPUT)
    assert flag in cls["sheet"][student]["flags"].split()


@FULL_CLASS
def test_input_transformer_does_not_raise_the_score(graded):
    cls = graded("full")
    assert_scores(cls, "tina", WRONG_NET_INPUT)
    assert "ipython-hooks" in cls["sheet"]["tina"]["flags"]
    # the feedback still says which checks failed
    html = (cls["out"] / "feedback" / "tina" / A / f"{A}.html").read_text()
    assert "test_net_input</code>: 0 / 1 points" in html


@FULL_CLASS
def test_feedback_never_shows_hidden_tests(graded):
    cls = graded("full")
    hidden = ["BEGIN HIDDEN TESTS", "_ref_train", "default_rng(1101)", "default_rng(1505)",
              "while _cases &lt; 30", "_rng.integers(1, 9)"]
    for html in (cls["out"] / "feedback").rglob("*.html"):
        text = html.read_text()
        for marker in hidden:
            assert marker not in text, (html, marker)
    for nb in (cls["out"] / "autograded").rglob("*.ipynb"):
        assert "BEGIN HIDDEN TESTS" not in nb.read_text()
    assert_scores(cls, "ivan", FULL)            # a correct answer that tried to print them


@FULL_CLASS
def test_feedback_says_which_checks_failed_and_why(graded):
    cls = graded("full")
    html = (cls["out"] / "feedback" / "tina" / A / f"{A}.html").read_text()
    assert "the bias is missing: add b." in html          # the visible check's own message


@JUDGE_CLASS
def test_failure_messages_say_why(graded):
    cls = graded("judge")
    msgs = {c.grade_id: c.message for c in cls["results"]["carol"].cells}
    assert msgs["test_net_input"].startswith("your code raised NotImplementedError")
    assert all(c.message == "" for c in cls["results"]["grace"].cells)


@JUDGE_CLASS
def test_hidden_check_failure_message_has_no_values(graded):
    # hard-coding the visible answers passes the visible part, fails the hidden part
    msgs = {c.grade_id: c for c in graded("judge")["results"]["read-solutions"].cells}
    m = msgs["test_net_input"].message
    assert m.startswith("check failed") or m.startswith("hidden check failed") or "expected" in m


# --- answers written differently --------------------------------------------------------

@JUDGE_CLASS
def test_correct_answer_written_differently_gets_full_marks(graded):
    assert_scores(graded("judge"), "grace", FULL)   # loops, float32, other names, helpers


@JUDGE_CLASS
def test_notebook_without_grading_metadata_is_matched_by_name(graded):
    cls = graded("judge")
    assert_scores(cls, "nometa", FULL)
    assert "matched by function name" in cls["sheet"]["nometa"]["notes"]


# --- re-running --------------------------------------------------------------------------

@JUDGE_CLASS
def test_rerun_is_idempotent_resumes_and_force_regrades(graded):
    cls = graded("judge")
    out, source, opts = cls["out"], cls["source"], cls["opts"]
    before = (out / "grade_sheet.csv").read_text()
    again = grade_class(source, out, workers=2, options=opts, progress=False, quiet=True)
    assert again.graded == 0 and again.skipped == len(cls["results"])
    assert (out / "grade_sheet.csv").read_text() == before
    # an interrupted run: two submissions were never recorded
    for student in ("grace", "carol"):
        (out / "results" / A / f"{student}.json").unlink()
    resumed = grade_class(source, out, workers=2, options=opts, progress=False, quiet=True)
    assert resumed.graded == 2
    assert (out / "grade_sheet.csv").read_text() == before
    assert _gradebook(out) == cls["gradebook"]
