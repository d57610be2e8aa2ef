"""Plausible wrong implementations of 05_backprop's exercises (see README.md).

The wrong `Value` classes are the solution's class with one rule changed: the class is
read from the solution notebook, so they stay in step with it.
"""
from pathlib import Path

from autograder.mistake_cells import SolutionCells

_changed = SolutionCells(Path(__file__).resolve().parent / "05_backprop.ipynb").changed


def _value(*replacements):
    return _changed("Value", *replacements)


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
    dict(exercise="dense_backward", id="dense-dW-transposed", section="5. From numbers to matrices: backprop for layers",
         explanation="dW = X.T @ dZ has shape (n_in, n_out), the transpose of W; dW must have W's shape: dZ.T @ X.",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W, X.T @ dZ, dZ.sum(axis=0)\n"),
    dict(exercise="dense_backward", id="dense-db-not-summed", section="5. From numbers to matrices: backprop for layers",
         explanation="db is returned per sample (dZ itself); the bias is shared by the batch, so sum over axis 0.",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W, dZ.T @ X, dZ\n"),
    dict(exercise="dense_backward", id="dense-db-mean", section="5. From numbers to matrices: backprop for layers",
         explanation="db averages dZ over the batch; the chain rule sums it (any 1/n belongs in the loss).",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W, dZ.T @ X, dZ.mean(axis=0)\n"),
    dict(exercise="dense_backward", id="dense-dX-transposed-W", section="5. From numbers to matrices: backprop for layers",
         explanation="dX = dZ @ W.T only has the right shape when W is square; dX = dZ @ W.",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W.T, dZ.T @ X, dZ.sum(axis=0)\n"),
    # --- relu_backward ----------------------------------------------------------------
    dict(exercise="relu_backward", id="relu-wrong-side", section="5. From numbers to matrices: backprop for layers",
         explanation="The mask passes the gradient where Z < 0; ReLU passes it where Z > 0.",
         code="import numpy as np\ndef relu_backward(dA, Z):\n    return dA * (Z < 0)\n"),
    dict(exercise="relu_backward", id="relu-one-at-zero", section="5. From numbers to matrices: backprop for layers",
         explanation="Z >= 0 passes the gradient at Z = 0; this course's ReLU derivative is 0 there.",
         code="import numpy as np\ndef relu_backward(dA, Z):\n    return dA * (Z >= 0)\n"),
    dict(exercise="relu_backward", id="relu-times-output", section="5. From numbers to matrices: backprop for layers",
         explanation="dA is multiplied by the ReLU's output relu(Z) instead of its derivative (1 where Z > 0).",
         code="import numpy as np\ndef relu_backward(dA, Z):\n    return dA * np.maximum(0, Z)\n"),
    # --- sigmoid_backward -----------------------------------------------------------------
    dict(exercise="sigmoid_backward", id="sigmoid-z-as-output", section="5. From numbers to matrices: backprop for layers",
         explanation="Z * (1 - Z) treats the pre-activation as the sigmoid's output; compute s = sigmoid(Z) first.",
         code="import numpy as np\ndef sigmoid_backward(dA, Z):\n    return dA * Z * (1 - Z)\n"),
    dict(exercise="sigmoid_backward", id="sigmoid-no-upstream", section="5. From numbers to matrices: backprop for layers",
         explanation="Returns the local derivative s(1 - s) without multiplying by the upstream gradient dA.",
         code="import numpy as np\ndef sigmoid_backward(dA, Z):\n    s = 1 / (1 + np.exp(-Z))\n    return s * (1 - s)\n"),
    # --- softmax_cross_entropy --------------------------------------------------------------
    dict(exercise="softmax_cross_entropy", id="softmax-not-stabilized",
         section="5. From numbers to matrices: backprop for layers",
         explanation="np.exp of raw logits overflows for logits near 1000 (inf / inf = nan); subtract each row's "
                     "maximum first.",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n"
              "    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)\n"
              "    loss = np.mean(-np.log(p[np.arange(n), y]))\n"
              "    d = p.copy()\n    d[np.arange(n), y] -= 1\n    return loss, d / n\n"),
    dict(exercise="softmax_cross_entropy", id="softmax-onehot-sign", section="5. From numbers to matrices: backprop for layers",
         explanation="The gradient is onehot - softmax; it is softmax - onehot (descent would then climb the loss).",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n    s = logits - logits.max(axis=1, keepdims=True)\n"
              "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
              "    loss = np.mean(-np.log(p[np.arange(n), y]))\n"
              "    return loss, (np.eye(logits.shape[1])[y] - p) / n\n"),
    dict(exercise="softmax_cross_entropy", id="softmax-no-1-over-n", section="5. From numbers to matrices: backprop for layers",
         explanation="The loss is a mean over n samples but the gradient is not divided by n.",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n    s = logits - logits.max(axis=1, keepdims=True)\n"
              "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
              "    loss = np.mean(-np.log(p[np.arange(n), y]))\n"
              "    return loss, p - np.eye(logits.shape[1])[y]\n"),
    dict(exercise="softmax_cross_entropy", id="softmax-loss-summed", section="5. From numbers to matrices: backprop for layers",
         explanation="The loss is summed over the batch while the gradient is of the mean; both must use the mean.",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n    s = logits - logits.max(axis=1, keepdims=True)\n"
              "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
              "    loss = np.sum(-np.log(p[np.arange(n), y]))\n"
              "    return loss, (p - np.eye(logits.shape[1])[y]) / n\n"),
    # --- mse_loss --------------------------------------------------------------------
    dict(exercise="mse_loss", id="mse-no-factor-2", section="5. From numbers to matrices: backprop for layers",
         explanation="The derivative of (pred - target)**2 is 2 (pred - target); the factor 2 is missing.",
         code="import numpy as np\ndef mse_loss(pred, target):\n    d = pred - target\n"
              "    return np.mean(d ** 2), d / d.size\n"),
    dict(exercise="mse_loss", id="mse-sign-flipped", section="5. From numbers to matrices: backprop for layers",
         explanation="The gradient is 2 (target - pred) / m: the sign is flipped.",
         code="import numpy as np\ndef mse_loss(pred, target):\n    d = pred - target\n"
              "    return np.mean(d ** 2), -2 * d / d.size\n"),
    dict(exercise="mse_loss", id="mse-divides-by-rows", section="5. From numbers to matrices: backprop for layers",
         explanation="The gradient divides by the number of rows; the mean is over all entries of pred.",
         code="import numpy as np\ndef mse_loss(pred, target):\n    d = pred - target\n"
              "    return np.mean(d ** 2), 2 * d / len(d)\n"),
    # --- mlp_backward -----------------------------------------------------------------
    dict(exercise="mlp_backward", id="mlp-activation-of-output", section="5. From numbers to matrices: backprop for layers",
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
    dict(exercise="mlp_backward", id="mlp-no-activation-backward", section="5. From numbers to matrices: backprop for layers",
         explanation="The gradient goes through the dense layers only; each hidden activation must multiply it by f'(Z).",
         code="def mlp_backward(dout, cache, params):\n"
              "    grads, dA = [None] * len(params), dout\n"
              "    for l in reversed(range(len(params))):\n"
              "        A_in, Z, act = cache[l]\n"
              "        dA, dW, db = dense_backward(dA, A_in, params[l][0])\n"
              "        grads[l] = (dW, db)\n"
              "    return grads\n"),
    dict(exercise="mlp_backward", id="mlp-grads-reversed", section="5. From numbers to matrices: backprop for layers",
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
    dict(exercise="mlp_backward", id="mlp-dout-not-propagated", section="5. From numbers to matrices: backprop for layers",
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
    dict(exercise="sgd_step", id="sgd-adds-gradient", section="5. From numbers to matrices: backprop for layers",
         explanation="The step adds lr * gradient, which climbs the loss; gradient descent subtracts it.",
         code="def sgd_step(params, grads, lr):\n"
              "    return [(W + lr * dW, b + lr * db) for (W, b), (dW, db) in zip(params, grads)]\n"),
    dict(exercise="sgd_step", id="sgd-mutates-params", section="5. From numbers to matrices: backprop for layers",
         explanation="W -= lr * dW changes the caller's arrays in place; exercises return new arrays.",
         code="def sgd_step(params, grads, lr):\n"
              "    for (W, b), (dW, db) in zip(params, grads):\n"
              "        W -= lr * dW\n        b -= lr * db\n"
              "    return params\n"),
    dict(exercise="sgd_step", id="sgd-weights-only", section="5. From numbers to matrices: backprop for layers",
         explanation="Only the weights are updated; the biases are parameters too.",
         code="def sgd_step(params, grads, lr):\n"
              "    return [(W - lr * dW, b) for (W, b), (dW, db) in zip(params, grads)]\n"),
    # --- a network on Value ----------------------------------------------------------------
    dict(exercise="Neuron", id="neuron-no-bias", section="4. A network on your own `Value`",
         explanation="The neuron's sum leaves out the bias b: it computes relu(w . x) instead of relu(w . x + b).",
         code=_changed("Neuron", ("        act = self.b\n", "        act = Value(0.0)\n"))),
    dict(exercise="Neuron", id="neuron-ignores-nonlin", section="4. A network on your own `Value`",
         explanation="ReLU is applied whatever nonlin says; a neuron made with nonlin=False (an output neuron) is linear.",
         code=_changed("Neuron", ("        return act.relu() if self.nonlin else act\n", "        return act.relu()\n"))),
    dict(exercise="Neuron", id="neuron-never-relu", section="4. A network on your own `Value`",
         explanation="The neuron never applies ReLU; with nonlin=True the weighted sum must go through relu.",
         code=_changed("Neuron", ("        return act.relu() if self.nonlin else act\n", "        return act\n"))),
    dict(exercise="Neuron", id="neuron-params-no-bias", section="4. A network on your own `Value`",
         explanation="parameters() lists the weights but not the bias, so training (and zero_grad) never touch b.",
         code=_changed("Neuron", ("        return self.w + [self.b]\n", "        return list(self.w)\n"))),
    dict(exercise="Neuron", id="neuron-detached", section="4. A network on your own `Value`",
         explanation="The sum is computed from the numbers w.data and then wrapped in a new Value, which has no "
                     "children: the output's value is right, but backward() cannot reach the weights.",
         code=_changed("Neuron", ("        act = self.b\n        for wi, xi in zip(self.w, x):\n            act = act + wi * xi\n",
                                  "        total = self.b.data\n        for wi, xi in zip(self.w, x):\n"
                                  "            total += wi.data * (xi.data if isinstance(xi, Value) else xi)\n"
                                  "        act = Value(total)\n"))),
    dict(exercise="Layer", id="layer-params-nested", section="4. A network on your own `Value`",
         explanation="parameters() returns one list per neuron (a list of lists); it must be one flat list of Values.",
         code=_changed("Layer", ("        return [p for neuron in self.neurons for p in neuron.parameters()]\n",
                                 "        return [neuron.parameters() for neuron in self.neurons]\n"))),
    dict(exercise="Layer", id="layer-unwraps-single", section="4. A network on your own `Value`",
         explanation="A layer of one neuron returns that neuron's Value instead of a list of one Value; a layer "
                     "always returns a list.",
         code=_changed("Layer", ("        return [neuron(x) for neuron in self.neurons]\n",
                                 "        out = [neuron(x) for neuron in self.neurons]\n"
                                 "        return out[0] if len(out) == 1 else out\n"))),
    dict(exercise="Layer", id="layer-params-weights-only", section="4. A network on your own `Value`",
         explanation="parameters() collects the neurons' weights but not their biases.",
         code=_changed("Layer", ("        return [p for neuron in self.neurons for p in neuron.parameters()]\n",
                                 "        return [w for neuron in self.neurons for w in neuron.w]\n"))),
    dict(exercise="MLP", id="mlp-layers-not-chained", section="4. A network on your own `Value`",
         explanation="Every layer is called on the network's input x; each layer must be called on the outputs of "
                     "the layer before it.",
         code=_changed("MLP", ("        for layer in self.layers:\n            x = layer(x)\n        return x\n",
                               "        outputs = [layer(x) for layer in self.layers]\n        return outputs[-1]\n"))),
    dict(exercise="MLP", id="mlp-params-last-layer", section="4. A network on your own `Value`",
         explanation="parameters() returns only the last layer's parameters, so the hidden layers never train.",
         code=_changed("MLP", ("        return [p for layer in self.layers for p in layer.parameters()]\n",
                               "        return self.layers[-1].parameters()\n"))),
    dict(exercise="MLP", id="mlp-params-nested", section="4. A network on your own `Value`",
         explanation="parameters() returns one list per layer; it must be one flat list of Values.",
         code=_changed("MLP", ("        return [p for layer in self.layers for p in layer.parameters()]\n",
                               "        return [layer.parameters() for layer in self.layers]\n"))),
    dict(exercise="value_train_step", id="train-no-zero-grad", section="4. A network on your own `Value`",
         explanation="The gradients are not zeroed before backward(); since backward adds into grad, each step uses "
                     "the sum of this batch's gradient and every earlier one.",
         code=_changed("value_train_step", ("    model.zero_grad()\n", ""))),
    dict(exercise="value_train_step", id="train-zero-grad-after-backward", section="4. A network on your own `Value`",
         explanation="zero_grad() is called after backward() and before the update, which wipes the gradients: "
                     "the parameters never move.",
         code=_changed("value_train_step", ("    model.zero_grad()\n", ""),
                       ("    loss.backward()\n", "    loss.backward()\n    model.zero_grad()\n"))),
    dict(exercise="value_train_step", id="train-rebinds-parameter", section="4. A network on your own `Value`",
         explanation="p = p - lr * p.grad makes a new Value and gives it the name p; the model still holds the old "
                     "Value, unchanged. Update the model's own Values in place: p.data -= lr * p.grad.",
         code=_changed("value_train_step", ("        p.data -= lr * p.grad\n", "        p = p - lr * p.grad\n"))),
    dict(exercise="value_train_step", id="train-climbs", section="4. A network on your own `Value`",
         explanation="The update adds lr * grad, which climbs the loss; gradient descent subtracts it.",
         code=_changed("value_train_step", ("        p.data -= lr * p.grad\n", "        p.data += lr * p.grad\n"))),
    # --- new checks on the layers ------------------------------------------------------------
    dict(exercise="dense_backward", id="dense-db-keepdims", section="5. From numbers to matrices: backprop for layers",
         explanation="db is summed with keepdims=True, shape (1, n_out); it must have b's shape, (n_out,).",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W, dZ.T @ X, dZ.sum(axis=0, keepdims=True)\n"),
    dict(exercise="dense_backward", id="dense-db-wrong-axis", section="5. From numbers to matrices: backprop for layers",
         explanation="db sums over the outputs (axis 1), one number per sample; the bias is shared by the samples, "
                     "so sum over the batch axis 0.",
         code="import numpy as np\ndef dense_backward(dZ, X, W):\n    return dZ @ W, dZ.T @ X, dZ.sum(axis=1)\n"),
    dict(exercise="relu_backward", id="relu-in-place", section="5. From numbers to matrices: backprop for layers",
         explanation="dA[Z <= 0] = 0 writes into the caller's upstream gradient and returns it; build a new array.",
         code="import numpy as np\ndef relu_backward(dA, Z):\n    dA[Z <= 0] = 0\n    return dA\n"),
    dict(exercise="sigmoid_backward", id="sigmoid-unstable", section="5. From numbers to matrices: backprop for layers",
         explanation="1 / (1 + exp(-Z)) overflows for very negative Z; use the given stable sigmoid.",
         code="import numpy as np\ndef sigmoid_backward(dA, Z):\n    s = 1 / (1 + np.exp(-Z))\n    return dA * s * (1 - s)\n"),
    dict(exercise="softmax_jacobian", id="jacobian-diagonal-only", section="5. From numbers to matrices: backprop for layers",
         explanation="Only the diagonal p_i (1 - p_i) is kept; every p_i also depends on the other logits through "
                     "the sum in the denominator, so the off-diagonal entries are -p_i p_j.",
         code="import numpy as np\ndef softmax_jacobian(z):\n    p = softmax(z)\n    return np.diag(p * (1 - p))\n"),
    dict(exercise="softmax_jacobian", id="jacobian-plus-outer", section="5. From numbers to matrices: backprop for layers",
         explanation="The outer product is added instead of subtracted: raising one logit lowers every other probability.",
         code="import numpy as np\ndef softmax_jacobian(z):\n    p = softmax(z)\n    return np.diag(p) + np.outer(p, p)\n"),
    dict(exercise="softmax_jacobian", id="jacobian-no-diagonal-term", section="5. From numbers to matrices: backprop for layers",
         explanation="-p_i p_j alone misses the diagonal term p_i that comes from the numerator e^{z_i} when i = j.",
         code="import numpy as np\ndef softmax_jacobian(z):\n    p = softmax(z)\n    return -np.outer(p, p)\n"),
    dict(exercise="softmax_jacobian", id="jacobian-unstable", section="5. From numbers to matrices: backprop for layers",
         explanation="exp of the raw logits overflows for large logits (inf / inf = nan); use the given stable softmax.",
         code="import numpy as np\ndef softmax_jacobian(z):\n    e = np.exp(z)\n    p = e / e.sum()\n"
              "    return np.diag(p) - np.outer(p, p)\n"),
    dict(exercise="softmax_cross_entropy", id="softmax-max-without-keepdims",
         section="5. From numbers to matrices: backprop for layers",
         explanation="logits.max(axis=1) without keepdims has shape (n,), which broadcasts along the wrong axis "
                     "(or fails) when subtracted from the (n, k) logits; keep the axis.",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n    s = logits - logits.max(axis=1)\n"
              "    p = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)\n"
              "    loss = np.mean(-np.log(p[np.arange(n), y]))\n"
              "    return loss, (p - np.eye(logits.shape[1])[y]) / n\n"),
    dict(exercise="softmax_cross_entropy", id="softmax-shifts-in-place", section="5. From numbers to matrices: backprop for layers",
         explanation="logits -= logits.max(...) shifts the caller's array in place; subtract into a new array.",
         code="import numpy as np\ndef softmax_cross_entropy(logits, y):\n"
              "    n = logits.shape[0]\n    logits -= logits.max(axis=1, keepdims=True)\n"
              "    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)\n"
              "    loss = np.mean(-np.log(p[np.arange(n), y]))\n"
              "    return loss, (p - np.eye(logits.shape[1])[y]) / n\n"),
    dict(exercise="mse_loss", id="mse-loss-summed", section="5. From numbers to matrices: backprop for layers",
         explanation="The loss is summed over the entries while its gradient is of the mean; this course's MSE is a mean.",
         code="import numpy as np\ndef mse_loss(pred, target):\n    d = pred - target\n"
              "    return float(np.sum(d ** 2)), 2 * d / d.size\n"),
    dict(exercise="mlp_backward", id="mlp-skips-first-layer", section="5. From numbers to matrices: backprop for layers",
         explanation="The loop over the layers stops one short (range from 1): the first layer gets no gradient.",
         code="def mlp_backward(dout, cache, params):\n"
              "    back = {'relu': relu_backward, 'sigmoid': sigmoid_backward, 'tanh': tanh_backward}\n"
              "    grads, dA = [None] * len(params), dout\n"
              "    for l in reversed(range(1, len(params))):\n"
              "        A_in, Z, act = cache[l]\n"
              "        dZ = back[act](dA, Z) if act else dA\n"
              "        dA, dW, db = dense_backward(dZ, A_in, params[l][0])\n"
              "        grads[l] = (dW, db)\n"
              "    return grads\n"),
    dict(exercise="sgd_step", id="sgd-bias-without-lr", section="5. From numbers to matrices: backprop for layers",
         explanation="The bias moves by its whole gradient, b - db; every parameter's step is lr times its gradient.",
         code="def sgd_step(params, grads, lr):\n"
              "    return [(W - lr * dW, b - db) for (W, b), (dW, db) in zip(params, grads)]\n"),
]
