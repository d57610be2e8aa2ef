"""A hostile submission cannot stall, crash or read out the grading (issue 15, items 1-3, 11, 12).

Each test plants one kind of attack next to honest submissions and asserts what must hold:
the run finishes within its limits, the honest students keep full marks, the attacker gets
no more than its honest work, and its status says what happened. The attacks' answer cells
are in ``tests/hostile_wire/attacks.py``; class runs go through
``tests/hostile_wire/run_class.py`` in a process of their own, killed at the test's limit.
Notebook 01's points: net_input 1, heaviside 1, perceptron_predict 1, perceptron_update 2,
train_perceptron 3 (total 8).
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from autograder import diagnose, ids, sandbox
from autograder.jail import remote, wire
from autograder import source as src
from autograder.demo import build
from common import FAST_TIMEOUTS, ROOT, needs_sandbox
from hostile import attacks as folder_attacks
from hostile_wire import attacks

pytestmark = needs_sandbox

A = "01_perceptron"
FULL = dict(src.load(A).test_points)        # every check of the assignment, at its points
FULL_TOTAL = sum(FULL.values())
FAST = dict(FAST_TIMEOUTS, feedback_run=False)
# the grader's own limits per submission, small enough for a test (defaults: 300 s CPU, 6 GiB)
LIMITS = dict(grader_cpu_seconds=20, grader_memory_bytes=3 << 30)
# the submission's wall-clock budget (default: at least 180 s, budget.py), small enough for the
# class of 30 and several times what its slowest ordinary submission takes on a loaded machine
BUDGET = dict(budget_floor=60.0, budget_factor=1.0)


def run_class(root: Path, out: Path, options: dict, limit: float) -> dict:
    """Grade ``root`` in a child process; fail the test if it runs longer than ``limit`` s."""
    cmd = [sys.executable, str(ROOT / "tests" / "hostile_wire" / "run_class.py"), str(root), str(out),
           json.dumps(options)]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        log, _ = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the class run did not finish within {limit:g} s")
    assert proc.returncode == 0, log.decode()[-3000:]
    run = json.loads((out / "run.json").read_text())
    run["seconds"] = time.monotonic() - t0
    run["by_student"] = {r["student"]: r for r in run["results"]}
    return run


def scores(result: dict) -> dict:
    return {c["grade_id"]: c["score"] for c in result["cells"]}


def honest_class(root: Path, n: int = 2) -> list[str]:
    names = [f"honest{i:02d}" for i in range(n)]
    for s in names:
        build.write(build.filled(A), root / s / A / f"{A}.ipynb")
    return names


def plant(root: Path, student: str, answers: dict) -> None:
    build.write(build.filled(A, answers), root / student / A / f"{A}.ipynb")


def assert_honest(run: dict, names: list[str]) -> None:
    for s in names:
        r = run["by_student"][s]
        assert r["status"] == "graded" and scores(r) == FULL, (s, r["status"], r["detail"], scores(r))


def total(result: dict) -> float:
    return sum(c["score"] or 0 for c in result.get("cells", []))


# --- 1. the trusted side's work per submission has limits ---------------------------------

def padded_notebook(root: Path, student: str, cells: int = 0, code_chars: int = 0, text: str = "") -> None:
    """The reference answers plus ``cells`` markdown cells holding ``text`` and one code cell of
    ``code_chars`` characters of the student's own."""
    import nbformat
    nb = build.filled(A)
    nb.cells += [nbformat.v4.new_markdown_cell(text) for _ in range(cells)]
    if code_chars:
        nb.cells.append(nbformat.v4.new_code_cell("x = [" + "1, " * (code_chars // 3) + "]\n"))
    build.write(nb, root / student / A / f"{A}.ipynb")


def test_trusted_work_per_submission_is_bounded(tmp_path):
    """Three ways a submission made the trusted side work for minutes, each graded in full
    now, within the grader's limits for one submission, next to an honest class:
    - an answer padded with 300,000 blank lines sent the pattern scan into hours of CPU (the
      scan is linear now: tests/test_hostile_class.py);
    - one 3 MB code cell of the student's took the feedback page's syntax highlighting 325 s
      of CPU (the page shows the first characters of a cell over 20,000);
    - 20,000 empty cells took nbformat and nbconvert ~3 ms of CPU each (a notebook is read up
      to its 2,000th cell)."""
    names = honest_class(tmp_path / "sub", 2)
    plant(tmp_path / "sub", "padded", attacks.PADDED)
    padded_notebook(tmp_path / "sub", "bigcell", code_chars=3_000_000)
    padded_notebook(tmp_path / "sub", "manycells", cells=20_000)
    run = run_class(tmp_path / "sub", tmp_path / "out", {**FAST, **LIMITS}, limit=240)
    assert_honest(run, names)
    for student in ("padded", "bigcell", "manycells"):
        r = run["by_student"][student]
        assert r["status"] == "graded" and scores(r) == FULL, (student, r["status"], r["detail"])
    assert "grader-timeout" not in run["summary"]
    page = (tmp_path / "out" / "feedback" / "bigcell" / A / f"{A}.html").read_text()
    assert "this cell has 3,000,00" in page and len(page) < 2_000_000
    assert any("only the first 2,000 were read" in n for n in run["by_student"]["manycells"]["notes"])


def test_grader_cpu_limit_costs_one_submission(tmp_path):
    """Over the grader's CPU limit for one submission (here 3 s; 300 s by default) the trusted
    side's work is stopped: that submission gets grader-timeout and says why, the class is graded.
    A notebook of 2,000 cells (the most that is read) of a paragraph each costs the trusted side more than 3 s of CPU,
    an honest one about 1.2 s."""
    names = honest_class(tmp_path / "sub", 2)
    # a paragraph per cell: enough work for the trusted side on any machine's CPU (empty cells
    # cost ~2.5 ms each, which a fast machine finishes within the 3 s)
    padded_notebook(tmp_path / "sub", "cellpad", cells=2_000, text="*word* " * 300)
    run = run_class(tmp_path / "sub", tmp_path / "out", {**FAST, "grader_cpu_seconds": 3}, limit=240)
    assert_honest(run, names)
    cellpad = run["by_student"]["cellpad"]
    assert cellpad["status"] == "grader-timeout", (cellpad["status"], cellpad["detail"])
    assert "3 s of the grader's CPU time" in cellpad["detail"]
    assert "grader-timeout 1" in run["summary"]


def test_grader_memory_limit_costs_one_check(tmp_path):
    """A 200 MB answer is more than the grader's memory allows here (512 MiB): that check is
    lost, the rest of the submission and of the class is graded."""
    names = honest_class(tmp_path / "sub", 2)
    plant(tmp_path / "sub", "hoarder", attacks.BIG_ARRAY)
    run = run_class(tmp_path / "sub", tmp_path / "out", {**FAST, "grader_memory_bytes": 512 << 20}, limit=240)
    assert_honest(run, names)
    hoarder = run["by_student"]["hoarder"]
    # however it ends (the answer does not fit, is too slow to send, or fits), the grading
    # process stayed within its limit and only the checks of that answer were lost
    assert hoarder["timing"]["grader_rss_mb"] <= 512, hoarder["timing"]
    assert hoarder["status"] == "graded", (hoarder["status"], hoarder["detail"])
    assert scores(hoarder) == {**FULL, "test_net_input": 0, "test_perceptron_predict": 0}, scores(hoarder)


# --- 2. the wire never blocks without a deadline ----------------------------------------------

def _bounded(fn, limit: float, jail: remote.Jail):
    """fn() in a thread; (exception or None, seconds); the jail is killed if fn hangs."""
    box = {}

    def target():
        try:
            fn()
        except BaseException as e:  # noqa: BLE001
            box["exc"] = e
    t0 = time.monotonic()
    th = threading.Thread(target=target, daemon=True)
    th.start()
    th.join(limit)
    hung = th.is_alive()
    jail.close()                 # unblocks a judge stuck in a pipe write or read
    th.join(10)
    assert not hung, f"the judge was still blocked after {limit:g} s"
    return box.get("exc"), time.monotonic() - t0


def test_flood_of_unsolicited_requests_does_not_block_the_judge(make_jail):
    jail = make_jail(wall_seconds=300, call_timeout=3, cpu_seconds=600)
    jail.exec_cell(attacks.FLOOD["heaviside"], "<flood>", 10)
    exc, seconds = _bounded(lambda: jail.proxy("heaviside")(1.0), 30, jail)
    assert isinstance(exc, remote.JailTimeout), repr(exc)
    assert seconds < 3 + 5


def test_trickle_of_messages_does_not_extend_the_deadline(make_jail):
    jail = make_jail(wall_seconds=300, call_timeout=3, cpu_seconds=600)
    exc, seconds = _bounded(lambda: jail.exec_cell(attacks.TRICKLE_EXEC, "<trickle>", 3), 90, jail)
    assert isinstance(exc, remote.JailTimeout), repr(exc)
    assert seconds < 3 + 5, f"an exec with a 3 s timeout ran {seconds:.1f} s"


def test_jail_process_has_a_wall_clock_limit(make_jail):
    """A thread the student's code leaves running keeps the sandbox alive between requests:
    the interpreter's whole life is bounded (as sandbox.run bounds a run)."""
    jail = make_jail(wall_seconds=4, call_timeout=3, cpu_seconds=600)
    jail.exec_cell("import threading, time\nthreading.Thread(target=lambda: time.sleep(600)).start()\n",
                   "<idle>", 10)
    proc = jail.proc
    time.sleep(8)
    assert proc.poll() is not None, "the sandbox outlived its wall-clock limit"
    with pytest.raises(remote.RemoteError) as e:
        jail.exec_cell("x = 1", "<after>", 5)
    assert isinstance(e.value, (remote.JailTimeout, remote.JailDied))


# --- 3. bounded decoding, numeric lists as arrays, a dead worker costs one submission ----------

def test_decoder_refuses_too_many_elements_and_keeps_numeric_lists_small(make_jail):
    from autograder import observe
    jail = make_jail(wall_seconds=300, call_timeout=60, cpu_seconds=600)
    jail.exec_cell("def big(n):\n    return [0.5] * n\n", "<big>", 10)
    big = jail.proxy("big")
    with pytest.raises(remote.RemoteError) as e:
        big(3_000_000)
    assert e.value.type_name == "BadResult" and str(wire.MAX_ITEMS) in e.value.message
    # under the bound: the list comes back as a list, and what the trusted side builds from
    # it (decoding, the diagnosis fingerprint) stays near its size as an array (7 MB)
    n = 900_000
    trace = observe.Trace()
    tracemalloc.start()
    try:
        jail.observer = trace.record
        value = big(n)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        jail.observer = None
        tracemalloc.stop()
    assert type(value) is list and len(value) == n and value[0] == 0.5 and type(value[-1]) is float
    assert peak < 64 << 20, f"decoding and fingerprinting {n} numbers peaked at {peak / 2**20:.0f} MB"
    assert trace.events[-1][0] == "out" and trace.events[-1][1][0] == "L"


def test_decoder_refuses_deep_or_garbled_headers():
    r, w = os.pipe()
    try:
        deep = b"[" * 200_000 + b"]" * 200_000
        os.write(w, wire.struct.pack("<II", len(deep), 0))
        threading.Thread(target=lambda: os.write(w, deep), daemon=True).start()
        with pytest.raises(wire.WireError):
            wire.read_message(r, time.monotonic() + 10)
    finally:
        os.close(r)
        os.close(w)


def _grading_now(pid: int) -> bool:
    """Whether pool worker ``pid`` is grading: it has forked its limited child (worker.py)."""
    try:
        return bool(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())
    except OSError:
        return False


def _kill_one_worker_when_busy(stop: threading.Event, killed: list) -> None:
    """Kill one of this process's pool workers (as the OOM killer would) while it grades a submission."""
    while not stop.is_set():
        for kid in multiprocessing.active_children():
            if _grading_now(kid.pid):
                os.kill(kid.pid, signal.SIGKILL)
                killed.append(kid.pid)
                return
        time.sleep(0.02)
        time.sleep(0.2)


def test_a_dead_worker_costs_no_honest_submission(tmp_path):
    from autograder.worker import Options
    from autograder.pipeline import grade_class
    names = honest_class(tmp_path / "sub", 5)
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_one_worker_when_busy, args=(stop, killed), daemon=True)
    killer.start()
    try:
        run = grade_class(tmp_path / "sub", tmp_path / "out", workers=2, options=Options(**FAST),
                          progress=False, quiet=True)
    finally:
        stop.set()
        killer.join(10)
    assert killed, "no worker was killed (the class finished too fast?)"
    by_student = {r.student: r.to_json() for r in run.results}
    assert_honest({"by_student": by_student}, names)


# --- 11. the feedback run reports only what the grader asked for ---------------------------

def test_kernel_cannot_forge_the_feedback_run(tmp_path):
    names = honest_class(tmp_path / "sub", 1)
    plant(tmp_path / "sub", "forger", attacks.FORGE)
    run = run_class(tmp_path / "sub", tmp_path / "out", {**FAST, "feedback_run": True}, limit=300)
    assert_honest(run, names)
    forger = run["by_student"]["forger"]
    assert scores(forger) == FULL          # its answers are the reference ones
    page = (tmp_path / "out" / "feedback" / "forger" / A / f"{A}.html").read_text()
    assert attacks.FORGED_TEXT not in page
    assert "<img src=x" not in page
    assert not any("script" in n for n in forger["notes"]), forger["notes"]
    # the feedback shows the run of the notebook that was sent, cell by cell
    assert "_forge_result" in page and "Autograded score" in page


def test_only_outputs_of_known_cells_are_kept():
    import nbformat

    from autograder.feedback import known_outputs, run_status
    sent = build.student_notebook(A)
    executed = nbformat.from_dict(json.loads(nbformat.writes(sent)))
    code = [i for i, c in enumerate(executed.cells) if c.cell_type == "code"]
    executed.cells[code[0]].outputs = [nbformat.v4.new_output("stream", name="stdout", text="kept output")]
    executed.cells[code[1]].source = "print('swapped source')"
    executed.cells.append(nbformat.v4.new_markdown_cell("FORGED extra cell"))
    executed.cells[code[2]]["id"] = "someone-else"
    executed.cells[code[2]].outputs = [nbformat.v4.new_output("stream", name="stdout", text="foreign output")]
    executed.metadata["forged"] = True
    merged = nbformat.writes(known_outputs(sent, executed))
    assert "kept output" in merged
    assert "swapped source" not in merged and "FORGED" not in merged and "foreign output" not in merged
    assert '"forged"' not in merged and len(json.loads(merged)["cells"]) == len(sent.cells)
    assert run_status("ok") == "ok" and run_status("2 cell(s) stopped after 8 s") == "2 cell(s) stopped after 8 s"
    assert run_status("error: KeyError: <script>") == "error: KeyError"
    assert run_status("All hidden tests passed <script>") == "unreadable"


# --- 12. no hidden input reaches the feedback ------------------------------------------------

def test_hidden_inputs_do_not_reach_the_feedback(tmp_path):
    names = honest_class(tmp_path / "sub", 1)
    plant(tmp_path / "sub", "leaker", attacks.LEAK)
    run = run_class(tmp_path / "sub", tmp_path / "out", FAST, limit=240)
    assert_honest(run, names)
    leaker = run["by_student"]["leaker"]
    assert leaker["status"] == "graded"
    assert scores(leaker)["test_heaviside"] == 0 and total(leaker) <= FULL_TOTAL - 1
    page = (tmp_path / "out" / "feedback" / "leaker" / A / f"{A}.html").read_text()
    messages = " ".join(c["message"] for c in leaker["cells"])
    assert "LEAK" not in page and "LEAK" not in messages, messages
    heaviside = next(c for c in leaker["cells"] if c["grade_id"] == "test_heaviside")
    # after hidden inputs crossed, fixed wording only: not even which exception (issue 24, item 14)
    assert "raised an error" in heaviside["message"] and "Error:" not in heaviside["message"], heaviside["message"]


def test_values_returned_after_hidden_checks_do_not_reach_the_feedback(tmp_path):
    """A later visible check's message prints what the code returned: it comes from a fresh
    interpreter that has seen no hidden input."""
    plant(tmp_path / "sub", "echo", attacks.LEAK_VALUES)
    run = run_class(tmp_path / "sub", tmp_path / "out", FAST, limit=240)
    echo = run["by_student"]["echo"]
    predict = next(c for c in echo["cells"] if c["grade_id"] == "test_perceptron_predict")
    assert predict["score"] == 0 and total(echo) <= FULL_TOTAL - 1
    assert "98765" not in predict["message"] and "actual" in predict["message"], predict["message"]
    page = (tmp_path / "out" / "feedback" / "echo" / A / f"{A}.html").read_text()
    assert "98765" not in page


def test_visible_message_is_shown_before_hidden_inputs_cross():
    """The first check's message from the student's own exception still helps the student."""
    from autograder import judge
    from autograder import source as src
    answers = dict(src.load(A).reference_answers, net_input="def net_input(X, w, b):\n    raise ValueError('my own words')\n")
    rep = judge.Judge(src.load(A), answers, sandbox.Limits(wall_seconds=300), call_timeout=5, cell_timeout=40,
                      exec_timeout=8).run(only=["test_net_input"])
    assert rep.cells[0].status == "error" and "ValueError: my own words" in rep.cells[0].message


# --- the class of 30, one submission of each kind mixed in -------------------------------------

def _issue_24_kinds(listener: "Listener") -> dict:
    """Integrity attacks of issue 24: an object that lies about its shape (item 5), an update
    that changes its inputs in place (item 6), hidden inputs sent back as the exception's class
    (item 14), each right on the visible checks only; and its availability and isolation
    attacks: a sleeper (item 2), a sandbox-wide hog (item 3), sleepers up to the process limit
    and a later catalogued mistake (item 8), a socket to the host (item 9)."""
    import planted
    from test_hidden_feedback import RAISE
    catalogue = {m.id: m.code for m in diagnose.catalogue(src.load(A))}
    return {"liar": planted.planted(A, "net_input", "liar")["answers"],
            "inplace": planted.planted(A, "perceptron_update", "inplace")["answers"],
            "bitleak": planted.planted(A, "net_input", "raise", wrapper=RAISE)["answers"],
            "Sleeper": attacks.sleeper(FAST["exec_timeout"], FAST["call_timeout"]),
            "hog": attacks.HOG, "Forker": attacks.FORKER,
            "zara": {"net_input": catalogue["bias-subtracted"]},
            "net": attacks.network(listener.port, listener.unix_name)}


KINDS = {"padded": attacks.PADDED, "flood": attacks.FLOOD, "trickle": attacks.TRICKLE,
         "biglist": attacks.BIG_LIST, "leaker": attacks.LEAK}


def test_class_of_30_with_one_of_each_kind(tmp_path):
    """One class folder holds the wire attacks above, every class-folder attack of
    tests/hostile/attacks.py (links, a file named after a classmate, one id claimed twice, ids
    that are not path components, formula and markup ids, an ANSI file name, broken cell ids,
    markup in answers, issue 24's text, id and page attacks) and one submission per item of
    issue 24 that a 01 submission can make, filled up with honest students (at least 30 graded).

    Issue 24 by item: 1 (text that is not Unicode, an id too long in bytes, a Latin-1 file
    name: ``sur``, the emoji id, ``Jos``), 2 (``Sleeper``: every answer sleeps just under its
    limits; the budget is made small here with ``budget_floor``), 3 (``hog``: 24 processes
    over the sandbox's memory), 4 (``rita``), 5 (``liar``), 6 (``inplace``), 8 (``Forker``'s
    63 sleepers, then ``zara``'s catalogued mistake still named), 9 from inside a sandbox
    (``net``: no socket reaches the host), 10 and 13 (``xena``), 11 and 12 (the markup and
    formula ids), 14 (``bitleak``), 15 (``blank``: the released notebook, no flag). Not 01
    submissions, so tested on their own: item 7 (fit_challenge's CPU rule in the sandbox, 07:
    tests/test_sandbox_cputime.py), item 9's cluster (TLS, a rogue client, workers that hold one
    assignment: tests/test_grading_cluster.py), item 3's limits directly
    (tests/test_grading_sandbox.py), item 16 (tests/test_make_test.py)."""
    root = tmp_path / "sub"
    expected = folder_attacks.folder_class(root)          # student -> the scores of its honest work
    listener = Listener()
    kinds = {**KINDS, **_issue_24_kinds(listener)}
    for kind, answers in kinds.items():
        plant(root, kind, answers)
    build.write(build.student_notebook(A), root / "blank" / A / f"{A}.ipynb")
    names = honest_class(root, max(2, 30 - len(expected) - len(kinds)))
    try:
        run = run_class(root, tmp_path / "out", {**FAST, **LIMITS, **BUDGET}, limit=600)
    finally:
        listener.close()
    graded = [r["student"] for r in run["results"] if r["status"] == "graded"]
    assert len(graded) >= 30 and len(graded) == len(expected) + len(kinds) + len(names), sorted(run["by_student"])
    # the folder whose notebook is a link has no notebook of its own: the TA sees it listed
    assert {r["student"]: r["status"] for r in run["results"] if r["status"] != "graded"} == {
        "sym1": "missing-notebook", "Sleeper": "time-budget"}
    assert_honest(run, names)
    by = run["by_student"]
    for raw, want in expected.items():
        student = ids.student_id(raw)[0]                  # raw folder and file names map to safe ids
        assert student in by, (raw, student, sorted(by))
        got = {gid: score for gid, score in scores(by[student]).items() if gid in want}   # the checks it plants in
        assert got == want, (student, by[student]["status"], scores(by[student]))
    assert by["padded"]["status"] == "graded"
    assert {c["grade_id"]: c["status"] for c in by["flood"]["cells"]}["test_heaviside"] == "timeout"
    assert {c["grade_id"]: c["status"] for c in by["trickle"]["cells"]}["test_perceptron_predict"] == "timeout"
    assert "BadResult" in {c["grade_id"]: c["detail"] for c in by["biglist"]["cells"]}["test_net_input"]
    assert all("LEAK" not in c["message"] for c in by["leaker"]["cells"])
    # what each can score with its honest work: the reference's, less the answer it gives up
    honest_work = {"padded": FULL_TOTAL, "net": FULL_TOTAL, "Sleeper": 0, "blank": 0,
                   **{k: FULL_TOTAL - 1 for k in kinds if k not in ("padded", "net", "Sleeper")}}
    for kind, most in honest_work.items():
        assert total(by[kind]) <= most, (kind, scores(by[kind]))
    _assert_issue_24_outcomes(by, listener)
    summary = run["summary"]
    assert "grader-timeout" not in summary and "grader-error" not in summary, summary
    assert f"graded {len(graded)}, missing-notebook 1, time-budget 1" in summary, summary
    # the ones a TA should look at; the blank notebook is not one of them (item 15)
    for listed in ("erin~1", "erin~2", "flood", "trickle", "sym1", "Sleeper", "hog", "Forker", "net"):
        assert f"  {listed} (" in summary, (listed, summary)
    assert "  blank (" not in summary and "  zara (" not in summary, summary
    unmapped = int(re.search(r"(\d+) files not mapped", summary).group(1))
    assert unmapped >= 7, summary          # 5 links, the ANSI and the formula file (unsafe ids map to safe ones)
    assert "\x1b" not in summary, "a control character reached the terminal"
    bitleak = {c["grade_id"]: c["message"] for c in by["bitleak"]["cells"]}["test_net_input"]
    assert not re.search(r"\b[A-Z]\w*(Error|Exception|Exit|Iteration)\b", bitleak), bitleak   # fixed wording
    print(f"class of {len(run['results'])}: {run['seconds']:.1f} s")


def _assert_issue_24_outcomes(by: dict, listener: "Listener") -> None:
    """Items 2, 3, 8, 9 and 15 in the class of 30 (see its docstring)."""
    sleeper = by["Sleeper"]                 # 2: stopped by its one budget, said so
    assert sleeper["status"] == "time-budget" and "time budget" in sleeper["detail"], sleeper["detail"]
    assert f"{BUDGET['budget_floor']:g} s of wall clock" in sleeper["detail"], sleeper["detail"]
    assert sleeper["timing"]["total"] < BUDGET["budget_floor"] + 30, sleeper["timing"]
    hog = by["hog"]                         # 3: the sandbox as a whole was capped: its answer is lost
    assert hog["status"] == "graded" and scores(hog)["test_net_input"] == 0, (hog["status"], scores(hog))
    # 8: the forker's own known mistake and a later classmate's are named
    for student, mistake in (("Forker", "no-bias"), ("zara", "bias-subtracted")):
        cell = next(c for c in by[student]["cells"] if c["grade_id"] == "test_net_input")
        assert cell["score"] == 0 and mistake in [d["id"] for d in cell["diagnosis"]], (student, cell)
    # 9, from inside: nothing reached the host's loopback or the outside; its answer stands
    assert listener.reached == [] and scores(by["net"]) == FULL, (listener.reached, scores(by["net"]))
    blank = by["blank"]                     # 15: the released notebook carries no flag
    assert blank["status"] == "graded" and blank["flags"] == [] and total(blank) == 0, blank["flags"]


class Listener:
    """A TCP port on the host's loopback and an abstract Unix socket, as a Dask scheduler
    would listen: ``reached`` lists every connection accepted."""

    def __init__(self):
        import socket
        self.reached: list[str] = []
        self.unix_name = f"autograder-class30-{os.getpid()}-{time.time_ns()}"
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.port = self.tcp.getsockname()[1]
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind("\0" + self.unix_name)
        self.unix.listen()
        for s, what in ((self.tcp, "tcp"), (self.unix, "unix")):
            threading.Thread(target=self._accept, args=(s, what), daemon=True).start()

    def _accept(self, s, what: str) -> None:
        while True:
            try:
                conn, _ = s.accept()
            except OSError:
                return
            self.reached.append(what)
            conn.close()

    def close(self) -> None:
        for s in (self.tcp, self.unix):
            s.close()
