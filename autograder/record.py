"""record: write scores into nbgrader's gradebook (from the coordinator process only).

The gradebook stays nbgrader's: the assignment's cells come from the source notebook
through nbgrader's own ``SaveCells``; each submission gets nbgrader's Grade rows with
``auto_score`` set for the test cells, and written answers are left to the formgrader
(``needs_manual_grade``). The autograded notebook goes to ``autograded/`` where the
formgrader and ``nbgrader generate_feedback`` look for it (it has no hidden tests).
Writing is idempotent: recording a submission again overwrites its auto scores and keeps
any manual grade. The submission's time and late penalty follow nbgrader's rules (``late.py``).
"""
from __future__ import annotations

import errno
import os
import stat
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from . import late, results
from . import source as src
from .outdir import OutputFolder
from .results import SubmissionResult

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


def write_config(out: OutputFolder) -> None:
    """nbgrader's config in the output folder (kept if there is one), so that nbgrader run
    there (``nbgrader export``, the formgrader) sees this run's gradebook."""
    if out.nbgrader_config.exists():
        return
    out.exchange.mkdir(parents=True, exist_ok=True)
    out.write(out.nbgrader_config, CONFIG.format(root=str(out.root.resolve()), source=str(src.SOLUTIONS),
                                                 db=out.db_url, exchange=str(out.exchange.resolve())))


def ensure_assignment(out: OutputFolder, a: src.Assignment) -> None:
    """The assignment and its cells (points, ids) in the gradebook, from the source."""
    from nbgrader.preprocessors import SaveCells

    with Gradebook(out.db_url) as gb:
        gb.update_or_create_assignment(a.id)
        try:
            gb.find_notebook(a.notebook_id, a.id)
            return
        except MissingEntry:
            pass
    SaveCells().preprocess(a.nb, {"nbgrader": {"db_url": out.db_url, "assignment": a.id,
                                               "notebook": a.notebook_id}})


def record(out: OutputFolder, a: src.Assignment, result: SubmissionResult) -> None:
    """Scores of one graded submission of ``a`` into the gradebook, and its autograded notebook."""
    assignment, student = result.assignment, result.student
    with warnings.catch_warnings(), Gradebook(out.db_url) as gb:
        warnings.simplefilter("ignore")     # nbgrader's add_submission warns (SAWarning) in autograde too
        gb.update_or_create_student(student)
        # nbgrader's time of the submission: the exchange's timestamp.txt beside it, else none
        gb.update_or_create_submission(assignment, student, timestamp=late.submission_time(result.path))
        for cell in result.cells:
            grade = gb.find_grade(cell.grade_id, a.notebook_id, assignment, student)
            grade.auto_score = cell.score
            grade.needs_manual_grade = grade.manual_score is not None or cell.score is None
        sub_nb = gb.find_submission_notebook(a.notebook_id, assignment, student)
        sub_nb.flagged = bool(result.flags) or result.status == results.NEEDS_REVIEW
        gb.db.commit()
    late.assign_penalty(out, assignment, a.notebook_id, student)
    if result.autograded_nb:
        out.write(out.autograded(student, a), result.autograded_nb)


def copy_submitted(out: OutputFolder, a: src.Assignment, result: SubmissionResult, limit: int) -> Path | None:
    """The submitted notebook into ``submitted/<student>/<assignment>/`` (where nbgrader keeps
    it), read without following links and only when it is a regular file within ``limit``
    bytes: it is copied once, never from outside the class folder."""
    if not result.path or result.status in results.NOT_COPIED:
        return None
    dest = out.submitted(result.student, a)
    if Path(result.path).resolve() == dest.resolve():
        return dest
    try:
        fd = os.open(result.path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        data = f.read(limit + 1)
    if len(data) > limit:
        raise OSError(errno.EFBIG, "grew while being copied")
    return out.write(dest, data)


EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")   # what `nbgrader collect` puts beside a notebook


def copy_exchange_files(out: OutputFolder, a: src.Assignment, result: SubmissionResult) -> None:
    """The exchange's ``timestamp.txt`` and ``submission_secret.txt`` of a collected submission
    beside its autograded notebook and feedback page, as ``nbgrader autograde`` and
    ``generate_feedback`` leave them: ``nbgrader release_feedback`` needs both to hand the page
    to the student's ``fetch_feedback``. Small regular files only, never through a link."""
    if not result.path:
        return
    for name in EXCHANGE_FILES:
        data = _small_file(Path(result.path).parent / name, 4096)
        if data is None:
            continue
        for kind in (out.autograded, out.feedback):
            out.write(kind(result.student, a).parent / name, data)


def _small_file(path: Path, limit: int) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            return None
        data = f.read(limit + 1)
    return data if len(data) <= limit else None
