"""Right values, wrong shapes, for 02_adaline (see README.md beside this file).

Each answer returns what the reference returns, reshaped so that NumPy's broadcasting would
let a value comparison pass: a scalar inside a 1-element array, a (n, 1) column, a (1, n)
row, an empty (0, 1) array.
"""

WRONG_SHAPES = [
    {"id": "cost-in-an-array", "loses": ["test_sse_cost"],
     "answers": {"sse_cost": "def sse_cost(X, y, w, b):\n"
                             "    e = np.asarray(y) - (np.asarray(X) @ np.asarray(w) + b)\n"
                             "    return np.array([0.5 * np.sum(e ** 2)])\n"}},
    {"id": "gradient-column", "loses": ["test_sse_gradient"],
     "answers": {"sse_gradient": "def sse_gradient(X, y, w, b):\n"
                                 "    X = np.asarray(X, dtype=float)\n"
                                 "    e = np.asarray(y) - (X @ np.asarray(w) + b)\n"
                                 "    return (-X.T @ e)[:, None], np.array([-np.sum(e)])\n"}},
    {"id": "gd-step-empty", "loses": ["test_adaline_gd_step"],
     "answers": {"adaline_gd_step": "def adaline_gd_step(X, y, w, b, eta):\n"
                                    "    return np.zeros((0, 1)), np.zeros((0, 1))\n"}},
    {"id": "gd-step-row", "loses": ["test_adaline_gd_step"],
     "answers": {"adaline_gd_step": "def adaline_gd_step(X, y, w, b, eta):\n"
                                    "    dw, db = sse_gradient(X, y, w, b)\n"
                                    "    return (np.asarray(w) - eta * dw)[None, :], np.array([[b - eta * db]])\n"}},
    {"id": "train-gd-columns", "loses": ["test_train_adaline_gd"],
     "answers": {"train_adaline_gd": "def train_adaline_gd(X, y, w, b, eta, epochs):\n"
                                     "    w = np.array(w, dtype=float); costs = []\n"
                                     "    for _ in range(epochs):\n"
                                     "        costs.append(sse_cost(X, y, w, b))\n"
                                     "        w, b = adaline_gd_step(X, y, w, b, eta)\n"
                                     "    return w[:, None], np.array([b]), np.array(costs)[:, None]\n"}},
    {"id": "delta-update-empty", "loses": ["test_delta_rule_update"],
     "answers": {"delta_rule_update": "def delta_rule_update(x, y, w, b, eta):\n"
                                      "    return np.zeros((0, 1)), np.zeros((0, 1))\n"}},
    {"id": "delta-update-row", "loses": ["test_delta_rule_update"],
     "answers": {"delta_rule_update": "def delta_rule_update(x, y, w, b, eta):\n"
                                      "    x = np.asarray(x, dtype=float)\n"
                                      "    e = y - (x @ np.asarray(w) + b)\n"
                                      "    return (np.asarray(w) + eta * e * x)[None, :], np.array([b + eta * e])\n"}},
    {"id": "train-sgd-columns", "loses": ["test_train_adaline_sgd"],
     "answers": {"train_adaline_sgd": "def train_adaline_sgd(X, y, w, b, eta, epochs, seed):\n"
                                      "    X = np.asarray(X, dtype=float); y = np.asarray(y, dtype=float)\n"
                                      "    w = np.array(w, dtype=float); rng = np.random.default_rng(seed); costs = []\n"
                                      "    for _ in range(epochs):\n"
                                      "        costs.append(sse_cost(X, y, w, b))\n"
                                      "        for i in rng.permutation(len(X)):\n"
                                      "            w, b = delta_rule_update(X[i], y[i], w, b, eta)\n"
                                      "    return w[None, :], np.array([[b]]), np.array(costs)[:, None]\n"}},
    {"id": "standardize-extra-axis", "loses": ["test_standardize"],
     "answers": {"standardize": "def standardize(X):\n"
                                "    X = np.asarray(X, dtype=float)\n"
                                "    return ((X - X.mean(axis=0)) / X.std(axis=0))[None]\n"}},
    {"id": "sigmoid-flattened", "loses": ["test_sigmoid"],
     "answers": {"sigmoid": "def sigmoid(z):\n"
                            "    z = np.asarray(z, dtype=float)\n"
                            "    e = np.exp(-np.abs(z))\n"
                            "    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).reshape(1, -1)\n"}},
    {"id": "loss-in-an-array", "loses": ["test_logistic_loss"],
     "answers": {"logistic_loss": "def logistic_loss(y, p):\n"
                                  "    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)\n"
                                  "    return np.array([-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))])\n"}},
    {"id": "logistic-gradient-column", "loses": ["test_logistic_gradient"],
     "answers": {"logistic_gradient": "def logistic_gradient(X, y, w, b):\n"
                                      "    X = np.asarray(X, dtype=float)\n"
                                      "    r = np.asarray(y) - sigmoid(X @ np.asarray(w) + b)\n"
                                      "    return (-X.T @ r)[:, None], np.array([-np.sum(r)])\n"}},
]
