"""collect: find the submissions in a folder or zip and map each to (student, assignment).

Two layouts are recognised, also mixed in one folder:

- nbgrader's: ``<student>/<assignment>/<notebook>.ipynb`` (e.g. ``submitted/`` itself), where
  ``<assignment>`` is a known assignment id;
- flat, as an LMS exports it: one file per submission whose name contains the assignment id.
  **Rule:** the assignment id (``\\d\\d_[a-z_]+``, e.g. ``01_perceptron``) appears in the file
  name; the student id is what comes before it (``alice_01_perceptron.ipynb`` -> ``alice``,
  Canvas's ``smith_12345_67890_01_perceptron.ipynb`` -> ``smith_12345_67890``), or, when
  nothing comes before it, what comes after it (``01_perceptron_alice.ipynb`` -> ``alice``).

A zip is extracted first (no absolute paths or ``..``, no links, size and count limits).
Whatever cannot be mapped comes back as an ``Unmapped`` row with a reason.
"""
from __future__ import annotations

import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import source as src

MAX_ZIP_BYTES = 2 << 30
MAX_ZIP_FILES = 20000
IGNORED = {".ipynb_checkpoints", "__MACOSX", "__pycache__", ".DS_Store"}


@dataclass
class Found:
    student: str
    assignment: str
    path: Path | None             # None: the notebook is missing
    notes: list = field(default_factory=list)
    status: str = "ok"            # ok, missing-notebook


@dataclass
class Unmapped:
    path: Path
    reason: str


def safe_extract(zip_path: Path, dest: Path) -> list[Unmapped]:
    """Extract a zip without path traversal, links or zip bombs."""
    problems = []
    dest.mkdir(parents=True, exist_ok=True)
    root = dest.resolve()
    with zipfile.ZipFile(zip_path) as z:
        infos = z.infolist()
        if len(infos) > MAX_ZIP_FILES:
            raise ValueError(f"{zip_path.name}: more than {MAX_ZIP_FILES} files")
        if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
            raise ValueError(f"{zip_path.name}: more than {MAX_ZIP_BYTES >> 20} MB uncompressed")
        for info in infos:
            name = PurePosixPath(info.filename.replace("\\", "/"))
            mode = info.external_attr >> 16
            if info.is_dir():
                continue
            if name.is_absolute() or ".." in name.parts or stat.S_ISLNK(mode):
                problems.append(Unmapped(Path(info.filename), "unsafe path in the zip: skipped"))
                continue
            target = (root / Path(*name.parts)).resolve()
            if root not in target.parents:
                problems.append(Unmapped(Path(info.filename), "unsafe path in the zip: skipped"))
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as fin, open(target, "wb") as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
    return problems


def _student_from_name(stem: str, assignment: str) -> str | None:
    i = stem.find(assignment)
    before = stem[:i].strip(" _-.")
    after = stem[i + len(assignment):].strip(" _-.")
    after = re.sub(r"^(-?\d+|copy\d*|\(\d+\))$", "", after, flags=re.I).strip(" _-.")   # LMS re-submission suffixes
    student = before or after
    if not student:
        return None
    return re.sub(r"[^A-Za-z0-9_.@-]+", "_", student).strip("_") or None


def _assignment_in(name: str, known: list[str]) -> str | None:
    hits = [a for a in known if a in name]
    return max(hits, key=len) if hits else None


def collect(root: Path, assignments: list[str] | None = None, workdir: Path | None = None
            ) -> tuple[list[Found], list[Unmapped]]:
    known = assignments or src.available()
    unmapped: list[Unmapped] = []
    if root.is_file() and zipfile.is_zipfile(root):
        dest = (workdir or root.parent) / "incoming" / root.stem
        if dest.exists():
            shutil.rmtree(dest)
        unmapped += safe_extract(root, dest)
        root = dest
    if not root.is_dir():
        raise FileNotFoundError(f"{root}: not a folder or a zip file")
    found: dict[tuple[str, str], Found] = {}
    extras: dict[tuple[str, str], list[str]] = {}

    def add(student, assignment, path, notes=()):
        key = (student, assignment)
        if key in found and found[key].path is not None:
            prev = found[key]
            # keep the notebook named like the assignment, else the newest
            keep_new = (path.stem == assignment and prev.path.stem != assignment) or \
                (prev.path.stem != assignment and path.stat().st_mtime > prev.path.stat().st_mtime)
            other = prev.path if keep_new else path
            if keep_new:
                found[key] = Found(student, assignment, path, list(notes) + prev.notes)
            found[key].notes.append(f"several notebooks: {other.name} was ignored")
            return
        found[key] = Found(student, assignment, path, list(notes))

    files = sorted(p for p in root.rglob("*") if p.is_file() and not (set(p.relative_to(root).parts) & IGNORED))
    for p in files:
        rel = p.relative_to(root)
        parts = rel.parts
        # nbgrader layout: <student>/<assignment>/<file>
        if len(parts) >= 3 and parts[-2] in known and len(parts) == 3:
            student, assignment = parts[0], parts[1]
            if p.suffix == ".ipynb":
                notes = [] if p.stem == assignment else [f"notebook named {p.name}, expected {assignment}.ipynb"]
                add(student, assignment, p, notes)
            else:
                extras.setdefault((student, assignment), []).append(p.name)
            continue
        a = _assignment_in(p.name, known)
        if p.suffix == ".ipynb" and a:
            student = _student_from_name(p.stem, a)
            if student is None and len(parts) >= 2:
                student = parts[-2]         # <student>/<assignment>.ipynb
            if student is None:
                unmapped.append(Unmapped(rel, "no student id in the file name"))
                continue
            add(student, a, p)
        elif p.suffix == ".ipynb":
            unmapped.append(Unmapped(rel, "no assignment id in the file name"))
        elif p.suffix == ".zip":
            unmapped.append(Unmapped(rel, "a zip inside the submissions: not opened"))
        else:
            unmapped.append(Unmapped(rel, "not a notebook: ignored"))
    # nbgrader-layout folders without a notebook
    for student_dir in (d for d in root.iterdir() if d.is_dir() and d.name not in IGNORED):
        for a_dir in (d for d in student_dir.iterdir() if d.is_dir() and d.name in known):
            key = (student_dir.name, a_dir.name)
            if key not in found:
                found[key] = Found(key[0], key[1], None, [], "missing-notebook")
    for key, names in extras.items():
        if key in found:
            found[key].notes.append("extra files ignored: " + ", ".join(sorted(names)))
    if assignments:
        found = {k: v for k, v in found.items() if k[1] in assignments}
    return sorted(found.values(), key=lambda f: (f.assignment, f.student)), unmapped
