"""Derivation exercises keep their formula in a collapsed hint.

An exercise whose point is a derivation states its contract in the docstring and the principle
in the markdown; the formula itself waits in a collapsed hint,
``<details><summary>Hint</summary> ... </details>`` (nested for a second level). For each such
exercise, listed in DERIVATIONS, this test reads the student notebook in notebooks/ and checks
that no markdown cell (outside its <details> blocks) and not the exercise's docstring contains
the formula, and that the hints do contain it (so the patterns are live, not dead text).

DERIVATIONS maps an assignment to a list of (exercise grade_id, regexes for the formula). The
regexes are searched in text passed through ``normalize``, so one pattern covers LaTeX, prose
and code: whitespace, ``$``, braces, ``*``, ``\\,``, ``\\cdot`` and sizing commands are removed;
``**`` becomes ``^``; fractions of partials become ``df/dx``; ``\\sigma``/``sigma``/``sigmoid``
become ``σ``, ``\\alpha``/``alpha`` ``α``, ``\\delta`` ``δ``, ``\\hat y``/``y_hat`` ``ŷ``; ``\\le``,
``\\ge`` become ``<=``, ``>=``. Subscripts keep their underscore (``w_0``), so write ``w_?0``.
"""
from __future__ import annotations

import ast
import re

import nbformat
import pytest

from nbgrading import NOTEBOOKS, SOLUTIONS, assignments, nbgrader_meta, notebook_name

