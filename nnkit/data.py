"""Datasets for the course: Iris, digits, logic gates and seeded 2-D toy sets.

Every loader returns plain NumPy arrays: ``X`` of shape ``(n_samples, n_features)``
and ``y`` of shape ``(n_samples,)``. Generated sets take an explicit ``seed`` and
return the same arrays for the same arguments.
"""
from __future__ import annotations

import csv
import io
from importlib import resources
from pathlib import Path

import numpy as np

IRIS_FEATURES = ("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm")
IRIS_SPECIES = ("setosa", "versicolor", "virginica")

_GATE_TRUTH = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "nor": (1, 0, 0, 0),
    "xor": (0, 1, 1, 0),
}


def _read_bytes(name: str) -> bytes:
    """Bytes of a data file, from a checkout (``data/``) or an installed wheel."""
    checkout = Path(__file__).resolve().parent.parent / "data" / name
    if checkout.is_file():
        return checkout.read_bytes()
    return (resources.files("nnkit") / "datasets" / name).read_bytes()


def load_iris(species=IRIS_SPECIES, features=IRIS_FEATURES, labels="index"):
    """Fisher's Iris flowers (150 samples, 50 per species).

    Inputs:
    - species: which species to keep, a subset of IRIS_SPECIES, in the order that
      defines the labels.
    - features: which columns to keep (names from IRIS_FEATURES), in that order.
    - labels: "index" gives 0, 1, 2, ... in the order of ``species``; "pm1" (two
      species only) gives -1 for the first species and +1 for the second; "01"
      (two species only) gives 0 and 1.

    Returns a tuple of:
    - X: float64 array of shape (n, len(features)), in centimetres
    - y: int64 array of shape (n,)
    """
    species = tuple(species)
    unknown = set(species) - set(IRIS_SPECIES) | set(features) - set(IRIS_FEATURES)
    if unknown:
        raise ValueError(f"unknown species or feature names: {sorted(unknown)}")
    rows = list(csv.DictReader(io.StringIO(_read_bytes("iris.csv").decode())))
    rows = [r for r in rows if r["species"] in species]
    X = np.array([[float(r[f]) for f in features] for r in rows])
    y = np.array([species.index(r["species"]) for r in rows], dtype=np.int64)
    return X, _encode_binary(y, labels, n_classes=len(species))


def _encode_binary(y01, labels, n_classes=2):
    if labels == "index":
        return y01
    if n_classes != 2:
        raise ValueError(f"labels={labels!r} needs exactly two classes, got {n_classes}")
    if labels == "01":
        return y01
    if labels == "pm1":
        return 2 * y01 - 1
    raise ValueError(f"labels must be 'index', '01' or 'pm1', got {labels!r}")


def logic_gate(name: str, labels: str = "pm1"):
    """The truth table of a two-input logic gate.

    Inputs:
    - name: "and", "or", "nand", "nor" or "xor" (any case).
    - labels: "pm1" gives -1/+1 (the perceptron's encoding), "01" gives 0/1.

    Returns a tuple of:
    - X: float64 array of shape (4, 2): rows (0,0), (0,1), (1,0), (1,1)
    - y: int64 array of shape (4,)
    """
    key = name.lower()
    if key not in _GATE_TRUTH:
        raise ValueError(f"unknown gate {name!r}; choose from {sorted(_GATE_TRUTH)}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    y = np.array(_GATE_TRUTH[key], dtype=np.int64)
    return X, _encode_binary(y, labels)


def make_circles(n_samples: int = 200, noise: float = 0.1, factor: float = 0.5,
                 seed: int = 0, labels: str = "01"):
    """Two concentric rings: class 1 inside (radius ``factor``), class 0 outside (radius 1).

    Returns X of shape (n_samples, 2) and y of shape (n_samples,).
    """
    rng = np.random.default_rng(seed)
    n_in = n_samples // 2
    n_out = n_samples - n_in
    angles = rng.uniform(0, 2 * np.pi, size=n_samples)
    radius = np.r_[np.ones(n_out), np.full(n_in, factor)]
    X = np.c_[radius * np.cos(angles), radius * np.sin(angles)]
    X += rng.normal(scale=noise, size=X.shape)
    y = np.r_[np.zeros(n_out, dtype=np.int64), np.ones(n_in, dtype=np.int64)]
    return _shuffled(X, _encode_binary(y, labels), rng)


def make_spiral(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2,
                seed: int = 0):
    """Interleaved spiral arms, one class per arm (as in CS231n's spiral data).

    Returns X of shape (n_per_class * n_classes, 2), values roughly in [-1, 1],
    and integer labels y of shape (n_per_class * n_classes,).
    """
    rng = np.random.default_rng(seed)
    X, y = [], []
    for k in range(n_classes):
        r = np.linspace(0.0, 1.0, n_per_class)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class) + rng.normal(scale=noise, size=n_per_class)
        X.append(np.c_[r * np.sin(t), r * np.cos(t)])
        y.append(np.full(n_per_class, k, dtype=np.int64))
    return _shuffled(np.vstack(X), np.concatenate(y), rng)


