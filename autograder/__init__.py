"""The course's TA grading pipeline on top of nbgrader.

    python -m autograder grade SUBMISSIONS_DIR_OR_ZIP [--assignment A] [--workers N] [--force] [--out DIR]
    python -m autograder demo

Stages (one module each): collect -> worker (a limited child per submission) -> execute
(normalize, judge with diagnosis, feedback) -> record (nbgrader gradebook) -> report (CSV,
summary); the feedback page is made by feedback.
"""
import sys as _sys

# jsonschema (imported by nbformat) optionally imports rfc3987_syntax, which builds a parser at
# import time (~2 s in every process); notebook validation does not need it.
_sys.modules.setdefault("rfc3987_syntax", None)

__all__ = ["grade_class"]


def grade_class(*args, **kwargs):
    from .pipeline import grade_class as run
    return run(*args, **kwargs)
