"""record: write scores into nbgrader's gradebook (from the coordinator process only).

The gradebook stays nbgrader's: the assignment's cells come from the source notebook
through nbgrader's own ``SaveCells``; each submission gets nbgrader's Grade rows with
``auto_score`` set for the test cells, and written answers are left to the formgrader
(``needs_manual_grade``). The autograded notebook goes to ``autograded/`` where the
formgrader and ``nbgrader generate_feedback`` look for it (it has no hidden tests).
Writing is idempotent: recording a submission again overwrites its auto scores and keeps
any manual grade.
"""
from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from . import source as src

CONFIG = '''# Written by `python -m autograder grade`: nbgrader's view of this output folder.
# Run nbgrader here (`nbgrader export`, `nbgrader generate_feedback`, the formgrader).
c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = {source!r}
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = {db!r}
c.Exchange.root = {exchange!r}
'''


def db_url(out: Path) -> str:
    return f"sqlite:///{out.resolve() / 'gradebook.db'}"


def write_config(out: Path) -> None:
    cfg = out / "nbgrader_config.py"
    if out.resolve() == (src.ROOT / "autograder").resolve() or cfg.exists():
        return
    (out / "exchange").mkdir(parents=True, exist_ok=True)
    cfg.write_text(CONFIG.format(root=str(out.resolve()), source=str(src.SOLUTIONS), db=db_url(out),
                                 exchange=str((out / "exchange").resolve())))


def ensure_assignment(out: Path, assignment: str) -> None:
    """The assignment and its cells (points, ids) in the gradebook, from the source."""
    from nbgrader.preprocessors import SaveCells

    a = src.load(assignment)
    url = db_url(out)
    with Gradebook(url) as gb:
        gb.update_or_create_assignment(assignment)
        try:
            gb.find_notebook(a.notebook_id, assignment)
            return
        except MissingEntry:
            pass
    SaveCells().preprocess(a.nb, {"nbgrader": {"db_url": url, "assignment": assignment,
                                               "notebook": a.notebook_id}})


def record(out: Path, result: dict) -> None:
    """Scores of one graded submission into the gradebook, and its autograded notebook."""
    assignment, student = result["assignment"], result["student"]
    a = src.load(assignment)
    with Gradebook(db_url(out)) as gb:
        gb.update_or_create_student(student)
        try:
            gb.find_submission(assignment, student)
        except MissingEntry:
            gb.add_submission(assignment, student, timestamp=dt.datetime.now(dt.timezone.utc).isoformat())
        for cell in result.get("cells", []):
            grade = gb.find_grade(cell["grade_id"], a.notebook_id, assignment, student)
            grade.auto_score = cell["score"]
            grade.needs_manual_grade = grade.manual_score is not None or cell["score"] is None
        sub_nb = gb.find_submission_notebook(a.notebook_id, assignment, student)
        sub_nb.flagged = bool(result.get("flags")) or result.get("status") == "needs-review"
        gb.db.commit()
    if result.get("autograded_nb"):
        dest = inside(out / "autograded", student, assignment, f"{a.notebook_id}.ipynb")
        _atomic_write(dest, result["autograded_nb"])


def inside(base: Path, *parts: str) -> Path:
    """``base / parts...``, refused (ValueError) unless every part is one plain path
    component and the result stays inside ``base`` (links included)."""
    for part in parts:
        if not part or part in (".", "..") or "/" in part or "\\" in part or "\0" in part:
            raise ValueError(f"unsafe path component {part!r}")
    path = base.joinpath(*parts)
    root = base.resolve()
    if root not in path.resolve().parents:
        raise ValueError(f"{path} is outside {base}")
    return path


def copy_submitted(out: Path, result: dict, limit: int) -> Path | None:
    """The submitted notebook into ``submitted/<student>/<assignment>/`` (where nbgrader keeps
    it), read without following links and only when it is a regular file within ``limit``
    bytes: it is copied once, never from outside the class folder."""
    src_path = result.get("path")
    if not src_path or result.get("status") in ("missing-notebook", "too-large", "unreadable"):
        return None
    a = src.load(result["assignment"])
    dest = inside(out / "submitted", result["student"], result["assignment"], f"{a.notebook_id}.ipynb")
    if Path(src_path).resolve() == dest.resolve():
        return dest
    try:
        fd = os.open(src_path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        data = f.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, "grew while being copied")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, dest)
    return dest


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
