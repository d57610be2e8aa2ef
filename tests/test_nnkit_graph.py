import inspect
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from nnkit import graph  # noqa: E402


class Node:
    """A stand-in for notebook 05's Value: just the attributes draw_graph reads."""

    def __init__(self, data, grad=0.0, prev=(), op="", label=None):
        self.data, self.grad, self._prev, self._op = data, grad, tuple(prev), op
        if label is not None:
            self.label = label


def _example():
    # f = (x + y) * z at (-2, 5, -4), gradients filled in by hand
    x, y, z = Node(-2.0, -4.0, label="x"), Node(5.0, -4.0, label="y"), Node(-4.0, 3.0, label="z")
    q = Node(3.0, -4.0, (x, y), "+", label="q")
    f = Node(-12.0, 1.0, (q, z), "*", label="f")
    return x, y, z, q, f


def _texts(ax):
    return [t.get_text() for t in ax.texts if t.get_text()]  # arrows are empty annotations


def test_trace_finds_every_node_once_and_every_edge():
    x, y, z, q, f = _example()
    nodes, edges = graph.trace(f)
    assert nodes[0] is f and {id(n) for n in nodes} == {id(n) for n in (x, y, z, q, f)}
    assert len(nodes) == 5 and len(edges) == 4
    a = Node(2.0)
    s = Node(4.0, prev=(a, a), op="+")  # a + a: one node, two edges
    nodes, edges = graph.trace(s)
    assert len(nodes) == 2 and len(edges) == 2


def test_layers_put_a_reused_node_left_of_its_furthest_consumer():
    c = Node(1.0, label="c")
    d = Node(2.0, prev=(c,), op="*2")
    e = Node(3.0, prev=(c, d), op="+")
    depth = graph.layers(e)
    assert depth[id(e)] == 0 and depth[id(d)] == 1 and depth[id(c)] == 2


def test_draw_graph_shows_data_grad_and_ops():
    *_, f = _example()
    fig, ax = plt.subplots()
    out = graph.draw_graph(f, ax=ax, title="f = (x + y) z")
    assert out is ax and ax.get_title() == "f = (x + y) z"
    texts = _texts(ax)
    boxes = [t for t in texts if "data" in t]
    assert len(boxes) == 5
    assert any("f" in t and "data -12" in t and "grad 1" in t for t in boxes)
    assert any("x" in t and "data -2" in t and "grad -4" in t for t in boxes)
    assert any("z" in t and "data -4" in t and "grad 3" in t for t in boxes)
    assert sorted(t for t in texts if "data" not in t) == ["*", "+"]
    # the output is the right-most box, leaves are left of their operation
    xs = {t.get_text().split("\n")[0]: t.get_position()[0] for t in ax.texts if "data" in t.get_text()}
    assert xs["f"] > xs["q"] > xs["x"] and xs["x"] == xs["y"]
    plt.close(fig)


def test_draw_graph_handles_a_single_leaf_unlabelled_nodes_and_no_axes():
    fig = plt.figure()
    ax = graph.draw_graph(Node(0.5, 1.0))
    assert _texts(ax) == ["data 0.5\ngrad 1"]
    plt.close("all")
    plt.close(fig)


def test_graphviz_backend_falls_back_or_builds_a_digraph():
    *_, f = _example()
    if graph.graphviz_available():
        dot = graph.draw_graph(f, backend="graphviz")
        assert "data -12" in dot.source
    else:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ax = graph.draw_graph(f, backend="graphviz")
        assert any("graphviz" in str(w.message) for w in caught)
        assert len([t for t in _texts(ax) if "data" in t]) == 5
        plt.close("all")
    with pytest.raises(ValueError):
        graph.draw_graph(f, backend="svg")


def test_graph_module_holds_no_autograd():
    source = inspect.getsource(graph)
    assert "class Value" not in source
    assert "def backward" not in source and "_backward" not in source


def test_nnkit_exposes_graph_lazily():
    import nnkit

    assert nnkit.graph.draw_graph is graph.draw_graph