DERIVATIONS: dict[str, list[tuple[str, list[str]]]] = {
    "01_perceptron": [
        ("perceptron_update", [r"\+\\?eta\(y-ŷ\)", r"\+\\?eta\(ŷ-y\)"]),
        ("perceptron_layer_update", [r"\+\\?eta\(y_j-ŷ_j\)", r"np\.outer\(e", r"\+\\?eta\(y_?j-ŷ_?j\)"]),
        ("predict_class", [r"argmax"]),
    ],
    "02_adaline": [
        ("sse_cost", [r"0\.5\*?(np\.)?sum\(e\^2\)", r"1/2\*?sum\(\(?y-", r"1/2sum_?i?\(y"]),
        ("adaline_gd_step", [r"w-\\?eta\\?frac?dJ/dw", r"w\\leftarrow\\mathbfw-\\eta", r"w-eta\*?dw", r"w-eta\*?dJ/dw"]),
        ("delta_rule_update", [r"w\+\\?etae\\?(mathbf)?x", r"w\+eta\*?e\*?x", r"w\+\\eta\\?e\\mathbfx"]),
        ("train_adaline_sgd", [r"rng\.permutation\(n_samples\)", r"order=rng\.permutation"]),
        ("standardize", [r"\(X-X\.mean\(axis=0\)\)/X\.std", r"\\fracx_j-\\mu_j\\σ_j", r"\(X\[:,j\]-mean_j\)/std_j"]),
        ("logistic_loss", [r"y\\?log\(?p\)?\+\(1-y\)\\?log\(1-p\)", r"y\^?\(i\)\\logp\^?\(i\)\+\(1-y"]),
        ("sse_gradient", [r"dJ/dw_?j=-\\sum", r"dJ/db=-\\sum", r"-X\.T@\(?e\b", r"-X\.T@\(y-", r"-np\.sum\(e\)"]),
        ("logistic_gradient", [r"dJ(\^\(i\))?/dz(\^\(i\))?=p(\^\(i\))?-y", r"-X\.T@\(y-p\)", r"-(np\.)?sum\(y-p\)",
                               r"dJ/dw=-\\sum_?i?\(y(\^\(i\))?-p"]),
    ],
    "03_mlp": [
        ("dense_forward", [r"X@W\.T\+b", r"Z=XW\^\\top\+", r"XW\^\\top\+\\?(mathbf)?b"]),
        ("count_parameters", [r"\(d\+1\)h\+\(h\+1\)c", r"n_out\*?n_in\+n_out", r"\(2\+1\)3\+\(3\+1\)1"]),
        ("collapse_linear", [r"W=W_?2W_?1", r"b=W_?2\\?(mathbf)?b_?1\+", r"W2@W1", r"W2@b1\+b2"]),
        ("softmax", [r"exp\(Z\[i\]\)/sum", r"Z-Z\.max\(axis=", r"e\^z_k-c/\\sum", r"subtracteachrow'smaximum"]),
        ("sigmoid_grad", [r"σ\(z\)\(1-σ\(z\)\)", r"\bs\(1(\.0)?-s\)", r"e\^-z/?\(1\+e\^-z\)\^2",
                          r"\\frace\^-z\(1\+e\^-z\)\^2"]),
        ("tanh_grad", [r"1-\(?(np\.)?tanh(\(z\))?\)?\^2", r"sech\^2"]),
        ("relu_grad", [r"1(\.0)?(for|where|if|when)z>0", r"0(\.0)?(for|where|if|when)z<=0",
                       r"\(z>0\)\.astype", r"\[z>0\]"]),
        ("leaky_relu_grad", [r"α(for|where|if|when)z<=?0", r"where\(z>0,1(\.0)?,α\)",
                             r"1(\.0)?(for|where|if|when)z>0"]),
    ],
    "04_chain_rule": [
        ("numerical_derivative", [r"\\fracf\(x\+h\)-f\(x-h\)2h", r"\(f\(x\+h\)-f\(x-h\)\)/\(?2\*?h"]),
        ("add_mul_grads", [r"df/dq=z\b", r"df/dz=q\b", r"df/dz=(q=)?x\+y", r"df/d[xy]=(df/dq(·?1)?=)?z(?![\w(])"]),
        ("shared_input_grads", [r"df/db=(.*=)?(u\+v|v\+u)", r"v·?1\+u·?1", r"df/da=(df/du=)?v\b",
                                r"df/dc=(df/dv=)?u\b", r"a\+2b\+c"]),
        ("sigmoid_neuron_grads", [r"df/dw_?0=x_?0", r"df/dx_?0=w_?0", r"df/dw_?1=x_?1", r"df/dx_?1=w_?1",
                                  r"df/dw_?2=df/dz"]),
        ("scalar_net_grads", [r"dl/dŷ=ŷ-y", r"δ=ŷ-y", r"dl/dw_?3=δh_?2", r"dl/dz_?2=δw_?3",
                              r"dl/dz_?1=dl/dz_?2w_?2", r"\(ŷ-y\)w_?3σ'\(z_?2\)w_?2"]),
    ],
    "05_backprop": [
        ("dense_backward", [r"dW=dZ(\^\\top|\.T)@?X", r"dX=dZ@?W(?![\w^])", r"dZ\.sum\(axis=0\)", r"dZ\.T@X"]),
        ("relu_backward", [r"1(for|where|if|when)Z>0", r"where\(Z>0,dA", r"dA\*\(Z>0\)", r"\(Z>0\)\*dA"]),
        ("sigmoid_backward", [r"σ\(z\)\(1-σ\(z\)\)", r"\bs\(1(\.0)?-s\)"]),
        ("softmax_jacobian", [r"p_i\(\[i=j\]-p_j\)", r"np\.diag\(p\)-np\.outer", r"J_?ii=p_i\(1-p_i\)",
                              r"J_?ij=-p_ip_j"]),
        ("softmax_cross_entropy", [r"\(P-Y", r"p_j-\[j=y\]", r"dL/dz_?j?=p_?j?-"]),
    ],
    "06_training": [
        ("init_params", [r"2(\.0)?/n_?in\b", r"2(\.0)?/\(n_?in\+n_?out\)"]),
        ("expected_initial_loss", [r"\\lnC", r"-\\ln\(1/C\)", r"log\(n_classes\)"]),
        ("sgd_momentum_step", [r"\\mu(\\,)?v\+g", r"momentumv\+g", r"p-lrv\b"]),
        ("rmsprop_step", [r"αs\+\(1-α\)g", r"g/\(\\sqrts\+\\epsilon\)", r"s\^0\.5\+eps"]),
        ("adam_step", [r"1-\\beta_1\^t", r"1-beta1\^t", r"/\(1-\\beta_2\^t\)"]),
        ("cosine_lr", [r"\(1\+\\cos\(\\pi", r"1\+math\.cos\(math\.pi"]),
        ("l2_penalty", [r"=\\lambdaW", r"\(1-\\eta\\lambda\)W", r"lamnp\.asarray\(W"]),
        ("dropout_forward", [r"/\(1-p_?drop\)", r"keep/\(1(\.0)?-p"]),
        ("batchnorm_forward", [r"\(X-\\mu\)/\\sqrt", r"momentumrunning\[.mean.\]\+\(1-momentum\)"]),
        ("batchnorm_backward", [r"dX=\\frac1s", r"dx_hat\.mean\(axis=0\)", r"\\operatornamemean_i\(d\\hatx\)"]),
    ],
    "07_pytorch_regression": [
        ("linear_grads_by_hand", [r"\\frac2nm\(P", r"2\*\(pred-y\)", r"dW=dP(\^\\top|\.T)@?X", r"dpred\.sum\(dim=0\)",
                                  r"dP\.T@X"]),
        ("mlp_grads_by_hand", [r"G_?kW_?k", r"\[Z_?k-1>0\]", r"@W\)?\*\(?(pre|Z|a)", r"G_?K=\\frac2nm"]),
    ],
}

