"""Plausible wrong implementations of 02_adaline's exercises (see README.md)."""

S1 = "1. From the perceptron to Adaline"
S2 = "2. The gradient of the cost"
S3 = "3. One step of gradient descent"
S4 = "4. Training by batch gradient descent"
S6 = "6. One sample at a time: the delta rule (stochastic gradient descent)"
S7 = "7. Standardization: a better-shaped bowl"
S10 = "10. Logistic regression: the same neuron with a sigmoid"

MISTAKES = [
    # --- sse_cost
    dict(exercise="sse_cost", id="cost-no-half", section=S1,
         explanation="The factor 1/2 is left out; this course's cost is J = 1/2 * sum(e**2).",
         code="import numpy as np\ndef sse_cost(X, y, w, b):\n    e = y - (X @ w + b)\n    return float(np.sum(e ** 2))\n"),
    dict(exercise="sse_cost", id="cost-mean", section=S1,
         explanation="The squared errors are averaged instead of summed; Adaline's cost here is a sum over samples.",
         code="import numpy as np\ndef sse_cost(X, y, w, b):\n    e = y - (X @ w + b)\n    return 0.5 * float(np.mean(e ** 2))\n"),
    dict(exercise="sse_cost", id="cost-no-bias", section=S1,
         explanation="The bias is left out of the net input, so the cost is that of a different neuron.",
         code="import numpy as np\ndef sse_cost(X, y, w, b):\n    e = y - X @ w\n    return 0.5 * float(np.sum(e ** 2))\n"),
    # --- sse_gradient
    dict(exercise="sse_gradient", id="grad-sign-flipped", section=S2,
         explanation="The gradient has the wrong sign: J depends on z through (y - z), whose derivative with "
                     "respect to z is -1, so the gradient carries a minus sign; without it, descending goes uphill.",
         code="import numpy as np\ndef sse_gradient(X, y, w, b):\n    e = y - (X @ w + b)\n    return X.T @ e, float(np.sum(e))\n"),
    dict(exercise="sse_gradient", id="grad-mean", section=S2,
         explanation="The gradient is divided by the number of samples, which is the gradient of the mean cost, "
                     "not of J = 1/2 * sum(e**2).",
         code="import numpy as np\ndef sse_gradient(X, y, w, b):\n    e = y - (X @ w + b)\n    return -X.T @ e / len(y), -float(np.sum(e)) / len(y)\n"),
    dict(exercise="sse_gradient", id="grad-no-bias", section=S2,
         explanation="The bias gradient is returned as 0; the bias is a weight on a constant input 1 and has "
                     "gradient -sum(e).",
         code="import numpy as np\ndef sse_gradient(X, y, w, b):\n    e = y - (X @ w + b)\n    return -X.T @ e, 0.0\n"),
    dict(exercise="sse_gradient", id="grad-factor-two", section=S2,
         explanation="A factor 2 from differentiating the square is kept, but the 1/2 in J cancels it.",
         code="import numpy as np\ndef sse_gradient(X, y, w, b):\n    e = y - (X @ w + b)\n    return -2 * X.T @ e, -2 * float(np.sum(e))\n"),
    # --- adaline_gd_step
    dict(exercise="adaline_gd_step", id="step-uphill", section=S3,
         explanation="The step adds the gradient instead of subtracting it, so the cost increases.",
         code="import numpy as np\ndef adaline_gd_step(X, y, w, b, eta):\n    dw, db = sse_gradient(X, y, w, b)\n"
              "    return w + eta * dw, b + eta * db\n"),
    dict(exercise="adaline_gd_step", id="step-eta-not-on-bias", section=S3,
         explanation="The learning rate scales the weight step but not the bias step.",
         code="import numpy as np\ndef adaline_gd_step(X, y, w, b, eta):\n    dw, db = sse_gradient(X, y, w, b)\n"
              "    return w - eta * dw, b - db\n"),
    dict(exercise="adaline_gd_step", id="step-thresholded-error", section=S1,
         explanation="The errors use the thresholded prediction (the perceptron's error) instead of the net input z; "
                     "Adaline learns from z.",
         code="import numpy as np\ndef adaline_gd_step(X, y, w, b, eta):\n    y_hat = np.where(X @ w + b >= 0, 1, -1)\n"
              "    e = y - y_hat\n    return w + eta * X.T @ e, b + eta * np.sum(e)\n"),
    dict(exercise="adaline_gd_step", id="step-mutates-w", section=S3,
         explanation="`w -= ...` changes the caller's array in place; exercises return new arrays.",
         code="import numpy as np\ndef adaline_gd_step(X, y, w, b, eta):\n    dw, db = sse_gradient(X, y, w, b)\n"
              "    w -= eta * dw\n    return w, b - eta * db\n"),
    # --- train_adaline_gd
    dict(exercise="train_adaline_gd", id="gd-cost-after-update", section=S4,
         explanation="Each epoch's cost is recorded after that epoch's update; the course records the cost of "
                     "the weights each epoch starts from, before its update (costs[0] is the starting cost).",
         code="import numpy as np\ndef train_adaline_gd(X, y, w, b, eta, epochs):\n    w = np.array(w, dtype=float)\n"
              "    costs = []\n    for _ in range(epochs):\n        w, b = adaline_gd_step(X, y, w, b, eta)\n"
              "        costs.append(sse_cost(X, y, w, b))\n    return w, b, costs\n"),
    dict(exercise="train_adaline_gd", id="gd-mutates-w", section=S4,
         explanation="The weights are updated in place (`w -= ...`) on the caller's array.",
         code="import numpy as np\ndef train_adaline_gd(X, y, w, b, eta, epochs):\n    costs = []\n"
              "    for _ in range(epochs):\n        e = y - (X @ w + b)\n        costs.append(0.5 * float(np.sum(e ** 2)))\n"
              "        w -= -eta * X.T @ e\n        b = b + eta * np.sum(e)\n"
              "    return w, b, costs\n"),
    dict(exercise="train_adaline_gd", id="gd-not-chained", section=S4,
         explanation="Every epoch steps from the initial weights (the result is not fed back), so training "
                     "never gets past the first step.",
         code="import numpy as np\ndef train_adaline_gd(X, y, w, b, eta, epochs):\n    costs = []\n"
              "    for _ in range(epochs):\n        costs.append(sse_cost(X, y, w, b))\n"
              "        w_new, b_new = adaline_gd_step(X, y, w, b, eta)\n    return w_new, b_new, costs\n"),
    dict(exercise="train_adaline_gd", id="gd-mean-cost", section=S4,
         explanation="The recorded cost is the mean squared error / 2, not the course's J = 1/2 * sum(e**2).",
         code="import numpy as np\ndef train_adaline_gd(X, y, w, b, eta, epochs):\n    w = np.array(w, dtype=float)\n"
              "    costs = []\n    for _ in range(epochs):\n        costs.append(0.5 * float(np.mean((y - (X @ w + b)) ** 2)))\n"
              "        w, b = adaline_gd_step(X, y, w, b, eta)\n    return w, b, costs\n"),
    # --- delta_rule_update
    dict(exercise="delta_rule_update", id="delta-perceptron-rule", section=S6,
         explanation="The error uses the thresholded output y_hat (the perceptron rule); the delta rule uses "
                     "the continuous output z.",
         code="import numpy as np\ndef delta_rule_update(x, y, w, b, eta):\n    y_hat = 1 if x @ w + b >= 0 else -1\n"
              "    return w + eta * (y - y_hat) * x, b + eta * (y - y_hat)\n"),
    dict(exercise="delta_rule_update", id="delta-sign-flipped", section=S6,
         explanation="The error is z - y instead of y - z, so each update increases the sample's error.",
         code="import numpy as np\ndef delta_rule_update(x, y, w, b, eta):\n    e = (x @ w + b) - y\n"
              "    return w + eta * e * x, b + eta * e\n"),
    dict(exercise="delta_rule_update", id="delta-bias-not-updated", section=S6,
         explanation="The bias is returned unchanged; it learns like a weight on the constant input 1.",
         code="import numpy as np\ndef delta_rule_update(x, y, w, b, eta):\n    e = y - (x @ w + b)\n"
              "    return w + eta * e * x, b\n"),
    dict(exercise="delta_rule_update", id="delta-mutates-w", section=S6,
         explanation="`w += ...` changes the caller's array in place.",
         code="import numpy as np\ndef delta_rule_update(x, y, w, b, eta):\n    e = y - (x @ w + b)\n"
              "    w += eta * e * x\n    return w, b + eta * e\n"),
    # --- train_adaline_sgd
    dict(exercise="train_adaline_sgd", id="sgd-no-reshuffle", section=S6,
         explanation="The samples are visited in their original order every epoch; SGD reshuffles each epoch.",
         code="import numpy as np\ndef train_adaline_sgd(X, y, w, b, eta, epochs, seed):\n    w = np.array(w, dtype=float)\n"
              "    costs = []\n    for _ in range(epochs):\n        costs.append(sse_cost(X, y, w, b))\n"
              "        for xi, yi in zip(X, y):\n            w, b = delta_rule_update(xi, yi, w, b, eta)\n"
              "    return w, b, costs\n"),
    dict(exercise="train_adaline_sgd", id="sgd-reseed-every-epoch", section=S6,
         explanation="A new generator with the same seed is made inside the epoch loop, so every epoch uses "
                     "the same order.",
         code="import numpy as np\ndef train_adaline_sgd(X, y, w, b, eta, epochs, seed):\n    w = np.array(w, dtype=float)\n"
              "    costs = []\n    for _ in range(epochs):\n        costs.append(sse_cost(X, y, w, b))\n"
              "        rng = np.random.default_rng(seed)\n"
              "        for i in rng.permutation(len(X)):\n            w, b = delta_rule_update(X[i], y[i], w, b, eta)\n"
              "    return w, b, costs\n"),
    dict(exercise="train_adaline_sgd", id="sgd-unseeded-rng", section=S6,
         explanation="The generator is created without the seed, so runs are not reproducible.",
         code="import numpy as np\ndef train_adaline_sgd(X, y, w, b, eta, epochs, seed):\n    w = np.array(w, dtype=float)\n"
              "    rng = np.random.default_rng()\n    costs = []\n    for _ in range(epochs):\n"
              "        costs.append(sse_cost(X, y, w, b))\n"
              "        for i in rng.permutation(len(X)):\n            w, b = delta_rule_update(X[i], y[i], w, b, eta)\n"
              "    return w, b, costs\n"),
    dict(exercise="train_adaline_sgd", id="sgd-cost-after-epoch", section=S6,
         explanation="Each cost is computed after the epoch's updates; the course records the cost of the "
                     "weights each epoch starts from, before its updates (costs[0] is the starting cost).",
         code="import numpy as np\ndef train_adaline_sgd(X, y, w, b, eta, epochs, seed):\n    w = np.array(w, dtype=float)\n"
              "    rng = np.random.default_rng(seed)\n    costs = []\n    for _ in range(epochs):\n"
              "        for i in rng.permutation(len(X)):\n            w, b = delta_rule_update(X[i], y[i], w, b, eta)\n"
              "        costs.append(sse_cost(X, y, w, b))\n    return w, b, costs\n"),
    dict(exercise="train_adaline_sgd", id="sgd-shuffles-inputs", section=S6,
         explanation="X and y are shuffled in place with two separate draws: the caller's data are changed and "
                     "the samples no longer match their labels.",
         code="import numpy as np\ndef train_adaline_sgd(X, y, w, b, eta, epochs, seed):\n    w = np.array(w, dtype=float)\n"
              "    rng = np.random.default_rng(seed)\n    costs = []\n    for _ in range(epochs):\n"
              "        costs.append(sse_cost(X, y, w, b))\n        rng.shuffle(X)\n        rng.shuffle(y)\n"
              "        for xi, yi in zip(X, y):\n            w, b = delta_rule_update(xi, yi, w, b, eta)\n"
              "    return w, b, costs\n"),
    # --- standardize
    dict(exercise="standardize", id="std-ddof1", section=S7,
         explanation="Divides by the sample standard deviation (ddof=1); the course uses the population one (ddof=0).",
         code="import numpy as np\ndef standardize(X):\n    return (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)\n"),
    dict(exercise="standardize", id="std-global", section=S7,
         explanation="One mean and one std for the whole array instead of one per column (axis=0).",
         code="import numpy as np\ndef standardize(X):\n    return (X - X.mean()) / X.std()\n"),
    dict(exercise="standardize", id="std-center-only", section=S7,
         explanation="The columns are centred but not scaled, so their spreads still differ.",
         code="import numpy as np\ndef standardize(X):\n    return X - X.mean(axis=0)\n"),
    dict(exercise="standardize", id="std-in-place", section=S7,
         explanation="`X -= ...` and `X /= ...` standardize the caller's array in place.",
         code="import numpy as np\ndef standardize(X):\n    X -= X.mean(axis=0)\n    X /= X.std(axis=0)\n    return X\n"),
    # --- sigmoid
    dict(exercise="sigmoid", id="sigmoid-naive", section=S10,
         explanation="1 / (1 + np.exp(-z)) overflows (with a warning) for z around -1000.",
         code="import numpy as np\ndef sigmoid(z):\n    return 1 / (1 + np.exp(-np.asarray(z, dtype=float)))\n"),
    dict(exercise="sigmoid", id="sigmoid-where-both-branches", section=S10,
         explanation="np.where evaluates both branches on every element, so exp(-z) and exp(z) still overflow.",
         code="import numpy as np\ndef sigmoid(z):\n    z = np.asarray(z, dtype=float)\n"
              "    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))\n"),
    dict(exercise="sigmoid", id="sigmoid-sign-flipped", section=S10,
         explanation="1 / (1 + exp(z)) is sigma(-z): the curve is mirrored.",
         code="import numpy as np\ndef sigmoid(z):\n    z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))\n"
              "    return np.where(z >= 0, e / (1 + e), 1 / (1 + e))\n"),
    dict(exercise="sigmoid", id="sigmoid-exp-ratio", section=S10,
         explanation="exp(z) / (1 + exp(z)) gives inf / inf = nan for large z.",
         code="import numpy as np\ndef sigmoid(z):\n    e = np.exp(np.asarray(z, dtype=float))\n    return e / (1 + e)\n"),
    # --- logistic_loss
    dict(exercise="logistic_loss", id="loss-no-clip", section=S10,
         explanation="Without clipping, p = 0 or 1 gives log(0) = -inf and 0 * log(0) = nan.",
         code="import numpy as np\ndef logistic_loss(y, p):\n    return -float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
    dict(exercise="logistic_loss", id="loss-mean", section=S10,
         explanation="The loss is averaged over the samples; this course's cross-entropy is a sum.",
         code="import numpy as np\ndef logistic_loss(y, p):\n    p = np.clip(p, 1e-12, 1 - 1e-12)\n"
              "    return -float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
    dict(exercise="logistic_loss", id="loss-no-minus", section=S10,
         explanation="The minus sign is missing: the log-likelihood is negative, the loss is its negation.",
         code="import numpy as np\ndef logistic_loss(y, p):\n    p = np.clip(p, 1e-12, 1 - 1e-12)\n"
              "    return float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
    dict(exercise="logistic_loss", id="loss-one-term", section=S10,
         explanation="Only the y * log(p) term is kept, so samples with y = 0 cost nothing.",
         code="import numpy as np\ndef logistic_loss(y, p):\n    p = np.clip(p, 1e-12, 1 - 1e-12)\n"
              "    return -float(np.sum(y * np.log(p)))\n"),
    dict(exercise="logistic_loss", id="loss-clips-in-place", section=S10,
         explanation="np.clip(p, ..., out=p) clips the caller's array in place.",
         code="import numpy as np\ndef logistic_loss(y, p):\n    np.clip(p, 1e-12, 1 - 1e-12, out=p)\n"
              "    return -float(np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))\n"),
    # --- logistic_gradient
    dict(exercise="logistic_gradient", id="lg-uses-z", section=S10,
         explanation="The residual uses the net input z (Adaline's gradient) instead of p = sigmoid(z).",
         code="import numpy as np\ndef logistic_gradient(X, y, w, b):\n    r = y - (X @ w + b)\n"
              "    return -X.T @ r, -float(np.sum(r))\n"),
    dict(exercise="logistic_gradient", id="lg-sign-flipped", section=S10,
         explanation="The minus sign is dropped: X.T @ (y - p) is minus the gradient.",
         code="import numpy as np\ndef logistic_gradient(X, y, w, b):\n    r = y - sigmoid(X @ w + b)\n"
              "    return X.T @ r, float(np.sum(r))\n"),
    dict(exercise="logistic_gradient", id="lg-no-bias", section=S10,
         explanation="The bias gradient is returned as 0 instead of -sum(y - p).",
         code="import numpy as np\ndef logistic_gradient(X, y, w, b):\n    r = y - sigmoid(X @ w + b)\n"
              "    return -X.T @ r, 0.0\n"),
    dict(exercise="logistic_gradient", id="lg-mean", section=S10,
         explanation="The gradient is divided by the number of samples; the loss here is a sum.",
         code="import numpy as np\ndef logistic_gradient(X, y, w, b):\n    r = y - sigmoid(X @ w + b)\n"
              "    return -X.T @ r / len(y), -float(np.sum(r)) / len(y)\n"),
    # --- grown toward real students' mistakes
    dict(exercise="sse_cost", id="cost-abs", section=S1,
         explanation="The errors are taken in absolute value instead of squared; Adaline's cost is "
                     "J = 1/2 * sum of the squared errors.",
         code="import numpy as np\ndef sse_cost(X, y, w, b):\n    e = y - (X @ w + b)\n    return 0.5 * float(np.sum(np.abs(e)))\n"),
    dict(exercise="sse_cost", id="cost-square-of-sum", section=S1,
         explanation="The errors are summed first and the sum is squared; each sample's error is squared "
                     "on its own, then the squares are added.",
         code="import numpy as np\ndef sse_cost(X, y, w, b):\n    e = y - (X @ w + b)\n    return 0.5 * float(np.sum(e) ** 2)\n"),
    dict(exercise="sse_gradient", id="grad-sum-everything", section=S2,
         explanation="np.sum(X * e) adds over the features too and gives one number; dJ/dw_j sums over the "
                     "samples only, one entry per weight (a reduction over axis 0).",
         code="import numpy as np\ndef sse_gradient(X, y, w, b):\n    e = y - (X @ w + b)\n"
              "    return -np.sum(X * e[:, None]) * np.ones(X.shape[1]), -float(np.sum(e))\n"),
    dict(exercise="sse_gradient", id="grad-wrong-axis", section=S2,
         explanation="The products x_j * e are summed over the features (axis 1), giving one number per "
                     "sample; the gradient sums over the samples (axis 0), one number per weight.",
         code="import numpy as np\ndef sse_gradient(X, y, w, b):\n    e = y - (X @ w + b)\n"
              "    return -np.sum(X * e[:, None], axis=1), -float(np.sum(e))\n"),
    dict(exercise="sse_gradient", id="grad-uses-w", section=S2,
         explanation="The weights are used where the inputs belong: z changes with w_j by x_j, so the "
                     "gradient is built from the columns of X, not from w.",
         code="import numpy as np\ndef sse_gradient(X, y, w, b):\n    e = y - (X @ w + b)\n"
              "    return -w * np.sum(e), -float(np.sum(e))\n"),
    dict(exercise="train_adaline_gd", id="gd-extra-epoch", section=S4,
         explanation="The loop runs epochs + 1 times (range(epochs + 1)), one step too many; run exactly "
                     "`epochs` steps and record one cost per step.",
         code="import numpy as np\ndef train_adaline_gd(X, y, w, b, eta, epochs):\n    w = np.array(w, dtype=float)\n"
              "    costs = []\n    for _ in range(epochs + 1):\n        costs.append(sse_cost(X, y, w, b))\n"
              "        w, b = adaline_gd_step(X, y, w, b, eta)\n    return w, b, costs\n"),
    dict(exercise="delta_rule_update", id="delta-bias-uses-new-w", section=S6,
         explanation="The bias is updated with an error recomputed after the weights changed; both the "
                     "weights and the bias use the same error, computed once from the old weights.",
         code="import numpy as np\ndef delta_rule_update(x, y, w, b, eta):\n    e = y - (x @ w + b)\n"
              "    w_new = w + eta * e * x\n    e_new = y - (x @ w_new + b)\n    return w_new, b + eta * e_new\n"),
    dict(exercise="train_adaline_sgd", id="sgd-batch-steps", section=S6,
         explanation="Each step uses the gradient of the whole data set (batch GD, once per sample), not the "
                     "one sample's error; the delta rule updates with one sample at a time.",
         code="import numpy as np\ndef train_adaline_sgd(X, y, w, b, eta, epochs, seed):\n    w = np.array(w, dtype=float)\n"
              "    rng = np.random.default_rng(seed)\n    costs = []\n    for _ in range(epochs):\n"
              "        costs.append(sse_cost(X, y, w, b))\n        for i in rng.permutation(len(X)):\n"
              "            w, b = adaline_gd_step(X, y, w, b, eta)\n    return w, b, costs\n"),
    dict(exercise="standardize", id="std-per-row", section=S7,
         explanation="The mean and std are taken per row (axis=1), i.e. per sample; standardizing works on "
                     "each feature, down the columns (axis=0).",
         code="import numpy as np\ndef standardize(X):\n"
              "    return (X - X.mean(axis=1, keepdims=True)) / X.std(axis=1, keepdims=True)\n"),
    dict(exercise="standardize", id="std-scale-only", section=S7,
         explanation="The columns are divided by their standard deviation but not centred, so their means "
                     "stay far from 0 (and the bias still competes with the weights).",
         code="import numpy as np\ndef standardize(X):\n    return X / X.std(axis=0)\n"),
    dict(exercise="logistic_gradient", id="lg-extra-sigmoid-grad", section=S10,
         explanation="The residual is multiplied by sigma'(z) = p * (1 - p); with the cross-entropy that "
                     "factor cancels, and the gradient is -X.T @ (y - p) alone.",
         code="import numpy as np\ndef logistic_gradient(X, y, w, b):\n    p = sigmoid(X @ w + b)\n"
              "    r = (y - p) * p * (1 - p)\n    return -X.T @ r, -float(np.sum(r))\n"),
]
