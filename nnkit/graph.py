"""Drawing of scalar computational graphs (notebook 05's ``Value`` objects, or anything alike).

A node is any object with the attributes ``data`` (a number), ``grad`` (a number),
``_prev`` (an iterable of its input nodes) and ``_op`` (a short string naming the
operation that made it, "" for a leaf). An optional ``label`` attribute names the
node in the drawing. This module only reads those attributes: it neither builds
nodes nor computes gradients.

    >>> ax = draw_graph(f)            # f is the output node; call after f.backward()

Every node is a box showing its data and its grad; each node made by an operation
gets a small circle with the operation's name, wired from the boxes of its inputs.
The layout is layered: the output on the right, each node one layer left of its
furthest consumer, so the picture reads like a forward pass from left to right and
backpropagation runs from right to left. Matplotlib is all it needs; with
``backend="graphviz"`` it returns a ``graphviz.Digraph`` instead when the
``graphviz`` Python package and the ``dot`` program are installed.
"""
from __future__ import annotations

import shutil
import warnings

import matplotlib.pyplot as plt

__all__ = ["trace", "layers", "draw_graph"]

# the Matplotlib drawing: layer and row spacing, an op circle's offset left of its box (data
# units), and the boxes of nodes made by an operation and of leaves
_X_STEP, _Y_STEP, _OP_DX = 3.4, 1.6, 1.6
_BOX = dict(boxstyle="round,pad=0.35", facecolor="#eef4fb", edgecolor="#1f77b4", linewidth=1.2)
_LEAF_BOX = dict(_BOX, facecolor="#fdf3e7", edgecolor="#ff7f0e")


def trace(root):
    """Every node and edge reachable from ``root`` through ``_prev``.

    Inputs:
    - root: the output node.

    Returns (nodes, edges): ``nodes`` is a list of distinct nodes (by identity) in the
    order they are first reached from the root; ``edges`` is a list of
    ``(child, parent)`` pairs, one per input of each node (a node used twice as an
    input of the same operation gives two edges).
    """
    nodes, edges, seen = [], [], set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        nodes.append(node)
        children = list(getattr(node, "_prev", ()) or ())
        for child in children:
            edges.append((child, node))
        stack.extend(reversed(children))
    return nodes, edges


def layers(root):
    """Depth of every node: 0 for the root, otherwise 1 + the largest depth of its consumers.

    Returns a dict ``id(node) -> depth``. A node reused at several places sits one
    layer left of its furthest consumer, so every edge points to the right.
    """
    nodes, edges = trace(root)
    depth = {id(n): 0 for n in nodes}
    # longest path from the root; the graph is a DAG, so |nodes| relaxation rounds suffice
    for _ in range(len(nodes)):
        changed = False
        for child, parent in edges:
            if depth[id(child)] < depth[id(parent)] + 1:
                depth[id(child)] = depth[id(parent)] + 1
                changed = True
        if not changed:
            break
    return depth


def _fmt(value) -> str:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{value:.4g}"


def _node_text(node) -> str:
    label = getattr(node, "label", None)
    head = f"{label}\n" if label not in (None, "") else ""
    return f"{head}data {_fmt(node.data)}\ngrad {_fmt(node.grad)}"


def graphviz_available() -> bool:
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return False
    return shutil.which("dot") is not None


def _draw_graphviz(root):
    import graphviz

    nodes, edges = trace(root)
    dot = graphviz.Digraph(graph_attr={"rankdir": "LR"})
    for n in nodes:
        uid = str(id(n))
        label = getattr(n, "label", None)
        head = f"{label} | " if label not in (None, "") else ""
        dot.node(uid, f"{{ {head}data {_fmt(n.data)} | grad {_fmt(n.grad)} }}", shape="record")
        if getattr(n, "_op", ""):
            dot.node(uid + "op", str(n._op), shape="circle")
            dot.edge(uid + "op", uid)
    for child, parent in edges:
        dot.edge(str(id(child)), str(id(parent)) + "op")
    return dot


