"""outdir: the output folder of a grading run, and every path in it.

By default that is ``DEFAULT_ROOT``, the repository's git-ignored ``grading/`` folder:
nbgrader's course root (its gradebook, exchange, submitted/autograded/feedback folders) and
the grader's own files, so students' work and grades never land in the source tree.

    <out>/
      nbgrader_config.py, exchange/   nbgrader's view of this folder (record.write_config)
      gradebook.db                    nbgrader's gradebook (record)
      submitted/<student>/<assignment>/<notebook>.ipynb    the file as submitted
      autograded/<student>/<assignment>/<notebook>.ipynb   scored, hidden tests removed
      feedback/<student>/<assignment>/<notebook>.html      the student's feedback page
      results/<assignment>/<student>.json                  SubmissionResult: the done marker
      grade_sheet.csv                 one row per submission (report)
      class_report/<assignment>/      the TA's page and its CSVs (class_report)
      cache/mistake-traces/           the catalogued mistakes' traces (diagnose)
      incoming/<zip stem>/            a zipped class, extracted (collect)

``OutputFolder`` is the only place that joins these paths; a student id or assignment
that would leave the folder (``..``, a slash, a link) is refused with ``ValueError``.
To add an output file: add its path method here and write it with ``write``.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import results
from . import source as src

# where grading work goes unless told otherwise (``--out``): the one place that names it;
# autograder/nbgrader_config.py points nbgrader there too (tests/test_course_config.py checks)
DEFAULT_ROOT = src.ROOT / "grading"


def inside(base: Path, *parts: str) -> Path:
    """``base / parts...``, refused (ValueError) unless every part is one plain path
    component and the result stays inside ``base`` (links included)."""
    for part in parts:
        if not part or part in (".", "..") or "/" in part or "\\" in part or "\0" in part:
            raise ValueError(f"unsafe path component {part!r}")
    return _contained(base, base.joinpath(*parts))


def _contained(base: Path, path: Path) -> Path:
    """``path``, refused (ValueError) unless it resolves (links included) inside ``base``."""
    if base.resolve() not in path.resolve().parents:
        raise ValueError(f"{path} is outside {base}")
    return path


def atomic_write(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` so a reader sees the old file or the new one, never half:
    a temporary file (named for this process, so concurrent writers do not collide) is
    renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    if isinstance(data, bytes):
        tmp.write_bytes(data)
    else:
        tmp.write_text(data, encoding="utf-8")
    os.replace(tmp, path)
    return path


def digest(path: Path | None) -> str:
    """sha256 of a file's bytes; "missing" for no file."""
    if path is None:
        return "missing"
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class OutputFolder:
    """The output folder at ``root`` (created on first use)."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"OutputFolder({str(self.root)!r})"

    def create(self) -> "OutputFolder":
        self.root.mkdir(parents=True, exist_ok=True)
        return self

    # --- nbgrader's files ------------------------------------------------------------
    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.gradebook.resolve()}"

    @property
    def nbgrader_config(self) -> Path:
        return self.root / "nbgrader_config.py"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    def _per_student(self, kind: str, student: str, assignment: src.Assignment, suffix: str) -> Path:
        """``<kind>/<student>/<assignment id>/<the assignment's notebook id><suffix>``."""
        return inside(self.root / kind, student, assignment.id, assignment.file_name(suffix))

    def submitted(self, student: str, assignment: src.Assignment) -> Path:
        return self._per_student("submitted", student, assignment, ".ipynb")

    def autograded(self, student: str, assignment: src.Assignment) -> Path:
        return self._per_student("autograded", student, assignment, ".ipynb")

    def feedback(self, student: str, assignment: src.Assignment) -> Path:
        return self._per_student("feedback", student, assignment, ".html")

    @property
    def feedback_root(self) -> Path:
        return self.root / "feedback"

    # --- the pipeline's own files ----------------------------------------------------
    def result(self, student: str, assignment: str) -> Path:
        inside(self.root / "results", assignment, student)     # the same ids as everywhere else
        return inside(self.root / "results", assignment, f"{student}.json")

    @property
    def grade_sheet(self) -> Path:
        return self.root / "grade_sheet.csv"   # not grades.csv: that is `nbgrader export`'s

    def class_report(self, assignment: str) -> Path:
        return inside(self.root / "class_report", assignment)

    @property
    def trace_cache(self) -> Path:
        return self.root.resolve() / "cache" / "mistake-traces"

    def incoming(self, name: str) -> Path:
        return inside(self.root / "incoming", name)

    # --- writing and reading ---------------------------------------------------------
    def write(self, path: Path, data: str | bytes) -> Path:
        """``atomic_write``, refused for a path outside this folder."""
        return atomic_write(_contained(self.root, path), data)

    def save_result(self, result: results.SubmissionResult) -> Path:
        """The result file, written last for a submission: it marks it done."""
        path = self.result(result.student, result.assignment)
        return self.write(path, json.dumps(result.to_json(), indent=1))

    def load_result(self, student: str, assignment: str) -> results.SubmissionResult | None:
        return _read_result(self.result(student, assignment))

    def load_results(self) -> list[results.SubmissionResult]:
        """Every saved result (a damaged file is skipped: its submission is graded again)."""
        found = (_read_result(p) for p in sorted((self.root / "results").glob("*/*.json")))
        return [r for r in found if r is not None]

    def already_graded(self, student: str, assignment: str, file_digest: str) -> bool:
        """A result exists for these very bytes, in this format, and needs no retry."""
        old = self.load_result(student, assignment)
        return (old is not None and old.digest == file_digest and old.version == results.VERSION
                and old.status not in results.RETRY)


def _read_result(path: Path) -> results.SubmissionResult | None:
    """The result saved at ``path``; None when there is none or it is damaged."""
    try:
        return results.SubmissionResult.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError):
        return None
