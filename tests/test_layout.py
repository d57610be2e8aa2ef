"""The grader's layout rules (docs/conventions.md, issue 27), checked on the source itself:
no function over 50 lines, no module reading another module's private names,
``execute.py`` (the grading sequence) short enough to read at once, and the sandbox's trust
boundary visible in the folders (``jail/inside/`` imports nothing trusted)."""
import ast
import sys

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


# --- the trust boundary, by location: jail/inside/ runs inside the sandbox, jail/<shared> on
# both sides, everything else of autograder/ only on the trusted side

JAIL = PACKAGE / "jail"
INSIDE = JAIL / "inside"
OUTSIDE_OK = set(sys.stdlib_module_names) | {"numpy", "torch", "nbclient", "nbformat"}


def _shared() -> set[str]:
    from autograder import jail
    return {f"autograder.jail.{name}" for name in jail.SHARED_MODULES}


def _imports_by_name(path, text: str) -> list[tuple[int, str, int]]:
    """(line, dotted name, relative level) of each module ``path`` imports, relative imports
    resolved from its place in the checkout (``from ..wire import x`` in
    ``autograder/jail/inside/server.py``: ``autograder.jail.wire``; ``from . import x``: ``x``
    as a module of that package)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, 0) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = ".".join(package[:len(package) - node.level + 1])
            names = [node.module] if node.module else [a.name for a in node.names]
            found += [(node.lineno, f"{base}.{n}" if base else n, node.level) for n in names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module, 0))
    return found


def _crossings(path, text: str, allowed) -> list[str]:
    """The imports of ``path`` (its source ``text``) that are neither of the standard library,
    NumPy, torch, nbclient, nbformat (absolute) nor a module ``allowed(name)`` says it may use
    (relative: the sandbox has no ``autograder`` to import absolutely)."""
    wrong = []
    for line, name, level in _imports_by_name(path, text):
        ok = allowed(name) if level else name.split(".")[0] in OUTSIDE_OK
        if not ok:
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return wrong


def _inside_may_import(name: str) -> bool:
    return name == "autograder.jail.inside" or name.startswith("autograder.jail.inside.") or name in _shared()


def test_nothing_that_runs_inside_the_sandbox_imports_the_trusted_side():
    """Every module under ``jail/inside/`` imports only modules under ``jail/inside/``, the
    modules shared by both sides (``jail.SHARED_MODULES``: ``wire``, ``torch_support``), the
    standard library, NumPy, torch and the feedback run's nbclient/nbformat; the shared modules
    import only each other and the same outside ones. Never ``remote.py``, ``jail/__init__.py``
    or the rest of ``autograder``; and what is sent into the sandbox is one of these."""
    from autograder import jail
    inside = sorted(INSIDE.rglob("*.py"))
    assert {p.stem for p in inside} >= {"server", "boot", "feedback_driver", "cputime"}
    wrong = []
    for path in inside:
        wrong += _crossings(path, path.read_text(), _inside_may_import)
    for name in _shared():
        path = ROOT.joinpath(*name.split(".")).with_suffix(".py")
        wrong += _crossings(path, path.read_text(), lambda n: n in _shared())
    assert not wrong, wrong
    assert all(m.startswith("inside.") or m in jail.SHARED_MODULES for m in jail.SANDBOX_MODULES)


def test_the_boundary_check_catches_an_inside_module_importing_the_trusted_side():
    path = INSIDE / "server.py"
    text = path.read_text()
    assert not _crossings(path, text, _inside_may_import)
    for line in ("from ... import results", "from ...results import SubmissionResult", "import autograder.results",
                 "from autograder import results", "from autograder.jail import wire", "from .. import remote",
                 "from ..remote import Jail", "from .. import SANDBOX_MODULES", "import nnkit"):
        assert _crossings(path, text + line + "\n", _inside_may_import), line
    shared = JAIL / "wire.py"
    assert _crossings(shared, shared.read_text() + "from .inside import server\n", lambda n: n in _shared())
