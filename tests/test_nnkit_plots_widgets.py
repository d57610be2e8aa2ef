import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnkit import data, plots  # noqa: E402


def test_decision_regions_use_the_callable_and_draw_every_class():
    X, y = data.make_blobs(60, centers=[(0, 0), (4, 0), (2, 4)], seed=0)
    calls = []

    def predict(P):
        calls.append(P.shape)
        return np.argmin(((P[:, None, :] - np.array([[0, 0], [4, 0], [2, 4]])) ** 2).sum(-1), axis=1)

    fig, ax = plt.subplots()
    plots.plot_decision_regions(predict, X, y, ax=ax, resolution=50, mark=np.arange(60) < 3)
    assert calls == [(2500, 2)]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["y = 0", "y = 1", "y = 2", "misclassified"]
    plt.close(fig)


def test_linear_boundary_and_costs():
    fig, ax = plt.subplots()
    ax.set_xlim(-1, 1)
    ax.set_ylim(-1, 1)
    plots.plot_linear_boundary([1.0, 1.0], -0.5, ax=ax)
    xs, ys = ax.lines[0].get_data()
    assert np.allclose(xs + ys, 0.5)
    plots.plot_costs([10, 1, 0.1], ax=ax, logy=True, label="GD")
    assert ax.get_yscale() == "log"
    plt.close(fig)


def test_widgets_build_on_installed_ipywidgets():
    widgets = pytest.importorskip("ipywidgets")
    from nnkit import widgets as nw

    drawn = []
    box = nw.interactive_plot(lambda a, eta, kind: drawn.append((a, eta, kind)),
                              a=nw.slider("a", 1, 0, 5), eta=nw.log_slider("eta", 1e-2, 1e-4, 1.0),
                              kind=nw.dropdown("kind", ["GD", "SGD"]))
    assert isinstance(box, widgets.VBox)
    a, eta, kind = box.children[0].children
    assert isinstance(a, widgets.IntSlider) and isinstance(eta, widgets.FloatLogSlider)
    a.value = 3
    kind.value = "SGD"
    assert drawn[0] == (1, pytest.approx(1e-2), "GD") and drawn[-1] == (3, pytest.approx(1e-2), "SGD")
    pressed = []
    nw.button("go", lambda: pressed.append(1)).click()
    assert pressed == [1] and nw.ipywidgets_major() in (7, 8)
