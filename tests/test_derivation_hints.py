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

from nbgrading import NOTEBOOKS, nbgrader_meta, notebook_name

DERIVATIONS: dict[str, list[tuple[str, list[str]]]] = {
    "02_adaline": [
        ("sse_gradient", [r"dJ/dw_?j=-\\sum", r"dJ/db=-\\sum", r"-X\.T@\(?e\b", r"-X\.T@\(y-", r"-np\.sum\(e\)"]),
        ("logistic_gradient", [r"dJ(\^\(i\))?/dz(\^\(i\))?=p(\^\(i\))?-y", r"-X\.T@\(y-p\)", r"-(np\.)?sum\(y-p\)",
                               r"dJ/dw=-\\sum_?i?\(y(\^\(i\))?-p"]),
    ],
    "03_mlp": [
        ("sigmoid_grad", [r"σ\(z\)\(1-σ\(z\)\)", r"\bs\(1(\.0)?-s\)", r"e\^-z/?\(1\+e\^-z\)\^2",
                          r"\\frace\^-z\(1\+e\^-z\)\^2"]),
        ("tanh_grad", [r"1-\(?(np\.)?tanh(\(z\))?\)?\^2", r"sech\^2"]),
        ("relu_grad", [r"1(\.0)?(for|where|if|when)z>0", r"0(\.0)?(for|where|if|when)z<=0",
                       r"\(z>0\)\.astype", r"\[z>0\]"]),
        ("leaky_relu_grad", [r"α(for|where|if|when)z<=?0", r"where\(z>0,1(\.0)?,α\)",
                             r"1(\.0)?(for|where|if|when)z>0"]),
    ],
    "04_chain_rule": [
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
    "06_pytorch_regression": [
        ("linear_grads_by_hand", [r"\\frac2nm\(P", r"2\*\(pred-y\)", r"dW=dP(\^\\top|\.T)@?X", r"dpred\.sum\(dim=0\)",
                                  r"dP\.T@X"]),
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
        elif nbgrader_meta(cell).get("grade_id") == exercise:
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
    assert any(nbgrader_meta(c).get("grade_id") == exercise and nbgrader_meta(c).get("solution")
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
