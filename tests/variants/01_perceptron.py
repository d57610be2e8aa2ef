"""Correct answers to 01_perceptron written differently from the reference (see README.md)."""

from fixtures_01 import ALT_01   # the demo student grace: loops, float32, helpers

LOOPS_FLOAT32 = {
    **{k: ALT_01[k] for k in ("net_input", "heaviside", "perceptron_predict")},
    "perceptron_update": '''def perceptron_update(x, y, w, b, eta):
    x32, w32 = np.asarray(x, dtype=np.float32), np.asarray(w, dtype=np.float32)
    guess = 1 if float(np.dot(x32, w32)) + b >= 0 else -1
    step = np.float32(eta * (y - guess))
    return w32 + step * x32, np.float32(b) + step
''',
    "train_perceptron": '''def train_perceptron(X, y, w, b, eta, epochs):
    weights = np.asarray(w, dtype=np.float32).copy()
    bias = np.float32(b)
    history = []
    for epoch in range(epochs):
        wrong = 0
        for i in range(len(X)):
            if perceptron_predict(np.asarray(X[i])[None, :], weights, bias)[0] != y[i]:
                wrong += 1
            weights, bias = perceptron_update(X[i], y[i], weights, bias, eta)
        history.append(wrong)
    return weights, bias, history
''',
    "perceptron_layer_update": '''def perceptron_layer_update(x, y_onehot, W, b, eta):
    n_classes, n_features = np.shape(W)
    W_new = np.array(W, dtype=np.float32)
    b_new = np.array(b, dtype=np.float32)
    for j in range(n_classes):
        z = float(b[j]) + sum(float(W[j][i]) * float(x[i]) for i in range(n_features))
        error = float(y_onehot[j]) - (1.0 if z >= 0 else 0.0)
        for i in range(n_features):
            W_new[j, i] += np.float32(eta * error * x[i])
        b_new[j] += np.float32(eta * error)
    return W_new, b_new
''',
    "train_perceptron_layer": '''def train_perceptron_layer(X, Y, W, b, eta, epochs):
    weights, biases = np.array(W, dtype=np.float32), np.array(b, dtype=np.float32)
    per_epoch = []
    for epoch in range(epochs):
        count = 0
        for sample, target in zip(X, Y):
            outputs = [1.0 if float(np.dot(row, sample)) + float(bj) >= 0 else 0.0
                       for row, bj in zip(weights, biases)]
            count += any(o != t for o, t in zip(outputs, target))
            weights, biases = perceptron_layer_update(sample, target, weights, biases, eta)
        per_epoch.append(count)
    return weights, biases, per_epoch
''',
    "predict_class": '''def predict_class(X, W, b):
    labels = []
    for row in np.asarray(X, dtype=np.float32):
        scores = [float(np.dot(wj, row)) + float(bj) for wj, bj in zip(W, b)]
        best = 0
        for j, score in enumerate(scores):
            if score > scores[best]:
                best = j
        labels.append(best)
    return np.array(labels, dtype=np.int64)
''',
}

VECTORIZED_OTHER_NAMES = {
    "net_input": '''def net_input(X, w, b):
    return np.dot(np.asarray(X), np.asarray(w)) + b
''',
    "heaviside": '''def heaviside(z):
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
''',
    "perceptron_predict": '''def perceptron_predict(X, w, b):
    return 2 * heaviside(net_input(X, w, b)).astype(int) - 1
''',
    "perceptron_update": '''def perceptron_update(x, y, w, b, eta):
    error = y - perceptron_predict(np.atleast_2d(x), w, b)[0]
    return np.add(w, eta * error * np.asarray(x)), b + eta * error
''',
    "train_perceptron": '''def train_perceptron(X, y, w, b, eta, epochs):
    w = np.asarray(w, dtype=float)
    errors = []
    for _ in range(epochs):
        misses = 0
        for x_i, y_i in zip(X, y):
            w_next, b_next = perceptron_update(x_i, y_i, w, b, eta)
            misses += int(not np.isclose(b_next, b))   # the bias moves exactly on a mistake
            w, b = w_next, b_next
        errors.append(misses)
    return w, b, errors
''',
    "perceptron_layer_update": '''def perceptron_layer_update(x, y_onehot, W, b, eta):
    x = np.asarray(x, dtype=float)
    delta = np.asarray(y_onehot) - heaviside(np.einsum("kd,d->k", W, x) + b)
    return np.asarray(W) + eta * delta[:, None] * x[None, :], np.asarray(b) + eta * delta
''',
    "train_perceptron_layer": '''def train_perceptron_layer(X, Y, W, b, eta, epochs):
    W, b = np.copy(W), np.copy(b)
    errors = [0] * epochs
    for epoch in range(epochs):
        for x_i, y_i in zip(X, Y):
            W_next, b_next = perceptron_layer_update(x_i, y_i, W, b, eta)
            errors[epoch] += int(not np.allclose(b_next, b))
            W, b = W_next, b_next
    return W, b, errors
''',
    "predict_class": '''def predict_class(X, W, b):
    scores = np.dot(np.asarray(W), np.asarray(X).T) + np.asarray(b)[:, None]   # (n_classes, n_samples)
    return scores.argmax(axis=0)
''',
}

VARIANTS = [
    {"id": "loops-float32-helpers", "answers": LOOPS_FLOAT32},
    {"id": "vectorized-other-names", "answers": VECTORIZED_OTHER_NAMES},
    # the case: a float32 update under the reference trainer
    {"id": "float32-updates-only", "answers": {k: LOOPS_FLOAT32[k] for k in ("perceptron_update",
                                                                              "perceptron_layer_update")}},
]
