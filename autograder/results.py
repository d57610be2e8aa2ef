"""results: what grading one submission produced, as typed data every stage shares.

``SubmissionResult`` is made by a worker (``execute``) or by the coordinator for a
submission that never reached one (``pipeline``), crosses the process (or Dask) boundary
as a pickled object, is saved as JSON (``to_json``/``from_json``) in the output folder's
``results/``, and is read back by ``record``, ``report``, ``class_report`` and
``benchmark``. Every status a submission or a check can have is named here.

To add a status: add its constant below, to ``SUBMISSION_STATUSES`` or ``CELL_STATUSES``,
and to ``RETRY`` or ``PROBLEM_CELL`` if a rerun should grade it again or a TA should look.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

# --- a submission's status -------------------------------------------------------------
READY = "ok"                             # collect and normalize: found and readable, to be graded
GRADED = "graded"
NEEDS_REVIEW = "needs-review"            # a check the grader could not decide
# the submission's own problems (collect, normalize)
MISSING_NOTEBOOK = "missing-notebook"
TOO_LARGE = "too-large"
UNREADABLE = "unreadable"
EMPTY = "empty"
INVALID_JSON = "invalid-json"
NOT_A_NOTEBOOK = "not-a-notebook"
WRONG_ASSIGNMENT = "wrong-assignment"
# the grader's problems: the student could not have caused them (except by outgrowing
# the grader's limits, which costs only that submission)
GRADER_ERROR = "grader-error"
GRADER_TIMEOUT = "grader-timeout"       # the grader's CPU time for one submission
TIME_BUDGET = "time-budget"             # the submission's wall-clock budget for all its steps (budget.py)
GRADER_MEMORY = "grader-memory"
WORKER_LOST = "worker-lost"

SUBMISSION_STATUSES = frozenset({
    GRADED, NEEDS_REVIEW, MISSING_NOTEBOOK, TOO_LARGE, UNREADABLE, EMPTY, INVALID_JSON,
    NOT_A_NOTEBOOK, WRONG_ASSIGNMENT, GRADER_ERROR, GRADER_TIMEOUT, TIME_BUDGET, GRADER_MEMORY, WORKER_LOST})
# not done: a rerun grades these again (a lost worker, or a grader failure such as a lost
# connection to the scheduler; a submission's own problems have statuses of their own)
RETRY = frozenset({WORKER_LOST, GRADER_ERROR})
# nothing of the submission's notebook is kept in submitted/
NOT_COPIED = frozenset({MISSING_NOTEBOOK, TOO_LARGE, UNREADABLE})

# --- a check's (test cell's) status ------------------------------------------------------
PASSED = "passed"
FAILED = "failed"
ERROR = "error"
TIMEOUT = "timeout"
CRASHED = "crashed"
CELL_GRADER_ERROR = GRADER_ERROR         # the judge could not decide: score None
CELL_STATUSES = frozenset({PASSED, FAILED, ERROR, TIMEOUT, CRASHED, CELL_GRADER_ERROR})
PROBLEM_CELL = frozenset({TIMEOUT, CRASHED, CELL_GRADER_ERROR})   # a TA should look

# --- the feedback run's status (``--run-notebooks``: feedback.py; shown in the feedback page) -----
RUN_OK = "ok"                             # ended well (jail/feedback_driver.py's own word for it)
RUN_SKIPPED = "skipped"                   # not run: the default mode does not run the notebook
RUN_TIMEOUT = "timeout"                   # the whole notebook's wall clock ran out
RUN_CRASHED = "crashed"                   # no notebook came back
RUN_OUTPUT_TOO_LARGE = "output-too-large"  # what came back was cut at the output limit
RUN_UNREADABLE = "unreadable"             # a status the driver would not have written
# (the driver's other statuses, "kernel-died", "N cell(s) stopped after S s", "error: Name",
# are passed on as it wrote them: feedback.run_status)

# --- the grade sheet's status of a file that maps to no submission (report.py) -----------
UNMAPPED = "unmapped"

# bump when the saved JSON changes meaning: older result files are then graded again
VERSION = 1


@dataclass
class KnownMistake:
    """A catalogued mistake a failed check matched, as the student may see it (never its code)."""
    id: str
    exercise: str        # grade id of the solution cell it is a wrong version of
    explanation: str
    section: str         # the notebook section that explains the point


@dataclass
class CellResult:
    """The judge's verdict on one test cell (check)."""
    grade_id: str
    points: float
    score: float | None          # None: the grader could not decide (needs a human)
    status: str                  # one of CELL_STATUSES
    message: str = ""            # safe to show the student (no hidden source or inputs)
    detail: str = ""             # for the TA only
    diagnosis: list[KnownMistake] = field(default_factory=list)
    advice: str = ""             # what to do when no known mistake matches

    @classmethod
    def from_json(cls, data: dict) -> "CellResult":
        data = dict(data)
        data["diagnosis"] = [KnownMistake(**d) for d in data.get("diagnosis", [])]
        return cls(**data)


@dataclass
class SubmissionResult:
    """One student's submission of one assignment, graded (or why not).

    ``autograded_nb``, ``feedback_nb`` and ``html`` travel from the worker to the
    coordinator only: they are written to their own files and never saved in the JSON."""
    student: str
    assignment: str
    path: str | None                     # the submitted file; None: none was found
    status: str = GRADED                 # one of SUBMISSION_STATUSES
    detail: str = ""                     # why, when the status is not GRADED
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)       # tampering found by flags.scan
    cells: list[CellResult] = field(default_factory=list)
    setup_errors: list[tuple[str, str]] = field(default_factory=list)   # (cell, message)
    timing: dict[str, float] = field(default_factory=dict)             # seconds, and grader_rss_mb
    traceback: str = ""                  # a grader bug's traceback, for the maintainers
    digest: str = ""                     # sha256 of the submitted file ("missing": none)
    version: int = VERSION
    autograded_nb: str | None = None
    feedback_nb: str | None = None
    html: str | None = None

    TRANSIENT = ("autograded_nb", "feedback_nb", "html")

    @property
    def graded(self) -> bool:
        """Its checks were run (whatever they scored)."""
        return bool(self.cells)

    @property
    def score(self) -> float:
        return sum(c.score or 0 for c in self.cells)

    def problem_cells(self) -> list[CellResult]:
        return [c for c in self.cells if c.status in PROBLEM_CELL]

    def needs_ta(self) -> bool:
        """Not graded normally, flagged, or a check that timed out, crashed or could not be
        judged. The console summary and the class report both count this."""
        return self.status != GRADED or bool(self.flags) or bool(self.problem_cells())

    def all_notes(self) -> str:
        return "; ".join(([self.detail] if self.detail else []) + self.notes)

    def add_flags(self, extra: list[str]) -> None:
        self.flags += [f for f in extra if f not in self.flags]

    def with_status(self, status: str, detail: str) -> "SubmissionResult":
        """This result failed with ``status``: nothing graded is kept."""
        return dataclasses.replace(self, status=status, detail=detail, cells=[],
                                   autograded_nb=None, feedback_nb=None, html=None)

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        for k in self.TRANSIENT:
            data.pop(k)
        return data

    @classmethod
    def from_json(cls, data: dict) -> "SubmissionResult":
        names = {f.name for f in dataclasses.fields(cls)} - set(cls.TRANSIENT)
        data = {k: v for k, v in data.items() if k in names}
        data["cells"] = [CellResult.from_json(c) for c in data.get("cells", [])]
        data["setup_errors"] = [tuple(e) for e in data.get("setup_errors", [])]
        return cls(**data)