_REPLACE = [
    (r"\*\*", "^"),
    (r"\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|displaystyle|,|;|!|quad|qquad|cdot|times|mathrm)(?![a-zA-Z])", ""),
    (r"\\hat\{?\s*y\}?|\by_hat\b|ŷ", "ŷ"),
    (r"\\sigma|\bsigmoid\b|\bsigma\b", "σ"),
    (r"\\alpha|\balpha\b", "α"),
    (r"\\delta|\bdelta\b", "δ"),
    (r"\\leq?(?![a-z])|≤", "<="),
    (r"\\geq?(?![a-z])|≥", ">="),
    (r"\\tanh", "tanh"),
    (r"[ \t$*{}]", ""),
    (r"\\dfrac|\\tfrac", r"\\frac"),
    (r"\\frac\\partial([A-Za-z]+)\\partial([A-Za-zŷ]+(?:_?\d)?)", r"d\1/d\2"),
    (r"\\frac(d)([A-Za-z])(d)([A-Za-z]+(?:_?\d)?)", r"d\2/d\4"),
    (r"(?<![A-Za-z])d([fL])d([a-zŷ]_?\d?)(?![a-z])", r"d\1/d\2"),
    (r"·", ""),
]


def normalize(text: str) -> str:
    for pattern, repl in _REPLACE:
        text = re.sub(pattern, repl, text)
    return text.replace("dL/", "dl/")


def split_details(markdown: str) -> tuple[str, str]:
    """(the text outside every <details> block, the text inside them); blocks may nest."""
    outside, inside, depth, pos = [], [], 0, 0
    for m in re.finditer(r"<details\b[^>]*>|</details\s*>", markdown, re.I):
        (inside if depth else outside).append(markdown[pos:m.start()])
        depth = depth + 1 if not m.group().startswith("</") else max(depth - 1, 0)
        pos = m.end()
    (inside if depth else outside).append(markdown[pos:])
    return "".join(outside), "".join(inside)


def defines(source: str, name: str) -> bool:
    """Whether a cell defines the function ``name`` (an exercise may be one of several in a cell)."""
    return re.search(rf"^def {re.escape(name)}\(", source, re.M) is not None


def docstring(source: str, name: str) -> str:
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_docstring(node) or ""
    raise AssertionError(f"{name} is not defined in its cell")


