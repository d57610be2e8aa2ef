"""mistake_cells: what a catalogue (``solutions/<assignment>/mistakes.py``) builds its wrong
cells from. An entry that is the solution cell with a line or two changed reads that cell from
the solution notebook, so the catalogue stays in step with the solution (and says so, with an
error, when a line it changes is no longer there)."""
from __future__ import annotations

import json
from pathlib import Path

_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


class SolutionCells:
    """The solution cells of one source notebook, by grade id."""

    def __init__(self, notebook: Path | str):
        self.notebook = Path(notebook)

    def cell(self, grade_id: str) -> str:
        """The solution cell ``grade_id``'s code without nbgrader's solution markers."""
        cells = json.loads(self.notebook.read_text(encoding="utf-8"))["cells"]
        (cell,) = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]
        source = "".join(cell["source"])
        return "\n".join(line for line in source.splitlines() if not any(m in line for m in _MARKERS)) + "\n"

    def changed(self, grade_id: str, *replacements: tuple[str, str]) -> str:
        """The solution cell ``grade_id`` with each ``(old, new)`` replacement made; every
        ``old`` must be in the cell."""
        code = self.cell(grade_id)
        for old, new in replacements:
            assert old in code, f"mistake catalogue out of date: {old!r} not in the {grade_id} solution"
            code = code.replace(old, new)
        return code
