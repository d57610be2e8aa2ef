"""One submission's data never ends a class run (issue 24, item 1).

Text read from a submission becomes valid Unicode at the boundary (a lone surrogate in a
notebook's JSON, a file name that is not UTF-8, a zip member flagged UTF-8 that is not),
ids are safe and bounded in bytes (63 emoji are 249 bytes), and every per-submission step
of the coordinator is guarded: a failure there is that submission's ``grader-error`` row.
The class around them is graded in full, twice: the rerun changes no row.
"""
from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import collect, ids, text
from autograder import source as src
from autograder.worker import Options
from autograder.pipeline import grade_class
from common import FAST_TIMEOUTS, needs_sandbox, read_csv
from hostile import attacks

A = attacks.A
FAST = dict(FAST_TIMEOUTS, feedback_run=False, diagnose=False, html=True)
EMOJI = "\U0001F600" * 63                      # 63 characters, 252 bytes
LATIN1 = os.fsdecode(b"Jos\xe9_" + A.encode() + b".ipynb")
JOS = os.fsdecode(b"Jos\xe9")     # its student part, mapped to a safe id like any other unsafe name


def _surrogate_notebook() -> str:
    """An honest notebook whose JSON holds a lone surrogate (valid JSON) in a written answer
    and in a cell's metadata."""
    data = json.loads(nbformat.writes(attacks.honest()))
    data["cells"].append({"cell_type": "markdown", "metadata": {"x": "\ud800"}, "source": "a \ud800 b"})
    return json.dumps(data)      # ensure_ascii: the surrogate travels as the escape \ud800


def _missing_attachment():
    """Honest answers; a written answer shows an image from an attachment it does not have
    (nbconvert raises on it after the judge)."""
    nb = attacks.honest()
    for cell in nb.cells:
        if cell.cell_type == "markdown" and (cell.metadata.get("nbgrader") or {}).get("solution"):
            cell.source += "\n\n![my sketch](attachment:sketch.png)"
    return nb


def _class(root: Path) -> dict[str, str]:
    """The class; returns raw name -> expected status."""
    attacks.write_nb(attacks.honest(), root / "alice" / A / f"{A}.ipynb")
    attacks.write_nb(attacks.honest(), root / "bob" / A / f"{A}.ipynb")
    (root / "surrogate" / A).mkdir(parents=True)
    (root / "surrogate" / A / f"{A}.ipynb").write_text(_surrogate_notebook())
    attacks.write_nb(attacks.honest(), root / EMOJI / A / f"{A}.ipynb")
    attacks.write_nb(attacks.honest(), root / "nina" / A / f"{A}.ipynb")
    (root / "nina" / A / os.fsdecode(b"notes\xff.txt")).write_text("my notes")
    attacks.write_nb(attacks.honest(), root / LATIN1)
    attacks.write_nb(_missing_attachment(), root / "attach" / A / f"{A}.ipynb")
    return {"attach": "graded", "alice": "graded", "bob": "graded", "surrogate": "graded", EMOJI: "graded", "nina": "graded",
            JOS: "graded"}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("boundaries")
    expected = _class(tmp / "class")
    # a submission whose feedback page cannot be written (its path is taken by a folder):
    # its row says so, nobody else's changes
    blocked = tmp / "out" / "feedback" / "bob" / A / f"{A}.html"
    blocked.mkdir(parents=True)
    first = grade_class(tmp / "class", tmp / "out", workers=2, options=Options(**FAST), progress=False, quiet=True)
    rows1 = read_csv(tmp / "out" / "grade_sheet.csv")
    second = grade_class(tmp / "class", tmp / "out", workers=2, options=Options(**FAST), progress=False, quiet=True)
    rows2 = read_csv(tmp / "out" / "grade_sheet.csv")
    return dict(out=tmp / "out", expected=expected, first=first, second=second, rows1=rows1, rows2=rows2)


def _row(rows: list[dict], raw: str) -> dict:
    safe = ids.student_id(raw)[0]
    hits = [r for r in rows if r["student"] == safe]
    assert len(hits) == 1, (raw, safe, [r["student"] for r in rows])
    return hits[0]


@needs_sandbox
def test_the_class_is_graded_in_full_and_honest_students_keep_full_marks(graded):
    rows = graded["rows1"]
    for raw in ("alice", "surrogate", EMOJI, "nina", JOS, "attach"):
        row = _row(rows, raw)
        assert row["status"] == "graded", (raw, row)
        assert {c: float(row[c]) for c in attacks.CELLS} == attacks.FULL, (raw, row)
    assert _row(rows, "surrogate")["notes"].count("U+FFFD") == 1
    assert "notes\xff.txt" in _row(rows, "nina")["notes"]        # the extra file, named as Latin-1
    assert EMOJI in _row(rows, EMOJI)["notes"]                     # the raw name is kept, as data
    assert graded["first"].pages and all(p.exists() for p in graded["first"].pages)   # the class report
    for r in graded["first"].results:
        assert ids.is_safe(r.student), r.student
        assert len(graded["out"].joinpath("results", A, f"{r.student}.json.4194304.tmp").name.encode()) <= 255


