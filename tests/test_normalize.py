"""autograder.normalize on its own: reading a submitted file, telling which assignment it
is, and rebuilding it around the source notebook (locked cells from the source, answers
from the submission, repairs noted). No sandbox, no grading: the end-to-end cases are in
tests/test_grading_class.py (tampered tests, no metadata, empty and invalid files, another
assignment's notebook), tests/test_hostile_class.py (cell ids, a notebook too large in a
zip) and tests/test_hostile_wire.py (a notebook of 20,000 cells)."""
from __future__ import annotations

import json
import os

import nbformat
import pytest

from autograder import normalize as norm
from autograder import source as src
from autograder.demo import build
import fixtures_01

A = "01_perceptron"
SOURCE = src.load(A)
REFERENCE = build.reference_answers(A)
ANSWER_IDS = [src.meta(c)["grade_id"] for c in SOURCE.cells if src.kind(c) in (src.SOLUTION, src.ANSWER)]
TEST_IDS = [src.meta(c)["grade_id"] for c in SOURCE.cells if src.kind(c) == src.TEST]
LOCKED_IDS = [src.meta(c)["grade_id"] for c in SOURCE.cells if src.kind(c) in (src.TEST, src.READONLY)]
CODE_REFERENCE = {src.meta(c)["grade_id"]: REFERENCE[src.meta(c)["grade_id"]]       # the exercises' answers
                  for c in SOURCE.cells if src.kind(c) == src.SOLUTION}
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
HAS_02 = (build.ROOT / "notebooks" / "02_adaline").exists()


def run(tmp_path, nb) -> norm.Normalized:
    """``nb`` written as a submission and normalized."""
    return norm.normalize(build.write(nb, tmp_path / "s.ipynb"), SOURCE)


def run_text(tmp_path, text: str | bytes) -> norm.Normalized:
    """A submission of these bytes (or this text), normalized."""
    path = tmp_path / "s.ipynb"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return norm.normalize(path, SOURCE)


def gid(cell):
    return src.meta(cell).get("grade_id")


def by_id(nb) -> dict:
    """grade_id -> cell of the feedback notebook (the one cell of each id)."""
    ids = [gid(c) for c in nb.cells if gid(c)]
    assert len(ids) == len(set(ids)), ids
    return {gid(c): c for c in nb.cells if gid(c)}


def source_cell(grade_id):
    return next(c for c in SOURCE.cells if gid(c) == grade_id)


def without(nb, grade_ids):
    nb.cells = [c for c in nb.cells if gid(c) not in grade_ids]
    return nb


# --- the reference answers -------------------------------------------------------------------

def test_the_reference_answers_are_read_as_written_with_no_note(tmp_path):
    n = run(tmp_path, build.filled(A))
    assert (n.status, n.notes, n.detail) == ("ok", [], "")
    assert n.answers == {g: REFERENCE[g] for g in ANSWER_IDS}
    assert list(n.answers) == ANSWER_IDS                        # in the notebook's order
    cells = by_id(n.feedback_nb)
    assert set(cells) == {gid(c) for c in SOURCE.cells if gid(c)}
    assert n.feedback_nb.metadata == SOURCE.nb.metadata
    nbformat.validate(n.feedback_nb)


def test_the_code_for_the_flags_is_the_solutions_not_the_written_answers_nor_the_locked_cells(tmp_path):
    nb = build.filled(A, {"q_xor": "MY WRITTEN ANSWER"})
    nb.cells.append(nbformat.v4.new_code_cell("mine = 42"))
    nb.cells.append(nbformat.v4.new_code_cell(source_cell("setup").source))   # a copy of a locked cell
    n = run(tmp_path, nb)
    code = n.student_code.splitlines()
    # what the student wrote: the solutions' lines beyond the released stubs, and their own cell
    released = {line.strip() for c in build.student_notebook(A).cells if c.cell_type == "code"
                for line in c.source.splitlines()}
    written = [line for s in CODE_REFERENCE.values() for line in s.splitlines() if line.strip() not in released]
    assert written and all(line in code for line in written)
    assert code[-1] == "mine = 42"
    # not the course's lines: the stubs' signatures and docstrings, the locked setup cell copied
    assert not any(line.strip() in released for line in code if line.strip()), code
    assert "MY WRITTEN ANSWER" not in n.student_code
    assert n.answers["q_xor"] == "MY WRITTEN ANSWER"


