"""Correct answers to 03_mlp written differently from the reference (see README.md beside this file).

Three sets, each answering every exercise: explicit Python loops, float32 arithmetic, and helper
functions or other formulas (identities, NumPy routines, other valid XOR weights, lists for arrays).
"""

LOOPS = {
    "dense_forward": '''def dense_forward(X, W, b):
    X, W = np.asarray(X, dtype=float), np.asarray(W, dtype=float)
    n, n_out, n_in = X.shape[0], W.shape[0], X.shape[1]
    Z = np.empty((n, n_out))
    for i in range(n):
        for j in range(n_out):
            Z[i, j] = sum(X[i, k] * W[j, k] for k in range(n_in)) + b[j]
    return Z
''',
    "count_parameters": '''def count_parameters(layer_sizes):
    total = 0
    for i in range(1, len(layer_sizes)):
        total += layer_sizes[i] * (layer_sizes[i - 1] + 1)
    return total
''',
    "collapse_linear": '''def collapse_linear(W1, b1, W2, b2):
    n_out, n_hidden, n_in = len(W2), len(W1), len(W1[0])
    W, b = np.zeros((n_out, n_in)), np.zeros(n_out)
    for o in range(n_out):
        b[o] = b2[o]
        for h in range(n_hidden):
            b[o] += W2[o][h] * b1[h]
            for i in range(n_in):
                W[o, i] += W2[o][h] * W1[h][i]
    return W, b
''',
    "tanh": '''import math

def tanh(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for idx in np.ndindex(z.shape):
        out[idx] = math.tanh(z[idx])
    return out
''',
    "relu": '''def relu(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for idx in np.ndindex(z.shape):
        out[idx] = z[idx] if z[idx] > 0 else 0.0
    return out
''',
    "leaky_relu": '''def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for idx in np.ndindex(z.shape):
        out[idx] = z[idx] if z[idx] >= 0 else alpha * z[idx]
    return out
''',
    "sigmoid_grad": '''def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for idx in np.ndindex(z.shape):
        s = float(sigmoid(z[idx]))
        out[idx] = s - s * s
    return out
''',
    "tanh_grad": '''import math

def tanh_grad(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for idx in np.ndindex(z.shape):
        t = math.tanh(z[idx])
        out[idx] = (1.0 - t) * (1.0 + t)
    return out
''',
    "relu_grad": '''def relu_grad(z):
    z = np.asarray(z, dtype=float)
    out = np.zeros(z.shape)
    for idx in np.ndindex(z.shape):
        if z[idx] > 0:
            out[idx] = 1.0
    return out
''',
    "leaky_relu_grad": '''def leaky_relu_grad(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    out = np.empty(z.shape)
    for idx in np.ndindex(z.shape):
        out[idx] = 1.0 if z[idx] > 0 else alpha
    return out
''',
    "softmax": '''import math

def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    P = np.empty_like(Z)
    for i, row in enumerate(Z):
        top = max(row)
        exps = [math.exp(v - top) for v in row]
        total = sum(exps)
        P[i] = [e / total for e in exps]
    return P
''',
    "mlp_forward": '''def mlp_forward(X, params, activation="relu"):
    table = {"relu": relu, "sigmoid": sigmoid, "tanh": tanh}
    if activation not in table:
        raise ValueError(f"activation must be one of {sorted(table)}, not {activation!r}")
    cache, A = [], np.asarray(X, dtype=float)
    for l in range(len(params)):
        W, b = params[l]
        Z = A @ np.asarray(W).T + b
        if l < len(params) - 1:
            cache.append((A, Z, activation))
            A = table[activation](Z)
        else:
            cache.append((A, Z, None))
            A = Z
    return A, cache
''',
    "xor_network": '''def xor_network():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])     # OR and AND
    b1 = np.array([-0.5, -1.5])
    W2 = np.array([[1.0, -1.0]])                # OR and not AND
    b2 = np.array([-1.5])
    return [(W1, b1), (W2, b2)]
''',
}

