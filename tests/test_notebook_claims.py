"""Every sentence agrees with the plot or table beside it (issue 25, section 2).

Each test runs an assignment's notebook (the solution's code cells, in order, without the
widgets and the hidden tests, with matplotlib drawing off screen) and checks one claim its
prose makes on the very data the notebook plots or prints. A claim states no number the
notebook does not compute; these tests check the claims' words ("right on every flower",
"all four points", "only w_2", "about the same cost") against those data.
"""
from __future__ import annotations

import re

import matplotlib
import nbformat
import numpy as np
import pytest

from nbgrading import SOLUTIONS, nbgrader_meta, notebook_name

matplotlib.use("Agg")


def run_notebook(assignment: str) -> dict:
    """The namespace left by the notebook's code cells (widgets and hidden tests skipped)."""
    import matplotlib.pyplot as plt

    nb = nbformat.read(SOLUTIONS / assignment / notebook_name(assignment), as_version=4)
    namespace: dict = {}
    show = plt.show
    plt.show = lambda *a, **k: plt.close("all")
    try:
        for cell in nb.cells:
            if cell.cell_type != "code" or "widget" in cell.metadata.get("tags", []):
                continue
            source = "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))
            source = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", source, flags=re.S)
            exec(compile(source, f"{assignment}:{nbgrader_meta(cell).get('grade_id', 'cell')}", "exec"),
                 namespace)
    finally:
        plt.show = show
        plt.close("all")
    return namespace


@pytest.fixture(scope="module")
def nb01():
    return run_notebook("01_perceptron")


@pytest.fixture(scope="module")
def nb02():
    return run_notebook("02_adaline")


def strictly_separable(X: np.ndarray, positive: np.ndarray) -> bool:
    """Whether a straight line separates the rows of ``X`` (shape (n, 2)) marked by the
    boolean ``positive`` (shape (n,)) from the others, with no point on the line.

    Two finite sets of the plane are strictly separable iff some direction u puts every
    projection of one set below every projection of the other. The order of the projections
    only changes at directions perpendicular to a difference of two points, so one direction
    strictly inside each arc between consecutive such angles is enough to try."""
    d = (X[:, None, :] - X[None, :, :]).reshape(-1, 2)
    d = d[np.any(d != 0, axis=1)]
    critical = np.unique(np.mod(np.arctan2(d[:, 1], d[:, 0]) + np.pi / 2, 2 * np.pi))
    if critical.size == 0:
        return True
    arcs = np.diff(np.r_[critical, critical[0] + 2 * np.pi])
    trial = critical + arcs / 2
    U = np.c_[np.cos(trial), np.sin(trial)]                      # (n_directions, 2)
    P = X @ U.T                                                  # (n, n_directions)
    a, b = P[positive], P[~positive]
    return bool(np.any((a.max(axis=0) < b.min(axis=0)) | (b.max(axis=0) < a.min(axis=0))))


def test_the_separability_check_knows_both_answers():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    assert strictly_separable(X, np.array([False, False, False, True]))        # AND
    assert not strictly_separable(X, np.array([False, True, True, False]))     # XOR


# --- 01 -------------------------------------------------------------------------------------

def test_01_setosa_is_cut_off_by_a_line_and_its_unit_is_right_on_every_flower(nb01):
    X3, y3, fires = nb01["X3"], nb01["y3"], nb01["fires"]
    assert strictly_separable(X3, y3 == 0)
    assert np.mean(fires[:, 0] == (y3 == 0)) == 1.0


def test_01_no_line_cuts_virginica_off_and_its_unit_is_right_on_most_not_all(nb01):
    X3, y3, fires = nb01["X3"], nb01["y3"], nb01["fires"]
    assert not strictly_separable(X3, y3 == 2)
    right = [np.mean(fires[:, j] == (y3 == j)) for j in range(3)]
    assert 0.5 < right[2] < 1.0
    assert right[1] < min(right[0], right[2]), "versicolor's unit is the worst of the three"


def test_01_versicolor_cannot_be_cut_off_and_every_epoch_has_errors(nb01):
    X3, y3 = nb01["X3"], nb01["y3"]
    assert not strictly_separable(X3, y3 == 1)
    assert min(nb01["errors3"]) > 0


