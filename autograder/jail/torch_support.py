"""torch, where a process has already imported it: the one place that asks (both sides).

Importing torch costs about 2 s, so nothing here imports it: a value can be a tensor or a
module only if its process has torch loaded already, and torch's state (RNG, grad mode) is
worth carrying only then. Standard library and NumPy only (sent into the sandbox).
"""
import sys

import numpy as np


def torch_if_loaded():
    """The torch module if this process has imported it, else None."""
    return sys.modules.get("torch")


def is_torch_module(v):
    """Whether ``v`` is a ``torch.nn.Module`` (False without torch loaded)."""
    torch = torch_if_loaded()
    return torch is not None and isinstance(v, torch.nn.Module)


def rng_state():
    """torch's global RNG state as a NumPy uint8 array, or None without torch loaded."""
    torch = torch_if_loaded()
    return None if torch is None else torch.get_rng_state().numpy()


def set_rng_state(state):
    """Set torch's global RNG state from an array of bytes (a copy of it); torch is loaded."""
    torch = torch_if_loaded()
    torch.set_rng_state(torch.from_numpy(np.array(state, dtype=np.uint8)))
