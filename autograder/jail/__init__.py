"""The judge's sandbox: the code that runs inside it, and the trusted side's client.

The trusted side and the sandbox meet in three places, one per layer of this folder:

- ``inside/``: what runs inside the sandbox only (the request server, the loader, the feedback
  run's program); it imports nothing of the trusted side.
- ``wire.py`` and ``torch_support.py`` (``SHARED_MODULES``): used by both sides, so sent in too;
  they import only each other, the standard library and NumPy.
- ``remote.py`` (``Jail``, ``RemoteObject``) and this file: the trusted side's; never sent in.

The sandbox binds only the Python installation and nnkit read-only, never this package, so
its code goes in as source text. ``SANDBOX_MODULES`` is the one list of what goes in: each
imports only the standard library, NumPy and the modules before it (relative imports).
``server_bootstrap()`` is the ``python -I -c`` program that loads them (``inside/boot.py``)
and runs ``inside.server.main()``; ``feedback_driver_source()`` is the feedback run's program
(``inside/feedback_driver.py``, standard library and nbclient only).
"""
from __future__ import annotations

import functools
from pathlib import Path

HERE = Path(__file__).resolve().parent

# used on both sides of the boundary (and sent in): they import nothing trusted
SHARED_MODULES = ("torch_support", "wire")
# sent into the sandbox, in this order (a module may import only the ones before it), by their
# dotted names in this folder
SANDBOX_MODULES = (*SHARED_MODULES, "inside.cputime", "inside.server")
SERVER = "inside.server"        # the one whose main() serves
SANDBOX_PACKAGE = "jail"        # their package's name inside the sandbox


def module_path(name: str) -> Path:
    """The file of the module of this folder with dotted name ``name`` (``inside.server``)."""
    return HERE.joinpath(*name.split(".")).with_suffix(".py")


def _source(name: str) -> str:
    return module_path(name).read_text()


@functools.cache
def server_bootstrap() -> str:
    """The sandboxed server as one program: the loader, the modules' sources, ``main()``."""
    sources = [(name, _source(name)) for name in SANDBOX_MODULES]
    return (_source("inside.boot") + f"\nload({SANDBOX_PACKAGE!r}, {sources!r}).{SERVER}.main()\n")


@functools.cache
def feedback_driver_source() -> str:
    """The feedback run's program (runs in the sandbox as ``__main__``)."""
    return _source("inside.feedback_driver")
