"""Lets nbgrader and the formgrader work from the repository root: the real
configuration lives in autograder/nbgrader_config.py."""
load_subconfig("autograder/nbgrader_config.py")  # noqa: F821  (injected by traitlets)
