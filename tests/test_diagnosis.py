"""Misconception diagnosis in feedback (autograder/diagnose.py) and the TA's class report.

- Every catalogued mistake (solutions/<a>/mistakes.py), submitted alone with every other
  answer correct, is named on each check that catches it, through the real judge and
  sandbox; another mistake is named with it only when both behave alike on every input
  that check tried, and then the feedback says "one of".
- Correct answers written differently get full marks and no diagnosis; wrong answers that
  are in no catalogue get the generic message, never a guess.
- The demo class: the expected diagnoses; no feedback file shows a hidden input, a hidden
  expected value, a line of a hidden test, of the solution or of a catalogued mistake's code;
  the class report's numbers agree with the graded results.
"""
from __future__ import annotations

import html
import re

import nbformat
import numpy as np
import pytest

from autograder import diagnose, judge, relations
from autograder import source as src
from autograder.feedback import diagnosis_markdown
from autograder.outdir import OutputFolder
from common import ARTIFACTS, JUDGE_LIMITS as LIMITS, needs_sandbox, read_csv
from demo_class import graded_demo
import fixtures_01

pytestmark = needs_sandbox



def _judge(assignment: str, answers: dict[str, str], diagnose_failures: bool = True) -> judge.Judge:
    return judge.Judge(src.load(assignment), answers, LIMITS, call_timeout=30, cell_timeout=180, exec_timeout=30,
                       diagnosis=diagnose.Diagnosis(src.load(assignment)) if diagnose_failures else None)


def _grade(assignment: str, replace: dict[str, str], only=None) -> dict[str, judge.CellResult]:
    answers = dict(src.load(assignment).reference_answers, **replace)
    return {c.grade_id: c for c in _judge(assignment, answers).run(only=only).cells}


def _traces(assignment: str, mistake: diagnose.Mistake) -> dict:
    return diagnose.mistake_traces(src.load(assignment), mistake, lambda answers: _judge(assignment, answers, False))


def _related(assignment: str, mistake: diagnose.Mistake, test_id: str) -> str:
    reference = diagnose.Mistake(mistake.exercise, f"reference-{test_id}",
                                 src.load(assignment).reference_answers[mistake.exercise], "", "", (test_id,))
    found = relations.relation(_traces(assignment, mistake)[test_id], _traces(assignment, reference)[test_id])
    return found.id if found else "-"


# --- every catalogued mistake is recognised --------------------------------------------------

# one xdist group per check: the mistakes a check catches share their traces (cached per process)
CASES = [pytest.param(a, m.id, marks=pytest.mark.xdist_group(f"diagnosis-{a}-{m.loses[0]}"), id=f"{a}-{m.id}")
         for a in src.available() for m in diagnose.catalogue(src.load(a))]


@pytest.mark.parametrize("assignment,mistake_id", CASES)
def test_every_catalogued_mistake_is_named(assignment, mistake_id):
    catalogue = {m.id: m for m in diagnose.catalogue(src.load(assignment))}
    mistake = catalogue[mistake_id]
    cells = _grade(assignment, {mistake.exercise: mistake.code}, only=list(mistake.loses))
    assert set(cells) == set(mistake.loses)
    record = ARTIFACTS / "diagnosis" / assignment / f"{mistake_id}.tsv"   # what each check said, for the record
    record.parent.mkdir(parents=True, exist_ok=True)
    with open(record, "w") as f:     # the last column: what the general layer alone would name
        f.write("".join(f"{mistake_id}\t{gid}\t{' '.join(d.id for d in c.diagnosis)}\t"
                        f"{'likely mistake' in c.message}\t{_related(assignment, mistake, gid)}\n"
                        for gid, c in cells.items()))
    for gid, cell in cells.items():
        assert cell.score is not None and cell.score < cell.points, f"{mistake_id} passed {gid}"
        named = [d.id for d in cell.diagnosis]
        assert mistake_id in named, (f"{gid}: {mistake_id} was not recognised; the feedback named "
                                     f"{named or 'no mistake'} ({cell.advice[:120]})")
        mine = _traces(assignment, mistake)[gid]
        raised = {fp[1] for kind, fp in mine.events if kind == "raise"}
        assert not raised & {"NotImplementedError", "NameError"}, "the judge skips diagnosis for these"
        for other in set(named) - {mistake_id}:
            assert mine.matches(_traces(assignment, catalogue[other])[gid]), \
                f"{gid}: {other} was named too but behaves differently"
        for other in diagnose.candidates(src.load(assignment), gid):
            if other.id not in named:
                assert not mine.matches(_traces(assignment, other)[gid]), f"{gid}: {other.id} matches but was not named"
        text = diagnosis_markdown(cell.diagnosis, cell.advice)
        assert mistake.explanation in text and mistake.section in text
        assert ("one of these known mistakes" in text) == (len(named) > 1)
        assert mistake.code.strip().splitlines()[-1].strip() not in text


