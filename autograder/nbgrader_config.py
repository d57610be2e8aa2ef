"""nbgrader configuration of the course.

nbgrader's own commands (``nbgrader generate_assignment``, ``nbgrader autograde``,
``nbgrader generate_feedback``, ``nbgrader export``) and the formgrader read this
file when run from ``autograder/``; the repository root's ``nbgrader_config.py``
loads it too, so they also work from there.

Layout (relative to this folder, the course root):
  ../solutions/<assignment>/   nbgrader "source": full solutions with hidden tests
  ../notebooks/<assignment>/   nbgrader "release": the student notebooks (committed)
  submitted/, autograded/, feedback/, gradebook.db, exchange/   grading work (not committed)
"""
from pathlib import Path

here = Path(__file__).resolve().parent
c = get_config()  # noqa: F821  (injected by traitlets)

c.CourseDirectory.course_id = "neuron-by-neuron"
c.CourseDirectory.root = str(here)
c.CourseDirectory.source_directory = "../solutions"
c.CourseDirectory.release_directory = "../notebooks"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = f"sqlite:///{here / 'gradebook.db'}"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.percent.py", "mistakes.py"]

# The exchange (nbgrader's release/collect hand-over) must exist and be writable.
exchange = here / "exchange"
exchange.mkdir(exist_ok=True)
c.Exchange.root = str(exchange)

# A cell that runs longer than this is stopped; the notebook is still graded.
c.ExecutePreprocessor.timeout = 120
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