# --- which assignment ---------------------------------------------------------------------------

@pytest.mark.skipif(not HAS_02, reason="no 02_adaline")
def test_another_assignments_notebook_is_named(tmp_path):
    n = run(tmp_path, build.filled("02_adaline"))
    assert n.status == "wrong-assignment"
    assert n.detail == f"this is the notebook of 02_adaline, not {A}"
    assert n.feedback_nb is None and n.answers == {}


def test_grade_ids_of_no_assignment_are_not_a_wrong_assignment(tmp_path):
    nb = build.filled(A)
    for c in nb.cells:
        if gid(c):
            c.metadata["nbgrader"]["grade_id"] = "unknown_" + gid(c)
    n = run(tmp_path, nb)
    assert n.status == "ok"
    assert n.answers == CODE_REFERENCE           # every exercise defines its names: matched by name
    assert n.notes[0] == "no grading metadata in the notebook: answers matched by function name"


@pytest.mark.skipif(not HAS_02, reason="no 02_adaline")
def test_one_grade_id_of_this_assignment_is_enough_to_be_graded_as_it(tmp_path):
    nb = build.filled("02_adaline")
    ours = build.filled(A)
    nb.cells.append(ours.cells[fixtures_01.find(ours, "net_input")])
    n = run(tmp_path, nb)
    assert n.status == "ok" and n.answers == {"net_input": REFERENCE["net_input"]}


# --- files that are not a notebook --------------------------------------------------------------

@pytest.mark.parametrize("text,status,detail", [
    ("", "empty", "the file is empty"),
    ('{"cells": [ this is not JSON', "invalid-json", "not valid JSON: Expecting value: line 1 column 13 (char 12)"),
    (b"\xff\xfe{}", "invalid-json", "not valid JSON: 'utf-8' codec can't decode byte 0xff"),
    ("[1, 2]", "not-a-notebook", "valid JSON but not a Jupyter notebook"),
    ('{"cells": []}', "not-a-notebook", "valid JSON but not a Jupyter notebook"),
    ('{"nbformat": 4, "nbformat_minor": 5, "cells": 7, "metadata": {}}', "not-a-notebook",
     "not a readable notebook: "),
    ('{"nbformat": "four"}', "not-a-notebook", "not a readable notebook: "),
])
def test_a_file_that_is_not_a_notebook_gets_a_status_not_an_exception(tmp_path, text, status, detail):
    n = run_text(tmp_path, text)
    assert (n.status, n.feedback_nb, n.answers) == (status, None, {})
    assert n.detail.startswith(detail), n.detail
    assert len(n.detail) <= 300


def test_a_byte_order_mark_is_accepted(tmp_path):
    n = run_text(tmp_path, b"\xef\xbb\xbf" + nbformat.writes(build.filled(A)).encode())
    assert n.status == "ok" and n.answers["net_input"] == REFERENCE["net_input"]


def test_an_nbformat_3_notebook_is_converted_and_noted(tmp_path):
    n = run_text(tmp_path, nbformat.writes(nbformat.convert(build.filled(A), 3)))
    assert n.status == "ok" and n.notes == ["converted from nbformat 3"]
    assert n.answers == {g: REFERENCE[g] for g in ANSWER_IDS}


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = build.write(build.filled(A), tmp_path / "s.ipynb")
    size = path.stat().st_size
    monkeypatch.setattr(norm, "read_regular_file", lambda p: pytest.fail("read"))
    monkeypatch.setattr(norm, "MAX_NOTEBOOK_BYTES", size - 1)
    n = norm.normalize(path, SOURCE)
    assert (n.status, n.detail) == ("too-large", f"{size / 1e6:.0f} MB (limit 0 MB)")
    monkeypatch.undo()
    monkeypatch.setattr(norm, "MAX_NOTEBOOK_BYTES", size)     # at the limit: read
    assert norm.normalize(path, SOURCE).status == "ok"


