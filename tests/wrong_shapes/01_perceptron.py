"""Right values, wrong shapes, for 01_perceptron (see README.md beside this file).

Each answer returns what the reference returns, reshaped so that NumPy's broadcasting would
let a value comparison pass: an empty (0, 1) array, a (n, 1) column, a (1, n) row.
"""

_UPDATE_EMPTY = ("def perceptron_update(x, y, w, b, eta):\n"
                 "    import numpy as np\n"
                 "    return np.zeros((0, 1)), np.zeros((0, 1))\n")

WRONG_SHAPES = [
    # the red team's partial notebook: an update that returns (0, 1) arrays, which compare as
    # "close" to anything, and the reference trainer built on it
    {"id": "update-returns-empty-column", "loses": ["test_perceptron_update", "test_train_perceptron"],
     "answers": {"perceptron_update": _UPDATE_EMPTY}},
    {"id": "net-input-column", "loses": ["test_net_input"],
     "answers": {"net_input": "def net_input(X, w, b):\n"
                              "    return (np.asarray(X) @ np.asarray(w) + b)[:, None]\n"}},
    {"id": "heaviside-flattened", "loses": ["test_heaviside"],
     "answers": {"heaviside": "def heaviside(z):\n"
                              "    return np.where(np.asarray(z) >= 0, 1, 0).reshape(1, -1)\n"}},
    {"id": "predict-column", "loses": ["test_perceptron_predict"],
     "answers": {"perceptron_predict": "def perceptron_predict(X, w, b):\n"
                                       "    return np.where(np.asarray(X) @ np.asarray(w) + b >= 0, 1, -1)[:, None]\n"}},
    {"id": "update-returns-row", "loses": ["test_perceptron_update"],
     "answers": {"perceptron_update": "def perceptron_update(x, y, w, b, eta):\n"
                                      "    x = np.asarray(x, dtype=float)\n"
                                      "    e = y - (1 if x @ np.asarray(w) + b >= 0 else -1)\n"
                                      "    return (np.asarray(w) + eta * e * x)[None, :], np.array([b + eta * e])\n"}},
    {"id": "train-returns-column", "loses": ["test_train_perceptron"],
     "answers": {"train_perceptron": "def train_perceptron(X, y, w, b, eta, epochs):\n"
                                     "    w = np.array(w, dtype=float); errors = []\n"
                                     "    for _ in range(epochs):\n"
                                     "        k = 0\n"
                                     "        for xi, yi in zip(X, y):\n"
                                     "            e = yi - (1 if xi @ w + b >= 0 else -1)\n"
                                     "            k += int(e != 0); w = w + eta * e * xi; b = b + eta * e\n"
                                     "        errors.append(k)\n"
                                     "    return w[:, None], np.array([[b]]), np.array(errors)[:, None]\n"}},
    {"id": "layer-update-empty", "loses": ["test_perceptron_layer_update", "test_train_perceptron_layer"],
     "answers": {"perceptron_layer_update": "def perceptron_layer_update(x, y_onehot, W, b, eta):\n"
                                            "    return np.zeros((0, 1)), np.zeros((0, 1))\n"}},
    {"id": "layer-update-bias-column", "loses": ["test_perceptron_layer_update"],
     "answers": {"perceptron_layer_update": "def perceptron_layer_update(x, y_onehot, W, b, eta):\n"
                                            "    e = y_onehot - np.where(W @ x + b >= 0, 1.0, 0.0)\n"
                                            "    return (W + eta * np.outer(e, x))[None], (b + eta * e)[:, None]\n"}},
    {"id": "train-layer-bias-column", "loses": ["test_train_perceptron_layer"],
     "answers": {"train_perceptron_layer": "def train_perceptron_layer(X, Y, W, b, eta, epochs):\n"
                                           "    W = np.array(W, dtype=float); b = np.array(b, dtype=float); errors = []\n"
                                           "    for _ in range(epochs):\n"
                                           "        k = 0\n"
                                           "        for xi, yi in zip(X, Y):\n"
                                           "            k += int(np.any(np.where(W @ xi + b >= 0, 1, 0) != yi))\n"
                                           "            W, b = perceptron_layer_update(xi, yi, W, b, eta)\n"
                                           "        errors.append(k)\n"
                                           "    return W[None], b[:, None], np.array(errors)[None, :]\n"}},
    {"id": "predict-class-column", "loses": ["test_predict_class"],
     "answers": {"predict_class": "def predict_class(X, W, b):\n"
                                  "    return np.argmax(X @ W.T + b, axis=1, keepdims=True)\n"}},
]
