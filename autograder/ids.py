"""ids: a student id is safe in every place the grader and nbgrader write it.

An id is a path component (``submitted/<id>/...``, ``results/<a>/<id>.json.<pid>.tmp``), a
gradebook key the formgrader pastes into HTML and into JavaScript strings, and a CSV cell.
So an id is ASCII letters, digits and ``_ . @ ~ -``, starts with a letter or digit and is at
most ``MAX_ID_BYTES`` bytes (``SAFE``). Any other name (an emoji folder, a Latin-1 file
name, markup, a formula) is mapped to a safe id (``student_id``): its ASCII skeleton plus
a short digest of the raw name, so two different names never share an id and the same
name always gets the same one; the raw name is kept as data, in a note for the TA.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

from . import text

MAX_ID_BYTES = 100
SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@~-]*\Z")
_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9_.@-]+")
_BASE_CHARS = 60          # the readable part of a mapped id; with the digest, well under the limit


def is_safe(student: str) -> bool:
    return bool(SAFE.match(student)) and len(student.encode("utf-8")) <= MAX_ID_BYTES


def student_id(raw: str) -> tuple[str, str | None]:
    """(safe id, note) for a name found in a submission: the name itself when it is safe
    (note None), else its ASCII skeleton with a digest of the raw name (``José`` ->
    ``Jose-3f9a2c1b``), and a note saying what it was submitted as."""
    if is_safe(raw):
        return raw, None
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE_RUN.sub("_", ascii_).strip("_.@-~")[:_BASE_CHARS].strip("_.@-~")
    tag = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    safe = f"{base}-{tag}" if base and base[0].isalnum() else f"student-{tag}"
    return safe, f"submitted as {shown(raw)!r}; graded as {safe}"


def shown(raw: str, limit: int = 120) -> str:
    """The raw name as printable text for a note (control characters as ``?``, cut)."""
    s = text.file_name(raw)
    s = "".join("?" if unicodedata.category(ch)[0] == "C" else ch for ch in s)
    return s[:limit] + ("…" if len(s) > limit else "")
