"""Right values, wrong shapes, for 01_perceptron (see README.md beside this file)."""

WRONG_SHAPES = [
    {"id": "update-returns-empty-column", "loses": ["test_perceptron_update"],
     "answers": {"perceptron_update": (
         "def perceptron_update(x, y, w, b, eta):\n"
         "    import numpy as np\n"
         "    return np.zeros((0, 1)), np.zeros((0, 1))\n")}},
]
