"""Plausible wrong implementations of 01_perceptron's exercises (see README.md)."""

S8 = "8. A layer of perceptrons: three classes at once"

MISTAKES = [
    dict(exercise="net_input", id="no-bias", section="1. A neuron computes a weighted sum",
         explanation="The bias is left out, so every decision line is forced through the origin.",
         code="def net_input(X, w, b):\n    return X @ w\n"),
    dict(exercise="net_input", id="bias-subtracted", section="1. A neuron computes a weighted sum",
         explanation="The bias is subtracted instead of added; z = X @ w + b.",
         code="def net_input(X, w, b):\n    return X @ w - b\n"),
    dict(exercise="net_input", id="sum-over-samples", section="1. A neuron computes a weighted sum",
         explanation="The products are summed over all samples instead of giving one net input per row.",
         code="import numpy as np\ndef net_input(X, w, b):\n    return np.sum(X * w) + b\n"),
    dict(exercise="heaviside", id="strict-inequality", section="2. From net input to a decision: step functions",
         explanation="`z > 0` makes the step 0 at z = 0; in this course the step is 1 there.",
         code="import numpy as np\ndef heaviside(z):\n    return np.where(z > 0, 1, 0)\n"),
    dict(exercise="heaviside", id="half-at-zero", section="2. From net input to a decision: step functions",
         explanation="np.heaviside(z, 0.5) is 0.5 at z = 0; the course's step is 1 at z = 0.",
         code="import numpy as np\ndef heaviside(z):\n    return np.heaviside(z, 0.5)\n"),
    dict(exercise="perceptron_predict", id="zero-one-labels", section="2. From net input to a decision: step functions",
         explanation="The prediction is the 0/1 step, but perceptron labels are -1/+1.",
         code="import numpy as np\ndef perceptron_predict(X, w, b):\n    return np.where(X @ w + b >= 0, 1, 0)\n"),
    dict(exercise="perceptron_predict", id="np-sign", section="2. From net input to a decision: step functions",
         explanation="np.sign returns 0 when the net input is exactly 0, which is not a class; predict +1 there.",
         code="import numpy as np\ndef perceptron_predict(X, w, b):\n    return np.sign(X @ w + b)\n"),
    dict(exercise="perceptron_predict", id="strict-threshold", section="2. From net input to a decision: step functions",
         explanation="`> 0` predicts -1 at z = 0; the perceptron predicts +1 where z >= 0.",
         code="import numpy as np\ndef perceptron_predict(X, w, b):\n    return np.where(X @ w + b > 0, 1, -1)\n"),
    dict(exercise="perceptron_update", id="sign-flipped", section="3. Learning: the perceptron rule",
         explanation="The error term has the wrong sign (y_hat - y), so each update moves the boundary "
                     "away from correcting the mistake.",
         code="import numpy as np\ndef perceptron_update(x, y, w, b, eta):\n"
              "    y_hat = 1 if x @ w + b >= 0 else -1\n"
              "    return w + eta * (y_hat - y) * x, b + eta * (y_hat - y)\n"),
    dict(exercise="perceptron_update", id="bias-not-updated", section="3. Learning: the perceptron rule",
         explanation="The weights are updated but the bias is returned unchanged; the bias learns like a "
                     "weight on a constant input 1.",
         code="import numpy as np\ndef perceptron_update(x, y, w, b, eta):\n"
              "    y_hat = 1 if x @ w + b >= 0 else -1\n"
              "    return w + eta * (y - y_hat) * x, b\n"),
    dict(exercise="perceptron_update", id="mutates-w", section="3. Learning: the perceptron rule",
         explanation="`w += ...` changes the caller's array in place; exercises return new arrays.",
         code="import numpy as np\ndef perceptron_update(x, y, w, b, eta):\n"
              "    y_hat = 1 if x @ w + b >= 0 else -1\n"
              "    w += eta * (y - y_hat) * x\n"
              "    return w, b + eta * (y - y_hat)\n"),
    dict(exercise="perceptron_update", id="update-strict-threshold", section="2. From net input to a decision: step functions",
         explanation="The prediction inside the update uses `> 0`, so a sample with z = 0 counts as -1.",
         code="import numpy as np\ndef perceptron_update(x, y, w, b, eta):\n"
              "    y_hat = 1 if x @ w + b > 0 else -1\n"
              "    return w + eta * (y - y_hat) * x, b + eta * (y - y_hat)\n"),
    dict(exercise="perceptron_update", id="uses-net-input", section="3. Learning: the perceptron rule",
         explanation="The error uses the net input z instead of the thresholded prediction: that is "
                     "Adaline's delta rule (notebook 02), not the perceptron rule.",
         code="import numpy as np\ndef perceptron_update(x, y, w, b, eta):\n"
              "    z = x @ w + b\n"
              "    return w + eta * (y - z) * x, b + eta * (y - z)\n"),
    dict(exercise="train_perceptron", id="cumulative-errors", section="4. Training: epochs over the data",
         explanation="errors[k] holds the running total of misclassifications since the first epoch, "
                     "not the number of samples misclassified during epoch k alone.",
         code="import numpy as np\ndef train_perceptron(X, y, w, b, eta, epochs):\n"
              "    w = np.array(w, dtype=float); errors = []; total = 0\n"
              "    for _ in range(epochs):\n"
              "        for xi, yi in zip(X, y):\n"
              "            err = yi - (1 if xi @ w + b >= 0 else -1)\n"
              "            if err:\n"
              "                w = w + eta * err * xi; b = b + eta * err; total += 1\n"
              "        errors.append(total)\n"
              "    return w, b, errors\n"),
    dict(exercise="train_perceptron", id="errors-after-epoch", section="4. Training: epochs over the data",
         explanation="errors[k] counts the samples that the weights at the END of epoch k misclassify; "
                     "the exercise counts each sample when it is visited during the epoch, just before its "
                     "own update.",
         code="import numpy as np\ndef train_perceptron(X, y, w, b, eta, epochs):\n"
              "    w = np.array(w, dtype=float); errors = []\n"
              "    for _ in range(epochs):\n"
              "        for xi, yi in zip(X, y):\n"
              "            err = yi - (1 if xi @ w + b >= 0 else -1)\n"
              "            w = w + eta * err * xi; b = b + eta * err\n"
              "        errors.append(int(np.sum(np.where(X @ w + b >= 0, 1, -1) != y)))\n"
              "    return w, b, errors\n"),
    dict(exercise="train_perceptron", id="stops-early", section="4. Training: epochs over the data",
         explanation="Training stops at the first epoch without a misclassification, so errors is "
                     "shorter than `epochs`; the exercise asks for exactly `epochs` entries.",
         code="import numpy as np\ndef train_perceptron(X, y, w, b, eta, epochs):\n"
              "    w = np.array(w, dtype=float); errors = []\n"
              "    for _ in range(epochs):\n"
              "        k = 0\n"
              "        for xi, yi in zip(X, y):\n"
              "            err = yi - (1 if xi @ w + b >= 0 else -1)\n"
              "            if err:\n"
              "                w = w + eta * err * xi; b = b + eta * err; k += 1\n"
              "        errors.append(k)\n"
              "        if k == 0:\n"
              "            break\n"
              "    return w, b, errors\n"),
    dict(exercise="train_perceptron", id="bias-frozen", section="3. Learning: the perceptron rule",
         explanation="The bias is never updated during training, so the boundary cannot move off its "
                     "initial offset.",
         code="import numpy as np\ndef train_perceptron(X, y, w, b, eta, epochs):\n"
              "    w = np.array(w, dtype=float); errors = []\n"
              "    for _ in range(epochs):\n"
              "        k = 0\n"
              "        for xi, yi in zip(X, y):\n"
              "            err = yi - (1 if xi @ w + b >= 0 else -1)\n"
              "            if err:\n"
              "                w = w + eta * err * xi; k += 1\n"
              "        errors.append(k)\n"
              "    return w, b, errors\n"),
    dict(exercise="train_perceptron", id="shuffles", section="4. Training: epochs over the data",
         explanation="The samples are visited in a shuffled order; the perceptron here visits them in "
                     "order, so its result is reproducible.",
         code="import numpy as np\ndef train_perceptron(X, y, w, b, eta, epochs):\n"
              "    w = np.array(w, dtype=float); errors = []; rng = np.random.default_rng(0)\n"
              "    for _ in range(epochs):\n"
              "        k = 0\n"
              "        for i in rng.permutation(len(y)):\n"
              "            err = y[i] - (1 if X[i] @ w + b >= 0 else -1)\n"
              "            if err:\n"
              "                w = w + eta * err * X[i]; b = b + eta * err; k += 1\n"
              "        errors.append(k)\n"
              "    return w, b, errors\n"),
    dict(exercise="net_input", id="elementwise-no-sum", section="1. A neuron computes a weighted sum",
         explanation="X * w multiplies element by element and keeps one column per feature; the net input "
                     "also sums each row's products, giving one number per sample (X @ w + b).",
         code="def net_input(X, w, b):\n    return X * w + b\n"),
    dict(exercise="perceptron_update", id="eta-not-on-bias", section="3. Learning: the perceptron rule",
         explanation="The learning rate scales the weight update but not the bias update; the bias moves "
                     "by eta * (y - y_hat) like every weight.",
         code="import numpy as np\ndef perceptron_update(x, y, w, b, eta):\n"
              "    y_hat = 1 if x @ w + b >= 0 else -1\n"
              "    return w + eta * (y - y_hat) * x, b + (y - y_hat)\n"),
    dict(exercise="train_perceptron", id="restarts-each-epoch", section="4. Training: epochs over the data",
         explanation="Every epoch starts again from the initial weights, so each epoch repeats the first "
                     "one; the weights must carry over from one epoch to the next.",
         code="import numpy as np\ndef train_perceptron(X, y, w, b, eta, epochs):\n"
              "    errors = []\n"
              "    for _ in range(epochs):\n"
              "        w_cur, b_cur, k = np.array(w, dtype=float), b, 0\n"
              "        for xi, yi in zip(X, y):\n"
              "            err = yi - (1 if xi @ w_cur + b_cur >= 0 else -1)\n"
              "            k += int(err != 0)\n"
              "            w_cur = w_cur + eta * err * xi; b_cur = b_cur + eta * err\n"
              "        errors.append(k)\n"
              "    return w_cur, b_cur, errors\n"),
    dict(exercise="train_perceptron", id="extra-epoch", section="4. Training: epochs over the data",
         explanation="The loop runs epochs + 1 times (range(epochs + 1)), one pass too many; run exactly "
                     "`epochs` passes.",
         code="import numpy as np\ndef train_perceptron(X, y, w, b, eta, epochs):\n"
              "    w = np.array(w, dtype=float); errors = []\n"
              "    for _ in range(epochs + 1):\n"
              "        k = 0\n"
              "        for xi, yi in zip(X, y):\n"
              "            err = yi - (1 if xi @ w + b >= 0 else -1)\n"
              "            k += int(err != 0)\n"
              "            w = w + eta * err * xi; b = b + eta * err\n"
              "        errors.append(k)\n"
              "    return w, b, errors\n"),
    # --- a layer of perceptrons
    dict(exercise="perceptron_layer_update", id="layer-sign-flipped", section=S8,
         explanation="Each unit's error has the wrong sign (y_hat_j - y_j), so a unit that fired wrongly "
                     "is pushed to fire even more.",
         code="import numpy as np\ndef perceptron_layer_update(x, y_onehot, W, b, eta):\n"
              "    e = np.where(W @ x + b >= 0, 1, 0) - y_onehot\n"
              "    return W + eta * np.outer(e, x), b + eta * e\n"),
    dict(exercise="perceptron_layer_update", id="layer-bias-not-updated", section=S8,
         explanation="The weight rows are updated but the biases are returned unchanged; each b_j learns "
                     "like a weight on a constant input 1.",
         code="import numpy as np\ndef perceptron_layer_update(x, y_onehot, W, b, eta):\n"
              "    e = y_onehot - np.where(W @ x + b >= 0, 1, 0)\n"
              "    return W + eta * np.outer(e, x), b\n"),
    dict(exercise="perceptron_layer_update", id="layer-uses-net-input", section=S8,
         explanation="The errors use the net inputs z = W @ x + b instead of the units' 0/1 outputs: that "
                     "is the delta rule of notebook 02, not the perceptron rule.",
         code="import numpy as np\ndef perceptron_layer_update(x, y_onehot, W, b, eta):\n"
              "    e = y_onehot - (W @ x + b)\n"
              "    return W + eta * np.outer(e, x), b + eta * e\n"),
    dict(exercise="perceptron_layer_update", id="layer-pm1-outputs", section=S8,
         explanation="The units output -1/+1 (the single perceptron's labels) while the one-hot targets "
                     "are 0/1, so every silent unit counts as wrong; a layer with one-hot targets uses the "
                     "0/1 step.",
         code="import numpy as np\ndef perceptron_layer_update(x, y_onehot, W, b, eta):\n"
              "    e = y_onehot - np.where(W @ x + b >= 0, 1, -1)\n"
              "    return W + eta * np.outer(e, x), b + eta * e\n"),
    dict(exercise="perceptron_layer_update", id="layer-winner-take-all", section=S8,
         explanation="Only the unit with the largest net input and the true class's unit are updated, and "
                     "only when they differ (a multi-class perceptron); the layer rule updates every unit "
                     "whose own 0/1 output is wrong.",
         code="import numpy as np\ndef perceptron_layer_update(x, y_onehot, W, b, eta):\n"
              "    W = np.array(W, dtype=float); b = np.array(b, dtype=float)\n"
              "    guess, true = int(np.argmax(W @ x + b)), int(np.argmax(y_onehot))\n"
              "    if guess != true:\n"
              "        W[guess] -= eta * x; b[guess] -= eta\n"
              "        W[true] += eta * x; b[true] += eta\n"
              "    return W, b\n"),
    dict(exercise="perceptron_layer_update", id="layer-outer-transposed", section=S8,
         explanation="np.outer(x, e) has shape (n_features, n_classes), the transpose of W; the change "
                     "of row j is e_j * x, which is np.outer(e, x).",
         code="import numpy as np\ndef perceptron_layer_update(x, y_onehot, W, b, eta):\n"
              "    e = y_onehot - np.where(W @ x + b >= 0, 1, 0)\n"
              "    return W + eta * np.outer(x, e), b + eta * e\n"),
    dict(exercise="perceptron_layer_update", id="layer-mutates-W", section=S8,
         explanation="`W += ...` changes the caller's array in place; exercises return new arrays.",
         code="import numpy as np\ndef perceptron_layer_update(x, y_onehot, W, b, eta):\n"
              "    e = y_onehot - np.where(W @ x + b >= 0, 1, 0)\n"
              "    W += eta * np.outer(e, x)\n"
              "    return W, b + eta * e\n"),
    dict(exercise="perceptron_layer_update", id="layer-strict-threshold", section="2. From net input to a decision: step functions",
         explanation="The units' step uses `> 0`, so a unit whose net input is exactly 0 stays silent; "
                     "in this course the step is 1 at z = 0.",
         code="import numpy as np\ndef perceptron_layer_update(x, y_onehot, W, b, eta):\n"
              "    e = y_onehot - np.where(W @ x + b > 0, 1, 0)\n"
              "    return W + eta * np.outer(e, x), b + eta * e\n"),
    dict(exercise="train_perceptron_layer", id="layer-counts-outputs", section=S8,
         explanation="errors[k] counts wrong outputs (up to n_classes per sample); it counts samples: "
                     "one for each sample with at least one wrong output.",
         code="import numpy as np\ndef train_perceptron_layer(X, Y, W, b, eta, epochs):\n"
              "    W = np.array(W, dtype=float); b = np.array(b, dtype=float); errors = []\n"
              "    for _ in range(epochs):\n"
              "        k = 0\n"
              "        for xi, yi in zip(X, Y):\n"
              "            k += int(np.sum(np.where(W @ xi + b >= 0, 1, 0) != yi))\n"
              "            W, b = perceptron_layer_update(xi, yi, W, b, eta)\n"
              "        errors.append(k)\n"
              "    return W, b, errors\n"),
    dict(exercise="train_perceptron_layer", id="layer-errors-cumulative", section=S8,
         explanation="errors[k] holds the running total since the first epoch, not the count of epoch k.",
         code="import numpy as np\ndef train_perceptron_layer(X, Y, W, b, eta, epochs):\n"
              "    W = np.array(W, dtype=float); b = np.array(b, dtype=float); errors = []; total = 0\n"
              "    for _ in range(epochs):\n"
              "        for xi, yi in zip(X, Y):\n"
              "            total += int(np.any(np.where(W @ xi + b >= 0, 1, 0) != yi))\n"
              "            W, b = perceptron_layer_update(xi, yi, W, b, eta)\n"
              "        errors.append(total)\n"
              "    return W, b, errors\n"),
    dict(exercise="train_perceptron_layer", id="layer-errors-after-epoch", section=S8,
         explanation="errors[k] counts the samples that the weights at the END of epoch k get wrong; the "
                     "exercise counts each sample when it is visited, just before its own update.",
         code="import numpy as np\ndef train_perceptron_layer(X, Y, W, b, eta, epochs):\n"
              "    W = np.array(W, dtype=float); b = np.array(b, dtype=float); errors = []\n"
              "    for _ in range(epochs):\n"
              "        for xi, yi in zip(X, Y):\n"
              "            W, b = perceptron_layer_update(xi, yi, W, b, eta)\n"
              "        wrong = np.any(np.where(X @ W.T + b >= 0, 1, 0) != Y, axis=1)\n"
              "        errors.append(int(np.sum(wrong)))\n"
              "    return W, b, errors\n"),
    dict(exercise="train_perceptron_layer", id="layer-bias-frozen", section=S8,
         explanation="The biases are never updated during training, so every unit's line keeps its "
                     "initial offset.",
         code="import numpy as np\ndef train_perceptron_layer(X, Y, W, b, eta, epochs):\n"
              "    W = np.array(W, dtype=float); b = np.array(b, dtype=float); errors = []\n"
              "    for _ in range(epochs):\n"
              "        k = 0\n"
              "        for xi, yi in zip(X, Y):\n"
              "            k += int(np.any(np.where(W @ xi + b >= 0, 1, 0) != yi))\n"
              "            W, _ = perceptron_layer_update(xi, yi, W, b, eta)\n"
              "        errors.append(k)\n"
              "    return W, b, errors\n"),
    dict(exercise="train_perceptron_layer", id="layer-not-chained", section=S8,
         explanation="Every update starts from the initial W and b (the result is not fed back), so the "
                     "layer only ever remembers the last sample's update.",
         code="import numpy as np\ndef train_perceptron_layer(X, Y, W, b, eta, epochs):\n"
              "    errors = []\n"
              "    W_new, b_new = np.array(W, dtype=float), np.array(b, dtype=float)\n"
              "    for _ in range(epochs):\n"
              "        k = 0\n"
              "        for xi, yi in zip(X, Y):\n"
              "            k += int(np.any(np.where(W @ xi + b >= 0, 1, 0) != yi))\n"
              "            W_new, b_new = perceptron_layer_update(xi, yi, W, b, eta)\n"
              "        errors.append(k)\n"
              "    return W_new, b_new, errors\n"),
    dict(exercise="predict_class", id="predict-axis0", section=S8,
         explanation="argmax over axis 0 picks a sample for each class; the class of each sample is the "
                     "argmax over the classes, axis=1.",
         code="import numpy as np\ndef predict_class(X, W, b):\n    return np.argmax(X @ W.T + b, axis=0)\n"),
    dict(exercise="predict_class", id="predict-no-bias", section=S8,
         explanation="The biases are left out of the net inputs; the class is the argmax of X @ W.T + b.",
         code="import numpy as np\ndef predict_class(X, W, b):\n    return np.argmax(X @ W.T, axis=1)\n"),
    dict(exercise="predict_class", id="predict-argmin", section=S8,
         explanation="argmin picks the unit with the smallest net input; the predicted class is the unit "
                     "with the largest.",
         code="import numpy as np\ndef predict_class(X, W, b):\n    return np.argmin(X @ W.T + b, axis=1)\n"),
    dict(exercise="predict_class", id="predict-first-firing", section=S8,
         explanation="The argmax of the 0/1 outputs names the first unit that fires (and class 0 when none "
                     "does); compare the net inputs themselves, which decides also when several or no "
                     "units fire.",
         code="import numpy as np\ndef predict_class(X, W, b):\n"
              "    return np.argmax(np.where(X @ W.T + b >= 0, 1, 0), axis=1)\n"),
    dict(exercise="predict_class", id="predict-one-hot", section=S8,
         explanation="The prediction is returned as one-hot rows (n_samples, n_classes); the exercise asks "
                     "for one integer class id per sample.",
         code="import numpy as np\ndef predict_class(X, W, b):\n"
              "    Z = X @ W.T + b\n"
              "    return (Z == Z.max(axis=1, keepdims=True)).astype(int)\n"),
]