def test_01_xor_count_jumps_then_all_four_wrong_with_the_same_weights_every_epoch(nb01):
    errors = [int(e) for e in nb01["errors_xor"]]
    assert min(errors) > 0, "the error count never reaches zero"
    jumps = [k for k in range(1, len(errors)) if errors[k] < errors[k - 1]]
    assert jumps, "for the first epochs the count goes up and down"
    assert errors[-5:] == [4] * 5, "then all four points are misclassified in every epoch"
    assert np.allclose(nb01["w_xor"], nb01["w_next"]) and np.isclose(nb01["b_xor"], nb01["b_next"]), \
        "every epoch ends with the same weights"


def test_01_and_each_misclassified_sample_moves_only_the_weights_of_its_nonzero_inputs(nb01):
    ns = nb01
    w, b = np.array([0.6, 0.6]), -0.4
    moved = {}
    for xi, yi in zip(ns["X_and"], ns["y_and"]):
        w_new, b_new = ns["perceptron_update"](xi, yi, w, b, 0.05)
        moved[tuple(xi)] = (np.asarray(w_new) - w, b_new - b)
        w, b = w_new, b_new
    dw, db = moved[(0.0, 1.0)]
    assert dw[0] == 0 and dw[1] < 0 and db < 0, "(0, 1) lowers w2 and b only"
    dw, db = moved[(1.0, 0.0)]
    assert dw[0] < 0 and dw[1] == 0 and db < 0, "(1, 0) lowers w1 and b only"


def test_01_iris_errors_reach_zero_and_stay(nb01):
    errors = list(nb01["errors_iris"])
    first = errors.index(0)
    assert all(e == 0 for e in errors[first:])


# --- 02 -------------------------------------------------------------------------------------

def test_02_each_sample_with_negative_error_moves_different_parameters(nb02):
    X, y = nb02["X_and"], nb02["y_and"]
    e = y - (X @ np.array([0.6, 0.6]) - 0.4)
    share = {tuple(x): (ei * x, ei) for x, ei in zip(X, e)}   # sample -> (its part of X.T @ e, of sum(e))
    assert [tuple(x) for x, ei in zip(X, e) if ei < 0] == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0)]
    assert np.all(share[(0.0, 0.0)][0] == 0) and share[(0.0, 0.0)][1] < 0, "(0, 0) moves only b"
    assert share[(0.0, 1.0)][0][0] == 0 and share[(0.0, 1.0)][0][1] < 0, "(0, 1) pulls down only w2"
    assert share[(1.0, 0.0)][0][1] == 0 and share[(1.0, 0.0)][0][0] < 0, "(1, 0) pulls down only w1"
    assert np.all(share[(1.0, 1.0)][0] > 0) and share[(1.0, 1.0)][1] > 0, "(1, 1) pushes everything up"


@pytest.fixture(scope="module")
def widget_runs(nb02):
    """The widget's runs over its slider range, per scaling: (eta, GD costs, SGD costs, GD J, SGD J)."""
    runs = {}
    y, cost = nb02["y_iris"], nb02["sse_cost"]
    for features, X in (("standardized", nb02["X_iris_std"]), ("raw", nb02["X_iris"])):
        runs[features] = []
        for eta in np.logspace(-5, -1, 13):
            with np.errstate(all="ignore"):
                wg, bg, cg = nb02["train_adaline_gd"](X, y, np.zeros(2), 0.0, eta, 30)
                ws, bs, cs = nb02["train_adaline_sgd"](X, y, np.zeros(2), 0.0, eta, 30, seed=0)
                runs[features].append((eta, np.asarray(cg, float), np.asarray(cs, float),
                                       cost(X, y, wg, bg), cost(X, y, ws, bs)))
    return runs


@pytest.mark.parametrize("features", ["standardized", "raw"])
def test_02_widget_where_gd_does_not_explode_sgd_ends_at_about_the_same_cost(widget_runs, features):
    stable = [(eta, Jg, Js) for eta, cg, cs, Jg, Js in widget_runs[features]
              if np.isfinite(Jg) and Jg <= cg[0]]
    assert len(stable) >= 5
    for eta, Jg, Js in stable:
        assert abs(Js - Jg) <= 0.05 * Jg, f"eta={eta:g}: GD J={Jg:.4g}, SGD J={Js:.4g}"


@pytest.mark.parametrize("features", ["standardized", "raw"])
def test_02_widget_shows_a_rate_where_gd_explodes_and_sgd_reaches_the_minimum(nb02, widget_runs, features):
    J_min = nb02["J_min_iris"]
    found = [eta for eta, cg, cs, Jg, Js in widget_runs[features]
             if not (np.isfinite(Jg) and Jg <= cg[0]) and Js < 1.1 * J_min]
    assert found