def formula_leaks(nb, exercise: str, patterns: list[str]) -> list[str]:
    """Where the formula of ``exercise`` shows outside a collapsed hint: a list of findings."""
    found = []
    for k, cell in enumerate(nb.cells):
        texts = []
        if cell.cell_type == "markdown":
            texts.append((f"markdown cell {k}", split_details(cell.source)[0]))
        elif nbgrader_meta(cell).get("solution") and defines(cell.source, exercise):
            texts.append((f"the docstring of {exercise}", docstring(cell.source, exercise)))
        for where, text in texts:
            flat = normalize(text)
            found += [f"{where}: /{p}/ matches {m.group()!r}" for p in patterns for m in [re.search(p, flat)] if m]
    return found


def hints(nb) -> str:
    return normalize("".join(split_details(c.source)[1] for c in nb.cells if c.cell_type == "markdown"))


CASES = [pytest.param(a, ex, pats, id=f"{a}-{ex}") for a, listed in DERIVATIONS.items() for ex, pats in listed]


def _student(assignment):
    return nbformat.read(NOTEBOOKS / assignment / notebook_name(assignment), as_version=4)


@pytest.mark.parametrize("assignment,exercise,patterns", CASES)
def test_formula_only_in_a_collapsed_hint(assignment, exercise, patterns):
    nb = _student(assignment)
    assert any(nbgrader_meta(c).get("solution") and defines(c.source, exercise)
               for c in nb.cells), f"{exercise} is not an exercise of {assignment}"
    leaks = formula_leaks(nb, exercise, patterns)
    assert not leaks, f"{exercise}: the formula is visible outside a <details> hint:\n" + "\n".join(leaks)
    assert any(re.search(p, hints(nb)) for p in patterns), \
        f"{exercise}: no collapsed hint holds the formula (or the patterns match nothing)"


def test_the_check_sees_a_formula_in_markdown_and_docstrings():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(r"The slope is $\sigma(z)\,\bigl(1-\sigma(z)\bigr)$."),
        nbformat.v4.new_markdown_cell("<details><summary>Hint</summary>\n\n$1 - \\tanh^2 z$\n</details>"),
        nbformat.v4.new_code_cell('def relu_grad(z):\n    """Returns 1 where z > 0, else 0."""\n',
                                  metadata={"nbgrader": {"grade_id": "relu_grad", "solution": True}}),
        nbformat.v4.new_markdown_cell(r"$\frac{\partial L}{\partial \hat y} = \hat y - y$, "
                                      r"$\frac{\partial f}{\partial w_0} = x_0\,\frac{\partial f}{\partial z}$"),
    ]
    pats = dict(DERIVATIONS["03_mlp"]) | dict(DERIVATIONS["04_chain_rule"])
    assert formula_leaks(nb, "sigmoid_grad", pats["sigmoid_grad"])
    assert not formula_leaks(nb, "tanh_grad", pats["tanh_grad"]), "a formula inside <details> is allowed"
    assert re.search(pats["tanh_grad"][0], hints(nb))
    assert formula_leaks(nb, "relu_grad", pats["relu_grad"]), "the docstring counts"
    assert formula_leaks(nb, "scalar_net_grads", pats["scalar_net_grads"])
    assert formula_leaks(nb, "sigmoid_neuron_grads", pats["sigmoid_neuron_grads"])


def test_nested_details_are_hidden_up_to_the_outer_close():
    outside, inside = split_details("a <details><summary>1</summary>b <details>c</details> d</details> e")
    assert outside.split() == ["a", "e"] and "b" in inside and "c" in inside and "d" in inside


# --- no answer line is visible -------------------------------------------------------------
#
# Every graded exercise: no line of its solution (normalized) appears in what the student sees
# without opening a hint: markdown outside <details>, the docstrings of the solution cells,
# comments anywhere, and the self-check cells' source (their checks and messages).

# Exercises being reworked by others (issue 25, sections 1 and 5): remove an entry when its
# notebook passes. Keys are (assignment, grade_id of the solution cell).
REWORK_PENDING: set[tuple[str, str]] = {
}