def make_blobs(n_samples: int = 200, centers=((-1.5, -1.0), (1.5, 1.0)), std: float = 0.6,
               seed: int = 0):
    """Gaussian blobs, one class per centre.

    Inputs:
    - centers: array-like of shape (n_classes, n_features).
    Returns X of shape (n_samples, n_features) and integer labels y of shape (n_samples,).
    """
    rng = np.random.default_rng(seed)
    centers = np.asarray(centers, dtype=np.float64)
    y = np.arange(n_samples) % len(centers)
    X = centers[y] + rng.normal(scale=std, size=(n_samples, centers.shape[1]))
    return _shuffled(X, y.astype(np.int64), rng)


def load_digits():
    """UCI handwritten digits: 1,797 grey 8x8 images with pixel counts 0..16.

    Returns a tuple of:
    - X: float64 array of shape (1797, 64), pixels scaled to [0, 1]
    - y: int64 array of shape (1797,), the digit 0..9
    """
    with np.load(io.BytesIO(_read_bytes("digits.npz"))) as f:
        images, labels = f["images"], f["labels"]
    return images.reshape(len(images), -1) / 16.0, labels.astype(np.int64)


def train_test_split(X, y, test_fraction: float = 0.25, seed: int = 0):
    """Shuffle and split, keeping each class's share in both parts (stratified).

    Returns X_train, X_test, y_train, y_test.
    """
    rng = np.random.default_rng(seed)
    test = np.zeros(len(y), dtype=bool)
    for cls in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == cls))
        test[idx[: int(round(test_fraction * len(idx)))]] = True
    train_idx, test_idx = rng.permutation(np.flatnonzero(~test)), rng.permutation(np.flatnonzero(test))
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def train_val_test_split(X, y, val_fraction: float = 0.2, test_fraction: float = 0.2,
                         seed: int = 0, stratify: bool = True):
    """Shuffle and split into training, validation and test sets.

    Train on the training set, choose settings (learning rate, size, when to stop) on the
    validation set, and look at the test set once, at the end.

    Inputs:
    - X: array of shape (n, ...), one sample per row (any number of feature axes)
    - y: array of shape (n,)
    - val_fraction, test_fraction: the shares of the samples (of each class, when
      stratified) that go to the validation and the test set, each in [0, 1) with a sum
      below 1; the counts are rounded per class, the rest is the training set.
    - seed: seeds ``np.random.default_rng``; the same arguments give the same split.
    - stratify: if True, each class keeps its share in every part (y are class labels).

    Returns X_train, X_val, X_test, y_train, y_val, y_test: rows of X and y (each part
    shuffled), of shapes (n_train, ...), (n_val, ...), (n_test, ...), (n_train,),
    (n_val,), (n_test,); every sample is in exactly one part.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    if not (0 <= val_fraction < 1 and 0 <= test_fraction < 1 and val_fraction + test_fraction < 1):
        raise ValueError("val_fraction and test_fraction must be in [0, 1) with a sum below 1, "
                         f"got {val_fraction} and {test_fraction}")
    rng = np.random.default_rng(seed)
    groups = [np.flatnonzero(y == c) for c in np.unique(y)] if stratify else [np.arange(len(y))]
    part = np.zeros(len(y), dtype=np.int8)          # 0 train, 1 validation, 2 test
    for idx in groups:
        idx = rng.permutation(idx)
        n_test = int(round(test_fraction * len(idx)))
        n_val = int(round(val_fraction * len(idx)))
        part[idx[:n_test]] = 2
        part[idx[n_test:n_test + n_val]] = 1
    train, val, test = (rng.permutation(np.flatnonzero(part == k)) for k in range(3))
    return X[train], X[val], X[test], y[train], y[val], y[test]


def _shuffled(X, y, rng):
    order = rng.permutation(len(y))
    return X[order], y[order]