def test_02_widget_sgd_wobbles_near_the_minimum_when_eta_is_large(nb02, widget_runs):
    J_min = nb02["J_min_iris"]
    wobbly = [eta for eta, cg, cs, Jg, Js in widget_runs["standardized"]
              if Js < 1.1 * J_min and np.any(np.diff(cs) > 0)]
    assert wobbly


# --- 05 and 06_training ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def nb05():
    return run_notebook("05_backprop")


@pytest.fixture(scope="module")
def nb06():
    return run_notebook("06_training")


def test_05_the_wrong_orders_the_check_names_include_a_sort_without_a_visited_set(nb05):
    """The check on `Value.backward` names what each wrong order gives on c = 2a, d = 3c,
    e = c + d; a depth-first sort that never marks visited nodes lists c twice."""
    make_node, Value = nb05["make_node"], nb05["Value"]
    a = Value(1.0)
    c = make_node(2.0, [a], [2.0])
    d = make_node(6.0, [c], [3.0])
    e = make_node(8.0, [c, d], [1.0, 1.0])
    order = []

    def visit(node):                        # no visited set
        for child in node._prev:
            visit(child)
        order.append(node)
    visit(e)
    e.grad = 1.0
    for node in reversed(order):
        node._backward()
    got = [c.grad, a.grad]
    assert got != [4.0, 8.0]
    nb = nbformat.read(SOLUTIONS / "05_backprop" / notebook_name("05_backprop"), as_version=4)
    check = next(cell.source for cell in nb.cells if nbgrader_meta(cell).get("grade_id") == "test_value_backward")
    named = re.search(r"\(\[" + re.escape(f"{got[0]}, {got[1]}") + r"\], \"([^\"]*)", check)
    assert named and "_backward ran" in named.group(1), (got, "is not among the wrong orders the check names")


def test_06_from_zeros_only_the_last_bias_learns_and_one_class_is_predicted_he_learns(nb06):
    """Section 2's sentence under the symmetry plot, on the notebook's own networks."""
    Net, train_plain = nb06["Net"], nb06["train_plain"]
    X_val, y_train = nb06["X_val"], nb06["y_train"]
    zeros = Net([64, 64, 64, 10], "zeros")
    train_plain(zeros, epochs=20, lr=0.1)
    layers = zeros.layers()
    assert all(not np.any(W) and not np.any(b) for W, b, _, _ in layers[:-1]), "a hidden layer learned from zeros"
    assert not np.any(layers[-1][0]) and np.any(layers[-1][1]), "only the last layer's bias should have learned"
    predicted = np.unique(zeros.predict(X_val))
    assert list(predicted) == [np.bincount(y_train).argmax()], "from zeros the network predicts the most common class"
    he = Net([64, 64, 64, 10], "he")
    train_plain(he, epochs=20, lr=0.1)
    assert he.evaluate(X_val, nb06["y_val"])[1] > 0.9, "He's scale (matched to ReLU) should learn the digits"


def test_06_with_relu_he_keeps_the_spread_and_xavier_shrinks_it_by_about_one_over_root_two(nb06):
    spreads = nb06["spreads"]
    he, xavier = np.array(spreads["he"]), np.array(spreads["xavier"])
    ratio = lambda s: (s[-1] / s[0]) ** (1 / 9)
    assert 0.9 < ratio(he) < 1.1, he
    assert abs(ratio(xavier) - 1 / np.sqrt(2)) < 0.07, xavier
    # the inputs come from their own generator: layer 1's spread is what independent data gives
    # (ReLU of z with Var z = 2 for He, 1 for Xavier: std sqrt(Var z * (1/2 - 1/(2 pi))))
    for s, var_z in ((he, 2.0), (xavier, 1.0)):
        assert abs(s[0] / np.sqrt(var_z * (0.5 - 1 / (2 * np.pi))) - 1) < 0.1, s[0]


def test_06_the_test_accuracys_standard_error_is_about_one_point(nb06):
    acc, n = nb06["test_acc_final"], len(nb06["y_test"])
    se = np.sqrt(acc * (1 - acc) / n)
    assert 0.004 < se < 0.015, se
    assert nb06["val_acc_final"] >= 0.97, "the final network should reach 97% validation accuracy"
