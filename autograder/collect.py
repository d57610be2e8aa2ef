"""collect: find the submissions in a folder or zip and map each to (student, assignment).

Two layouts are recognised, also mixed in one folder:

- nbgrader's: ``<student>/<assignment>/<notebook>.ipynb`` (e.g. ``submitted/`` itself), where
  ``<assignment>`` is a known assignment id;
- flat, as an LMS exports it: one file per submission whose name contains the assignment id.
  **Rule:** the assignment id (``\\d\\d_[a-z_]+``, e.g. ``01_perceptron``) appears in the file
  name; the student id is what comes before it (``alice_01_perceptron.ipynb`` -> ``alice``,
  Canvas's ``smith_12345_67890_01_perceptron.ipynb`` -> ``smith_12345_67890``), or, when
  nothing comes before it, what comes after it (``01_perceptron_alice.ipynb`` -> ``alice``).

In a ``<folder>/<file>`` layout where the folder has sibling folders of notebooks (one
folder per student, as Moodle exports it) the student id is the folder's, whatever the file
is called. A name that is not a safe id (``ids.is_safe``: ASCII, bounded in bytes) is
mapped to one (``ids.student_id``) and the raw name kept in a note. When one id is claimed from two
places (two folders, a folder and a file name...), every claim is kept, as ``<id>~1``,
``<id>~2``..., with the flag ``id-collision`` and a note for the TA.

A zip is extracted first (no absolute paths or ``..``, no links, size and count limits; a
member that cannot be written is one unmapped file). Symbolic links and special files are
never followed or read. Whatever cannot be mapped comes back as an ``Unmapped`` row with a
reason.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import ids, text
from . import results as res
from . import source as src
from .normalize import MAX_NOTEBOOK_BYTES
from .outdir import OutputFolder
from . import zipnames

MAX_ZIP_BYTES = 2 << 30                 # all members together, uncompressed
MAX_ZIP_FILES = 20000
MAX_MEMBER_BYTES = MAX_NOTEBOOK_BYTES   # one member: larger is never written (normalize refuses it anyway)
TOO_LARGE = f"larger than {MAX_MEMBER_BYTES >> 20} MB uncompressed: not extracted"
LINK = "a symbolic link: not followed or read"
IGNORED = {".ipynb_checkpoints", "__MACOSX", "__pycache__", ".DS_Store"}


@dataclass
class Found:
    """One submission collect found: whose (``student``, the id taken from the layout or the
    file name), of which ``assignment``, the notebook's ``path`` (None: missing), the notes
    on how it was found, a ``status`` other than ok when there is nothing to grade
    (``detail`` says why) and ``flags`` for a TA (``id-collision``). It owns no file: the
    path points into the submissions folder or ``incoming/``."""
    student: str
    assignment: str
    path: Path | None             # None: the notebook is missing
    notes: list = field(default_factory=list)
    status: str = res.READY       # READY, MISSING_NOTEBOOK, TOO_LARGE (results.py)
    flags: list = field(default_factory=list)   # id-collision
    detail: str = ""


@dataclass
class Unmapped:
    path: Path
    reason: str

    def __post_init__(self):            # a row of text: names that were not UTF-8 read as Latin-1
        self.path = Path(text.file_name(str(self.path)))
        self.reason = text.file_name(self.reason)


def safe_extract(zip_path: Path, dest: Path) -> list[Unmapped]:
    """Extract a zip without path traversal, links or zip bombs; one bad member is one
    ``Unmapped`` row, never an aborted run.

    A member over ``MAX_MEMBER_BYTES`` (as declared or as it decompresses) is not written at
    all (its row says ``too large``); past ``MAX_ZIP_FILES`` members or ``MAX_ZIP_BYTES`` in all,
    the rest is not extracted; a name the file system refuses (too long...) is skipped.
    """
    problems = []
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    written = files = 0
    with zipnames.open_zip(zip_path) as z:
        for info in z.infolist():
            name = PurePosixPath(info.filename.replace("\\", "/"))
            mode = info.external_attr >> 16
            if info.is_dir():
                continue
            if name.is_absolute() or ".." in name.parts or stat.S_ISLNK(mode):
                problems.append(Unmapped(Path(info.filename), "unsafe path in the zip: skipped"))
                continue
            if files >= MAX_ZIP_FILES or written + info.file_size > MAX_ZIP_BYTES:
                problems.append(Unmapped(Path(info.filename), f"past the zip's limits ({MAX_ZIP_FILES} files, "
                                                              f"{MAX_ZIP_BYTES >> 20} MB): not extracted"))
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                problems.append(Unmapped(Path(info.filename), TOO_LARGE))
                continue
            try:
                target = (root / Path(*name.parts)).resolve()
                if root not in target.parents:
                    problems.append(Unmapped(Path(info.filename), "unsafe path in the zip: skipped"))
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                n = _copy_bounded(z, info, target)
            except (OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
                reason = getattr(e, "strerror", None) or f"{type(e).__name__}: {e}"
                problems.append(Unmapped(Path(info.filename), f"not extracted: {reason}"[:200]))
                continue
            if n is None:
                problems.append(Unmapped(Path(info.filename), TOO_LARGE))
                continue
            written += n
            files += 1
    return problems


def _copy_bounded(z: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> int | None:
    """Bytes written, or None (and nothing left on disk) past ``MAX_MEMBER_BYTES``."""
    n = 0
    with z.open(info) as fin:
        fout = open(target, "xb")           # never over an earlier member of the same name
        try:
            with fout:
                while chunk := fin.read(1 << 20):
                    n += len(chunk)
                    if n > MAX_MEMBER_BYTES:
                        raise _TooLarge
                    fout.write(chunk)
        except _TooLarge:
            target.unlink(missing_ok=True)
            return None
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return n


class _TooLarge(Exception):
    pass


def _student_from_name(stem: str, assignment: str) -> str | None:
    i = stem.find(assignment)
    before = stem[:i].strip(" _-.")
    after = stem[i + len(assignment):].strip(" _-.")
    after = re.sub(r"^(-?\d+|copy\d*|\(\d+\))$", "", after, flags=re.I).strip(" _-.")   # LMS re-submission suffixes
    # the raw name: ids.student_id maps an unsafe one to a safe id and keeps it in a note
    return (before or after) or None


def _assignment_in(name: str, known) -> str | None:
    hits = [a for a in known if a in name]
    return max(hits, key=len) if hits else None


def _walk(root: Path, unmapped: list[Unmapped]) -> list[Path]:
    """Regular files under ``root``; links and special files are reported, never followed."""
    files = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for d in list(dirnames):
            if d in IGNORED:
                dirnames.remove(d)
            elif (here / d).is_symlink():
                dirnames.remove(d)
                unmapped.append(Unmapped((here / d).relative_to(root), LINK))
        for name in filenames:
            if name in IGNORED:
                continue
            p = here / name
            try:
                st = p.lstat()
            except OSError as e:
                unmapped.append(Unmapped(p.relative_to(root), f"not readable: {e.strerror}"))
                continue
            if stat.S_ISLNK(st.st_mode):
                unmapped.append(Unmapped(p.relative_to(root), LINK))
            elif not stat.S_ISREG(st.st_mode):
                unmapped.append(Unmapped(p.relative_to(root), "not a regular file: ignored"))
            else:
                files.append(p)
    return sorted(files)


def collect(root: Path, course: dict[str, src.Assignment], out: OutputFolder | None = None
            ) -> tuple[list[Found], list[Unmapped]]:
    """Every (student, assignment) submission under ``root`` (a folder, or a zip extracted
    into ``out``'s ``incoming/``) of an assignment of ``course`` ({id: Assignment}, the
    coordinator's), and the files that map to none."""
    unmapped: list[Unmapped] = []
    too_large: list[Path] = []
    if root.is_file() and zipfile.is_zipfile(root):
        root = _extract(root, out or OutputFolder(root.parent), unmapped, too_large)
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: not a folder or a zip file")
    root = root.resolve()
    claims, extras, flat = _scan(root, course, unmapped)
    for rel in too_large:
        a = _assignment_in(rel.name, course)
        if a:
            flat.append((rel, a))
        else:
            unmapped.append(Unmapped(rel, TOO_LARGE))
    claims += _flat_claims(root, flat, too_large, unmapped)
    found = _resolve_claims(root, claims, unmapped, course)
    _add_missing(root, course, found)
    for key, names in extras.items():
        if key in found:
            found[key].notes.append("extra files ignored: " + ", ".join(sorted(names)))
    found = {k: v for k, v in found.items() if k[1] in course}
    for f in found.values():            # notes name files: as text, whatever their bytes
        f.notes = [text.file_name(n) for n in f.notes]
    return sorted(found.values(), key=lambda f: (f.assignment, f.student)), unmapped


def _extract(zip_path: Path, out: OutputFolder, unmapped: list[Unmapped], too_large: list[Path]) -> Path:
    """Extract a zipped class into ``out``'s ``incoming/``; members too large to extract
    go to ``too_large`` when they are notebooks (still a student's submission), else to ``unmapped``."""
    name = zip_path.stem if zip_path.stem not in ("", ".", "..") else "class"
    dest = out.incoming(name)
    if dest.exists():
        shutil.rmtree(dest)
    for u in safe_extract(zip_path, dest):
        if u.reason == TOO_LARGE and u.path.suffix == ".ipynb":
            too_large.append(u.path)
        else:
            unmapped.append(u)
    return dest


# a claim: (student, assignment, path or None, origin folder, notes)
Claim = tuple[str, str, "Path | None", str, list]


def _scan(root: Path, known: dict[str, src.Assignment], unmapped: list[Unmapped]):
    """Walk ``root``: claims in nbgrader's layout (<student>/<assignment>/<file>), extra
    files there {(student, assignment): names}, and [(relative path, assignment)] of the
    notebooks outside that layout (an LMS export); ``known``: {id: Assignment}."""
    claims: list[Claim] = []
    extras: dict[tuple[str, str], list[str]] = {}
    flat: list[tuple[Path, str]] = []
    for p in _walk(root, unmapped):
        rel = p.relative_to(root)
        parts = rel.parts
        if len(parts) == 3 and parts[1] in known:
            student, assignment = parts[0], parts[1]
            if p.suffix == ".ipynb":
                expected = known[assignment].file_name(".ipynb")
                notes = [] if p.name == expected else [f"notebook named {p.name}, expected {expected}"]
                claims.append((student, assignment, p, str(rel.parent), notes))
            else:
                extras.setdefault((student, assignment), []).append(p.name)
            continue
        a = _assignment_in(p.name, known)
        if p.suffix == ".ipynb" and a:
            flat.append((rel, a))
        elif p.suffix == ".ipynb":
            unmapped.append(Unmapped(rel, "no assignment id in the file name"))
        elif p.suffix == ".zip":
            unmapped.append(Unmapped(rel, "a zip inside the submissions: not opened"))
        else:
            unmapped.append(Unmapped(rel, "not a notebook: ignored"))
    return claims, extras, flat


def _flat_claims(root: Path, flat: list[tuple[Path, str]], too_large: list[Path],
                 unmapped: list[Unmapped]) -> list[Claim]:
    """Whose each notebook outside nbgrader's layout is. A folder of notebooks is one
    student's (id from the folder) when it has sibling folders of notebooks, as in an LMS
    export with one folder per student; a lone folder (a zip's wrapper) holds a flat export
    (ids from the file names)."""
    claims: list[Claim] = []
    folders = {rel.parent for rel, _ in flat if rel.parent != Path(".")}
    siblings = Counter(f.parent for f in folders)
    for rel, a in flat:
        from_name = _student_from_name(rel.stem, a)
        folder = rel.parent.name if rel.parent != Path(".") else None
        notes = []
        if folder and (siblings[rel.parent.parent] >= 2 or from_name is None):
            student = folder
            if from_name and from_name != folder:
                notes.append(f"the file name {rel.name} suggests {from_name}; graded as {folder}, the folder it was in")
        else:
            student = from_name
        if student is None:
            unmapped.append(Unmapped(rel, "no student id in the file name"))
            continue
        path = None if rel in too_large else root / rel
        claims.append((student, a, path, str(rel.parent), notes))
    return claims


def _resolve_claims(root: Path, claims: list[Claim], unmapped: list[Unmapped],
                    course: dict[str, src.Assignment]) -> dict[tuple[str, str], Found]:
    """One ``Found`` per (student, assignment); a name that is not a safe id is mapped to
    one (``ids.student_id``, the raw name in a note), and an id claimed
    from different places is kept once per place, under ids that say so (``id~1``, ``id~2``)."""
    found: dict[tuple[str, str], Found] = {}
    by_key: dict[tuple[str, str], list] = defaultdict(list)
    for student, a, path, origin, notes in claims:
        student, note = ids.student_id(student)
        by_key[(student, a)].append((student, a, path, origin, notes + ([note] if note else [])))
    taken = {k for k in by_key}
    for (student, a), group in sorted(by_key.items()):
        origins = sorted({c[3] for c in group})
        if len(origins) == 1:
            found[(student, a)] = _one_of(student, course[a], group)
            continue
        where = ", ".join(f"{o}/" for o in origins)
        for k, origin in enumerate(origins, 1):
            new = f"{student}~{k}"
            while (new, a) in taken:
                new += "~"
            taken.add((new, a))
            f = _one_of(new, course[a], [c for c in group if c[3] == origin])
            f.notes.append(f"identity collision: {len(origins)} submissions claim the id {student} "
                           f"(from {where}); kept each, this one as {new}, for the TA to decide")
            f.flags.append("id-collision")
            found[(new, a)] = f
    return found


def _add_missing(root: Path, known: dict[str, src.Assignment], found: dict[tuple[str, str], Found]) -> None:
    """nbgrader-layout folders without a notebook: a missing notebook each."""
    for student_dir in sorted(d for d in root.iterdir() if _real_dir(d) and d.name not in IGNORED):
        student, note = ids.student_id(student_dir.name)
        for a_dir in (d for d in student_dir.iterdir() if _real_dir(d) and d.name in known):
            key = (student, a_dir.name)
            if key not in found and not any(k[1] == a_dir.name and k[0].startswith(f"{key[0]}~") for k in found):
                found[key] = Found(student, key[1], None, [note] if note else [], res.MISSING_NOTEBOOK)


def _real_dir(p: Path) -> bool:
    return not p.is_symlink() and p.is_dir()


def _one_of(student: str, a: src.Assignment, group: list) -> Found:
    """One student's notebook among several from one place: the one named like the
    assignment's notebook, else the newest; the others are named in a note."""
    def rank(c):
        path = c[2]
        return (path is not None and path.stem == a.notebook_id, path.stat().st_mtime if path else 0.0, str(path))
    group = sorted(group, key=rank, reverse=True)
    _, _, path, _, notes = group[0]
    f = Found(student, a.id, path, list(notes), res.READY if path else res.TOO_LARGE,
              detail="" if path else f"larger than {MAX_MEMBER_BYTES >> 20} MB uncompressed: not extracted")
    for c in group[1:]:
        f.notes.append(f"several notebooks: {c[2].name if c[2] else '?'} was ignored")
    return f

