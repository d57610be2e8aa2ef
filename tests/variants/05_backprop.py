"""Correct answers to 05_backprop written differently from the reference (see README.md beside this file).

Two sets, each answering every exercise: "loops-float32" (loops, float32 arithmetic, explicit
indices) and "helpers-other-names" (helper functions, other names, other valid formulas).
"""

# backward() with an explicit stack instead of recursion
_STACK_BACKWARD = '''    def backward(self):
        order, done, stack = [], set(), [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if id(node) in done:
                continue
            done.add(id(node))
            stack.append((node, True))
            for child in node._prev:
                if id(child) not in done:
                    stack.append((child, False))
        self.grad = 1.0
        for node in order[::-1]:
            node._backward()
'''

_VALUE_LOOPS = '''class Value:
    """Scalar autograd node (variant: iterative topological sort, rules written out)."""

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            g = out.grad
            self.grad = self.grad + 1.0 * g
            other.grad = other.grad + 1.0 * g
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            a, b = self.data, other.data
            self.grad = self.grad + b * out.grad
            other.grad = other.grad + a * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        assert isinstance(k, (int, float)), "only a number exponent is supported"
        out = Value(self.data ** k, (self,), f"**{k}")

        def _backward():
            local = k * (self.data ** (k - 1))
            self.grad = self.grad + local * out.grad
        out._backward = _backward
        return out

    def exp(self):
        out = Value(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad = self.grad + math.exp(self.data) * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        out = Value(math.tanh(self.data), (self,), "tanh")

        def _backward():
            t = math.tanh(self.data)
            self.grad = self.grad + (1.0 - t * t) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        x = self.data
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        out = Value(s, (self,), "sigmoid")

        def _backward():
            o = out.data
            self.grad = self.grad + (o - o * o) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():
            if self.data > 0:
                self.grad = self.grad + out.grad
        out._backward = _backward
        return out

''' + _STACK_BACKWARD + '''
    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * other ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return (-self) + other

    def __rtruediv__(self, other):
        return Value(other) * self ** -1
'''

_VALUE_HELPERS = _VALUE_LOOPS.replace(_STACK_BACKWARD, '''    def _topological(self):
        """Nodes in an order where every node comes after its inputs (Kahn's algorithm)."""
        nodes, todo = {}, [self]
        while todo:
            node = todo.pop()
            if id(node) not in nodes:
                nodes[id(node)] = node
                todo.extend(node._prev)
        users = {key: 0 for key in nodes}
        for node in nodes.values():
            for child in node._prev:
                users[id(child)] += 1
        ready, reverse_order = [self], []
        while ready:
            node = ready.pop()
            reverse_order.append(node)
            for child in node._prev:
                users[id(child)] -= 1
                if users[id(child)] == 0:
                    ready.append(child)
        return reverse_order

    def backward(self):
        self.grad = 1.0
        for node in self._topological():
            node._backward()
''')

_NEURON_HEAD = '''class Neuron(Module):
    """One neuron (variant)."""

    def __init__(self, n_in, nonlin=True, seed=None):
        rng = np.random.default_rng(seed)
        self.w = [Value(float(v)) for v in rng.uniform(-1.0, 1.0, size=n_in)]
        self.b = Value(0.0)
        self.nonlin = nonlin
'''
_LAYER_HEAD = '''class Layer(Module):
    """A layer of neurons (variant)."""

    def __init__(self, n_in, n_out, seed=None, **kw):
        seeds = np.random.default_rng(seed).integers(2**31, size=n_out)
        self.neurons = [Neuron(n_in, seed=int(s), **kw) for s in seeds]
'''
_MLP_HEAD = '''class MLP(Module):
    """A multilayer perceptron (variant)."""

    def __init__(self, n_in, sizes, seed=0):
        dims = [n_in] + list(sizes)
        seeds = np.random.default_rng(seed).integers(2**31, size=len(sizes))
        self.layers = [Layer(dims[l], dims[l + 1], seed=int(seeds[l]), nonlin=l < len(sizes) - 1)
                       for l in range(len(sizes))]
'''

