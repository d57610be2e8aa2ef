"""Right values, wrong shapes, for 05_backprop (see README.md beside this file).

Each answer computes the right numbers and returns them in a shape that broadcasting
hides: a (1, n) row or an (n, 1) column where (n,) is due, a 1-element array where a
number is due, an extra leading axis.
"""

WRONG_SHAPES = [
    {"id": "dense-db-row", "loses": ["test_dense_backward"],
     "answers": {"dense_backward": (
         "def dense_backward(dZ, X, W):\n"
         "    return dZ @ W, dZ.T @ X, dZ.sum(axis=0, keepdims=True)\n")}},
    {"id": "dense-dW-extra-axis", "loses": ["test_dense_backward"],
     "answers": {"dense_backward": (
         "def dense_backward(dZ, X, W):\n"
         "    return dZ @ W, (dZ.T @ X)[None], dZ.sum(axis=0)\n")}},
    {"id": "relu-extra-axis", "loses": ["test_relu_backward"],
     "answers": {"relu_backward": (
         "def relu_backward(dA, Z):\n"
         "    return (np.asarray(dA, dtype=float) * (np.asarray(Z) > 0))[None]\n")}},
    {"id": "sigmoid-extra-axis", "loses": ["test_sigmoid_backward"],
     "answers": {"sigmoid_backward": (
         "def sigmoid_backward(dA, Z):\n"
         "    s = sigmoid(Z)\n"
         "    return (np.asarray(dA, dtype=float) * s * (1 - s))[None]\n")}},
    {"id": "jacobian-extra-axis", "loses": ["test_softmax_jacobian"],
     "answers": {"softmax_jacobian": (
         "def softmax_jacobian(z):\n"
         "    p = softmax(z)\n"
         "    return (np.diag(p) - np.outer(p, p))[None]\n")}},
    {"id": "softmax-loss-array", "loses": ["test_softmax_cross_entropy"],
     "answers": {"softmax_cross_entropy": (
         "def softmax_cross_entropy(logits, y):\n"
         "    logits = np.asarray(logits, dtype=float)\n"
         "    n = logits.shape[0]\n"
         "    s = logits - logits.max(axis=1, keepdims=True)\n"
         "    log_sum = np.log(np.exp(s).sum(axis=1))\n"
         "    loss = np.mean(log_sum - s[np.arange(n), y], keepdims=True)\n"
         "    d = np.exp(s - log_sum[:, None])\n"
         "    d[np.arange(n), y] -= 1\n"
         "    return loss, d / n\n")}},
    {"id": "mse-loss-array", "loses": ["test_mse_loss"],
     "answers": {"mse_loss": (
         "def mse_loss(pred, target):\n"
         "    diff = np.asarray(pred, dtype=float) - np.asarray(target, dtype=float)\n"
         "    return np.mean(diff ** 2, keepdims=True).reshape(1), 2 * diff / diff.size\n")}},
    {"id": "mse-dpred-extra-axis", "loses": ["test_mse_loss"],
     "answers": {"mse_loss": (
         "def mse_loss(pred, target):\n"
         "    diff = np.asarray(pred, dtype=float) - np.asarray(target, dtype=float)\n"
         "    return float(np.mean(diff ** 2)), (2 * diff / diff.size)[None]\n")}},
    {"id": "mlp-db-row", "loses": ["test_mlp_backward"],
     "answers": {"mlp_backward": (
         "def mlp_backward(dout, cache, params):\n"
         "    backward = {'relu': relu_backward, 'sigmoid': sigmoid_backward, 'tanh': tanh_backward}\n"
         "    grads = [None] * len(params)\n"
         "    dA = np.asarray(dout, dtype=float)\n"
         "    for l in reversed(range(len(params))):\n"
         "        A_in, Z, act = cache[l]\n"
         "        dZ = backward[act](dA, Z) if act is not None else dA\n"
         "        dA, dW, db = dense_backward(dZ, A_in, params[l][0])\n"
         "        grads[l] = (dW, db[None, :])\n"
         "    return grads\n")}},
    {"id": "sgd-b-row", "loses": ["test_sgd_step"],
     "answers": {"sgd_step": (
         "def sgd_step(params, grads, lr):\n"
         "    return [(W - lr * dW, (b - lr * db)[None, :]) for (W, b), (dW, db) in zip(params, grads)]\n")}},
    {"id": "init-b-row", "loses": ["test_init_params"],
     "answers": {"init_params": (
         "def init_params(layer_sizes, scheme='he', seed=0):\n"
         "    if scheme not in ('zeros', 'xavier', 'he'):\n"
         "        raise ValueError(scheme)\n"
         "    rng = np.random.default_rng(seed)\n"
         "    out = []\n"
         "    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):\n"
         "        std = 0.0 if scheme == 'zeros' else np.sqrt(2.0 / (n_in + n_out) if scheme == 'xavier' else 2.0 / n_in)\n"
         "        out.append((rng.normal(0.0, 1.0, size=(n_out, n_in)) * std, np.zeros((1, n_out))))\n"
         "    return out\n")}},
    {"id": "distinct-count-array", "loses": ["test_count_distinct_units"],
     "answers": {"count_distinct_units": (
         "def count_distinct_units(W, tol=1e-8):\n"
         "    kept = []\n"
         "    for row in np.asarray(W, dtype=float):\n"
         "        if all(np.max(np.abs(row - other)) > tol for other in kept):\n"
         "            kept.append(row)\n"
         "    return np.array([len(kept)])\n")}},
    {"id": "l2-db-scalar", "loses": ["test_l2_penalty"],
     "answers": {"l2_penalty": (
         "def l2_penalty(params, lam):\n"
         "    penalty = 0.5 * lam * sum(float(np.sum(W ** 2)) for W, _ in params)\n"
         "    return penalty, [(lam * W, np.zeros(1)) for W, b in params]\n")}},
    {"id": "l2-penalty-array", "loses": ["test_l2_penalty"],
     "answers": {"l2_penalty": (
         "def l2_penalty(params, lam):\n"
         "    penalty = 0.5 * lam * sum(np.sum(W ** 2, keepdims=True) for W, _ in params)\n"
         "    return penalty.reshape(1), [(lam * W, np.zeros_like(b)) for W, b in params]\n")}},
    {"id": "stop-array", "loses": ["test_should_stop"],
     "answers": {"should_stop": (
         "def should_stop(val_losses, patience):\n"
         "    losses = np.asarray(val_losses, dtype=float)\n"
         "    return np.array([len(losses) - 1 - int(np.argmin(losses)) >= patience])\n")}},
]
