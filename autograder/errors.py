"""errors: what the grader's library code raises when a run cannot start or go on.

Library code never ends the process (no ``SystemExit``, no ``sys.exit``): it raises
``GradingError`` with a message for the TA, and the command line (``__main__``) prints it
and turns it into its exit status. A caller in Python (a test, a JupyterHub service) can
catch it and go on.
"""


class GradingError(Exception):
    """A run cannot start or go on for a reason the TA can fix: an unknown assignment, Dask
    not installed, a scheduler that cannot be reached. ``str(error)`` is the one-line reason."""

    exit_status = 2          # the command line's status for it (1: graded, but every submission failed)
