import nbformat
import pytest

from nnkit.notebook_functions import find_notebook, load_functions


def _write(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# title")] + [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def test_only_the_named_definitions_run(tmp_path):
    marker = tmp_path / "ran"
    path = _write(tmp_path / "06_training.ipynb",
                  "%matplotlib inline\nimport numpy as np\n"
                  f"open({str(marker)!r}, 'w').write('top-level code ran')\n"
                  "def step(p, g, lr):\n    return [a - lr * np.asarray(b) for a, b in zip(p, g)]\n",
                  "def other():\n    raise RuntimeError('never loaded')\n",
                  "this is not python (\n",
                  "def twice(x):\n    return 1\n", "def twice(x):\n    return 2 * x\n")
    fns = load_functions(path, ["step", "twice", "absent"])
    assert sorted(fns) == ["step", "twice"]
    assert not marker.exists(), "code outside the named definitions was executed"
    assert fns["twice"](3) == 6, "the last definition of a name wins"
    assert fns["step"]([1.0], [2.0], 0.5)[0] == 0.0, "np is available to the loaded functions"


def test_extra_namespace_and_missing_file(tmp_path):
    path = _write(tmp_path / "n.ipynb", "def f():\n    return helper()\n")
    assert load_functions(path, ["f"], {"helper": lambda: 7})["f"]() == 7
    with pytest.raises(FileNotFoundError):
        load_functions(tmp_path / "missing.ipynb", ["f"])


def test_find_notebook_looks_beside_and_in_the_sibling_folder(tmp_path):
    here = tmp_path / "07_pytorch_regression"
    here.mkdir()
    assert find_notebook("06_training", here) is None
    sibling = tmp_path / "06_training"
    sibling.mkdir()
    _write(sibling / "06_training.ipynb", "x = 1\n")
    assert find_notebook("06_training", here) == sibling / "06_training.ipynb"
    _write(here / "06_training.ipynb", "x = 1\n")
    assert find_notebook("06_training", here) == here / "06_training.ipynb"
