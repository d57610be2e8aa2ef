"""Execute the graded cells (setup, solutions, tests with hidden tests) of every solution
notebook that does not import torch, in plain Python (no Jupyter kernel).

Used by tests/test_compat.py to run the exercises on nnkit's lower-bound versions.
Prints one line per notebook: "<assignment>: passed (<k> cells)" or "<assignment>: FAILED ...".
"""
import sys
import traceback
from pathlib import Path

import nbformat

from nbgrading import graded_cells  # this script's folder, tests/, is on sys.path

ROOT = Path(__file__).resolve().parent.parent   # not common.ROOT: this script runs in venvs without the grader


def main() -> int:
    failed = 0
    for path in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells = graded_cells(nb)  # magics removed; the Matplotlib backend comes from MPLBACKEND
        if any("torch" in source for _, source in cells):
            print(f"{path.parent.name}: skipped (needs torch)")
            continue
        namespace = {"__name__": "__main__"}
        try:
            for meta, source in cells:
                exec(compile(source, f"{path.name}:{meta['grade_id']}", "exec"), namespace)
        except Exception:
            failed += 1
            print(f"{path.parent.name}: FAILED in {meta['grade_id']}\n{traceback.format_exc()}")
        else:
            print(f"{path.parent.name}: passed ({len(cells)} cells)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
