"""A notebook imports an nnkit helper that would answer one of its exercises only after that
exercise (issue 25, section 4).

``nnkit`` is installed from notebook 01 on, so a determined student can reach every helper at
any time (the README's instructor section lists them); what the notebooks control is that they
never hand a student the answer before the exercise asks for it. ANSWERS is the table of such
helpers: an nnkit module, the names in it that answer (None: the whole module, whose import
brings every name), and the exercises (solution cells' grade ids) they would answer. For each
assignment, in the source notebook and in the released one, no code cell before an exercise's
solution cell imports or uses a helper that answers it.

A helper answers an exercise when it computes what the exercise asks by the exercise's own
method: ``numerical_gradient`` is 04's central difference; ``nnkit.graph``'s ``trace`` and
``layers`` list a graph's nodes in the order that 05's ``Value.backward`` has to find (the
``backward`` method is part of the ``Value`` solution cell). The gradient checks that 05 and
06 use on analytic backward passes are not in the table: a finite difference approximates a
backward pass by another method, and is what the visible checks compare against.
"""
from __future__ import annotations

import importlib
import re

import nbformat
import pytest

from nbgrading import NOTEBOOKS, SOLUTIONS, assignments, nbgrader_meta, notebook_name

ANSWERS: dict[str, list[tuple[str, tuple[str, ...] | None, tuple[str, ...]]]] = {
    "04_chain_rule": [
        ("nnkit.gradcheck", ("numerical_gradient", "numerical_gradient_array"), ("numerical_derivative",)),
    ],
    "05_backprop": [
        ("nnkit.graph", None, ("Value",)),          # trace, layers (and draw_graph, which imports them)
    ],
}


def uses(source: str, module: str, names: tuple[str, ...] | None) -> bool:
    """Whether code imports or uses ``module`` (if ``names`` is None) or one of ``names`` from
    it: ``import nnkit.graph``, ``from nnkit import graph``, ``from nnkit.graph import ...``,
    ``nnkit.graph.trace(...)``; an import of the whole module counts for any of its names."""
    parent, leaf = module.rsplit(".", 1)
    mod = re.escape(module)
    imported = r"\s+import\s+(\([^)]*\)|[^\n]*)"
    if re.search(rf"\bimport\s+{mod}\b", source):
        return True
    for m in re.finditer(rf"\bfrom\s+{re.escape(parent)}{imported}", source):
        if re.search(rf"\b{leaf}\b", m.group(1)):
            return True
    if names is None:
        return bool(re.search(rf"\b{mod}\b", source))
    alternatives = "|".join(map(re.escape, names))
    if re.search(rf"\b{mod}\.({alternatives})\b", source):
        return True
    return any(re.search(rf"\b({alternatives})\b", m.group(1))
               for m in re.finditer(rf"\bfrom\s+{mod}{imported}", source))


def _too_early(nb, module: str, names, exercise: str) -> list[int]:
    """The code cells before ``exercise``'s solution cell that import or use the helper."""
    (at,) = [i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("solution") and
             nbgrader_meta(c).get("grade_id") == exercise]
    return [i for i, c in enumerate(nb.cells[:at]) if c.cell_type == "code" and uses(c.source, module, names)]


@pytest.mark.parametrize("assignment", assignments())
@pytest.mark.parametrize("folder", [SOLUTIONS, NOTEBOOKS], ids=["solutions", "notebooks"])
def test_no_helper_is_imported_before_the_exercise_it_answers(assignment, folder):
    nb = nbformat.read(folder / assignment / notebook_name(assignment), as_version=4)
    for module, names, exercises in ANSWERS.get(assignment, []):
        for exercise in exercises:
            early = _too_early(nb, module, names, exercise)
            what = module if names is None else f"{module} ({', '.join(names)})"
            assert not early, (f"{assignment}: cells {early} import or use {what}, which answers the exercise "
                               f"{exercise!r}, before its solution cell: import it after that exercise")


@pytest.mark.parametrize("assignment", sorted(ANSWERS))
def test_the_table_names_real_helpers_and_exercises(assignment):
    nb = nbformat.read(SOLUTIONS / assignment / notebook_name(assignment), as_version=4)
    solutions = {nbgrader_meta(c).get("grade_id") for c in nb.cells if nbgrader_meta(c).get("solution")}
    for module, names, exercises in ANSWERS[assignment]:
        loaded = importlib.import_module(module)
        assert all(hasattr(loaded, n) for n in names or ()), (module, names)
        assert set(exercises) <= solutions, (assignment, set(exercises) - solutions)


def test_the_helper_uses_found():
    graph, gradcheck = ("nnkit.graph", None), ("nnkit.gradcheck", ("numerical_gradient",))
    for code in ("from nnkit.graph import draw_graph", "import nnkit.graph as g", "from nnkit import graph",
                 "from nnkit import (checks,\n    graph)", "nodes, _ = nnkit.graph.trace(f)"):
        assert uses(code, *graph), code
    for code in ("import nnkit\nnnkit.plots.plot_costs(c)", "# draw it with the graph module", "from nnkit import gradcheck"):
        assert not uses(code, *graph), code
    for code in ("from nnkit.gradcheck import rel_error, numerical_gradient", "nnkit.gradcheck.numerical_gradient(f, x)",
                 "from nnkit.gradcheck import (\n    rel_error,\n    numerical_gradient as ng)", "from nnkit import gradcheck"):
        assert uses(code, *gradcheck), code
    for code in ("from nnkit.gradcheck import rel_error", "nnkit.gradcheck.rel_error(a, b)", "def numerical_gradient(f, x): ..."):
        assert not uses(code, *gradcheck), code
    old_05 = "import math\nfrom nnkit.gradcheck import numerical_gradient\nfrom nnkit.graph import draw_graph"
    assert uses(old_05, *graph)       # the setup that 05 had before this test