LOOPS = {
    "Value": _VALUE_LOOPS,
    "Neuron": _NEURON_HEAD + '''
    def __call__(self, x):
        total = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        if self.nonlin:
            total = total.relu()
        return total

    def parameters(self):
        params = []
        for wi in self.w:
            params.append(wi)
        params.append(self.b)
        return params
''',
    "Layer": _LAYER_HEAD + '''
    def __call__(self, x):
        outputs = []
        for j in range(len(self.neurons)):
            outputs.append(self.neurons[j](x))
        return outputs

    def parameters(self):
        params = []
        for neuron in self.neurons:
            params.extend(neuron.parameters())
        return params
''',
    "MLP": _MLP_HEAD + '''
    def __call__(self, x):
        values = list(x)
        for l in range(len(self.layers)):
            values = self.layers[l](values)
        return values

    def parameters(self):
        params = []
        for layer in self.layers:
            params += layer.parameters()
        return params
''',
    "value_train_step": '''def value_train_step(model, X, y, lr):
    params = model.parameters()
    for p in params:
        p.grad = 0.0
    scores = []
    for i in range(len(X)):
        scores.append(model(list(X[i]))[0])
    loss = hinge_loss(scores, y)
    loss.backward()
    for p in params:
        p.data = p.data - lr * p.grad
    return loss.data
''',
    "dense_backward": '''def dense_backward(dZ, X, W):
    dZ = np.asarray(dZ, dtype=np.float32)
    X = np.asarray(X, dtype=np.float32)
    W = np.asarray(W, dtype=np.float32)
    n_out = dZ.shape[1]
    dX = np.zeros(X.shape, dtype=np.float32)
    dW = np.zeros((n_out, X.shape[1]), dtype=np.float32)
    db = np.zeros(n_out, dtype=np.float32)
    for j in range(n_out):              # one output unit at a time
        column = dZ[:, j]
        dW[j] = column @ X
        db[j] = column.sum()
        dX += np.outer(column, W[j])
    return dX, dW, db
''',
    "relu_backward": '''def relu_backward(dA, Z):
    dA = np.asarray(dA, dtype=np.float32)
    return np.where(np.asarray(Z) > 0, dA, np.float32(0))
''',
    "sigmoid_backward": '''def sigmoid_backward(dA, Z):
    Z = np.asarray(Z, dtype=np.float32)
    s = np.float32(0.5) * (1 + np.tanh(Z / 2))      # sigmoid(z) = (1 + tanh(z/2)) / 2, no overflow
    return np.asarray(dA, dtype=np.float32) * s * (1 - s)
''',
    "softmax_jacobian": '''def softmax_jacobian(z):
    p = softmax(z)
    k = len(p)
    J = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            if i == j:
                J[i, j] = p[i] * (1 - p[i])
            else:
                J[i, j] = -p[i] * p[j]
    return J
''',
    "softmax_cross_entropy": '''def softmax_cross_entropy(logits, y):
    logits = np.asarray(logits, dtype=np.float32)
    n, k = logits.shape
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)
    exps = np.empty_like(shifted)
    for c in range(k):                  # one class at a time
        exps[:, c] = np.exp(shifted[:, c])
    totals = exps.sum(axis=1)
    loss = float(np.mean(np.log(totals) - shifted[rows, y]))
    d = exps / totals[:, None]
    d[rows, y] -= 1
    return loss, d / n
''',
    "mse_loss": '''def mse_loss(pred, target):
    pred = np.asarray(pred, dtype=np.float32)
    target = np.asarray(target, dtype=np.float32)
    flat_p, flat_t = pred.ravel(), target.ravel()
    m = flat_p.size
    total = 0.0
    grad = np.zeros(m, dtype=np.float32)
    for i in range(m):
        e = flat_p[i] - flat_t[i]
        total += float(e) ** 2
        grad[i] = 2 * e / m
    return total / m, grad.reshape(pred.shape)
''',
    "mlp_backward": '''def mlp_backward(dout, cache, params):
    grads = []
    upstream = dout
    for l in range(len(params) - 1, -1, -1):
        A_in, Z, act = cache[l]
        if act == "relu":
            dZ = relu_backward(upstream, Z)
        elif act == "sigmoid":
            dZ = sigmoid_backward(upstream, Z)
        elif act == "tanh":
            dZ = tanh_backward(upstream, Z)
        else:
            dZ = upstream
        upstream, dW, db = dense_backward(dZ, A_in, params[l][0])
        grads.insert(0, (dW, db))
    return grads
''',
    "sgd_step": '''def sgd_step(params, grads, lr):
    new = []
    for l in range(len(params)):
        W = params[l][0].astype(np.float32, copy=True)
        b = params[l][1].astype(np.float32, copy=True)
        W -= np.float32(lr) * grads[l][0]
        b -= np.float32(lr) * grads[l][1]
        new.append((W, b))
    return new
''',
}

