"""Plausible wrong implementations of 01_perceptron's exercises (see README.md)."""

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
         explanation="errors[k] holds the running total of updates since the start, not the updates "
                     "made during epoch k.",
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
         explanation="errors[k] counts the samples misclassified by the weights at the end of the epoch, "
                     "not the updates made during it.",
         code="import numpy as np\ndef train_perceptron(X, y, w, b, eta, epochs):\n"
              "    w = np.array(w, dtype=float); errors = []\n"
              "    for _ in range(epochs):\n"
              "        for xi, yi in zip(X, y):\n"
              "            err = yi - (1 if xi @ w + b >= 0 else -1)\n"
              "            w = w + eta * err * xi; b = b + eta * err\n"
              "        errors.append(int(np.sum(np.where(X @ w + b >= 0, 1, -1) != y)))\n"
              "    return w, b, errors\n"),
    dict(exercise="train_perceptron", id="stops-early", section="4. Training: epochs over the data",
         explanation="Training stops at the first epoch without updates, so errors is shorter than "
                     "`epochs`; the exercise asks for exactly `epochs` entries.",
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
]