F32 = {
    "dense_forward": '''def dense_forward(X, W, b):
    f32 = np.float32
    return np.asarray(X, dtype=f32) @ np.asarray(W, dtype=f32).T + np.asarray(b, dtype=f32)
''',
    "count_parameters": '''def count_parameters(layer_sizes):
    sizes = np.array(layer_sizes, dtype=np.int64)
    return np.sum(sizes[1:] * (sizes[:-1] + 1))
''',
    "collapse_linear": '''def collapse_linear(W1, b1, W2, b2):
    W1, b1, W2, b2 = (np.asarray(a, dtype=np.float32) for a in (W1, b1, W2, b2))
    return W2 @ W1, W2 @ b1 + b2
''',
    "tanh": '''def tanh(z):
    return np.tanh(np.asarray(z, dtype=np.float32))
''',
    "relu": '''def relu(z):
    return np.maximum(np.asarray(z, dtype=np.float32), np.float32(0))
''',
    "leaky_relu": '''def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=np.float32)
    return np.where(z >= 0, z, np.float32(alpha) * z)
''',
    "sigmoid_grad": '''def sigmoid_grad(z):
    s = np.asarray(sigmoid(z), dtype=np.float32)
    return s * (np.float32(1) - s)
''',
    "tanh_grad": '''def tanh_grad(z):
    t = np.tanh(np.asarray(z, dtype=np.float32))
    return np.float32(1) - t * t
''',
    "relu_grad": '''def relu_grad(z):
    return (np.asarray(z) > 0).astype(np.float32)
''',
    "leaky_relu_grad": '''def leaky_relu_grad(z, alpha=0.01):
    return np.where(np.asarray(z) > 0, np.float32(1), np.float32(alpha)).astype(np.float32)
''',
    "softmax": '''def softmax(Z):
    Z = np.asarray(Z, dtype=np.float32)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
''',
    "mlp_forward": '''def mlp_forward(X, params, activation="relu"):
    acts = {"relu": lambda v: np.maximum(v, np.float32(0)), "tanh": np.tanh,
            "sigmoid": lambda v: np.asarray(sigmoid(v), dtype=np.float32)}
    if activation not in acts:
        raise ValueError("activation must be 'relu', 'sigmoid' or 'tanh'")
    A, cache = np.asarray(X, dtype=np.float32), []
    for l, (W, b) in enumerate(params):
        Z = A @ np.asarray(W, dtype=np.float32).T + np.asarray(b, dtype=np.float32)
        last = l == len(params) - 1
        cache.append((A, Z, None if last else activation))
        A = Z if last else acts[activation](Z)
    return A, cache
''',
    "xor_network": '''def xor_network():
    f32 = np.float32
    W1 = np.array([[-1, -1], [1, 1]], dtype=f32)   # NAND first, then OR
    b1 = np.array([1.5, -0.5], dtype=f32)
    W2 = np.array([[1, 1]], dtype=f32)             # AND
    b2 = np.array([-1.5], dtype=f32)
    return [(W1, b1), (W2, b2)]
''',
}

HELPERS = {
    "dense_forward": '''def dense_forward(X, W, b):
    inputs, weights, bias = np.asarray(X), np.asarray(W), np.asarray(b)
    return np.einsum("si,oi->so", inputs, weights) + bias
''',
    "count_parameters": '''def _layer_parameters(n_in, n_out):
    return n_out * (n_in + 1)

def count_parameters(layer_sizes):
    sizes = list(layer_sizes)
    return sum(map(_layer_parameters, sizes[:-1], sizes[1:]))
''',
    "collapse_linear": '''def collapse_linear(W1, b1, W2, b2):
    def two_layers(X):
        return (X @ np.asarray(W1).T + b1) @ np.asarray(W2).T + b2
    n_in = np.shape(W1)[1]
    bias = two_layers(np.zeros((1, n_in)))[0]          # the affine map at 0
    weights = (two_layers(np.eye(n_in)) - bias).T      # its columns at the unit vectors
    return weights, bias
''',
    "tanh": '''def tanh(z):
    return 2.0 * sigmoid(2.0 * np.asarray(z, dtype=float)) - 1.0
''',
    "relu": '''def relu(z):
    return np.clip(np.asarray(z, dtype=float), 0.0, None)
''',
    "leaky_relu": '''def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, alpha * z)      # alpha < 1
''',
    "sigmoid_grad": '''def sigmoid_grad(z):
    e = np.exp(-np.abs(np.asarray(z, dtype=float)))   # sigma' is even, so use -|z|: never overflows
    return e / (1.0 + e) ** 2
''',
    "tanh_grad": '''def _sigmoid_slope(v):
    s = sigmoid(v)
    return s * (1.0 - s)

def tanh_grad(z):
    return 4.0 * _sigmoid_slope(2.0 * np.asarray(z, dtype=float))   # tanh(z) = 2 sigma(2z) - 1
''',
    "relu_grad": '''def relu_grad(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)
''',
    "leaky_relu_grad": '''def leaky_relu_grad(z, alpha=0.01):
    positive = np.asarray(z) > 0
    return 1.0 * positive + alpha * ~positive
''',
    "softmax": '''def _logsumexp_rows(Z):
    top = Z.max(axis=1, keepdims=True)
    return top + np.log(np.exp(Z - top).sum(axis=1, keepdims=True))

def softmax(Z):
    Z = np.asarray(Z, dtype=float)
    return np.exp(Z - _logsumexp_rows(Z))
''',
    "mlp_forward": '''ALLOWED = ("relu", "sigmoid", "tanh")

def _layer(A, W, b, act):
    Z = dense_forward(A, W, b)
    out = Z if act is None else {"relu": relu, "sigmoid": sigmoid, "tanh": tanh}[act](Z)
    return out, (A, Z, act)

def mlp_forward(X, params, activation="relu"):
    if activation not in ALLOWED:
        raise ValueError(f"unknown activation {activation!r}: use one of {ALLOWED}")
    acts = [activation] * (len(params) - 1) + [None]
    out, cache = X, []
    for (W, b), act in zip(params, acts):
        out, entry = _layer(out, W, b, act)
        cache.append(entry)
    return out, cache
''',
    "xor_network": '''def xor_network():
    hidden = ([[2, 2], [-2, -2]], [-1, 3])     # OR, NAND, as plain lists
    output = ([[1, 1]], [-1])                  # AND
    return [hidden, output]
''',
}

VARIANTS = [
    {"id": "loops", "answers": LOOPS},
    {"id": "float32", "answers": F32},
    {"id": "helpers-identities-lists", "answers": HELPERS},
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


for _v in VARIANTS:
    _v["answers"] = _merge_activations(_v["answers"])
