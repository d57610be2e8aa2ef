"""Plausible wrong implementations of 04_chain_rule's exercises (see README.md)."""

_NET_HEAD = (
    "import numpy as np\n"
    "def scalar_net_grads(x, y, params):\n"
    "    w1, b1, w2, b2, w3, b3 = (params[k] for k in ('w1', 'b1', 'w2', 'b2', 'w3', 'b3'))\n"
    "    h1 = 1 / (1 + np.exp(-(w1 * x + b1)))\n"
    "    h2 = 1 / (1 + np.exp(-(w2 * h1 + b2)))\n"
    "    y_hat = w3 * h2 + b3\n"
)
_NET_TAIL = (
    "    return {'w3': d * h2, 'b3': d, 'w2': dz2 * h1, 'b2': dz2, 'w1': dz1 * x, 'b1': dz1}\n"
)

MISTAKES = [
    # --- numerical_derivative -------------------------------------------------------
    dict(exercise="numerical_derivative", id="one-sided", section="2. Checking derivatives numerically",
         explanation="The one-sided difference (f(x+h) - f(x)) / h has an error proportional to h; "
                     "the central difference's error is proportional to h**2.",
         code="def numerical_derivative(f, x, h=1e-5):\n    return (f(x + h) - f(x)) / h\n"),
    dict(exercise="numerical_derivative", id="divide-by-h", section="2. Checking derivatives numerically",
         explanation="f(x+h) and f(x-h) are 2h apart, so their difference must be divided by 2h, not h; "
                     "this doubles every derivative.",
         code="def numerical_derivative(f, x, h=1e-5):\n    return (f(x + h) - f(x - h)) / h\n"),
    dict(exercise="numerical_derivative", id="backward-sign", section="2. Checking derivatives numerically",
         explanation="The difference is taken in the wrong order, f(x-h) - f(x+h), which flips the sign.",
         code="def numerical_derivative(f, x, h=1e-5):\n    return (f(x - h) - f(x + h)) / (2 * h)\n"),
    dict(exercise="numerical_derivative", id="ignores-h", section="2. Checking derivatives numerically",
         explanation="A fixed step of 1e-3 replaces the argument h: the caller's step is ignored and the "
                     "default is less accurate than the required 1e-5.",
         code="def numerical_derivative(f, x, h=1e-5):\n    step = 1e-3\n"
              "    return (f(x + step) - f(x - step)) / (2 * step)\n"),
    dict(exercise="numerical_derivative", id="backward-difference", section="2. Checking derivatives numerically",
         explanation="(f(x) - f(x-h)) / h is the one-sided difference from the left; its error shrinks only "
                     "like h. The central difference uses the two points x + h and x - h.",
         code="def numerical_derivative(f, x, h=1e-5):\n    return (f(x) - f(x - h)) / h\n"),
    dict(exercise="numerical_derivative", id="default-h-too-small", section="2. Checking derivatives numerically",
         explanation="A default step of 1e-12 is not more accurate: round-off, about 1e-16 / h, takes over "
                     "below h = 1e-5 (see the error plot), so the estimate is off in the fifth digit.",
         code="def numerical_derivative(f, x, h=1e-12):\n    return (f(x + h) - f(x - h)) / (2 * h)\n"),
    # --- add_mul_grads ----------------------------------------------------------------
    dict(exercise="add_mul_grads", id="mul-not-swapped", section="3. A computational graph: $f = (x + y)\\,z$",
         explanation="The multiply gate's local gradients are not swapped: df/dq is z and df/dz is q, "
                     "not the other way round.",
         code="def add_mul_grads(x, y, z):\n    q = x + y\n    return q * z, q, q, z\n"),
    dict(exercise="add_mul_grads", id="no-upstream", section="3. A computational graph: $f = (x + y)\\,z$",
         explanation="dfdx and dfdy are only the add gate's local gradients (1); they must be multiplied by "
                     "the upstream gradient df/dq = z.",
         code="def add_mul_grads(x, y, z):\n    q = x + y\n    return q * z, 1.0, 1.0, q\n"),
    dict(exercise="add_mul_grads", id="swap-dfdx-dfdz", section="3. A computational graph: $f = (x + y)\\,z$",
         explanation="dfdx and dfdz are returned in each other's places; the order is (f, dfdx, dfdy, dfdz).",
         code="def add_mul_grads(x, y, z):\n    q = x + y\n    return q * z, q, z, z\n"),
    dict(exercise="add_mul_grads", id="precedence", section="3. A computational graph: $f = (x + y)\\,z$",
         explanation="x + y * z is computed instead of (x + y) * z: without parentheses the product comes first.",
         code="def add_mul_grads(x, y, z):\n    return x + y * z, z, z, x + y\n"),
    dict(exercise="add_mul_grads", id="upstream-plus-local", section="3. A computational graph: $f = (x + y)\\,z$",
         explanation="The upstream gradient z and the add gate's local gradient 1 are added; the chain rule "
                     "multiplies them along a path: df/dx = df/dq * dq/dx.",
         code="def add_mul_grads(x, y, z):\n    q = x + y\n    return q * z, z + 1, z + 1, q\n"),
    # --- shared_input_grads -----------------------------------------------------------
    dict(exercise="shared_input_grads", id="one-path-u", section="4. When paths meet, gradients add up",
         explanation="dfdb keeps only the path through u = a + b; b also reaches f through v = b + c, and "
                     "the two paths' contributions add.",
         code="def shared_input_grads(a, b, c):\n    u, v = a + b, b + c\n    return u * v, v, v, u\n"),
    dict(exercise="shared_input_grads", id="one-path-v", section="4. When paths meet, gradients add up",
         explanation="dfdb keeps only the path through v = b + c; the path through u = a + b is missing.",
         code="def shared_input_grads(a, b, c):\n    u, v = a + b, b + c\n    return u * v, v, u, u\n"),
    dict(exercise="shared_input_grads", id="paths-multiplied", section="4. When paths meet, gradients add up",
         explanation="The two paths' contributions to dfdb are multiplied; paths add, factors along one path multiply.",
         code="def shared_input_grads(a, b, c):\n    u, v = a + b, b + c\n    return u * v, v, u * v, u\n"),
    dict(exercise="shared_input_grads", id="a-c-swapped", section="4. When paths meet, gradients add up",
         explanation="dfda and dfdc are swapped: a enters through u, so df/da = df/du = v = b + c.",
         code="def shared_input_grads(a, b, c):\n    u, v = a + b, b + c\n    return u * v, u, u + v, v\n"),
    dict(exercise="shared_input_grads", id="shared-no-upstream", section="4. When paths meet, gradients add up",
         explanation="Only the add gates' local gradients are returned (1, and 1 + 1 for b); each path's "
                     "local gradient must be multiplied by the upstream gradient df/du or df/dv.",
         code="def shared_input_grads(a, b, c):\n    return (a + b) * (b + c), 1.0, 2.0, 1.0\n"),
    # --- sigmoid_neuron_grads ---------------------------------------------------------
    dict(exercise="sigmoid_neuron_grads", id="sigma-one-plus", section="5. The sigmoid and its derivative",
         explanation="sigma * (1 + sigma) is used as the sigmoid's derivative; it is sigma * (1 - sigma).",
         code="import numpy as np\ndef sigmoid_neuron_grads(w0, x0, w1, x1, w2):\n"
              "    s = 1 / (1 + np.exp(-(w0 * x0 + w1 * x1 + w2)))\n    d = s * (1 + s)\n"
              "    return {'w0': x0 * d, 'x0': w0 * d, 'w1': x1 * d, 'x1': w1 * d, 'w2': d}\n"),
    dict(exercise="sigmoid_neuron_grads", id="no-sigmoid-factor", section="6. A sigmoid neuron, stage by stage",
         explanation="The final sigmoid factor is missing: these are the gradients of z = w0*x0 + w1*x1 + w2, "
                     "not of f = sigmoid(z).",
         code="def sigmoid_neuron_grads(w0, x0, w1, x1, w2):\n"
              "    return {'w0': x0, 'x0': w0, 'w1': x1, 'x1': w1, 'w2': 1.0}\n"),
    dict(exercise="sigmoid_neuron_grads", id="sigma-prime-of-sigma", section="5. The sigmoid and its derivative",
         explanation="The sigmoid's derivative is evaluated at the wrong point, sigma'(sigma(z)); it belongs "
                     "at the unit's input z: sigma(z) * (1 - sigma(z)).",
         code="import numpy as np\ndef sigmoid_neuron_grads(w0, x0, w1, x1, w2):\n"
              "    sg = lambda t: 1 / (1 + np.exp(-t))\n"
              "    s = sg(sg(w0 * x0 + w1 * x1 + w2))\n    d = s * (1 - s)\n"
              "    return {'w0': x0 * d, 'x0': w0 * d, 'w1': x1 * d, 'x1': w1 * d, 'w2': d}\n"),
    dict(exercise="sigmoid_neuron_grads", id="weights-inputs-swapped", section="3. A computational graph: $f = (x + y)\\,z$",
         explanation="Each weight gets its own value as the local gradient; a multiply gate swaps, so "
                     "df/dw0 = x0 * sigma'(z) and df/dx0 = w0 * sigma'(z).",
         code="import numpy as np\ndef sigmoid_neuron_grads(w0, x0, w1, x1, w2):\n"
              "    s = 1 / (1 + np.exp(-(w0 * x0 + w1 * x1 + w2)))\n    d = s * (1 - s)\n"
              "    return {'w0': w0 * d, 'x0': x0 * d, 'w1': w1 * d, 'x1': x1 * d, 'w2': d}\n"),
    dict(exercise="sigmoid_neuron_grads", id="staged-sign", section="6. A sigmoid neuron, stage by stage",
         explanation="In the staged version the factor d(alpha)/dz = -1 is dropped, so every gradient has "
                     "the wrong sign.",
         code="import numpy as np\ndef sigmoid_neuron_grads(w0, x0, w1, x1, w2):\n"
              "    alpha = -(w0 * x0 + w1 * x1 + w2)\n    beta = np.exp(alpha)\n    r = 1 + beta\n"
              "    d = (-1 / r**2) * 1 * beta\n"
              "    return {'w0': x0 * d, 'x0': w0 * d, 'w1': x1 * d, 'x1': w1 * d, 'w2': d}\n"),
    dict(exercise="sigmoid_neuron_grads", id="bias-not-chained", section="6. A sigmoid neuron, stage by stage",
         explanation="The bias w2 gets its local gradient 1 only; like every other argument it also gets the "
                     "upstream gradient df/dz, so df/dw2 = df/dz * 1.",
         code="def sigmoid_neuron_grads(w0, x0, w1, x1, w2):\n"
              "    s = sigmoid(w0 * x0 + w1 * x1 + w2)\n    d = s * (1 - s)\n"
              "    return {'w0': x0 * d, 'x0': w0 * d, 'w1': x1 * d, 'x1': w1 * d, 'w2': 1.0}\n"),
    dict(exercise="sigmoid_neuron_grads", id="sigma-prime-missing-s", section="5. The sigmoid and its derivative",
         explanation="1 - sigma(z) alone is not the sigmoid's derivative; the derivation gives a product of "
                     "two factors, sigma(z) and 1 - sigma(z).",
         code="def sigmoid_neuron_grads(w0, x0, w1, x1, w2):\n"
              "    d = 1 - sigmoid(w0 * x0 + w1 * x1 + w2)\n"
              "    return {'w0': x0 * d, 'x0': w0 * d, 'w1': x1 * d, 'x1': w1 * d, 'w2': d}\n"),
    # --- scalar_net_grads -------------------------------------------------------------
    dict(exercise="scalar_net_grads", id="loss-sign", section="7. A three-layer scalar network",
         explanation="dL/dy_hat is taken as y - y_hat; for L = 0.5 * (y_hat - y)**2 it is y_hat - y, so "
                     "every gradient has the wrong sign and descent would climb.",
         code=_NET_HEAD + "    d = y - y_hat\n    dz2 = d * w3 * h2 * (1 - h2)\n    dz1 = dz2 * w2 * h1 * (1 - h1)\n"
              + _NET_TAIL),
    dict(exercise="scalar_net_grads", id="no-w3-below", section="7. A three-layer scalar network",
         explanation="The chain factor w3 is missing below the output layer: dL/dh2 = (y_hat - y) * w3.",
         code=_NET_HEAD + "    d = y_hat - y\n    dz2 = d * h2 * (1 - h2)\n    dz1 = dz2 * w2 * h1 * (1 - h1)\n"
              + _NET_TAIL),
    dict(exercise="scalar_net_grads", id="no-w2-below", section="7. A three-layer scalar network",
         explanation="The chain factor w2 is missing in the first layer: dL/dh1 = dL/dz2 * w2.",
         code=_NET_HEAD + "    d = y_hat - y\n    dz2 = d * w3 * h2 * (1 - h2)\n    dz1 = dz2 * h1 * (1 - h1)\n"
              + _NET_TAIL),
    dict(exercise="scalar_net_grads", id="linear-loss", section="7. A three-layer scalar network",
         explanation="dL/dy_hat is taken as 1, the derivative of the notes' shortcut loss y_hat - y; the "
                     "squared loss 0.5 * (y_hat - y)**2 gives y_hat - y.",
         code=_NET_HEAD + "    d = 1.0\n    dz2 = d * w3 * h2 * (1 - h2)\n    dz1 = dz2 * w2 * h1 * (1 - h1)\n"
              + _NET_TAIL),
    dict(exercise="scalar_net_grads", id="sigma-prime-wrong-point", section="7. A three-layer scalar network",
         explanation="sigma' is evaluated at the unit's output h instead of its input z: sigma'(z) = h * (1 - h), "
                     "not sigma(h) * (1 - sigma(h)).",
         code=_NET_HEAD + "    sg = lambda t: 1 / (1 + np.exp(-t))\n    d = y_hat - y\n"
              "    dz2 = d * w3 * sg(h2) * (1 - sg(h2))\n    dz1 = dz2 * w2 * sg(h1) * (1 - sg(h1))\n"
              + _NET_TAIL),
    dict(exercise="scalar_net_grads", id="missing-sigma-prime-layer1", section="7. A three-layer scalar network",
         explanation="The first hidden unit's sigmoid derivative h1 * (1 - h1) is missing from dL/dz1.",
         code=_NET_HEAD + "    d = y_hat - y\n    dz2 = d * w3 * h2 * (1 - h2)\n    dz1 = dz2 * w2\n"
              + _NET_TAIL),
    dict(exercise="scalar_net_grads", id="w1-uses-h1", section="7. A three-layer scalar network",
         explanation="dL/dw1 is multiplied by h1, the first unit's output; w1 multiplies the network's input "
                     "x, so its local gradient is x: dL/dw1 = dL/dz1 * x.",
         code=_NET_HEAD + "    d = y_hat - y\n    dz2 = d * w3 * h2 * (1 - h2)\n    dz1 = dz2 * w2 * h1 * (1 - h1)\n"
              "    return {'w3': d * h2, 'b3': d, 'w2': dz2 * h1, 'b2': dz2, 'w1': dz1 * h1, 'b1': dz1}\n"),
]
