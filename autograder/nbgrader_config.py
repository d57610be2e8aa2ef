"""nbgrader configuration of the course.

nbgrader's own commands (``nbgrader generate_assignment``, ``nbgrader autograde``,
``nbgrader generate_feedback``, ``nbgrader export``) and the formgrader read this
file when run from ``autograder/``; the repository root's ``nbgrader_config.py``
loads it too, so they also work from there.

Layout: the course root is the repository's ``grading/`` folder (``outdir.DEFAULT_ROOT``,
where ``python -m autograder grade`` writes by default; git-ignored):
  ../solutions/<assignment>/   nbgrader "source": full solutions with hidden tests
  ../notebooks/<assignment>/   nbgrader "release": the student notebooks (committed)
  grading/submitted/, autograded/, feedback/, gradebook.db, exchange/   grading work (not committed)
"""
from pathlib import Path

# this file is read by nbgrader, which cannot import the grader: keep this name equal to
# autograder/outdir.py's DEFAULT_ROOT (tests/test_course_config.py checks)
course_root = Path(__file__).resolve().parent.parent / "grading"
c = get_config()  # noqa: F821  (injected by traitlets)

c.CourseDirectory.course_id = "neuron-by-neuron"
c.CourseDirectory.root = str(course_root)
c.CourseDirectory.source_directory = "../solutions"
c.CourseDirectory.release_directory = "../notebooks"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = f"sqlite:///{course_root / 'gradebook.db'}"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.percent.py", "mistakes.py"]

# The exchange (nbgrader's release/collect hand-over) must exist and be writable.
exchange = course_root / "exchange"
exchange.mkdir(parents=True, exist_ok=True)
c.Exchange.root = str(exchange)

# A cell that runs longer than this is stopped; the notebook is still graded.
c.ExecutePreprocessor.timeout = 120
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
