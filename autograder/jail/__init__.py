"""The judge's sandbox: the code that runs inside it, and the trusted side's client.

The sandbox binds only the Python installation and nnkit read-only, never this package, so
its code goes in as source text. ``SANDBOX_MODULES`` is the one list of what goes in: each
is a module of this folder that imports only the standard library, NumPy and the modules
before it (relative imports). ``server_bootstrap()`` is the ``python -I -c`` program that
loads them (``boot.py``) and runs ``server.main()``; ``feedback_driver_source()`` is the
feedback run's program (``feedback_driver.py``, standard library and nbclient only).

On the trusted side these are ordinary modules (``autograder.jail.wire`` is shared by both
sides); ``remote.py`` (``Jail``, ``RemoteObject``) stays outside the sandbox.
"""
from __future__ import annotations

import functools
from pathlib import Path

HERE = Path(__file__).resolve().parent

# sent into the sandbox, in this order (a module may import only the ones before it)
SANDBOX_MODULES = ("torch_support", "wire", "cputime", "server")
SANDBOX_PACKAGE = "jail"        # their package's name inside the sandbox


def _source(name: str) -> str:
    return (HERE / f"{name}.py").read_text()


@functools.cache
def server_bootstrap() -> str:
    """The sandboxed server as one program: the loader, the modules' sources, ``main()``."""
    sources = [(name, _source(name)) for name in SANDBOX_MODULES]
    return (_source("boot") + f"\nload({SANDBOX_PACKAGE!r}, {sources!r}).server.main()\n")


@functools.cache
def feedback_driver_source() -> str:
    """The feedback run's program (runs in the sandbox as ``__main__``)."""
    return _source("feedback_driver")
