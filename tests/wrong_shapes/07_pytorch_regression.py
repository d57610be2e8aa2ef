"""Right values, wrong shapes, for 07_pytorch_regression (see README.md beside this file).

Each answer computes the right numbers and returns them with an extra leading axis of size 1
(or a column where a list is due): shapes that broadcasting against the expected one hides.
"""

WRONG_SHAPES = [
    {"id": "grads-leading-axis", "loses": ["test_linear_grads_by_hand"],
     "answers": {"linear_grads_by_hand": (
         "def linear_grads_by_hand(x, y, W, b):\n"
         "    dpred = 2 * (x @ W.T + b - y) / y.numel()\n"
         "    return (dpred.T @ x)[None], dpred.sum(dim=0)[None]\n")}},
    {"id": "data-leading-axis", "loses": ["test_make_quadratic_data"],
     "answers": {"make_quadratic_data": (
         "def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
         "    g = torch.Generator().manual_seed(seed)\n"
         "    x = 30 * torch.rand(n, 1, generator=g) - 15\n"
         "    y = 8 * x ** 2 + 7 * x + 3 + noise_std * torch.randn(n, 1, generator=g)\n"
         "    return x[None], y[None]\n")}},
    {"id": "train-losses-as-column", "loses": ["test_train"],
     "answers": {"train": (
         "def train(model, x, y, epochs, lr, loss_fn=None):\n"
         "    loss_fn = nn.L1Loss() if loss_fn is None else loss_fn\n"
         "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"
         "    model.train()\n"
         "    losses = []\n"
         "    for _ in range(epochs):\n"
         "        optimizer.zero_grad()\n"
         "        loss = loss_fn(model(x), y)\n"
         "        loss.backward()\n"
         "        optimizer.step()\n"
         "        losses.append([loss.item()])\n"
         "    return losses\n")}},
    {"id": "predict-leading-axis", "loses": ["test_predict"],
     "answers": {"predict": (
         "def predict(model, x):\n"
         "    model.eval()\n"
         "    with torch.no_grad():\n"
         "        return model(x)[None]\n")}},
    {"id": "challenge-predictions-leading-axis", "loses": ["test_fit_challenge"],
     "answers": {"fit_challenge": (
         "def fit_challenge(x, y, seed=0):\n"
         "    torch.manual_seed(seed)\n"
         "    mx, sx, my, sy = x.mean(), x.std(), y.mean(), y.std()\n"
         "    net = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))\n"
         "    opt = torch.optim.Adam(net.parameters(), lr=0.01)\n"
         "    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=1000)\n"
         "    for _ in range(1000):\n"
         "        opt.zero_grad()\n"
         "        nn.MSELoss()(net((x - mx) / sx), (y - my) / sy).backward()\n"
         "        opt.step()\n"
         "        sched.step()\n"
         "    net.eval()\n"
         "    def predict_fn(x_new):\n"
         "        with torch.no_grad():\n"
         "            return (net((x_new - mx) / sx) * sy + my)[None]\n"
         "    return net, predict_fn\n")}},
    {"id": "net-output-leading-axis", "loses": ["test_QuadraticNet"],
     "answers": {"QuadraticNet": (
         "class QuadraticNet(nn.Module):\n"
         "    def __init__(self):\n"
         "        super().__init__()\n"
         "        self.layers = nn.Sequential(nn.Linear(1, 10), nn.ReLU(), nn.Linear(10, 6), nn.ReLU(), nn.Linear(6, 1))\n"
         "\n"
         "    def forward(self, x):\n"
         "        return self.layers(x)[None]\n")}},
    {"id": "loaders-batches-leading-axis", "loses": ["test_make_loaders"],
     "answers": {"make_loaders": (
         "def make_loaders(x, y, batch_size, val_fraction, seed):\n"
         "    gen = torch.Generator().manual_seed(seed)\n"
         "    n_val = int(val_fraction * len(x))\n"
         "    order = torch.randperm(len(x), generator=gen)\n"
         "    v, t = order[:n_val], order[n_val:]\n"
         "    return (DataLoader(TensorDataset(x[t][:, None], y[t][:, None]), batch_size=batch_size, shuffle=True,\n"
         "                       generator=gen),\n"
         "            DataLoader(TensorDataset(x[v][:, None], y[v][:, None]), batch_size=batch_size))\n")}},
    {"id": "mae-one-element-tensor", "loses": ["test_evaluate_mae"],
     "answers": {"evaluate_mae": (
         "def evaluate_mae(model, loader):\n"
         "    model.eval()\n"
         "    total, count = 0.0, 0\n"
         "    with torch.no_grad():\n"
         "        for xb, yb in loader:\n"
         "            total += (model(xb) - yb).abs().sum().item()\n"
         "            count += yb.numel()\n"
         "    return torch.tensor([total / count])\n")}},
]
