"""Right values, wrong shapes, for 04_chain_rule (see README.md beside this file).

The exercises return numbers; these answers return one-element arrays instead, which `float()`
and broadcasting accept silently. Where the visible self-check would see the shape, the answer
keeps a number on the visible example, so that only the hidden checks can catch it.
"""

WRONG_SHAPES = [
    {"id": "derivative-one-element-array", "loses": ["test_numerical_derivative"],
     "answers": {"numerical_derivative": (
         "def numerical_derivative(f, x, h=1e-5):\n"
         "    d = (f(x + h) - f(x - h)) / (2 * h)\n"
         "    return d if x in (1.0, 2.0) else np.array([d])\n")}},
    {"id": "add-mul-one-element-arrays", "loses": ["test_add_mul_grads"],
     "answers": {"add_mul_grads": (
         "def add_mul_grads(x, y, z):\n"
         "    out = ((x + y) * z, z, z, x + y)\n"
         "    return out if x == -2.0 else tuple(np.array([v]) for v in out)\n")}},
    {"id": "shared-one-element-arrays", "loses": ["test_shared_input_grads"],
     "answers": {"shared_input_grads": (
         "def shared_input_grads(a, b, c):\n"
         "    u, v = a + b, b + c\n"
         "    out = (u * v, v, u + v, u)\n"
         "    return out if a == 3.0 else tuple(np.array([t]) for t in out)\n")}},
    {"id": "neuron-one-element-arrays", "loses": ["test_sigmoid_neuron_grads"],
     "answers": {"sigmoid_neuron_grads": (
         "def sigmoid_neuron_grads(w0, x0, w1, x1, w2):\n"
         "    s = sigmoid(w0 * x0 + w1 * x1 + w2)\n"
         "    d = s * (1 - s)\n"
         "    grads = {'w0': x0 * d, 'x0': w0 * d, 'w1': x1 * d, 'x1': w1 * d, 'w2': d}\n"
         "    return {k: np.array([v]) for k, v in grads.items()}\n")}},
    {"id": "net-one-element-arrays", "loses": ["test_scalar_net_grads"],
     "answers": {"scalar_net_grads": (
         "def scalar_net_grads(x, y, params):\n"
         "    p = params\n"
         "    h1 = sigmoid(p['w1'] * x + p['b1'])\n"
         "    h2 = sigmoid(p['w2'] * h1 + p['b2'])\n"
         "    d = p['w3'] * h2 + p['b3'] - y\n"
         "    dz2 = d * p['w3'] * h2 * (1 - h2)\n"
         "    dz1 = dz2 * p['w2'] * h1 * (1 - h1)\n"
         "    grads = {'w1': dz1 * x, 'b1': dz1, 'w2': dz2 * h1, 'b2': dz2, 'w3': d * h2, 'b3': d}\n"
         "    return {k: np.array([v]) for k, v in grads.items()}\n")}},
]
