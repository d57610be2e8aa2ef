"""Correct answers to 06_training written differently from the reference (see README.md beside this file).

Two sets, each answering every exercise: "loops-staged" (loops, explicit indices, batch
normalization's backward through its computational graph step by step, with its own cache) and
"helpers-other-names" (helper functions, other names, other valid formulas).
"""

_LOOPS = {
    "init_params": '''import numpy as np
def init_params(layer_sizes, scheme="he", seed=0):
    """Variant: explicit loop over layers, standard normal draws scaled by hand."""
    std_of = {"zeros": lambda i, o: 0.0, "xavier": lambda i, o: (2.0 / (i + o)) ** 0.5,
              "he": lambda i, o: (2.0 / i) ** 0.5}
    if scheme not in std_of:
        raise ValueError("scheme must be zeros, xavier or he")
    rng = np.random.default_rng(seed)
    out = []
    for l in range(len(layer_sizes) - 1):
        n_in, n_out = layer_sizes[l], layer_sizes[l + 1]
        if scheme == "zeros":
            W = np.zeros((n_out, n_in))
        else:
            W = rng.standard_normal((n_out, n_in)) * std_of[scheme](n_in, n_out)
        out.append((W, np.zeros(n_out)))
    return out
''',
    "expected_initial_loss": '''import math
def expected_initial_loss(n_classes):
    """Variant: minus the log of the uniform probability."""
    return -math.log(1.0 / n_classes)
''',
    "sgd_momentum_step": '''def sgd_momentum_step(params, grads, state, lr, momentum):
    """Variant: index loop, state under another key."""
    old = state.get("v")
    new_v, new_p = [], []
    for i in range(len(params)):
        v = grads[i] if old is None else momentum * old[i] + grads[i]
        new_v.append(v)
        new_p.append(params[i] - lr * v)
    return new_p, {"v": new_v}
''',
    "rmsprop_step": '''def rmsprop_step(params, grads, state, lr, alpha=0.99, eps=1e-8):
    """Variant: index loop; the first average written out."""
    old = state.get("sq")
    sq, out = [], []
    for i, g in enumerate(grads):
        s = (1 - alpha) * g ** 2 if old is None else alpha * old[i] + (1 - alpha) * g ** 2
        sq.append(s)
        out.append(params[i] - lr * g / (s ** 0.5 + eps))
    return out, {"sq": sq}
''',
    "adam_step": '''def adam_step(params, grads, state, lr, betas=(0.9, 0.999), eps=1e-8):
    """Variant: one (m, v) pair per parameter, step size and denominator as torch writes them."""
    b1, b2 = betas
    t = state.get("t", 0) + 1
    pairs = state.get("pairs") or [(0 * g, 0 * g) for g in grads]
    new_pairs, out = [], []
    for p, g, (m, v) in zip(params, grads, pairs):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * (g * g)
        step_size = lr / (1 - b1 ** t)
        denom = v ** 0.5 / (1 - b2 ** t) ** 0.5 + eps
        out.append(p - step_size * m / denom)
        new_pairs.append((m, v))
    return out, {"t": t, "pairs": new_pairs}
''',
    "cosine_lr": '''import numpy as np
def cosine_lr(step, total_steps, base_lr, min_lr=0.0):
    """Variant: from the top down, with NumPy's cosine."""
    fraction = step / total_steps
    return float(base_lr - (base_lr - min_lr) * (1 - np.cos(np.pi * fraction)) / 2)
''',
    "l2_penalty": '''import numpy as np
def l2_penalty(params, lam):
    """Variant: loops over layers, products instead of squares."""
    total, grads = 0.0, []
    for W, b in params:
        W = np.asarray(W, dtype=float)
        total += float((W * W).sum())
        grads.append((W * lam, np.zeros_like(np.asarray(b, dtype=float))))
    return lam * total / 2, grads
''',
    "dropout_forward": '''import numpy as np
def dropout_forward(X, p_drop, train, seed):
    """Variant: np.where on the draws."""
    if not train:
        return np.array(X, dtype=float, copy=True), None
    u = np.random.default_rng(seed).random(np.shape(X))
    mask = np.where(u < p_drop, 0.0, 1.0 / (1.0 - p_drop))
    return np.multiply(X, mask), mask
''',
    "dropout_backward": '''import numpy as np
def dropout_backward(dout, mask):
    """Variant: np.multiply, np.copy."""
    if mask is None:
        return np.copy(dout)
    return np.multiply(dout, mask)
''',
    "should_stop": '''def should_stop(val_losses, patience):
    """Variant: a loop that finds the first lowest loss."""
    best_index, best = 0, float(val_losses[0])
    for i, loss in enumerate(val_losses):
        if float(loss) < best:
            best_index, best = i, float(loss)
    epochs_since = len(val_losses) - 1 - best_index
    return epochs_since >= patience
''',
    "batchnorm_forward": '''import numpy as np
def batchnorm_forward(X, gamma, beta, running, train, momentum=0.9, eps=1e-5):
    """Variant: staged like a computational graph; the cache keeps every stage."""
    X = np.asarray(X, dtype=float)
    if train:
        n = X.shape[0]
        mu = X.sum(axis=0) / n
        xc = X - mu
        var = (xc ** 2).sum(axis=0) / n
        inv = 1.0 / np.sqrt(var + eps)
        x_hat = xc * inv
        new_running = {}
        for key, stat in (("mean", mu), ("var", var)):
            new_running[key] = momentum * running[key] + (1 - momentum) * stat
        return gamma * x_hat + beta, {"xc": xc, "inv": inv, "x_hat": x_hat, "gamma": gamma, "var": var, "eps": eps}, new_running
    x_hat = (X - running["mean"]) / np.sqrt(running["var"] + eps)
    return gamma * x_hat + beta, None, {"mean": running["mean"].copy(), "var": running["var"].copy()}
''',
    "batchnorm_backward": '''import numpy as np
def batchnorm_backward(dout, cache):
    """Variant: backpropagate stage by stage through the staged forward."""
    xc, inv, x_hat, gamma = cache["xc"], cache["inv"], cache["x_hat"], cache["gamma"]
    n = dout.shape[0]
    dbeta = dout.sum(axis=0)
    dgamma = (dout * x_hat).sum(axis=0)
    dx_hat = dout * gamma
    dinv = (dx_hat * xc).sum(axis=0)
    dxc = dx_hat * inv
    dvar = dinv * (-0.5) * (cache["var"] + cache["eps"]) ** -1.5
    dxc = dxc + dvar * 2 * xc / n
    dmu = -dxc.sum(axis=0)
    return dxc + dmu / n, dgamma, dbeta
''',
}

