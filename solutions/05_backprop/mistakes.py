"""Plausible wrong implementations of 05_backprop's exercises (see README.md).

The wrong `Value` classes are the solution's class with one rule changed: the class is
read from the solution notebook, so they stay in step with it.
"""
import json
from pathlib import Path

_NOTEBOOK = Path(__file__).resolve().parent / "05_backprop.ipynb"


def _solution_cell(grade_id):
    cells = json.loads(_NOTEBOOK.read_text())["cells"]
    (cell,) = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]
    source = "".join(cell["source"])
    return "\n".join(line for line in source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line) + "\n"


_VALUE = _solution_cell("Value")


def _value(*replacements):
    code = _VALUE
    for old, new in replacements:
        assert old in code, f"mistake catalogue out of date: {old!r} not in the Value solution"
        code = code.replace(old, new)
    return code


_BACKWARD_BODY = """        order, visited = [], set()

        def visit(node):
            if id(node) not in visited:
                visited.add(id(node))
                for child in node._prev:
                    visit(child)
                order.append(node)
        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()
"""

_VALUE_TESTS_ALL = ["test_value_add_mul", "test_value_backward", "test_value_examples"]

MISTAKES = [
    # --- Value: local rules --------------------------------------------------------
    dict(exercise="Value", id="value-grad-overwritten", section="2. A scalar autograd engine",
         explanation="Every _backward assigns (=) into the inputs' grad instead of adding (+=), so a value "
                     "used twice keeps only the last contribution.",
         loses=["test_value_add_mul", "test_value_examples"],
         code=_value(("self.grad += out.grad\n            other.grad += out.grad",
                      "self.grad = out.grad\n            other.grad = out.grad"),
                     ("self.grad += other.data * out.grad\n            other.grad += self.data * out.grad",
                      "self.grad = other.data * out.grad\n            other.grad = self.data * out.grad"))),
    dict(exercise="Value", id="value-mul-not-swapped", section="1. Computations are graphs",
         explanation="The multiply gate gives each input its own value as local gradient; d(ab)/da is b: "
                     "the gate swaps.",
         loses=["test_value_add_mul", "test_value_examples"],
         code=_value(("self.grad += other.data * out.grad\n            other.grad += self.data * out.grad",
                      "self.grad += self.data * out.grad\n            other.grad += other.data * out.grad"))),
    dict(exercise="Value", id="value-ignores-upstream", section="1. Computations are graphs",
         explanation="The add gate adds its local gradient 1 but forgets to multiply by the upstream "
                     "gradient out.grad.",
         loses=["test_value_add_mul", "test_value_examples"],
         code=_value(("self.grad += out.grad\n            other.grad += out.grad",
                      "self.grad += 1.0\n            other.grad += 1.0"))),
    dict(exercise="Value", id="value-pow-no-factor-k", section="2. A scalar autograd engine",
         explanation="The power rule is written a**(k-1) without the factor k.",
         loses=["test_value_pow_div"],
         code=_value(("self.grad += k * self.data ** (k - 1) * out.grad",
                      "self.grad += self.data ** (k - 1) * out.grad"))),
    dict(exercise="Value", id="value-pow-wrong-exponent", section="2. A scalar autograd engine",
         explanation="The power rule keeps the exponent k instead of k - 1: k * a**k.",
         loses=["test_value_pow_div", "test_value_examples"],
         code=_value(("self.grad += k * self.data ** (k - 1) * out.grad",
                      "self.grad += k * self.data ** k * out.grad"))),
    dict(exercise="Value", id="value-exp-uses-input", section="2. A scalar autograd engine",
         explanation="The local gradient of exp is exp(a), the output; this uses the input a.",
         loses=["test_value_unary", "test_value_examples"],
         code=_value(("self.grad += out.data * out.grad\n", "self.grad += self.data * out.grad\n"))),
    dict(exercise="Value", id="value-tanh-uses-input", section="2. A scalar autograd engine",
         explanation="tanh' is 1 - tanh(a)**2; 1 - a**2 uses the input instead of the output.",
         loses=["test_value_unary", "test_value_examples"],
         code=_value(("self.grad += (1 - out.data ** 2) * out.grad", "self.grad += (1 - self.data ** 2) * out.grad"))),
    dict(exercise="Value", id="value-sigmoid-uses-input", section="2. A scalar autograd engine",
         explanation="sigmoid' is s(1 - s) with s the output; a(1 - a) uses the input.",
         loses=["test_value_unary", "test_value_examples"],
         code=_value(("self.grad += out.data * (1 - out.data) * out.grad",
                      "self.grad += self.data * (1 - self.data) * out.grad"))),
    dict(exercise="Value", id="value-relu-at-zero", section="2. A scalar autograd engine",
         explanation="The ReLU gradient is 1 at a = 0 (>= instead of >); this course uses 0 there, as PyTorch does.",
         loses=["test_value_unary"],
         code=_value(("self.grad += (1.0 if self.data > 0 else 0.0) * out.grad",
                      "self.grad += (1.0 if self.data >= 0 else 0.0) * out.grad"))),
    dict(exercise="Value", id="value-relu-wrong-side", section="2. A scalar autograd engine",
         explanation="The ReLU passes the gradient where its input is negative instead of positive.",
         loses=["test_value_unary", "test_value_examples"],
         code=_value(("self.grad += (1.0 if self.data > 0 else 0.0) * out.grad",
                      "self.grad += (1.0 if self.data < 0 else 0.0) * out.grad"))),
    # --- Value: backward ---------------------------------------------------------------
    dict(exercise="Value", id="backward-breadth-first", section="2. A scalar autograd engine",
         explanation="backward visits nodes breadth first from the output; a node used at two depths passes "
                     "its gradient on before it has received all of it. Use reverse topological order.",
         loses=["test_value_backward"],
         code=_value((_BACKWARD_BODY, """        self.grad = 1.0
        queue, seen = [self], {id(self)}
        while queue:
            node = queue.pop(0)
            node._backward()
            for child in node._prev:
                if id(child) not in seen:
                    seen.add(id(child))
                    queue.append(child)
"""))),
    dict(exercise="Value", id="backward-recursive-no-order", section="2. A scalar autograd engine",
         explanation="backward recursively calls _backward on every path, so shared nodes run several times "
                     "and too early; there is no topological order.",
         loses=["test_value_backward"],
         code=_value((_BACKWARD_BODY, """        self.grad = 1.0

        def run(node):
            node._backward()
            for child in node._prev:
                run(child)
        run(self)
"""))),
    dict(exercise="Value", id="backward-not-reversed", section="2. A scalar autograd engine",
         explanation="The topological order is walked from the inputs to the output; backpropagation goes "
                     "from the output back, so walk it reversed.",
         loses=["test_value_backward"],
         code=_value(("        for node in reversed(order):\n", "        for node in order:\n"))),
    dict(exercise="Value", id="backward-no-seed", section="2. A scalar autograd engine",
         explanation="backward never sets the output's grad to 1 (df/df), so every gradient stays 0.",
         loses=["test_value_backward", "test_value_examples"],
         code=_value(("        self.grad = 1.0\n        for node in reversed(order):",
                      "        for node in reversed(order):"))),
    # --- dense_backward -------------------------------------------------------------------
    dict(exercise="dense_backward", id="dense-dW-transposed", section="4. From numbers to matrices: backprop for layers",
         explanation="dW = X.T @ dZ has shape (n_in, n_out), the transpose of W; dW must have W's shape: dZ.T @ X.",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W, X.T @ dZ, dZ.sum(axis=0)\n"),
    dict(exercise="dense_backward", id="dense-db-not-summed", section="4. From numbers to matrices: backprop for layers",
         explanation="db is returned per sample (dZ itself); the bias is shared by the batch, so sum over axis 0.",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W, dZ.T @ X, dZ\n"),
    dict(exercise="dense_backward", id="dense-db-mean", section="4. From numbers to matrices: backprop for layers",
         explanation="db averages dZ over the batch; the chain rule sums it (any 1/n belongs in the loss).",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W, dZ.T @ X, dZ.mean(axis=0)\n"),
    dict(exercise="dense_backward", id="dense-dX-transposed-W", section="4. From numbers to matrices: backprop for layers",
         explanation="dX = dZ @ W.T only has the right shape when W is square; dX = dZ @ W.",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)\n"),
    # --- relu_backward ----------------------------------------------------------------
    dict(exercise="relu_backward", id="relu-wrong-side", section="4. From numbers to matrices: backprop for layers",
         explanation="The mask passes the gradient where Z < 0; ReLU passes it where Z > 0.",
         code="import numpy as np\ndef relu_backward(dA, Z):\n    return dA * (Z < 0)\n"),
    dict(exercise="relu_backward", id="relu-one-at-zero", section="4. From numbers to matrices: backprop for layers",
         explanation="Z >= 0 passes the gradient at Z = 0; this course's ReLU derivative is 0 there.",
         code="import numpy as np\ndef relu_backward(dA, Z):\n    return dA * (Z >= 0)\n"),
    dict(exercise="relu_backward", id="relu-times-output", section="4. From numbers to matrices: backprop for layers",
         explanation="dA is multiplied by the ReLU's output relu(Z) instead of its derivative (1 where Z > 0).",
         code="import numpy as np\ndef relu_backward(dA, Z):\n    return dA * np.maximum(0, Z)\n"),
    # --- sigmoid_backward -----------------------------------------------------------------
    dict(exercise="sigmoid_backward", id="sigmoid-z-as-output", section="4. From numbers to matrices: backprop for layers",
         explanation="Z * (1 - Z) treats the pre-activation as the sigmoid's output; compute s = sigmoid(Z) first.",
         code="import numpy as np\ndef sigmoid_backward(dA, Z):\n    return dA * Z * (1 - Z)\n"),
    dict(exercise="sigmoid_backward", id="sigmoid-no-upstream", section="4. From numbers to matrices: backprop for layers",
         explanation="Returns the local derivative s(1 - s) without multiplying by the upstream gradient dA.",
         code="import numpy as np\ndef sigmoid_backward(dA, Z):\n    s = 1 / (1 + np.exp(-Z))\n    return s * (1 - s)\n"),
    # --- softmax_cross_entropy --------------------------------------------------------------
    dict(exercise="softmax_cross_entropy", id="softmax-not-stabilized",
         section="4. From numbers to matrices: backprop for layers",
         explanation="np.exp of raw logits overflows for logits near 1000 (inf / inf = nan); subtract each row's "
                     "maximum first.",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n"
              "    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)\n"
              "    loss = np.mean(-np.log(p[np.arange(n), y]))\n"
              "    d = p.copy()\n    d[np.arange(n), y] -= 1\n    return loss, d / n\n"),
    dict(exercise="softmax_cross_entropy", id="softmax-onehot-sign", section="4. From numbers to matrices: backprop for layers",
         explanation="The gradient is onehot - softmax; it is softmax - onehot (descent would then climb the loss).",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n    s = logits - logits.max(axis=1, keepdims=True)\n"
              "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
              "    loss = np.mean(-np.log(p[np.arange(n), y]))\n"
              "    return loss, (np.eye(logits.shape[1])[y] - p) / n\n"),
    dict(exercise="softmax_cross_entropy", id="softmax-no-1-over-n", section="4. From numbers to matrices: backprop for layers",
         explanation="The loss is a mean over n samples but the gradient is not divided by n.",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n    s = logits - logits.max(axis=1, keepdims=True)\n"
              "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
              "    loss = np.mean(-np.log(p[np.arange(n), y]))\n"
              "    return loss, p - np.eye(logits.shape[1])[y]\n"),
    dict(exercise="softmax_cross_entropy", id="softmax-loss-summed", section="4. From numbers to matrices: backprop for layers",
         explanation="The loss is summed over the batch while the gradient is of the mean; both must use the mean.",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n    s = logits - logits.max(axis=1, keepdims=True)\n"
              "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
              "    loss = np.sum(-np.log(p[np.arange(n), y]))\n"
              "    return loss, (p - np.eye(logits.shape[1])[y]) / n\n"),
    # --- mse_loss --------------------------------------------------------------------
    dict(exercise="mse_loss", id="mse-no-factor-2", section="4. From numbers to matrices: backprop for layers",
         explanation="The derivative of (pred - target)**2 is 2 (pred - target); the factor 2 is missing.",
         code="import numpy as np\ndef mse_loss(pred, target):\n    d = pred - target\n"
              "    return np.mean(d ** 2), d / d.size\n"),
    dict(exercise="mse_loss", id="mse-sign-flipped", section="4. From numbers to matrices: backprop for layers",
         explanation="The gradient is 2 (target - pred) / m: the sign is flipped.",
         code="import numpy as np\ndef mse_loss(pred, target):\n    d = pred - target\n"
              "    return np.mean(d ** 2), -2 * d / d.size\n"),
    dict(exercise="mse_loss", id="mse-divides-by-rows", section="4. From numbers to matrices: backprop for layers",
         explanation="The gradient divides by the number of rows; the mean is over all entries of pred.",
         code="import numpy as np\ndef mse_loss(pred, target):\n    d = pred - target\n"
              "    return np.mean(d ** 2), 2 * d / len(d)\n"),
    # --- mlp_backward -----------------------------------------------------------------
    dict(exercise="mlp_backward", id="mlp-activation-of-output", section="4. From numbers to matrices: backprop for layers",
         explanation="The activation's backward is given the layer's output sigmoid(Z) (the next layer's input) "
                     "instead of its pre-activation Z.",
         code="def mlp_backward(dout, cache, params):\n"
              "    back = {'relu': relu_backward, 'sigmoid': sigmoid_backward, 'tanh': tanh_backward}\n"
              "    grads, dA = [None] * len(params), dout\n"
              "    for l in reversed(range(len(params))):\n"
              "        A_in, Z, act = cache[l]\n"
              "        dZ = back[act](dA, ACTIVATIONS[act](Z)) if act else dA\n"
              "        dA, dW, db = dense_backward(dZ, A_in, params[l][0])\n"
              "        grads[l] = (dW, db)\n"
              "    return grads\n"),
    dict(exercise="mlp_backward", id="mlp-no-activation-backward", section="4. From numbers to matrices: backprop for layers",
         explanation="The gradient goes through the dense layers only; each hidden activation must multiply it by f'(Z).",
         code="def mlp_backward(dout, cache, params):\n"
              "    grads, dA = [None] * len(params), dout\n"
              "    for l in reversed(range(len(params))):\n"
              "        A_in, Z, act = cache[l]\n"
              "        dA, dW, db = dense_backward(dA, A_in, params[l][0])\n"
              "        grads[l] = (dW, db)\n"
              "    return grads\n"),
    dict(exercise="mlp_backward", id="mlp-grads-reversed", section="4. From numbers to matrices: backprop for layers",
         explanation="The gradients are returned from the last layer to the first; they must follow the order of params.",
         code="def mlp_backward(dout, cache, params):\n"
              "    back = {'relu': relu_backward, 'sigmoid': sigmoid_backward, 'tanh': tanh_backward}\n"
              "    grads, dA = [], dout\n"
              "    for l in reversed(range(len(params))):\n"
              "        A_in, Z, act = cache[l]\n"
              "        dZ = back[act](dA, Z) if act else dA\n"
              "        dA, dW, db = dense_backward(dZ, A_in, params[l][0])\n"
              "        grads.append((dW, db))\n"
              "    return grads\n"),
    dict(exercise="mlp_backward", id="mlp-dout-not-propagated", section="4. From numbers to matrices: backprop for layers",
         explanation="Every layer uses dout as its upstream gradient; the layer below needs dX from the layer above.",
         code="def mlp_backward(dout, cache, params):\n"
              "    back = {'relu': relu_backward, 'sigmoid': sigmoid_backward, 'tanh': tanh_backward}\n"
              "    grads = [None] * len(params)\n"
              "    for l in reversed(range(len(params))):\n"
              "        A_in, Z, act = cache[l]\n"
              "        dA = dout if l == len(params) - 1 else dout @ params[-1][0]\n"
              "        dZ = back[act](dA, Z) if act else dA\n"
              "        _, dW, db = dense_backward(dZ, A_in, params[l][0])\n"
              "        grads[l] = (dW, db)\n"
              "    return grads\n"),
    # --- sgd_step -------------------------------------------------------------------
    dict(exercise="sgd_step", id="sgd-adds-gradient", section="4. From numbers to matrices: backprop for layers",
         explanation="The step adds lr * gradient, which climbs the loss; gradient descent subtracts it.",
         code="def sgd_step(params, grads, lr):\n"
              "    return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]\n"),
    dict(exercise="sgd_step", id="sgd-mutates-params", section="4. From numbers to matrices: backprop for layers",
         explanation="W -= lr * dW changes the caller's arrays in place; exercises return new arrays.",
         code="def sgd_step(params, grads, lr):\n"
              "    for (W, b), (dW, db) in zip(params, grads):\n"
              "        W -= lr * dW\n        b -= lr * db\n"
              "    return params\n"),
    dict(exercise="sgd_step", id="sgd-weights-only", section="4. From numbers to matrices: backprop for layers",
         explanation="Only the weights are updated; the biases are parameters too.",
         code="def sgd_step(params, grads, lr):\n"
              "    return [(W - lr * dW, b) for (W, b), (dW, db) in zip(params, grads)]\n"),
]
