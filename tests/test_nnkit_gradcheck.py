import numpy as np

from nnkit.gradcheck import numerical_gradient, numerical_gradient_array, rel_error


def test_numerical_gradient_of_known_functions():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4))
    A = rng.normal(size=(4, 4))
    assert rel_error(numerical_gradient(lambda v: np.sum(v ** 3), x), 3 * x ** 2) < 1e-7
    assert rel_error(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x)) < 1e-7
    quad = lambda v: v[0] @ A @ v[0]
    assert rel_error(numerical_gradient(quad, x)[0], (A + A.T) @ x[0]) < 1e-7


def test_numerical_gradient_does_not_modify_its_input():
    x = np.arange(4.0)
    numerical_gradient(lambda v: np.sum(v ** 2), x)
    assert x.tolist() == [0, 1, 2, 3]


def test_numerical_gradient_array_is_a_layer_backward():
    rng = np.random.default_rng(1)
    X, W, up = rng.normal(size=(5, 3)), rng.normal(size=(2, 3)), rng.normal(size=(5, 2))
    dX = numerical_gradient_array(lambda v: v @ W.T, X, up)
    dW = numerical_gradient_array(lambda v: X @ v.T, W, up)
    assert rel_error(dX, up @ W) < 1e-7
    assert rel_error(dW, up.T @ X) < 1e-7
    assert rel_error(dW, (up.T @ X).T.T * 1.01) > 1e-3  # the check does notice a 1% error


def test_rel_error():
    assert rel_error(1.0, 1.0) == 0
    assert np.isclose(rel_error([1.0, 2.0], [1.0, 3.0]), 1 / 5)
    assert rel_error(np.zeros(3), np.zeros(3)) == 0
