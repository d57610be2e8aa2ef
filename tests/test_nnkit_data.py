import numpy as np
import pytest

from nnkit import data


def test_iris_full_and_subsets():
    X, y = data.load_iris()
    assert X.shape == (150, 4) and y.shape == (150,)
    assert np.bincount(y).tolist() == [50, 50, 50]
    assert X[0].tolist() == [5.1, 3.5, 1.4, 0.2]  # the first flower of Fisher's table
    X2, y2 = data.load_iris(("setosa", "versicolor"), ("sepal_length_cm", "petal_length_cm"), labels="pm1")
    assert X2.shape == (100, 2) and sorted(set(y2.tolist())) == [-1, 1]
    assert np.array_equal(X2[y2 == -1], X[y == 0][:, [0, 2]])


def test_iris_rejects_bad_names_and_labels():
    with pytest.raises(ValueError, match="unknown"):
        data.load_iris(("setosa", "rose"))
    with pytest.raises(ValueError, match="two classes"):
        data.load_iris(labels="pm1")


@pytest.mark.parametrize("gate,truth", [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]),
                                        ("nand", [1, 1, 1, 0]), ("xor", [0, 1, 1, 0])])
def test_logic_gates_in_both_encodings(gate, truth):
    X, y01 = data.logic_gate(gate, labels="01")
    _, ypm = data.logic_gate(gate.upper())
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y01.tolist() == truth
    assert ypm.tolist() == [2 * t - 1 for t in truth]


@pytest.mark.parametrize("make,kwargs,n", [
    (data.make_circles, {"n_samples": 101}, 101),
    (data.make_spiral, {"n_per_class": 40, "n_classes": 3}, 120),
    (data.make_blobs, {"n_samples": 90, "centers": [(0, 0), (3, 3), (-3, 3)]}, 90),
])
def test_toy_sets_are_seeded_and_shaped(make, kwargs, n):
    X1, y1 = make(seed=3, **kwargs)
    X2, y2 = make(seed=3, **kwargs)
    X3, _ = make(seed=4, **kwargs)
    assert X1.shape == (n, 2) and y1.shape == (n,)
    assert np.array_equal(X1, X2) and np.array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_circles_inner_ring_is_class_one():
    X, y = data.make_circles(400, noise=0.0, factor=0.3, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(r[y == 1], 0.3) and np.allclose(r[y == 0], 1.0)


def test_digits_and_stratified_split():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.min() == 0 and X.max() == 1
    assert sorted(set(y.tolist())) == list(range(10))
    Xtr, Xte, ytr, yte = data.train_test_split(X, y, test_fraction=0.2, seed=1)
    assert len(ytr) + len(yte) == 1797
    assert abs(len(yte) - 0.2 * 1797) < 10
    assert np.all(np.abs(np.bincount(yte) / len(yte) - 0.1) < 0.02)
    assert np.array_equal(Xte, data.train_test_split(X, y, test_fraction=0.2, seed=1)[1])


def test_train_val_test_split_is_stratified_disjoint_and_seeded():
    X, y = data.load_digits()
    parts = data.train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.15, seed=3)
    X_tr, X_val, X_te, y_tr, y_val, y_te = parts
    assert X_tr.shape[1:] == X_val.shape[1:] == X_te.shape[1:] == (64,)
    assert (len(X_tr), len(X_val), len(X_te)) == (len(y_tr), len(y_val), len(y_te))
    assert len(y_tr) + len(y_val) + len(y_te) == len(y)
    counts = np.bincount(y, minlength=10)
    assert np.array_equal(np.bincount(y_val, minlength=10), np.round(0.2 * counts).astype(int))
    assert np.array_equal(np.bincount(y_te, minlength=10), np.round(0.15 * counts).astype(int))
    # every image is in exactly one part, with its own label
    rows = {tuple(r): lab for r, lab in zip(X, y)}
    seen = [tuple(r) for r in np.vstack([X_tr, X_val, X_te])]
    assert sorted(seen) == sorted(tuple(r) for r in X)
    assert all(rows[tuple(r)] == lab for r, lab in zip(np.vstack([X_tr, X_val, X_te]),
                                                      np.concatenate([y_tr, y_val, y_te])))
    again = data.train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.15, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(parts, again))
    other = data.train_val_test_split(X, y, val_fraction=0.2, test_fraction=0.15, seed=4)
    assert not np.array_equal(X_te, other[2])
    assert len(set(y_tr[:50].tolist())) > 1, "the training part must be shuffled, not sorted by class"


def test_train_val_test_split_unstratified_and_edge_cases():
    X = np.arange(40.0).reshape(20, 2)
    y = np.r_[np.zeros(15, dtype=int), np.ones(5, dtype=int)]
    X_tr, X_val, X_te, y_tr, y_val, y_te = data.train_val_test_split(X, y, 0.25, 0.25, seed=0, stratify=False)
    assert (len(y_tr), len(y_val), len(y_te)) == (10, 5, 5)
    assert np.array_equal(X_te[:, 0] // 2, X_te[:, 1] // 2)       # rows stay whole
    assert set(X_te[:, 0].tolist()).isdisjoint(X_val[:, 0].tolist())
    _, X_val0, X_te0, _, y_val0, y_te0 = data.train_val_test_split(X, y, 0.0, 0.0)
    assert X_val0.shape == (0, 2) and X_te0.shape == (0, 2) and y_te0.shape == (0,)
    for bad in [(0.6, 0.5), (-0.1, 0.2), (0.2, 1.0)]:
        with pytest.raises(ValueError, match="fraction"):
            data.train_val_test_split(X, y, *bad)
    with pytest.raises(ValueError, match="rows"):
        data.train_val_test_split(X, y[:-1])
