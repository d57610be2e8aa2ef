"""text: whatever is read from a submission becomes valid Unicode text at the boundary.

A submission can carry strings no UTF-8 writer accepts: a lone UTF-16 surrogate escaped in
its JSON (``"\\ud800"``, valid JSON), or a file name whose bytes are not UTF-8 (Python reads
it as surrogate escapes, ``"notes\\udcff.txt"``). Every such code point becomes U+FFFD here,
once, so the gradebook, the feedback page, the result file and the grade sheet only ever
see text they can write.
"""
from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def valid(s: str) -> str:
    """``s`` with every lone surrogate (a JSON escape, or an undecodable byte of a file name)
    replaced by U+FFFD; valid text is returned as is (one regular-expression scan)."""
    return _SURROGATE.sub("\ufffd", s) if _SURROGATE.search(s) else s


def deep(value):
    """``value`` (JSON-like: dicts, lists, tuples, strings, numbers) with every string,
    keys included, made ``valid``."""
    if isinstance(value, str):
        return valid(value)
    if isinstance(value, dict):
        return {deep(k): deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(deep(v) for v in value)
    return value


def file_name(name: str) -> str:
    """A file name as text: each byte that was not UTF-8 (a surrogate escape, as
    ``os.listdir`` gives it) is read as Latin-1, the likeliest encoding of such a name
    (``Jos\\udce9`` -> ``José``); any other lone surrogate becomes U+FFFD."""
    return valid(_ESCAPED_BYTE.sub(lambda m: chr(ord(m.group()) - 0xDC00), name))


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
