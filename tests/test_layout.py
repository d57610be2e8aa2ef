"""The grader's layout rules (docs/conventions.md, issue 27), checked on the source itself:
no function over 50 lines, no module reading another module's private names, and
``execute.py`` (the grading sequence) short enough to read at once."""
import ast

from common import ROOT

PACKAGE = ROOT / "autograder"


def _modules():
    return sorted(PACKAGE.rglob("*.py"))


def _imported_modules(tree) -> set[str]:
    """Local names bound to modules of our own (``from . import x``, ``import autograder.x as y``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith(("autograder", "nnkit"))):
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.asname or a.name for a in node.names if a.name.startswith(("autograder", "nnkit")))
    return names


def test_no_function_over_50_lines():
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > 50:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, long


def test_no_module_reads_another_modules_private_names():
    found = []
    for path in [*_modules(), *sorted((ROOT / "tests").glob("*.py"))]:
        tree = ast.parse(path.read_text())
        ours = _imported_modules(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ours
                    and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("autograder")):
                found += [f"{path.relative_to(ROOT)}:{node.lineno} import {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert not found, found


def test_execute_is_the_grading_sequence_only():
    text = (PACKAGE / "execute.py").read_text()
    assert len(text.splitlines()) < 120
    assert "os.fork" not in text and "setrlimit" not in text     # the worker's job (worker.py)


def test_nothing_that_runs_inside_the_sandbox_imports_the_trusted_side():
    """The modules sent into the sandbox (``jail.SANDBOX_MODULES``, the loader ``boot.py``, the
    feedback run's ``feedback_driver.py``) import the standard library, NumPy and the feedback
    run's nbclient/nbformat, and among ours only the sandbox modules listed before them: never
    ``remote.py``, the rest of ``jail`` or ``autograder``."""
    import sys

    from autograder import jail
    allowed_outside = set(sys.stdlib_module_names) | {"numpy", "nbclient", "nbformat", "torch"}
    inside = [*jail.SANDBOX_MODULES, "boot", "feedback_driver"]
    wrong = []
    for name in inside:
        earlier = set(jail.SANDBOX_MODULES[:jail.SANDBOX_MODULES.index(name)]) if name in jail.SANDBOX_MODULES else set()
        for node in ast.walk(ast.parse((PACKAGE / "jail" / f"{name}.py").read_text())):
            if isinstance(node, ast.Import):
                wrong += [f"{name}: import {a.name}" for a in node.names
                          if a.name.split(".")[0] not in allowed_outside]
            elif isinstance(node, ast.ImportFrom) and node.level:
                ours = [node.module] if node.module else [a.name for a in node.names]
                wrong += [f"{name}: from {'.' * node.level}{node.module or ''} import ..."
                          for m in ours if node.level > 1 or m.split(".")[0] not in earlier]
            elif isinstance(node, ast.ImportFrom) and node.module.split(".")[0] not in allowed_outside:
                wrong.append(f"{name}: from {node.module} import ...")
    assert not wrong, wrong