# --- correct variants: no diagnosis; unknown mistakes: the generic message ---------------

XOR_OR_AND_NOT = '''def xor_network():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])     # OR and AND
    b1 = np.array([-0.5, -1.5])
    W2 = np.array([[1.0, -1.0]])                # OR and not AND
    b2 = np.array([-1.5])
    return [(W1, b1), (W2, b2)]
'''
STABLE_SIGMOID = '''def sigmoid(z):
    z = np.asarray(z, dtype=np.float32)
    return np.exp(-np.logaddexp(np.float32(0), -z))
'''
RELU_BACKWARD_LOOP = '''def relu_backward(dA, Z):
    grad = np.zeros_like(dA, dtype=np.float32)
    for idx in np.ndindex(Z.shape):
        if Z[idx] > 0:
            grad[idx] = dA[idx]
    return grad
'''


@pytest.mark.xdist_group("diagnosis-01_perceptron")
def test_correct_answers_written_differently_get_no_diagnosis():
    cells = _grade("01_perceptron", fixtures_01.ALT_01)  # loops, float32, other names, helpers
    cells.update(_grade("03_mlp", {"xor_network": XOR_OR_AND_NOT}, only=["test_xor_network"]))
    cells.update(_grade("02_adaline", {"sigmoid": STABLE_SIGMOID}, only=["test_sigmoid"]))
    cells.update(_grade("05_backprop", {"relu_backward": RELU_BACKWARD_LOOP}, only=["test_relu_backward"]))
    assert len(cells) == 11      # notebook 01's eight checks and one each from 03, 02, 05
    for gid, cell in cells.items():
        assert cell.score == cell.points, f"{gid}: {cell.score}/{cell.points} {cell.message}"
        assert cell.diagnosis == [] and cell.advice == "", gid


UNKNOWN = [
    ("01_perceptron", "net_input", "def net_input(X, w, b):\n    return X @ w + b + 0.1\n", "Exercise 1.1"),
    ("01_perceptron", *fixtures_01.UNKNOWN_MISTAKE_01, "Exercise 1.5"),
    ("05_backprop", "dense_backward",
     "def dense_backward(dZ, X, W):\n    return dZ @ W, dZ.T @ X + 0.01, dZ.sum(axis=0)\n", "dense_backward"),
]


@pytest.mark.xdist_group("diagnosis-01_perceptron")
@pytest.mark.parametrize("assignment,exercise,code,where", UNKNOWN, ids=["net_input", "train", "dense_backward"])
def test_a_mistake_in_no_catalogue_gets_the_generic_message(assignment, exercise, code, where):
    test_id = f"test_{exercise}"
    cell = _grade(assignment, {exercise: code}, only=[test_id])[test_id]
    assert cell.score == 0
    assert cell.diagnosis == []
    assert cell.advice.startswith("No known mistake matches") and where in cell.advice
    assert cell.message, "the generic message still says which check failed"


RELATED = [   # in no catalogue, but related to the reference in a way the course explains
    ("01_perceptron", "net_input", "def net_input(X, w, b):\n    return X @ w + 2 * b\n",
     "pattern-off-by-input", "What your function returns differs from the expected value by exactly one of the inputs"),
    ("05_backprop", "dense_backward", "def dense_backward(dZ, X, W):\n    return dZ @ W, 0.5 * dZ.T @ X, dZ.sum(axis=0)\n",
     "pattern-factor-0.5", "The 2nd value your function returns is half the expected value"),
    ("05_backprop", "dense_backward", "def dense_backward(dZ, X, W):\n    return -dZ @ W, dZ.T @ X, dZ.sum(axis=0)\n",
     "pattern-negated", "The 1st value your function returns is the exact negative"),
    ("04_chain_rule", "add_mul_grads", "def add_mul_grads(x, y, z):\n    q = x + y\n    return q * z, z, q, z\n",
     "pattern-wrong-variable", "The 3rd value your function returns is the expected 4th, and the 4th the expected 3rd"),
]


