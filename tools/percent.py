"""Convert between an nbgrader source notebook and a plain-text "percent" script.

The notebooks in ``solutions/`` are the source of truth; edit them in Jupyter with
nbgrader's "Create Assignment" toolbar, or, if you prefer a text editor and clean
diffs, round-trip through this format:

    python tools/percent.py to-text solutions/01_perceptron/01_perceptron.ipynb > /tmp/01.py
    # ... edit /tmp/01.py ...
    python tools/percent.py to-ipynb /tmp/01.py solutions/01_perceptron/01_perceptron.ipynb

A cell starts with a line ``# %%`` followed by its kind and options:

    # %% [markdown]                       markdown
    # %% [markdown] readonly              markdown that nbgrader locks
    # %% [markdown] answer id=q_xor points=2   manually graded written answer
    # %%                                  plain code (demos, plots, widgets)
    # %% readonly id=setup                code that nbgrader locks
    # %% solution id=net_input            autograded answer (### BEGIN/END SOLUTION inside)
    # %% tests id=test_net_input points=2 autograder tests (visible + ### BEGIN HIDDEN TESTS)

Markdown lines carry a leading ``# `` that is removed. ``tags=a,b`` adds cell tags.
"""
from __future__ import annotations

import argparse
import re
import sys

import nbformat

HEADER = re.compile(r"^# %%(?P<md> \[markdown\])?(?P<opts>.*)$")
KINDS = ("readonly", "solution", "tests", "answer")


def _nbgrader_meta(kind, opts):
    grade_id = opts.get("id")
    if kind and not grade_id:
        raise ValueError(f"a {kind} cell needs id=...")
    meta = {"grade": kind in ("tests", "answer"), "grade_id": grade_id,
            "locked": kind in ("readonly", "tests"), "schema_version": 3,
            "solution": kind in ("solution", "answer"), "task": False}
    if meta["grade"]:
        meta["points"] = float(opts.get("points", 1))
    return meta


def text_to_notebook(text: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                  "name": "python3"},
                   "language_info": {"name": "python"}}
    current = None
    for line in text.splitlines():
        m = HEADER.match(line)
        if m:
            words = m.group("opts").split()
            kind = next((w for w in words if w in KINDS), None)
            opts = dict(w.split("=", 1) for w in words if "=" in w)
            current = {"markdown": bool(m.group("md")), "kind": kind, "opts": opts, "lines": []}
            nb.cells.append(current)
        elif current is None:
            continue  # text before the first cell marker (a module docstring, say)
        else:
            current["lines"].append(line)
    cells = []
    for c in nb.cells:
        lines = c["lines"]
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if c["markdown"]:
            source = "\n".join(re.sub(r"^# ?", "", ln) for ln in lines)
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell("\n".join(lines))
        if c["kind"]:
            cell.metadata["nbgrader"] = _nbgrader_meta(c["kind"], c["opts"])
        if "tags" in c["opts"]:
            cell.metadata["tags"] = c["opts"]["tags"].split(",")
        cells.append(cell)
    nb.cells = cells
    for i, cell in enumerate(nb.cells):
        cell.id = (cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell-{i:03d}").replace("_", "-")
    nbformat.validate(nb)
    return nb


def notebook_to_text(nb) -> str:
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        words = []
        if meta.get("solution") and meta.get("grade"):
            words.append("answer")
        elif meta.get("solution"):
            words.append("solution")
        elif meta.get("grade"):
            words.append("tests")
        elif meta.get("locked"):
            words.append("readonly")
        if meta.get("grade_id"):
            words.append(f"id={meta['grade_id']}")
        if meta.get("grade"):
            words.append(f"points={meta.get('points', 0):g}")
        if cell.metadata.get("tags"):
            words.append("tags=" + ",".join(cell.metadata["tags"]))
        head = "# %%" + (" [markdown]" if cell.cell_type == "markdown" else "")
        out.append(" ".join([head] + words))
        if cell.cell_type == "markdown":
            out.extend(("# " + ln).rstrip() for ln in cell.source.splitlines())
        else:
            out.extend(cell.source.splitlines())
        out.append("")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("to-ipynb")
    a.add_argument("text")
    a.add_argument("ipynb")
    b = sub.add_parser("to-text")
    b.add_argument("ipynb")
    args = parser.parse_args(argv)
    if args.cmd == "to-ipynb":
        with open(args.text, encoding="utf-8") as f:
            nb = text_to_notebook(f.read())
        nbformat.write(nb, args.ipynb)
    else:
        sys.stdout.write(notebook_to_text(nbformat.read(args.ipynb, as_version=4)))


if __name__ == "__main__":
    main()
