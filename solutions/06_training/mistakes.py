"""Plausible wrong implementations of 06_training's exercises (see ../MISTAKES.md).

Most entries are the solution cell with one line changed: the cell is read from the solution
notebook, so the catalogue stays in step with it.
"""
from pathlib import Path

from autograder.mistake_cells import SolutionCells

_changed = SolutionCells(Path(__file__).resolve().parent / "06_training.ipynb").changed


_INIT = "2. Where training starts: initialization"
_CHECKS = "3. Before training, check the network"
_OPT = "4. Optimizers and schedules"
_REG = "5. Regularization: weight decay, dropout, early stopping"
_BN = "6. Batch normalization"

MISTAKES = [
    # --- init_params ------------------------------------------------------------------------
    dict(exercise="init_params", id="init-variance-as-std", section=_INIT,
         explanation="The variance is passed as the normal's scale, which is its standard deviation; the standard "
                     "deviation is the square root of the variance.",
         code=_changed("init_params", ("np.sqrt(variance)", "variance"))),
    dict(exercise="init_params", id="init-he-lecun", section=_INIT,
         explanation="This variance keeps the signal of linear units; a ReLU discards half of its input's second "
                     "moment, so He's variance is twice as large.",
         code=_changed("init_params", ("else 2.0 / n_in", "else 1.0 / n_in"))),
    dict(exercise="init_params", id="init-xavier-n-in", section=_INIT,
         explanation="Xavier's variance balances the forward pass (n_in) and the backward pass (n_out); only n_in "
                     "is used here.",
         code=_changed("init_params", ("2.0 / (n_in + n_out) if", "2.0 / n_in if"))),
    dict(exercise="init_params", id="init-transposed", section=_INIT,
         explanation="W is made with shape (n_in, n_out); the course's layers use (n_out, n_in).",
         code=_changed("init_params", ("size=(n_out, n_in))", "size=(n_in, n_out))"),
                       ("np.zeros((n_out, n_in))", "np.zeros((n_in, n_out))"))),
    dict(exercise="init_params", id="init-generator-per-layer", section=_INIT,
         explanation="A new generator with the same seed is made for every layer, so layers of the same shape get "
                     "the same weights; make one generator before the loop.",
         code=_changed("init_params", ("            W = generator.normal(",
                                       "            W = np.random.default_rng(seed).normal("))),
    dict(exercise="init_params", id="init-ignores-seed", section=_INIT,
         explanation="np.random draws from the global generator, so the seed is ignored and two calls differ.",
         code=_changed("init_params", ("            W = generator.normal(", "            W = np.random.normal("))),
    # --- expected_initial_loss --------------------------------------------------------------
    dict(exercise="expected_initial_loss", id="initial-loss-probability", section=_CHECKS,
         explanation="That is the probability uniform scores give the true class; the loss is minus its logarithm.",
         code=_changed("expected_initial_loss", ("return float(np.log(n_classes))", "return 1.0 / n_classes"))),
    dict(exercise="expected_initial_loss", id="initial-loss-log10", section=_CHECKS,
         explanation="The logarithm is base 10; cross-entropy (and softmax_cross_entropy) uses the natural log.",
         code=_changed("expected_initial_loss", ("np.log(n_classes)", "np.log10(n_classes)"))),
    dict(exercise="expected_initial_loss", id="initial-loss-sign", section=_CHECKS,
         explanation="The sign is lost: the log of a probability below 1 is negative, and the loss is minus it.",
         code=_changed("expected_initial_loss", ("float(np.log(n_classes))", "float(-np.log(n_classes))"))),
    # --- sgd_momentum_step --------------------------------------------------------------------
    dict(exercise="sgd_momentum_step", id="momentum-uphill", section=_OPT,
         explanation="The parameters move along the velocity, uphill; a descent step moves against it.",
         code=_changed("sgd_momentum_step", ("p - lr * v", "p + lr * v"))),
    dict(exercise="sgd_momentum_step", id="momentum-dampening", section=_OPT,
         explanation="The new gradient is scaled by (1 - momentum) before it is added (dampening); torch.optim.SGD's "
                     "default adds the gradient itself, so the first step is a plain SGD step.",
         code=_changed("sgd_momentum_step", ("momentum * v + g for", "momentum * v + (1 - momentum) * g for"))),
    dict(exercise="sgd_momentum_step", id="momentum-forgotten", section=_OPT,
         explanation="The state is not read back, so every step starts from a zero velocity: momentum never builds up.",
         code=_changed("sgd_momentum_step", ('state.get("velocity", ', '({}).get("velocity", '))),
    dict(exercise="sgd_momentum_step", id="momentum-lr-inside", section=_OPT,
         explanation="The learning rate is inside the velocity. That equals torch's rule only while lr stays the "
                     "same; under a schedule the old velocity keeps the old rates.",
         code=_changed("sgd_momentum_step", ("momentum * v + g for", "momentum * v + lr * g for"),
                       ("p - lr * v", "p - v"))),
    dict(exercise="sgd_momentum_step", id="momentum-in-place", section=_OPT,
         explanation="The parameters are updated in place; the caller's arrays change. Return new arrays.",
         code=_changed("sgd_momentum_step", ("    new_params = [p - lr * v for p, v in zip(params, velocity)]\n",
                                             "    for p, v in zip(params, velocity):\n        p -= lr * v\n"
                                             "    new_params = params\n"))),
    # --- rmsprop_step ----------------------------------------------------------------------
    dict(exercise="rmsprop_step", id="rmsprop-eps-inside", section=_OPT,
         explanation="eps is added under the square root; torch.optim.RMSprop adds it to the root, which matters "
                     "whenever eps is not tiny next to the average.",
         code=_changed("rmsprop_step", ("(s ** 0.5 + eps)", "(s + eps) ** 0.5"))),
    dict(exercise="rmsprop_step", id="rmsprop-weights-swapped", section=_OPT,
         explanation="The weights of the running average are swapped: the new squared gradient gets alpha and the "
                     "old average 1 - alpha, so the average forgets almost at once.",
         code=_changed("rmsprop_step", ("alpha * s + (1 - alpha) * g * g", "(1 - alpha) * s + alpha * g * g"))),
    dict(exercise="rmsprop_step", id="rmsprop-no-sqrt", section=_OPT,
         explanation="The gradient is divided by the average of its square, not by its root: the step then scales "
                     "like 1 / g instead of being about lr.",
         code=_changed("rmsprop_step", ("(s ** 0.5 + eps)", "(s + eps)"))),
    dict(exercise="rmsprop_step", id="rmsprop-state-forgotten", section=_OPT,
         explanation="The state is not read back: every step starts the running average from zero.",
         code=_changed("rmsprop_step", ('state.get("square_avg", ', '({}).get("square_avg", '))),
    # --- adam_step ------------------------------------------------------------------------
    dict(exercise="adam_step", id="adam-no-bias-correction", section=_OPT,
         explanation="The averages are used without bias correction. Both start at zero, so in the first steps "
                     "they fall short of the gradient by the total weight they have collected.",
         code=_changed("adam_step", ("(m_i / (1 - beta1 ** t))", "m_i"), ("(v_i / (1 - beta2 ** t))", "v_i"))),
    dict(exercise="adam_step", id="adam-eps-inside", section=_OPT,
         explanation="eps is added under the square root; torch.optim.Adam adds it to the root.",
         code=_changed("adam_step", ("((v_i / (1 - beta2 ** t)) ** 0.5 + eps)", "((v_i / (1 - beta2 ** t) + eps) ** 0.5)"))),
    dict(exercise="adam_step", id="adam-step-not-counted", section=_OPT,
         explanation="The step count is not carried over, so the bias correction stays that of the first step.",
         code=_changed("adam_step", ('t = state.get("step", 0) + 1', "t = 1"))),
    dict(exercise="adam_step", id="adam-corrected-stored", section=_OPT,
         explanation="The state stores the bias-corrected averages; the next step then corrects them again. Store "
                     "the raw averages and correct them afresh at every step.",
         code=_changed("adam_step", ('return new_params, {"step": t, "m": m, "v": v}',
                                     'return new_params, {"step": t, "m": [a / (1 - beta1 ** t) for a in m], '
                                     '"v": [b / (1 - beta2 ** t) for b in v]}'))),
    dict(exercise="adam_step", id="adam-square-not-averaged", section=_OPT,
         explanation="The second average collects the gradient, not its square: the denominator is not the size "
                     "of the gradient.",
         code=_changed("adam_step", ("(1 - beta2) * g * g", "(1 - beta2) * g"))),
    # --- cosine_lr ----------------------------------------------------------------------------
    dict(exercise="cosine_lr", id="cosine-full-period", section=_OPT,
         explanation="The cosine runs a whole period, back up to base_lr at the end; the schedule is half a period.",
         code=_changed("cosine_lr", ("math.pi * step", "2 * math.pi * step"))),
    dict(exercise="cosine_lr", id="cosine-linear", section=_OPT,
         explanation="The rate falls along a straight line; the schedule follows a cosine (flat at both ends).",
         code=_changed("cosine_lr", ("0.5 * (base_lr - min_lr) * (1 + math.cos(math.pi * step / total_steps))",
                                     "(base_lr - min_lr) * (1 - step / total_steps)"))),
    dict(exercise="cosine_lr", id="cosine-ignores-min", section=_OPT,
         explanation="min_lr only shifts the curve; the cosine must span base_lr - min_lr, not base_lr.",
         code=_changed("cosine_lr", ("0.5 * (base_lr - min_lr)", "0.5 * base_lr"))),
    # --- l2_penalty ----------------------------------------------------------------------------
    dict(exercise="l2_penalty", id="l2-no-half", section=_REG,
         explanation="The penalty has lost its 1/2, the factor that makes its gradient simple.",
         code=_changed("l2_penalty", ("penalty = 0.5 * lam * sum(", "penalty = lam * sum("))),
    dict(exercise="l2_penalty", id="l2-penalizes-bias", section=_REG,
         explanation="The biases are penalized too; weight decay is on the weights only (the biases get a zero "
                     "gradient).",
         code="import numpy as np\ndef l2_penalty(params, lam):\n"
              "    penalty = 0.5 * lam * sum(np.sum(W ** 2) + np.sum(b ** 2) for W, b in params)\n"
              "    return penalty, [(lam * W, lam * b) for W, b in params]\n"),
    dict(exercise="l2_penalty", id="l2-mean", section=_REG,
         explanation="The squares are averaged instead of summed over the weights.",
         code=_changed("l2_penalty", ("float(np.sum(np.square(W)))", "float(np.mean(np.square(W)))"))),
    dict(exercise="l2_penalty", id="l2-grad-twice", section=_REG,
         explanation="The gradient is twice too large: the 1/2 of the penalty cancels the 2 of the square.",
         code=_changed("l2_penalty", ("(lam * np.asarray(W, dtype=float)", "(2 * lam * np.asarray(W, dtype=float)"))),
    dict(exercise="l2_penalty", id="l2-sign-gradient", section=_REG,
         explanation="That is the gradient of an L1 penalty (absolute values); the L2 penalty's grows with the weight.",
         code=_changed("l2_penalty", ("(lam * np.asarray(W, dtype=float)", "(lam * np.sign(W)"))),
    # --- dropout -------------------------------------------------------------------------------
    dict(exercise="dropout_forward", id="dropout-not-inverted", section=_REG,
         explanation="The kept activations are not rescaled, so in training each activation's expected value is "
                     "smaller than at evaluation; inverted dropout scales the kept ones up.",
         code=_changed("dropout_forward", ("mask = keep / (1.0 - p_drop)", "mask = keep * 1.0"))),
    dict(exercise="dropout_forward", id="dropout-keep-swapped", section=_REG,
         explanation="The kept and dropped entries are swapped: p_drop is the probability of dropping.",
         code=_changed("dropout_forward", (">= p_drop", "< p_drop"))),
    dict(exercise="dropout_forward", id="dropout-scaled-by-p", section=_REG,
         explanation="The kept entries are multiplied by the keep probability, which shrinks the expectation "
                     "further instead of restoring it.",
         code=_changed("dropout_forward", ("mask = keep / (1.0 - p_drop)", "mask = keep * (1.0 - p_drop)"))),
    dict(exercise="dropout_forward", id="dropout-at-evaluation", section=_REG,
         explanation="Dropout is applied in evaluation mode too; at evaluation nothing is dropped.",
         code=_changed("dropout_forward", ("    if not train:\n        return X.copy(), None\n", ""))),
    dict(exercise="dropout_backward", id="dropout-backward-unscaled", section=_REG,
         explanation="The gradient is masked but not scaled: the local gradient of each entry is the factor the "
                     "forward pass multiplied it by.",
         code=_changed("dropout_backward", ("dout * mask", "dout * (mask > 0)"))),
    dict(exercise="dropout_backward", id="dropout-backward-divided", section=_REG,
         explanation="The gradient is divided by the factor; the local gradient is the factor itself.",
         code="import numpy as np\ndef dropout_backward(dout, mask):\n"
              "    if mask is None:\n        return np.array(dout, dtype=float)\n"
              "    return np.where(mask > 0, dout / np.where(mask > 0, mask, 1.0), 0.0)\n"),
    # --- should_stop ---------------------------------------------------------------------------
    dict(exercise="should_stop", id="stop-one-late", section=_REG,
         explanation="It stops only when more than patience epochs have passed since the best one; patience epochs "
                     "without a new low are enough.",
         code=_changed("should_stop", ("- best >= patience", "- best > patience"))),
    dict(exercise="should_stop", id="stop-ties-improve", section=_REG,
         explanation="The last epoch with the lowest loss is taken as the best, so a tie counts as an improvement; "
                     "a new low must be strictly lower.",
         code="import numpy as np\ndef should_stop(val_losses, patience):\n"
              "    losses = np.asarray(val_losses, dtype=float)\n"
              "    best = len(losses) - 1 - int(np.argmin(losses[::-1]))\n"
              "    return bool(len(losses) - 1 - best >= patience)\n"),
    dict(exercise="should_stop", id="stop-argmax", section=_REG,
         explanation="The epoch with the highest loss is taken as the best one.",
         code=_changed("should_stop", ("np.argmin(losses)", "np.argmax(losses)"))),
    # --- batchnorm --------------------------------------------------------------------------------
    dict(exercise="batchnorm_forward", id="bn-sample-variance", section=_BN,
         explanation="The batch variance divides by n - 1; batch normalization uses the population variance "
                     "(divided by n), in training and in this course's running average.",
         code=_changed("batchnorm_forward", ("X.var(axis=0)", "X.var(axis=0, ddof=1)"))),
    dict(exercise="batchnorm_forward", id="bn-momentum-swapped", section=_BN,
         explanation="momentum weighs the batch statistic instead of the old running value; in this course's "
                     "convention the old value keeps the weight momentum (PyTorch's momentum is the other weight).",
         code=_changed("batchnorm_forward",
                       ('momentum * running["mean"] + (1 - momentum) * mu', '(1 - momentum) * running["mean"] + momentum * mu'),
                       ('momentum * running["var"] + (1 - momentum) * var', '(1 - momentum) * running["var"] + momentum * var'))),
    dict(exercise="batchnorm_forward", id="bn-batch-stats-at-eval", section=_BN,
         explanation="Evaluation mode normalizes with the batch's statistics; it must use the running ones, so that "
                     "a prediction does not depend on the other samples of the batch.",
         code=_changed("batchnorm_forward", ('mu, var = running["mean"], running["var"]', "mu, var = X.mean(axis=0), X.var(axis=0)"))),
    dict(exercise="batchnorm_forward", id="bn-wrong-axis", section=_BN,
         explanation="The statistics are taken over the features of each sample (axis 1); batch normalization "
                     "normalizes each feature over the batch (axis 0).",
         code=_changed("batchnorm_forward", ("mu, var = X.mean(axis=0), X.var(axis=0)",
                                             "mu, var = X.mean(axis=1, keepdims=True), X.var(axis=1, keepdims=True)"))),
    dict(exercise="batchnorm_forward", id="bn-running-in-place", section=_BN,
         explanation="The running statistics are updated in place, so the caller's dict changes; return a new dict.",
         code=_changed("batchnorm_forward", ('        new_running = {"mean": momentum * running["mean"] + (1 - momentum) * mu,\n'
                                             '                       "var": momentum * running["var"] + (1 - momentum) * var}\n',
                                             '        running["mean"] *= momentum\n        running["mean"] += (1 - momentum) * mu\n'
                                             '        running["var"] *= momentum\n        running["var"] += (1 - momentum) * var\n'
                                             '        new_running = running\n'))),
    dict(exercise="batchnorm_backward", id="bn-backward-direct-only", section=_BN,
         explanation="Only the direct path is followed; the batch mean and variance depend on every sample too, and "
                     "their two paths subtract the batch means of the gradient.",
         code=_changed("batchnorm_backward", ("(dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std",
                                              "dx_hat / std"))),
    dict(exercise="batchnorm_backward", id="bn-backward-no-variance-path", section=_BN,
         explanation="The path through the batch variance is missing; only the mean's is subtracted.",
         code=_changed("batchnorm_backward", ("(dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / std",
                                              "(dx_hat - dx_hat.mean(axis=0)) / std"))),
    dict(exercise="batchnorm_backward", id="bn-backward-no-gamma", section=_BN,
         explanation="gamma is left out of the gradient that reaches x_hat: out = gamma * x_hat + beta.",
         code=_changed("batchnorm_backward", ("dx_hat = dout * gamma", "dx_hat = dout"))),
    dict(exercise="batchnorm_backward", id="bn-backward-dgamma-mean", section=_BN,
         explanation="dgamma and dbeta are averaged over the batch; gamma and beta are used by every sample, so "
                     "their gradients are sums, like a bias's.",
         code=_changed("batchnorm_backward", ("(dout * x_hat).sum(axis=0), dout.sum(axis=0)",
                                              "(dout * x_hat).mean(axis=0), dout.mean(axis=0)"))),
]