_HELPERS = {
    "init_params": '''import numpy as np
def _variance(scheme, n_in, n_out):
    if scheme == "xavier":
        return 2.0 / (n_in + n_out)
    if scheme == "he":
        return 2.0 / n_in
    raise ValueError(scheme)

def init_params(layer_sizes, scheme="he", seed=0):
    """Variant: a helper for the variance; zeros are the normal scaled by 0."""
    if scheme not in ("zeros", "he", "xavier"):
        raise ValueError(scheme)
    gen = np.random.default_rng(seed)
    shapes = list(zip(layer_sizes[1:], layer_sizes[:-1]))
    return [(gen.normal(size=(o, i)) * (0.0 if scheme == "zeros" else np.sqrt(_variance(scheme, i, o))), np.zeros(o))
            for o, i in shapes]
''',
    "expected_initial_loss": '''import numpy as np
def expected_initial_loss(n_classes):
    """Variant: the cross-entropy of zero scores, computed."""
    scores = np.zeros(n_classes)
    p = np.exp(scores) / np.exp(scores).sum()
    return float(-np.log(p[0]))
''',
    "sgd_momentum_step": '''def _accumulate(v, g, momentum):
    return g if v is None else v * momentum + g

def sgd_momentum_step(params, grads, state, lr, momentum):
    """Variant: a helper, and None for the missing first velocity."""
    previous = state.get("buffers", [None] * len(grads))
    buffers = [_accumulate(v, g, momentum) for v, g in zip(previous, grads)]
    return [p + (-lr) * b for p, b in zip(params, buffers)], {"buffers": buffers}
''',
    "rmsprop_step": '''def _rms(s, eps):
    return s ** 0.5 + eps

def rmsprop_step(params, grads, state, lr, alpha=0.99, eps=1e-8):
    """Variant: a helper; the average written as s + (1 - alpha)(g^2 - s)."""
    prev = state["avg"] if "avg" in state else [g - g for g in grads]
    avg = [s + (1 - alpha) * (g * g - s) for s, g in zip(prev, grads)]
    return [p - (lr / _rms(s, eps)) * g for p, g, s in zip(params, grads, avg)], {"avg": avg}
''',
    "adam_step": '''def _corrected(avg, beta, t):
    return avg / (1 - beta ** t)

def adam_step(params, grads, state, lr, betas=(0.9, 0.999), eps=1e-8):
    """Variant: helpers for the correction; state as a tuple."""
    beta1, beta2 = betas
    t, ms, vs = state.get("all", (0, [g * 0 for g in grads], [g * 0 for g in grads]))
    t = t + 1
    ms = [beta1 * m + (1 - beta1) * g for m, g in zip(ms, grads)]
    vs = [beta2 * v + (1 - beta2) * g ** 2 for v, g in zip(vs, grads)]
    new = [p - lr * _corrected(m, beta1, t) / (_corrected(v, beta2, t) ** 0.5 + eps) for p, m, v in zip(params, ms, vs)]
    return new, {"all": (t, ms, vs)}
''',
    "cosine_lr": '''import math
def _half_cosine(x):
    return (1 + math.cos(math.pi * x)) / 2

def cosine_lr(step, total_steps, base_lr, min_lr=0.0):
    """Variant: a helper in [0, 1]."""
    return min_lr + (base_lr - min_lr) * _half_cosine(step / total_steps)
''',
    "l2_penalty": '''import numpy as np
def _sq(W):
    return float(np.vdot(W, W))

def l2_penalty(params, lam):
    """Variant: np.vdot, a helper."""
    weights = [np.asarray(W, dtype=float) for W, _ in params]
    return 0.5 * lam * sum(_sq(W) for W in weights), [(lam * W, np.zeros(len(b))) for W, (_, b) in zip(weights, params)]
''',
    "dropout_forward": '''import numpy as np
def dropout_forward(X, p_drop, train, seed):
    """Variant: the keep probability named, boolean mask cast to float."""
    X = np.array(X, dtype=float)
    if train:
        keep_prob = 1.0 - p_drop
        kept = (np.random.default_rng(seed).random(X.shape) >= p_drop).astype(float)
        mask = kept / keep_prob
        return X * mask, mask
    return X, None
''',
    "dropout_backward": '''import numpy as np
def dropout_backward(dout, mask):
    """Variant: a ones mask in evaluation mode."""
    dout = np.array(dout, dtype=float)
    return dout * (np.ones_like(dout) if mask is None else mask)
''',
    "should_stop": '''import numpy as np
def should_stop(val_losses, patience):
    """Variant: the recent window has no loss below the best before it."""
    losses = [float(v) for v in val_losses]
    if len(losses) <= patience:
        return False
    before = min(losses[:-patience])
    return bool(min(losses[-patience:]) >= before)
''',
    "batchnorm_forward": '''import numpy as np
def _stats(X):
    mu = X.mean(axis=0)
    return mu, ((X - mu) ** 2).mean(axis=0)

def batchnorm_forward(X, gamma, beta, running, train, momentum=0.9, eps=1e-5):
    """Variant: a helper for the statistics; the cache is (x_hat, gamma, std) as the reference."""
    X = np.asarray(X, dtype=float)
    mu, var = _stats(X) if train else (running["mean"], running["var"])
    if train:
        new_running = {k: momentum * running[k] + (1 - momentum) * s for k, s in (("mean", mu), ("var", var))}
    else:
        new_running = {k: np.copy(running[k]) for k in ("mean", "var")}
    std = (var + eps) ** 0.5
    x_hat = (X - mu) / std
    return x_hat * gamma + beta, (x_hat, gamma, std), new_running
''',
    "batchnorm_backward": '''import numpy as np
def batchnorm_backward(dout, cache):
    """Variant: the compact formula with sums and n."""
    x_hat, gamma, std = cache
    n = dout.shape[0]
    dxh = dout * gamma
    dX = (n * dxh - dxh.sum(axis=0) - x_hat * (dxh * x_hat).sum(axis=0)) / (n * std)
    return dX, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
''',
}

VARIANTS = [
    {"id": "loops-staged", "answers": _LOOPS},
    {"id": "helpers-other-names", "answers": _HELPERS},
]
