"""Offline stand-in for Colab's ``google.colab`` package, used by tests/colab/.

Only what the course's notebooks call exists here; anything else fails loudly
(AttributeError), so a notebook that starts relying on more of Colab is noticed.
``_kernel`` starts the kernel with this package already imported, as Colab's
kernel does, so ``"google.colab" in sys.modules`` is true in every notebook.
"""
from . import output

__all__ = ["output"]