HELPERS = {
    "Value": _VALUE_HELPERS,
    "Neuron": _NEURON_HEAD + '''
    def _pre_activation(self, x):
        out = self.b
        for weight, inp in zip(self.w, x):
            out = weight * inp + out
        return out

    def __call__(self, x):
        z = self._pre_activation(x)
        return z.relu() if self.nonlin else z

    def parameters(self):
        return [*self.w, self.b]
''',
    "Layer": _LAYER_HEAD + '''
    def __call__(self, x):
        return list(map(lambda neuron: neuron(x), self.neurons))

    def parameters(self):
        return sum((neuron.parameters() for neuron in self.neurons), [])
''',
    "MLP": _MLP_HEAD + '''
    def __call__(self, x):
        import functools
        return functools.reduce(lambda inputs, layer: layer(inputs), self.layers, x)

    def parameters(self):
        import itertools
        return list(itertools.chain.from_iterable(layer.parameters() for layer in self.layers))
''',
    "value_train_step": '''def _batch_loss(model, X, y):
    return hinge_loss([model([float(v) for v in row])[0] for row in X], y)

def value_train_step(model, X, y, lr):
    model.zero_grad()
    loss = _batch_loss(model, X, y)
    loss.backward()
    for parameter in model.parameters():
        parameter.data += -lr * parameter.grad
    return float(loss.data)
''',
    "dense_backward": '''def dense_backward(dZ, X, W):
    upstream = np.asarray(dZ, dtype=float)
    grad_W = np.einsum("ij,ik->jk", upstream, X)
    grad_X = np.einsum("ij,jk->ik", upstream, W)
    grad_b = np.einsum("ij->j", upstream)
    return grad_X, grad_W, grad_b
''',
    "relu_backward": '''def relu_backward(dA, Z):
    grad = np.array(dA, dtype=float, copy=True)
    grad[np.asarray(Z) <= 0] = 0.0
    return grad
''',
    "sigmoid_backward": '''def _stable_sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))

def sigmoid_backward(dA, Z):
    s = _stable_sigmoid(Z)
    return dA * (s - s ** 2)
''',
    "softmax_jacobian": '''def softmax_jacobian(z):
    p = softmax(z)
    return p[:, None] * (np.eye(len(p)) - p[None, :])
''',
    "softmax_cross_entropy": '''def _log_softmax(logits):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))

def softmax_cross_entropy(logits, y):
    log_p = _log_softmax(np.asarray(logits, dtype=float))
    n, k = log_p.shape
    onehot = np.eye(k)[np.asarray(y)]
    loss = -np.sum(onehot * log_p) / n
    return float(loss), (np.exp(log_p) - onehot) / n
''',
    "mse_loss": '''def mse_loss(pred, target):
    residual = np.subtract(pred, target, dtype=float)
    m = np.prod(residual.shape)
    return float((residual ** 2).sum() / m), residual * (2.0 / m)
''',
    "mlp_backward": '''def _activation_backward(name, dA, Z):
    if name is None:
        return dA
    return {"relu": relu_backward, "sigmoid": sigmoid_backward, "tanh": tanh_backward}[name](dA, Z)

def mlp_backward(dout, cache, params):
    def back(l, dA):
        if l < 0:
            return []
        A_in, Z, act = cache[l]
        dX, dW, db = dense_backward(_activation_backward(act, dA, Z), A_in, params[l][0])
        return back(l - 1, dX) + [(dW, db)]
    return back(len(params) - 1, dout)
''',
    "sgd_step": '''def sgd_step(params, grads, lr):
    def step(p, g):
        return np.subtract(p, np.multiply(lr, g))
    return [tuple(step(p, g) for p, g in zip(layer, layer_grads)) for layer, layer_grads in zip(params, grads)]
''',
}

VARIANTS = [
    {"id": "loops-float32", "answers": LOOPS},
    {"id": "helpers-other-names", "answers": HELPERS},
]
