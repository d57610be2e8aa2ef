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
]
