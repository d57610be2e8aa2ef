"""Correct answers to 02_adaline written differently from the reference (see README.md)."""

LOOPS_FLOAT32 = {
    "sse_cost": '''def sse_cost(X, y, w, b):
    total = np.float32(0.0)
    for row, target in zip(np.asarray(X, dtype=np.float32), np.asarray(y, dtype=np.float32)):
        error = target - (np.dot(row, np.asarray(w, dtype=np.float32)) + np.float32(b))
        total += error * error
    return total / np.float32(2.0)
''',
    "sse_gradient": '''def sse_gradient(X, y, w, b):
    X32 = np.asarray(X, dtype=np.float32)
    dw = np.zeros(X32.shape[1], dtype=np.float32)
    db = np.float32(0.0)
    for row, target in zip(X32, np.asarray(y, dtype=np.float32)):
        error = target - (np.dot(row, np.asarray(w, dtype=np.float32)) + np.float32(b))
        dw -= error * row
        db -= error
    return dw, db
''',
    "adaline_gd_step": '''def adaline_gd_step(X, y, w, b, eta):
    grad_w, grad_b = sse_gradient(X, y, w, b)
    new_w = [float(wi) - eta * float(gi) for wi, gi in zip(w, grad_w)]
    return np.array(new_w, dtype=np.float32), np.float32(b - eta * grad_b)
''',
    "train_adaline_gd": '''def train_adaline_gd(X, y, w, b, eta, epochs):
    weights, bias, history = np.asarray(w, dtype=np.float32), np.float32(b), []
    epoch = 0
    while epoch < epochs:
        history.append(float(sse_cost(X, y, weights, bias)))
        weights, bias = adaline_gd_step(X, y, weights, bias, eta)
        epoch += 1
    return weights, bias, history
''',
    "delta_rule_update": '''def delta_rule_update(x, y, w, b, eta):
    x32, w32 = np.asarray(x, dtype=np.float32), np.asarray(w, dtype=np.float32)
    output = np.float32(b)
    for xi, wi in zip(x32, w32):
        output += xi * wi
    step = np.float32(eta) * (np.float32(y) - output)
    return w32 + step * x32, np.float32(b) + step
''',
    "train_adaline_sgd": '''def train_adaline_sgd(X, y, w, b, eta, epochs, seed):
    generator = np.random.default_rng(seed)
    X, y = np.asarray(X), np.asarray(y)
    weights, bias, history = np.asarray(w, dtype=np.float32), np.float32(b), []
    for epoch in range(epochs):
        history.append(float(sse_cost(X, y, weights, bias)))
        order = generator.permutation(X.shape[0])
        for position in range(len(order)):
            i = order[position]
            weights, bias = delta_rule_update(X[i], y[i], weights, bias, eta)
    return weights, bias, history
''',
    "standardize": '''def standardize(X):
    X = np.asarray(X, dtype=np.float64)
    columns = []
    for j in range(X.shape[1]):
        column = X[:, j]
        mean = sum(column) / len(column)
        spread = (sum((v - mean) ** 2 for v in column) / len(column)) ** 0.5
        columns.append([(v - mean) / spread for v in column])
    return np.array(columns, dtype=np.float32).T
''',
    "sigmoid": '''def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    out = np.empty(z.shape, dtype=np.float32)
    for idx in np.ndindex(z.shape):
        v = z[idx]
        if v >= 0:
            out[idx] = 1.0 / (1.0 + math.exp(-v))
        else:
            e = math.exp(v)
            out[idx] = e / (1.0 + e)
    return out

import math
''',
    "logistic_loss": '''def logistic_loss(y, p):
    total = 0.0
    for label, prob in zip(np.asarray(y), np.asarray(p, dtype=np.float32)):
        prob = min(max(float(prob), 1e-12), 1 - 1e-12)
        total -= math.log(prob) if label == 1 else math.log(1 - prob)
    return total

import math
''',
    "logistic_gradient": '''def logistic_gradient(X, y, w, b):
    X32 = np.asarray(X, dtype=np.float32)
    p = sigmoid(X32 @ np.asarray(w, dtype=np.float32) + np.float32(b))
    residual = np.asarray(y, dtype=np.float32) - p
    return -(X32 * residual[:, None]).sum(axis=0), -residual.sum()
''',
}

VECTORIZED_OTHER_NAMES = {
    "sse_cost": '''def sse_cost(X, y, w, b):
    residual = np.subtract(y, np.dot(X, w) + b)
    return 0.5 * residual @ residual
''',
    "sse_gradient": '''def _errors(X, y, w, b):
    return np.asarray(y) - (np.asarray(X) @ np.asarray(w) + b)

def sse_gradient(X, y, w, b):
    e = _errors(X, y, w, b)
    return -np.einsum("i,ij->j", e, np.asarray(X)), -e.sum()
''',
    "adaline_gd_step": '''def adaline_gd_step(X, y, w, b, eta):
    X, y = np.asarray(X), np.asarray(y)
    e = y - X @ w - b
    return w + eta * (e @ X), b + eta * e.sum()
''',
    "train_adaline_gd": '''def train_adaline_gd(X, y, w, b, eta, epochs):
    params = np.append(np.asarray(w, dtype=float), b)          # bias folded in as the last weight
    X1 = np.column_stack([X, np.ones(len(X))])
    costs = []
    for _ in range(epochs):
        e = np.asarray(y) - X1 @ params
        costs.append(0.5 * np.sum(e ** 2))
        params = params + eta * X1.T @ e
    return params[:-1], params[-1], costs
''',
    "delta_rule_update": '''def delta_rule_update(x, y, w, b, eta):
    x1 = np.append(x, 1.0)
    wb = np.append(w, b)
    wb = wb + eta * (y - x1 @ wb) * x1
    return wb[:-1], wb[-1]
''',
    "train_adaline_sgd": '''def train_adaline_sgd(X, y, w, b, eta, epochs, seed):
    rng = np.random.default_rng(seed)
    w, costs = np.copy(w).astype(float), []
    for _ in range(epochs):
        costs.append(sse_cost(X, y, w, b))
        order = rng.permutation(len(y))
        for x_i, y_i in zip(np.asarray(X)[order], np.asarray(y)[order]):
            w, b = delta_rule_update(x_i, y_i, w, b, eta)
    return w, b, costs
''',
    "standardize": '''def standardize(X):
    X = np.asarray(X, dtype=float)
    centred = X - np.mean(X, axis=0, keepdims=True)
    return centred / np.sqrt(np.mean(centred ** 2, axis=0, keepdims=True))
''',
    "sigmoid": '''def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))      # 1 / (1 + e^-z) = exp(-log(1 + e^-z))
''',
    "logistic_loss": '''def logistic_loss(y, p):
    q = np.clip(p, 1e-12, 1 - 1e-12)
    y = np.asarray(y, dtype=float)
    return float(-(y @ np.log(q)) - (1 - y) @ np.log1p(-q))
''',
    "logistic_gradient": '''def logistic_gradient(X, y, w, b):
    residual = sigmoid(np.dot(X, w) + b) - y                   # p - y: dJ/dz per sample
    return np.asarray(X).T @ residual, residual.sum()
''',
}

VARIANTS = [
    {"id": "loops-float32-helpers", "answers": LOOPS_FLOAT32},
    {"id": "vectorized-other-names", "answers": VECTORIZED_OTHER_NAMES},
    {"id": "float32-steps-only", "answers": {k: LOOPS_FLOAT32[k] for k in ("sse_gradient", "delta_rule_update")}},
]
