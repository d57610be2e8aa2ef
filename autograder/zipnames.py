"""zipnames: open a zip whose member names claim UTF-8 but are not.

A member's name is UTF-8 when its header sets the "language encoding" flag (bit 11) and
CP437 otherwise; ``zipfile`` decodes the unflagged ones as CP437 but raises
``UnicodeDecodeError`` for a flagged name that is not valid UTF-8, before any member can be
read. ``open_zip`` then reads the zip through a view of the file in which that flag is
cleared for those members only (central directory and local header), so their names decode
as CP437 like any unflagged name, and every other member is read as it is.
"""
from __future__ import annotations

import contextlib
import io
import struct
import zipfile
from pathlib import Path

UTF8_FLAG = 1 << 11
_EOCD = struct.Struct("<4s4H2LH")               # end of central directory
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")      # one central directory entry (46 bytes)


@contextlib.contextmanager
def open_zip(path: Path):
    """``zipfile.ZipFile`` of ``path`` for reading, whatever its members' names claim."""
    try:
        z = zipfile.ZipFile(path)
    except UnicodeDecodeError:
        z = None
    if z is not None:
        with z:
            yield z
        return
    with open(path, "rb") as raw:
        view = _FlagCleared(raw, _bad_flag_bytes(raw))
        with zipfile.ZipFile(view) as z:
            yield z


class _FlagCleared(io.RawIOBase):
    """A read-only view of ``raw`` with bit 3 cleared in the bytes at ``positions``."""

    def __init__(self, raw, positions: set[int]):
        super().__init__()
        self._raw, self._positions = raw, positions

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def read(self, n: int = -1) -> bytes:
        start = self._raw.tell()
        data = self._raw.read(n)
        hit = [p for p in self._positions if start <= p < start + len(data)]
        if not hit:
            return data
        buf = bytearray(data)
        for p in hit:
            buf[p - start] &= ~(UTF8_FLAG >> 8) & 0xFF
        return bytes(buf)


def _bad_flag_bytes(f) -> set[int]:
    """Offsets of the flag's high byte, in the central directory and the local header, of
    every member flagged UTF-8 whose name is not valid UTF-8."""
    cd_offset, count = _central_directory(f)
    positions, pos = set(), cd_offset
    for _ in range(count):
        f.seek(pos)
        fixed = f.read(_CENTRAL.size)
        if len(fixed) < _CENTRAL.size or fixed[:4] != b"PK\x01\x02":
            break
        entry = _CENTRAL.unpack(fixed)
        flags, name_len, extra_len, comment_len, local = entry[5], entry[12], entry[13], entry[14], entry[18]
        name = f.read(name_len)
        extra = f.read(extra_len)
        if flags & UTF8_FLAG and not _is_utf8(name):
            positions.add(pos + 9)
            positions.add(_local_offset(local, entry, extra) + 7)
        pos += _CENTRAL.size + name_len + extra_len + comment_len
    return positions


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _central_directory(f) -> tuple[int, int]:
    """(offset, entries) of the central directory, from the (zip64) end record."""
    f.seek(0, io.SEEK_END)
    size = f.tell()
    f.seek(max(0, size - (1 << 16) - _EOCD.size))
    tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0:
        raise zipfile.BadZipFile("no end of central directory")
    _, _, _, _, count, _, offset, _ = _EOCD.unpack(tail[at:at + _EOCD.size])
    if (offset == 0xFFFFFFFF or count == 0xFFFF) and at >= _EOCD64_LOCATOR.size:
        loc = _EOCD64_LOCATOR.unpack(tail[at - _EOCD64_LOCATOR.size:at])
        f.seek(loc[2])
        rec = _EOCD64.unpack(f.read(_EOCD64.size))
        count, offset = rec[7], rec[9]
    return offset, count


def _local_offset(offset: int, entry: tuple, extra: bytes) -> int:
    """The local header's offset, from the zip64 extra field when the entry says 0xFFFFFFFF."""
    if offset != 0xFFFFFFFF:
        return offset
    i = 0
    while i + 4 <= len(extra):
        tag, n = struct.unpack("<HH", extra[i:i + 4])
        if tag == 1:
            fields = [8 if entry[k] == 0xFFFFFFFF else 0 for k in (11, 10)]   # uncompressed, compressed
            skip = sum(fields)
            return struct.unpack("<Q", extra[i + 4 + skip:i + 12 + skip])[0]
        i += 4 + n
    return offset