def test_a_file_past_the_limit_when_it_is_opened_is_not_read(tmp_path, monkeypatch):
    """The size is checked again on the open file: one that grew after ``read``'s check."""
    path = build.write(build.filled(A), tmp_path / "s.ipynb")
    monkeypatch.setattr(norm, "MAX_NOTEBOOK_BYTES", path.stat().st_size - 1)
    with pytest.raises(OSError, match="larger than the limit"):
        norm.read_regular_file(path)
    monkeypatch.setattr(norm, "MAX_NOTEBOOK_BYTES", path.stat().st_size)
    assert norm.read_regular_file(path) == path.read_bytes()


def test_a_missing_file_a_link_and_a_folder_are_unreadable(tmp_path):
    real = build.write(build.filled(A), tmp_path / "real.ipynb")
    (tmp_path / "link.ipynb").symlink_to(real)
    (tmp_path / "dir.ipynb").mkdir()
    assert norm.normalize(real, SOURCE).status == "ok"
    for name, detail in [("missing.ipynb", "No such file"), ("link.ipynb", "not read: "),
                         ("dir.ipynb", "not read: ")]:
        n = norm.normalize(tmp_path / name, SOURCE)
        assert n.status == "unreadable" and detail in n.detail, (name, n.detail)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_named_pipe_is_never_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.ipynb")
    with pytest.raises(OSError, match="not a regular file"):
        norm.read_regular_file(tmp_path / "pipe.ipynb")       # O_NONBLOCK: no writer, no wait


# --- cells: the cap, ids -------------------------------------------------------------------------

def test_only_the_first_max_cells_are_read_and_the_source_cells_past_them_restored(tmp_path, monkeypatch):
    nb = build.filled(A)
    cut = fixtures_01.find(nb, "test_perceptron_update")
    nb.cells += [nbformat.v4.new_markdown_cell(f"pad {i}") for i in range(5)]
    monkeypatch.setattr(norm, "MAX_CELLS", cut)
    total = len(nb.cells)
    n = run(tmp_path, nb)
    assert n.status == "ok"
    assert n.notes[0] == f"the notebook has {total:,} cells; only the first {cut:,} were read (the limit)"
    assert not any("pad" in c.source for c in n.feedback_nb.cells)
    cells = by_id(n.feedback_nb)
    assert set(cells) == {gid(c) for c in SOURCE.cells if gid(c)}        # the cut ones put back
    assert cells["perceptron_update"].source == REFERENCE["perceptron_update"]   # read: before the cut
    assert cells["train_perceptron"].source == STUB                       # cut off: not an answer
    assert "train_perceptron" not in n.answers


def test_the_cap_is_not_noted_at_the_limit(tmp_path, monkeypatch):
    nb = build.filled(A)
    monkeypatch.setattr(norm, "MAX_CELLS", len(nb.cells))
    assert run(tmp_path, nb).notes == []


def test_cell_ids_that_break_the_schema_or_repeat_are_replaced_and_noted(tmp_path):
    data = json.loads(nbformat.writes(build.filled(A)))
    given = ["renamed-1", "ok_id", "ok_id", "has space", "", "x" * 65, 7, None, "renamed-1", "\u00e9"]
    for c, cid in zip(data["cells"], given):
        c["id"] = cid
    path = tmp_path / "s.ipynb"
    path.write_text(json.dumps(data))
    (nb, notes), problem = norm.read(path)
    assert problem is None and notes == ["cell ids that break the notebook format were replaced"]
    ids = [c.id for c in nb.cells]
    assert len(ids) == len(set(ids)) and all(norm.CELL_ID.match(i) for i in ids)
    assert ids[:2] == ["renamed-1", "ok_id"]                   # the first of a valid id stays
    assert ids[2:len(given)] == [f"renamed-{i}" for i in range(2, len(given))]
    assert ids[len(given):] == [c["id"] for c in data["cells"][len(given):]]
    n = norm.normalize(path, SOURCE)
    assert n.status == "ok" and n.notes == notes and n.answers == {g: REFERENCE[g] for g in ANSWER_IDS}
    nbformat.validate(n.feedback_nb)


def test_a_fresh_cell_id_never_takes_one_already_there():
    data = {"cells": [{"id": "renamed-1"}, {"id": "renamed-2"}, {"id": "bad id"}, {"source": "no id"}]}
    assert norm.drop_bad_cell_ids(data) is True
    assert data["cells"] == [{"id": "renamed-1"}, {"id": "renamed-2"}, {"id": "renamed-3"}, {"source": "no id"}]
    assert norm.drop_bad_cell_ids({"cells": "not a list"}) is False


