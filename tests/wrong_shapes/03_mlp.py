"""Right values, wrong shapes, for 03_mlp (see README.md beside this file).

Each answer keeps the right shape on the visible example, so that its own self-check passes, and
returns a broadcast-compatible wrong shape on other inputs: only the hidden checks can catch it.
"""

WRONG_SHAPES = [
    {"id": "dense-extra-leading-axis", "loses": ["test_dense_forward"],
     "answers": {"dense_forward": (
         "def dense_forward(X, W, b):\n"
         "    Z = np.asarray(X) @ np.asarray(W).T + b\n"
         "    return Z if Z.shape == (4, 2) else Z[None]\n")}},
    {"id": "count-one-element-array", "loses": ["test_count_parameters"],
     "answers": {"count_parameters": (
         "def count_parameters(layer_sizes):\n"
         "    s = list(layer_sizes)\n"
         "    return np.array([sum(o * i + o for i, o in zip(s[:-1], s[1:]))])\n")}},
    {"id": "collapse-bias-row", "loses": ["test_collapse_linear"],
     "answers": {"collapse_linear": (
         "def collapse_linear(W1, b1, W2, b2):\n"
         "    W, b = np.asarray(W2) @ np.asarray(W1), np.asarray(W2) @ b1 + b2\n"
         "    return (W, b) if W.shape == (1, 2) else (W, b[None, :])\n")}},
    {"id": "tanh-extra-axis", "loses": ["test_tanh"],
     "answers": {"tanh": (
         "def tanh(z):\n"
         "    t = np.tanh(np.asarray(z, dtype=float))\n"
         "    return t if t.size <= 6 else t[None]\n")}},
    {"id": "relu-extra-axis", "loses": ["test_relu"],
     "answers": {"relu": (
         "def relu(z):\n"
         "    r = np.maximum(np.asarray(z, dtype=float), 0.0)\n"
         "    return r if r.size == 5 else r[None]\n")}},
    {"id": "leaky-extra-axis", "loses": ["test_leaky_relu"],
     "answers": {"leaky_relu": (
         "def leaky_relu(z, alpha=0.01):\n"
         "    z = np.asarray(z, dtype=float)\n"
         "    r = np.where(z >= 0, z, alpha * z)\n"
         "    return r if r.size == 4 else r[None]\n")}},
    {"id": "sgrad-extra-axis", "loses": ["test_sigmoid_grad"],
     "answers": {"sigmoid_grad": (
         "def sigmoid_grad(z):\n"
         "    s = sigmoid(z)\n"
         "    g = s * (1 - s)\n"
         "    return g if g.size <= 3 else g[None]\n")}},
    {"id": "tgrad-extra-axis", "loses": ["test_tanh_grad"],
     "answers": {"tanh_grad": (
         "def tanh_grad(z):\n"
         "    g = 1 - np.tanh(np.asarray(z, dtype=float)) ** 2\n"
         "    return g if g.size <= 3 else g[None]\n")}},
    {"id": "rgrad-extra-axis", "loses": ["test_relu_grad"],
     "answers": {"relu_grad": (
         "def relu_grad(z):\n"
         "    g = (np.asarray(z) > 0).astype(float)\n"
         "    return g if g.size <= 3 else g[None]\n")}},
    {"id": "lgrad-extra-axis", "loses": ["test_leaky_relu_grad"],
     "answers": {"leaky_relu_grad": (
         "def leaky_relu_grad(z, alpha=0.01):\n"
         "    g = np.where(np.asarray(z) > 0, 1.0, alpha)\n"
         "    return g if g.size <= 3 else g[None]\n")}},
    {"id": "softmax-extra-axis", "loses": ["test_softmax"],
     "answers": {"softmax": (
         "def softmax(Z):\n"
         "    Z = np.asarray(Z, dtype=float)\n"
         "    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n"
         "    P = E / E.sum(axis=1, keepdims=True)\n"
         "    return P if len(P) <= 2 else P[None]\n")}},
    {"id": "mlp-out-extra-axis", "loses": ["test_mlp_forward"],
     "answers": {"mlp_forward": (
         "def mlp_forward(X, params, activation=\"relu\"):\n"
         "    functions = {\"relu\": relu, \"sigmoid\": sigmoid, \"tanh\": tanh}\n"
         "    if activation not in functions:\n"
         "        raise ValueError(activation)\n"
         "    cache, A = [], X\n"
         "    for l, (W, b) in enumerate(params):\n"
         "        Z = dense_forward(A, W, b)\n"
         "        last = l == len(params) - 1\n"
         "        cache.append((A, Z, None if last else activation))\n"
         "        A = Z if last else functions[activation](Z)\n"
         "    return (A if len(A) == 2 else A[None]), cache\n")}},
    {"id": "xor-bias-column", "loses": ["test_xor_network"],
     "answers": {"xor_network": (
         "def xor_network():\n"
         "    W1 = np.array([[0.6, 0.6], [-0.5, -0.5]]); b1 = np.array([-0.4, 0.6])\n"
         "    return [(W1, b1), (np.array([[0.6, 0.6]]), np.array([[-0.4]]))]\n")}},
]


def _merge_activations(answers: dict) -> dict:
    """The six activation functions are one cell ("activations"): join a set's answers for them."""
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[2] / "solutions" / "03_mlp" / "mistakes.py"
    spec = importlib.util.spec_from_file_location("mistakes_03_mlp_cells", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    six = {k: v for k, v in answers.items() if k in module.ACTIVATIONS}
    rest = {k: v for k, v in answers.items() if k not in module.ACTIVATIONS}
    return {**rest, "activations": module.activations_cell(six)} if six else rest


for _s in WRONG_SHAPES:
    _s["answers"] = _merge_activations(_s["answers"])
    _s["loses"] = sorted({"test_activations" if l in {f"test_{n}" for n in ("tanh", "relu", "leaky_relu",
                          "tanh_grad", "relu_grad", "leaky_relu_grad")} else l for l in _s.get("loses", [])})
