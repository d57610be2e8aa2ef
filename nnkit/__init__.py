"""nnkit: the helper package of the course "Neural networks, neuron by neuron".

It holds datasets, plots, gradient checking, self-check helpers and a widget
layer; it never holds an exercise's solution. ``import nnkit`` needs only NumPy
and Matplotlib: ipywidgets is imported by ``nnkit.widgets`` when used, and
nothing here imports torch.

Modules: ``data``, ``plots``, ``gradcheck``, ``checks``, ``cputime``; ``widgets`` and ``graph`` load on first use.
"""
from importlib import import_module

from . import checks, cputime, data, gradcheck, plots

__version__ = "0.1.0"
__all__ = ["checks", "cputime", "data", "gradcheck", "graph", "plots", "widgets"]


def __getattr__(name):
    if name in ("widgets", "graph"):
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module 'nnkit' has no attribute {name!r}")
