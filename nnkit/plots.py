"""Plots used across the notebooks. Each takes plain arrays and callables.

Every function draws on ``ax`` when given (or on the current axes) and returns
the axes, so notebooks and widgets can compose them.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.ticker import MaxNLocator

__all__ = ["plot_points", "plot_decision_regions", "plot_linear_boundary", "plot_costs", "plot_functions"]

_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
_MARKERS = ("o", "s", "^", "v", "D", "P", "X", "*", "<", ">")


def _axes(ax):
    return ax if ax is not None else plt.gca()


def plot_points(X, y, ax=None, mark=None, feature_names=None):
    """Scatter 2-D points, one colour and marker per label; circle the ``mark``ed ones.

    Inputs:
    - X: array of shape (n, 2); y: labels of shape (n,) (any values: -1/+1, 0/1, 0..k).
    - mark: optional boolean array of shape (n,), e.g. the misclassified points.
    """
    ax = _axes(ax)
    X, y = np.asarray(X), np.asarray(y)
    for k, label in enumerate(np.unique(y)):
        sel = y == label
        ax.scatter(X[sel, 0], X[sel, 1], c=_COLORS[k % 10], marker=_MARKERS[k % 10],
                   edgecolor="black", linewidth=0.6, s=45, label=f"y = {label}", zorder=3)
    if mark is not None and np.any(mark):
        mark = np.asarray(mark, dtype=bool)
        ax.scatter(X[mark, 0], X[mark, 1], s=220, facecolors="none", edgecolors="black",
                   linewidth=1.8, label="misclassified", zorder=4)
    if feature_names:
        ax.set_xlabel(feature_names[0])
        ax.set_ylabel(feature_names[1])
    return ax


def plot_decision_regions(predict, X, y, ax=None, resolution: int = 200, padding: float = 0.5,
                          mark=None, feature_names=None, title=None, legend=True):
    """Colour the plane by the class ``predict`` assigns, and scatter the data on top.

    Inputs:
    - predict: callable mapping an array of shape (m, 2) to labels of shape (m,)
      (the student's own predict function works here).
    - X: array of shape (n, 2); y: labels of shape (n,).
    - resolution: grid points per axis.
    - mark: optional boolean array of shape (n,) of points to circle.
    Returns the axes.
    """
    ax = _axes(ax)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    x0 = np.linspace(X[:, 0].min() - padding, X[:, 0].max() + padding, resolution)
    x1 = np.linspace(X[:, 1].min() - padding, X[:, 1].max() + padding, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    pred = np.asarray(predict(np.c_[g0.ravel(), g1.ravel()])).reshape(g0.shape)
    labels = np.unique(np.concatenate([np.unique(y), np.unique(pred)]))
    index = np.searchsorted(labels, pred)
    cmap = ListedColormap([_COLORS[list(np.unique(y)).index(v) % 10] if v in y else "#cccccc"
                           for v in labels])
    ax.contourf(g0, g1, index, levels=np.arange(len(labels) + 1) - 0.5, cmap=cmap, alpha=0.25)
    plot_points(X, y, ax=ax, mark=mark, feature_names=feature_names)
    ax.set_xlim(x0[0], x0[-1])
    ax.set_ylim(x1[0], x1[-1])
    if title:
        ax.set_title(title)
    if legend:
        ax.legend(loc="best", fontsize="small")
    return ax


def plot_linear_boundary(w, b, ax=None, **line_kwargs):
    """Draw the line ``w[0]*x0 + w[1]*x1 + b = 0`` across the current view.

    Inputs: w of shape (2,), b a number. Nothing is drawn when w is zero.
    """
    ax = _axes(ax)
    w = np.asarray(w, dtype=np.float64)
    (xmin, xmax), (ymin, ymax) = ax.get_xlim(), ax.get_ylim()
    style = {"color": "black", "linewidth": 2}
    style.update(line_kwargs)
    if abs(w[1]) > 1e-12:
        xs = np.array([xmin, xmax])
        ax.plot(xs, -(w[0] * xs + b) / w[1], **style)
    elif abs(w[0]) > 1e-12:
        ax.plot([-b / w[0]] * 2, [ymin, ymax], **style)
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    return ax


def plot_costs(costs, ax=None, logy: bool = False, label=None, xlabel="epoch", ylabel="cost",
               title=None, marker="o"):
    """Plot a cost (or error count, or loss) per epoch; epochs are numbered from 1.

    Inputs:
    - costs: sequence of numbers of length n_epochs.
    - logy: log scale on the y axis (for costs spanning orders of magnitude).
    """
    ax = _axes(ax)
    costs = np.asarray(costs, dtype=np.float64)
    ax.plot(np.arange(1, len(costs) + 1), costs, marker=marker if len(costs) <= 60 else None,
            label=label)
    if logy:
        ax.set_yscale("log")
    elif np.all(costs == np.round(costs)) and np.all(costs >= 0):
        # counts (errors per epoch): whole-number ticks, and an axis that starts at 0
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0, top=max(1.0, costs.max()) * 1.08)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if label is not None:
        ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return ax


def plot_functions(z, curves: dict, ax=None, title=None, ylim=None):
    """Plot several functions of one variable on shared axes.

    Inputs:
    - z: array of shape (m,), the inputs.
    - curves: mapping from a label to a callable (applied to z) or an array of shape (m,).
    """
    ax = _axes(ax)
    z = np.asarray(z, dtype=np.float64)
    for label, curve in curves.items():
        values = curve(z) if callable(curve) else curve
        ax.plot(z, np.asarray(values, dtype=np.float64), label=label, linewidth=2)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(0, color="grey", linewidth=0.8)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(title)
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return ax
