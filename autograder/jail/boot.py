"""The first code of the sandboxed server: makes a package of modules given as source text.

``jail.server_bootstrap()`` sends this file's text, then a call of ``load`` with the
sources of ``jail.SANDBOX_MODULES`` and of the server's ``main()``. Standard library only.
"""
import sys
import types


def load(package, sources):
    """Register ``package`` and, in order, each (name, source text) as ``package.name`` in
    ``sys.modules`` (relative imports of the modules before it resolve); return the package."""
    pkg = types.ModuleType(package)
    pkg.__path__ = []
    pkg.__package__ = package
    sys.modules[package] = pkg
    for name, text in sources:
        full = f"{package}.{name}"
        module = types.ModuleType(full)
        module.__package__ = package
        module.__file__ = f"<{package}/{name}.py>"
        sys.modules[full] = module
        setattr(pkg, name, module)
        exec(compile(text, module.__file__, "exec"), module.__dict__)
    return pkg
