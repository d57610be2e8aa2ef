"""Plausible wrong implementations of 03_mlp's exercises (see README.md)."""

S1 = "1. A layer of neurons is one matrix product"
S2 = "2. Why depth needs non-linearity"
S3 = "3. Activation functions"
S4 = "4. Derivatives of the activations"
S7 = "7. Softmax: scores into probabilities"
S8 = "8. The forward pass of an MLP"
S9 = "9. XOR with a hand-built network"

_MLP_HEAD = ("import numpy as np\n"
             "def mlp_forward(X, params, activation=\"relu\"):\n"
             "    functions = {\"relu\": relu, \"sigmoid\": sigmoid, \"tanh\": tanh}\n")

MISTAKES = [
    # --- dense_forward
    dict(exercise="dense_forward", id="dense-untransposed", section=S1,
         explanation="W has shape (n_out, n_in), so the product is X @ W.T; X @ W only works when the "
                     "layer is square, and then gives the wrong numbers.",
         code="import numpy as np\ndef dense_forward(X, W, b):\n    return X @ W + b\n"),
    dict(exercise="dense_forward", id="dense-no-bias", section=S1,
         explanation="The bias is left out: every neuron adds its own b_j.",
         code="import numpy as np\ndef dense_forward(X, W, b):\n    return X @ W.T\n"),
    dict(exercise="dense_forward", id="dense-w-times-xt", section=S1,
         explanation="W @ X.T has one column per sample, shape (n_out, n); the course's convention is one "
                     "row per sample, X @ W.T + b of shape (n, n_out).",
         code="import numpy as np\ndef dense_forward(X, W, b):\n    return W @ X.T + b[:, None]\n"),
    dict(exercise="dense_forward", id="dense-bias-as-column", section=S1,
         explanation="b[:, None] makes the bias a column, one bias per sample instead of one per neuron; it "
                     "only broadcasts when there are as many samples as neurons, and then adds the wrong biases. "
                     "b of shape (n_out,) broadcasts over the rows as it is.",
         code="import numpy as np\ndef dense_forward(X, W, b):\n    return X @ W.T + b[:, None]\n"),
    # --- count_parameters
    dict(exercise="count_parameters", id="count-no-biases", section=S1,
         explanation="Only the weights are counted; each layer also has one bias per output unit.",
         code="def count_parameters(layer_sizes):\n"
              "    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))\n"),
    dict(exercise="count_parameters", id="count-bias-per-input", section=S1,
         explanation="The biases are counted per input unit, (n_out + 1) * n_in; a layer has one bias per "
                     "output unit: (n_in + 1) * n_out.",
         code="def count_parameters(layer_sizes):\n"
              "    return sum(a * (b + 1) for a, b in zip(layer_sizes[:-1], layer_sizes[1:]))\n"),
    dict(exercise="count_parameters", id="count-product", section=S1,
         explanation="Multiplying all sizes together does not count the connections of consecutive layers.",
         code="import numpy as np\ndef count_parameters(layer_sizes):\n    return int(np.prod(layer_sizes))\n"),
    dict(exercise="count_parameters", id="count-return-in-loop", section=S1,
         explanation="The return statement sits inside the loop, so only the first layer is counted; sum over "
                     "every pair of consecutive sizes, then return.",
         code="def count_parameters(layer_sizes):\n    total = 0\n"
              "    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):\n"
              "        total += n_in * n_out + n_out\n        return total\n    return total\n"),
    dict(exercise="count_parameters", id="count-bias-per-unit", section=S1,
         explanation="A bias is counted for every unit, the inputs included; the input layer has no biases, so "
                     "each layer has n_out biases, not the whole network sum(layer_sizes).",
         code="def count_parameters(layer_sizes):\n"
              "    return sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])) + sum(layer_sizes)\n"),
    # --- collapse_linear
    dict(exercise="collapse_linear", id="collapse-forgets-b1", section=S2,
         explanation="The first bias also passes through the second layer: b = W2 @ b1 + b2, not b2.",
         code="import numpy as np\ndef collapse_linear(W1, b1, W2, b2):\n    return W2 @ W1, b2\n"),
    dict(exercise="collapse_linear", id="collapse-bias-sum", section=S2,
         explanation="b1 + b2 adds biases of different layers (and shapes); b1 must go through W2 first.",
         code="import numpy as np\ndef collapse_linear(W1, b1, W2, b2):\n    return W2 @ W1, b1 + b2\n"),
    dict(exercise="collapse_linear", id="collapse-transposed", section=S2,
         explanation="W1.T @ W2.T is (W2 @ W1).T, of shape (n_in, n_out); a layer's W has shape (n_out, n_in).",
         code="import numpy as np\ndef collapse_linear(W1, b1, W2, b2):\n    return W1.T @ W2.T, W2 @ b1 + b2\n"),
    dict(exercise="collapse_linear", id="collapse-in-place", section=S2,
         explanation="b2 += W2 @ b1 changes the caller's b2 in place; the values are right, but exercise "
                     "functions return new arrays and never modify their inputs.",
         code="import numpy as np\ndef collapse_linear(W1, b1, W2, b2):\n    b2 += W2 @ b1\n    return W2 @ W1, b2\n"),
    dict(exercise="collapse_linear", id="collapse-bias-wrong-axis", section=S2,
         explanation="(W2 * b1).sum(axis=0) sums over the output units instead of over the hidden units, so b "
                     "gets one entry per hidden unit; W2 @ b1 is (W2 * b1).sum(axis=1), one entry per output unit.",
         code="import numpy as np\ndef collapse_linear(W1, b1, W2, b2):\n"
              "    return W2 @ W1, (W2 * b1).sum(axis=0) + b2\n"),
    # --- tanh
    dict(exercise="tanh", id="tanh-half-argument", section=S3,
         explanation="2*sigmoid(z) - 1 is tanh(z/2); the identity is tanh(z) = 2*sigmoid(2z) - 1.",
         code="import numpy as np\ndef tanh(z):\n    return 2 * sigmoid(z) - 1\n"),
    dict(exercise="tanh", id="tanh-exp-formula", section=S3,
         explanation="The textbook formula computes inf / inf = nan once exp(|z|) overflows (|z| > 709).",
         code="import numpy as np\ndef tanh(z):\n    z = np.asarray(z, dtype=float)\n"
              "    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))\n"),
    dict(exercise="tanh", id="tanh-identity-no-shift", section=S3,
         explanation="2*sigmoid(2z) has values in (0, 2); the identity is tanh(z) = 2*sigmoid(2z) - 1.",
         code="import numpy as np\ndef tanh(z):\n    return 2 * sigmoid(2 * np.asarray(z, dtype=float))\n"),
    # --- relu
    dict(exercise="relu", id="relu-abs", section=S3,
         explanation="|z| flips negative inputs instead of setting them to 0.",
         code="import numpy as np\ndef relu(z):\n    return np.abs(z)\n"),
    dict(exercise="relu", id="relu-clip", section=S3,
         explanation="clip(z, 0, 1) caps the output at 1; ReLU is unbounded above.",
         code="import numpy as np\ndef relu(z):\n    return np.clip(z, 0, 1)\n"),
    dict(exercise="relu", id="relu-in-place", section=S3,
         explanation="z[z < 0] = 0 overwrites the caller's array; exercise functions return new arrays.",
         code="import numpy as np\ndef relu(z):\n    z[z < 0] = 0\n    return z\n"),
    dict(exercise="relu", id="relu-minimum", section=S3,
         explanation="np.minimum(z, 0) keeps the negative part; ReLU keeps the positive part, max(0, z).",
         code="import numpy as np\ndef relu(z):\n    return np.minimum(np.asarray(z, dtype=float), 0.0)\n"),
    # --- leaky_relu
    dict(exercise="leaky_relu", id="leaky-alpha-ignored", section=S3,
         explanation="The slope is hard-coded to 0.01, so the alpha argument has no effect.",
         code="import numpy as np\ndef leaky_relu(z, alpha=0.01):\n    return np.where(z >= 0, z, 0.01 * z)\n"),
    dict(exercise="leaky_relu", id="leaky-max-alpha", section=S3,
         explanation="max(alpha, z) floors the output at alpha; the leak multiplies negative inputs: alpha * z.",
         code="import numpy as np\ndef leaky_relu(z, alpha=0.01):\n    return np.maximum(alpha, z)\n"),
    dict(exercise="leaky_relu", id="leaky-in-place", section=S3,
         explanation="z[z < 0] *= alpha changes the caller's array; return a new array.",
         code="import numpy as np\ndef leaky_relu(z, alpha=0.01):\n    z[z < 0] *= alpha\n    return z\n"),
    dict(exercise="leaky_relu", id="leaky-sides-swapped", section=S3,
         explanation="The slope alpha is applied to the positive inputs and the identity to the negative ones; "
                     "the leak is on the negative side: z where z >= 0, alpha * z where z < 0.",
         code="import numpy as np\ndef leaky_relu(z, alpha=0.01):\n"
              "    z = np.asarray(z, dtype=float)\n    return np.where(z >= 0, alpha * z, z)\n"),
    # --- sigmoid_grad
    dict(exercise="sigmoid_grad", id="sgrad-one-plus", section=S4,
         explanation="sigma'(z) = sigma(z) * (1 - sigma(z)), not sigma(z) * (1 + sigma(z)).",
         code="import numpy as np\ndef sigmoid_grad(z):\n    s = sigmoid(z)\n    return s * (1 + s)\n"),
    dict(exercise="sigmoid_grad", id="sgrad-on-z", section=S4,
         explanation="The formula s * (1 - s) is applied to z instead of to s = sigmoid(z).",
         code="import numpy as np\ndef sigmoid_grad(z):\n    return z * (1 - z)\n"),
    dict(exercise="sigmoid_grad", id="sgrad-unstable", section=S4,
         explanation="exp(-z) / (1 + exp(-z))**2 is correct on paper but gives inf / inf = nan for large "
                     "negative z; reuse the stable sigmoid.",
         code="import numpy as np\ndef sigmoid_grad(z):\n    e = np.exp(-np.asarray(z, dtype=float))\n"
              "    return e / (1 + e) ** 2\n"),
    dict(exercise="sigmoid_grad", id="sgrad-of-sigmoid-output", section=S4,
         explanation="sigmoid is applied twice: the derivative is written in terms of s = sigmoid(z), so "
                     "plug in s itself, not sigmoid(s).",
         code="import numpy as np\ndef sigmoid_grad(z):\n    s = sigmoid(sigmoid(z))\n    return s * (1 - s)\n"),
    dict(exercise="sigmoid_grad", id="sgrad-returns-sigmoid", section=S4,
         explanation="This returns sigmoid(z) itself; unlike exp, the sigmoid is not its own derivative "
                     "(its slope is at most 1/4, at z = 0).",
         code="import numpy as np\ndef sigmoid_grad(z):\n    return sigmoid(z)\n"),
    # --- tanh_grad
    dict(exercise="tanh_grad", id="tgrad-erratum", section=S4,
         explanation="2*sigmoid(2z) - 1 (the lecture notes' eq. 16) is tanh(z) itself; its derivative is "
                     "1 - tanh(z)**2.",
         code="import numpy as np\ndef tanh_grad(z):\n    return 2 * sigmoid(2 * np.asarray(z, dtype=float)) - 1\n"),
    dict(exercise="tanh_grad", id="tgrad-no-square", section=S4,
         explanation="The square is missing: 1 - tanh(z)**2, not 1 - tanh(z).",
         code="import numpy as np\ndef tanh_grad(z):\n    return 1 - np.tanh(z)\n"),
    dict(exercise="tanh_grad", id="tgrad-on-z", section=S4,
         explanation="1 - z**2 applies the formula to z instead of to tanh(z).",
         code="import numpy as np\ndef tanh_grad(z):\n    return 1 - np.asarray(z, dtype=float) ** 2\n"),
    dict(exercise="tanh_grad", id="tgrad-sech-not-squared", section=S4,
         explanation="1 / cosh(z) is sech(z); the quotient rule gives cosh and sinh squared, so the square "
                     "of sech (equivalently, tanh squared) appears in the derivative.",
         code="import numpy as np\ndef tanh_grad(z):\n    return 1 / np.cosh(np.asarray(z, dtype=float))\n"),
    # --- relu_grad
    dict(exercise="relu_grad", id="rgrad-one-at-zero", section=S4,
         explanation="z >= 0 makes relu_grad(0) = 1; this course (like PyTorch) uses 0 at the kink.",
         code="import numpy as np\ndef relu_grad(z):\n    return (np.asarray(z) >= 0).astype(float)\n"),
    dict(exercise="relu_grad", id="rgrad-wrong-side", section=S4,
         explanation="The slope is 1 on the positive side and 0 on the negative side, not the reverse.",
         code="import numpy as np\ndef relu_grad(z):\n    return (np.asarray(z) < 0).astype(float)\n"),
    dict(exercise="relu_grad", id="rgrad-returns-relu", section=S4,
         explanation="This returns relu(z) itself, not its derivative.",
         code="import numpy as np\ndef relu_grad(z):\n    return np.maximum(z, 0.0)\n"),
    dict(exercise="relu_grad", id="rgrad-bool-mask", section=S4,
         explanation="z > 0 is an array of booleans; a derivative must be numbers (0.0 and 1.0), because later "
                     "code multiplies, adds and subtracts it, and NumPy refuses 1 - mask or -mask for booleans.",
         code="import numpy as np\ndef relu_grad(z):\n    return np.asarray(z) > 0\n"),
    dict(exercise="relu_grad", id="rgrad-in-place", section=S4,
         explanation="The derivative is written into z itself, which overwrites the caller's pre-activations; "
                     "return a new array.",
         code="import numpy as np\ndef relu_grad(z):\n    z[z <= 0] = 0.0\n    z[z > 0] = 1.0\n    return z\n"),
    # --- leaky_relu_grad
    dict(exercise="leaky_relu_grad", id="lgrad-alpha-ignored", section=S4,
         explanation="The negative slope is hard-coded to 0.01 instead of using alpha.",
         code="import numpy as np\ndef leaky_relu_grad(z, alpha=0.01):\n    return np.where(np.asarray(z) > 0, 1.0, 0.01)\n"),
    dict(exercise="leaky_relu_grad", id="lgrad-one-at-zero", section=S4,
         explanation="At z = 0 the derivative is alpha here (the same convention as relu_grad(0) == 0).",
         code="import numpy as np\ndef leaky_relu_grad(z, alpha=0.01):\n    return np.where(np.asarray(z) >= 0, 1.0, alpha)\n"),
    dict(exercise="leaky_relu_grad", id="lgrad-alpha-times-z", section=S4,
         explanation="For z < 0 the derivative of alpha * z is alpha, not alpha * z.",
         code="import numpy as np\ndef leaky_relu_grad(z, alpha=0.01):\n"
              "    z = np.asarray(z, dtype=float)\n    return np.where(z > 0, 1.0, alpha * z)\n"),
    dict(exercise="leaky_relu_grad", id="lgrad-sides-swapped", section=S4,
         explanation="The slopes are on the wrong sides: 1 for z > 0 and alpha for z <= 0, not the reverse.",
         code="import numpy as np\ndef leaky_relu_grad(z, alpha=0.01):\n"
              "    return np.where(np.asarray(z) > 0, alpha, 1.0)\n"),
    # --- softmax
    dict(exercise="softmax", id="softmax-no-shift", section=S7,
         explanation="Without subtracting the row maximum, exp(1000) overflows and the result is nan.",
         code="import numpy as np\ndef softmax(Z):\n    E = np.exp(Z)\n    return E / E.sum(axis=1, keepdims=True)\n"),
    dict(exercise="softmax", id="softmax-axis0", section=S7,
         explanation="Normalising over axis 0 mixes samples; each row (sample) is its own distribution.",
         code="import numpy as np\ndef softmax(Z):\n    E = np.exp(Z - Z.max(axis=0, keepdims=True))\n"
              "    return E / E.sum(axis=0, keepdims=True)\n"),
    dict(exercise="softmax", id="softmax-global-max", section=S7,
         explanation="Subtracting the maximum of the whole batch is not enough: a row far below it "
                     "underflows to all zeros and gives 0 / 0. Subtract each row's own maximum.",
         code="import numpy as np\ndef softmax(Z):\n    E = np.exp(Z - np.max(Z))\n"
              "    return E / E.sum(axis=1, keepdims=True)\n"),
    dict(exercise="softmax", id="softmax-in-place", section=S7,
         explanation="Z -= ... shifts the caller's array in place; work on a new array.",
         code="import numpy as np\ndef softmax(Z):\n    Z -= Z.max(axis=1, keepdims=True)\n"
              "    E = np.exp(Z)\n    return E / E.sum(axis=1, keepdims=True)\n"),
    dict(exercise="softmax", id="softmax-sum-no-keepdims", section=S7,
         explanation="E.sum(axis=1) without keepdims has shape (n,), which broadcasts against the columns of "
                     "E, not its rows: it fails unless n == K, and then divides each column by the wrong sum. "
                     "Keep the reduced axis: keepdims=True gives shape (n, 1).",
         code="import numpy as np\ndef softmax(Z):\n    Z = np.asarray(Z, dtype=float)\n"
              "    E = np.exp(Z - Z.max(axis=1, keepdims=True))\n    return E / E.sum(axis=1)\n"),
    dict(exercise="softmax", id="softmax-not-normalised", section=S7,
         explanation="The exponentials are not divided by their row sum, so the rows are not probabilities "
                     "(they do not sum to 1).",
         code="import numpy as np\ndef softmax(Z):\n    Z = np.asarray(Z, dtype=float)\n"
              "    return np.exp(Z - Z.max(axis=1, keepdims=True))\n"),
    # --- mlp_forward
    dict(exercise="mlp_forward", id="mlp-last-activated", section=S8,
         explanation="The activation is applied to the last layer too; the output layer is linear "
                     "(and its cache entry has act None).",
         code=_MLP_HEAD +
              "    if activation not in functions:\n        raise ValueError(activation)\n"
              "    cache, A = [], X\n"
              "    for W, b in params:\n"
              "        Z = dense_forward(A, W, b)\n"
              "        cache.append((A, Z, activation))\n"
              "        A = functions[activation](Z)\n"
              "    return A, cache\n"),
    dict(exercise="mlp_forward", id="mlp-cache-post-activation", section=S8,
         explanation="The cache stores the activation phi(Z) where the pre-activation Z belongs; the "
                     "backward pass needs Z to evaluate phi'(Z).",
         code=_MLP_HEAD +
              "    if activation not in functions:\n        raise ValueError(activation)\n"
              "    cache, A = [], X\n"
              "    for l, (W, b) in enumerate(params):\n"
              "        Z = dense_forward(A, W, b)\n"
              "        last = l == len(params) - 1\n"
              "        A_out = Z if last else functions[activation](Z)\n"
              "        cache.append((A, A_out, None if last else activation))\n"
              "        A = A_out\n"
              "    return A, cache\n"),
    dict(exercise="mlp_forward", id="mlp-activation-ignored", section=S8,
         explanation="The hidden layers always use ReLU, whatever the activation argument says.",
         code="import numpy as np\n"
              "def mlp_forward(X, params, activation=\"relu\"):\n"
              "    if activation not in (\"relu\", \"sigmoid\", \"tanh\"):\n        raise ValueError(activation)\n"
              "    cache, A = [], X\n"
              "    for l, (W, b) in enumerate(params):\n"
              "        Z = dense_forward(A, W, b)\n"
              "        last = l == len(params) - 1\n"
              "        cache.append((A, Z, None if last else activation))\n"
              "        A = Z if last else relu(Z)\n"
              "    return A, cache\n"),
    dict(exercise="mlp_forward", id="mlp-cache-output-as-input", section=S8,
         explanation="Each cache entry holds the layer's output where its input A_in belongs (X for layer 0).",
         code=_MLP_HEAD +
              "    if activation not in functions:\n        raise ValueError(activation)\n"
              "    cache, A = [], X\n"
              "    for l, (W, b) in enumerate(params):\n"
              "        Z = dense_forward(A, W, b)\n"
              "        last = l == len(params) - 1\n"
              "        A = Z if last else functions[activation](Z)\n"
              "        cache.append((A, Z, None if last else activation))\n"
              "    return A, cache\n"),
    dict(exercise="mlp_forward", id="mlp-unknown-name-silently-relu", section=S8,
         explanation="An unknown activation name silently falls back to ReLU; it must raise ValueError so "
                     "that a typo does not go unnoticed.",
         code=_MLP_HEAD +
              "    cache, A = [], X\n"
              "    for l, (W, b) in enumerate(params):\n"
              "        Z = dense_forward(A, W, b)\n"
              "        last = l == len(params) - 1\n"
              "        cache.append((A, Z, None if last else activation))\n"
              "        A = Z if last else functions.get(activation, relu)(Z)\n"
              "    return A, cache\n"),
    dict(exercise="mlp_forward", id="mlp-no-activation", section=S8,
         explanation="No activation is applied between the layers, so the network is one linear layer in "
                     "disguise (Section 2); the hidden layers apply the chosen activation to Z.",
         code=_MLP_HEAD +
              "    if activation not in functions:\n        raise ValueError(activation)\n"
              "    cache, A = [], X\n"
              "    for l, (W, b) in enumerate(params):\n"
              "        Z = dense_forward(A, W, b)\n"
              "        last = l == len(params) - 1\n"
              "        cache.append((A, Z, None if last else activation))\n"
              "        A = Z\n"
              "    return A, cache\n"),
    dict(exercise="mlp_forward", id="mlp-cache-misses-last-layer", section=S8,
         explanation="The last, linear layer is computed after the loop but not cached; the cache needs one "
                     "entry per layer, the last one with act None.",
         code=_MLP_HEAD +
              "    if activation not in functions:\n        raise ValueError(activation)\n"
              "    cache, A = [], X\n"
              "    for W, b in params[:-1]:\n"
              "        Z = dense_forward(A, W, b)\n"
              "        cache.append((A, Z, activation))\n"
              "        A = functions[activation](Z)\n"
              "    W, b = params[-1]\n"
              "    return dense_forward(A, W, b), cache\n"),
    # --- xor_network
    dict(exercise="xor_network", id="xor-erratum-weights", section=S9,
         explanation="The lecture notes' output weights (-0.4, 0.6, -0.6) compute OR and not NAND, which is "
                     "AND of the inputs; AND of OR and NAND needs positive weights on both hidden units.",
         code="import numpy as np\ndef xor_network():\n"
              "    W1 = np.array([[0.6, 0.6], [-0.5, -0.5]]); b1 = np.array([-0.4, 0.6])\n"
              "    W2 = np.array([[0.6, -0.6]]); b2 = np.array([-0.4])\n"
              "    return [(W1, b1), (W2, b2)]\n"),
    dict(exercise="xor_network", id="xor-no-output-bias", section=S9,
         explanation="Without an output bias the unit fires when h1 + h2 >= 0, which includes h1 = 1, "
                     "h2 = -1 (the input (1, 1)); AND needs a negative bias.",
         code="import numpy as np\ndef xor_network():\n"
              "    W1 = np.array([[0.6, 0.6], [-0.5, -0.5]]); b1 = np.array([-0.4, 0.6])\n"
              "    W2 = np.array([[0.6, 0.6]]); b2 = np.array([0.0])\n"
              "    return [(W1, b1), (W2, b2)]\n"),
    dict(exercise="xor_network", id="xor-w2-vector", section=S1,
         explanation="W2 is given as a vector of shape (2,) and b2 as a number; a layer's W has shape "
                     "(n_out, n_in) = (1, 2) and b shape (1,).",
         code="import numpy as np\ndef xor_network():\n"
              "    W1 = np.array([[0.6, 0.6], [-0.5, -0.5]]); b1 = np.array([-0.4, 0.6])\n"
              "    return [(W1, b1), (np.array([0.6, 0.6]), -0.4)]\n"),
    dict(exercise="xor_network", id="xor-and-of-or-and", section=S9,
         explanation="The hidden units compute OR and AND, and the output AND of the two: that is AND of the "
                     "inputs. With OR and AND as hidden units the output must be 'OR and not AND'; with OR and "
                     "NAND it is AND.",
         code="import numpy as np\ndef xor_network():\n"
              "    W1 = np.array([[1.0, 1.0], [1.0, 1.0]]); b1 = np.array([-0.5, -1.5])\n"
              "    W2 = np.array([[1.0, 1.0]]); b2 = np.array([-1.5])\n"
              "    return [(W1, b1), (W2, b2)]\n"),
    dict(exercise="xor_network", id="xor-hidden-thresholds-for-pm1", section=S9,
         explanation="The hidden units' thresholds suit inputs of -1/+1, but the network's inputs are 0/1: the "
                     "OR unit is also true at (0, 0). Write each hidden unit's inequalities for 0/1 inputs (the "
                     "output unit's for -1/+1).",
         code="import numpy as np\ndef xor_network():\n"
              "    W1 = np.array([[1.0, 1.0], [-1.0, -1.0]]); b1 = np.array([1.0, 1.0])\n"
              "    W2 = np.array([[1.0, 1.0]]); b2 = np.array([-1.0])\n"
              "    return [(W1, b1), (W2, b2)]\n"),
]