@pytest.mark.xdist_group("diagnosis-01_perceptron")
@pytest.mark.parametrize("assignment,exercise,code,pattern,says", RELATED,
                         ids=["bias-twice", "half", "negated", "wrong-variable"])
def test_a_mistake_in_no_catalogue_is_named_by_its_relation_to_the_reference(assignment, exercise, code, pattern, says):
    test_id = f"test_{exercise}"
    assert all(m.code != code for m in diagnose.catalogue(src.load(assignment)))
    cell = _grade(assignment, {exercise: code}, only=[test_id])[test_id]
    assert cell.score < cell.points
    assert [d.id for d in cell.diagnosis] == [pattern], (cell.diagnosis, cell.advice)
    assert cell.diagnosis[0].explanation.startswith(says)
    assert cell.advice == ""
    page = diagnosis_markdown(cell.diagnosis, cell.advice)
    assert "comparing your output with the expected one" in page and "known mistake" not in page


@pytest.mark.xdist_group("diagnosis-01_perceptron")
def test_a_check_that_fails_because_of_another_exercise_says_so():
    cells = _grade("01_perceptron", {"perceptron_update": fixtures_01.KNOWN_MISTAKES_01["sign-flipped"]},
                   only=["test_perceptron_update", "test_train_perceptron"])
    assert [d.id for d in cells["test_perceptron_update"].diagnosis] == ["sign-flipped"]
    train = cells["test_train_perceptron"]
    assert train.diagnosis == [] and "`perceptron_update`, which failed its own check" in train.advice


# --- the demo class: diagnoses in feedback, nothing leaked, the class report -------------------

