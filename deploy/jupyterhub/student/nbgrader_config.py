"""nbgrader in every user's JupyterLab on the course hub (the Assignments tab, fetch, submit,
fetch feedback): which course and where its exchange is. The hub puts this folder first on
JUPYTER_CONFIG_PATH (deploy/jupyterhub/jupyterhub_config.py)."""
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "neuron-by-neuron"
c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.path_includes_course = False
