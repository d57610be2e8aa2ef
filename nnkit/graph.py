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


def _graphviz_available() -> bool:
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
        if _graphviz_available():
            return _draw_graphviz(root)
        warnings.warn("graphviz (the Python package and the `dot` program) is not installed; "
                      "drawing with Matplotlib instead.", stacklevel=2)
    elif backend != "matplotlib":
        raise ValueError(f"backend must be 'matplotlib' or 'graphviz', got {backend!r}")

    nodes, edges = trace(root)
    depth = layers(root)
    n_layers = max(depth.values()) + 1
    columns: dict[int, list] = {}
    for n in nodes:
        columns.setdefault(depth[id(n)], []).append(n)
    tallest = max(len(c) for c in columns.values())

    x_step, y_step, op_dx = 3.4, 1.6, 1.6
    pos, op_pos = {}, {}
    for d, column in columns.items():
        x = (n_layers - 1 - d) * x_step
        top = (len(column) - 1) * y_step / 2
        for k, n in enumerate(column):
            pos[id(n)] = (x, top - k * y_step)
            if getattr(n, "_op", "") and list(getattr(n, "_prev", ()) or ()):
                op_pos[id(n)] = (x - op_dx, top - k * y_step)

    if ax is None:
        _, ax = plt.subplots(figsize=(min(2.6 * n_layers + 1.0, 16), min(1.2 * tallest + 1.2, 10)))

    box = dict(boxstyle="round,pad=0.35", facecolor="#eef4fb", edgecolor="#1f77b4", linewidth=1.2)
    leaf_box = dict(box, facecolor="#fdf3e7", edgecolor="#ff7f0e")
    def op_half_width(node):  # rough half width of the operation's label, in data units
        return 0.2 + 0.06 * len(str(node._op))

    for child, parent in edges:
        (x0, y0), (x1, y1) = pos[id(child)], op_pos.get(id(parent), pos[id(parent)])
        half = op_half_width(parent) if id(parent) in op_pos else 0.75
        ax.annotate("", xy=(x1 - half, y1), xytext=(x0 + 0.75, y0),
                    arrowprops=dict(arrowstyle="-|>", color="#555555", linewidth=1.0,
                                    shrinkA=0, shrinkB=0))
    for n in nodes:
        x, y = pos[id(n)]
        is_leaf = not list(getattr(n, "_prev", ()) or ())
        ax.text(x, y, _node_text(n), ha="center", va="center", fontsize=8.5, family="monospace",
                bbox=leaf_box if is_leaf else box, zorder=3)
        if id(n) in op_pos:
            ox, oy = op_pos[id(n)]
            ax.annotate("", xy=(x - 0.75, y), xytext=(ox + op_half_width(n), oy),
                        arrowprops=dict(arrowstyle="-|>", color="#555555", linewidth=1.0,
                                        shrinkA=0, shrinkB=0))
            style = "circle,pad=0.3" if len(str(n._op)) <= 2 else "round,pad=0.3"
            ax.text(ox, oy, str(n._op), ha="center", va="center", fontsize=9, zorder=3,
                    bbox=dict(boxstyle=style, facecolor="white", edgecolor="#333333"))

    xs = [p[0] for p in pos.values()] + [p[0] for p in op_pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1.3, max(xs) + 1.3)
    ax.set_ylim(min(ys) - 1.0, max(ys) + 1.0)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
