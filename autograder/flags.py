r"""Suspicious patterns in a submission, flagged for a human in the grade sheet.

Flags never change a score: the judge does not depend on anything these patterns could
tamper with. They tell a TA where to look.

The scan runs in the trusted process on whatever a student wrote, so its cost must be
linear in the code's length (and the code it scans is bounded): no repetition in a pattern can cross a line (``[ \t]``, never
``\s``, which under ``re.M`` also matches newlines and made ``^\s*`` quadratic in the number of
blank lines), and a repetition after a pattern's start that could run to the end of a long
line is bounded (``{0,N}``). tests/test_hostile_class.py checks both on every pattern.
"""
from __future__ import annotations

import re

PATTERNS = {
    "ctypes": r"\bctypes\b|\bcffi\b",
    "gc": r"\bimport[ \t]+gc\b|\bgc\.get_(referrers|referents|objects)",
    "frames": r"\binspect\.(currentframe|stack|getouterframes|getsource)|sys\._getframe|\.f_back\b|\.f_globals\b|\.f_locals\b|\btb_frame\b",
    "sys.modules": r"sys\.modules",
    "builtins": r"\b__builtins__\b|\bimport[ \t]+builtins\b|\bbuiltins\.",
    "ipython-hooks": r"\.events\.(register|unregister)|input_transformers|ast_transformers|set_custom_exc|\bregister_magic",
    "exit/kill": r"os\._exit|os\.kill|os\.abort|signal\.|sys\.exit\(|\bquit\(|\bexit\(|faulthandler",
    "always-equal": r"def[ \t]+__(eq|ne|lt|le|gt|ge|bool)__[ \t]*\([^)\n]{0,200}\)[ \t]*(->[ \t]*\w{1,50}[ \t]*)?:"
                    r"([ \t]{0,200}(#[^\n]{0,200})?\n){0,3}[ \t]{0,200}return[ \t]+(True|False|1|0)\b|__eq__[ \t]*=[ \t]*lambda",
    # a path or a name of the grader's files; not the word "hidden" (a hidden layer is not a hidden test)
    "file-access": r"solutions[/\\'\"]|(?i:hidden[ _-]?tests?)|gradebook|/work/|\.\./|os\.listdir|os\.walk|glob\.|\.ipynb",
    "subprocess": r"subprocess|os\.system|os\.popen|os\.fork|multiprocessing|pty\.",
    "monkeypatch": r"^[ \t]*(np|numpy|nnkit|math|torch)(\.\w+)+[ \t]*=[^=]|\bsetattr\([ \t]*(np|numpy|nnkit|builtins|math|torch)\b|^[ \t]*(check_\w+|passed)[ \t]*=[^=]|\bdef[ \t]+(check_close|check_equal|check_shape|check_true|check_unchanged|passed)\b",
    "network": r"\bsocket\b|urllib|requests\.|http\.client",
}
_COMPILED = {k: re.compile(v, re.M) for k, v in PATTERNS.items()}


MAX_SCAN_CHARS = 1_000_000      # code scanned, empty lines removed (the course's answers are a few thousand)
_NEWLINES = re.compile(r"\n{2,}")     # one match per run of empty lines: linear


def scan(code: str) -> list[str]:
    """Names of the patterns found in ``code``; ``too-long-to-scan`` when, without its empty
    lines, it is longer than ``MAX_SCAN_CHARS`` (only its start is scanned)."""
    lines = _NEWLINES.sub("\n", code or "")
    found = [name for name, rx in _COMPILED.items() if rx.search(lines, 0, MAX_SCAN_CHARS)]
    return found + (["too-long-to-scan"] if len(lines) > MAX_SCAN_CHARS else [])
