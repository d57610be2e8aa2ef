"""Correct answers to 07_pytorch_regression written differently from the reference (see README.md)."""

VARIANTS = [
    # --- linear_grads_by_hand -----------------------------------------------------------
    {"id": "grads-loop-over-samples", "answers": {"linear_grads_by_hand": (
        "def linear_grads_by_hand(x, y, W, b):\n"
        "    n, m = y.shape\n"
        "    dW = torch.zeros_like(W)\n"
        "    db = torch.zeros_like(b)\n"
        "    for i in range(n):\n"
        "        error = x[i] @ W.T + b - y[i]            # shape (m,)\n"
        "        dW = dW + 2.0 / (n * m) * torch.outer(error, x[i])\n"
        "        db = db + 2.0 / (n * m) * error\n"
        "    return dW, db\n")}},
    {"id": "grads-einsum-helper", "answers": {"linear_grads_by_hand": (
        "def _upstream(x, y, W, b):\n"
        "    residual = torch.einsum('nd,md->nm', x, W) + b - y\n"
        "    return residual * (2.0 / residual.numel())\n"
        "\n"
        "def linear_grads_by_hand(x, y, W, b):\n"
        "    up = _upstream(x, y, W, b)\n"
        "    return torch.einsum('nm,nd->md', up, x), up.sum(0)\n")}},
    # --- mlp_grads_by_hand -----------------------------------------------------------------
    {"id": "mlp-recursive-float64", "answers": {"mlp_grads_by_hand": (
        "def _backward(a, y, params, n_entries):\n"
        "    W, b = params[0]\n"
        "    z = a.double() @ W.double().T + b.double()\n"
        "    if len(params) == 1:\n"
        "        upstream = (z - y.double()) * (2.0 / n_entries)\n"
        "        return [(upstream.T @ a.double(), upstream.sum(0))], upstream @ W.double()\n"
        "    rest, back = _backward(torch.clamp(z, min=0), y, params[1:], n_entries)\n"
        "    upstream = torch.where(z > 0, back, torch.zeros_like(back))\n"
        "    return [(upstream.T @ a.double(), upstream.sum(0))] + rest, upstream @ W.double()\n"
        "\n"
        "def mlp_grads_by_hand(x, y, params):\n"
        "    grads, _ = _backward(x, y, list(params), y.numel())\n"
        "    return [(dW.to(x.dtype), db.to(x.dtype)) for dW, db in grads]\n")}},
    {"id": "mlp-einsum-activation-mask", "answers": {"mlp_grads_by_hand": (
        "def mlp_grads_by_hand(x, y, params):\n"
        "    acts = [x]\n"
        "    for i, (W, b) in enumerate(params):\n"
        "        z = torch.einsum('nd,md->nm', acts[-1], W) + b\n"
        "        acts.append(z.clamp(min=0) if i + 1 < len(params) else z)\n"
        "    delta = (acts[-1] - y) * 2 / (y.shape[0] * y.shape[1])\n"
        "    out = [None] * len(params)\n"
        "    for i in range(len(params) - 1, -1, -1):\n"
        "        out[i] = (torch.einsum('nm,nd->md', delta, acts[i]), delta.sum(0))\n"
        "        if i:\n"
        "            delta = torch.einsum('nm,md->nd', delta, params[i][0]) * (acts[i] > 0).to(delta.dtype)\n"
        "    return out\n")}},
    # --- make_quadratic_data ------------------------------------------------------------
    {"id": "data-uniform-and-normal", "answers": {"make_quadratic_data": (
        "def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
        "    rng = torch.Generator()\n"
        "    rng.manual_seed(seed)\n"
        "    inputs = torch.empty(n, 1).uniform_(-15, 15, generator=rng)\n"
        "    noise = torch.normal(0.0, float(noise_std), size=(n, 1), generator=rng)\n"
        "    return inputs, 3 + inputs * (7 + 8 * inputs) + noise\n")}},
    {"id": "data-helper-function", "answers": {"make_quadratic_data": (
        "def parabola(t):\n"
        "    return 8.0 * t * t + 7.0 * t + 3.0\n"
        "\n"
        "def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
        "    g = torch.Generator().manual_seed(seed)\n"
        "    u = torch.rand((n, 1), generator=g, dtype=torch.float32)\n"
        "    x = -15.0 + 30.0 * u\n"
        "    eps = torch.randn((n, 1), generator=g, dtype=torch.float32)\n"
        "    return x, parabola(x) + noise_std * eps\n")}},
    # --- build_model ----------------------------------------------------------------------
    {"id": "model-built-in-a-loop", "answers": {"build_model": (
        "def build_model():\n"
        "    sizes = [1, 10, 6, 1]\n"
        "    layers = []\n"
        "    for n_in, n_out in zip(sizes[:-1], sizes[1:]):\n"
        "        layers += [nn.Linear(n_in, n_out), nn.ReLU()]\n"
        "    return nn.Sequential(*layers[:-1])\n")}},
    {"id": "model-named-layers", "answers": {"build_model": (
        "from collections import OrderedDict\n"
        "\n"
        "def build_model():\n"
        "    return nn.Sequential(OrderedDict([\n"
        "        ('hidden1', nn.Linear(1, 10)), ('act1', nn.ReLU()),\n"
        "        ('hidden2', nn.Linear(10, 6)), ('act2', nn.ReLU()),\n"
        "        ('out', nn.Linear(6, 1))]))\n")}},
    # --- train ------------------------------------------------------------------------------
    {"id": "train-grad-none-first", "answers": {"train": (
        "def train(model, x, y, epochs, lr, loss_fn=None):\n"
        "    criterion = loss_fn if loss_fn is not None else nn.L1Loss()\n"
        "    opt = torch.optim.SGD(model.parameters(), lr)\n"
        "    model.train(True)\n"
        "    history = []\n"
        "    for epoch in range(epochs):\n"
        "        for p in model.parameters():\n"
        "            p.grad = None\n"
        "        loss = criterion(model(x), y)\n"
        "        history.append(float(loss.detach()))\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "    return history\n")}},
    {"id": "train-helper-step", "answers": {"train": (
        "def _one_epoch(model, optimizer, loss_fn, x, y):\n"
        "    optimizer.zero_grad(set_to_none=True)\n"
        "    loss = loss_fn(model(x), y)\n"
        "    loss.backward()\n"
        "    optimizer.step()\n"
        "    return loss.item()\n"
        "\n"
        "def train(model, x, y, epochs, lr, loss_fn=None):\n"
        "    loss_fn = nn.L1Loss() if loss_fn is None else loss_fn\n"
        "    optimizer = torch.optim.SGD(params=list(model.parameters()), lr=lr, momentum=0.0)\n"
        "    model.train()\n"
        "    return [_one_epoch(model, optimizer, loss_fn, x, y) for _ in range(epochs)]\n")}},
    # --- predict ------------------------------------------------------------------------------
    {"id": "predict-inference-mode", "answers": {"predict": (
        "def predict(model, x):\n"
        "    model.train(False)\n"
        "    with torch.inference_mode():\n"
        "        out = model(x)\n"
        "    return out.clone()\n")}},
    {"id": "predict-grad-disabled", "answers": {"predict": (
        "def predict(model, x):\n"
        "    model.eval()\n"
        "    with torch.set_grad_enabled(False):\n"
        "        prediction = model.forward(x)\n"
        "    return prediction\n")}},
    # --- fit_challenge ------------------------------------------------------------------------
    {"id": "challenge-step-schedule", "answers": {"fit_challenge": (
        "def fit_challenge(x, y, seed=0):\n"
        "    torch.manual_seed(seed)\n"
        "    mx, sx = x.mean(), x.std(unbiased=False)\n"
        "    my, sy = y.mean(), y.std(unbiased=False)\n"
        "    net = nn.Sequential(nn.Linear(1, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(), nn.Linear(48, 1))\n"
        "    opt = torch.optim.Adam(net.parameters(), lr=0.01)\n"
        "    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=300, gamma=0.3)\n"
        "    xs, ys = (x - mx) / sx, (y - my) / sy\n"
        "    for _ in range(500):\n"
        "        opt.zero_grad()\n"
        "        loss = ((net(xs) - ys) ** 2).mean()\n"
        "        loss.backward()\n"
        "        opt.step()\n"
        "        sched.step()\n"
        "    net.eval()\n"
        "\n"
        "    def predict_fn(x_new):\n"
        "        with torch.no_grad():\n"
        "            return my + sy * net((x_new - mx) / sx)\n"
        "    return net, predict_fn\n")}},
    {"id": "challenge-module-with-scaling", "answers": {"fit_challenge": (
        "class _Scaled(nn.Module):\n"
        "    def __init__(self, net, stats):\n"
        "        super().__init__()\n"
        "        self.net = net\n"
        "        self.register_buffer('stats', torch.stack([s.reshape(()) for s in stats]))\n"
        "\n"
        "    def forward(self, x_new):\n"
        "        mx, sx, my, sy = self.stats\n"
        "        return self.net((x_new - mx) / sx) * sy + my\n"
        "\n"
        "def fit_challenge(x, y, seed=0):\n"
        "    torch.manual_seed(seed)\n"
        "    stats = (x.mean(), x.std(), y.mean(), y.std())\n"
        "    net = nn.Sequential(nn.Linear(1, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(), nn.Linear(64, 1))\n"
        "    opt = torch.optim.AdamW(net.parameters(), lr=0.01, weight_decay=0.0)\n"
        "    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=500)\n"
        "    xs, ys = (x - stats[0]) / stats[1], (y - stats[2]) / stats[3]\n"
        "    for _ in range(500):\n"
        "        opt.zero_grad()\n"
        "        nn.functional.mse_loss(net(xs), ys).backward()\n"
        "        opt.step()\n"
        "        sched.step()\n"
        "    model = _Scaled(net, stats).eval()\n"
        "\n"
        "    def predict_fn(x_new):\n"
        "        with torch.no_grad():\n"
        "            return model(x_new)\n"
        "    return model, predict_fn\n")}},

    # --- QuadraticNet -------------------------------------------------------------------------
    {"id": "net-sequential-inside", "answers": {"QuadraticNet": (
        "class QuadraticNet(nn.Module):\n"
        "    def __init__(self):\n"
        "        super(QuadraticNet, self).__init__()\n"
        "        self.layers = nn.Sequential(nn.Linear(1, 10), nn.ReLU(), nn.Linear(10, 6), nn.ReLU(),\n"
        "                                    nn.Linear(6, 1))\n"
        "\n"
        "    def forward(self, x):\n"
        "        return self.layers(x)\n")}},
    {"id": "net-module-list-loop", "answers": {"QuadraticNet": (
        "import torch.nn.functional as F\n"
        "\n"
        "class QuadraticNet(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.stack = nn.ModuleList(nn.Linear(a, b) for a, b in [(1, 10), (10, 6), (6, 1)])\n"
        "\n"
        "    def forward(self, x):\n"
        "        for k, layer in enumerate(self.stack):\n"
        "            x = layer(x)\n"
        "            if k < len(self.stack) - 1:\n"
        "                x = F.relu(x)\n"
        "        return x\n")}},
    # --- make_loaders ---------------------------------------------------------------------------
    {"id": "loaders-random-split", "answers": {"make_loaders": (
        "from torch.utils.data import random_split\n"
        "\n"
        "def make_loaders(x, y, batch_size, val_fraction, seed):\n"
        "    data = TensorDataset(x, y)\n"
        "    n_val = int(len(data) * val_fraction)\n"
        "    train_set, val_set = random_split(data, [len(data) - n_val, n_val],\n"
        "                                      generator=torch.Generator().manual_seed(seed))\n"
        "    return DataLoader(train_set, batch_size, shuffle=True), DataLoader(val_set, batch_size=len(val_set) or 1)\n")}},
    {"id": "loaders-numpy-permutation-rounded", "answers": {"make_loaders": (
        "def make_loaders(x, y, batch_size, val_fraction, seed):\n"
        "    order = np.random.default_rng(seed).permutation(len(x))\n"
        "    n_val = int(round(val_fraction * len(x)))\n"
        "    val_idx = torch.as_tensor(order[:n_val])\n"
        "    train_idx = torch.as_tensor(order[n_val:])\n"
        "    shuffler = torch.Generator()\n"
        "    shuffler.manual_seed(seed + 1)\n"
        "    training = DataLoader(TensorDataset(x[train_idx], y[train_idx]), batch_size=batch_size,\n"
        "                          shuffle=True, generator=shuffler)\n"
        "    validation = DataLoader(TensorDataset(x[val_idx], y[val_idx]), batch_size=64, shuffle=False)\n"
        "    return training, validation\n")}},
    # --- evaluate_mae ---------------------------------------------------------------------------
    {"id": "mae-concatenate", "answers": {"evaluate_mae": (
        "def evaluate_mae(model, loader):\n"
        "    model.eval()\n"
        "    preds, targets = [], []\n"
        "    with torch.no_grad():\n"
        "        for xb, yb in loader:\n"
        "            preds.append(model(xb))\n"
        "            targets.append(yb)\n"
        "    return nn.functional.l1_loss(torch.cat(preds), torch.cat(targets)).item()\n")}},
    {"id": "mae-weighted-float64", "answers": {"evaluate_mae": (
        "def evaluate_mae(model, loader):\n"
        "    model.train(False)\n"
        "    weighted, entries = 0.0, 0\n"
        "    with torch.inference_mode():\n"
        "        for inputs, targets in loader:\n"
        "            batch_mean = (model(inputs).double() - targets.double()).abs().mean()\n"
        "            weighted += float(batch_mean) * targets.numel()\n"
        "            entries += targets.numel()\n"
        "    return weighted / entries\n")}},
]