def test_valid_unique_cell_ids_are_kept_without_a_note(tmp_path):
    nb = build.filled(A)
    (read_nb, notes), _ = norm.read(build.write(nb, tmp_path / "s.ipynb"))
    assert notes == [] and [c.id for c in read_nb.cells] == [c.id for c in nb.cells]


def test_the_students_own_cells_get_fresh_ids_and_lose_their_outputs_and_grading_metadata(tmp_path):
    nb = build.filled(A)
    mine = nbformat.v4.new_code_cell("print('mine')", id="my-own-id")
    mine.outputs = [nbformat.v4.new_output("stream", name="stdout", text="stored\n")]
    mine.execution_count = 3
    mine.metadata["nbgrader"] = {"grade": True, "points": 100}                # no grade_id
    nb.cells.insert(0, mine)
    n = run(tmp_path, nb)
    first = n.feedback_nb.cells[0]
    assert first.source == "print('mine')" and first.id == "student-0"
    assert (first.outputs, first.execution_count, "nbgrader" in first.metadata) == ([], None, False)
    ids = [c.id for c in n.feedback_nb.cells]
    assert len(ids) == len(set(ids))
    assert all(c.id.startswith("student-") for c in n.feedback_nb.cells if not gid(c))
    assert "print('mine')" in n.student_code


# --- locked cells come from the source -----------------------------------------------------------

def test_edited_locked_cells_are_replaced_by_the_source_without_hidden_tests(tmp_path):
    nb = build.filled(A)
    for g in LOCKED_IDS:
        nb.cells[fixtures_01.find(nb, g)].source = "pass  # edited"
    n = run(tmp_path, nb)
    cells = by_id(n.feedback_nb)
    for g in LOCKED_IDS:
        expected = source_cell(g).source
        if src.kind(source_cell(g)) == "test":
            expected = src.strip_hidden(expected)
            assert "HIDDEN" in source_cell(g).source and "HIDDEN" not in expected
        assert cells[g].source == expected, g
    assert n.notes == [] and "edited" not in n.student_code


def test_stored_outputs_are_dropped_from_the_submission_and_the_source(tmp_path, monkeypatch):
    stored = [nbformat.v4.new_output("stream", name="stdout", text="all tests passed\n")]
    nb = build.filled(A)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = stored, 1
    for c in SOURCE.cells:                     # a source notebook saved with its outputs
        if c.cell_type == "code":
            monkeypatch.setitem(c, "outputs", stored)
            monkeypatch.setitem(c, "execution_count", 1)
    n = run(tmp_path, nb)
    code = [c for c in n.feedback_nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)


def test_deleted_locked_cells_are_restored_in_place_and_named(tmp_path):
    nb = without(build.filled(A), {"setup", "test_heaviside", "test_predict_class"})
    n = run(tmp_path, nb)
    assert n.notes == ["restored deleted locked cells: setup, test_heaviside, test_predict_class"]
    ids = [gid(c) for c in n.feedback_nb.cells]
    assert [g for g in ids if g] == [gid(c) for c in SOURCE.cells if gid(c)]
    assert ids[0] == "setup"                                    # no source cell before it: at the top
    assert ids.index("test_heaviside") == ids.index("heaviside") + 1       # right after the cell before it
    assert ids.index("test_predict_class") == ids.index("predict_class") + 1
    cells = by_id(n.feedback_nb)
    assert cells["test_heaviside"].source == src.strip_hidden(source_cell("test_heaviside").source)
    assert cells["setup"].source == source_cell("setup").source


def test_a_deleted_answer_cell_comes_back_as_its_stub_never_the_solution(tmp_path):
    n = run(tmp_path, without(build.filled(A), {"net_input", "q_xor"}))
    cells = by_id(n.feedback_nb)
    assert cells["net_input"].source == STUB
    assert cells["q_xor"].source == "YOUR ANSWER HERE"
    assert "net_input" not in n.answers and "q_xor" not in n.answers
    assert n.notes == []                                      # only locked cells are named


