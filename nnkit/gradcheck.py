"""Numerical gradients by central differences, and the relative error between gradients.

These are the checks on every analytic gradient in the course: compute the
gradient by hand (or by backpropagation), compute it numerically here, and
compare with ``rel_error``. For float64 and well-scaled inputs a correct
gradient gives a relative error below about 1e-7.
"""
from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "numerical_gradient_array", "rel_error"]


def numerical_gradient(f, x, h: float = 1e-5):
    """Gradient of a scalar function of an array, by central differences.

    Inputs:
    - f: callable taking an array shaped like ``x`` and returning a number.
    - x: array of any shape (it is not modified).
    - h: step size.

    Returns grad: float64 array of the shape of x, with
    ``grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h)``.
    """
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + h
        f_plus = float(f(x.copy()))
        x[idx] = old - h
        f_minus = float(f(x.copy()))
        x[idx] = old
        grad[idx] = (f_plus - f_minus) / (2 * h)
    return grad


def numerical_gradient_array(f, x, upstream, h: float = 1e-5):
    """Gradient of ``sum(f(x) * upstream)`` with respect to x: a layer's backward pass, numerically.

    Inputs:
    - f: callable taking an array shaped like ``x`` and returning an array shaped
      like ``upstream`` (a layer's forward pass with its other inputs fixed).
    - x: array of any shape.
    - upstream: array of the shape of f(x), the gradient flowing into the output.

    Returns an array of the shape of x.
    """
    upstream = np.asarray(upstream, dtype=np.float64)
    return numerical_gradient(lambda v: np.sum(np.asarray(f(v)) * upstream), x, h)


def rel_error(a, b) -> float:
    """Largest elementwise relative error ``|a - b| / max(1e-8, |a| + |b|)``.

    Inputs: two arrays (or numbers) of the same shape.
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