def draw_graph(root, ax=None, backend: str = "matplotlib", title=None):
    """Draw the computational graph that ends in ``root``, with data and grad on every node.

    Inputs:
    - root: the output node; every node needs ``data``, ``grad``, ``_prev`` and ``_op``
      (and may have a ``label``).
    - ax: Matplotlib axes to draw on (a new figure when None).
    - backend: "matplotlib" (default) or "graphviz" (falls back to Matplotlib, with a
      warning, when the graphviz package or the ``dot`` program is missing).
    - title: optional axes title.

    Returns the axes (or a ``graphviz.Digraph`` for the graphviz backend).
    """
    if backend == "graphviz":
        if graphviz_available():
            return _draw_graphviz(root)
        warnings.warn("graphviz (the Python package and the `dot` program) is not installed; "
                      "drawing with Matplotlib instead.", stacklevel=2)
    elif backend != "matplotlib":
        raise ValueError(f"backend must be 'matplotlib' or 'graphviz', got {backend!r}")

    nodes, edges = trace(root)
    pos, op_pos, n_layers, tallest = _layout(root, nodes)
    if ax is None:
        _, ax = plt.subplots(figsize=(min(2.6 * n_layers + 1.0, 16), min(1.2 * tallest + 1.2, 10)))
    for child, parent in edges:
        end = op_pos.get(id(parent), pos[id(parent)])
        half = _op_half_width(parent) if id(parent) in op_pos else 0.75
        _arrow(ax, (pos[id(child)][0] + 0.75, pos[id(child)][1]), (end[0] - half, end[1]))
    for n in nodes:
        _draw_node(ax, n, pos[id(n)], op_pos.get(id(n)))
    _frame(ax, pos, op_pos, title)
    return ax


def _layout(root, nodes):
    """Where every node goes: (pos, op_pos, n_layers, tallest).

    ``pos`` maps ``id(node)`` to the (x, y) centre of its box: one column per layer
    (``layers``), the root's the rightmost, each column centred on y = 0. ``op_pos`` maps
    ``id(node)`` of each node made by an operation from inputs to the centre of its op
    circle, just left of its box. ``n_layers`` and ``tallest`` (the most nodes in one
    column) size a new figure.
    """
    depth = layers(root)
    n_layers = max(depth.values()) + 1
    columns: dict[int, list] = {}
    for n in nodes:
        columns.setdefault(depth[id(n)], []).append(n)
    pos, op_pos = {}, {}
    for d, column in columns.items():
        x = (n_layers - 1 - d) * _X_STEP
        top = (len(column) - 1) * _Y_STEP / 2
        for k, n in enumerate(column):
            pos[id(n)] = (x, top - k * _Y_STEP)
            if getattr(n, "_op", "") and list(getattr(n, "_prev", ()) or ()):
                op_pos[id(n)] = (x - _OP_DX, top - k * _Y_STEP)
    return pos, op_pos, n_layers, max(len(c) for c in columns.values())


def _op_half_width(node) -> float:
    """Rough half width of the node's operation label, in data units."""
    return 0.2 + 0.06 * len(str(node._op))


def _arrow(ax, start, end) -> None:
    """An arrow from ``start`` to ``end`` (data coordinates), its head at ``end``."""
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color="#555555", linewidth=1.0, shrinkA=0, shrinkB=0))


def _draw_node(ax, n, xy, op_xy) -> None:
    """The box of node ``n`` at ``xy`` (a leaf's in another colour) and, when ``op_xy`` is
    given, its operation's circle there with an arrow from the circle to the box."""
    x, y = xy
    is_leaf = not list(getattr(n, "_prev", ()) or ())
    ax.text(x, y, _node_text(n), ha="center", va="center", fontsize=8.5, family="monospace",
            bbox=_LEAF_BOX if is_leaf else _BOX, zorder=3)
    if op_xy is not None:
        ox, oy = op_xy
        _arrow(ax, (ox + _op_half_width(n), oy), (x - 0.75, y))
        style = "circle,pad=0.3" if len(str(n._op)) <= 2 else "round,pad=0.3"
        ax.text(ox, oy, str(n._op), ha="center", va="center", fontsize=9, zorder=3,
                bbox=dict(boxstyle=style, facecolor="white", edgecolor="#333333"))


def _frame(ax, pos, op_pos, title) -> None:
    """Limits around every box and op circle, no axes, and the optional title."""
    xs = [p[0] for p in pos.values()] + [p[0] for p in op_pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
    ax.set_ylim(min(ys) - 1.0, max(ys) + 1.0)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