def test_reordered_locked_cells_keep_the_students_order(tmp_path):
    nb = build.filled(A)
    tests = [c for c in nb.cells if gid(c) in TEST_IDS]
    nb.cells = tests[::-1] + [c for c in nb.cells if c not in tests]
    n = run(tmp_path, nb)
    assert [gid(c) for c in n.feedback_nb.cells if gid(c)][:len(TEST_IDS)] == TEST_IDS[::-1]
    assert n.notes == [] and n.answers == {g: REFERENCE[g] for g in ANSWER_IDS}


# --- grade ids duplicated, renamed, missing -------------------------------------------------------

def test_a_duplicated_grade_id_keeps_the_first_cell(tmp_path):
    nb = build.filled(A)
    second = nbformat.from_dict(json.loads(json.dumps(nb.cells[fixtures_01.find(nb, "net_input")])))
    second.source, second.id = fixtures_01.WRONG_NET_INPUT, "second"
    test_copy = nbformat.from_dict(json.loads(json.dumps(nb.cells[fixtures_01.find(nb, "test_net_input")])))
    test_copy.id = "test-copy"
    nb.cells += [second, test_copy]
    n = run(tmp_path, nb)
    assert n.answers["net_input"] == REFERENCE["net_input"]
    assert by_id(n.feedback_nb)["net_input"].source == REFERENCE["net_input"]    # by_id: each id once
    assert fixtures_01.WRONG_NET_INPUT not in n.student_code


def test_an_answer_under_a_renamed_grade_id_is_the_students_own_cell(tmp_path):
    nb = build.filled(A, {"net_input": fixtures_01.WRONG_NET_INPUT})
    nb.cells[fixtures_01.find(nb, "net_input")].metadata["nbgrader"]["grade_id"] = "my_net_input"
    n = run(tmp_path, nb)
    assert "net_input" not in n.answers and "my_net_input" not in n.answers
    cells = by_id(n.feedback_nb)
    assert "my_net_input" not in cells and cells["net_input"].source == STUB
    mine = [c for c in n.feedback_nb.cells if c.source == fixtures_01.WRONG_NET_INPUT]
    assert len(mine) == 1 and "nbgrader" not in mine[0].metadata
    assert "return np.asarray(X) @ np.asarray(w)   # the bias is missing" in n.student_code   # its own line


def test_without_grading_metadata_answers_are_matched_by_the_names_they_define(tmp_path):
    nb = build.filled(A)
    for c in nb.cells:
        c.metadata.pop("nbgrader", None)
    nb.cells.append(nbformat.v4.new_code_cell("def heaviside(z):\n    return 0\n"))   # the last one wins
    n = run(tmp_path, nb)
    assert n.answers == {**CODE_REFERENCE, "heaviside": "def heaviside(z):\n    return 0\n"}
    assert n.notes == ["no grading metadata in the notebook: answers matched by function name",
                       "restored deleted locked cells: " + ", ".join(LOCKED_IDS)]
    cells = by_id(n.feedback_nb)
    assert cells["net_input"].source == REFERENCE["net_input"] and cells["q_xor"].source == "YOUR ANSWER HERE"


def test_an_exercise_is_matched_by_name_only_when_all_its_names_are_defined(tmp_path, monkeypatch):
    names = {**SOURCE.exercise_names(), "net_input": ["net_input", "helper_not_written"]}
    monkeypatch.setattr(type(SOURCE), "exercise_names", lambda self: names)
    nb = build.filled(A)
    for c in nb.cells:
        c.metadata.pop("nbgrader", None)
    n = run(tmp_path, nb)
    assert "net_input" not in n.answers and "heaviside" in n.answers


@pytest.mark.parametrize("sources,note", [
    (["", "   \n"], "the notebook has no code"),
    (["x = 1"], "no answer cell of this assignment found"),
])
def test_a_notebook_with_no_answer_says_why(tmp_path, sources, note):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources] + [nbformat.v4.new_markdown_cell("def net_input")]
    n = run(tmp_path, nb)
    assert n.status == "ok" and n.answers == {}
    assert n.notes == [note, "restored deleted locked cells: " + ", ".join(LOCKED_IDS)]
    assert by_id(n.feedback_nb)["net_input"].source == STUB