# Lines an exercise's contract states on purpose: the function it differentiates, not its answer.
CONTRACT_LINES: dict[tuple[str, str], set[str]] = {
    ("04_chain_rule", "sigmoid_neuron_grads"): {"w0*x0+w1*x1+w2"},   # f = sigmoid(w0*x0 + w1*x1 + w2)
    ("06_training", "batchnorm_forward"): {"gamma*x_hat+beta", 'running["mean"]', 'running["var"]'},  # the definition and the dict's keys
}

_MIN = 12                                                         # shorter is not an answer
_SOLUTION_BLOCK = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
_TRIVIAL = [
    r"(return)?([\w,\[\]]+=)?[\w.,\[\]]*",                        # names, a tuple of names, one assigned
    r"(?!.*\w\()(return)?([\w,\[\]]+=)?[\w.,\[\]()]*",             # a list of tuples of names (the contract's shape)
    r"([\w,]+=)?[\w.]+\([\w.]*\)(\.\w+\([\w.]*\))*",                # one call with at most one plain argument
    r"(\w+=)?np\.random\.default_rng\(\w*\)",                      # the course's one way to draw (conventions)
    r"\w+=np\.(as)?array\(\w+(,dtype=[\w.]+)?\)(\.copy\(\))?",    # a conversion of an input
    r"\w+=\[\]|\w+=0(\.0)?|\w+=\{\}|else:|pass|try:|break|continue",
    r"(import|from)\b.*",
]


def answer_key(line: str) -> str:
    """A solution line reduced to what a reader could copy: no spaces, no comment, no
    ``return``, no dtype conversions of the inputs; '' when the line is trivial."""
    line = re.sub(r"#.*", "", line)
    if re.match(r"\s*(for|while|if|elif|else|with|def|class|try|except|finally)\b", line):
        return ""                                                # control flow, not an expression
    flat = re.sub(r"\s+", "", line)
    if not flat or any(re.fullmatch(p, flat) for p in _TRIVIAL):
        return ""
    flat = re.sub(r"np\.asarray\((\w+)(,dtype=[\w.]+)?\)", r"\1", flat)
    flat = re.sub(r"^return", "", flat)
    return flat if len(flat) >= _MIN else ""


