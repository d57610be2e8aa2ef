"""Right values, wrong shapes, for 06_training (see README.md beside this file).

Each answer computes the right numbers and returns them in a shape that broadcasting
hides: a (1, n) row where (n,) is due, a 1-element array where a number is due.
"""

WRONG_SHAPES = [
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
    {"id": "bn-dbeta-row", "loses": ["test_batchnorm_backward"],
     "answers": {"batchnorm_backward": (
         "def batchnorm_backward(dout, cache):\n"
         "    x_hat, gamma, std = cache\n"
         "    dx_hat = dout * gamma\n"
         "    dX = (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std\n"
         "    return dX, (dout * x_hat).sum(axis=0), dout.sum(axis=0, keepdims=True)\n")}},
    {"id": "initial-loss-array", "loses": ["test_expected_initial_loss"],
     "answers": {"expected_initial_loss": (
         "def expected_initial_loss(n_classes):\n"
         "    return np.log(np.array([n_classes], dtype=float))\n")}},
    {"id": "dropout-mask-extra-axis", "loses": ["test_dropout_forward"],
     "answers": {"dropout_forward": (
         "def dropout_forward(X, p_drop, train, seed):\n"
         "    X = np.asarray(X, dtype=float)\n"
         "    if not train:\n"
         "        return X.copy(), None\n"
         "    mask = (np.random.default_rng(seed).random(X.shape) >= p_drop) / (1.0 - p_drop)\n"
         "    return X * mask, mask[None]\n")}},
    {"id": "momentum-params-row", "loses": ["test_sgd_momentum_step"],
     "answers": {"sgd_momentum_step": (
         "def sgd_momentum_step(params, grads, state, lr, momentum):\n"
         "    previous = state.get('velocity', [g * 0 for g in grads])\n"
         "    velocity = [momentum * v + g for v, g in zip(previous, grads)]\n"
         "    return [(p - lr * v)[None] for p, v in zip(params, velocity)], {'velocity': velocity}\n")}},
    {"id": "cosine-array", "loses": ["test_cosine_lr"],
     "answers": {"cosine_lr": (
         "def cosine_lr(step, total_steps, base_lr, min_lr=0.0):\n"
         "    return np.array([min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * step / total_steps))])\n")}},
]
