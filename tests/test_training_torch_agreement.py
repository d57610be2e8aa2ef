"""06_training's solutions agree with PyTorch: batch normalization's and dropout's backward
passes with torch.autograd on random inputs, each optimizer with torch.optim over 10 steps whose
learning rate changes at every step (a schedule), on tensors and on NumPy arrays.

The functions are the solution cells of solutions/06_training; the same checks run on catalogued
wrong versions (solutions/06_training/mistakes.py) to show that they can fail.
"""
from __future__ import annotations

import importlib.util
import json
import math

import numpy as np
import pytest

from nbgrading import SOLUTIONS

torch = pytest.importorskip("torch")

NOTEBOOK = SOLUTIONS / "06_training" / "06_training.ipynb"


def _cell(grade_id: str) -> str:
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    (cell,) = [c for c in cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]
    return "".join(cell["source"])


def _mistake(mistake_id: str) -> dict:
    spec = importlib.util.spec_from_file_location("mistakes_06_training", SOLUTIONS / "06_training" / "mistakes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (m,) = [m for m in module.MISTAKES if m["id"] == mistake_id]
    return m


def functions(replace: dict[str, str] | None = None) -> dict:
    """The namespace of the solution cells (with some cells replaced by other code)."""
    namespace = {"np": np, "math": math}
    for gid in ("batchnorm_forward", "batchnorm_backward", "dropout_forward", "dropout_backward",
                "sgd_momentum_step", "rmsprop_step", "adam_step"):
        exec((replace or {}).get(gid, _cell(gid)), namespace)
    return namespace


def _with_mistake(mistake_id: str) -> dict:
    m = _mistake(mistake_id)
    return functions({m["exercise"]: m["code"]})


# --- batch normalization and dropout against torch.autograd ----------------------------------

def batchnorm_agrees(fns, seed: int) -> bool:
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(2, 12)), int(rng.integers(1, 7))
    X = rng.normal(loc=rng.normal(), scale=rng.uniform(0.5, 3), size=(n, d))
    gamma, beta, dout = rng.normal(size=d), rng.normal(size=d), rng.normal(size=(n, d))
    eps = float(rng.choice([1e-5, 1e-3, 0.1]))
    running = {"mean": rng.normal(size=d), "var": rng.uniform(0.5, 2, size=d)}
    out, cache, new_running = fns["batchnorm_forward"](X, gamma, beta, running, True, momentum=0.9, eps=eps)
    dX, dgamma, dbeta = fns["batchnorm_backward"](dout, cache)

    Xt, gt, bt = (torch.tensor(a, requires_grad=True) for a in (X, gamma, beta))
    run_mean, run_var = torch.tensor(running["mean"]), torch.tensor(running["var"])
    out_t = torch.nn.functional.batch_norm(Xt, run_mean, run_var, gt, bt, training=True, momentum=0.1, eps=eps)
    out_t.backward(torch.tensor(dout))
    # PyTorch's running variance averages the unbiased batch variance (n - 1); ours the population one
    var = X.var(axis=0)
    return (np.allclose(out, out_t.detach().numpy(), atol=1e-8)
            and np.allclose(dX, Xt.grad.numpy(), rtol=1e-6, atol=1e-9)
            and np.allclose(dgamma, gt.grad.numpy(), rtol=1e-6, atol=1e-9)
            and np.allclose(dbeta, bt.grad.numpy(), rtol=1e-6, atol=1e-9)
            and np.allclose(new_running["mean"], run_mean.numpy())
            and np.allclose(new_running["var"] + 0.1 * var * (n / (n - 1) - 1), run_var.numpy()))


def dropout_agrees(fns, seed: int) -> bool:
    rng = np.random.default_rng(seed)
    shape = tuple(int(s) for s in rng.integers(1, 9, size=2))
    X, dout, p = rng.normal(size=shape), rng.normal(size=shape), float(rng.uniform(0.05, 0.9))
    out, mask = fns["dropout_forward"](X, p, True, seed)
    kept = np.random.default_rng(seed).random(shape) >= p
    Xt = torch.tensor(X, requires_grad=True)
    out_t = Xt * torch.tensor(kept / (1 - p))          # inverted dropout written in torch
    out_t.backward(torch.tensor(dout))
    return (np.allclose(out, out_t.detach().numpy())
            and np.allclose(fns["dropout_backward"](dout, mask), Xt.grad.numpy())
            and np.allclose(fns["dropout_backward"](dout, None), dout))


