"""Take a few function definitions out of another notebook, and run nothing else of it.

Notebook 07 compares the optimizers a student wrote in notebook 06 with ``torch.optim``. It
needs those functions, not the rest of 06 (its training runs, plots and widgets), so
``load_functions`` reads the other notebook's code cells, keeps the top-level ``def``
statements with the requested names, and executes only those, in a fresh namespace that holds
NumPy as ``np`` and ``math`` (plus whatever the caller adds). A missing file or name is
reported, never guessed: the caller decides what to say.
"""
from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import numpy as np

__all__ = ["find_notebook", "load_functions"]


def find_notebook(name: str, start: str | Path = ".") -> Path | None:
    """The notebook ``<name>.ipynb`` next to ``start``: in it, or in ``../<name>/``; None if absent.

    ``start`` is a folder, by default the working directory (a notebook's own folder in Jupyter).
    """
    start = Path(start).resolve()
    for candidate in (start / f"{name}.ipynb", start.parent / name / f"{name}.ipynb"):
        if candidate.is_file():
            return candidate
    return None


def _code_cells(path: Path) -> list[str]:
    """The sources of a notebook's code cells, IPython magics and shell lines removed."""
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    sources = []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        sources.append("\n".join(lines))
    return sources


def load_functions(path: str | Path, names, namespace: dict | None = None) -> dict:
    """The functions ``names`` as defined in the notebook at ``path``, and nothing else run.

    Inputs:
    - path: an ``.ipynb`` file
    - names: the function names wanted
    - namespace: extra globals for the functions (e.g. ``{"torch": torch}``); ``np`` and
      ``math`` are always there

    Only top-level ``def`` statements with a wanted name are executed (the last definition of a
    name wins, as when the notebook runs top to bottom); cells that do not parse are skipped.
    Returns a dict from each name found to its function; names not defined are absent.
    Raises FileNotFoundError when the file does not exist.
    """
    wanted = set(names)
    found: dict[str, ast.FunctionDef] = {}
    for source in _code_cells(Path(path)):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in wanted:
                found[node.name] = node
    scope = {"np": np, "math": math, **(namespace or {})}
    for name, node in found.items():
        module = ast.Module(body=[node], type_ignores=[])
        exec(compile(module, f"{path}:{name}", "exec"), scope)  # noqa: S102 - the student's own notebook
    return {name: scope[name] for name in found}
