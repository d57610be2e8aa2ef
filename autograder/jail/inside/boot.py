"""The first code of the sandboxed server: makes a package of modules given as source text.

``jail.server_bootstrap()`` sends this file's text, then a call of ``load`` with the
sources of ``jail.SANDBOX_MODULES`` and of the server's ``main()``. Standard library only.
"""
import sys
import types


def _package(name):
    """The package ``name``, registered in ``sys.modules`` (with its parents) on first use."""
    if name in sys.modules:
        return sys.modules[name]
    pkg = types.ModuleType(name)
    pkg.__path__ = []
    pkg.__package__ = name
    sys.modules[name] = pkg
    parent, _, leaf = name.rpartition(".")
    if parent:
        setattr(_package(parent), leaf, pkg)
    return pkg


def load(package, sources):
    """Register ``package`` and, in order, each (dotted name, source text) as ``package.name``
    in ``sys.modules`` (``inside.server`` in the subpackage ``package.inside``; relative imports
    of the modules before it resolve); return the package."""
    pkg = _package(package)
    for name, text in sources:
        full = f"{package}.{name}"
        parent, _, leaf = full.rpartition(".")
        module = types.ModuleType(full)
        module.__package__ = parent
        module.__file__ = f"<{full.replace('.', '/')}.py>"
        sys.modules[full] = module
        setattr(_package(parent), leaf, module)
        exec(compile(text, module.__file__, "exec"), module.__dict__)
    return pkg