@pytest.mark.parametrize("seed", range(10))
def test_batchnorm_backward_agrees_with_autograd(seed):
    assert batchnorm_agrees(functions(), seed)


@pytest.mark.parametrize("seed", range(10))
def test_dropout_backward_agrees_with_autograd(seed):
    assert dropout_agrees(functions(), seed)


@pytest.mark.parametrize("mistake_id", ["bn-backward-no-variance-path", "bn-backward-direct-only",
                                        "bn-momentum-swapped", "bn-sample-variance"])
def test_a_wrong_batchnorm_disagrees(mistake_id):
    fns = _with_mistake(mistake_id)
    assert not all(batchnorm_agrees(fns, seed) for seed in range(5))


@pytest.mark.parametrize("mistake_id", ["dropout-backward-unscaled", "dropout-not-inverted"])
def test_a_wrong_dropout_disagrees(mistake_id):
    fns = _with_mistake(mistake_id)
    assert not all(dropout_agrees(fns, seed) for seed in range(5))


# --- optimizers against torch.optim ------------------------------------------------------------

OPTIMIZERS = {
    "sgd_momentum_step": (torch.optim.SGD, dict(momentum=0.9)),
    "rmsprop_step": (torch.optim.RMSprop, dict(alpha=0.95, eps=1e-3)),
    "adam_step": (torch.optim.Adam, dict(betas=(0.8, 0.99), eps=1e-3)),
}


def optimizer_agrees(step_fn, optimizer_cls, hyper, seed: int, arrays: bool) -> bool:
    """10 steps of step_fn and of torch.optim, the learning rate changing at every step."""
    gen = torch.Generator().manual_seed(seed)
    shapes = [(3, 4), (4,), (2, 1, 3)]
    start = [torch.randn(s, generator=gen, dtype=torch.float64) for s in shapes]
    reference = [torch.nn.Parameter(p.clone()) for p in start]
    optimizer = optimizer_cls(reference, lr=0.1, **hyper)
    params = [p.numpy().copy() if arrays else p.clone().requires_grad_(True) for p in start]
    state = {}
    lrs = np.random.default_rng(seed).uniform(0.001, 0.1, size=10)
    for lr in lrs:
        grads = [torch.randn(s, generator=gen, dtype=torch.float64) for s in shapes]
        for group in optimizer.param_groups:
            group["lr"] = float(lr)
        for p, g in zip(reference, grads):
            p.grad = g.clone()
        optimizer.step()
        params, state = step_fn(params, [g.numpy().copy() if arrays else g for g in grads], state, float(lr), **hyper)
        ours = [p.detach().numpy() if torch.is_tensor(p) else np.asarray(p) for p in params]
        if not all(a.shape == b.shape and np.allclose(a, b.detach().numpy(), rtol=1e-9, atol=1e-12)
                   for a, b in zip(ours, reference)):
            return False
    return True


@pytest.mark.parametrize("arrays", [False, True], ids=["tensors", "arrays"])
@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_agrees_with_torch_optim_under_a_changing_lr(name, arrays):
    optimizer_cls, hyper = OPTIMIZERS[name]
    fns = functions()
    for seed in range(3):
        assert optimizer_agrees(fns[name], optimizer_cls, hyper, seed, arrays), (name, seed)


@pytest.mark.parametrize("mistake_id", ["momentum-lr-inside", "rmsprop-eps-inside", "adam-corrected-stored",
                                        "adam-step-not-counted"])
def test_a_wrong_optimizer_disagrees(mistake_id):
    m = _mistake(mistake_id)
    optimizer_cls, hyper = OPTIMIZERS[m["exercise"]]
    assert not optimizer_agrees(_with_mistake(mistake_id)[m["exercise"]], optimizer_cls, hyper, 0, arrays=True)
