"""Hidden inputs leak no bits through the feedback (issue 24, item 14).

Once hidden inputs have reached the student's code, a failed check says only "failed" or
"raised an error": never which exception the student's code raised, nor the exit status of
an interpreter it ended. Each plant below encodes bits of a hidden input in one of those
channels; the student's own feedback (``CellResult.message``) must not carry them.
"""
from __future__ import annotations

import re

import answer_sets as sets
import planted

ASSIGNMENT = "01_perceptron"
EXERCISE, TEST = "net_input", "test_net_input"
LATER, LATER_TEST = "heaviside", "test_heaviside"      # checked after net_input's hidden part

# visible calls answered right; on a hidden call, the exception's class or the exit status
# is chosen by the hidden bias b (5 and 8 bits of it)
RAISE = """
    def {name}(*args, **kwargs):
        if _planted_fp((args, kwargs)) in _PLANTED_VISIBLE:
            return _planted_ref_{name}(*args, **kwargs)
        kinds = [ValueError, KeyError, IndexError, ZeroDivisionError, OverflowError, LookupError,
                 ArithmeticError, MemoryError, UnicodeError, BufferError, EOFError, FloatingPointError,
                 RecursionError, TimeoutError, PermissionError, FileExistsError, ConnectionError,
                 NotADirectoryError, IsADirectoryError, InterruptedError, ChildProcessError,
                 ProcessLookupError, BlockingIOError, BrokenPipeError, UnboundLocalError, SyntaxError,
                 TabError, SystemError, ReferenceError, StopIteration, GeneratorExit, NameError]
        raise kinds[int(abs(float(args[2])) * 1000) % 32]("")
"""
EXIT = """
    def {name}(*args, **kwargs):
        if _planted_fp((args, kwargs)) in _PLANTED_VISIBLE:
            return _planted_ref_{name}(*args, **kwargs)
        import os
        os._exit(100 + int(abs(float(args[2])) * 1000) % 100)
"""
# net_input remembers the hidden bias; a later check's call raises an exception chosen by it
REMEMBER = """
    _planted_seen = []

    def {name}(*args, **kwargs):
        if _planted_fp((args, kwargs)) not in _PLANTED_VISIBLE:
            _planted_seen.append(float(args[2]))
        return _planted_ref_{name}(*args, **kwargs)
"""
RAISE_LATER = """
    def {name}(*args, **kwargs):
        if _planted_seen:
            raise [ValueError, KeyError, IndexError, ZeroDivisionError][int(abs(_planted_seen[0]) * 1000) % 4]("")
        return _planted_ref_{name}(*args, **kwargs)
"""

_NAMES = re.compile(r"\b[A-Z]\w*(Error|Exception|Exit|Iteration|Interrupt)\b")


def _message(answers: dict, test_id: str) -> str:
    cell = sets.grader_cells(ASSIGNMENT, answers, only=[test_id], diagnose=False)[test_id]
    assert cell.score == 0, cell
    return cell.message


@sets.needs_sandbox
def test_a_hidden_check_does_not_name_the_exception():
    msg = _message(planted.planted(ASSIGNMENT, EXERCISE, "raise", RAISE)["answers"], TEST)
    assert not _NAMES.search(msg), msg
    assert msg == "hidden check failed: your code raised an error"


@sets.needs_sandbox
def test_a_hidden_check_does_not_show_the_exit_status():
    msg = _message(planted.planted(ASSIGNMENT, EXERCISE, "exit", EXIT)["answers"], TEST)
    assert not re.search(r"\d", msg), msg
    assert msg == "hidden check failed: your code crashed the Python interpreter"


@sets.needs_sandbox
def test_a_later_check_does_not_name_the_exception_either():
    answers = dict(planted.planted(ASSIGNMENT, EXERCISE, "remember", REMEMBER)["answers"])
    later = planted.planted(ASSIGNMENT, LATER, "raise-later", RAISE_LATER)["answers"]
    (cell, code), = later.items()
    answers[cell] = code.replace("if _planted_seen:", "if globals().get('_planted_seen'):")
    cells = sets.grader_cells(ASSIGNMENT, answers, only=[TEST, LATER_TEST], diagnose=False)
    assert cells[TEST].score == cells[TEST].points
    msg = cells[LATER_TEST].message
    assert cells[LATER_TEST].score == 0 and not _NAMES.search(msg), msg
