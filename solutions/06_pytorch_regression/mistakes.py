"""Plausible wrong implementations of 06_pytorch_regression's exercises (see README.md).

Every cell runs after the notebook's `imports` cell, so `torch`, `nn` and `np` are defined.
"""

_TRAIN_HEAD = (
    "def train(model, x, y, epochs, lr, loss_fn=None):\n"
    "    if loss_fn is None:\n"
    "        loss_fn = nn.L1Loss()\n"
    "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"
    "    model.train()\n"
    "    losses = []\n"
    "    for _ in range(epochs):\n"
)

_CHALLENGE_HEAD = (
    "def fit_challenge(x, y, seed=0):\n"
    "    torch.manual_seed(seed)\n"
    "    x_mean, x_std, y_mean, y_std = x.mean(), x.std(), y.mean(), y.std()\n"
    "    xs, ys = (x - x_mean) / x_std, (y - y_mean) / y_std\n"
    "    net = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))\n"
    "    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)\n"
    "    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=2000)\n"
    "    for _ in range(2000):\n"
    "        optimizer.zero_grad()\n"
    "        nn.MSELoss()(net(xs), ys).backward()\n"
    "        optimizer.step()\n"
    "        schedule.step()\n"
    "    net.eval()\n"
)

MISTAKES = [
    # --- linear_grads_by_hand ---------------------------------------------------------
    dict(exercise="linear_grads_by_hand", id="missing-factor-2",
         section="2. A linear layer's gradients, by hand and by autograd",
         explanation="The derivative of (pred - y)**2 is 2 (pred - y); without the 2 every gradient is half "
                     "the true one.",
         code="def linear_grads_by_hand(x, y, W, b):\n"
              "    pred = x @ W.T + b\n"
              "    dpred = (pred - y) / pred.numel()\n"
              "    return dpred.T @ x, dpred.sum(dim=0)\n"),
    dict(exercise="linear_grads_by_hand", id="transposed-dW",
         section="2. A linear layer's gradients, by hand and by autograd",
         explanation="x.T @ dpred has shape (d, m), the transpose of W's shape (m, d); dW = dpred.T @ x.",
         code="def linear_grads_by_hand(x, y, W, b):\n"
              "    pred = x @ W.T + b\n"
              "    dpred = 2 * (pred - y) / pred.numel()\n"
              "    return x.T @ dpred, dpred.sum(dim=0)\n"),
    dict(exercise="linear_grads_by_hand", id="mean-over-samples-only",
         section="2. A linear layer's gradients, by hand and by autograd",
         explanation="The loss averages over all n * m entries (nn.MSELoss); dividing by n alone makes the "
                     "gradients m times too large when there are several outputs.",
         code="def linear_grads_by_hand(x, y, W, b):\n"
              "    pred = x @ W.T + b\n"
              "    dpred = 2 * (pred - y) / x.shape[0]\n"
              "    return dpred.T @ x, dpred.sum(dim=0)\n"),
    dict(exercise="linear_grads_by_hand", id="uses-autograd",
         section="2. A linear layer's gradients, by hand and by autograd",
         explanation="The gradients come from loss.backward(), not by hand; under torch.no_grad() nothing is "
                     "recorded and backward() fails.",
         code="def linear_grads_by_hand(x, y, W, b):\n"
              "    W = W.detach().clone().requires_grad_(True)\n"
              "    b = b.detach().clone().requires_grad_(True)\n"
              "    loss = ((x @ W.T + b - y) ** 2).mean()\n"
              "    loss.backward()\n"
              "    return W.grad, b.grad\n"),
    # --- make_quadratic_data ----------------------------------------------------------
    dict(exercise="make_quadratic_data", id="unit-interval-x", section="3. The lecture's data: a noisy parabola",
         explanation="torch.rand draws from [0, 1); x must be scaled to [-15, 15) with 30 * u - 15.",
         code="def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
              "    g = torch.Generator().manual_seed(seed)\n"
              "    x = torch.rand(n, 1, generator=g)\n"
              "    return x, 8 * x ** 2 + 7 * x + 3 + noise_std * torch.randn(n, 1, generator=g)\n"),
    dict(exercise="make_quadratic_data", id="flat-shape", section="3. The lecture's data: a noisy parabola",
         explanation="x and y have shape (n,); a network expects one sample per row, shape (n, 1).",
         code="def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
              "    g = torch.Generator().manual_seed(seed)\n"
              "    x = 30 * torch.rand(n, generator=g) - 15\n"
              "    return x, 8 * x ** 2 + 7 * x + 3 + noise_std * torch.randn(n, generator=g)\n"),
    dict(exercise="make_quadratic_data", id="float64", section="3. The lecture's data: a noisy parabola",
         explanation="The data are float64; PyTorch layers are float32 and would refuse them.",
         code="def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
              "    g = torch.Generator().manual_seed(seed)\n"
              "    x = 30 * torch.rand(n, 1, generator=g, dtype=torch.float64) - 15\n"
              "    noise = noise_std * torch.randn(n, 1, generator=g, dtype=torch.float64)\n"
              "    return x, 8 * x ** 2 + 7 * x + 3 + noise\n"),
    dict(exercise="make_quadratic_data", id="global-seed", section="3. The lecture's data: a noisy parabola",
         explanation="torch.manual_seed(seed) reseeds the global generator, which also decides the network's "
                     "initial weights; the data must come from a private torch.Generator.",
         code="def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
              "    torch.manual_seed(seed)\n"
              "    x = 30 * torch.rand(n, 1) - 15\n"
              "    return x, 8 * x ** 2 + 7 * x + 3 + noise_std * torch.randn(n, 1)\n"),
    dict(exercise="make_quadratic_data", id="noise-not-scaled", section="3. The lecture's data: a noisy parabola",
         explanation="The noise is a standard normal whatever noise_std says; multiply it by noise_std.",
         code="def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
              "    g = torch.Generator().manual_seed(seed)\n"
              "    x = 30 * torch.rand(n, 1, generator=g) - 15\n"
              "    return x, 8 * x ** 2 + 7 * x + 3 + torch.randn(n, 1, generator=g)\n"),
    # --- build_model ------------------------------------------------------------------
    dict(exercise="build_model", id="swapped-hidden-sizes", section="4. The lecture's network",
         explanation="The hidden layers are 6 then 10 units; the lecture's network is 1-10-6-1.",
         code="def build_model():\n"
              "    return nn.Sequential(nn.Linear(1, 6), nn.ReLU(), nn.Linear(6, 10), nn.ReLU(), nn.Linear(10, 1))\n"),
    dict(exercise="build_model", id="no-activations", section="4. The lecture's network",
         explanation="Without the ReLUs the three layers collapse into one linear function (notebook 03), which "
                     "cannot fit a parabola.",
         code="def build_model():\n"
              "    return nn.Sequential(nn.Linear(1, 10), nn.Linear(10, 6), nn.Linear(6, 1))\n"),
    dict(exercise="build_model", id="hard-coded-cuda", section="4. The lecture's network",
         explanation="`.cuda()` fails on a machine without a GPU; build on the CPU and let the caller move the "
                     "model with .to(device).",
         code="def build_model():\n"
              "    return nn.Sequential(nn.Linear(1, 10), nn.ReLU(), nn.Linear(10, 6), nn.ReLU(),\n"
              "                         nn.Linear(6, 1)).cuda()\n"),
    dict(exercise="build_model", id="seeds-inside", section="4. The lecture's network",
         explanation="Seeding inside build_model makes every model identical and resets the caller's random "
                     "state; the caller seeds with torch.manual_seed.",
         code="def build_model():\n"
              "    torch.manual_seed(0)\n"
              "    return nn.Sequential(nn.Linear(1, 10), nn.ReLU(), nn.Linear(10, 6), nn.ReLU(), nn.Linear(6, 1))\n"),
    # --- train ------------------------------------------------------------------------
    dict(exercise="train", id="no-zero-grad", section="5. The training loop",
         explanation="Without optimizer.zero_grad() the gradients of all epochs add up in p.grad, so every step "
                     "uses their sum.",
         code=_TRAIN_HEAD +
              "        loss = loss_fn(model(x), y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return losses\n"),
    dict(exercise="train", id="step-before-backward", section="5. The training loop",
         explanation="optimizer.step() runs before loss.backward(), right after zero_grad: there is no gradient "
                     "to apply and the parameters never change.",
         code=_TRAIN_HEAD +
              "        pred = model(x)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(pred, y)\n"
              "        optimizer.step()\n"
              "        loss.backward()\n"
              "        losses.append(loss.item())\n"
              "    return losses\n"),
    dict(exercise="train", id="appends-tensor", section="5. The training loop",
         explanation="The loss tensors (with their graphs) are stored instead of floats; use loss.item().",
         code=_TRAIN_HEAD +
              "        pred = model(x)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(pred, y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss)\n"
              "    return losses\n"),
    dict(exercise="train", id="mse-default", section="5. The training loop",
         explanation="The default loss is the squared error; the contract (and the lecture) uses nn.L1Loss().",
         code="def train(model, x, y, epochs, lr, loss_fn=None):\n"
              "    loss_fn = loss_fn or nn.MSELoss()\n"
              "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"
              "    model.train()\n"
              "    losses = []\n"
              "    for _ in range(epochs):\n"
              "        pred = model(x)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(pred, y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return losses\n"),
    dict(exercise="train", id="no-train-mode", section="6. Training mode, evaluation mode, and `torch.no_grad()`",
         explanation="A model left in evaluation mode (by predict, say) trains with Dropout switched off; call "
                     "model.train() before training.",
         code="def train(model, x, y, epochs, lr, loss_fn=None):\n"
              "    loss_fn = loss_fn or nn.L1Loss()\n"
              "    optimizer = torch.optim.SGD(model.parameters(), lr=lr)\n"
              "    losses = []\n"
              "    for _ in range(epochs):\n"
              "        pred = model(x)\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(pred, y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return losses\n"),
    # --- predict ----------------------------------------------------------------------
    dict(exercise="predict", id="no-eval", section="6. Training mode, evaluation mode, and `torch.no_grad()`",
         explanation="Without model.eval(), Dropout stays active and the predictions are random.",
         code="def predict(model, x):\n"
              "    with torch.no_grad():\n"
              "        return model(x)\n"),
    dict(exercise="predict", id="no-no-grad", section="6. Training mode, evaluation mode, and `torch.no_grad()`",
         explanation="Without torch.no_grad(), autograd records a graph: the result requires grad and holds "
                     "memory for nothing.",
         code="def predict(model, x):\n"
              "    model.eval()\n"
              "    return model(x)\n"),
    dict(exercise="predict", id="training-mode-with-grad", section="6. Training mode, evaluation mode, and `torch.no_grad()`",
         explanation="The model is evaluated as in training: Dropout active and a graph recorded.",
         code="def predict(model, x):\n"
              "    return model(x)\n"),
    # --- fit_challenge ----------------------------------------------------------------
    dict(exercise="fit_challenge", id="lecture-recipe", section="8. Why it fits poorly",
         explanation="The lecture's recipe (raw data, L1 loss, SGD at 0.001, 5000 epochs) stops with an error "
                     "in the tens; standardise x and y and use MSE with Adam.",
         code="def fit_challenge(x, y, seed=0):\n"
              "    torch.manual_seed(seed)\n"
              "    net = nn.Sequential(nn.Linear(1, 10), nn.ReLU(), nn.Linear(10, 6), nn.ReLU(), nn.Linear(6, 1))\n"
              "    optimizer = torch.optim.SGD(net.parameters(), lr=0.001)\n"
              "    for _ in range(5000):\n"
              "        optimizer.zero_grad()\n"
              "        nn.L1Loss()(net(x), y).backward()\n"
              "        optimizer.step()\n"
              "    return lambda x_new: net(x_new).detach()\n"),
    dict(exercise="fit_challenge", id="predictions-not-unscaled", section="10. Challenge: fit the parabola",
         explanation="The network learned standardised targets, but the predictor returns them without mapping "
                     "back to y's scale (times y_std plus y_mean).",
         code=_CHALLENGE_HEAD +
              "    def predict_fn(x_new):\n"
              "        with torch.no_grad():\n"
              "            return net((x_new - x_mean) / x_std)\n"
              "    return predict_fn\n"),
    dict(exercise="fit_challenge", id="inputs-not-standardised", section="10. Challenge: fit the parabola",
         explanation="The network was trained on standardised x, but the predictor feeds it raw x.",
         code=_CHALLENGE_HEAD +
              "    def predict_fn(x_new):\n"
              "        with torch.no_grad():\n"
              "            return net(x_new) * y_std + y_mean\n"
              "    return predict_fn\n"),
]
