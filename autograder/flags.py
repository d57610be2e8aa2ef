"""Suspicious patterns in a submission, flagged for a human in the grade sheet.

Flags never change a score: the judge does not depend on anything these patterns could
tamper with. They tell a TA where to look.
"""
from __future__ import annotations

import re

PATTERNS = {
    "ctypes": r"\bctypes\b|\bcffi\b",
    "gc": r"\bimport\s+gc\b|\bgc\.get_(referrers|referents|objects)",
    "frames": r"\binspect\.(currentframe|stack|getouterframes|getsource)|sys\._getframe|\.f_back\b|\.f_globals\b|\.f_locals\b|\btb_frame\b",
    "sys.modules": r"sys\.modules",
    "builtins": r"\b__builtins__\b|\bimport\s+builtins\b|\bbuiltins\.",
    "ipython-hooks": r"\.events\.(register|unregister)|input_transformers|ast_transformers|set_custom_exc|\bregister_magic",
    "exit/kill": r"os\._exit|os\.kill|os\.abort|signal\.|sys\.exit\(|\bquit\(|\bexit\(|faulthandler",
    "always-equal": r"def\s+__(eq|ne|lt|le|gt|ge|bool)__\s*\([^)]*\)\s*(->\s*\w+\s*)?:\s*(#.*)?\n?\s*return\s+(True|False|1|0)\b|__eq__\s*=\s*lambda",
    "file-access": r"solutions|hidden|gradebook|/work/|\.\./|os\.listdir|os\.walk|glob\.|\.ipynb",
    "subprocess": r"subprocess|os\.system|os\.popen|os\.fork|multiprocessing|pty\.",
    "monkeypatch": r"^\s*(np|numpy|nnkit|math|torch)(\.\w+)+\s*=[^=]|\bsetattr\(\s*(np|numpy|nnkit|builtins|math|torch)\b|^\s*(check_\w+|passed)\s*=[^=]|\bdef\s+(check_close|check_equal|check_shape|check_true|check_unchanged|passed)\b",
    "network": r"\bsocket\b|urllib|requests\.|http\.client",
}
_COMPILED = {k: re.compile(v, re.M) for k, v in PATTERNS.items()}


def scan(code: str) -> list[str]:
    return [name for name, rx in _COMPILED.items() if rx.search(code or "")]
