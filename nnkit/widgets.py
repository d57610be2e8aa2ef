"""A thin layer over ipywidgets that behaves the same on ipywidgets 7.7 (Colab) and 8 (JupyterLab 4).

Only core widgets and ``interactive_output`` are used, with the inline Matplotlib
backend (no ipympl). ipywidgets is imported when a function here is first
called, so ``import nnkit`` does not need it.

Typical use, driving the student's own code::

    def draw(w1, w2, b):
        plot_decision_regions(lambda X: perceptron_predict(X, [w1, w2], b), X, y)

    interactive_plot(draw, w1=slider("w1", 0.6, -2, 2), w2=slider("w2", 0.6, -2, 2),
                     b=slider("b", -0.4, -2, 2))
"""
from __future__ import annotations

import math

__all__ = ["ipywidgets_major", "slider", "log_slider", "dropdown", "button", "interactive_plot"]

_STYLE = {"description_width": "initial"}


def _w():
    import ipywidgets
    return ipywidgets


def ipywidgets_major() -> int:
    """The installed ipywidgets major version (7 on Colab, 8 with JupyterLab 4)."""
    return int(_w().__version__.split(".")[0])


def slider(description: str, value, min, max, step=None, continuous_update: bool = False):
    """A float slider (an int slider when value, min, max and step are all ints).

    ``continuous_update=False`` redraws when the handle is released, which keeps
    slow plots responsive.
    """
    w = _w()
    if all(isinstance(v, int) for v in (value, min, max)) and (step is None or isinstance(step, int)):
        return w.IntSlider(value=value, min=min, max=max, step=step or 1, description=description,
                           continuous_update=continuous_update, style=_STYLE)
    step = step if step is not None else (max - min) / 100
    return w.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         continuous_update=continuous_update, readout_format=".3g", style=_STYLE)


def log_slider(description: str, value: float, min: float, max: float, continuous_update: bool = False):
    """A slider over powers of ten, for learning rates and other scales (min, max > 0)."""
    w = _w()
    lo, hi = math.log10(min), math.log10(max)
    return w.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=(hi - lo) / 40,
                            description=description, continuous_update=continuous_update,
                            readout_format=".2e", style=_STYLE)


def dropdown(description: str, options, value=None):
    """A dropdown; ``options`` is a list of values or of (label, value) pairs."""
    w = _w()
    kwargs = {"options": options, "description": description, "style": _STYLE}
    if value is not None:
        kwargs["value"] = value
    return w.Dropdown(**kwargs)


def button(description: str, on_click=None, icon: str = ""):
    """A button; ``on_click`` is called with no arguments when it is pressed."""
    w = _w()
    b = w.Button(description=description, icon=icon)
    if on_click is not None:
        b.on_click(lambda _button: on_click())
    return b


def interactive_plot(draw, **controls):
    """Controls above an output area that ``draw(**values)`` redraws whenever a control changes.

    Inputs:
    - draw: callable taking one keyword argument per control; it draws with
      Matplotlib (no need to call plt.show()) and may print text.
    - controls: name=widget pairs; the names are draw's keyword arguments.

    Returns an ipywidgets.VBox; make it the last expression of a cell to show it.
    """
    w = _w()
    out = w.interactive_output(draw, controls)
    box = w.HBox(list(controls.values()), layout=w.Layout(flex_flow="row wrap"))
    return w.VBox([box, out])