A = "01_perceptron"
DEMO_DIAGNOSES = {   # student -> {check: the mistakes named}; see autograder/demo/README.md
    "ivan": {"test_perceptron_update": ["sign-flipped"]},
    "judy": {"test_net_input": ["no-bias"], "test_perceptron_update": ["sign-flipped"]},
    "ken": {"test_heaviside": ["strict-inequality"], "test_train_perceptron": ["cumulative-errors"]},
    "leo": {"test_perceptron_predict": ["np-sign"]},
    "mallory": {"test_heaviside": ["strict-inequality"]},
    "eve": {"test_net_input": ["no-bias"]},       # wrong net_input plus tampering
    "alice": {}, "grace": {}, "carol": {},
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = graded_demo(tmp_path_factory)
    return out, {r.student: r for r in OutputFolder(out).load_results() if r.assignment == A}


def _feedback_text(out, student) -> str:
    page = (out / "feedback" / student / A / f"{A}.html").read_text()
    page = re.sub(r"<style.*?</style>|<script.*?</script>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


@pytest.mark.xdist_group("demo-class")
def test_demo_class_feedback_names_the_mistakes_made(demo):
    out, results = demo
    for student, expected in DEMO_DIAGNOSES.items():
        named = {c.grade_id: [d.id for d in c.diagnosis] for c in results[student].cells if c.diagnosis}
        assert named == expected, student
        text = _feedback_text(out, student)
        for ids in expected.values():
            for m in diagnose.catalogue(src.load(A)):
                if m.id in ids:
                    assert m.explanation.replace("`", "") in text, f"{student}: {m.id} is not explained"
    for c in results["carol"].cells:        # the blank notebook: no comparison, a plain instruction
        assert c.advice.startswith("This exercise is not answered yet"), c.grade_id
    leo_train = next(c for c in results["leo"].cells if c.grade_id == "test_train_perceptron")
    assert leo_train.score == 0 and leo_train.advice.startswith("No known mistake")


def _hidden_values(assignment: str) -> set[str]:
    """Every number the hidden tests send to the student's code or expect back, written with
    six significant digits (numbers that also occur in the student notebook are not hidden)."""
    reference = src.load(assignment).reference_answers
    tests = list(src.load(assignment).test_points)
    traces = _judge(assignment, reference, False).observe_only(tests)
    values = set()

    def walk(fp):
        if isinstance(fp, tuple) and fp and fp[0] == "a":
            values.update(np.asarray(fp[2]).real.ravel().tolist())
        elif isinstance(fp, tuple) and fp and fp[0] == "n":
            values.add(fp[1].real)
        elif isinstance(fp, tuple):
            for x in fp:
                walk(x)
    for t in traces.values():
        for _, fp in t.events:
            walk(fp)
    visible = (src.ROOT / "notebooks" / assignment / f"{assignment}.ipynb").read_text()
    return {f"{v:.6g}" for v in values if np.isfinite(v) and len(f"{abs(v):.6g}".replace(".", "").lstrip("0")) >= 5
            and f"{v:.6g}" not in visible}


def _lines(code: str, min_length: int) -> set[str]:
    return {ln.strip() for ln in code.splitlines() if len(ln.strip()) >= min_length and not ln.strip().startswith("#")}


@pytest.mark.xdist_group("demo-class")
def test_feedback_reveals_no_hidden_input_expected_value_or_code(demo):
    out, results = demo
    hidden_numbers = _hidden_values(A)
    assert len(hidden_numbers) > 100, "the leak check must know the hidden numbers"
    a = src.load(A)
    hidden_lines, solution_lines = set(), set()
    for c in a.cells:
        for block in re.findall(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", c.source, re.S):
            hidden_lines |= _lines(block, 20)
        for block in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", c.source, re.S):
            solution_lines |= _lines(block, 12)
    mistake_lines = set().union(*(_lines(m.code, 20) for m in diagnose.catalogue(src.load(A))))
    checked = 0
    for student, r in results.items():
        path = out / "feedback" / student / A / f"{A}.html"
        if not path.exists():
            continue
        text = _feedback_text(out, student)
        own = nbformat.read(out / "submitted" / student / A / f"{A}.ipynb", as_version=4)
        own_lines = set().union(*(_lines(c.source, 1) for c in own.cells))
        numbers = {f"{float(x):.6g}" for x in re.findall(r"-?\d+\.\d{4,}(?:e[-+]?\d+)?", text)}
        assert not numbers & hidden_numbers, f"{student}: hidden values in the feedback: {sorted(numbers & hidden_numbers)[:5]}"
        for line in hidden_lines - own_lines:
            assert line not in text, f"{student}: a hidden test line is in the feedback: {line!r}"
        for line in (solution_lines | mistake_lines) - own_lines:
            assert line not in text, f"{student}: code the student did not write is in the feedback: {line!r}"
        checked += 1
    assert checked == len(results) - 1     # frank's file is not a notebook: no feedback


@pytest.mark.xdist_group("demo-class")
def test_class_report_numbers_agree_with_the_results(demo):
    out, results = demo
    folder = out / "class_report" / A
    page = (folder / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 3 and "http" not in page.replace("http-equiv", "")

    mistakes = {row["mistake"]: row for row in read_csv(folder / "mistakes.csv")}
    expected = {}
    for r in results.values():
        for c in r.cells:
            for d in c.diagnosis:
                expected.setdefault(d.id, set()).add(r.student)
    assert {m: set(row["students"].split()) for m, row in mistakes.items()} == expected
    assert {m: int(row["count"]) for m, row in mistakes.items()} == {m: len(s) for m, s in expected.items()}
    assert int(mistakes["sign-flipped"]["count"]) == 2 and int(mistakes["strict-inequality"]["count"]) == 2

    graded = [r for r in results.values() if r.cells]
    for row in read_csv(folder / "checks.csv"):
        cells = [c for r in graded for c in r.cells if c.grade_id == row["check"]]
        assert int(row["graded"]) == len(cells) == len(graded)
        assert int(row["passed"]) == sum(c.score == c.points for c in cells)
        failed = [c for c in cells if c.score < c.points]
        assert int(row["failed_diagnosed"]) == sum(bool(c.diagnosis) for c in failed)
        assert int(row["failed_undiagnosed"]) == sum(not c.diagnosis for c in failed)

    subs = {row["student"]: row for row in read_csv(folder / "submissions.csv")}
    assert set(subs) == set(results)
    sheet = {row["student"]: row for row in read_csv(out / "grade_sheet.csv")}
    for student, row in subs.items():
        assert row["status"] == sheet[student]["status"]
        if row["score"]:
            assert float(row["score"]) == float(sheet[student]["total"])
        assert float(row["seconds"]) >= 0
    attention = {s for s, row in subs.items() if row["status"] != "graded" or row["flags"] or row["problems"]}
    assert attention == {"frank", "eve", "heidi"}   # not JSON; tampering flag; endless loop (timeout)
    for student in attention:
        assert f'data-col="student">{student}</td>' in page


@pytest.mark.xdist_group("diagnosis-01_perceptron")
def test_diagnosis_never_costs_points_when_the_rerun_hangs():
    """The observed re-run goes on after a failure, where this code never returns; the hang
    must not use up the judge's restarts or touch the later checks' scores."""
    hangs_later = ("def net_input(X, w, b):\n    if len(X) == 4:\n        return X @ w\n"
                   "    while True:\n        pass\n")
    answers = dict(src.load("01_perceptron").reference_answers, net_input=hangs_later)
    rep = judge.Judge(src.load("01_perceptron"), answers, LIMITS, call_timeout=3, cell_timeout=60, exec_timeout=10,
                      diagnosis=diagnose.Diagnosis(src.load("01_perceptron"))).run()
    cells = {c.grade_id: c for c in rep.cells}
    assert cells["test_net_input"].score == 0 and cells["test_net_input"].diagnosis == []
    assert cells["test_net_input"].advice.startswith("No known mistake")
    assert rep.restarts == 0
    for gid in ("test_heaviside", "test_perceptron_update", "test_train_perceptron"):
        assert cells[gid].score == cells[gid].points, gid


@pytest.mark.xdist_group("demo-class")
def test_mistake_traces_are_computed_once_per_run_and_reused_from_disk(demo, monkeypatch):
    out, _ = demo
    files = sorted((out / "cache" / "mistake-traces").glob(f"{A}-*/*.pickle"))
    # <mistake id>-<a digest of its code>.pickle
    assert {f.stem.rsplit("-", 1)[0] for f in files} >= {"sign-flipped", "no-bias", "strict-inequality"}
    mistake = next(m for m in diagnose.catalogue(src.load(A)) if m.id == "sign-flipped")
    fresh = _traces(A, mistake)["test_perceptron_update"]       # computed here, in memory

    def no_sandbox(answers):
        raise AssertionError("the trace should have come from the cache on disk")
    try:
        import torch  # noqa: F401  (a process that has imported torch must find the same cache)
    except ImportError:
        pass
    monkeypatch.setattr(diagnose, "TRACES", diagnose.TraceStore())
    cached = diagnose.mistake_traces(src.load(A), mistake, no_sandbox, out / "cache" / "mistake-traces")["test_perceptron_update"]
    assert cached.matches(fresh) and fresh.matches(cached) and cached.events


@pytest.mark.xdist_group("diagnosis-01_perceptron")
def test_a_student_who_fills_the_process_limit_leaves_the_next_students_diagnosis_intact(monkeypatch):
    """A student's answer forks sleepers up to the process limit at definition time. The
    diagnosis's reference sandbox has a uid (and limit) of its own, so it still observes the
    catalogue: this student's own known mistake is named, and so is the next student's; and
    what a cut-short reference sandbox observes would never be kept for the next student."""
    monkeypatch.setattr(diagnose, "TRACES", diagnose.TraceStore())
    no_bias = next(m for m in diagnose.catalogue(src.load(A)) if m.id == "no-bias")
    sleepers = ("import os, time\nfor _ in range(200):\n    try:\n        if os.fork() == 0:\n"
                "            time.sleep(600)\n            os._exit(0)\n    except OSError:\n        break\n")
    forker = _grade(A, {"net_input": sleepers + no_bias.code}, only=["test_net_input"])["test_net_input"]
    honest = _grade(A, {"net_input": no_bias.code}, only=["test_net_input"])["test_net_input"]
    assert [d.id for d in honest.diagnosis] == ["no-bias"]
    assert [d.id for d in forker.diagnosis] == ["no-bias"]


def test_an_incomplete_reference_trace_is_never_kept(monkeypatch):
    """The reference judge is cut short (its sandbox dies): the check gets no diagnosis, and
    the next call observes again instead of reusing what was cut short."""
    from autograder import observe
    monkeypatch.setattr(diagnose, "TRACES", diagnose.TraceStore())
    mistake = next(m for m in diagnose.catalogue(src.load(A)) if m.id == "no-bias")
    calls = []

    class CutShort:
        def observe_variants(self, variants):
            calls.append(len(variants))
            return [{gid: observe.Trace(complete=False) for gid in tests} for _, _, tests in variants]
    for _ in range(2):
        traces = diagnose.mistake_traces(src.load(A), mistake, lambda answers: CutShort())
        assert not traces["test_net_input"].complete
    assert calls == [1, 1]
    assert diagnose.TRACES.snapshot() == {}