# --- the six activation functions are one exercise (one cell, grade id "activations") ----------
# A catalogued mistake in one of them is submitted as that cell with the other five correct.

ACTIVATIONS = ("tanh", "relu", "leaky_relu", "tanh_grad", "relu_grad", "leaky_relu_grad")
_REFERENCE = {
    "tanh": "def tanh(z):\n    return np.tanh(np.asarray(z, dtype=float))\n",
    "relu": "def relu(z):\n    return np.maximum(np.asarray(z, dtype=float), 0.0)\n",
    "leaky_relu": "def leaky_relu(z, alpha=0.01):\n    z = np.asarray(z, dtype=float)\n"
                  "    return np.where(z >= 0, z, alpha * z)\n",
    "tanh_grad": "def tanh_grad(z):\n    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2\n",
    "relu_grad": "def relu_grad(z):\n    return (np.asarray(z) > 0).astype(float)\n",
    "leaky_relu_grad": "def leaky_relu_grad(z, alpha=0.01):\n"
                       "    return np.where(np.asarray(z) > 0, 1.0, float(alpha))\n",
}


def activations_cell(answers: dict) -> str:
    """The source of the "activations" cell: ``answers`` (function name -> its source) for the
    functions given, the reference for the others, in the notebook's order."""
    unknown = set(answers) - set(ACTIVATIONS)
    assert not unknown, unknown
    return "import numpy as np\n\n" + "\n".join(answers.get(n, _REFERENCE[n]) for n in ACTIVATIONS)


for _m in MISTAKES:
    if _m["exercise"] in ACTIVATIONS:
        _m["code"] = activations_cell({_m["exercise"]: _m["code"]})
        _m["loses"] = ["test_activations"]
        _m["exercise"] = "activations"
        _m["section"] = S4                      # the merged exercise sits in section 4