@needs_sandbox
def test_a_failure_while_recording_is_that_submissions_grader_error_row(graded):
    row = _row(graded["rows1"], "bob")
    assert row["status"] == "grader-error" and "recording failed" in row["notes"], row
    assert "IsADirectoryError" in row["notes"]


@needs_sandbox
def test_the_autograded_notebook_of_a_surrogate_submission_is_valid_utf8(graded):
    auto = graded["out"] / "autograded" / "surrogate" / A / f"{A}.ipynb"
    nb = nbformat.reads(auto.read_bytes().decode("utf-8"), as_version=4)
    assert any("a \ufffd b" in c.source for c in nb.cells)


@needs_sandbox
def test_a_page_that_cannot_be_rendered_in_full_is_rendered_without_it_once(graded):
    """Item 4: the missing attachment is dropped with a note; the submission is recorded in
    full (scores, page) and a rerun does not grade it again (test_a_rerun_changes_no_row)."""
    page = (graded["out"] / "feedback" / "attach" / A / f"{A}.html").read_text()
    assert "does not have" in page and "attachment:sketch.png" not in page
    assert _row(graded["rows1"], "attach")["status"] == "graded"


@needs_sandbox
def test_a_rerun_changes_no_row(graded):
    assert graded["rows1"] == graded["rows2"]
    assert graded["second"].graded == 1 and graded["second"].skipped == len(graded["expected"]) - 1  # bob again


def test_zip_member_names_flagged_utf8_but_not_are_read_as_cp437(tmp_path):
    """A zip whose member names claim UTF-8 and are Latin-1 (one), or are Latin-1 unflagged
    (another): both members are extracted, named as CP437 reads them, and mapped."""
    nb = nbformat.writes(attacks.honest()).encode()
    path = tmp_path / "class.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"export/JosX_{A}.ipynb", nb)
        z.writestr(f"export/RenX_{A}.ipynb", nb)
        z.writestr(f"export/amy_{A}.ipynb", nb)
    data = bytearray(path.read_bytes().replace(b"JosX_", b"Jos\xe9_").replace(b"RenX_", b"Ren\xe9_"))
    start = 0
    while (at := data.find(b"export/Jos\xe9_", start)) >= 0:     # flag Jos\xe9 as UTF-8, in both headers
        for header, fixed, flag in ((b"PK\x03\x04", 30, 7), (b"PK\x01\x02", 46, 9)):
            if data[at - fixed:at - fixed + 4] == header:
                data[at - fixed + flag] |= 0x08
        start = at + 1
    path.write_bytes(bytes(data))
    with pytest.raises(UnicodeDecodeError):
        zipfile.ZipFile(path)                       # what zipfile alone does with it
    from autograder.outdir import OutputFolder
    found, unmapped = collect.collect(path, {A: src.load(A)}, out=OutputFolder(tmp_path / "out"))
    names = sorted(Path(f.path).name for f in found)
    assert names == sorted([f"Jos\u0398_{A}.ipynb", f"Ren\u0398_{A}.ipynb", f"amy_{A}.ipynb"]), (names, unmapped)
    assert all(ids.is_safe(f.student) for f in found)
    assert unmapped == []


def test_ids_are_safe_bounded_in_bytes_and_distinct():
    raws = [EMOJI, "\U0001F600" * 62, "José", "Jose\u0301", "<img src=x onerror=alert(1)>", '";alert(1);"',
            "@SUM(1+1)", "...", "L" * 150, "red\x1b[31m", os.fsdecode(b"Jos\xe9"), "a b", "~x"]
    mapped = [ids.student_id(r)[0] for r in raws]
    assert len(set(mapped)) == len(raws), mapped
    for raw, safe in zip(raws, mapped):
        assert ids.is_safe(safe) and len(safe.encode()) <= ids.MAX_ID_BYTES, (raw, safe)
        assert ids.student_id(raw)[0] == safe                     # the same name, the same id
    assert ids.student_id("alice") == ("alice", None)
    assert mapped[2].startswith("Jose-")


def test_text_is_valid_unicode_after_the_boundary():
    assert text.valid("a\ud800b") == "a\ufffdb"
    assert text.file_name(os.fsdecode(b"Jos\xe9")) == "José"
    nested = text.deep({"k\udc80": ["x\ud800", ("y",), 3]})
    json.dumps(nested, ensure_ascii=False).encode("utf-8")       # no surrogate left
