"""Correct answers to 04_chain_rule written differently from the reference (see README.md beside this file).

Three sets, each answering every exercise: loops and gate helpers (the staged table of section 6,
a backward loop over the layers), float32 arithmetic, and other formulas and names (the expanded
product, the notebook's given sigmoid, NumPy routines).
"""

LOOPS_GATES = {
    "numerical_derivative": '''def numerical_derivative(f, x, h=1e-5):
    total = 0.0
    for sign in (+1, -1):
        total += sign * f(x + sign * h)
    return total / (2 * h)
''',
    "add_mul_grads": '''def _mul_gate(a, b):
    return a * b, (b, a)          # output, local gradients (d/da, d/db)

def add_mul_grads(x, y, z):
    q = x + y
    f, (local_q, local_z) = _mul_gate(q, z)
    upstream = 1.0
    grad_q = upstream * local_q
    return f, grad_q * 1.0, grad_q * 1.0, upstream * local_z
''',
    "shared_input_grads": '''def shared_input_grads(a, b, c):
    u, v = a + b, b + c
    f = u * v
    grads = {"a": 0.0, "b": 0.0, "c": 0.0}
    for name, g in (("a", v), ("b", v), ("b", u), ("c", u)):   # every path adds its share
        grads[name] += g
    return f, grads["a"], grads["b"], grads["c"]
''',
    "sigmoid_neuron_grads": '''import math

def sigmoid_neuron_grads(w0, x0, w1, x1, w2):
    z = w0 * x0 + w1 * x1 + w2        # the stages of the table in section 6
    alpha = -z
    beta = math.exp(alpha)
    r = 1.0 + beta
    d_r = -1.0 / r**2
    d_beta = d_r * 1.0
    d_alpha = d_beta * beta
    d_z = d_alpha * -1.0
    return {"w0": d_z * x0, "x0": d_z * w0, "w1": d_z * x1, "x1": d_z * w1, "w2": d_z}
''',
    "scalar_net_grads": '''def scalar_net_grads(x, y, params):
    layers = [("w1", "b1"), ("w2", "b2")]
    inputs, outputs, a = [], [], x
    for w, b in layers:
        inputs.append(a)
        a = sigmoid(params[w] * a + params[b])
        outputs.append(a)
    y_hat = params["w3"] * a + params["b3"]
    delta = y_hat - y
    grads = {"w3": delta * outputs[-1], "b3": delta}
    upstream = delta * params["w3"]
    for (w, b), h, a_in in reversed(list(zip(layers, outputs, inputs))):
        dz = upstream * h * (1.0 - h)
        grads[w], grads[b] = dz * a_in, dz
        upstream = dz * params[w]
    return grads
''',
}

F32 = {
    "numerical_derivative": '''def numerical_derivative(f, x, h=1e-5):
    return 0.5 * (f(x + h) - f(x - h)) / h
''',
    "add_mul_grads": '''def add_mul_grads(x, y, z):
    x, y, z = np.float32(x), np.float32(y), np.float32(z)
    q = x + y
    return q * z, z, z, q
''',
    "shared_input_grads": '''def shared_input_grads(a, b, c):
    a, b, c = np.float32(a), np.float32(b), np.float32(c)
    u, v = a + b, b + c
    return u * v, v, u + v, u
''',
    "sigmoid_neuron_grads": '''def sigmoid_neuron_grads(w0, x0, w1, x1, w2):
    w0, x0, w1, x1, w2 = (np.float32(t) for t in (w0, x0, w1, x1, w2))
    s = np.float32(1) / (np.float32(1) + np.exp(-(w0 * x0 + w1 * x1 + w2)))
    d = s * (np.float32(1) - s)
    return {"w0": x0 * d, "x0": w0 * d, "w1": x1 * d, "x1": w1 * d, "w2": d}
''',
    "scalar_net_grads": '''def scalar_net_grads(x, y, params):
    f32 = np.float32
    p = {k: f32(v) for k, v in params.items()}
    x, y = f32(x), f32(y)
    sg = lambda t: f32(1) / (f32(1) + np.exp(-t))
    h1 = sg(p["w1"] * x + p["b1"])
    h2 = sg(p["w2"] * h1 + p["b2"])
    d = p["w3"] * h2 + p["b3"] - y
    dz2 = d * p["w3"] * h2 * (f32(1) - h2)
    dz1 = dz2 * p["w2"] * h1 * (f32(1) - h1)
    return {"w1": dz1 * x, "b1": dz1, "w2": dz2 * h1, "b2": dz2, "w3": d * h2, "b3": d}
''',
}

OTHER_FORMS = {
    "numerical_derivative": '''def numerical_derivative(f, x, h=1e-5):
    left, right = f(x - h), f(x + h)
    return np.diff([left, right])[0] / (2 * h)
''',
    "add_mul_grads": '''def add_mul_grads(x, y, z):
    grad_x = grad_y = z          # df/dq = z, and the add gate passes it on
    grad_z = x + y
    return (x + y) * z, grad_x, grad_y, grad_z
''',
    "shared_input_grads": '''def shared_input_grads(a, b, c):
    value = a * b + a * c + b * b + b * c       # the product, expanded
    return value, b + c, a + 2 * b + c, a + b
''',
    "sigmoid_neuron_grads": '''def sigmoid_neuron_grads(w0, x0, w1, x1, w2):
    s = sigmoid(w0 * x0 + w1 * x1 + w2)          # the notebook's given sigmoid
    slope = s * (1 - s)
    pairs = {"w0": x0, "x0": w0, "w1": x1, "x1": w1, "w2": 1.0}
    return {name: float(other * slope) for name, other in pairs.items()}
''',
    "scalar_net_grads": '''def _sigmoid_slope(z):
    e = np.exp(-abs(z))
    return e / (1 + e) ** 2

def scalar_net_grads(x, y, params):
    w1, b1, w2, b2, w3, b3 = (params[k] for k in ("w1", "b1", "w2", "b2", "w3", "b3"))
    z1 = w1 * x + b1
    z2 = w2 * sigmoid(z1) + b2
    err = w3 * sigmoid(z2) + b3 - y
    g_z2 = err * w3 * _sigmoid_slope(z2)
    g_z1 = g_z2 * w2 * _sigmoid_slope(z1)
    return dict(w3=err * sigmoid(z2), b3=err, w2=g_z2 * sigmoid(z1), b2=g_z2, w1=g_z1 * x, b1=g_z1)
''',
}

VARIANTS = [
    {"id": "loops-gates", "answers": LOOPS_GATES},
    {"id": "float32", "answers": F32},
    {"id": "other-forms-given-sigmoid", "answers": OTHER_FORMS},
]
