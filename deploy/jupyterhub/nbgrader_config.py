"""nbgrader settings of the course root on the hub (docs/jupyterhub.md); `ta.sh setup` writes
the course root's own nbgrader_config.py, which loads this file and adds where the root,
the gradebook and the exchange are."""
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent.parent
c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "neuron-by-neuron"
c.CourseDirectory.source_directory = str(CHECKOUT / "solutions")
c.CourseDirectory.release_directory = str(CHECKOUT / "notebooks")
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.percent.py", "mistakes.py"]
c.Exchange.path_includes_course = False

# Late submissions (autograder/late.py): nbgrader's rules, the course's policy.
c.AssignLatePenalties.plugin_class = "autograder.late.PointsPerHourLate"
c.PointsPerHourLate.points_per_hour = 1.0

# Canvas's id of each assignment (the number in its column of Canvas's gradebook export);
# without one, the import creates a new Canvas assignment.
c.CanvasExporter.assignment_ids = {}
