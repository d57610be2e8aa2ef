"""Plausible wrong implementations of 07_pytorch_regression's exercises (see README.md).

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
    "    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=1000)\n"
    "    for _ in range(1000):\n"
    "        optimizer.zero_grad()\n"
    "        nn.MSELoss()(net(xs), ys).backward()\n"
    "        optimizer.step()\n"
    "        schedule.step()\n"
    "    net.eval()\n"
)

_LGBH = "2. A linear layer's gradients, by hand and by autograd"
_TRAIN_SECTION = "5. The training loop"
_MOD = "12. PyTorch as people write it: a module, mini-batches, a validation set"


def _net(init, forward):
    return ("class QuadraticNet(nn.Module):\n"
            "    def __init__(self):\n" + init +
            "\n    def forward(self, x):\n" + forward)


_INIT = ("        super().__init__()\n"
         "        self.hidden1 = nn.Linear(1, 10)\n"
         "        self.hidden2 = nn.Linear(10, 6)\n"
         "        self.output = nn.Linear(6, 1)\n")


def _loaders(body):
    return "def make_loaders(x, y, batch_size, val_fraction, seed):\n" + body


_SPLIT = ("    gen = torch.Generator().manual_seed(seed)\n"
          "    n_val = int(val_fraction * len(x))\n"
          "    order = torch.randperm(len(x), generator=gen)\n"
          "    val_rows, train_rows = order[:n_val], order[n_val:]\n")
_VAL = "    val_loader = DataLoader(TensorDataset(x[val_rows], y[val_rows]), batch_size=batch_size)\n"


def _evaluate(body):
    return "def evaluate_mae(model, loader):\n" + body


def _mlp(backward_lines, forward_last="z if k == len(params) - 1 else torch.relu(z)", scale="2 * (a - y) / a.numel()",
         ret="grads[::-1]"):
    return ("def mlp_grads_by_hand(x, y, params):\n"
            "    inputs, pre, a = [], [], x\n"
            "    for k, (W, b) in enumerate(params):\n"
            "        inputs.append(a)\n"
            "        z = a @ W.T + b\n"
            "        pre.append(z)\n"
            f"        a = {forward_last}\n"
            f"    g = {scale}\n"
            "    grads = []\n"
            "    for k in reversed(range(len(params))):\n"
            "        W = params[k][0]\n"
            "        grads.append((g.T @ inputs[k], g.sum(dim=0)))\n"
            "        if k > 0:\n"
            f"            g = {backward_lines}\n"
            f"    return {ret}\n")


_MLP_SECTION = "2. A linear layer's gradients, by hand and by autograd"


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
    # --- mlp_grads_by_hand ------------------------------------------------------------
    dict(exercise="mlp_grads_by_hand", id="mlp-no-relu-mask", section=_MLP_SECTION,
         explanation="The gradient goes back through every hidden unit, also those the ReLU switched off; a unit "
                     "whose pre-activation was negative passes no gradient back (its slope is 0).",
         code=_mlp("g @ W")),
    dict(exercise="mlp_grads_by_hand", id="mlp-relu-of-gradient", section=_MLP_SECTION,
         explanation="The ReLU was applied to the gradient itself; going back through a ReLU multiplies the "
                     "gradient by the ReLU's slope at the pre-activation, 1 where the unit was on and 0 where off.",
         code=_mlp("torch.relu(g @ W)")),
    dict(exercise="mlp_grads_by_hand", id="mlp-relu-on-output", section=_MLP_SECTION,
         explanation="A ReLU was put after the last layer too; the lecture's network predicts with a linear "
                     "output, so negative predictions are possible and the output's gradient is not masked.",
         code=_mlp("(g @ W) * (pre[k - 1] > 0)", forward_last="torch.relu(z)")),
    dict(exercise="mlp_grads_by_hand", id="mlp-mean-over-samples", section=_MLP_SECTION,
         explanation="The loss averages over all n * d_K entries of the prediction (nn.MSELoss); dividing by n "
                     "alone makes every gradient d_K times too large when there are several outputs.",
         code=_mlp("(g @ W) * (pre[k - 1] > 0)", scale="2 * (a - y) / a.shape[0]")),
    dict(exercise="mlp_grads_by_hand", id="mlp-missing-factor-2", section=_MLP_SECTION,
         explanation="The derivative of (prediction - y)**2 is 2 (prediction - y); without the 2 every gradient "
                     "is half the true one.",
         code=_mlp("(g @ W) * (pre[k - 1] > 0)", scale="(a - y) / a.numel()")),
    dict(exercise="mlp_grads_by_hand", id="mlp-backward-order", section=_MLP_SECTION,
         explanation="The pairs come in the order the backward pass found them, last layer first; the result "
                     "lists them in the order of params, layer 1 first.",
         code=_mlp("(g @ W) * (pre[k - 1] > 0)", ret="grads")),
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
         explanation="The lecture's recipe (raw data, L1 loss, plain SGD at 0.001) stays far from the goal: "
                     "section 7 ends in the tens after 5000 epochs. Standardise x and y and use MSE with Adam.",
         code="def fit_challenge(x, y, seed=0):\n"
              "    torch.manual_seed(seed)\n"
              "    net = nn.Sequential(nn.Linear(1, 10), nn.ReLU(), nn.Linear(10, 6), nn.ReLU(), nn.Linear(6, 1))\n"
              "    optimizer = torch.optim.SGD(net.parameters(), lr=0.001)\n"
              "    for _ in range(1000):\n"
              "        optimizer.zero_grad()\n"
              "        nn.L1Loss()(net(x), y).backward()\n"
              "        optimizer.step()\n"
              "    return net, lambda x_new: net(x_new).detach()\n"),
    dict(exercise="fit_challenge", id="predictions-not-unscaled", section="10. Challenge: fit the parabola",
         explanation="The network learned standardised targets, but the predictor returns them without mapping "
                     "back to y's scale (times y_std plus y_mean).",
         code=_CHALLENGE_HEAD +
              "    def predict_fn(x_new):\n"
              "        with torch.no_grad():\n"
              "            return net((x_new - x_mean) / x_std)\n"
              "    return net, predict_fn\n"),
    dict(exercise="fit_challenge", id="inputs-not-standardised", section="10. Challenge: fit the parabola",
         explanation="The network was trained on standardised x, but the predictor feeds it raw x.",
         code=_CHALLENGE_HEAD +
              "    def predict_fn(x_new):\n"
              "        with torch.no_grad():\n"
              "            return net(x_new) * y_std + y_mean\n"
              "    return net, predict_fn\n"),
    # --- linear_grads_by_hand (more) --------------------------------------------------
    dict(exercise="linear_grads_by_hand", id="sign-flipped", section=_LGBH,
         explanation="The error is taken as y - pred; the loss's gradient with respect to the prediction is "
                     "2 (pred - y) / (n m), so every gradient has the wrong sign.",
         code="def linear_grads_by_hand(x, y, W, b):\n"
              "    pred = x @ W.T + b\n"
              "    dpred = 2 * (y - pred) / pred.numel()\n"
              "    return dpred.T @ x, dpred.sum(dim=0)\n"),
    dict(exercise="linear_grads_by_hand", id="db-keepdim", section=_LGBH,
         explanation="db keeps the summed axis (keepdim=True) and has shape (1, m); a gradient has the shape of "
                     "its parameter, and b has shape (m,).",
         code="def linear_grads_by_hand(x, y, W, b):\n"
              "    pred = x @ W.T + b\n"
              "    dpred = 2 * (pred - y) / pred.numel()\n"
              "    return dpred.T @ x, dpred.sum(dim=0, keepdim=True)\n"),
    dict(exercise="linear_grads_by_hand", id="db-averaged", section=_LGBH,
         explanation="db averages dL/dpred over the samples; each bias adds to every sample's prediction, so "
                     "the chain rule adds up (sums) the samples' contributions.",
         code="def linear_grads_by_hand(x, y, W, b):\n"
              "    pred = x @ W.T + b\n"
              "    dpred = 2 * (pred - y) / pred.numel()\n"
              "    return dpred.T @ x, dpred.mean(dim=0)\n"),
    # --- make_quadratic_data (more) ---------------------------------------------------
    dict(exercise="make_quadratic_data", id="noise-drawn-first", section="3. The lecture's data: a noisy parabola",
         explanation="The noise is drawn before x, so the generator's numbers go to the wrong variables and the "
                     "data differ from everyone else's for the same seed; draw x first.",
         code="def make_quadratic_data(n=1000, noise_std=1.0, seed=0):\n"
              "    g = torch.Generator().manual_seed(seed)\n"
              "    noise = noise_std * torch.randn(n, 1, generator=g)\n"
              "    x = 30 * torch.rand(n, 1, generator=g) - 15\n"
              "    return x, 8 * x ** 2 + 7 * x + 3 + noise\n"),
    # --- build_model (more) -----------------------------------------------------------
    dict(exercise="build_model", id="relu-on-output", section="4. The lecture's network",
         explanation="A ReLU after the last layer makes every prediction at least 0 and stops the gradient "
                     "wherever the output is negative; a regression network's output layer is linear.",
         code="def build_model():\n"
              "    return nn.Sequential(nn.Linear(1, 10), nn.ReLU(), nn.Linear(10, 6), nn.ReLU(), nn.Linear(6, 1),\n"
              "                         nn.ReLU())\n"),
    # --- train (more) -----------------------------------------------------------------
    dict(exercise="train", id="detached-prediction", section=_TRAIN_SECTION,
         explanation="The prediction is detached from the graph (.detach(), or computed under torch.no_grad()), "
                     "so the loss does not depend on the parameters as far as autograd knows, and backward() "
                     "has nothing to differentiate.",
         code=_TRAIN_HEAD +
              "        pred = model(x).detach()\n"
              "        optimizer.zero_grad()\n"
              "        loss = loss_fn(pred, y)\n"
              "        loss.backward()\n"
              "        optimizer.step()\n"
              "        losses.append(loss.item())\n"
              "    return losses\n"),
    dict(exercise="train", id="loss-after-step", section=_TRAIN_SECTION,
         explanation="The recorded loss is computed again after the update; the contract records the loss of "
                     "the forward pass that drives each epoch's update, i.e. before the step.",
         code=_TRAIN_HEAD +
              "        optimizer.zero_grad()\n"
              "        loss_fn(model(x), y).backward()\n"
              "        optimizer.step()\n"
              "        with torch.no_grad():\n"
              "            losses.append(loss_fn(model(x), y).item())\n"
              "    return losses\n"),
    dict(exercise="train", id="summed-default-loss", section=_TRAIN_SECTION,
         explanation="The default loss sums the absolute errors (reduction='sum'); nn.L1Loss() averages them, "
                     "so the loss and every gradient are n times too large.",
         code="def train(model, x, y, epochs, lr, loss_fn=None):\n"
              "    if loss_fn is None:\n"
              "        loss_fn = nn.L1Loss(reduction='sum')\n"
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
    dict(exercise="train", id="sgd-with-momentum", section=_TRAIN_SECTION,
         explanation="The optimizer has momentum; train uses plain SGD, whose step depends on the current "
                     "gradient only.",
         code="def train(model, x, y, epochs, lr, loss_fn=None):\n"
              "    if loss_fn is None:\n"
              "        loss_fn = nn.L1Loss()\n"
              "    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)\n"
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
    # --- predict (more) ---------------------------------------------------------------
    dict(exercise="predict", id="returns-numpy", section="6. Training mode, evaluation mode, and `torch.no_grad()`",
         explanation="The predictions are converted to a NumPy array; predict returns a tensor (on the model's "
                     "device), which the rest of the notebook computes with.",
         code="def predict(model, x):\n"
              "    model.eval()\n"
              "    with torch.no_grad():\n"
              "        return model(x).cpu().numpy()\n"),
    # --- fit_challenge: shortcuts without a network --------------------------------
    dict(exercise="fit_challenge", id="shortcut-true-parabola", section="10. Challenge: fit the parabola",
         explanation="The predictor is the formula that generated the data, 8 x^2 + 7 x + 3, typed in: it reaches "
                     "the noise floor without learning anything, and the returned network plays no part in it. The "
                     "challenge is to make a network fit: the predictions must come from the trained module.",
         code="def fit_challenge(x, y, seed=0):\n"
              "    torch.manual_seed(seed)\n"
              "    net = nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 1))\n"
              "    return net, lambda x_new: 8 * x_new ** 2 + 7 * x_new + 3\n"),
    dict(exercise="fit_challenge", id="shortcut-polyfit", section="10. Challenge: fit the parabola",
         explanation="np.polyfit solves the least-squares problem for a degree-2 polynomial in closed form; that is "
                     "regression, not a trained network, and the returned module does not compute the predictions. "
                     "Train a network (standardise, MSE, Adam) and predict with it.",
         code="def fit_challenge(x, y, seed=0):\n"
              "    coef = np.polyfit(x.numpy()[:, 0].astype(np.float64), y.numpy()[:, 0].astype(np.float64), 2)\n"
              "    model = nn.Linear(1, 1)\n"
              "\n"
              "    def predict_fn(x_new):\n"
              "        return torch.tensor(np.polyval(coef, x_new.numpy().astype(np.float64)), dtype=torch.float32)\n"
              "    return model, predict_fn\n"),
    dict(exercise="fit_challenge", id="shortcut-polyfit-in-a-module", section="10. Challenge: fit the parabola",
         explanation="The module computes a polynomial whose coefficients np.polyfit set in closed form, so its "
                     "weights are the same for every seed: nothing was trained from random initial weights. "
                     "Build a network, let its weights start random, and train it.",
         code="class _Quadratic(nn.Module):\n"
              "    def __init__(self, coef):\n"
              "        super().__init__()\n"
              "        self.coef = nn.Parameter(torch.tensor(coef, dtype=torch.float32))\n"
              "\n"
              "    def forward(self, x):\n"
              "        return self.coef[0] * x ** 2 + self.coef[1] * x + self.coef[2]\n"
              "\n"
              "def fit_challenge(x, y, seed=0):\n"
              "    torch.manual_seed(seed)\n"
              "    coef = np.polyfit(x.numpy()[:, 0].astype(np.float64), y.numpy()[:, 0].astype(np.float64), 2)\n"
              "    model = _Quadratic(coef)\n"
              "\n"
              "    def predict_fn(x_new):\n"
              "        with torch.no_grad():\n"
              "            return model(x_new)\n"
              "    return model, predict_fn\n"),
    dict(exercise="fit_challenge", id="returns-only-the-predictor", section="10. Challenge: fit the parabola",
         explanation="Only the predictor is returned; fit_challenge returns the pair (model, predict_fn), the trained "
                     "module first, so that the grader can check the predictions come from it.",
         code=_CHALLENGE_HEAD +
              "    def predict_fn(x_new):\n"
              "        with torch.no_grad():\n"
              "            return net((x_new - x_mean) / x_std) * y_std + y_mean\n"
              "    return predict_fn\n"),
    # --- fit_challenge (more) ---------------------------------------------------------
    dict(exercise="fit_challenge", id="plain-sgd", section="10. Challenge: fit the parabola",
         explanation="Plain SGD at 0.01 for 1000 epochs moves too little, even on standardised data, and the "
                     "error stays in the tens; an adaptive optimizer such as Adam (notebook 06) gets there.",
         code="def fit_challenge(x, y, seed=0):\n"
              "    torch.manual_seed(seed)\n"
              "    x_mean, x_std, y_mean, y_std = x.mean(), x.std(), y.mean(), y.std()\n"
              "    net = nn.Sequential(nn.Linear(1, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))\n"
              "    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)\n"
              "    for _ in range(1000):\n"
              "        optimizer.zero_grad()\n"
              "        nn.MSELoss()(net((x - x_mean) / x_std), (y - y_mean) / y_std).backward()\n"
              "        optimizer.step()\n"
              "    net.eval()\n"
              "    def predict_fn(x_new):\n"
              "        with torch.no_grad():\n"
              "            return net((x_new - x_mean) / x_std) * y_std + y_mean\n"
              "    return net, predict_fn\n"),
    # --- QuadraticNet -----------------------------------------------------------------
    dict(exercise="QuadraticNet", id="no-super-init", section=_MOD,
         explanation="super().__init__() is not called, so the module's registries do not exist yet and "
                     "assigning a layer fails; call it first in __init__.",
         code=_net(_INIT.replace("        super().__init__()\n", ""),
                   "        return self.output(torch.relu(self.hidden2(torch.relu(self.hidden1(x)))))\n")),
    dict(exercise="QuadraticNet", id="layers-in-plain-list", section=_MOD,
         explanation="The layers are kept in a plain Python list, which nn.Module does not look into: "
                     "parameters() is empty, so an optimizer would train nothing and .to(device) would move "
                     "nothing. Assign each layer to an attribute, or use nn.ModuleList or nn.Sequential.",
         code=_net("        super().__init__()\n"
                   "        self.layers = [nn.Linear(1, 10), nn.Linear(10, 6), nn.Linear(6, 1)]\n",
                   "        h = torch.relu(self.layers[0](x))\n"
                   "        h = torch.relu(self.layers[1](h))\n"
                   "        return self.layers[2](h)\n")),
    dict(exercise="QuadraticNet", id="net-relu-on-output", section=_MOD,
         explanation="forward applies a ReLU to the output, so no prediction can be negative; the last layer of "
                     "a regression network is linear.",
         code=_net(_INIT, "        return torch.relu(self.output(torch.relu(self.hidden2(torch.relu(self.hidden1(x))))))\n")),
    dict(exercise="QuadraticNet", id="net-no-activations", section=_MOD,
         explanation="forward has no ReLU between the layers, so the three layers collapse into one linear "
                     "function (notebook 03), which cannot bend to a parabola.",
         code=_net(_INIT, "        return self.output(self.hidden2(self.hidden1(x)))\n")),
    dict(exercise="QuadraticNet", id="net-swapped-hidden-sizes", section=_MOD,
         explanation="The hidden layers have 6 then 10 units; the lecture's network is 1-10-6-1.",
         code=_net("        super().__init__()\n"
                   "        self.hidden1 = nn.Linear(1, 6)\n"
                   "        self.hidden2 = nn.Linear(6, 10)\n"
                   "        self.output = nn.Linear(10, 1)\n",
                   "        return self.output(torch.relu(self.hidden2(torch.relu(self.hidden1(x)))))\n")),
    dict(exercise="QuadraticNet", id="sigmoid-activations", section=_MOD,
         explanation="The hidden layers use a sigmoid; the lecture's network uses ReLU.",
         code=_net(_INIT, "        return self.output(torch.sigmoid(self.hidden2(torch.sigmoid(self.hidden1(x)))))\n")),
    dict(exercise="QuadraticNet", id="net-seeds-inside", section=_MOD,
         explanation="__init__ calls torch.manual_seed, so every network starts from the same weights and the "
                     "caller's random state is reset; the caller seeds.",
         code=_net("        torch.manual_seed(0)\n" + _INIT,
                   "        return self.output(torch.relu(self.hidden2(torch.relu(self.hidden1(x)))))\n")),
    # --- make_loaders -----------------------------------------------------------------
    dict(exercise="make_loaders", id="loaders-global-seed", section=_MOD,
         explanation="torch.manual_seed(seed) reseeds the global generator, which also decides the network's "
                     "initial weights and everything else random; the split must come from a private "
                     "torch.Generator.",
         code=_loaders("    torch.manual_seed(seed)\n"
                       "    n_val = int(val_fraction * len(x))\n"
                       "    order = torch.randperm(len(x))\n"
                       "    val_rows, train_rows = order[:n_val], order[n_val:]\n"
                       "    train_loader = DataLoader(TensorDataset(x[train_rows], y[train_rows]), batch_size=batch_size, shuffle=True)\n"
                       + _VAL + "    return train_loader, val_loader\n")),
    dict(exercise="make_loaders", id="split-not-seeded", section=_MOD,
         explanation="random_split (or randperm) without generator= draws from the global random state, so the "
                     "split ignores seed and changes with everything random that ran before; pass a "
                     "torch.Generator seeded with seed.",
         code=_loaders("    data = TensorDataset(x, y)\n"
                       "    n_val = int(val_fraction * len(x))\n"
                       "    train_set, val_set = torch.utils.data.random_split(data, [len(x) - n_val, n_val])\n"
                       "    return (DataLoader(train_set, batch_size=batch_size, shuffle=True),\n"
                       "            DataLoader(val_set, batch_size=batch_size))\n")),
    dict(exercise="make_loaders", id="first-rows-for-validation", section=_MOD,
         explanation="The validation set is the first rows, whatever the seed; if the data are sorted or grouped "
                     "it is not like the rest. Split a random permutation of the rows.",
         code=_loaders("    n_val = int(val_fraction * len(x))\n"
                       "    gen = torch.Generator().manual_seed(seed)\n"
                       "    train_loader = DataLoader(TensorDataset(x[n_val:], y[n_val:]), batch_size=batch_size,\n"
                       "                              shuffle=True, generator=gen)\n"
                       "    return train_loader, DataLoader(TensorDataset(x[:n_val], y[:n_val]), batch_size=batch_size)\n")),
    dict(exercise="make_loaders", id="no-shuffle", section=_MOD,
         explanation="The training loader is not shuffled, so every epoch sees the batches in the same order and "
                     "with the same members; pass shuffle=True.",
         code=_loaders(_SPLIT +
                       "    train_loader = DataLoader(TensorDataset(x[train_rows], y[train_rows]), batch_size=batch_size)\n"
                       + _VAL + "    return train_loader, val_loader\n")),
    dict(exercise="make_loaders", id="drop-last", section=_MOD,
         explanation="drop_last=True throws away the last, smaller batch, so some training samples are never "
                     "used in an epoch; keep it.",
         code=_loaders(_SPLIT +
                       "    train_loader = DataLoader(TensorDataset(x[train_rows], y[train_rows]), batch_size=batch_size,\n"
                       "                              shuffle=True, generator=gen, drop_last=True)\n"
                       + _VAL + "    return train_loader, val_loader\n")),
    dict(exercise="make_loaders", id="fraction-to-training", section=_MOD,
         explanation="val_fraction is given to the training set; it is the validation set's share of the samples.",
         code=_loaders("    gen = torch.Generator().manual_seed(seed)\n"
                       "    n_train = int(val_fraction * len(x))\n"
                       "    order = torch.randperm(len(x), generator=gen)\n"
                       "    train_rows, val_rows = order[:n_train], order[n_train:]\n"
                       "    train_loader = DataLoader(TensorDataset(x[train_rows], y[train_rows]), batch_size=batch_size,\n"
                       "                              shuffle=True, generator=gen)\n"
                       + _VAL + "    return train_loader, val_loader\n")),
    dict(exercise="make_loaders", id="x-and-y-permuted-apart", section=_MOD,
         explanation="x and y are put in random order separately, so a batch's targets belong to other samples; "
                     "index both with the same rows, or split one TensorDataset(x, y).",
         code=_loaders("    gen = torch.Generator().manual_seed(seed)\n"
                       "    n_val = int(val_fraction * len(x))\n"
                       "    x_rows = torch.randperm(len(x), generator=gen)\n"
                       "    y_rows = torch.randperm(len(x), generator=gen)\n"
                       "    train_loader = DataLoader(TensorDataset(x[x_rows[n_val:]], y[y_rows[n_val:]]), batch_size=batch_size,\n"
                       "                              shuffle=True, generator=gen)\n"
                       "    val_loader = DataLoader(TensorDataset(x[x_rows[:n_val]], y[y_rows[:n_val]]), batch_size=batch_size)\n"
                       "    return train_loader, val_loader\n")),
    dict(exercise="make_loaders", id="trains-on-everything", section=_MOD,
         explanation="The training loader holds all the samples, the validation ones too; a validation error "
                     "measured on data the model trained on says nothing about new data.",
         code=_loaders(_SPLIT +
                       "    train_loader = DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True, generator=gen)\n"
                       + _VAL + "    return train_loader, val_loader\n")),
    # --- evaluate_mae -----------------------------------------------------------------
    dict(exercise="evaluate_mae", id="mean-of-batch-means", section=_MOD,
         explanation="The result averages the batches' mean errors, so a small last batch counts as much as a "
                     "full one; add up the absolute errors of all samples and divide by their number.",
         code=_evaluate("    model.eval()\n"
                        "    means = []\n"
                        "    with torch.no_grad():\n"
                        "        for xb, yb in loader:\n"
                        "            means.append((model(xb) - yb).abs().mean().item())\n"
                        "    return sum(means) / len(means)\n")),
    dict(exercise="evaluate_mae", id="evaluate-without-eval", section=_MOD,
         explanation="The model is not put in evaluation mode, so Dropout keeps zeroing random units and the "
                     "error is that of a random, thinned network; call model.eval() first.",
         code=_evaluate("    total, count = 0.0, 0\n"
                        "    with torch.no_grad():\n"
                        "        for xb, yb in loader:\n"
                        "            total += (model(xb) - yb).abs().sum().item()\n"
                        "            count += yb.numel()\n"
                        "    return total / count\n")),
    dict(exercise="evaluate_mae", id="first-batch-only", section=_MOD,
         explanation="The function returns inside the loop, after the first batch; the MAE is over every batch.",
         code=_evaluate("    model.eval()\n"
                        "    with torch.no_grad():\n"
                        "        for xb, yb in loader:\n"
                        "            return (model(xb) - yb).abs().mean().item()\n")),
    dict(exercise="evaluate_mae", id="squared-error", section=_MOD,
         explanation="This is the mean squared error; the mean absolute error averages |prediction - target|.",
         code=_evaluate("    model.eval()\n"
                        "    total, count = 0.0, 0\n"
                        "    with torch.no_grad():\n"
                        "        for xb, yb in loader:\n"
                        "            total += ((model(xb) - yb) ** 2).sum().item()\n"
                        "            count += yb.numel()\n"
                        "    return total / count\n")),
]