def _top_level_parts(expr: str) -> list[str]:
    """``a, b`` -> [a, b] at bracket depth 0 (a returned tuple's members)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(expr):
        depth += ch in "([{"
        depth -= ch in ")]}"
        if ch == "," and depth == 0:
            parts.append(expr[start:i])
            start = i + 1
    return parts + [expr[start:]]


def answer_keys(solution_source: str) -> list[str]:
    """The non-trivial lines of every solution block in a cell; for an assignment ``a = expr``
    also the expression, and for a tuple each member."""
    keys = []
    for block in _SOLUTION_BLOCK.findall(solution_source):
        for line in block.splitlines():
            key = answer_key(line)
            if not key:
                continue
            rhs = re.fullmatch(r"[\w,\[\]]+=(?!=)(.+)", key)
            expr = rhs.group(1) if rhs else key
            for cand in {key, expr, *_top_level_parts(expr)}:
                if len(cand) >= _MIN and not any(re.fullmatch(p, cand) for p in _TRIVIAL):
                    keys.append(cand)
    return keys


def _comments_and_docstrings(source: str) -> list[str]:
    out = [m.group(1) for m in re.finditer(r"#(.*)", source)]
    try:
        tree = ast.parse(source)
    except SyntaxError:            # IPython magics: comments are all we can read
        return out
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef, ast.Module)):
            out.append(ast.get_docstring(node) or "")
    return out


def visible_text(nb) -> str:
    """What the student reads without opening a hint, with whitespace removed."""
    parts = []
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "markdown":
            parts.append(split_details(cell.source)[0])
        elif meta.get("grade") and not meta.get("solution"):
            parts.append(cell.source)                     # a self-check cell: its code and messages
        else:
            source = "\n".join(l for l in cell.source.splitlines() if not l.lstrip().startswith(("%", "!")))
            parts += _comments_and_docstrings(source)
    return re.sub(r"\s+", "", "\n".join(parts))


def visible_answers(assignment: str) -> dict[str, list[str]]:
    """grade_id -> the answer keys of that exercise the student notebook shows."""
    solution = nbformat.read(SOLUTIONS / assignment / notebook_name(assignment), as_version=4)
    seen = visible_text(_student(assignment))
    found = {}
    for cell in solution.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            allowed = CONTRACT_LINES.get((assignment, meta["grade_id"]), set())
            leaks = sorted({k for k in answer_keys(cell.source) if k in seen and k not in allowed})
            if leaks:
                found[meta["grade_id"]] = leaks
    return found


def _exercises(assignment: str) -> list[str]:
    solution = nbformat.read(SOLUTIONS / assignment / notebook_name(assignment), as_version=4)
    return [nbgrader_meta(c)["grade_id"] for c in solution.cells
            if nbgrader_meta(c).get("solution") and c.cell_type == "code"]


VISIBLE_CASES = [pytest.param(a, ex, id=f"{a}-{ex}",
                              marks=[pytest.mark.xfail(reason="being reworked (issue 25)", strict=False)]
                              if (a, ex) in REWORK_PENDING else [])
                 for a in assignments() for ex in _exercises(a)]


@pytest.mark.parametrize("assignment,exercise", VISIBLE_CASES)
def test_no_answer_line_is_visible(assignment, exercise):
    leaks = visible_answers(assignment).get(exercise, [])
    assert not leaks, (f"{assignment} {exercise}: the student notebook shows these answer lines "
                       f"(outside <details>, in a docstring, comment or self-check):\n" + "\n".join(leaks))


def test_the_visible_text_check_sees_a_copied_line():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("Update with `w + eta * (y - y_hat) * x`.\n"
                                      "<details><summary>Hint</summary>`b + eta * (y - y_hat)`</details>"),
        nbformat.v4.new_code_cell('def f(w):\n    """Returns 2 * w + 1."""\n    # scale by three: w * 3.0 + 1\n',
                                  metadata={"nbgrader": {"grade_id": "f", "solution": True}}),
        nbformat.v4.new_code_cell('check(f(1), 3, hint="try np.maximum(z, 0.0) here")',
                                  metadata={"nbgrader": {"grade_id": "t", "grade": True, "solution": False}}),
    ]
    seen = visible_text(nb)
    keys = answer_keys("### BEGIN SOLUTION\n    w = np.asarray(w)\n    return w + eta * (y - y_hat) * x, "
                       "b + eta * (y - y_hat)\n    return np.maximum(z, 0.0)\n### END SOLUTION\n")
    assert keys and "w=np.asarray(w)" not in keys, "a conversion of an input is trivial"
    assert "w+eta*(y-y_hat)*x" in keys and "w+eta*(y-y_hat)*x" in seen, "a member of a returned tuple counts"
    assert "np.maximum(z,0.0)" in keys and "np.maximum(z,0.0)" in seen, "a self-check's message counts"
    assert "w*3.0+1" in seen and "2*w+1" in seen, "comments and docstrings count"
    assert "b+eta*(y-y_hat)" not in seen, "text inside <details> does not count"


# --- an nnkit helper that answers an exercise is imported only after it ---------------------

# (assignment, exercise, what would answer it): the notebook may use the helper after the
# exercise (to check later gradients), never in a cell before the exercise's solution cell.
HELPER_ANSWERS = [
    ("04_chain_rule", "numerical_derivative", r"gradcheck|numerical_gradient"),
]


@pytest.mark.parametrize("assignment,exercise,pattern", HELPER_ANSWERS, ids=[f"{a}-{e}" for a, e, _ in HELPER_ANSWERS])
def test_a_helper_that_answers_an_exercise_comes_after_it(assignment, exercise, pattern):
    nb = _student(assignment)
    before = []
    for k, cell in enumerate(nb.cells):
        if nbgrader_meta(cell).get("grade_id") == exercise:
            break
        if re.search(pattern, cell.source):
            before.append(k)
    else:
        raise AssertionError(f"{exercise} is not an exercise of {assignment}")
    assert not before, f"cells {before} use a helper that answers {exercise} before the exercise"
