"""One standardizing convention (docs/conventions.md, issue 25 section 2): the population std.

02's `standardize` is judged by its hidden tests; here, every standard deviation that 07's
solution, demos and widgets compute outside the self-checks is torch's population one
(`std(unbiased=False)`; torch's plain `std()` divides by n - 1).
"""
import re

import nbformat

from nbgrading import SOLUTIONS, nbgrader_meta, notebook_name


def sample_std_calls(nb) -> list[str]:
    """The `.std(...)` calls, outside graded test cells, that do not ask for the population std."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or (nbgrader_meta(cell).get("grade") and not nbgrader_meta(cell).get("solution")):
            continue
        found += [m.group(0) for m in re.finditer(r"\.std\(([^()]*)\)", cell.source)
                  if not re.search(r"unbiased\s*=\s*False|correction\s*=\s*0", m.group(1))]
    return found


def test_07_standardizes_with_the_population_std():
    name = "07_pytorch_regression"
    nb = nbformat.read(SOLUTIONS / name / notebook_name(name), as_version=4)
    assert not sample_std_calls(nb), f"{name} divides by a sample std: {sample_std_calls(nb)}"


def test_the_check_sees_a_sample_std():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("s = x.std()\nt = y.std(unbiased=False)\nu = z.std(dim=0)")]
    assert sample_std_calls(nb) == [".std()", ".std(dim=0)"]
