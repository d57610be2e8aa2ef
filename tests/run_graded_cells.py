"""Execute the graded cells (setup, solutions, tests with hidden tests) of every solution
notebook that does not import torch, in plain Python (no Jupyter kernel).

Used by tests/test_compat.py to run the exercises on nnkit's lower-bound versions.
Prints one line per notebook: "<assignment>: passed (<k> cells)" or "<assignment>: FAILED ...".
"""
import sys
import traceback
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def graded_source(cell) -> str:
    # Line magics (%matplotlib inline, %pip) need IPython; the backend comes from MPLBACKEND.
    return "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))


def main() -> int:
    failed = 0
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader")]
        if any("torch" in c.source for c in cells):
            print(f"{path.parent.name}: skipped (needs torch)")
            continue
        namespace = {"__name__": "__main__"}
        try:
            for cell in cells:
                exec(compile(graded_source(cell), f"{path.name}:{cell.metadata['nbgrader']['grade_id']}", "exec"),
                     namespace)
        except Exception:
            failed += 1
            print(f"{path.parent.name}: FAILED in {cell.metadata['nbgrader']['grade_id']}\n{traceback.format_exc()}")
        else:
            print(f"{path.parent.name}: passed ({len(cells)} cells)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
